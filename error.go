package paperboy

import (
	"errors"
	"fmt"
)

// Application error codes. Each maps to one HTTP status in internal/server
// and one exit status in cmd/paperboy.
const (
	ECONFLICT    = "conflict"    // the action conflicts with the current state
	EINTERNAL    = "internal"    // unexpected: a bug or a failing dependency
	EINVALID     = "invalid"     // the request or input is malformed
	ENOTFOUND    = "not_found"   // the thing asked for does not exist
	EUNAVAILABLE = "unavailable" // a dependency is temporarily unavailable
)

// Error is an error whose message is safe to show to a user.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("paperboy error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted, user-readable
// message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the *Error in err's chain, EINTERNAL for any
// other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the *Error in err's chain and
// "Internal error." for any other error, so internals never reach users.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
