package vaststelling

import (
	"context"
	"slices"
	"sync"
	"time"
)

// A Notice is a message to a student about one result.
type Notice struct {
	Result  string
	Student string
	Kind    string    // "provisional": a provisional result was registered
	At      time.Time // when it was sent
	Dutch   string    // the student message in Dutch
	English string    // and in English
	// Email and ICS are the message as an e-mail and the deadlines as a
	// calendar file, when the office has From and Mailbox set.
	Email []byte
	ICS   []byte
}

// A Notifier sends notices; an integrator sends them by e-mail or in the
// KRS's own inbox. Send must be safe for concurrent use.
type Notifier interface {
	Send(ctx context.Context, n Notice) error
}

// An Outbox is a Notifier that keeps the notices in memory. The zero Outbox
// is ready to use.
type Outbox struct {
	mu      sync.Mutex
	notices []Notice
}

// Send keeps the notice.
func (o *Outbox) Send(ctx context.Context, n Notice) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.notices = append(o.notices, n)
	return nil
}

// Notices returns the notices sent, in order.
func (o *Outbox) Notices() []Notice {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.notices)
}
