// Package fairmonitor is the service of the organisation's supply chains (the portal's
// FairMonitor): the chains and each partner's certification at a glance, their edits
// offline through the outbox, and the alerts when a partner's certification is at risk.
package fairmonitor
