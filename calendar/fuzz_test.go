package calendar

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// FuzzParseConfig feeds arbitrary text to the JSON reader: it must never
// panic, every failure must be a ConfigError, and every definition it
// accepts and builds must survive a round trip through MarshalJSON.
func FuzzParseConfig(f *testing.F) {
	example, err := os.ReadFile("testdata/voorbeeld.json")
	require.NoError(f, err)
	f.Add(example)
	for _, s := range []string{
		`{}`, `{"holidays": []}`, `{"without": ["goede_vrijdag", "bevrijdingsdag"]}`,
		`{"workdays": ["maandag", "zaterdag"], "day_ends": "24:00", "first_year": 2020, "last_year": 2021}`,
		`{"closures": [{"name": "K", "from": "2027-01-01", "to": "2026-12-21"}]}`,
		`{"open_days": [{"date": "2027-04-27", "name": "x"}]}`, `{"name": 1}`, `[`, `{} x`,
		`{"decree_days": []}`, `{"decree_days": [{"date": "2027-05-07", "name": "V", "decree": "B"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig(data)
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) || !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("ParseConfig error is no ConfigError: %v", err)
			}
			return
		}
		c, err := New(cfg)
		if err != nil {
			if !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("New error is no ConfigError: %v", err)
			}
			return
		}
		out, err := json.Marshal(c.Config())
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		back, err := ParseConfig(out)
		if err != nil {
			t.Fatalf("re-reading %s: %v", out, err)
		}
		again, err := New(back)
		if err != nil {
			t.Fatalf("rebuilding %s: %v", out, err)
		}
		if !equalTables(c, again) {
			t.Fatalf("round trip through %s changed the calendar", out)
		}
	})
}

func equalTables(a, b *Calendar) bool {
	if a.base != b.base || len(a.before) != len(b.before) {
		return false
	}
	for i := range a.before {
		if a.before[i] != b.before[i] {
			return false
		}
	}
	for i := range a.termEnd {
		if a.termEnd[i] != b.termEnd[i] {
			return false
		}
	}
	return a.cfg.DayEnds == b.cfg.DayEnds && a.cfg.Location.String() == b.cfg.Location.String()
}

// FuzzArithmetic checks the counting properties for any day and count, on
// the national calendar and on one with closures and an open Saturday.
func FuzzArithmetic(f *testing.F) {
	f.Add(int64(20805), 10, false) // 2026-12-18
	f.Add(int64(20835), -30, true)
	f.Add(int64(10957), -1, false) // 2000-01-01
	f.Add(int64(47846), 1, false)  // 2100-12-31
	f.Add(int64(0), 0, true)
	busy, err := LoadFile("testdata/voorbeeld.json")
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, ord int64, n int, useBusy bool) {
		c := Default()
		if useBusy {
			c = busy
		}
		d := dateFromOrdinal(ord % 200000)
		got, err := c.AddWorkdays(d, n)
		if err != nil {
			if !errors.Is(err, ErrOutOfRange) {
				t.Fatalf("%s %+d: %v", d, n, err)
			}
			first, last := c.Years()
			if d.Year > first && d.Year < last && n > -60 && n < 60 {
				t.Fatalf("%s %+d: in range but %v", d, n, err)
			}
			return
		}
		between, err := c.WorkdaysBetween(d, got)
		if err != nil || between != n {
			t.Fatalf("%s %+d = %s, but counted back %d (%v)", d, n, got, between, err)
		}
		if n != 0 {
			if work, _ := c.IsWorkday(got); !work {
				t.Fatalf("%s %+d = %s, no working day", d, n, got)
			}
			if (n > 0) != got.After(d) {
				t.Fatalf("%s %+d = %s, wrong direction", d, n, got)
			}
		}
		if dl, err := c.Deadline(d, n); err != nil || c.Date(dl.Add(-time.Nanosecond)) != got {
			t.Fatalf("%s %+d: deadline %v does not end %s (%v)", d, n, dl, got, err)
		}
	})
}
