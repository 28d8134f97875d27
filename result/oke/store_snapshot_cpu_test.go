//go:build unix

package oke

import (
	"syscall"
	"time"
)

// processCPU returns the processor time the process has used, user and
// system, so that a benchmark on a busy machine can report its own work.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
