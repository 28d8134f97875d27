// Package pgproxy is a TCP proxy to a PostgreSQL server that tests use
// to break the connection the way production does: an outage, or a COMMIT
// the server received whose answer never reaches the client.
package pgproxy

import (
	"bufio"
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
// COMMIT to the server (which commits, while the client hears nothing),
// or refuses every connection for a while (an outage).
type Proxy struct {
	ln       net.Listener
	upstream string

	mu          sync.Mutex
	conns       map[net.Conn]bool
	down        bool
	dropCommits int  // connections to drop after their next COMMIT
	downAfter   bool // and then go down

	dropped atomic.Int64 // commits forwarded whose answer was dropped
	refused atomic.Int64 // connections refused while down
	wg      sync.WaitGroup
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

// Dropped returns how many COMMITs the proxy forwarded and then dropped
// the connection of.
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
// a COMMIT, right after forwarding it; with then down, an outage starts
// after the first.
func (p *Proxy) DropNextCommits(n int, thenDown bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dropCommits, p.downAfter = n, thenDown
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
	p.wg.Go(func() {
		io.Copy(client, server)
		client.Close()
	})
	if !p.forward(client, server) {
		return
	}
	// The COMMIT went out and the client was dropped: let the server
	// read it and then the end of the stream (a close with its answer
	// unread could reset the connection instead).
	server.(*net.TCPConn).CloseWrite()
	io.Copy(io.Discard, server)
}

// forward copies the client's messages to the server one by one, and
// reports whether it stopped to drop the connection after a COMMIT.
func (p *Proxy) forward(client, server net.Conn) bool {
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
	for {
		msg, err := readMessage(r, true)
		if err != nil || write(server, msg) != nil {
			return false
		}
		// A simple query "commit" (database/sql's Tx.Commit through pgx).
		if msg[0] == 'Q' && strings.EqualFold(strings.TrimSpace(strings.TrimRight(string(msg[5:]), "\x00")), "commit") && p.drop() {
			client.Close()
			return true
		}
	}
}

// drop reports whether to drop the connection of a COMMIT just forwarded.
func (p *Proxy) drop() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dropCommits == 0 {
		return false
	}
	p.dropCommits--
	p.dropped.Add(1)
	if p.downAfter {
		p.down, p.downAfter = true, false
		for c := range p.conns {
			c.Close()
		}
	}
	return true
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

func write(c net.Conn, b []byte) error {
	_, err := c.Write(b)
	return err
}
