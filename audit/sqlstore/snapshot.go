package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io"

	"github.com/krs-oke/vaststelling/audit"
)

// SnapshotChunk is the most bytes of a snapshot one row holds (8 MiB).
// A snapshot of an office's year is some 300 MB: in rows of this size,
// neither the server nor the client holds it whole, no statement carries
// more than this, and PostgreSQL's limit of 1 GB for one bytea value
// limits a row, not the snapshot.
const SnapshotChunk = 8 << 20

// WriteSnapshot replaces the snapshot kept beside the log (see
// audit.SnapshotStore) with the bytes write writes, in one transaction:
// readers see the old snapshot until it commits, and the whole new one
// after. The bytes go to the server in rows of SnapshotChunk as write
// writes them. When write returns an error, or the transaction fails,
// nothing is replaced. Writers take turns; readers do not wait for them.
func (s *Store) WriteSnapshot(ctx context.Context, write func(io.Writer) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	if err != nil {
		return s.snapshotError("writing", err)
	}
	defer tx.Rollback()
	// SHARE ROW EXCLUSIVE conflicts with itself and not with reads: the
	// DELETE that follows sees any snapshot committed while it waited.
	for _, q := range []string{`LOCK TABLE ` + s.snaps + ` IN SHARE ROW EXCLUSIVE MODE`, `DELETE FROM ` + s.snaps} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return s.snapshotError("writing", err)
		}
	}
	w := &chunkWriter{ctx: ctx, tx: tx, insert: s.q.snapInsert}
	if err := write(w); err != nil {
		return fmt.Errorf("sqlstore: writing the snapshot of %s: %w", s.prefix, err)
	}
	if w.err == nil && (len(w.buf) > 0 || w.part == 0) { // an empty snapshot is one empty row
		w.flush()
	}
	if w.err != nil {
		return s.snapshotError("writing", w.err)
	}
	if err := tx.Commit(); err != nil {
		return s.snapshotError("writing", err)
	}
	return nil
}

// ReadSnapshot calls read with the snapshot kept beside the log, read from
// the server row by row as read reads it, in one statement (so one
// committed snapshot, whatever is written meanwhile). Without one it
// returns an error matching audit.ErrNoSnapshot; a row missing, one
// matching audit.ErrCorrupt.
func (s *Store) ReadSnapshot(ctx context.Context, read func(io.Reader) error) error {
	rows, err := s.db.QueryContext(ctx, s.q.snapRead)
	if err != nil {
		return s.snapshotError("reading", err)
	}
	defer rows.Close()
	r := &chunkReader{rows: rows}
	if !r.next() {
		if r.err != io.EOF {
			return s.snapshotError("reading", r.err)
		}
		return fmt.Errorf("sqlstore: %s: %w", s.snaps, audit.ErrNoSnapshot)
	}
	if err := read(r); err != nil {
		return err
	}
	if r.err != nil && r.err != io.EOF { // an error read did not pass on
		return s.snapshotError("reading", r.err)
	}
	return nil
}

func (s *Store) snapshotError(doing string, err error) error {
	return fmt.Errorf("sqlstore: %s the snapshot in %s: %w", doing, s.snaps, err)
}

// A chunkWriter inserts what is written to it in rows of SnapshotChunk
// bytes. It keeps the first error; writes fail from then on.
type chunkWriter struct {
	ctx    context.Context
	tx     *sql.Tx
	insert string
	buf    []byte
	part   int64
	err    error
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	n := 0
	for w.err == nil && len(p) > 0 {
		take := min(len(p), SnapshotChunk-len(w.buf))
		w.buf = append(w.buf, p[:take]...)
		p, n = p[take:], n+take
		if len(w.buf) == SnapshotChunk {
			w.flush()
		}
	}
	return n, w.err
}

// flush inserts the buffered bytes as the next row.
func (w *chunkWriter) flush() {
	if w.buf == nil {
		w.buf = []byte{} // an empty row, not NULL
	}
	if _, err := w.tx.ExecContext(w.ctx, w.insert, w.part, w.buf); err != nil {
		w.err = fmt.Errorf("row %d: %w", w.part, err)
		return
	}
	w.part++
	w.buf = w.buf[:0]
}

// A chunkReader reads the rows of a snapshot in order as one stream.
type chunkReader struct {
	rows *sql.Rows
	cur  sql.RawBytes // valid until the next row
	part int64        // the next row's
	err  error
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		if r.err != nil || !r.next() {
			return 0, r.err
		}
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

// next moves to the next row; at the end it sets err to io.EOF, or to
// what went wrong.
func (r *chunkReader) next() bool {
	if !r.rows.Next() {
		if r.err = r.rows.Err(); r.err == nil {
			r.err = io.EOF
		}
		return false
	}
	var part int64
	if err := r.rows.Scan(&part, &r.cur); err != nil {
		r.err = err
		return false
	}
	if part != r.part {
		r.err = fmt.Errorf("%w: snapshot row %d is missing", audit.ErrCorrupt, r.part)
		return false
	}
	r.part++
	return true
}
