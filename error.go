package callcare

import (
	"errors"
	"fmt"
)

// Error codes: the kinds of failure the service's callers tell apart. An
// adapter returns an *Error for what its users must handle (a task that does
// not exist, one already closed); anything else is an internal error.
const (
	ENOTFOUND = "not_found" // no such record
	ECONFLICT = "conflict"  // the record's state does not allow it (closed, claimed, under way)
	EINVALID  = "invalid"   // the input is wrong
	EINTERNAL = "internal"  // anything else
)

// Error is a failure of a known kind, with a message for the person who
// caused it (an admin at the command line, a clerk's phone).
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf makes an *Error of the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode is the code of an *Error in err's chain, EINTERNAL for any other
// error, "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage is the message of an *Error in err's chain, or err's text.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	}
	return err.Error()
}
