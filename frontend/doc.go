// Package frontend gives the Go side the built user interface; the UI itself is the
// TypeScript project in this folder.
package frontend
