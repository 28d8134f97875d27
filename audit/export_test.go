package audit

import "golang.org/x/mod/sumdb/tlog"

// TamperMemory lets tests change what a MemoryStore holds, as an attacker
// with access to the storage would.
func TamperMemory(m *MemoryStore, change func(records []Record, hashes []tlog.Hash)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	change(m.records, m.hashes)
}
