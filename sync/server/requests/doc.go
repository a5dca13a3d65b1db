// Package requests keeps the organisations' change requests (contact details, master
// data): it applies the change.request push kind, and the analyst's acceptance or
// refusal, which on acceptance changes the contact or the organisation in the same
// transaction.
package requests
