// Package pgproxy is a TCP proxy to a PostgreSQL server that tests use
// to break the connection the way production does: an outage, or a
// COMMIT, or a statement in autocommit, that the server received and
// whose answer never reaches the client.
//
// It reads the frontend protocol (version 3) message by message, and
// matches two things:
//
//   - a COMMIT: a simple-protocol Query ('Q') whose text, trimmed of
//     spaces, is "commit" in any case, as database/sql's Tx.Commit sends
//     it through pgx (a COMMIT in the extended protocol, or among other
//     statements in one Query, is not matched);
//   - a marked statement: a statement executed in the extended protocol
//     whose text, as a Parse ('P') gave it for the statement name a Bind
//     ('B') names, contains the marker, or a simple-protocol Query whose
//     text contains it. The proxy keeps each connection's statement and
//     portal names (a Close ('C') forgets one), so a statement prepared
//     once and executed many times, as pgx's statement cache does, is
//     matched on each execution.
//
// It does not read TLS: connect with sslmode=disable.
package pgproxy

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
)

// A Proxy forwards TCP connections to the PostgreSQL server and breaks
// them as a test says: it drops a connection right after forwarding a
// COMMIT or a marked statement to the server (which commits, while the
// client hears nothing), or refuses every connection for a while (an
// outage).
type Proxy struct {
	ln       net.Listener
	upstream string

	mu    sync.Mutex
	conns map[net.Conn]bool
	down  bool
	drop  rule // the connections to drop next

	dropped atomic.Int64 // connections dropped by a rule
	refused atomic.Int64 // connections refused while down
	wg      sync.WaitGroup
}

// A rule says which connections to drop.
type rule struct {
	n        int    // how many more
	commits  bool   // after a COMMIT; else after a statement holding marker
	marker   string // what the statement's text contains
	thenDown bool   // and then start an outage
}

// New starts a proxy to the PostgreSQL server of serverURL and returns
// it with the URL that goes through it. The URL must name a host: a
// Unix socket cannot be proxied.
func New(serverURL string) (*Proxy, string, error) {
	u, err := url.Parse(serverURL)
	if err != nil || u.Host == "" || !strings.HasPrefix(u.Scheme, "postgres") {
		return nil, "", fmt.Errorf("pgproxy: %q is not a postgres:// URL with a host", serverURL)
	}
	upstream := u.Host
	if u.Port() == "" {
		upstream = net.JoinHostPort(u.Hostname(), "5432")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", fmt.Errorf("pgproxy: %w", err)
	}
	p := &Proxy{ln: ln, upstream: upstream, conns: map[net.Conn]bool{}}
	p.wg.Go(p.accept)
	u.Host = ln.Addr().String()
	return p, u.String(), nil
}

// Close stops the proxy: it closes every connection and waits for them.
func (p *Proxy) Close() {
	p.ln.Close()
	p.SetDown(true)
	p.wg.Wait()
}

// Dropped returns how many connections the proxy dropped after forwarding
// a COMMIT or a marked statement (see DropNextCommits, DropNextStatements).
func (p *Proxy) Dropped() int64 { return p.dropped.Load() }

// Refused returns how many connections the proxy refused while down.
func (p *Proxy) Refused() int64 { return p.refused.Load() }

// SetDown starts an outage (closing every connection, refusing new ones)
// or ends it.
func (p *Proxy) SetDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for c := range p.conns {
			c.Close()
		}
	}
}

// DropNextCommits makes the proxy drop the next n connections that send
// a COMMIT (see the package doc), right after forwarding it: the client's
// side at once, while the server reads the COMMIT and then the end of the
// stream, and commits or not as it would. The client's error can thus
// arrive before the transaction has ended. With thenDown, an outage
// starts at the first (see SetDown), sparing that connection's server
// side. It replaces any rule set before.
func (p *Proxy) DropNextCommits(n int, thenDown bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.drop = rule{n: n, commits: true, thenDown: thenDown}
}

// DropNextStatements makes the proxy drop the next n connections that
// execute a statement whose text contains marker (see the package doc;
// an empty marker matches every statement). In the extended protocol it
// forwards the statement's Execute and the Sync after it; in the simple
// protocol, the Query. It then passes nothing more to the client, lets
// the server read the end of the stream (in autocommit, the statement
// commits at the Sync, as a statement in a transaction block does not),
// and drops the client only once the server has ended the session: the
// client hears nothing of a statement the server has run to its end.
// With thenDown, an outage starts at the first (see SetDown), sparing
// that connection. It replaces any rule set before.
func (p *Proxy) DropNextStatements(n int, thenDown bool, marker string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.drop = rule{n: n, marker: marker, thenDown: thenDown}
}

func (p *Proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if !p.track(c) {
			p.refused.Add(1)
			c.Close()
			continue
		}
		p.wg.Go(func() { p.serve(c) })
	}
}

// track adds a connection to those an outage closes, unless it is down.
func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		return false
	}
	p.conns[c] = true
	return true
}

func (p *Proxy) untrack(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns, c)
	c.Close()
}

func (p *Proxy) serve(client net.Conn) {
	defer p.untrack(client)
	server, err := net.Dial("tcp", p.upstream)
	if err != nil || !p.track(server) {
		if server != nil {
			server.Close()
		}
		return
	}
	defer p.untrack(server)
	var mute atomic.Bool // the server's answers go no further
	back := make(chan struct{})
	p.wg.Go(func() {
		defer close(back)
		copyBack(client, server, &mute)
		client.Close()
	})
	if !p.forward(client, server, &mute) {
		return
	}
	// The COMMIT or the statement went out, and the client hears no more:
	// let the server read it and then the end of the stream (a close with
	// its answer unread could reset the connection instead), and wait
	// until it has ended the session.
	server.(*net.TCPConn).CloseWrite()
	<-back
}

// copyBack copies the server's bytes to the client until the server's
// side ends, and discards them once mute is set or the client is gone.
func copyBack(client, server net.Conn, mute *atomic.Bool) {
	buf := make([]byte, 32<<10)
	gone := false
	for {
		n, err := server.Read(buf)
		if n > 0 && !gone && !mute.Load() {
			_, werr := client.Write(buf[:n])
			gone = werr != nil
		}
		if err != nil {
			return
		}
	}
}

// forward copies the client's messages to the server one by one, and
// reports whether it stopped to drop the connection after a COMMIT or a
// marked statement; it has set mute then.
func (p *Proxy) forward(client, server net.Conn, mute *atomic.Bool) bool {
	r := bufio.NewReader(client)
	// The startup packet, and the SSL or GSS encryption requests that may
	// come before it, have no type byte.
	for {
		msg, err := readMessage(r, false)
		if err != nil || write(server, msg) != nil {
			return false
		}
		if code := binary.BigEndian.Uint32(msg[4:8]); code != 80877103 && code != 80877104 {
			break
		}
	}
	// The texts of the connection's prepared statements and portals, by name.
	statements, portals := map[string]string{}, map[string]string{}
	dropAtSync := false
	for {
		msg, err := readMessage(r, true)
		if err != nil {
			return false
		}
		body := msg[5:]
		switch msg[0] {
		case 'P': // Parse: name, query, parameter types
			name, rest := cstring(body)
			statements[name], _ = cstring(rest)
		case 'B': // Bind: portal, statement, …
			portal, rest := cstring(body)
			stmt, _ := cstring(rest)
			portals[portal] = statements[stmt]
		case 'C': // Close: 'S' or 'P', name
			if len(body) > 0 {
				name, _ := cstring(body[1:])
				if body[0] == 'S' {
					delete(statements, name)
				} else {
					delete(portals, name)
				}
			}
		case 'E': // Execute: portal, row limit
			portal, _ := cstring(body)
			if !dropAtSync {
				dropAtSync, _ = p.match(portals[portal], false, client, server)
				mute.Store(dropAtSync)
			}
		case 'Q': // Query: text
			text, _ := cstring(body)
			if drop, commit := p.match(text, true, client, server); drop {
				mute.Store(true)
				if write(server, msg) != nil {
					return false
				}
				if commit {
					client.Close()
				}
				return true
			}
		}
		if write(server, msg) != nil {
			return false
		}
		if msg[0] == 'S' && dropAtSync {
			return true
		}
	}
}

// match reports whether to drop the connection of client and server
// after a statement with this text (query: sent as a simple Query), and
// whether by the rule for COMMITs. When it does, it counts the drop and
// starts an outage if the rule says so, sparing this connection.
func (p *Proxy) match(text string, query bool, client, server net.Conn) (drop, commit bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := &p.drop
	switch {
	case r.n == 0:
		return false, false
	case r.commits && !(query && strings.EqualFold(strings.TrimSpace(text), "commit")):
		return false, false
	case !r.commits && !strings.Contains(text, r.marker):
		return false, false
	}
	r.n--
	p.dropped.Add(1)
	if r.thenDown {
		p.down, r.thenDown = true, false
		for c := range p.conns {
			if c != client && c != server {
				c.Close()
			}
		}
	}
	return true, r.commits
}

// readMessage reads one message of the frontend protocol, whole.
func readMessage(r *bufio.Reader, typed bool) ([]byte, error) {
	head := 4
	if typed {
		head = 5
	}
	msg := make([]byte, head, 64)
	if _, err := io.ReadFull(r, msg); err != nil {
		return nil, err
	}
	n := int(binary.BigEndian.Uint32(msg[head-4:]))
	if n < 4 || n > 1<<30 {
		return nil, io.ErrUnexpectedEOF
	}
	msg = append(msg, make([]byte, n-4)...)
	if _, err := io.ReadFull(r, msg[head:]); err != nil {
		return nil, err
	}
	if !typed && n < 8 { // no room for the code
		return nil, io.ErrUnexpectedEOF
	}
	return msg, nil
}

// cstring splits a null-terminated string off b; without a null, it is
// all of b.
func cstring(b []byte) (string, []byte) {
	i := bytes.IndexByte(b, 0)
	if i < 0 {
		return string(b), nil
	}
	return string(b[:i]), b[i+1:]
}

func write(c net.Conn, b []byte) error {
	_, err := c.Write(b)
	return err
}
