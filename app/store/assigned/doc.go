// Package assigned tells whether a pulled NC assignment is news to the person logged in:
// the replica raises a notice ("you are now responsible for …") when it is.
package assigned
