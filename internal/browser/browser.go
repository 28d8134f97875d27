// Package browser checks how a page lays out in a real browser, headless
// Chromium, as it would print on A4: which elements stick out past the
// page's edge, which text is cut off, which text of an inline SVG image
// falls outside the image's viewBox, what the page loads besides itself,
// and the text a reader sees, so that a test can compare it with the data
// the page was written from.
//
// It drives Chromium through the DevTools protocol over a pipe
// (--remote-debugging-pipe): no driver library and no network port. Each
// check opens the page from a file in a temporary folder in a tab of its
// own, with the print media type in force and the viewport as wide as the
// printed page's content (the paper less the margins of the page's @page
// rule), runs a script in the page (check.js) and reads its answer.
//
// Find looks for the browser; without one, Start and Check return an error
// wrapping ErrNoBrowser, for a test to skip on. On Debian: apt-get install
// chromium.
//
// Chromium runs with --no-sandbox (it refuses to start as root without it,
// and a container often has no user namespaces for it) and with every
// host name resolving to nothing and a proxy that does not answer: the
// pages checked are the project's own, read from files, and the browser
// reaches no network.
package browser

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// EnvPath names the environment variable that gives the browser's path;
// when it is set, Find looks nowhere else.
const EnvPath = "VASTSTELLING_CHROMIUM"

// EnvRequired names the environment variable that, set to "required",
// says the browser tests must run: a test that finds no browser then
// fails rather than skips (see Required). CI sets it.
const EnvRequired = "VASTSTELLING_BROWSER"

// Required says whether the environment requires the browser tests to run.
func Required() bool { return os.Getenv(EnvRequired) == "required" }

// Names are the commands Find looks for on the PATH, in this order.
var Names = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// ErrNoBrowser is wrapped by the error of Find, Start and Check when there
// is no Chromium to run.
var ErrNoBrowser = errors.New("browser: no headless Chromium found (apt-get install chromium, or set " + EnvPath + " to one)")

// ErrClosed is returned by a Browser's Check after Close.
var ErrClosed = errors.New("browser: closed")

// A4 is the width of A4 paper in CSS pixels (210 mm at 96 pixels an inch),
// and A4Height its height.
const (
	A4       = 793.7
	A4Height = 1122.5
)

// defaultMargin is the margin left and right when the page's @page rule
// gives none: Chromium's default when printing, 0.4 inch.
const defaultMargin = 0.4 * 96

//go:embed check.js
var checkJS string

//go:embed page.js
var pageJS string

// Find returns the path of a Chromium to run: the one in the environment
// variable VASTSTELLING_CHROMIUM if that is set, or else the first of Names
// found on the PATH. Its error wraps ErrNoBrowser.
func Find() (string, error) {
	if p := os.Getenv(EnvPath); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("%w: %s=%s: %w", ErrNoBrowser, EnvPath, p, err)
		}
		return path, nil
	}
	for _, name := range Names {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("%w: none of %s on the PATH", ErrNoBrowser, strings.Join(Names, ", "))
}

// Options say how to lay the page out. The zero value checks an HTML page
// printed on A4 as its own style sheets say.
type Options struct {
	// Width is the width of the viewport the page is laid out in, in CSS
	// pixels: the width of the printed page's content. Zero takes it from
	// the page's @page rule: the paper's width (A4 when the rule names
	// none) less its left and right margins (0.4 inch each when it names
	// none).
	Width float64
	// Height is the viewport's height; zero is A4's.
	Height float64
	// Screen lays the page out for the screen media type, not for print,
	// in a viewport as wide as A4 unless Width says otherwise.
	Screen bool
	// SVG says the page is an SVG image, not HTML.
	SVG bool
	// PDF prints the page to PDF as well, as Chromium's print would on the
	// paper of the page's @page rule (A4 when it names none), and counts
	// the pages in Report.Pages.
	PDF bool
}

// Box is a rectangle: in CSS pixels from the page's top left corner, or,
// for text in an SVG image, in the user units of the image's viewBox.
type Box struct {
	Left   float64 `json:"left"`
	Top    float64 `json:"top"`
	Right  float64 `json:"right"`
	Bottom float64 `json:"bottom"`
}

// An Element is an element the check found fault with.
type Element struct {
	// Path is a CSS selector for it, such as
	// "body > main > table.months > tbody > tr:nth-of-type(3) > td".
	Path string `json:"path"`
	// Text is the start of its text, white space collapsed.
	Text string `json:"text"`
	// Box is where it is and Limit what it should have stayed within: for
	// an element past the page's edge its box and the page; for cut-off
	// content the content's size and the box's; for SVG text its box and
	// the viewBox; for a broken word neither.
	Box   Box `json:"box"`
	Limit Box `json:"limit"`
	// Why says what is wrong, in words.
	Why string `json:"why"`
}

// String describes the element in a line: its path, text, what is wrong
// and, where there are any, its box and its limit (left..right ×
// top..bottom).
func (e Element) String() string {
	s := fmt.Sprintf("%s %q: %s", e.Path, e.Text, e.Why)
	if e.Box != (Box{}) || e.Limit != (Box{}) {
		s += fmt.Sprintf(" (box %g..%g × %g..%g, limit %g..%g × %g..%g)", e.Box.Left, e.Box.Right, e.Box.Top,
			e.Box.Bottom, e.Limit.Left, e.Limit.Right, e.Limit.Top, e.Limit.Bottom)
	}
	return s
}

// A Value is a value a page gives machines alongside its text for people:
// a <data value="…"> or a <time datetime="…">.
type Value struct {
	Tag   string `json:"tag"`   // data or time
	Value string `json:"value"` // its value or datetime attribute
	Text  string `json:"text"`  // its visible text, white space collapsed
}

// A Report is what the check found on one page.
type Report struct {
	// Width is the width of the page as laid out, in CSS pixels
	// (document.documentElement.clientWidth), and ScrollWidth the width of
	// its content: wider when something sticks out past the right edge.
	Width       float64 `json:"width"`
	ScrollWidth float64 `json:"scrollWidth"`
	// Overflowing has the elements whose box sticks out past the left or
	// right edge of the page: only the outermost of each nest.
	Overflowing []Element `json:"overflowing"`
	// Clipped has the elements whose content does not fit their box and is
	// cut off there: overflow hidden, clip, scroll or auto (a scroll box
	// prints only what is in view), text-overflow: ellipsis among them.
	Clipped []Element `json:"clipped"`
	// SVGText has the <text> elements of SVG images that reach outside
	// their image's viewBox (its viewport when it has none).
	SVGText []Element `json:"svgText"`
	// Broken has the words broken across lines elsewhere than after a
	// hyphen, a slash or a soft hyphen, as overflow-wrap: anywhere or
	// word-break does in a column too narrow for them: Text is the word
	// and Why where it broke. Legible, so no problem in Problems, but a
	// sign of a column too narrow for its words.
	Broken []Element `json:"broken"`
	// Resources has the URLs the page asked for besides itself (data:
	// URLs aside), found or not: a self-contained page has none.
	Resources []string `json:"resources"`
	// Values has the page's machine-readable values, <data value> and
	// <time datetime>, in document order, each with the text a reader
	// sees for it (empty when it is not rendered).
	Values []Value `json:"values"`
	// Text is the page's visible text (document.body.innerText; for an SVG
	// image the text of its <text> elements, one a line).
	Text string `json:"text"`
	// Pages is the number of pages of the PDF print, with Options.PDF.
	Pages int `json:"pages"`
}

// Problems lists what is wrong with the page, one line each: every
// element that sticks out, is cut off or falls outside its SVG image, and
// every resource it loaded. None means the page is fine.
func (r Report) Problems() []string {
	var out []string
	for _, e := range r.Overflowing {
		out = append(out, "overflowing: "+e.String())
	}
	for _, e := range r.Clipped {
		out = append(out, "clipped: "+e.String())
	}
	for _, e := range r.SVGText {
		out = append(out, "SVG text: "+e.String())
	}
	for _, u := range r.Resources {
		out = append(out, "loads "+u)
	}
	return out
}

// OK says whether the check found nothing wrong.
func (r Report) OK() bool { return len(r.Problems()) == 0 }

// Check starts Chromium, checks one page in it and stops it again. The
// context bounds it all: when it ends, Chromium is killed. To check many
// pages, Start one Browser and call its Check for each.
func Check(ctx context.Context, page []byte, opts Options) (Report, error) {
	b, err := Start(ctx)
	if err != nil {
		return Report{}, err
	}
	rep, err := b.Check(ctx, page, opts)
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	return rep, err
}

// A Browser is one running headless Chromium. Its methods may be called
// from several goroutines at once: each Check has a tab of its own.
type Browser struct {
	ctx    context.Context // Start's: the browser lives no longer
	cmd    *exec.Cmd
	conn   *conn
	dir    string     // the temporary folder: the profile and the pages
	pipes  []*os.File // our ends of the two pipes
	stderr *tail
	exited chan struct{} // closed when the process has been waited for
	pages  atomic.Int64

	closeOnce sync.Once
	closed    atomic.Bool
	closeErr  error
}

// Start starts a headless Chromium found by Find. It runs until Close, or
// until the context ends: then it is killed, and every call on it fails.
func Start(ctx context.Context) (*Browser, error) {
	path, err := Find()
	if err != nil {
		return nil, err
	}
	return start(ctx, path)
}

func start(ctx context.Context, path string) (b *Browser, err error) {
	dir, err := os.MkdirTemp("", "vaststelling-browser-")
	if err != nil {
		return nil, fmt.Errorf("browser: %w", err)
	}
	defer func() {
		if err != nil {
			_ = os.RemoveAll(dir)
		}
	}()
	// Chromium reads commands from its descriptor 3 and writes to its 4.
	cmdIn, toBrowser, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("browser: %w", err)
	}
	fromBrowser, cmdOut, err := os.Pipe()
	if err != nil {
		cmdIn.Close()
		toBrowser.Close()
		return nil, fmt.Errorf("browser: %w", err)
	}
	cmd := exec.CommandContext(ctx, path,
		"--headless",
		"--remote-debugging-pipe",
		"--user-data-dir="+filepath.Join(dir, "profile"),
		"--no-sandbox",
		"--disable-gpu",
		"--disable-dev-shm-usage",
		"--hide-scrollbars",
		"--mute-audio",
		"--no-first-run",
		"--no-default-browser-check",
		"--disable-extensions",
		"--disable-background-networking",
		"--disable-component-update",
		"--disable-default-apps",
		"--disable-sync",
		"--disable-domain-reliability",
		"--disable-client-side-phishing-detection",
		"--disable-breakpad",
		"--no-pings",
		"--host-resolver-rules=MAP * ~NOTFOUND",
		"--proxy-server=127.0.0.1:9",
		"--proxy-bypass-list=<-loopback>",
		"about:blank",
	)
	cmd.ExtraFiles = []*os.File{cmdIn, cmdOut}
	stderr := &tail{max: 8 << 10}
	cmd.Stderr = stderr
	ownGroup(cmd)
	cmd.Cancel = func() error { return killGroup(cmd) }
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Start()
	cmdIn.Close()
	cmdOut.Close()
	if err != nil {
		toBrowser.Close()
		fromBrowser.Close()
		return nil, fmt.Errorf("browser: starting %s: %w", path, err)
	}
	b = &Browser{ctx: ctx, cmd: cmd, dir: dir, pipes: []*os.File{toBrowser, fromBrowser}, stderr: stderr,
		exited: make(chan struct{})}
	b.conn = newConn(fromBrowser, toBrowser)
	go func() {
		_ = cmd.Wait()
		close(b.exited)
	}()
	var version struct {
		Product string `json:"product"`
	}
	if err := b.conn.call(ctx, "", "Browser.getVersion", nil, &version); err != nil {
		b.Close()
		return nil, b.failed(fmt.Errorf("browser: %s did not answer: %w", path, err))
	}
	return b, nil
}

// failed adds the end of Chromium's error output to an error of a browser
// that has stopped.
func (b *Browser) failed(err error) error {
	select {
	case <-b.exited:
	default:
		return err
	}
	if s := strings.TrimSpace(b.stderr.String()); s != "" {
		return fmt.Errorf("%w; it said:\n%s", err, s)
	}
	return err
}

// Close stops the browser: politely, or after a few seconds by killing it
// and what it started. It removes the temporary folder. Calling it again
// does nothing.
func (b *Browser) Close() error {
	b.closeOnce.Do(func() {
		b.closed.Store(true)
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		_ = b.conn.call(ctx, "", "Browser.close", nil, nil)
		cancel()
		select {
		case <-b.exited:
		case <-time.After(3 * time.Second):
		}
		_ = killGroup(b.cmd) // and any helper left behind
		<-b.exited
		for _, f := range b.pipes {
			f.Close()
		}
		<-b.conn.done
		b.closeErr = os.RemoveAll(b.dir)
	})
	return b.closeErr
}

// Check lays the page out in a new tab and reports what it finds there.
// When the context ends first, Check returns its error; the browser stays
// usable.
func (b *Browser) Check(ctx context.Context, page []byte, opts Options) (Report, error) {
	if b.closed.Load() {
		return Report{}, ErrClosed
	}
	ext := ".html"
	if opts.SVG {
		ext = ".svg"
	}
	file := filepath.Join(b.dir, fmt.Sprintf("page-%d%s", b.pages.Add(1), ext))
	if err := os.WriteFile(file, page, 0o600); err != nil {
		return Report{}, fmt.Errorf("browser: %w", err)
	}
	defer os.Remove(file)
	rep, err := b.check(ctx, (&url.URL{Scheme: "file", Path: filepath.ToSlash(file)}).String(), opts)
	switch {
	case err == nil:
		return rep, nil
	case ctx.Err() != nil:
		return Report{}, fmt.Errorf("browser: %w", ctx.Err())
	case b.ctx.Err() != nil:
		return Report{}, fmt.Errorf("browser: killed: %w", b.ctx.Err())
	case b.closed.Load():
		return Report{}, fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return Report{}, b.failed(fmt.Errorf("browser: %w", err))
}

// tab is one attached tab.
type tab struct {
	c        *conn
	session  string
	events   chan incoming
	requests []string // the URLs the page asked for, in order
}

func (t *tab) call(ctx context.Context, method string, params, result any) error {
	return t.c.call(ctx, t.session, method, params, result)
}

// evaluate runs a script in the page, awaiting the promise it returns, and
// decodes the value into result.
func (t *tab) evaluate(ctx context.Context, script string, result any) error {
	var answer struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	err := t.call(ctx, "Runtime.evaluate", map[string]any{"expression": script, "awaitPromise": true,
		"returnByValue": true}, &answer)
	if err != nil {
		return err
	}
	if x := answer.ExceptionDetails; x != nil {
		if x.Exception.Description != "" {
			return fmt.Errorf("the script failed: %s", x.Exception.Description)
		}
		return fmt.Errorf("the script failed: %s", x.Text)
	}
	return json.Unmarshal(answer.Result.Value, result)
}

// wait waits for the tab's event of that method, handling the others
// meanwhile.
func (t *tab) wait(ctx context.Context, method string) error {
	for {
		select {
		case m := <-t.events:
			if m.Method == method {
				return nil
			}
			if err := t.handle(m); err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		case <-t.c.done:
			return t.c.stopped()
		}
	}
}

// drain handles the events that have come in.
func (t *tab) drain() error {
	for {
		select {
		case m := <-t.events:
			if err := t.handle(m); err != nil {
				return err
			}
		default:
			return nil
		}
	}
}

// handle notes the requests the page makes, answers the dialogs it opens
// (alert, confirm), which would hold it up, and fails when it crashes.
func (t *tab) handle(m incoming) error {
	switch m.Method {
	case "Network.requestWillBeSent":
		var p struct {
			Request struct {
				URL string `json:"url"`
			} `json:"request"`
		}
		if json.Unmarshal(m.Params, &p) == nil {
			t.requests = append(t.requests, p.Request.URL)
		}
	case "Page.javascriptDialogOpening":
		_, _ = t.c.send(t.session, "Page.handleJavaScriptDialog", map[string]any{"accept": true}, nil)
	case "Inspector.targetCrashed":
		return errors.New("the page crashed")
	}
	return nil
}

func (b *Browser) check(ctx context.Context, pageURL string, opts Options) (rep Report, err error) {
	var target struct {
		TargetID string `json:"targetId"`
	}
	if err := b.conn.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		return rep, err
	}
	defer func() {
		// The tab goes, whatever happened; not waited for when the context
		// has ended, and gone with the browser at the latest.
		_, _ = b.conn.send("", "Target.closeTarget", map[string]any{"targetId": target.TargetID}, nil)
	}()
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.conn.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID,
		"flatten": true}, &attached); err != nil {
		return rep, err
	}
	t := &tab{c: b.conn, session: attached.SessionID, events: b.conn.listen(attached.SessionID)}
	defer b.conn.unlisten(t.session)

	height := opts.Height
	if height <= 0 {
		height = A4Height
	}
	width := opts.Width
	switch {
	case width > 0:
	case opts.Screen:
		width = A4
	default:
		width = A4 - 2*defaultMargin // until the page's @page rule says otherwise
	}
	viewport := func(width float64) error {
		return t.call(ctx, "Emulation.setDeviceMetricsOverride", map[string]any{"width": int(width + 0.5),
			"height": int(height + 0.5), "deviceScaleFactor": 1, "mobile": false}, nil)
	}
	media := "print"
	if opts.Screen {
		media = "screen"
	}
	for _, domain := range []string{"Page.enable", "Network.enable"} {
		if err := t.call(ctx, domain, nil, nil); err != nil {
			return rep, err
		}
	}
	if err := viewport(width); err != nil {
		return rep, err
	}
	if err := t.call(ctx, "Emulation.setEmulatedMedia", map[string]any{"media": media}, nil); err != nil {
		return rep, err
	}
	var nav struct {
		ErrorText string `json:"errorText"`
	}
	if err := t.call(ctx, "Page.navigate", map[string]any{"url": pageURL}, &nav); err != nil {
		return rep, err
	}
	if nav.ErrorText != "" {
		return rep, fmt.Errorf("loading %s: %s", pageURL, nav.ErrorText)
	}
	if err := t.wait(ctx, "Page.loadEventFired"); err != nil {
		return rep, fmt.Errorf("loading %s: %w", pageURL, err)
	}

	if opts.Width <= 0 && !opts.Screen {
		var rule struct {
			Paper, Left, Right *float64
		}
		if err := t.evaluate(ctx, pageJS, &rule); err != nil {
			return rep, fmt.Errorf("reading the @page rule: %w", err)
		}
		w := value(rule.Paper, A4) - value(rule.Left, defaultMargin) - value(rule.Right, defaultMargin)
		if w >= 1 && w != width {
			if err := viewport(w); err != nil {
				return rep, err
			}
		}
	}
	if err := t.evaluate(ctx, checkJS, &rep); err != nil {
		return rep, fmt.Errorf("checking the layout: %w", err)
	}
	if err := t.drain(); err != nil {
		return rep, err
	}
	for _, u := range t.requests {
		if u != pageURL && !strings.HasPrefix(u, "data:") && !slices.Contains(rep.Resources, u) {
			rep.Resources = append(rep.Resources, u)
		}
	}

	if opts.PDF {
		var pdf struct {
			Data string `json:"data"`
		}
		if err := t.call(ctx, "Page.printToPDF", map[string]any{"printBackground": true, "preferCSSPageSize": true,
			"paperWidth": 210 / 25.4, "paperHeight": 297 / 25.4}, &pdf); err != nil {
			return rep, err
		}
		doc, err := base64.StdEncoding.DecodeString(pdf.Data)
		if err != nil {
			return rep, fmt.Errorf("reading the PDF: %w", err)
		}
		rep.Pages = Pages(doc)
	}
	return rep, nil
}

func value(p *float64, otherwise float64) float64 {
	if p == nil {
		return otherwise
	}
	return *p
}

var pageObject = regexp.MustCompile(`/Type\s*/Page\b`)

// Pages counts the pages of a PDF as Chromium writes it: the objects of
// type Page (its page objects are not compressed into object streams).
func Pages(pdf []byte) int { return len(pageObject.FindAll(pdf, -1)) }

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if i := bytes.IndexByte(t.b, '\n'); i >= 0 && len(t.b) == t.max {
		return string(t.b[i+1:]) // from a whole line on
	}
	return string(t.b)
}
