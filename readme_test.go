package vaststelling_test

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// readmeCovered are the commands README.md shows in its ```sh blocks that
// TestReadme does not run, each with the tests that cover it instead.
// A command README.md shows is either run or listed here.
var readmeCovered = map[string]string{
	"go run ./examples/lifecycle": "examples/lifecycle's tests run the term",
	"go test ./...":               "is the test run itself",
	"go test -run '^$' -bench InstitutionYear -benchtime 1x -cpu 1 .": "the benchmark of a year; " +
		"TestInstitutionYear runs a small year",
	"go test -run '^$' -bench InstitutionYear -benchtime 1x -cpu 1 . -year.results 100000": "the same",
}

// readmeCommand is a command README.md shows, with what its comment lines
// say it prints.
type readmeCommand struct {
	line  int    // in README.md, 1-based
	text  string // the command as shown, its trailing comment cut off
	claim string // the comment lines under it, joined; "" when none
}

// readmeCommands returns the commands of the ```sh blocks of a README: in
// a block, a line starting with "#" says what the command above it prints,
// every other line that is not blank is a command.
func readmeCommands(t *testing.T, readme string) []readmeCommand {
	t.Helper()
	var cmds []readmeCommand
	in := false
	blockStart := 0 // the index in cmds of the block's first command
	sc := bufio.NewScanner(strings.NewReader(readme))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case !in:
			in = line == "```sh"
			blockStart = len(cmds)
		case line == "```":
			in = false
		case line == "":
		case strings.HasPrefix(line, "#"):
			if len(cmds) == blockStart {
				t.Fatalf("README.md:%d: a comment line under no command", n)
			}
			c := &cmds[len(cmds)-1]
			c.claim += strings.TrimSpace(strings.TrimPrefix(line, "#")) + " "
		default:
			text, _, _ := strings.Cut(line, " #") // a comment after the command
			cmds = append(cmds, readmeCommand{line: n, text: strings.TrimSpace(text)})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cmds
}

// withoutSpace removes all white space from s, so that a claim written on
// one line of JSON matches output indented over many.
func withoutSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// claimMissing returns the first part of claim that out does not hold, or
// "" when it holds them all. The parts are the claim's pieces between "…",
// and must occur in out in their order, white space aside.
func claimMissing(claim, out string) string {
	rest := withoutSpace(out)
	for _, part := range strings.Split(withoutSpace(claim), "…") {
		i := strings.Index(rest, part)
		if i < 0 {
			return part
		}
		rest = rest[i+len(part):]
	}
	return ""
}

// TestClaimMissing pins how a README's claim is matched.
func TestClaimMissing(t *testing.T) {
	out := "{\n  \"a\": 1,\n  \"b\": [\n    \"x y\"\n  ],\n  \"c\": true\n}\n"
	for claim, missing := range map[string]string{
		`{"a": 1, "b": ["x y"], "c": true}`: "",
		`{"a": 1, …, "c": true}`:            "",
		`… "c": true}`:                      "",
		`{"b": …}`:                          `{"b":`,
		`"c": true … "a": 1`:                `"a":1`,
		`"b": ["xy"]`:                       "",
		`"d"`:                               `"d"`,
	} {
		if got := claimMissing(claim, out); got != missing {
			t.Errorf("claimMissing(%q) = %q, want %q", claim, got, missing)
		}
	}
}

// TestReadme runs each command README.md shows in a ```sh block, as a
// newcomer would from the repository root, and checks that it prints what
// the comment lines under it say: their parts between "…" occur in its
// standard output in that order, white space aside. The commands are
// `go run ./examples/NAME ARGS`, each example built once; the others are
// in readmeCovered, covered elsewhere.
func TestReadme(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the example commands")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	cmds := readmeCommands(t, string(readme))

	type run struct {
		readmeCommand
		example string // the directory of the command, ./examples/NAME
		args    []string
	}
	var runs []run
	var pkgs []string
	built := map[string]bool{}
	for _, c := range cmds {
		if _, ok := readmeCovered[c.text]; ok {
			continue
		}
		fields := strings.Fields(c.text)
		if len(fields) < 3 || fields[0] != "go" || fields[1] != "run" || !strings.HasPrefix(fields[2], "./examples/") {
			t.Errorf("README.md:%d: %q: TestReadme runs only go run ./examples/…; list it in readmeCovered "+
				"with what covers it instead", c.line, c.text)
			continue
		}
		if strings.ContainsAny(c.text, `'"$\|<>;&*?`) {
			t.Errorf("README.md:%d: %q: quoting and shell syntax are not for TestReadme", c.line, c.text)
			continue
		}
		if c.claim == "" {
			t.Errorf("README.md:%d: %q: no comment line under it says what it prints", c.line, c.text)
			continue
		}
		if !built[fields[2]] {
			built[fields[2]] = true
			pkgs = append(pkgs, fields[2])
		}
		runs = append(runs, run{readmeCommand: c, example: fields[2], args: fields[3:]})
	}
	if len(runs) == 0 {
		t.Fatal("README.md shows no command to run")
	}

	bin := t.TempDir()
	build := exec.CommandContext(t.Context(), goTool, append([]string{"build", "-o", bin + string(filepath.Separator)}, pkgs...)...)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", strings.Join(pkgs, " "), err, out)
	}

	for _, r := range runs {
		t.Run(path.Base(r.example), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			cmd := exec.CommandContext(t.Context(), filepath.Join(bin, path.Base(r.example)), r.args...)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if err != nil && !errors.As(err, &exit) {
				t.Fatalf("README.md:%d: %s: %v", r.line, r.text, err)
			}
			if missing := claimMissing(r.claim, stdout.String()); missing != "" {
				t.Errorf("README.md:%d: %s\nprints no %s\nwhere README.md says it prints\n%s\nit printed (%v):\n%s%s",
					r.line, r.text, missing, r.claim, cmd.ProcessState, stdout.String(), stderr.String())
			}
		})
	}
}
