package sqlstore

// AppendStatement returns the text of the statement that appends a chunk
// of records: tests drop the connection after it (pgproxy).
func AppendStatement(s *Store) string { return s.q.append }
