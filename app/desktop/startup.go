package desktop

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/ecert-desktop/ecert-desktop/app"
)

// EnvStartupLog names a file that the window appends start-up milestones to, for the
// cold-start benchmark (build/scripts/bench-ui.sh). Unset, nothing is recorded. Lines:
//
//	run <ms>         the program reached the window's set-up (libraries loaded)
//	domready <ms>    the UI's page was loaded
//	dashboard <ms>   the dashboard was first shown with its data (the UI says so)
//	synced <ms>      the first sync of this run finished, files included
//
// where <ms> counts from the process's start (its creation, as the kernel recorded it,
// on Linux; elsewhere from when the program was loaded).
const EnvStartupLog = "ECERT_STARTUP_LOG"

// EventShown is what the UI emits once a screen is first shown with its data; its
// payload names the screen ("dashboard").
const EventShown = "startup:shown"

// loaded is when this program's packages were initialised: the start, where the process
// start time cannot be read.
var loaded = time.Now()

// startupLog records the milestones; a nil *startupLog records nothing.
type startupLog struct {
	path  string
	start time.Time
	log   *slog.Logger

	mu      sync.Mutex
	done    map[string]bool
	syncing bool // a sync was seen running
}

func newStartupLog(path string, log *slog.Logger) *startupLog {
	if path == "" {
		return nil
	}
	return &startupLog{path: path, start: processStart(), log: log, done: map[string]bool{}}
}

// listen subscribes to the UI's EventShown.
func (s *startupLog) listen(ctx context.Context) {
	if s == nil {
		return
	}
	wruntime.EventsOn(ctx, EventShown, func(data ...any) {
		if len(data) > 0 {
			if what, ok := data[0].(string); ok && what != "" && !strings.ContainsAny(what, " \n") {
				s.mark(what)
			}
		}
	})
}

// observe looks at what the app sends the UI for the end of the first sync.
func (s *startupLog) observe(event string, data any) {
	if s == nil || event != app.EventSyncStatus {
		return
	}
	st, ok := data.(app.SyncStatus)
	if !ok {
		return
	}
	s.mu.Lock()
	if st.Syncing {
		s.syncing = true
	}
	finished := s.syncing && !st.Syncing && st.Files == 0 && st.LastError == "" && st.LastSync != ""
	s.mu.Unlock()
	if finished {
		s.mark("synced")
	}
}

// mark appends "<what> <ms>" the first time what happens.
func (s *startupLog) mark(what string) {
	if s == nil {
		return
	}
	ms := time.Since(s.start).Milliseconds()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done[what] {
		return
	}
	s.done[what] = true
	f, err := os.OpenFile(s.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err == nil {
		_, err = fmt.Fprintf(f, "%s %d\n", what, ms)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		s.log.Warn("startup log", "error", err)
	}
}

// processStart is when the kernel created this process (Linux: /proc), else when the
// program was loaded. The kernel counts the start in clock ticks since boot, and the
// uptime in hundredths of a second; USER_HZ is 100 on every Linux the app runs on.
func processStart() time.Time {
	const ticksPerSecond = 100
	stat, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return loaded
	}
	// The command name (field 2) is in parentheses and may hold spaces: count the fields
	// after its closing one. starttime is field 22, the 20th after it.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return loaded
	}
	fields := strings.Fields(string(stat[i+1:]))
	if len(fields) < 20 {
		return loaded
	}
	ticks, err := strconv.ParseInt(fields[19], 10, 64)
	if err != nil {
		return loaded
	}
	now := time.Now()
	up, err := os.ReadFile("/proc/uptime")
	if err != nil {
		return loaded
	}
	upFields := strings.Fields(string(up))
	if len(upFields) == 0 {
		return loaded
	}
	uptime, err := strconv.ParseFloat(upFields[0], 64)
	if err != nil {
		return loaded
	}
	age := time.Duration((uptime - float64(ticks)/ticksPerSecond) * float64(time.Second))
	start := now.Add(-age)
	if age < 0 || start.After(loaded) || loaded.Sub(start) > time.Minute {
		return loaded // not believable
	}
	return start
}
