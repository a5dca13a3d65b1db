package app

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/ecert-desktop/ecert-desktop/app/export"
	"github.com/ecert-desktop/ecert-desktop/app/store"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Export writes the register of NCs (XLSX, PDF) and the deadlines calendar (.ics) from
// the replica, offline, where the user chooses.
type Export struct {
	*base
	settings *Settings

	mu   sync.Mutex
	last string // the file the window's last export wrote, which OpenLast opens
}

// ExportResult says where an export went; Path is "" when the user cancelled.
type ExportResult struct {
	Path string `json:"path"`
	Rows int    `json:"rows"` // NCs in the register, events in the calendar
}

// ExportProgress is the payload of "export:progress": rows written of the total.
type ExportProgress struct {
	Kind  string `json:"kind"` // xlsx, pdf, ics
	Done  int    `json:"done"`
	Total int    `json:"total"`
}

// Register asks where to save the register of the NC list's filter (ca, evidence,
// open, history, all) in a format (xlsx or pdf), in the UI's language, and writes it,
// emitting "export:progress" as rows are written.
func (e *Export) Register(format, filter string) (ExportResult, error) {
	r, err := e.register(e.ctx, format, filter)
	e.remember(r, err)
	return r, e.fail(err)
}

// Calendar asks where to save the deadlines calendar and writes it.
func (e *Export) Calendar() (ExportResult, error) {
	r, err := e.calendar(e.ctx)
	e.remember(r, err)
	return r, e.fail(err)
}

// OpenLast opens the file of the last export with the system's program. Only that
// file: the window never names a path for the app to open.
func (e *Export) OpenLast() error {
	e.mu.Lock()
	path := e.last
	e.mu.Unlock()
	if path == "" {
		return e.fail(&CodeError{Code: api.CodeNotFound})
	}
	return e.fail(e.platform.OpenPath(path))
}

func (e *Export) remember(r ExportResult, err error) {
	if err == nil && r.Path != "" {
		e.mu.Lock()
		e.last = r.Path
		e.mu.Unlock()
	}
}

func (e *Export) register(ctx context.Context, format, filter string) (ExportResult, error) {
	if _, ok := stagesOf[filter]; !ok || (format != export.XLSX && format != export.PDF) {
		return ExportResult{}, &CodeError{Code: api.CodeInvalidInput}
	}
	lang := e.settings.Language()
	path, err := e.platform.SaveDialog(export.RegisterName(lang, e.now(), format))
	if err != nil || path == "" {
		return ExportResult{}, err
	}
	n, err := e.writeRegister(ctx, path, format, filter, lang, func(done, total int) {
		e.platform.Emit(EventExport, ExportProgress{Kind: format, Done: done, Total: total})
	})
	return ExportResult{Path: path, Rows: n}, err
}

func (e *Export) calendar(ctx context.Context) (ExportResult, error) {
	lang := e.settings.Language()
	path, err := e.platform.SaveDialog(export.CalendarName(lang))
	if err != nil || path == "" {
		return ExportResult{}, err
	}
	n, err := e.writeCalendar(ctx, path, lang)
	e.platform.Emit(EventExport, ExportProgress{Kind: "ics", Done: n, Total: n})
	return ExportResult{Path: path, Rows: n}, err
}

// writeRegister writes the register to path and returns the number of NCs in it.
func (e *Export) writeRegister(ctx context.Context, path, format, filter, lang string, progress export.Progress) (int, error) {
	stages, ok := stagesOf[filter]
	if !ok {
		return 0, &CodeError{Code: api.CodeInvalidInput}
	}
	write := export.WriteXLSX
	switch format {
	case export.XLSX:
	case export.PDF:
		write = export.WritePDF
	default:
		return 0, &CodeError{Code: api.CodeInvalidInput}
	}
	reg, err := e.registerOf(ctx, stages)
	if err != nil {
		return 0, err
	}
	reg.Lang, reg.Filter = lang, filter
	err = writeSafely(path, func(w io.Writer) error { return write(ctx, w, reg, progress) })
	return len(reg.Rows), err
}

// registerOf gathers the register's rows: the NCs of the stages with their audits,
// evidence and unsent drafts.
func (e *Export) registerOf(ctx context.Context, stages []string) (export.Register, error) {
	reg := export.Register{Date: e.now()}
	if org, err := optional(e.store.Portal.Organisation(ctx)); err != nil {
		return reg, err
	} else if org != nil {
		reg.Organisation, reg.OrgID = org.Name, org.ID
	}
	ncs, err := e.store.Portal.NCs(ctx, stages...)
	if err != nil {
		return reg, err
	}
	audits, err := e.store.Portal.Audits(ctx)
	if err != nil {
		return reg, err
	}
	byID := make(map[string]api.Audit, len(audits))
	for _, a := range audits {
		byID[a.ID] = a
	}
	evidence, err := e.store.Portal.EvidenceByNC(ctx)
	if err != nil {
		return reg, err
	}
	locals, err := e.store.Work.LocalCAs(ctx)
	if err != nil {
		return reg, err
	}
	reg.Rows = make([]export.Row, len(ncs))
	for i, nc := range ncs {
		reg.Rows[i] = export.Row{NC: nc, Audit: byID[nc.AuditID], Evidence: evidence[nc.ID], Draft: locals[nc.ID].Text}
	}
	return reg, nil
}

// writeCalendar writes the deadlines to path and returns the number of NCs, certificates
// and audits it looked at.
func (e *Export) writeCalendar(ctx context.Context, path, lang string) (int, error) {
	cal := export.Calendar{Lang: lang, Now: e.now()}
	if org, err := optional(e.store.Portal.Organisation(ctx)); err != nil {
		return 0, err
	} else if org != nil {
		cal.Organisation, cal.OrgID = org.Name, org.ID
	}
	var err error
	if cal.NCs, err = e.store.Portal.NCs(ctx, stagesOf[FilterOpen]...); err != nil {
		return 0, err
	}
	if cal.Certificates, err = e.store.Portal.Certificates(ctx); err != nil {
		return 0, err
	}
	if cal.Certification, err = optional(e.store.Portal.Certification(ctx)); err != nil {
		return 0, err
	}
	if cal.Audits, err = e.store.Portal.Audits(ctx); err != nil {
		return 0, err
	}
	var n int
	err = writeSafely(path, func(w io.Writer) error {
		var err error
		n, err = export.WriteICS(w, cal)
		return err
	})
	return n, err
}

// writeSafely writes a file through a temporary file in its folder, synced then renamed,
// so that path is never left half-written. Failing to write there is not_writable (or
// disk_full), and the export's own errors pass through.
func writeSafely(path string, write func(io.Writer) error) error {
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
	if werr != nil {
		var pe *os.PathError
		if errors.As(werr, &pe) {
			return notWritable(werr)
		}
		return werr
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return notWritable(err)
	}
	return nil
}

// notWritable codes a failure to write at the user's chosen place.
func notWritable(err error) error {
	if store.DiskFull(err) {
		return &CodeError{Code: api.CodeDiskFull}
	}
	return &CodeError{Code: api.CodeNotWritable}
}

// ExportRegister writes the register to path for the headless command: the filter's
// NCs, in a format (xlsx, pdf) and language. It returns the number of NCs written.
func (a *App) ExportRegister(ctx context.Context, path, format, filter, lang string, progress func(done, total int)) (int, error) {
	return a.Export.writeRegister(ctx, path, format, filter, lang, progress)
}

// ExportCalendar writes the deadlines calendar to path for the headless command and
// returns the number of events.
func (a *App) ExportCalendar(ctx context.Context, path, lang string) (int, error) {
	return a.Export.writeCalendar(ctx, path, lang)
}
