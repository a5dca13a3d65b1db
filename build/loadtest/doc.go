// Command loadtest drives a running ecert-server with many organisations' idle syncs and
// pushes, beside a trivial handler answering the same bytes, and writes sync/LOAD.md.
// build/scripts/load.sh (`make load`) generates the organisations and starts the server.
//
//	loadtest -server http://127.0.0.1:18470 -server-pid PID -orgs 10001:6000 -doc sync/LOAD.md
package main
