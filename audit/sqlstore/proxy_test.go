package sqlstore_test

import (
	"testing"

	"github.com/krs-oke/vaststelling/internal/pgproxy"
)

// newProxy starts a proxy to the server of the URL and returns it with
// the URL through it, or skips the test when the URL has no host.
func newProxy(t testing.TB, serverURL string) (*pgproxy.Proxy, string) {
	t.Helper()
	p, through, err := pgproxy.New(serverURL)
	if err != nil {
		t.Skipf("%s: %v: no proxy", urlVar, err)
	}
	t.Cleanup(p.Close)
	return p, through
}
