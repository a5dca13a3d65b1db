// Package chains is the replica's side of the organisation's FairMonitor supply chains:
// the partners pulled, the edits waiting in the outbox, and the alerts raised about the
// partners' certification.
package chains
