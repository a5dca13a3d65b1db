package workflow

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store"
)

// limitsID is the one id of the api.EntityLimits entity.
const limitsID = "upload"

// limitsWrite is the change-log write of an organisation's limits.
func (wf *Workflow) limitsWrite(used int64) store.EntityWrite {
	l := wf.limits
	l.UsedBytes = used
	return WriteOf(api.EntityLimits, limitsID, "", l)
}

// RefreshLimits rewrites the limits entity of the organisations whose stored limits
// differ from the configuration (or that have none), so a change of configuration
// reaches clients by pull, and an unchanged one costs them nothing.
func (wf *Workflow) RefreshLimits(ctx context.Context) error {
	orgs, err := wf.store.Orgs(ctx)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if err := wf.refreshOrgLimits(ctx, o.ID); err != nil {
			return err
		}
	}
	return nil
}

// refreshOrgLimits writes an organisation's limits entity when it is missing or
// differs from what it should be.
func (wf *Workflow) refreshOrgLimits(ctx context.Context, orgID string) error {
	used, err := wf.store.UsedBytes(ctx, orgID)
	if err != nil {
		return err
	}
	w := wf.limitsWrite(used)
	want, _ := w.Encode(0)
	rec, err := wf.store.Entity(ctx, orgID, api.EntityLimits, limitsID)
	if err == nil && bytes.Equal(rec.Data, want) {
		return nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err := wf.store.Write(ctx, orgID, []store.EntityWrite{w}); err != nil {
		return fmt.Errorf("write limits of %s: %w", orgID, err)
	}
	return nil
}

// Limits returns the evidence limits of an organisation as its clients receive them.
func (wf *Workflow) Limits(ctx context.Context, orgID string) (api.Limits, error) {
	used, err := wf.store.UsedBytes(ctx, orgID)
	l := wf.limits
	l.UsedBytes = used
	return l, err
}

// FileRefused checks a file against limits; it returns the refusal code
// (api.CodeTooLarge, api.CodeTypeRefused) and an English message, or "".
func FileRefused(limits api.Limits, name string, size int64) (code, msg string) {
	if size > limits.MaxFileBytes {
		return api.CodeTooLarge, fmt.Sprintf("the file has %d bytes; at most %d are accepted", size, limits.MaxFileBytes)
	}
	if ext := strings.ToLower(path.Ext(name)); ext == "" || !slices.Contains(limits.Types, ext) {
		return api.CodeTypeRefused, fmt.Sprintf("files named %q are not accepted; accepted: %s", ext, strings.Join(limits.Types, " "))
	}
	return "", ""
}

// AddUpload records that an organisation uploaded a blob whose bytes the blob store
// holds (the last step of an upload) and, when it is new to the organisation, writes
// its limits with the bytes it now uses, in one transaction. Idempotent.
func (wf *Workflow) AddUpload(ctx context.Context, orgID string, ref api.FileRef) error {
	return wf.store.Update(ctx, orgID, func(tx store.Tx) error {
		added, err := tx.AddOrgBlob(ref, wf.now().UTC())
		if err != nil || !added {
			return err
		}
		used, err := tx.UsedBytes()
		if err != nil {
			return err
		}
		return tx.Write(wf.limitsWrite(used))
	})
}
