// Package store is the contract of the server's database: the interfaces every
// implementation provides, what each call guarantees, and the errors that mean "not
// found" and "token reused". Implementations live in sub-packages (sqlite); storetest
// checks any of them against this contract.
package store
