package documents_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/krs-oke/vaststelling/result/oke/documents"
)

// Whatever a document id holds, its file is one plain file in the
// directory: no path, no hidden file, no two ids one name, case kept apart.
func TestDirKeepsEveryIDInside(t *testing.T) {
	outer := t.TempDir()
	dir, err := documents.NewDir(filepath.Join(outer, "archive"))
	require.NoError(t, err)
	defer dir.Close()
	ids := []string{"../escape", "../../etc/passwd", "/abs/path", `..\windows`, "a/b", "A", "a", "_41", "con",
		".hidden", "CON.pdf", "naïve", strings.Repeat("long-id-", 40), strings.Repeat("long-id-", 40) + "x"}
	keys := map[string]string{}
	for _, id := range ids {
		s, err := dir.Put(context.Background(), id, strings.NewReader("same bytes"))
		require.NoError(t, err, id)
		assert.NotContains(t, s.Key, "/")
		assert.NotContains(t, s.Key, `\`)
		assert.False(t, strings.HasPrefix(s.Key, "."), s.Key)
		assert.LessOrEqual(t, len(s.Key), 255)
		assert.Equal(t, strings.ToLower(s.Key), s.Key, "no two ids one file where case is not told apart")
		if other, dup := keys[s.Key]; dup {
			t.Errorf("ids %q and %q share the key %s", id, other, s.Key)
		}
		keys[s.Key] = id
	}
	entries, err := os.ReadDir(dir.Path())
	require.NoError(t, err)
	assert.Len(t, entries, len(ids))
	outside, err := os.ReadDir(outer)
	require.NoError(t, err)
	assert.Len(t, outside, 1, "nothing written beside the archive")
	assert.Equal(t, "d-_2e_2e_2fescape."+documents.Key("", sha256.Sum256([]byte("same bytes")))[3:],
		documents.Key("../escape", sha256.Sum256([]byte("same bytes"))))
}

// The same bytes again are the same file; other bytes for the same id are
// kept beside the first, never over it.
func TestDirKeepsEveryVersion(t *testing.T) {
	dir, err := documents.NewDir(t.TempDir())
	require.NoError(t, err)
	ctx := context.Background()
	a, err := dir.Put(ctx, "123454", strings.NewReader("version one"))
	require.NoError(t, err)
	again, err := dir.Put(ctx, "123454", strings.NewReader("version one"))
	require.NoError(t, err)
	assert.Equal(t, a, again)
	b, err := dir.Put(ctx, "123454", strings.NewReader("version two"))
	require.NoError(t, err)
	assert.NotEqual(t, a.Key, b.Key)
	for _, s := range []documents.Stored{a, b} {
		rc, err := dir.Open(ctx, s.Key)
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		rc.Close()
		require.NoError(t, err)
		assert.Equal(t, s.SHA256, sha256.Sum256(data))
		assert.Equal(t, s.Hex(), s.Key[strings.IndexByte(s.Key, '.')+1:])
	}
}

// A reader that fails leaves nothing: no document, no temporary file.
func TestDirKeepsNothingOfAFailure(t *testing.T) {
	dir, err := documents.NewDir(t.TempDir())
	require.NoError(t, err)
	broken := io.MultiReader(strings.NewReader("half a docu"), iotest.ErrReader(io.ErrUnexpectedEOF))
	_, err = dir.Put(context.Background(), "123454", broken)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = dir.Put(ctx, "123454", strings.NewReader("anything"))
	require.ErrorIs(t, err, context.Canceled)
	entries, err := os.ReadDir(dir.Path())
	require.NoError(t, err)
	assert.Empty(t, entries)
}

// Open takes only the keys the archive makes.
func TestDirOpenRefusesOtherNames(t *testing.T) {
	outer := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(outer, "secret"), []byte("x"), 0o600))
	dir, err := documents.NewDir(filepath.Join(outer, "archive"))
	require.NoError(t, err)
	sum := strings.Repeat("ab", 32)
	for _, key := range []string{"../secret", "secret", "d-a/../../secret." + sum, "d-A." + sum, "d-a." + sum[1:],
		"x-abc." + sum, "", "."} {
		_, err := dir.Open(context.Background(), key)
		assert.ErrorIs(t, err, fs.ErrInvalid, "%q", key)
	}
	_, err = dir.Open(context.Background(), "d-a."+sum)
	assert.ErrorIs(t, err, fs.ErrNotExist)
}

// An Archiver writes from the archive what it kept; an archive that gives
// back other bytes is found out.
func TestArchiverWritesWhatItKept(t *testing.T) {
	ts := newTokenServer(t)
	p := newPlanner(t, servePDF)
	c, _ := client(t, p, ts, nil)
	dir, err := documents.NewDir(t.TempDir())
	require.NoError(t, err)
	var buf bytes.Buffer
	a := &documents.Archiver{Client: c, Archive: dir}
	ct, n, err := a.Fetch(context.Background(), "123454", &buf)
	require.NoError(t, err)
	assert.Equal(t, "application/pdf", ct)
	assert.Equal(t, int64(len(pdf)), n)
	assert.Equal(t, pdf, buf.Bytes())

	a.Archive = lyingArchive{dir}
	_, _, err = a.Fetch(context.Background(), "123454", io.Discard)
	require.ErrorIs(t, err, documents.ErrArchive)
	assert.Contains(t, err.Error(), "the archive gives back")
}

// lyingArchive gives back other bytes than it kept.
type lyingArchive struct{ *documents.Dir }

func (l lyingArchive) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	return io.NopCloser(strings.NewReader("something else")), nil
}

// An archive that reports a hash the client did not read is refused.
func TestArchiveThatMisreportsIsRefused(t *testing.T) {
	ts := newTokenServer(t)
	p := newPlanner(t, servePDF)
	c, _ := client(t, p, ts, nil)
	_, err := c.Archive(context.Background(), "123454", miscounting{})
	require.ErrorIs(t, err, documents.ErrArchive)
	_, err = c.Archive(context.Background(), "123454", failing{})
	require.ErrorIs(t, err, documents.ErrArchive)
	require.ErrorIs(t, err, errDiskFull)
	assert.Equal(t, int32(2), p.requests.Load(), "an archive's failure is not tried again")
}

type miscounting struct{}

func (miscounting) Put(ctx context.Context, id string, r io.Reader) (documents.Stored, error) {
	n, err := io.Copy(io.Discard, r)
	return documents.Stored{Key: id, Size: n, SHA256: sha256.Sum256([]byte("not it"))}, err
}

func (miscounting) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	return nil, fs.ErrNotExist
}

var errDiskFull = errors.New("no space left on device")

type failing struct{ miscounting }

func (failing) Put(ctx context.Context, id string, r io.Reader) (documents.Stored, error) {
	return documents.Stored{}, errDiskFull
}
