package filestore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// LockFile is the name of the file in a store's directory that its writer
// holds an exclusive lock on (flock(2)) while the store is open. The file
// stays when the store is closed: removing a lock file that another
// process may be about to lock would let two writers in.
const LockFile = "lock"

// ErrLocked: another Store, in this process or another, has the directory
// open for writing (Open, Repair). Two writers would each append at the
// end they know and overwrite each other's batches; wait for the other to
// close, or open the store with OpenReadOnly.
var ErrLocked = errors.New("store is open for writing elsewhere")

// ErrReadOnly: a write (Append, Erase, WriteSnapshot) to a store opened
// with OpenReadOnly.
var ErrReadOnly = errors.New("store is opened read-only")

// lockDir creates the lock file in dir if need be and takes an exclusive
// lock on it, without waiting. The lock lasts until the returned file is
// closed. A lock held elsewhere is an error matching ErrLocked.
func lockDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, LockFile), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("filestore: opening the store: %w", err)
	}
	if err := lockFile(f, true); err != nil {
		f.Close()
		if errors.Is(err, errHeld) {
			return nil, fmt.Errorf("filestore: %s: %w", dir, ErrLocked)
		}
		return nil, fmt.Errorf("filestore: %s: locking %s: %w", dir, LockFile, err)
	}
	return f, nil
}

// writerIn reports whether a writer holds the store in dir now. When
// none does, it returns a shared lock that keeps writers out until it is
// closed (nil when there is no lock file, so no writer ever was). A reader
// holds it only for a moment: to tell a torn write from one in progress.
func writerIn(dir string) (held bool, shared *os.File, err error) {
	f, err := os.Open(filepath.Join(dir, LockFile))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil, nil
	}
	if err != nil {
		return false, nil, fmt.Errorf("filestore: %s: %w", dir, err)
	}
	switch err := lockFile(f, false); {
	case errors.Is(err, errHeld):
		f.Close()
		return true, nil, nil
	case err != nil:
		f.Close()
		return false, nil, fmt.Errorf("filestore: %s: locking %s: %w", dir, LockFile, err)
	}
	return false, f, nil
}
