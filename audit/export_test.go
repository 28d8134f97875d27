package audit

import "golang.org/x/mod/sumdb/tlog"

// TamperMemory lets tests change what a MemoryStore holds, as an attacker
// with access to the storage would.
func TamperMemory(m *MemoryStore, change func(records []Record, hashes []tlog.Hash)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	records := make([]Record, m.records.Len())
	for i := range records {
		records[i] = *m.records.At(i)
	}
	hashes := make([]tlog.Hash, m.hashes.Len())
	for i := range hashes {
		hashes[i] = *m.hashes.At(i)
	}
	change(records, hashes)
	for i := range records {
		*m.records.At(i) = records[i]
	}
	for i := range hashes {
		*m.hashes.At(i) = hashes[i]
	}
}

// Frontier and VerifyBatch expose how Verify walks a large log.
var Frontier = frontier

const VerifyBatch = verifyBatch
