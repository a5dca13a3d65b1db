package crash

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Program is what a report says of the program that crashed.
type Program struct {
	Version, Commit, WebView string
}

// Folder is the reports' folder in the data folder.
const Folder = "crashes"

// MaxKept is how many reports are kept at most; the oldest go first. A package
// variable so that tests can shrink it.
var MaxKept = 20

// Keeper writes reports to one data folder. The zero value writes nowhere.
type Keeper struct {
	Dir     string // the data folder
	Program Program
	now     func() time.Time
	// watching: Watch runs; a panic recorded by Record ends it, so that the same crash
	// is not reported again from the runtime's output at the next start.
	watching atomic.Bool
}

// New returns a keeper of the reports in dataDir's crashes folder.
func New(dataDir string, p Program) *Keeper {
	return &Keeper{Dir: dataDir, Program: p, now: time.Now}
}

// Guard, deferred at the top of a goroutine (and of main), writes a report of a panic
// and panics again: the crash stays a crash, but leaves its report behind.
func (k *Keeper) Guard() {
	v := recover()
	if v == nil {
		return
	}
	k.Record(v, debug.Stack())
	panic(v)
}

// Record writes a report of the panic v with the stack of the goroutine that panicked,
// for callers that recover themselves. A nil keeper writes nothing.
func (k *Keeper) Record(v any, stack []byte) {
	if k == nil || k.Dir == "" {
		return
	}
	r := k.report(api.CrashPanic)
	r.Panic = panicValue(v)
	r.Frames = Frames(stack)
	if err := k.write(r); err != nil {
		fmt.Fprintln(os.Stderr, "crash report not written:", err)
		return
	}
	k.unwatch()
}

// Go runs fn in a goroutine guarded by Guard.
func (k *Keeper) Go(fn func()) {
	go func() {
		defer k.Guard()
		fn()
	}()
}

// Watch marks the window as running until the returned stop is called, and has the Go
// runtime write its fatal crash output (an unrecovered panic in any goroutine, Wails'
// too; a fatal runtime error) to a file beside the mark. A mark found at start (a
// process that died without calling stop: a panic, a signal, the web view's crash, a
// power cut) becomes a report: a panic with the frames of the crash output, scrubbed,
// when there is one, else an unclean_exit.
func (k *Keeper) Watch() (stop func(), err error) {
	dir := filepath.Join(k.Dir, Folder)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return func() {}, err
	}
	mark, output := filepath.Join(dir, markFile), filepath.Join(dir, outputFile)
	if _, err := os.Stat(mark); err == nil {
		r := k.report(api.CrashUncleanExit)
		if out, _ := os.ReadFile(output); len(out) > 0 {
			r.Kind = api.CrashPanic
			r.Panic, r.Frames = fatal(out)
		}
		if err := k.write(r); err != nil {
			return func() {}, err
		}
	}
	if err := os.WriteFile(mark, nil, 0o600); err != nil {
		return func() {}, err
	}
	f, err := os.OpenFile(output, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err == nil {
		err = debug.SetCrashOutput(f, debug.CrashOptions{}) // the runtime keeps its own copy of the file
		f.Close()
	}
	if err != nil {
		os.Remove(mark)
		return func() {}, err
	}
	k.watching.Store(true)
	return func() { k.unwatch() }, nil
}

// unwatch ends Watch: the process ends cleanly, or its crash is reported already.
func (k *Keeper) unwatch() {
	if !k.watching.Swap(false) {
		return
	}
	debug.SetCrashOutput(nil, debug.CrashOptions{})
	os.Remove(filepath.Join(k.Dir, Folder, outputFile))
	os.Remove(filepath.Join(k.Dir, Folder, markFile))
}

// Files of a watched run, in the reports' folder.
const (
	markFile   = "running"
	outputFile = "fatal.txt"
)

// fatal reads the runtime's crash output: a runtime error's message (the runtime's own
// words) or only "panic" (the value may hold personal data), and the frames of the
// goroutine that crashed — the first one printed.
func fatal(out []byte) (string, []string) {
	text := string(out)
	what := "panic"
	first, _, _ := strings.Cut(text, "\n")
	switch {
	case strings.HasPrefix(first, "panic: runtime error: "):
		what = cut(strings.TrimSuffix(strings.TrimPrefix(first, "panic: "), " [recovered]"))
	case strings.HasPrefix(first, "fatal error: "):
		what = cut(first)
	}
	if i := strings.Index(text, "\ngoroutine "); i >= 0 {
		text = text[i+1:]
		if end := strings.Index(text, "\n\n"); end >= 0 {
			text = text[:end+1]
		}
	} else {
		text = ""
	}
	return what, Frames([]byte(text))
}

// Pending is a kept report and the file it is in.
type Pending struct {
	Report api.CrashReport
	Path   string
}

// Pending returns the kept reports, oldest first. Files that cannot be read are
// removed: a report is not worth a repeated error.
func (k *Keeper) Pending() ([]Pending, error) {
	paths, err := filepath.Glob(filepath.Join(k.Dir, Folder, "crash-*.json"))
	if err != nil {
		return nil, err
	}
	var out []Pending
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		var r api.CrashReport
		if err == nil {
			err = json.Unmarshal(raw, &r)
		}
		if err == nil {
			err = r.Check()
		}
		if err != nil {
			os.Remove(p)
			continue
		}
		out = append(out, Pending{Report: r, Path: p})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Report.Time < out[j].Report.Time })
	return out, nil
}

// Remove forgets a sent report. Idempotent.
func (k *Keeper) Remove(p Pending) error {
	if err := os.Remove(p.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

func (k *Keeper) report(kind string) api.CrashReport {
	id := make([]byte, 16)
	rand.Read(id)
	now := time.Now
	if k.now != nil {
		now = k.now
	}
	return api.CrashReport{
		ID: hex.EncodeToString(id), Kind: kind, Time: now().UTC().Format("2006-01-02T15:04Z"),
		Version: cut(k.Program.Version), Commit: cut(k.Program.Commit), WebView: cut(k.Program.WebView),
		OS: runtime.GOOS, Arch: runtime.GOARCH, GoVersion: runtime.Version(),
	}
}

// write keeps r safely (temporary file, sync, rename), then drops the oldest reports
// beyond MaxKept.
func (k *Keeper) write(r api.CrashReport) error {
	dir := filepath.Join(k.Dir, Folder)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	raw, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".crash-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(raw)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	name := "crash-" + strings.NewReplacer(":", "", "-", "").Replace(r.Time) + "-" + r.ID[:8] + ".json"
	if err := os.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil {
		return err
	}
	all, _ := filepath.Glob(filepath.Join(dir, "crash-*.json"))
	sort.Strings(all) // by time: the names start with it
	for len(all) > MaxKept {
		os.Remove(all[0])
		all = all[1:]
	}
	return nil
}

// panicValue says what panicked without saying anything the value holds: a runtime
// error's message is the runtime's own words; any other value gives only its type (an
// error or a string may hold a user's text, a token or a path).
func panicValue(v any) string {
	if re, ok := v.(runtime.Error); ok {
		return cut(re.Error())
	}
	return cut(fmt.Sprintf("panic(%T)", v))
}

// Frames turns a goroutine's stack trace into "function file.go:line" frames: the
// arguments' values dropped, a file's path cut to its folder and name (a build's or a
// user's home never shows), the frames of the panic machinery itself skipped.
func Frames(stack []byte) []string {
	lines := strings.Split(string(stack), "\n")
	var out []string
	for i := 0; i+1 < len(lines); i++ {
		fn := lines[i]
		loc, ok := strings.CutPrefix(lines[i+1], "\t")
		if !ok || strings.HasPrefix(fn, "\t") || strings.HasPrefix(fn, "goroutine ") || fn == "" {
			continue
		}
		i++
		if p := strings.LastIndex(fn, "("); p > 0 && strings.HasSuffix(fn, ")") {
			fn = fn[:p] // the arguments' values
		}
		fn = strings.TrimPrefix(fn, "created by ")
		if p := strings.Index(fn, " in goroutine "); p > 0 {
			fn = fn[:p]
		}
		if strings.HasPrefix(fn, "runtime/debug.Stack") || fn == "panic" || strings.HasPrefix(fn, "runtime.gopanic") ||
			strings.Contains(fn, "app/crash.(*Keeper).Guard") {
			continue
		}
		if sp := strings.LastIndex(loc, " +0x"); sp > 0 {
			loc = loc[:sp]
		}
		out = append(out, cut(fn+" "+shortPath(loc)))
		if len(out) == api.MaxCrashFrames {
			break
		}
	}
	return out
}

// shortPath keeps the last folder and the file name of "/a/b/app/sync.go:12".
func shortPath(loc string) string {
	loc = filepath.ToSlash(loc)
	parts := strings.Split(loc, "/")
	if len(parts) > 2 {
		parts = parts[len(parts)-2:]
	}
	return strings.Join(parts, "/")
}

func cut(s string) string {
	if len(s) > api.MaxCrashFieldChars {
		return s[:api.MaxCrashFieldChars]
	}
	return s
}
