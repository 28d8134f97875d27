package browser

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
)

// The DevTools protocol over --remote-debugging-pipe: Chromium reads
// commands from its file descriptor 3 and writes answers and events to its
// descriptor 4, each message a JSON object followed by a NUL byte. Commands
// carry an id that their answer repeats; with flattened sessions a command
// for a tab carries the tab's sessionId, and so do the tab's events.

// message is any message on the pipe, either way.
type message struct {
	ID        int64           `json:"id,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    any             `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *protocolError  `json:"error,omitempty"`
}

// incoming is a message read from the pipe: its params stay raw.
type incoming struct {
	ID        int64           `json:"id"`
	SessionID string          `json:"sessionId"`
	Method    string          `json:"method"`
	Params    json.RawMessage `json:"params"`
	Result    json.RawMessage `json:"result"`
	Error     *protocolError  `json:"error"`
}

type protocolError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    string `json:"data"`
}

func (e *protocolError) Error() string {
	if e.Data != "" {
		return fmt.Sprintf("%s (%d): %s", e.Message, e.Code, e.Data)
	}
	return fmt.Sprintf("%s (%d)", e.Message, e.Code)
}

// conn is one protocol connection. Its reader runs in a goroutine of its
// own until the pipe closes, which happens when Chromium exits.
type conn struct {
	wmu  sync.Mutex // one message at a time on the pipe
	w    io.Writer
	mu   sync.Mutex
	next int64
	// the callers waiting for an answer, by id; each channel has room for it
	pending map[int64]chan incoming
	// the events of each attached tab, by session
	events map[string]chan incoming
	done   chan struct{} // closed when the reader stops
	err    error         // why it stopped; set before done is closed
}

func newConn(r io.Reader, w io.Writer) *conn {
	c := &conn{w: w, pending: map[int64]chan incoming{}, events: map[string]chan incoming{},
		done: make(chan struct{})}
	go c.read(r)
	return c
}

// read hands each message to whoever waits for it, until the pipe ends.
func (c *conn) read(r io.Reader) {
	br := bufio.NewReaderSize(r, 1<<16)
	var err error
	for {
		var b []byte
		b, err = br.ReadBytes(0)
		if err != nil {
			break
		}
		var m incoming
		if json.Unmarshal(b[:len(b)-1], &m) != nil {
			continue // not for us to judge: whoever waited times out
		}
		c.mu.Lock()
		if m.Method == "" {
			if ch, ok := c.pending[m.ID]; ok {
				delete(c.pending, m.ID)
				ch <- m
			}
		} else if ch, ok := c.events[m.SessionID]; ok {
			select {
			case ch <- m:
			default: // a tab that does not read its events loses them
			}
		}
		c.mu.Unlock()
	}
	if errors.Is(err, io.EOF) {
		err = errors.New("the browser closed its end of the pipe")
	}
	c.mu.Lock()
	c.err = err
	c.mu.Unlock()
	close(c.done)
}

// send writes one command and returns its id, without waiting for the
// answer; an answer to an id that nobody waits for is dropped.
func (c *conn) send(session, method string, params any, answer chan incoming) (int64, error) {
	c.mu.Lock()
	c.next++
	id := c.next
	if answer != nil {
		c.pending[id] = answer
	}
	c.mu.Unlock()
	b, err := json.Marshal(message{ID: id, SessionID: session, Method: method, Params: params})
	if err == nil {
		c.wmu.Lock()
		_, err = c.w.Write(append(b, 0))
		c.wmu.Unlock()
	}
	if err != nil {
		c.forget(id)
		return 0, fmt.Errorf("%s: %w", method, err)
	}
	return id, nil
}

func (c *conn) forget(id int64) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
}

// call sends a command and waits for its answer, which it decodes into
// result unless that is nil.
func (c *conn) call(ctx context.Context, session, method string, params, result any) error {
	answer := make(chan incoming, 1)
	id, err := c.send(session, method, params, answer)
	if err != nil {
		return err
	}
	select {
	case m := <-answer:
		if m.Error != nil {
			return fmt.Errorf("%s: %w", method, m.Error)
		}
		if result == nil {
			return nil
		}
		if err := json.Unmarshal(m.Result, result); err != nil {
			return fmt.Errorf("%s: reading the answer: %w", method, err)
		}
		return nil
	case <-ctx.Done():
		c.forget(id)
		return ctx.Err()
	case <-c.done:
		return fmt.Errorf("%s: %w", method, c.stopped())
	}
}

// stopped is why the reader stopped.
func (c *conn) stopped() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// listen returns the channel of the session's events; unlisten drops it.
func (c *conn) listen(session string) chan incoming {
	ch := make(chan incoming, 256)
	c.mu.Lock()
	c.events[session] = ch
	c.mu.Unlock()
	return ch
}

func (c *conn) unlisten(session string) {
	c.mu.Lock()
	delete(c.events, session)
	c.mu.Unlock()
}
