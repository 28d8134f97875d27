//go:build !unix

package oke

import "time"

// processCPU is not measured here: the benchmark reports wall time alone.
func processCPU() time.Duration { return 0 }
