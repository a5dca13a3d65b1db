// Package httpjson is the JSON side of the server's HTTP: answers (gzipped when it
// pays), strict request bodies, the API's error answers (problem.Error), and a
// recorder of what a handler answered.
package httpjson
