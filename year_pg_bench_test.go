package vaststelling_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/sqlstore"
)

// BenchmarkInstitutionYearPostgres runs the year of
// BenchmarkInstitutionYear twice in one run, its trail once in a filestore
// and once in PostgreSQL (VASTSTELLING_POSTGRES_URL), and reports both
// times, without the fixture's work, and their ratio. For the figures,
// use a server with fsync on, and a smaller year for a quick look:
//
//	go test -run '^$' -bench InstitutionYearPostgres -benchtime 1x -year.results 100000 .
func BenchmarkInstitutionYearPostgres(b *testing.B) {
	url := os.Getenv("VASTSTELLING_POSTGRES_URL")
	if url == "" {
		b.Skip("VASTSTELLING_POSTGRES_URL is not set: no PostgreSQL server to run against")
	}
	db, err := sql.Open("pgx", url)
	require.NoError(b, err)
	defer db.Close()
	var file, pg time.Duration
	for range b.N {
		b.StopTimer()
		dir := b.TempDir() + "/trail"
		require.NoError(b, os.Mkdir(dir, 0o755))
		file = timeYear(b, *yearResults, dir, nil)
		store, err := sqlstore.New(db, fmt.Sprintf("year_%d", time.Now().UnixNano()))
		require.NoError(b, err)
		require.NoError(b, store.Migrate(context.Background()))
		pg = timeYear(b, *yearResults, "", store)
		b.StartTimer()
	}
	b.ReportMetric(file.Seconds(), "file-s")
	b.ReportMetric(pg.Seconds(), "postgres-s")
	b.ReportMetric(pg.Seconds()/file.Seconds(), "x-file")
}

// timeYear runs a year of n results on the store (a filestore in dir when
// nil) and returns the office's time, the fixture's work left out.
func timeYear(b *testing.B, n int, dir string, store audit.Store) time.Duration {
	y, err := newYearOn(n, dir, store)
	require.NoError(b, err)
	defer y.close()
	var fixture time.Duration
	var paused time.Time
	y.pause = func() { paused = time.Now() }
	y.resume = func() { fixture += time.Since(paused) }
	start := time.Now()
	require.NoError(b, y.run(context.Background()))
	took := time.Since(start) - fixture
	require.Equal(b, n, y.determined)
	return took
}
