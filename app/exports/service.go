package exports

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/coded"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/app/store/health"
	"github.com/ecert-desktop/ecert-desktop/app/store/members"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/ical"
)

// EventProgress is the event of an export's progress to the window (Progress payload),
// every 100 rows and at the end.
const EventProgress = "export:progress"

// Platform is what the service needs of the OS boundary (app.Platform has it).
type Platform interface {
	Emit(event string, data any)
	OpenPath(path string) error
	SaveDialog(defaultName string) (string, error)
}

// Config is what the app gives the service.
type Config struct {
	Context  context.Context     // of the bound calls; cancelled when the app closes
	Store    func() *store.Store // the replica, once the app opened it
	Platform Platform
	Now      func() time.Time
	Language func() string // the UI's language
	// Stages are the NC stages of each filter of the NC list (ca, evidence, open, …).
	Stages map[string][]string
	// Fail turns an error into what a bound method returns: a code the window translates.
	Fail func(error) error
}

// Export writes the register (XLSX, PDF) and the deadlines calendar (.ics) where the
// user chooses, and opens the file it wrote.
type Export struct {
	cfg  Config
	mu   sync.Mutex
	last string // the file the window's last export wrote, which OpenLast opens
}

// New returns the service.
func New(cfg Config) *Export { return &Export{cfg: cfg} }

// Result says where an export went; Path is "" when the user cancelled.
type Result struct {
	Path string `json:"path"`
	Rows int    `json:"rows"` // NCs in the register, events in the calendar
}

// Progress is the payload of EventProgress: rows written of the total.
type Progress struct {
	Kind  string `json:"kind"` // xlsx, pdf, ics
	Done  int    `json:"done"`
	Total int    `json:"total"`
}

// Errors the app shows by their codes (ErrorCode).
var (
	ErrInvalid     = coded.Error(api.CodeInvalidInput) // unknown format, filter or language
	ErrNotWritable = coded.Error(api.CodeNotWritable)  // the chosen place cannot be written
)

// Register asks where to save the register of the NC list's filter (ca, evidence,
// open, history, all) in a format (xlsx or pdf), in the UI's language, and writes it,
// emitting EventProgress as rows are written. When the list is narrowed by a search,
// only names the NCs it shows (the filter's others are left out); none means all.
func (e *Export) Register(format, filter string, only []string) (Result, error) {
	if _, ok := e.cfg.Stages[filter]; !ok || (format != XLSX && format != PDF) {
		return Result{}, e.cfg.Fail(ErrInvalid)
	}
	lang := e.cfg.Language()
	path, err := e.cfg.Platform.SaveDialog(RegisterName(lang, e.cfg.Now(), format))
	if err != nil || path == "" {
		return Result{}, e.cfg.Fail(err)
	}
	n, err := writeRegister(e.cfg.Context, e, path, format, filter, lang, only, func(done, total int) {
		e.cfg.Platform.Emit(EventProgress, Progress{Kind: format, Done: done, Total: total})
	})
	return e.remember(Result{Path: path, Rows: n}, err)
}

// Calendar asks where to save the deadlines calendar and writes it.
func (e *Export) Calendar() (Result, error) {
	lang := e.cfg.Language()
	path, err := e.cfg.Platform.SaveDialog(CalendarName(lang))
	if err != nil || path == "" {
		return Result{}, e.cfg.Fail(err)
	}
	n, err := WriteCalendar(e.cfg.Context, e, path, lang)
	e.cfg.Platform.Emit(EventProgress, Progress{Kind: "ics", Done: n, Total: n})
	return e.remember(Result{Path: path, Rows: n}, err)
}

// OpenLast opens the file of the last export with the system's program. Only that
// file: the window never names a path for the app to open.
func (e *Export) OpenLast() error {
	e.mu.Lock()
	path := e.last
	e.mu.Unlock()
	if path == "" {
		return e.cfg.Fail(coded.Error(api.CodeNotFound))
	}
	return e.cfg.Fail(e.cfg.Platform.OpenPath(path))
}

func (e *Export) remember(r Result, err error) (Result, error) {
	if err != nil {
		return r, e.cfg.Fail(err)
	}
	e.mu.Lock()
	e.last = r.Path
	e.mu.Unlock()
	return r, nil
}

// WriteRegister writes the register of a filter's NCs to path, in a format (xlsx, pdf)
// and a language, and returns the number of NCs in it (the headless command calls it;
// it is not a method so that the window does not bind it).
func WriteRegister(ctx context.Context, e *Export, path, format, filter, lang string, progress OnProgress) (int, error) {
	return writeRegister(ctx, e, path, format, filter, lang, nil, progress)
}

func writeRegister(ctx context.Context, e *Export, path, format, filter, lang string, only []string, progress OnProgress) (int, error) {
	stages, ok := e.cfg.Stages[filter]
	if !ok {
		return 0, ErrInvalid
	}
	write := WriteXLSX
	switch format {
	case XLSX:
	case PDF:
		write = WritePDF
	default:
		return 0, ErrInvalid
	}
	reg, err := registerOf(ctx, e.cfg.Store(), stages)
	if err != nil {
		return 0, err
	}
	if len(only) > 0 {
		keep := make(map[string]bool, len(only))
		for _, id := range only {
			keep[id] = true
		}
		reg.Rows = slices.DeleteFunc(reg.Rows, func(r Row) bool { return !keep[r.NC.ID] })
	}
	reg.Lang, reg.Filter, reg.Date = lang, filter, e.cfg.Now()
	err = WriteFile(path, func(w io.Writer) error { return write(ctx, w, reg, progress) })
	return len(reg.Rows), err
}

// registerOf gathers the register's rows: the NCs of the stages with their audits,
// evidence, drafts not sent and responsible persons.
func registerOf(ctx context.Context, st *store.Store, stages []string) (Register, error) {
	var reg Register
	if org, err := st.Portal.Organisation(ctx); err == nil {
		reg.Organisation, reg.OrgID = org.Name, org.ID
	} else if !errors.Is(err, store.ErrNotFound) {
		return reg, err
	}
	ncs, err := st.Portal.NCs(ctx, stages...)
	if err != nil {
		return reg, err
	}
	audits, err := st.Portal.Audits(ctx)
	if err != nil {
		return reg, err
	}
	byID := make(map[string]api.Audit, len(audits))
	for _, a := range audits {
		byID[a.ID] = a
	}
	evidence, err := st.Portal.EvidenceByNC(ctx)
	if err != nil {
		return reg, err
	}
	locals, err := st.Work.LocalCAs(ctx)
	if err != nil {
		return reg, err
	}
	assignments, err := st.Portal.Assignments(ctx)
	if err != nil {
		return reg, err
	}
	assigned := make(map[string]*api.Assignment, len(assignments))
	for i := range assignments {
		assigned[assignments[i].NCID] = &assignments[i]
	}
	username, me, err := members.New(st.DB(), nil).Me(ctx)
	if err != nil {
		return reg, err
	}
	notSent, err := unsentEvidence(ctx, st, evidence, username, me)
	if err != nil {
		return reg, err
	}
	reg.Rows = make([]Row, len(ncs))
	for i, nc := range ncs {
		reg.Rows[i] = Row{NC: nc, Audit: byID[nc.AuditID], Evidence: evidence[nc.ID], Draft: locals[nc.ID].Text,
			Assignment: assigned[nc.ID], NotSent: notSent}
		if reg.Rows[i].Draft != "" {
			reg.Rows[i].DraftBy = me
		}
	}
	return reg, nil
}

// unsentEvidence adds to evidence (by NC) the files attached on this computer that the
// server does not list yet, by the person logged in here, and returns their ids: the
// register is the organisation's working document, so what waits to go is on it too.
func unsentEvidence(ctx context.Context, st *store.Store, evidence map[string][]api.Evidence, username, name string) (map[string]bool, error) {
	local, err := st.Evidence.Local(ctx, "")
	if err != nil {
		return nil, err
	}
	notSent := map[string]bool{}
	for _, l := range local {
		if l.State != store.EvidenceLocal && l.State != store.EvidenceQueued {
			continue // on the server already, being removed, or refused
		}
		if slices.ContainsFunc(evidence[l.NCID], func(e api.Evidence) bool { return e.ID == l.ID }) {
			continue
		}
		day := l.AddedAt
		if len(day) > len(time.DateOnly) {
			day = day[:len(time.DateOnly)]
		}
		evidence[l.NCID] = append(evidence[l.NCID], api.Evidence{ID: l.ID, NCID: l.NCID, Type: api.EvidenceType,
			Subject: l.Subject, File: l.File, Date: api.Date(day), AddedBy: username, AddedByName: name})
		notSent[l.ID] = true
	}
	return notSent, nil
}

// WriteCalendar writes the deadlines of the open NCs, their internal due dates, the
// certificates, certification and audits to path and returns the number of events.
// The events are sync/ical's, as the server's calendar feed writes them: a deadline
// has the same UID in both, so subscribing after importing the file adds no duplicate.
func WriteCalendar(ctx context.Context, e *Export, path, lang string) (int, error) {
	st := e.cfg.Store()
	cal := ical.Calendar{Lang: lang, Stamp: e.cfg.Now()}
	if org, err := st.Portal.Organisation(ctx); err == nil {
		cal.Organisation, cal.OrgID = org.Name, org.ID
	} else if !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	var err error
	if cal.NCs, err = st.Portal.NCs(ctx, e.cfg.Stages["open"]...); err != nil {
		return 0, err
	}
	if cal.Assignments, err = st.Portal.Assignments(ctx); err != nil {
		return 0, err
	}
	if cal.Certificates, err = st.Portal.Certificates(ctx); err != nil {
		return 0, err
	}
	if cal.Certification, err = st.Portal.Certification(ctx); errors.Is(err, store.ErrNotFound) {
		cal.Certification = nil
	} else if err != nil {
		return 0, err
	}
	if cal.Audits, err = st.Portal.Audits(ctx); err != nil {
		return 0, err
	}
	var n int
	err = WriteFile(path, func(w io.Writer) error {
		var err error
		n, err = ical.Write(w, cal)
		return err
	})
	return n, err
}

// WriteFile writes a file through a temporary file in its folder, synced then renamed,
// so that path is never left half-written. Failing to write there is ErrNotWritable (or
// the disk-full error the app knows); write's own errors pass through.
func WriteFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".ecert-export-*")
	if err != nil {
		return notWritable(err)
	}
	defer os.Remove(tmp.Name())
	werr := write(tmp)
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	var pe *os.PathError
	if errors.As(werr, &pe) {
		return notWritable(werr)
	}
	if werr != nil {
		return werr
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return notWritable(err)
	}
	return nil
}

func notWritable(err error) error {
	if health.DiskFull(err) {
		return err
	}
	return ErrNotWritable
}
