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
				unlock := locks.Lock(key)
				mu.Lock()
				if busy[key] {
					t.Errorf("%s twice at once", key)
				}
				busy[key] = true
				mu.Unlock()
				mu.Lock()
				busy[key] = false
				mu.Unlock()
				unlock()
			}
		})
	}
	wg.Wait()
}

func ExampleLocks() {
	var locks stripe.Locks
	unlock := locks.Lock("assoc-1")
	fmt.Println("working on assoc-1")
	unlock()
	// Output: working on assoc-1
}
