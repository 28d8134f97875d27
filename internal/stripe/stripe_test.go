package stripe_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/krs-oke/vaststelling/internal/stripe"
)

// Work on one key is never concurrent, whatever the other keys do.
func TestOneKeyAtATime(t *testing.T) {
	var locks stripe.Locks
	busy := map[string]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 200 {
				key := fmt.Sprint("result-", (g+i)%5)
				m := locks.Lock(key)
				mu.Lock()
				if busy[key] {
					t.Errorf("%s twice at once", key)
				}
				busy[key] = true
				mu.Unlock()
				mu.Lock()
				busy[key] = false
				mu.Unlock()
				m.Unlock()
			}
		})
	}
	wg.Wait()
}

func ExampleLocks() {
	var locks stripe.Locks
	m := locks.Lock("assoc-1")
	fmt.Println("working on assoc-1")
	m.Unlock()
	// Output: working on assoc-1
}

// Taking a stripe allocates nothing: the intake and the office take one
// for each of a year's millions of deliveries and commands.
func TestLockAllocatesNothing(t *testing.T) {
	var locks stripe.Locks
	allocs := testing.AllocsPerRun(100, func() { locks.Lock("assoc-1").Unlock() })
	if allocs != 0 {
		t.Fatalf("%v allocations a lock", allocs)
	}
}
