package crash

import (
	"context"
	"errors"
	"log/slog"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/client"
)

// Consent to sending crash reports (the replica's meta row MetaConsent): not asked yet,
// yes, no.
const (
	ConsentUnasked = ""
	ConsentOn      = "on"
	ConsentOff     = "off"
)

// MetaConsent is the replica's meta key of the user's consent.
const MetaConsent = "crash.consent"

// Send sends the kept reports and forgets each one the server took (or refused for
// good). A report the server cannot take today (its daily limit), or a failed
// connection, waits for a later sync. The caller checks the user's consent first.
func (k *Keeper) Send(ctx context.Context, c *client.Client, log *slog.Logger) {
	pending, err := k.Pending()
	if err != nil {
		log.Warn("crash reports", "error", err)
		return
	}
	for _, p := range pending {
		_, err := c.SendCrashReport(ctx, p.Report)
		var ce *client.Error
		switch {
		case err == nil:
		case errors.As(err, &ce) && (ce.Code == api.CodeBadRequest || ce.Reason == api.CodeTooLarge):
			log.Warn("crash report refused by the server: dropped", "id", p.Report.ID, "error", err)
		default:
			log.Info("crash reports wait for a later sync", "error", err)
			return
		}
		if err := k.Remove(p); err != nil {
			log.Warn("remove a sent crash report", "error", err)
		}
	}
}
