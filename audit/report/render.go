package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/krs-oke/vaststelling/calendar"
)

// writeCSV writes the header and the rows as CSV (RFC 4180, encoding/csv).
func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("report: writing CSV: %w", err)
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("report: writing CSV: %w", err)
	}
	return nil
}

// header returns the Dutch or the English column names.
func header(l *lang, nl, en []string) []string {
	if l.en() {
		return en
	}
	return nl
}

// csvTime writes a moment as RFC 3339 in its own zone; "" for the zero time.
func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// dateText writes a date as YYYY-MM-DD; "" for the zero date.
func dateText(d calendar.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func itoa(n int) string { return strconv.Itoa(n) }
