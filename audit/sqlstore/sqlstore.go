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
// An append of up to 4,096 records is one statement, in autocommit:
//
//	WITH cur AS (UPDATE "<prefix>_size" SET size = <end> WHERE size = <size> RETURNING size),
//	     r AS (INSERT INTO "<prefix>_records" … WHERE EXISTS (SELECT FROM cur)),
//	     h AS (INSERT INTO "<prefix>_hashes" … WHERE EXISTS (SELECT FROM cur))
//	SELECT EXISTS (SELECT FROM cur), (SELECT size FROM "<prefix>_size")
//
// The UPDATE takes the size row's lock, and holds it until the statement
// commits; the records and hashes are inserted only if it matched. Appends
// are serialized on that lock: under READ COMMITTED, one that waited for
// it checks its WHERE again on the row as the other writer left it, and
// matches nothing if the size moved. Of two appends at the same size one
// writes; an append at any size but the log's writes nothing, so there is
// never a gap or a record written over. An append that writes nothing
// returns an *audit.ConflictError with the size its statement saw (or, if
// the size moved while it waited, the size read again), which audit.Log's
// Append answers by retrying (and its AppendAt by returning it). Under a server default of REPEATABLE READ or SERIALIZABLE the
// waiting append fails with a serialization error (40001) instead, which
// Append reports as the same conflict. (Log retries 16 times; many writers
// appending without pause can starve one of them past that, and its
// append then returns the ConflictError: nothing was written, and it may
// be tried again.)
//
// A larger append is one READ COMMITTED transaction (whatever the server's
// default): the same statement for each 4,096 records, the first of which
// takes the lock and checks the size, then COMMIT.
//
// Reads take no lock: each is one statement, so it sees one committed
// state of the log. Erase updates one row and does not wait for appends.
//
// # Round trips
//
// An append of up to 4,096 records is one round trip (with pgx, once the
// statement is prepared on the connection: pgx caches it), and one flush
// of the WAL at its commit. audit.Log.Append reads the size before it;
// both Append and AppendAt read the hashes of the tree's frontier unless
// the log knows them from its own last append. pgx's database/sql driver
// also pings a connection idle for more than a second before it lends it.
// A larger append is three round trips (begin, the first 4,096 records,
// commit) and one more for each 4,096 records after.
//
// The leaves, salts, payloads and hashes of a chunk travel as four bytea
// parameters, each the chunk's values one after the other, with their
// lengths (-1 for NULL) in int[] literals in text parameters ('{96,16,-1}');
// the statement cuts them apart with substring. So the statement is the
// same for every append and needs no driver-specific array type, and the
// bytes go as they are: the hex text of bytea[] literals it replaced cost
// PostgreSQL more to parse than the inserts (BenchmarkAppendBatch: 27,000
// records a second in batches of 100, now 46,000, with fsync on).
//
// # Failures
//
// An append whose answer does not arrive (the connection dropped after the
// server read the statement or the COMMIT, say) may have been written.
// Append then waits, over another connection, until no transaction holds
// the size row's lock: a statement the server is running holds it until
// it ends, and so does a transaction from its first statement on. If the
// log then holds more records than the append expected, the append has
// landed or never will (the log only grows, and the append writes only at
// the size it expected): Append reads the leaves at its positions back,
// and returns nil if they are its records, or an error matching the
// *audit.ConflictError if they are another writer's (nothing was written,
// and audit.Log tries again), so that an append is neither reported as
// failed when it was written, nor written twice. If it cannot read them,
// its error says how many records the log has, and audit.Log reads them
// back itself. A failed COMMIT that leaves the log at its size did not
// commit: the transaction held the lock since its first statement. But a
// one-statement append that finds the log still at its size may yet reach
// the server, later, and land (it may be in the network, or unread in the
// server's socket): the error then matches audit.ErrUnknownOutcome, as it
// does when Append cannot wait. An error the server answered with (it
// carries an SQLSTATE, as pgx's and lib/pq's errors do) is taken as the
// statement's failure, without a wait, except for the classes a session
// can end with after its commit (08, 57, 58, XX). The statement runs on a
// *sql.Conn of its own: database/sql runs a statement on a *sql.DB again,
// on another connection, when the driver says the first was bad, and
// lib/pq says so even after the statement went out.
//
// The wait is bounded by the context, and by how long the server keeps a
// session whose client is gone; with a peer that vanished without closing
// the connection, that is until the server's TCP keepalive (or, within a
// transaction, its idle_in_transaction_session_timeout) ends it. A failed
// append is never retried by the store. Connections that fail are the
// driver's and database/sql's to discard (pgx's are); the tests run appends
// through a proxy that drops them (internal/pgproxy).
//
// # Snapshots
//
// A Store is also an audit.SnapshotStore: it keeps one snapshot in the
// fourth table, in rows of SnapshotChunk bytes, replaced in one
// transaction and read in one statement, row by row.
package sqlstore

import (
	"bytes"
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

// A Store is an audit.Store in four PostgreSQL tables. It is safe for
// concurrent use, and several Stores, in several processes, may share the
// same tables.
type Store struct {
	db     *sql.DB
	prefix string
	// Quoted table names.
	records, hashes, size, snaps string
	// Statements, made once by New.
	q struct{ append, size, settle, leaves, records, hashes, erase, snapInsert, snapRead string }
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
	// One statement appends a chunk of records: it moves the size from
	// $1 to $7 if the row holds $1 (taking the row's lock, which it holds
	// until it commits), and only then inserts the records and their
	// hashes. Under READ COMMITTED a statement that waited for the lock
	// re-checks the WHERE on the row as the other writer left it, and
	// matches nothing when it moved: one of two appends at the same size
	// writes. It returns whether it matched, and the size its snapshot
	// saw (the one before a wait). The values arrive as blobs ($2, $3,
	// $4, $6) with their lengths in int[] literals ($8, $9, $10; -1 for
	// NULL), the offsets summed by a window.
	s.q.append = `WITH cur AS (
	UPDATE ` + s.size + ` SET size = $7 WHERE size = $1 RETURNING size
), l AS (
	SELECT t.n, t.ll, t.sl, t.pl,
		(sum(t.ll) OVER w - t.ll)::int AS lo,
		(sum(greatest(t.sl, 0)) OVER w - greatest(t.sl, 0))::int AS so,
		(sum(greatest(t.pl, 0)) OVER w - greatest(t.pl, 0))::int AS po
	FROM unnest($8::text::int[], $9::text::int[], $10::text::int[]) WITH ORDINALITY AS t(ll, sl, pl, n)
	WINDOW w AS (ORDER BY t.n)
), r AS (
	INSERT INTO ` + s.records + ` (idx, leaf, salt, payload)
	SELECT $1::bigint + l.n - 1, substring($2::bytea FROM l.lo + 1 FOR l.ll),
		CASE WHEN l.sl < 0 THEN NULL ELSE substring($3::bytea FROM l.so + 1 FOR l.sl) END,
		CASE WHEN l.pl < 0 THEN NULL ELSE substring($4::bytea FROM l.po + 1 FOR l.pl) END
	FROM l
	WHERE EXISTS (SELECT FROM cur)
), h AS (
	INSERT INTO ` + s.hashes + ` (idx, hash)
	SELECT $5::bigint + g.i, substring($6::bytea FROM g.i * 32 + 1 FOR 32)
	FROM generate_series(0, octet_length($6::bytea) / 32 - 1) AS g(i)
	WHERE EXISTS (SELECT FROM cur)
)
SELECT EXISTS (SELECT FROM cur), (SELECT size FROM ` + s.size + `)`
	s.q.size = `SELECT size FROM ` + s.size
	s.q.settle = `SELECT size FROM ` + s.size + ` FOR SHARE`
	s.q.leaves = `SELECT idx, leaf FROM ` + s.records + ` WHERE idx >= $1 AND idx < $2`
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
// hashes, all or nothing, or returns an *audit.ConflictError and writes
// nothing when the log does not hold exactly size records. Each record's
// Index must be its position. Up to 4,096 records are one statement in
// autocommit; more are one transaction (see the package doc).
func (s *Store) Append(ctx context.Context, size int64, records []audit.Record, hashes []tlog.Hash) error {
	end := size + int64(len(records))
	if want := tlog.StoredHashCount(end) - tlog.StoredHashCount(size); int64(len(hashes)) != want {
		return fmt.Errorf("sqlstore: appending records [%d, %d): %w: they add %d stored hashes, not %d",
			size, end, audit.ErrInvalidRecord, want, len(hashes))
	}
	for i := range records {
		if n := size + int64(i); records[i].Index != n {
			return fmt.Errorf("sqlstore: appending records [%d, %d): %w: the record at %d has index %d",
				size, end, audit.ErrInvalidRecord, n, records[i].Index)
		}
	}
	switch {
	case len(records) == 0:
		// Nothing to write: the size as one statement reads it is the
		// answer, as it would be under the lock.
		actual, err := s.Size(ctx)
		if err == nil && actual != size {
			err = &audit.ConflictError{Expected: size, Actual: actual}
		}
		return err
	case len(records) > appendChunk:
		return s.appendInTx(ctx, size, records, hashes)
	}
	// On one connection of its own: database/sql runs a statement on *DB
	// again, on another connection, when the driver says the first was
	// bad, and lib/pq says so after a connection ended after the
	// statement went out (io.EOF), which would write twice or report an
	// append that landed as a conflict.
	conn, err := s.db.Conn(ctx)
	if err != nil { // nothing went out
		return fmt.Errorf("sqlstore: appending records [%d, %d): %w", size, end, err)
	}
	defer conn.Close()
	matched, seen, err := s.appendChunk(ctx, conn, size, size, end, records, hashes)
	if err != nil {
		return s.appendFailed(ctx, size, records, err)
	}
	if !matched {
		return s.conflict(ctx, conn, size, seen)
	}
	return nil
}

// appendInTx appends more than appendChunk records in one READ COMMITTED
// transaction: the first chunk's statement locks the size row and checks
// it, and holds the lock for the chunks after it and the commit.
func (s *Store) appendInTx(ctx context.Context, size int64, records []audit.Record, hashes []tlog.Hash) error {
	end := size + int64(len(records))
	// READ COMMITTED whatever the server's default: under REPEATABLE READ
	// or SERIALIZABLE a writer that waited for the lock would fail with a
	// serialization error instead of seeing the new size.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	if err != nil {
		return fmt.Errorf("sqlstore: appending records [%d, %d): %w", size, end, err)
	}
	defer tx.Rollback()
	for lo := size; lo < end; lo += appendChunk {
		hi := min(lo+appendChunk, end)
		matched, seen, err := s.appendChunk(ctx, tx, size, lo, hi, records, hashes)
		switch {
		case err != nil:
			// Not committed, and it never will be: no COMMIT went out.
			return fmt.Errorf("sqlstore: appending records [%d, %d): %w", lo, hi, err)
		case !matched && lo == size:
			return s.conflict(ctx, tx, size, seen)
		case !matched:
			return fmt.Errorf("sqlstore: appending records [%d, %d): %w: the size row, locked, no longer holds %d",
				lo, hi, audit.ErrCorrupt, lo)
		}
	}
	if err := tx.Commit(); err != nil {
		return s.commitFailed(ctx, size, records, err)
	}
	return nil
}

// appendChunk runs the append statement for records [lo, hi) of those
// that start at size: it writes them when the size row holds lo, and
// reports whether it did and the size its snapshot saw (not valid
// without a size row).
func (s *Store) appendChunk(ctx context.Context, q rowQuerier, size, lo, hi int64,
	records []audit.Record, hashes []tlog.Hash) (matched bool, seen sql.NullInt64, err error) {
	h0, h1 := tlog.StoredHashCount(lo)-tlog.StoredHashCount(size), tlog.StoredHashCount(hi)-tlog.StoredHashCount(size)
	var leaves, salts, payloads, hs []byte
	var ll, sl, pl intArray
	for _, r := range records[lo-size : hi-size] {
		n := len(leaves)
		leaves = r.AppendLeaf(leaves)
		ll.add(len(leaves) - n)
		salts, payloads = appendBlob(salts, &sl, r.Salt), appendBlob(payloads, &pl, r.Payload)
	}
	hs = make([]byte, 0, (h1-h0)*tlog.HashSize)
	for _, h := range hashes[h0:h1] {
		hs = append(hs, h[:]...)
	}
	err = q.QueryRowContext(ctx, s.q.append, lo, nonNil(leaves), nonNil(salts), nonNil(payloads),
		tlog.StoredHashCount(lo), nonNil(hs), hi, ll.String(), sl.String(), pl.String()).Scan(&matched, &seen)
	return matched, seen, err
}

// A rowQuerier is a *sql.DB, *sql.Conn or *sql.Tx.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conflict returns the *audit.ConflictError of an append at size whose
// statement matched no size row, having seen seen. A snapshot that saw
// size means the row changed while the statement waited for its lock:
// the size it holds now is read again.
func (s *Store) conflict(ctx context.Context, q rowQuerier, size int64, seen sql.NullInt64) error {
	switch {
	case !seen.Valid:
		return s.sizeError(fmt.Sprintf("appending at %d", size), sql.ErrNoRows)
	case seen.Int64 != size:
		return &audit.ConflictError{Expected: size, Actual: seen.Int64}
	}
	var now int64
	if err := q.QueryRowContext(ctx, s.q.size).Scan(&now); err != nil {
		return fmt.Errorf("sqlstore: appending at %d: %w: the size changed while it waited; reading it again: %w",
			size, audit.ErrConflict, err)
	}
	return &audit.ConflictError{Expected: size, Actual: now}
}

// appendFailed reports an append statement of records at from, run in
// autocommit, that returned err, and finds out what it can of its fate.
//
// An error the server answered with (one with an SQLSTATE) means the
// statement failed, and its transaction with it, but for the classes a
// session can end with after its commit (08, 57, 58, XX). A serialization
// failure (40001, under a server default stricter than READ COMMITTED)
// is another writer's append: a conflict.
//
// Any other error, such as a connection that dropped, may have come after
// the server committed, or before it read the statement at all. It then
// waits, over another connection, until no transaction holds the size
// row's lock: a statement the server is running holds it until it
// commits or fails. If the log then holds other than from records, the
// statement can no longer land (sizes only grow, and it writes only at
// from), and settle tells whether it did. If the log still holds from
// records, the statement may yet reach the server, so the error matches
// audit.ErrUnknownOutcome, as it does when Append cannot wait.
func (s *Store) appendFailed(ctx context.Context, from int64, records []audit.Record, err error) error {
	to := from + int64(len(records))
	switch state := sqlState(err); {
	case state == "40001":
		var now int64
		if rerr := s.db.QueryRowContext(ctx, s.q.size).Scan(&now); rerr == nil && now != from {
			return fmt.Errorf("sqlstore: appending records [%d, %d): %w: %w", from, to, err,
				&audit.ConflictError{Expected: from, Actual: now})
		}
		return fmt.Errorf("sqlstore: appending records [%d, %d): %w", from, to, err)
	case len(state) == 5 && !endsSession(state):
		return fmt.Errorf("sqlstore: appending records [%d, %d): %w", from, to, err)
	}
	n, werr := s.waitForLock(ctx)
	switch {
	case werr != nil:
		return fmt.Errorf("sqlstore: appending records [%d, %d): %w; %w: waiting for it: %w",
			from, to, err, audit.ErrUnknownOutcome, werr)
	case n == from:
		return fmt.Errorf("sqlstore: appending records [%d, %d): %w; %w: the log still has %d records, and the statement may yet reach the server",
			from, to, err, audit.ErrUnknownOutcome, n)
	}
	return s.settle(ctx, from, records, n, err)
}

// settle finds out what became of an append of records at from that
// failed with err, once it can no longer land: the log holds n records,
// not from. It returns nil if the records are there, at their positions;
// if they are not, an error matching the *audit.ConflictError (nothing
// was written, and the log has moved on, so audit.Log tries again at the
// new size); if it cannot read them back, an error saying how many
// records the log has (audit.Log then reads them back itself).
func (s *Store) settle(ctx context.Context, from int64, records []audit.Record, n int64, err error) error {
	to := from + int64(len(records))
	if n < to { // the append would have made it at least to
		return fmt.Errorf("sqlstore: appending records [%d, %d): %w: it wrote nothing: %w", from, to, err,
			&audit.ConflictError{Expected: from, Actual: n})
	}
	same, rerr := s.holds(ctx, from, records)
	switch {
	case rerr != nil:
		return fmt.Errorf("sqlstore: appending records [%d, %d): %w (the log has %d records; reading them back: %v)",
			from, to, err, n, rerr)
	case !same:
		return fmt.Errorf("sqlstore: appending records [%d, %d): %w: another writer's records are there: %w", from, to, err,
			&audit.ConflictError{Expected: from, Actual: n})
	}
	return nil
}

// holds reports whether the log holds the records' leaves at from, from+1, …
func (s *Store) holds(ctx context.Context, from int64, records []audit.Record) (bool, error) {
	rows, err := s.db.QueryContext(ctx, s.q.leaves, from, from+int64(len(records)))
	if err != nil {
		return false, err
	}
	defer rows.Close()
	found := 0
	var leaf []byte
	for rows.Next() {
		var idx int64
		if err := rows.Scan(&idx, &leaf); err != nil {
			return false, err
		}
		if idx < from || idx-from >= int64(len(records)) || !bytes.Equal(leaf, records[idx-from].AppendLeaf(nil)) {
			return false, rows.Err()
		}
		found++
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	if found != len(records) {
		return false, fmt.Errorf("%w: %d of records [%d, %d) are missing", audit.ErrCorrupt,
			len(records)-found, from, from+int64(len(records)))
	}
	return true, nil
}

// sqlState returns the SQLSTATE of the server's error in err's chain, or
// "" when there is none. pgx's *pgconn.PgError and lib/pq's *pq.Error
// both have the method.
func sqlState(err error) string {
	var e interface{ SQLState() string }
	if errors.As(err, &e) {
		return e.SQLState()
	}
	return ""
}

// endsSession reports whether an SQLSTATE is of a class that can end a
// session after its last statement committed: connection exceptions,
// operator intervention (shutdown, termination, cancel), system and
// internal errors.
func endsSession(state string) bool {
	switch state[:2] {
	case "08", "57", "58", "XX":
		return true
	}
	return false
}

// commitFailed reports the commit of an append of records at from that
// returned err. The server may have committed even so: the connection can
// drop after it read the COMMIT and before its answer arrived. It waits
// until no transaction holds the size row's lock: the failed one held it
// from its first statement on, and holds it until it ends, so by then the
// append has landed or never will. A log still at from did not take it
// (the error is returned as it is); otherwise settle tells. When it cannot
// wait, the error matches audit.ErrUnknownOutcome.
func (s *Store) commitFailed(ctx context.Context, from int64, records []audit.Record, err error) error {
	to := from + int64(len(records))
	n, werr := s.waitForLock(ctx)
	switch {
	case werr != nil:
		return fmt.Errorf("sqlstore: appending records [%d, %d): %w; %w: waiting for it: %w",
			from, to, err, audit.ErrUnknownOutcome, werr)
	case n == from:
		return fmt.Errorf("sqlstore: appending records [%d, %d): %w (the log still has %d records)", from, to, err, n)
	}
	return s.settle(ctx, from, records, n, err)
}

// waitForLock waits until no transaction holds the size row's lock, and
// returns the size then. Under a server default stricter than READ
// COMMITTED, a lock holder that changed the row makes the wait fail with
// a serialization error; it then waits again, in a new snapshot.
func (s *Store) waitForLock(ctx context.Context) (int64, error) {
	var n int64
	var err error
	for range 8 {
		if err = s.db.QueryRowContext(ctx, s.q.settle).Scan(&n); sqlState(err) != "40001" {
			break
		}
	}
	return n, err
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

// appendBlob appends v to blob and its length to lens, -1 for nil (NULL).
func appendBlob(blob []byte, lens *intArray, v []byte) []byte {
	if v == nil {
		lens.add(-1)
		return blob
	}
	lens.add(len(v))
	return append(blob, v...)
}

// nonNil returns b, or an empty slice for nil: a blob is never NULL.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// An intArray builds the text form of a PostgreSQL int[].
type intArray struct{ b []byte }

func (a *intArray) add(n int) {
	if len(a.b) == 0 {
		a.b = append(a.b, '{')
	} else {
		a.b = append(a.b, ',')
	}
	a.b = strconv.AppendInt(a.b, int64(n), 10)
}

func (a *intArray) String() string {
	if len(a.b) == 0 {
		return "{}"
	}
	return string(a.b) + "}"
}
