package main

import (
	"flag"
	"net/http"
	"os"
)

// serveTrivial answers every GET with the idle-sync body and every POST with the push
// body the real server gave: the same bytes, no work — the machine's ceiling.
func serveTrivial(args []string) error {
	fs := flag.NewFlagSet("loadtest trivial", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:18471", "listen address")
	idleFile := fs.String("idle", "", "file holding the idle-sync response body")
	pushFile := fs.String("push", "", "file holding the push response body")
	fs.Parse(args)
	idle, err := os.ReadFile(*idleFile)
	if err != nil {
		return err
	}
	push, err := os.ReadFile(*pushFile)
	if err != nil {
		return err
	}
	return http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := idle
		if r.Method == http.MethodPost {
			body = push
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
}
