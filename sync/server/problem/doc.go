// Package problem is the server's one error type: a refusal with a code of the
// registry in sync/api/errors.go, the HTTP status it is answered with, and an English
// message. The API, the upload routes, the workflow and the console all use it.
package problem
