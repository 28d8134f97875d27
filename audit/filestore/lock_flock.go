//go:build darwin || dragonfly || freebsd || illumos || linux || netbsd || openbsd

package filestore

import (
	"errors"
	"os"
	"syscall"
)

// errHeld: the lock is held elsewhere.
var errHeld = errors.New("lock held")

// lockFile takes an exclusive or shared flock(2) on f without waiting.
// flock locks belong to the open file description: a second descriptor
// in the same process conflicts too, which is what keeps two Stores of
// one process apart.
func lockFile(f *os.File, exclusive bool) error {
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EWOULDBLOCK:
			return errHeld
		}
		return err
	}
}
