package pgproxy_test

import (
	"fmt"
	"net/url"

	"github.com/krs-oke/vaststelling/internal/pgproxy"
)

// A proxy stands between a test and its PostgreSQL server: the URL it
// returns is the server's, its host the proxy's. It listens at once; a
// connection through it reaches the server only when one is made.
func ExampleNew() {
	p, through, err := pgproxy.New("postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	u, _ := url.Parse(through)
	fmt.Println(u.Scheme, u.User.Username(), u.Hostname(), u.Port() != "5432", u.Path, u.RawQuery)

	_, _, err = pgproxy.New("/var/run/postgresql")
	fmt.Println(err)
	// Output:
	// postgres postgres 127.0.0.1 true /postgres sslmode=disable
	// pgproxy: "/var/run/postgresql" is not a postgres:// URL with a host
}
