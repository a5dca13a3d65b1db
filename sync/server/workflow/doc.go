// Package workflow is the NC workflow, the server's authority on status: auditors'
// and analysts' steps, the application of clients' push entries, and the server's own
// writes of entities (demo data, tests). Its calls take a context, never a request.
package workflow
