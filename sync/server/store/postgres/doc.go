// Package postgres is store.Store on PostgreSQL (pgx, a bounded pool): the store of
// several server nodes sharing one database, its schema in numbered migrations.
package postgres
