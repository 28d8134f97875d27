package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/filestore"
)

// The term runs, tells its story, and leaves a trail that verifies: in a
// file store when asked, with day reports.
func TestTerm(t *testing.T) {
	dir, reports := t.TempDir(), t.TempDir()
	var out, errs bytes.Buffer
	code := run([]string{"-audit", dir, "-report", reports}, &out, &errs)
	require.Equal(t, 0, code, errs.String())
	text := out.String()
	for _, want := range []string{
		"rejected onbekend-001:",
		"malformed_json",
		"score_value_type",
		"Beste student,",
		"complaint upheld, grade corrected",
		"results determined under the standing mandate",
		"not determined: sessie-kt1-0118-013",
		"right_status: the result is on_hold",
		"appeal upheld: the appeals board annuls the result",
		"supersedes sessie-kt1-0118-020",
		"signals: ",
		"vaststelling audit checkpoint roc-voorbeeld.nl/examens",
		"Trail: ok ",
		"deliveries 304, rejected 4; results 301",
		"The yearly evaluation, read from the trail",
		"complaints 1 (upheld 1), appeals 2 (upheld 1)",
	} {
		assert.Contains(t, text, want)
	}
	s, err := filestore.Open(dir)
	require.NoError(t, err)
	defer s.Close()
	rep, err := audit.Verify(t.Context(), s, nil)
	require.NoError(t, err)
	assert.Contains(t, text, rep.String())
	days, err := os.ReadDir(reports)
	require.NoError(t, err)
	assert.NotEmpty(t, days)
	assert.True(t, strings.HasPrefix(days[0].Name(), "day-2027-"))
	for _, name := range []string{"evaluation.md", "evaluation.csv", "evaluation.json", "timeliness.md",
		"timeliness.svg", "session-sessie-kt1-0118.md", "session-sessie-ne-0201.csv"} {
		_, err := os.Stat(filepath.Join(reports, name))
		assert.NoError(t, err, name)
	}
}

func TestBadUsage(t *testing.T) {
	for _, args := range [][]string{{"extra"}, {"-nope"}, {"-data", filepath.Join(t.TempDir(), "missing")}} {
		var out, errs bytes.Buffer
		assert.Equal(t, 2, run(args, &out, &errs), args)
		assert.Empty(t, out.String())
		assert.NotEmpty(t, errs.String())
	}
}
