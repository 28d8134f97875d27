package sqlstore_test

import (
	"fmt"
	"os"
	"testing"
)

// TestMain says, in one line on stderr, when the tests that need a
// PostgreSQL server will skip, and how to run them; then runs the tests.
// go test shows the line with -v, or run in this directory without a
// package argument; "go test ./..." shows a passing package's "ok" only.
func TestMain(m *testing.M) {
	if os.Getenv(urlVar) == "" {
		fmt.Fprintf(os.Stderr, "audit/sqlstore: %s is not set: the PostgreSQL tests are skipped; "+
			"to run them, set %s=postgres://USER@HOST:PORT/DB?sslmode=disable, or run bash .ci/run, which starts a server\n",
			urlVar, urlVar)
	}
	os.Exit(m.Run())
}
