package audit

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// A Checkpoint commits to the log as it was: its size, its tree hash, and
// the moment. Its text form, which note signs, is four lines:
//
//	vaststelling audit checkpoint <origin>
//	<size>
//	<tree hash, base64>
//	<time, RFC 3339 UTC>
//
// The origin names the log, for example the institution's trail.
type Checkpoint struct {
	Origin string
	Size   int64
	Root   tlog.Hash
	Time   time.Time
}

const checkpointPrefix = "vaststelling audit checkpoint "

// Checkpoint returns the checkpoint of the log as it is now, at the
// moment now (passed in: the log reads no clock).
func (l *Log) Checkpoint(ctx context.Context, origin string, now time.Time) (Checkpoint, error) {
	size, err := l.store.Size(ctx)
	if err != nil {
		return Checkpoint{}, err
	}
	root, err := l.Root(ctx, size)
	if err != nil {
		return Checkpoint{}, err
	}
	return Checkpoint{Origin: origin, Size: size, Root: root, Time: now.UTC()}, nil
}

// Text returns the checkpoint's text form.
func (c Checkpoint) Text() []byte {
	return []byte(checkpointPrefix + c.Origin + "\n" + strconv.FormatInt(c.Size, 10) + "\n" +
		base64.StdEncoding.EncodeToString(c.Root[:]) + "\n" + c.Time.UTC().Format(time.RFC3339Nano) + "\n")
}

// ParseCheckpoint reads a checkpoint's text form, strictly.
func ParseCheckpoint(text []byte) (Checkpoint, error) {
	bad := func(what string) (Checkpoint, error) {
		return Checkpoint{}, fmt.Errorf("audit: %w: %s", ErrCheckpoint, what)
	}
	lines := strings.Split(string(text), "\n")
	if len(lines) != 5 || lines[4] != "" {
		return bad("want four lines, each ending in a newline")
	}
	origin, ok := strings.CutPrefix(lines[0], checkpointPrefix)
	if !ok || origin == "" || strings.ContainsAny(origin, "\r\t") {
		return bad("the first line must be " + strconv.Quote(checkpointPrefix+"<origin>"))
	}
	var c Checkpoint
	c.Origin = origin
	var err error
	if c.Size, err = strconv.ParseInt(lines[1], 10, 64); err != nil || c.Size < 0 {
		return bad("size " + strconv.Quote(lines[1]))
	}
	h, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(h) != tlog.HashSize {
		return bad("tree hash " + strconv.Quote(lines[2]))
	}
	copy(c.Root[:], h)
	if c.Time, err = time.Parse(time.RFC3339Nano, lines[3]); err != nil {
		return bad("time " + strconv.Quote(lines[3]))
	}
	if string(c.Text()) != string(text) {
		return bad("not in canonical form")
	}
	return c, nil
}

// Sign returns the checkpoint as a signed note. The caller holds the key.
func (c Checkpoint) Sign(signers ...note.Signer) ([]byte, error) {
	msg, err := note.Sign(&note.Note{Text: string(c.Text())}, signers...)
	if err != nil {
		return nil, fmt.Errorf("audit: signing checkpoint: %w", err)
	}
	return msg, nil
}

// OpenCheckpoint verifies a signed checkpoint with the verifiers, and
// reads it. A signature that does not verify, or by an unknown key, is an
// error matching ErrCheckpoint.
func OpenCheckpoint(msg []byte, verifiers note.Verifiers) (Checkpoint, error) {
	n, err := note.Open(msg, verifiers)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("audit: %w: %w", ErrCheckpoint, err)
	}
	return ParseCheckpoint([]byte(n.Text))
}
