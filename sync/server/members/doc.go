// Package members publishes each organisation's accounts in its change log (entity
// member), derived from the users table: what its replicas need to offer the people of
// the organisation in the assignee picker while offline.
package members
