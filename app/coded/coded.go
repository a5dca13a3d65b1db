// Package coded is the error a bound service returns when the window knows what to say
// from a code alone (sync/api's Code… constants): the window translates the code.
package coded

import "errors"

// Error is such a refusal. Its text is its code; package app maps it by ErrorCode.
type Error string

func (e Error) Error() string { return string(e) }

// ErrorCode is the code the window shows for the error.
func (e Error) ErrorCode() string { return string(e) }

// Of returns the code of the first coded error in err's chain, "" when there is none.
func Of(err error) string {
	var e Error
	if errors.As(err, &e) {
		return string(e)
	}
	return ""
}
