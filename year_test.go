package vaststelling_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/krs-oke/vaststelling"
	"github.com/krs-oke/vaststelling/audit"
	"github.com/krs-oke/vaststelling/audit/filestore"
	"github.com/krs-oke/vaststelling/calendar"
	"github.com/krs-oke/vaststelling/result"
	"github.com/krs-oke/vaststelling/result/oke"
	"github.com/krs-oke/vaststelling/timeline"
)

// An institution's school year, for the scale benchmark and its test:
// n results in weekly exam sessions from September to June, each result
// delivered as OKE does it (the attendance on the exam day, the score
// within the assessment term), its student told, a few complaints and
// irregularities decided by the committee, every result determined by the
// daily run under the standing mandate, the trail kept in a filestore and
// verified against a signed checkpoint at the end.
const (
	yearSessions   = 40  // weekly exam sessions
	yearComponents = 200 // exam components
	yearWorkers    = 32  // actors working at once
	complaintEvery = 100 // one result in complaintEvery gets a complaint
	upheldEvery    = 400 // of which one in four is upheld with a new grade
	irregularEvery = 200 // one result in irregularEvery has an irregularity in its delivery
)

// krs stands in for the KRS's database: it derives enrolment i from its
// id, as a query on the KRS's tables returns it, so that the benchmark
// measures the library and not a map of a million enrolments that no KRS
// keeps in memory (oke.Memory is for tests and small installations).
type krs struct {
	n, perSession int
	components    map[string]oke.Component
	codes         []string
	offerings     [][]string // by session and component
	teams         []string
	programmes    []string
}

func newKRS(n int) *krs {
	k := &krs{n: n, perSession: (n + yearSessions - 1) / yearSessions, components: map[string]oke.Component{}}
	for c := range yearComponents {
		code := fmt.Sprintf("C%03d", c)
		k.codes = append(k.codes, code)
		k.components[code] = oke.Component{Code: code, Scale: result.Decimal0To10}
	}
	for s := range yearSessions {
		var row []string
		for _, code := range k.codes {
			row = append(row, fmt.Sprintf("%s-w%02d", code, s))
		}
		k.offerings = append(k.offerings, row)
	}
	for t := range 10 {
		k.teams = append(k.teams, fmt.Sprintf("team-%d", t))
	}
	for p := range 25 {
		k.programmes = append(k.programmes, fmt.Sprintf("P%02d", p))
	}
	return k
}

func yearID(i int) string { return fmt.Sprintf("y%07d", i) }

func (k *krs) index(id string) (int, bool) {
	if len(id) != 8 || id[0] != 'y' {
		return 0, false
	}
	i, err := strconv.Atoi(id[1:])
	return i, err == nil && i >= 0 && i < k.n
}

func (k *krs) Association(id string) (oke.Association, bool) {
	i, ok := k.index(id)
	if !ok {
		return oke.Association{}, false
	}
	c := i % yearComponents
	return oke.Association{ID: id, Student: "s" + strconv.Itoa(i/40), Offering: k.offerings[i/k.perSession][c],
		Component: k.codes[c], Programme: k.programmes[c%25], Crebo: "25180", Team: k.teams[c%10],
		Attempt: 1, State: "associated"}, true
}

func (k *krs) Component(code string) (oke.Component, bool) {
	c, ok := k.components[code]
	return c, ok
}

// message appends result i's OKE message to the slab: the attendance, or
// with the score.
func (y *year) message(slab []byte, i int, withScore bool) ([]byte, oke.Delivery) {
	id := yearID(i)
	exam := y.exam[i/y.krs.perSession]
	start := len(slab)
	b := slab
	b = append(b, `{"associationType":"componentOfferingAssociation","consumers":[{"consumerKey":"nl-test-admin","orgAssociationId":"`...)
	b = append(b, id...)
	b = append(b, `","attempt":1}],"result":{"state":"`...)
	if withScore {
		score := 10 + (i*37)%90 // 1.0 … 9.9
		b = append(b, `completed","score":"`...)
		b = strconv.AppendInt(b, int64(score/10), 10)
		b = append(b, '.')
		b = strconv.AppendInt(b, int64(score%10), 10)
		b = append(b, '"')
	} else {
		b = append(b, `in progress"`...)
	}
	b = append(b, `,"resultDate":"`...)
	b = append(b, exam.Format(time.DateOnly)...)
	b = append(b, `","weight":100,"consumers":[{"consumerKey":"nl-test-admin","attendance":"present","executedOfferingName":"v1","assessorCode":"A`...)
	b = strconv.AppendInt(b, int64(i%500), 10)
	b = append(b, `","testDate":"`...)
	b = exam.AppendFormat(b, time.RFC3339)
	if withScore && i%irregularEvery == irregularEvery/2 {
		b = append(b, `","irregularities":"the student left the room without permission`...)
	}
	b = append(b, `"}]}}`...)
	return b, oke.Delivery{Method: oke.Patch, AssociationID: id, Body: b[start:len(b):len(b)]}
}

// A year is the office and its fixture.
type year struct {
	krs   *krs
	cal   *calendar.Calendar
	exam  []time.Time // each session's exam, 11:00 on its day
	store audit.Store
	shut  func() error // lets go of the store
	trail *audit.Log
	o     *vaststelling.Office

	// work by day: deliveries (attendance and score batches) and commands
	deliveries map[calendar.Date][][2]int // the results [first, end) whose attendance comes that day
	scores     map[calendar.Date][][2]int // and whose scores
	commands   map[calendar.Date][]command
	first      calendar.Date
	last       calendar.Date

	pause, resume func() // around the fixture's own work, when set
	slab          []byte // the bodies of a batch of messages

	// what it did
	deliveryCount, determined, notified, commandCount int
	events                                            int64
	checkpoint                                        audit.Checkpoint
}

type command struct {
	id    string
	cmd   result.Command
	actor result.Actor
	at    time.Time
}

var yearStanding = result.Actor{ID: "examenbureau-robot", Role: timeline.ExamAdministration, Teams: []string{"examenbureau"}}

// newYear wires an office over n results with its trail in dir.
func newYear(n int, dir string) (*year, error) { return newYearOn(n, dir, nil) }

// newYearOn is newYear with the trail in store, or in a filestore in dir
// when store is nil.
func newYearOn(n int, dir string, store audit.Store) (*year, error) {
	cal := calendar.Default()
	y := &year{krs: newKRS(n), cal: cal, deliveries: map[calendar.Date][][2]int{},
		scores: map[calendar.Date][][2]int{}, commands: map[calendar.Date][]command{}}
	start, _ := calendar.ParseDate("2026-09-07")
	for s := range yearSessions {
		d := start.AddDays(7 * s)
		if ok, _ := cal.IsWorkday(d); !ok {
			d, _ = cal.NextWorkday(d)
		}
		y.exam = append(y.exam, time.Date(d.Year, d.Month, d.Day, 11, 0, 0, 0, cal.Location()))
	}
	if err := y.plan(n); err != nil {
		return nil, err
	}
	y.store, y.shut = store, func() error { return nil }
	if store == nil {
		fs, err := filestore.Open(dir)
		if err != nil {
			return nil, err
		}
		y.store, y.shut = fs, fs.Close
	}
	var err error
	if y.trail, err = audit.NewLog(y.store); err != nil {
		return nil, err
	}
	mandates, err := result.NewMandateSet(result.Mandate{ID: "M-2026-standing", GrantedBy: "examencommissie",
		To: "examenbureau", Actions: []result.Action{result.Determine}, Scope: result.Scope{All: true},
		From: time.Date(2026, 8, 1, 0, 0, 0, 0, cal.Location())})
	if err != nil {
		return nil, err
	}
	y.o, err = vaststelling.New(vaststelling.Config{Calendar: cal, Policies: timeline.DefaultPolicies(),
		Directory: y.krs, Mandates: mandates, Log: y.trail, Settings: settings, Standing: yearStanding,
		Notifier: discard{}})
	return y, err
}

// discard sends nowhere: the notices are built, and counted by the run.
type discard struct{}

func (discard) Send(context.Context, vaststelling.Notice) error { return nil }

// plan lays the year's deliveries and commands out by day: a session's
// attendance on its exam day, its scores in five batches over the next
// five working days, a complaint the working day after the score and its
// decision three working days later, an irregularity resolved two
// working days after the score.
func (y *year) plan(n int) error {
	per := y.krs.perSession
	committee := result.Actor{ID: "ec-voorzitter", Role: timeline.ExamCommittee}
	ten, err := result.ParseGrade(result.Decimal0To10, "10.0")
	if err != nil {
		return err
	}
	for s := range yearSessions {
		lo, hi := min(s*per, n), min((s+1)*per, n)
		if lo == hi {
			continue
		}
		exam := y.cal.Date(y.exam[s])
		y.deliveries[exam] = append(y.deliveries[exam], [2]int{lo, hi})
		for part := range 5 {
			day, err := y.cal.AddWorkdays(exam, part+1)
			if err != nil {
				return err
			}
			a, b := lo+(hi-lo)*part/5, lo+(hi-lo)*(part+1)/5
			y.scores[day] = append(y.scores[day], [2]int{a, b})
			for i := a; i < b; i++ {
				id := yearID(i)
				if i%complaintEvery == complaintEvery/2+3 {
					lodge, _ := y.cal.AddWorkdays(day, 1)
					decide, _ := y.cal.AddWorkdays(day, 4)
					student := result.Actor{ID: "s" + strconv.Itoa(i/40), Role: timeline.Student}
					y.commands[lodge] = append(y.commands[lodge], command{id, result.Command{Action: result.LodgeComplaint}, student, at(lodge, 10)})
					decision := result.Command{Action: result.DecideComplaint, Outcome: result.NotUpheld, Reason: "marked as the model says"}
					if i%upheldEvery == complaintEvery/2+3 {
						decision = result.Command{Action: result.DecideComplaint, Outcome: result.Upheld, Reason: "marked too strictly",
							Grade: ten}
					}
					y.commands[decide] = append(y.commands[decide], command{id, decision, committee, at(decide, 11)})
				}
				if i%irregularEvery == irregularEvery/2 {
					resolve, _ := y.cal.AddWorkdays(day, 2)
					y.commands[resolve] = append(y.commands[resolve], command{id, result.Command{Action: result.ResolveException,
						ExceptionID: 1, Outcome: result.Resolved, Reason: "heard the invigilator: no influence on the result"},
						committee, at(resolve, 9)})
				}
			}
		}
	}
	y.first = y.cal.Date(y.exam[0])
	y.last, _ = calendar.ParseDate("2027-08-31")
	return nil
}

func at(d calendar.Date, hour int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, 0, 0, 0, calendar.Default().Location())
}

// run goes through the year day by day.
func (y *year) run(ctx context.Context) error {
	for d := y.first; !d.After(y.last); d = d.AddDays(1) {
		for _, r := range y.deliveries[d] {
			if err := y.deliver(ctx, r, false, at(d, 17)); err != nil {
				return err
			}
		}
		for _, r := range y.scores[d] {
			if err := y.deliver(ctx, r, true, at(d, 8)); err != nil {
				return err
			}
		}
		if err := y.act(ctx, y.commands[d]); err != nil {
			return err
		}
		rep, err := y.o.DailyRun(ctx, at(d, 18))
		if err != nil {
			return err
		}
		y.determined += len(rep.Determined)
		y.notified += len(rep.Notified)
		if len(rep.Blocked) > 0 {
			return fmt.Errorf("%s: %d blocked, the first %s: %v", d, len(rep.Blocked), rep.Blocked[0].Result, rep.Blocked[0].Reasons())
		}
	}
	return nil
}

// deliver takes results [r[0], r[1]) in, in batches as the coupling sends
// them. Writing the messages is the fixture's work, not the office's: it
// is left out of the time (pause and resume, when set).
func (y *year) deliver(ctx context.Context, r [2]int, withScore bool, now time.Time) error {
	const batch = 2000
	ds := make([]oke.Delivery, 0, batch)
	for lo := r[0]; lo < r[1]; lo += batch {
		if y.pause != nil {
			y.pause()
		}
		ds = ds[:0]
		// The bodies in one buffer, reused from batch to batch as a
		// coupling reuses its read buffer: nothing of a delivery outlives
		// DeliverBatch here (the delivery log writes it out at once), and
		// a year of fresh buffers, the fixture's, would have the collector
		// work for it in the office's time.
		slab := y.slab[:0]
		for i := lo; i < min(lo+batch, r[1]); i++ {
			var d oke.Delivery
			slab, d = y.message(slab, i, withScore)
			ds = append(ds, d)
		}
		y.slab = slab
		if y.resume != nil {
			y.resume()
		}
		rep, err := y.o.DeliverBatch(ctx, ds, now)
		if err != nil {
			return err
		}
		y.deliveryCount += len(ds)
		if rep.Counts[oke.Rejected] > 0 {
			for _, rc := range rep.Receipts {
				if rc.Outcome == oke.Rejected {
					return fmt.Errorf("delivery %s rejected: %v", rc.AssociationID, rc.Reasons)
				}
			}
		}
	}
	return nil
}

// act has the day's actors take their commands at once, as people behind
// their screens do; their appends to the trail share syncs.
func (y *year) act(ctx context.Context, cmds []command) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(cmds))
	work := make(chan command)
	for range min(yearWorkers, len(cmds)) {
		wg.Go(func() {
			for c := range work {
				if _, err := y.o.Do(ctx, c.id, c.cmd, c.actor, c.at); err != nil {
					errs <- err
				}
			}
		})
	}
	for _, c := range cmds {
		work <- c
	}
	close(work)
	wg.Wait()
	close(errs)
	y.commandCount += len(cmds)
	return <-errs // nil when none failed
}

// verify signs a checkpoint of the trail and verifies the whole trail
// against it, read back from the files.
func (y *year) verify(ctx context.Context) (audit.Report, error) {
	c, err := y.trail.Checkpoint(ctx, "roc-voorbeeld.nl/examens", at(y.last, 20))
	if err != nil {
		return audit.Report{}, err
	}
	y.checkpoint = c
	rep, err := audit.Verify(ctx, y.store, &c)
	y.events = rep.Size
	return rep, err
}

func (y *year) close() error {
	return y.shut()
}
