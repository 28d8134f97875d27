package result

import (
	"testing"
	"time"
)

// BenchmarkDecide measures deciding one command, the checks and the
// timeline included, for the commands that do the most work.
func BenchmarkDecide(b *testing.B) {
	base := provisional(b)
	registered := *base
	received := Result{}
	do(b, &received, system, at(b, "2027-02-05", 9), Command{Action: Receive, Record: record(b)})
	cases := []struct {
		name  string
		r     *Result
		actor Actor
		now   time.Time
		cmd   Command
	}{
		{"receive", &Result{}, system, at(b, "2027-02-05", 9), Command{Action: Receive, Record: record(b)}},
		{"register", &received, system, at(b, "2027-02-05", 9), Command{Action: Register}},
		{"lodge_complaint", &registered, student, at(b, "2027-02-10", 9), Command{Action: LodgeComplaint}},
		{"determine_under_mandate", &registered, admin, at(b, "2027-03-01", 9), Command{Action: Determine}},
		{"determine_refused", &registered, admin, at(b, "2027-02-10", 9), Command{Action: Determine}},
	}
	for _, tc := range cases {
		c := ctx(b, tc.actor, tc.now)
		if _, err := Decide(tc.r, tc.cmd, c); err != nil && tc.name != "determine_refused" {
			b.Fatal(err)
		}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = Decide(tc.r, tc.cmd, c)
			}
		})
	}
}

// BenchmarkReplay folds a result's whole life, 10 events, and reports the
// time per event.
func BenchmarkReplay(b *testing.B) {
	r := &Result{}
	var trail []Event
	step := func(actor Actor, when string, cmd Command) {
		trail = append(trail, do(b, r, actor, at(b, when, 9), cmd)...)
	}
	rec := record(b)
	rec.Exam = at(b, "2027-04-12", 10)
	step(system, "2027-05-10", Command{Action: Receive, Record: rec})
	step(system, "2027-05-10", Command{Action: Register})
	step(student, "2027-05-12", Command{Action: LodgeComplaint})
	step(committee, "2027-05-14", Command{Action: DecideComplaint, Outcome: Upheld, Reason: "r", Grade: grade(b, "5.8")})
	step(committee, "2027-05-14", Command{Action: ResolveException, ExceptionID: 1, Outcome: Approved, Reason: "ok"})
	step(admin, "2027-06-15", Command{Action: Determine})
	step(student, "2027-06-20", Command{Action: LodgeAppeal})
	step(board, "2027-07-10", Command{Action: DecideAppeal, Outcome: NotUpheld, Reason: "r"})
	step(admin, "2027-07-11", Command{Action: RaiseException, Exception: EnrolmentEnded})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Replay(trail); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(trail)), "ns/event")
}
