//go:build !(darwin || dragonfly || freebsd || illumos || linux || netbsd || openbsd)

package filestore

import (
	"errors"
	"fmt"
	"os"
)

// errHeld: the lock is held elsewhere.
var errHeld = errors.New("lock held")

// lockFile fails: this system has no flock(2), and without a lock two
// writers could open one store. Open and Repair fail with this error;
// OpenReadOnly works (it takes no lock when none is held).
func lockFile(f *os.File, exclusive bool) error {
	if !exclusive {
		return nil
	}
	return fmt.Errorf("locking a file store on this system: %w", errors.ErrUnsupported)
}
