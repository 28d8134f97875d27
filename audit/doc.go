// Package audit keeps the trail of everything that happened to the results:
// tamper-evident, provable, erasable where the law requires, durable. An
// exam office shows an inspector or an appeals board from it what happened
// to a result, by whom, in which role, under which mandate and why, and
// proves the record was not changed afterwards.
//
// # Records
//
// Every result.Event becomes a [Record] (see [NewRecord]). Its header
// (position, time, result, event number, type, states before and after,
// role, mandate, and a commitment) is encoded canonically and versioned
// (see Record and [Version]); that encoding is the leaf of the Merkle tree
// and is never erased. Who acted, why, and the event's data about the
// student are the payload: canonical JSON kept beside the tree, under the
// commitment SHA-256(salt ‖ payload) with a random 32-byte salt. When the
// retention period ends (AVG), [Log.Erase] deletes salt and payload; the
// leaf, and so every proof, stays valid, and verification reports the
// record as erased rather than tampered.
//
// # The log
//
// A [Log] appends records to a Merkle tree in the manner of RFC 6962,
// computed with golang.org/x/mod/sumdb/tlog; it does not invent a proof
// scheme. A [Checkpoint] (size, root, time, in a four-line text form)
// commits to the log at a moment and is signed and verified with
// golang.org/x/mod/sumdb/note, the caller holding the keys. The log proves
// that one record is in a checkpoint's tree ([Log.ProveInclusion],
// [CheckInclusion]) and that an older checkpoint's tree is a prefix of a
// newer one's ([Log.ProveConsistency], [CheckConsistency]); [Verify] checks
// a whole stored log, and names the first record that fails.
//
// # Stores
//
// The log keeps its bytes in a [Store], a small interface: [MemoryStore]
// here, an append-only file in package audit/filestore, and SQL through
// database/sql in package audit/sqlstore. Every append carries the size it
// expects the log to have; a writer that lost the race to another gets a
// [*ConflictError], and [Log.Append] retries on the new size, so that
// nothing is lost and nothing is written twice. A writer whose records
// depend on what the log held when it decided appends with [Log.AppendAt]
// instead, which does not retry: it decides again. A store keeps none of the
// slices it is given, so the log reuses them. A store that can hand out
// its records as it holds them is a [LeafStore] (the filestore is one):
// [Verify] then hashes those very bytes. Package audit/storetest is the
// conformance suite every store passes.
//
// # Samples
//
// The exam committee draws a reproducible sample (steekproef) of results
// with [DrawSample]: stratified by assessor and component, a percentage
// with a minimum per stratum, seeded; the method is spelled out in
// [SampleMethod] so that anyone can redraw it. [Log.AppendSample] records
// the sample, its seed and its method in the trail.
//
// # Rebuilding
//
// [Rebuild] folds the trail into every result as it stands, equal to the
// live results; [StateAt] gives one result as it stood at a past moment.
package audit
