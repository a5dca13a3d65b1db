// Package partners is the app's Partners service: search the offline copy of the
// operator directory, check a partner's status with the server, save a dated proof.
package partners
