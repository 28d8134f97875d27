// Package sqlstore keeps an audit log (an audit.Store) in PostgreSQL,
// through database/sql. It imports no driver: the caller opens the *sql.DB
// with one, such as github.com/jackc/pgx/v5/stdlib ("pgx") or
// github.com/lib/pq ("postgres").
//
// # Tables
//
// New takes a table prefix, a name of ASCII letters, digits and
// underscores that does not start with a digit, at most MaxPrefixLength
// bytes. Migrate creates four tables, named with it (quoted, so the case
// of the prefix counts), in the connection's search_path:
//
//	CREATE TABLE "<prefix>_records" (
//	    idx     BIGINT PRIMARY KEY CHECK (idx >= 0), -- the record's position
//	    leaf    BYTEA NOT NULL,                      -- audit.Record.Leaf()
//	    salt    BYTEA NULL,                          -- NULL once erased
//	    payload BYTEA NULL                           -- NULL once erased
//	);
//	CREATE TABLE "<prefix>_hashes" (
//	    idx  BIGINT PRIMARY KEY CHECK (idx >= 0),    -- tlog.StoredHashIndex
//	    hash BYTEA NOT NULL CHECK (octet_length(hash) = 32)
//	);
//	CREATE TABLE "<prefix>_size" (                   -- exactly one row
//	    one  BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
//	    size BIGINT NOT NULL CHECK (size >= 0)       -- the number of records
//	);
//	CREATE TABLE "<prefix>_snaps" (                  -- the snapshot, if any
//	    part BIGINT PRIMARY KEY CHECK (part >= 0),   -- 0, 1, … in order
//	    data BYTEA NOT NULL                          -- at most SnapshotChunk bytes
//	);
//
// A record is its canonical leaf, as the Merkle tree hashes it, and its
// salt and payload beside it; the store keeps the leaf's bytes and parses
// them back strictly (audit.ParseLeaf), so a row edited by hand is reported
// as corrupt, or caught by audit.Verify, not silently reinterpreted. Reads
// that find a row missing, or a hash of the wrong length, return an error
// matching audit.ErrCorrupt; an index or range outside the log, one
// matching audit.ErrRange.
//
// Erase sets a record's salt and payload to NULL. That is an UPDATE: the
// old row version stays in the table's files until VACUUM reclaims it, and
// in WAL archives and backups for as long as they are kept. Erasure
// (AVG) is complete only when those are gone too.
//
// # Concurrency
//
// Any number of Stores, in any number of processes, may share the tables.
// Append runs in one READ COMMITTED transaction that first locks the size
// row (SELECT … FOR UPDATE): appends are serialized there, and an append
// that finds another size than it expects writes nothing and returns an
// *audit.ConflictError, which audit.Log answers by retrying. (Log retries
// 16 times; many writers appending without pause can starve one of them
// past that, and its append then returns the ConflictError: nothing was
// written, and it may be tried again.) Reads take no lock: each is one
// statement, so it sees one committed state of the log. Erase updates one
// row and does not wait for appends.
//
// An append of up to 4,096 records is four round trips (begin, lock,
// insert, commit), with one more statement for each 4,096 records after.
// The records and hashes travel as PostgreSQL array literals in text
// parameters ('{"\\x0a1b…",NULL}'::bytea[]), so the statements are the
// same for every batch, and need no driver-specific array type.
//
// # Failures
//
// A commit whose answer does not arrive (the connection dropped after the
// server read the COMMIT, say) may have committed. Append then waits, over
// another connection, until no transaction holds the size row's lock (the
// failed one holds it until it ends) and returns the commit's error: the
// append has landed by then or never will, and audit.Log reads the log
// back to tell which, so that it neither reports a written append as
// failed nor writes it twice. That wait is bounded by the context, and by
// how long the server keeps a session whose client is gone; with a peer
// that vanished without closing the connection, that is until the
// server's idle_in_transaction_session_timeout or TCP keepalive ends it.
// When Append cannot wait, its error matches audit.ErrUnknownOutcome.
// Connections that fail are the driver's and database/sql's to discard
// (pgx's are); the tests run appends through a proxy that drops them.
//
// # Snapshots
//
// A Store is also an audit.SnapshotStore: it keeps one snapshot in the
// fourth table, in rows of SnapshotChunk bytes, replaced in one
// transaction and read in one statement, row by row.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/krs-oke/vaststelling/audit"
)

// MaxPrefixLength is the longest table prefix New accepts: PostgreSQL
// truncates identifiers to 63 bytes, and the longest suffix is "_records".
const MaxPrefixLength = 63 - len("_records")

// appendChunk is how many records one statement of an append inserts.
const appendChunk = 4096

// A Store is an audit.Store in three PostgreSQL tables. It is safe for
// concurrent use, and several Stores, in several processes, may share the
// same tables.
type Store struct {
	db     *sql.DB
	prefix string
	// Quoted table names.
	records, hashes, size, snaps string
	// Statements, made once by New.
	q struct{ lock, insert, size, settle, records, hashes, erase, snapInsert, snapRead string }
}

// New returns the store kept in the tables named with the prefix (see the
// package doc). It does not touch the database: call Migrate once to
// create the tables.
func New(db *sql.DB, table string) (*Store, error) {
	if db == nil {
		return nil, errors.New("sqlstore: no database")
	}
	if err := validPrefix(table); err != nil {
		return nil, err
	}
	s := &Store{db: db, prefix: table,
		records: quote(table + "_records"), hashes: quote(table + "_hashes"), size: quote(table + "_size"),
		snaps: quote(table + "_snaps")}
	s.q.lock = `SELECT size FROM ` + s.size + ` FOR UPDATE`
	// One statement inserts a chunk of records and their hashes, and sets
	// the size. The arrays arrive as text ('{"\\x…",NULL}') and are cast.
	s.q.insert = `WITH r AS (
	INSERT INTO ` + s.records + ` (idx, leaf, salt, payload)
	SELECT $1::bigint + t.n - 1, t.leaf, t.salt, t.payload
	FROM unnest($2::text::bytea[], $3::text::bytea[], $4::text::bytea[]) WITH ORDINALITY AS t(leaf, salt, payload, n)
), h AS (
	INSERT INTO ` + s.hashes + ` (idx, hash)
	SELECT $5::bigint + t.n - 1, t.hash
	FROM unnest($6::text::bytea[]) WITH ORDINALITY AS t(hash, n)
)
UPDATE ` + s.size + ` SET size = $7`
	s.q.size = `SELECT size FROM ` + s.size
	s.q.settle = `SELECT size FROM ` + s.size + ` FOR SHARE`
	// The size row joined to the rows read: one statement, one snapshot,
	// at least one row (the size) even when no record matches.
	s.q.records = `SELECT z.size, r.idx, r.leaf, r.salt, r.payload
FROM ` + s.size + ` z LEFT JOIN ` + s.records + ` r ON r.idx >= $1 AND r.idx < $2`
	s.q.hashes = `SELECT z.size, h.idx, h.hash
FROM ` + s.size + ` z LEFT JOIN ` + s.hashes + ` h ON h.idx = ANY($1::text::bigint[])`
	s.q.erase = `WITH e AS (
	UPDATE ` + s.records + ` SET salt = NULL, payload = NULL WHERE idx = $1 RETURNING idx
)
SELECT z.size, (SELECT count(*) FROM e) FROM ` + s.size + ` z`
	s.q.snapInsert = `INSERT INTO ` + s.snaps + ` (part, data) VALUES ($1, $2)`
	s.q.snapRead = `SELECT part, data FROM ` + s.snaps + ` ORDER BY part`
	return s, nil
}

// validPrefix checks a table prefix: an identifier that needs no quoting
// but for its case.
func validPrefix(p string) error {
	bad := func(why string) error { return fmt.Errorf("sqlstore: table prefix %q %s", p, why) }
	switch {
	case p == "":
		return bad("is empty")
	case len(p) > MaxPrefixLength:
		return bad(fmt.Sprintf("is longer than %d bytes", MaxPrefixLength))
	case p[0] >= '0' && p[0] <= '9':
		return bad("starts with a digit")
	}
	for _, c := range []byte(p) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return bad("holds a character other than ASCII letters, digits and underscores")
		}
	}
	return nil
}

// quote quotes a valid identifier.
func quote(name string) string { return `"` + name + `"` }

// Migrate creates the store's tables, and the size row of an empty log,
// unless they exist. Running it again, or from several processes at once,
// is harmless.
func (s *Store) Migrate(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: migrating %s: %w", s.prefix, err)
	}
	defer tx.Rollback()
	// CREATE TABLE IF NOT EXISTS races with itself: take turns.
	h := fnv.New64a()
	h.Write([]byte("vaststelling/audit/sqlstore " + s.prefix))
	stmts := []string{
		`SELECT pg_advisory_xact_lock(` + strconv.FormatInt(int64(h.Sum64()), 10) + `)`,
		`CREATE TABLE IF NOT EXISTS ` + s.records + ` (
	idx     BIGINT PRIMARY KEY CHECK (idx >= 0),
	leaf    BYTEA NOT NULL,
	salt    BYTEA NULL,
	payload BYTEA NULL
)`,
		`CREATE TABLE IF NOT EXISTS ` + s.hashes + ` (
	idx  BIGINT PRIMARY KEY CHECK (idx >= 0),
	hash BYTEA NOT NULL CHECK (octet_length(hash) = 32)
)`,
		`CREATE TABLE IF NOT EXISTS ` + s.size + ` (
	one  BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
	size BIGINT NOT NULL CHECK (size >= 0)
)`,
		`INSERT INTO ` + s.size + ` (one, size) VALUES (TRUE, 0) ON CONFLICT (one) DO NOTHING`,
		`CREATE TABLE IF NOT EXISTS ` + s.snaps + ` (
	part BIGINT PRIMARY KEY CHECK (part >= 0),
	data BYTEA NOT NULL
)`,
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("sqlstore: migrating %s: %w", s.prefix, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: migrating %s: %w", s.prefix, err)
	}
	return nil
}

// Append adds records at positions size, size+1, … with their stored
// hashes, in one transaction, or returns an *audit.ConflictError and
// writes nothing when the log does not hold exactly size records.
// Each record's Index must be its position.
func (s *Store) Append(ctx context.Context, size int64, records []audit.Record, hashes []tlog.Hash) error {
	// READ COMMITTED whatever the server's default: under REPEATABLE READ
	// or SERIALIZABLE a writer that waited for the lock would fail with a
	// serialization error instead of seeing the new size.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	if err != nil {
		return fmt.Errorf("sqlstore: appending at %d: %w", size, err)
	}
	defer tx.Rollback()
	var actual int64
	if err := tx.QueryRowContext(ctx, s.q.lock).Scan(&actual); err != nil {
		return s.sizeError("appending", err)
	}
	if actual != size {
		return &audit.ConflictError{Expected: size, Actual: actual}
	}
	if err := s.write(ctx, tx, size, records, hashes); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return s.commitFailed(ctx, size, size+int64(len(records)), err)
	}
	return nil
}

// commitFailed reports a commit of records [from, to) that returned err. The
// server may have committed even so: the connection can drop after it read
// the COMMIT and before its answer arrived. It waits until no transaction
// holds the size row's lock (the failed one holds it until it ends), so
// that by the time it returns, the append has landed or never will, and
// reading the log tells which (audit.Log does). When it cannot wait, the
// error matches audit.ErrUnknownOutcome.
func (s *Store) commitFailed(ctx context.Context, from, to int64, err error) error {
	var n int64
	if werr := s.db.QueryRowContext(ctx, s.q.settle).Scan(&n); werr != nil {
		return fmt.Errorf("sqlstore: appending records [%d, %d): %w; %w: waiting for it: %w",
			from, to, err, audit.ErrUnknownOutcome, werr)
	}
	return fmt.Errorf("sqlstore: appending records [%d, %d): %w (the log has %d records)", from, to, err, n)
}

// write writes records and their hashes at size, under the lock.
func (s *Store) write(ctx context.Context, tx *sql.Tx, size int64, records []audit.Record, hashes []tlog.Hash) error {
	if len(records) == 0 && len(hashes) == 0 {
		return nil
	}
	end := size + int64(len(records))
	if want := tlog.StoredHashCount(end) - tlog.StoredHashCount(size); int64(len(hashes)) != want {
		return fmt.Errorf("sqlstore: %d records add %d stored hashes, not %d", len(records), want, len(hashes))
	}
	for i := range records {
		if n := size + int64(i); records[i].Index != n {
			return fmt.Errorf("sqlstore: the record at %d has index %d", n, records[i].Index)
		}
	}
	for from := 0; from < len(records); from += appendChunk {
		to := min(from+appendChunk, len(records))
		lo, hi := size+int64(from), size+int64(to)
		h0, h1 := tlog.StoredHashCount(lo)-tlog.StoredHashCount(size), tlog.StoredHashCount(hi)-tlog.StoredHashCount(size)
		var leaves, salts, payloads, hs byteaArray
		for _, r := range records[from:to] {
			leaves.add(r.Leaf())
			salts.add(r.Salt)
			payloads.add(r.Payload)
		}
		for _, h := range hashes[h0:h1] {
			hs.add(h[:])
		}
		if _, err := tx.ExecContext(ctx, s.q.insert, lo, leaves.String(), salts.String(), payloads.String(),
			tlog.StoredHashCount(lo), hs.String(), hi); err != nil {
			return fmt.Errorf("sqlstore: appending records [%d, %d): %w", lo, hi, err)
		}
	}
	return nil
}

// Size returns the number of records.
func (s *Store) Size(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, s.q.size).Scan(&n); err != nil {
		return 0, s.sizeError("reading the size", err)
	}
	return n, nil
}

// sizeError explains an error reading the size row.
func (s *Store) sizeError(doing string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sqlstore: %s: %s has no size row (did Migrate run?): %w", doing, s.size, audit.ErrCorrupt)
	}
	return fmt.Errorf("sqlstore: %s of %s: %w", doing, s.prefix, err)
}

// Records returns the records at positions from up to but not including
// to, their leaves parsed strictly. A range outside the log is an error
// matching audit.ErrRange; a missing row or a leaf that does not parse,
// one matching audit.ErrCorrupt. A record's Index is the one its leaf
// holds: audit.Verify checks that it is the record's position.
func (s *Store) Records(ctx context.Context, from, to int64) ([]audit.Record, error) {
	if from < 0 || to < from {
		return nil, fmt.Errorf("sqlstore: records [%d, %d): %w", from, to, audit.ErrRange)
	}
	rows, err := s.db.QueryContext(ctx, s.q.records, from, to)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: reading records [%d, %d): %w", from, to, err)
	}
	defer rows.Close()
	var out []audit.Record
	var found []bool
	size := int64(-1)
	for rows.Next() {
		var idx sql.NullInt64
		var leaf, salt, payload []byte
		if err := rows.Scan(&size, &idx, &leaf, &salt, &payload); err != nil {
			return nil, fmt.Errorf("sqlstore: reading records [%d, %d): %w", from, to, err)
		}
		if to > size {
			return nil, fmt.Errorf("sqlstore: records [%d, %d) of %d: %w", from, to, size, audit.ErrRange)
		}
		if out == nil {
			out, found = make([]audit.Record, to-from), make([]bool, to-from)
		}
		if !idx.Valid {
			break // no record in the range: the one row is the size's
		}
		r, err := audit.ParseLeaf(leaf)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: record %d: %w", idx.Int64, err)
		}
		r.Salt, r.Payload = salt, payload
		// The rows come in any order (a sort would cost more than this).
		out[idx.Int64-from], found[idx.Int64-from] = r, true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: reading records [%d, %d): %w", from, to, err)
	}
	if size < 0 {
		return nil, s.sizeError("reading records", sql.ErrNoRows)
	}
	for i, ok := range found {
		if !ok {
			return nil, fmt.Errorf("sqlstore: %w: record %d is missing", audit.ErrCorrupt, from+int64(i))
		}
	}
	return out, nil
}

// ReadHashes returns the stored hashes at the storage indexes, in order.
// An index outside the tree is an error matching audit.ErrRange; a hash
// missing inside it, one matching audit.ErrCorrupt.
func (s *Store) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	return s.readHashesIn(ctx, s.db, indexes)
}

// A querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (s *Store) readHashesIn(ctx context.Context, q querier, indexes []int64) ([]tlog.Hash, error) {
	if len(indexes) == 0 {
		return []tlog.Hash{}, nil
	}
	var list strings.Builder
	list.WriteByte('{')
	for i, x := range indexes {
		if x < 0 {
			return nil, fmt.Errorf("sqlstore: stored hash %d: %w", x, audit.ErrRange)
		}
		if i > 0 {
			list.WriteByte(',')
		}
		list.WriteString(strconv.FormatInt(x, 10))
	}
	list.WriteByte('}')
	rows, err := q.QueryContext(ctx, s.q.hashes, list.String())
	if err != nil {
		return nil, fmt.Errorf("sqlstore: reading %d stored hashes: %w", len(indexes), err)
	}
	defer rows.Close()
	found := make(map[int64]tlog.Hash, len(indexes))
	size := int64(-1)
	for rows.Next() {
		var idx sql.NullInt64
		var h []byte
		if err := rows.Scan(&size, &idx, &h); err != nil {
			return nil, fmt.Errorf("sqlstore: reading %d stored hashes: %w", len(indexes), err)
		}
		if !idx.Valid {
			continue
		}
		if len(h) != tlog.HashSize {
			return nil, fmt.Errorf("sqlstore: %w: stored hash %d has %d bytes", audit.ErrCorrupt, idx.Int64, len(h))
		}
		found[idx.Int64] = tlog.Hash(h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: reading %d stored hashes: %w", len(indexes), err)
	}
	if size < 0 {
		return nil, s.sizeError("reading stored hashes", sql.ErrNoRows)
	}
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		h, ok := found[x]
		if !ok {
			if n := tlog.StoredHashCount(size); x >= n {
				return nil, fmt.Errorf("sqlstore: stored hash %d of %d: %w", x, n, audit.ErrRange)
			}
			return nil, fmt.Errorf("sqlstore: %w: stored hash %d is missing", audit.ErrCorrupt, x)
		}
		out[i] = h
	}
	return out, nil
}

// Erase sets the salt and payload of the record at index to NULL; its
// leaf and hashes stay. Erasing twice is not an error.
func (s *Store) Erase(ctx context.Context, index int64) error {
	var size, erased int64
	if err := s.db.QueryRowContext(ctx, s.q.erase, index).Scan(&size, &erased); err != nil {
		return s.sizeError(fmt.Sprintf("erasing record %d", index), err)
	}
	if erased == 0 {
		if index < 0 || index >= size {
			return fmt.Errorf("sqlstore: erase %d of %d: %w", index, size, audit.ErrRange)
		}
		return fmt.Errorf("sqlstore: %w: record %d is missing", audit.ErrCorrupt, index)
	}
	return nil
}

// A byteaArray builds the text form of a PostgreSQL bytea[]: elements in
// hex ("\\x0a1b", the backslash escaped for the array syntax), NULL for
// nil.
type byteaArray struct {
	b strings.Builder
	n int
}

func (a *byteaArray) add(v []byte) {
	const hex = "0123456789abcdef"
	if a.n == 0 {
		a.b.WriteByte('{')
	} else {
		a.b.WriteByte(',')
	}
	a.n++
	if v == nil {
		a.b.WriteString("NULL")
		return
	}
	a.b.Grow(len(v)*2 + 5)
	a.b.WriteString(`"\\x`)
	for _, c := range v {
		a.b.WriteByte(hex[c>>4])
		a.b.WriteByte(hex[c&0xf])
	}
	a.b.WriteByte('"')
}

func (a *byteaArray) String() string {
	if a.n == 0 {
		return "{}"
	}
	return a.b.String() + "}"
}
