// Package chains applies the organisation's edits of its FairMonitor supply chains
// (push kinds chain.add and chain.remove) as entities of its change log.
package chains
