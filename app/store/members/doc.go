// Package members reads the organisation's accounts from the replica (entity member):
// the people an NC can be assigned to, known offline.
package members
