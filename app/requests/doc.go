// Package requests is the desktop's side of change requests: the user proposes a change
// to a contact or to the organisation's master data, offline if need be; it is checked
// here, queued in the outbox, and shown beside the values it would replace until the
// analyst decides.
package requests
