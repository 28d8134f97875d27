package audit

import "golang.org/x/mod/sumdb/tlog"

// TamperMemory lets tests change what a MemoryStore holds, as an attacker
// with access to the storage would.
func TamperMemory(m *MemoryStore, change func(records []Record, hashes []tlog.Hash)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	records := make([]Record, m.records.len())
	for i := range records {
		records[i] = *m.records.at(int64(i))
	}
	hashes := make([]tlog.Hash, m.hashes.len())
	for i := range hashes {
		hashes[i] = *m.hashes.at(int64(i))
	}
	change(records, hashes)
	for i := range records {
		*m.records.at(int64(i)) = records[i]
	}
	for i := range hashes {
		*m.hashes.at(int64(i)) = hashes[i]
	}
}

// Frontier and VerifyBatch expose how Verify walks a large log.
var Frontier = frontier

const VerifyBatch = verifyBatch
