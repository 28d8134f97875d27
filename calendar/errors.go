package calendar

import (
	"errors"
	"fmt"
)

// Sentinel errors, for errors.Is. The typed errors below wrap or match them.
var (
	// ErrOutOfRange: a date, or the result of counting from it, falls outside
	// the calendar's supported years. The calendar never guesses there.
	ErrOutOfRange = errors.New("outside the supported years")

	// ErrInvalidConfig: a calendar definition is wrong; the ConfigError says where.
	ErrInvalidConfig = errors.New("invalid calendar definition")

	// ErrReversedRange: a closure ends before it starts.
	ErrReversedRange = errors.New("range ends before it starts")

	// ErrUnknownHoliday: a holiday name the calendar does not know.
	ErrUnknownHoliday = errors.New("unknown holiday")

	// ErrConflict: two definitions of the same day disagree, such as a day
	// declared both closed and open, or a holiday both kept and dropped.
	ErrConflict = errors.New("definitions disagree")

	// ErrUnknownField: a JSON definition names a field the format does not have.
	ErrUnknownField = errors.New("unknown field")
)

// A RangeError reports a date outside the supported years, or a count of
// working days from a date inside them that would end outside them.
// It matches ErrOutOfRange.
type RangeError struct {
	Date        Date // the date asked about
	Workdays    int  // the working days counted from Date; 0 when Date itself is outside
	First, Last int  // the supported years
}

// Error returns the problem as a sentence a person can read.
func (e *RangeError) Error() string {
	if e.Workdays == 0 {
		return fmt.Sprintf("calendar: %s is outside the supported years %d–%d", e.Date, e.First, e.Last)
	}
	return fmt.Sprintf("calendar: %d working days from %s end outside the supported years %d–%d",
		e.Workdays, e.Date, e.First, e.Last)
}

// Is makes a RangeError match ErrOutOfRange.
func (e *RangeError) Is(target error) bool { return target == ErrOutOfRange }

// A ConfigError reports one problem in a calendar definition. Path names the
// field as it is spelled in the JSON format, for example "closures[2].to";
// Line and Column are set when the problem was found while reading JSON text.
// Err is one of the sentinel errors above, possibly wrapped with detail.
// Validation reports every problem it finds, joined with errors.Join.
type ConfigError struct {
	Path         string
	Line, Column int
	Err          error
}

// Error returns the problem as a sentence a person can read.
func (e *ConfigError) Error() string {
	msg := "calendar: "
	if e.Line > 0 {
		msg += fmt.Sprintf("line %d, column %d: ", e.Line, e.Column)
	}
	if e.Path != "" {
		msg += e.Path + ": "
	}
	return msg + e.Err.Error()
}

// Unwrap returns the underlying problem.
func (e *ConfigError) Unwrap() error { return e.Err }

// Is makes every ConfigError match ErrInvalidConfig.
func (e *ConfigError) Is(target error) bool { return target == ErrInvalidConfig }

func configErr(path string, err error, format string, args ...any) *ConfigError {
	if format != "" {
		err = fmt.Errorf("%w: "+format, append([]any{err}, args...)...)
	}
	return &ConfigError{Path: path, Err: err}
}
