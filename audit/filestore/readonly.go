package filestore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"runtime"

	"github.com/krs-oke/vaststelling/audit"
)

// OpenReadOnly opens the store in dir for reading, to verify it: it takes
// no lock, so it works while a writer has the store open, and holds up no
// writer. It checks the files as Open does and serves the batches that
// were complete when it read them; it never sees later ones, and never a
// part of one. Append, Erase and WriteSnapshot return an error matching
// ErrReadOnly.
//
// What follows the last complete batch is the batch a writer is writing
// when one has the store open (see LockFile); when none has, it is a torn
// write, and OpenReadOnly reports it as Open does, with a *FileError
// matching audit.ErrTorn. It does not finish an erasure that a crash
// interrupted: it serves that record as erased. A store that does not
// exist is an error matching fs.ErrNotExist; OpenReadOnly creates nothing.
func OpenReadOnly(dir string) (*Store, error) {
	s := newStore(dir)
	s.readOnly = true
	// The head first: written after its batch, it never names more records
	// than the log holds after it.
	h, _, err := readHead(s.headN)
	if err != nil {
		return nil, err
	}
	if s.log, err = os.Open(s.logN); err == nil {
		if s.pay, err = os.Open(s.payN); err != nil {
			s.log.Close()
		}
	}
	if err != nil {
		return nil, fmt.Errorf("filestore: opening the store read-only: %w", err)
	}
	st, err := s.loadReading(h)
	if err == nil && h != nil {
		err = checkHead(st, *h, s.logN, s.headN)
	}
	if err == nil {
		s.entries, s.hashes, s.logEnd, s.payEnd = st.entries, st.hashes, st.logEnd, st.payEnd
		s.head.size = int64(s.entries.Len())
		s.head.root, err = treeRoot(&s.hashes, s.head.size)
	}
	if err != nil {
		s.log.Close()
		s.pay.Close()
		return nil, err
	}
	return s, nil
}

// loadReading loads the store for OpenReadOnly. A writer may be at work:
// an incomplete last batch is then its batch in progress, and a payload
// frame that fails may be one it is erasing. Without a writer the files
// are still, and load reads them once more, holding writers off.
func (s *Store) loadReading(h *head) (*state, error) {
	if ok, err := fresh(s.log, s.pay); err != nil || ok {
		return &state{logEnd: int64(len(logMagic)), payEnd: int64(len(payloadMagic)), pending: -1}, err
	}
	st, err := s.load(h)
	if err == nil {
		return st, nil
	}
	held, shared, lerr := writerIn(s.dir)
	if lerr != nil {
		return nil, errors.Join(err, lerr)
	}
	if !held {
		if shared != nil {
			defer shared.Close()
		}
		return s.load(h)
	}
	for i := 0; ; i++ {
		switch {
		case errors.Is(err, audit.ErrTorn):
			return st, nil // up to the writer's batch in progress
		case i == 3:
			return nil, err
		}
		runtime.Gosched()
		if st, err = s.load(h); err == nil {
			return st, nil
		}
	}
}

// payloadAgain reads the payload frame of record x once more, a few times:
// a store opened read-only reads while a writer may be erasing it. A
// blank frame is an erased payload (nil, nil).
func (s *Store) payloadAgain(x int64, e entry) (salt, payload []byte, problem string) {
	buf := make([]byte, headerSize+int64(e.payN))
	for range 3 {
		runtime.Gosched()
		if _, err := s.pay.ReadAt(buf, e.payOff); err != nil {
			return nil, nil, err.Error()
		}
		if body, p := frameAt(buf, 0, kindBlank, int64(e.payN)); p == "" &&
			int64(binary.LittleEndian.Uint64(body)) == x && allZero(body[8:]) {
			return nil, nil, ""
		}
		if salt, payload, problem = parsePayload(buf, 0, x, e); problem == "" {
			return salt, payload, ""
		}
	}
	return nil, nil, problem
}
