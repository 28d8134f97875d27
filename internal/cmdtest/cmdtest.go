// Package cmdtest holds what the tests of the example commands share: a
// writer that fails, and building the command to run it as a script does.
package cmdtest

import (
	"errors"
	"os/exec"
	"path/filepath"
	"testing"
)

// ErrBrokenPipe is what a FailingWriter returns.
var ErrBrokenPipe = errors.New("broken pipe")

// A FailingWriter fails every write with ErrBrokenPipe, as a closed pipe
// does.
type FailingWriter struct{}

// Write fails.
func (FailingWriter) Write([]byte) (int, error) { return 0, ErrBrokenPipe }

// Build builds the command in the test's working directory into a
// temporary file and returns its path. It skips the test in -short mode
// and where there is no go command.
func Build(t *testing.T, name string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a binary")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	bin := filepath.Join(t.TempDir(), name)
	if out, err := exec.CommandContext(t.Context(), goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
