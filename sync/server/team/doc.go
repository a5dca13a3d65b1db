// Package team manages the accounts of a producer organisation: its manager lists,
// creates, disables and resets the passwords of staff accounts, never another
// organisation's and never a manager's.
package team
