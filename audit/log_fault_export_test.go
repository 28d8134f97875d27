package audit

// QueuedAppends returns the number of appends waiting for the log's next
// batch, so that tests of the group commit can wait until they are queued.
func QueuedAppends(l *Log) int {
	l.gmu.Lock()
	defer l.gmu.Unlock()
	return len(l.queue)
}
