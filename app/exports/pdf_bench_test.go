package exports_test

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/app/exports"
	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// BenchmarkWritePDFCyrillic writes a register of 5,000 NCs whose findings and drafts
// are all in Cyrillic: every line goes through the embedded fonts (the demo's register,
// in French, draws in Helvetica only).
func BenchmarkWritePDFCyrillic(b *testing.B) {
	reg := exports.Register{Organisation: "Кооператив «Чайные плантации»", OrgID: "9999", Lang: "en", Filter: "all",
		Date: time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)}
	for i := range 5000 {
		reg.Rows = append(reg.Rows, exports.Row{NC: api.NC{ID: fmt.Sprintf("NC-%06d-2026", i), AuditID: "AO-1",
			CriterionNumber: "1.2.3", CriterionText: "Организация ведёт учёт обучения работников", CriterionType: "core",
			Finding:      fmt.Sprintf("Замечание %d: журнал обучения сборщиков урожая не подписан, документы отсутствуют.", i),
			ReceivedDate: "2026-01-02", DueDate: "2026-03-04", Stage: api.StageCARequested, CAStatus: api.StatusRequested},
			Draft: "Провести обучение и вести журнал с подписями каждую неделю.", DraftBy: "Ольга Петрова"})
	}
	var size countWriter
	b.ResetTimer()
	for range b.N {
		size = 0
		if err := exports.WritePDF(context.Background(), &size, reg, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(size)/1e6, "file-MB")
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)
