package documents

import (
	"context"
	"time"
)

// A Clock is the time as the client sees it: when it started, how long it
// has tried, and the waits between attempts. Tests pass one that does not
// sleep.
type Clock interface {
	Now() time.Time
	// Sleep waits for d, or until the context ends, whose error it then
	// returns.
	Sleep(ctx context.Context, d time.Duration) error
}

// RealClock is the clock of the machine.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// Sleep waits for d or until ctx ends.
func (RealClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
