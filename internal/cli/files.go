package cli

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
)

// A FileError is an input a command cannot read, or that holds nothing:
//
//	data/calendar.json: empty, want the institution's calendar: a JSON object (see go doc ./calendar)
//
// It is the one kind of message for a missing, unreadable or empty file
// or directory.
type FileError struct {
	Name    string // the file or directory as the user named it
	Problem string // "no such file", "empty", "a directory, not a file", …
	Want    string // what it should have been
	Err     error  // the cause, if any
}

// Error returns "NAME: PROBLEM, want WANT".
func (e *FileError) Error() string {
	msg := e.Name + ": " + e.Problem
	if e.Want != "" {
		msg += ", want " + e.Want
	}
	return msg
}

// Unwrap returns the cause.
func (e *FileError) Unwrap() error { return e.Err }

// ReadFile reads the file name, which should hold what want says. A file
// that is missing, a directory, unreadable or empty (or only white space)
// is a *FileError.
func ReadFile(name, want string) ([]byte, error) {
	return readFile(name, want, func() (fs.FileInfo, error) { return os.Stat(name) },
		func() ([]byte, error) { return os.ReadFile(name) })
}

// ReadFileFS reads the file path from fsys as ReadFile does, naming it
// shown in errors: the path as the user knows it.
func ReadFileFS(fsys fs.FS, path, shown, want string) ([]byte, error) {
	return readFile(shown, want, func() (fs.FileInfo, error) { return fs.Stat(fsys, path) },
		func() ([]byte, error) { return fs.ReadFile(fsys, path) })
}

func readFile(name, want string, stat func() (fs.FileInfo, error), read func() ([]byte, error)) ([]byte, error) {
	fi, err := stat()
	if err != nil {
		return nil, fileError(name, want, err, "file")
	}
	if fi.IsDir() {
		return nil, &FileError{Name: name, Problem: "a directory, not a file", Want: want}
	}
	data, err := read()
	if err != nil {
		return nil, fileError(name, want, err, "file")
	}
	if err := Empty(name, data, want); err != nil {
		return nil, err
	}
	return data, nil
}

// Empty returns a *FileError when data, read from name, holds nothing
// but white space; else nil.
func Empty(name string, data []byte, want string) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return &FileError{Name: name, Problem: "empty", Want: want}
	}
	return nil
}

// Dir checks that name is a directory, which should hold what want says.
func Dir(name, want string) error {
	return dir(name, want, func() (fs.FileInfo, error) { return os.Stat(name) })
}

// DirFS checks that path is a directory in fsys, named shown in errors.
func DirFS(fsys fs.FS, path, shown, want string) error {
	return dir(shown, want, func() (fs.FileInfo, error) { return fs.Stat(fsys, path) })
}

func dir(name, want string, stat func() (fs.FileInfo, error)) error {
	fi, err := stat()
	if err != nil {
		return fileError(name, want, err, "directory")
	}
	if !fi.IsDir() {
		return &FileError{Name: name, Problem: "a file, not a directory", Want: want}
	}
	return nil
}

// fileError says why name (a "file" or a "directory") cannot be read.
func fileError(name, want string, err error, what string) error {
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &FileError{Name: name, Problem: "no such " + what, Want: want, Err: err}
	case errors.Is(err, fs.ErrPermission):
		return &FileError{Name: name, Problem: "cannot be read: permission denied", Want: want, Err: err}
	case errors.As(err, &pe):
		return &FileError{Name: name, Problem: "cannot be read: " + pe.Err.Error(), Want: want, Err: err}
	}
	return &FileError{Name: name, Problem: "cannot be read: " + err.Error(), Want: want, Err: err}
}
