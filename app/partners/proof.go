package partners

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/pdfpage"
)

// SaveProof checks a partner's status (with the server when online) and saves a dated
// proof of it as a PDF where the user chooses; it returns the path, "" when the user
// cancelled.
func (p *Partners) SaveProof(floID string) (string, error) {
	st, err := p.status(p.cfg.Context, floID)
	if err != nil {
		return "", p.cfg.Fail(err)
	}
	dst, err := p.cfg.Platform.SaveDialog(proofName(st, p.cfg.Now()))
	if err != nil || dst == "" {
		return "", p.cfg.Fail(err)
	}
	return dst, p.cfg.Fail(p.writeProof(p.cfg.Context, st, dst))
}

// Proof checks a partner's status and writes its proof to path (the headless command).
func (p *Partners) Proof(ctx context.Context, floID, path string) (PartnerStatus, error) {
	st, err := p.status(ctx, floID)
	if err != nil {
		return st, err
	}
	return st, p.writeProof(ctx, st, path)
}

func proofName(st PartnerStatus, now time.Time) string {
	return fmt.Sprintf("FLO %s %s.pdf", st.FLOID, now.Format("2006-01-02"))
}

// writeProof writes the proof in the user's language, through a temporary file in the
// same folder: path is never left half-written.
func (p *Partners) writeProof(ctx context.Context, st PartnerStatus, path string) error {
	lang := p.cfg.Language()
	org, _ := p.cfg.Store().Portal.Organisation(ctx)
	by := ""
	if org != nil {
		by = org.Name + " (FLO ID " + org.ID + ")"
	}
	pdf := pdfpage.Render(proofWords[lang]["title"]+" "+st.FLOID, proofLines(lang, st, by, p.cfg.Now()))
	tmp, err := os.CreateTemp(filepath.Dir(path), ".ecert-proof-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(pdf)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write proof: %w", err)
	}
	return os.Rename(tmp.Name(), path)
}

// proofWords are the proof's words in each language of the UI.
var proofWords = map[string]map[string]string{
	"fr": {
		"title": "Statut de certification Fairtrade", "name": "Opérateur", "country": "Pays", "role": "Rôle",
		"products": "Produits", "status": "Statut", "valid": "Certificat valable jusqu'au", "since": "Statut depuis le",
		"checked": "Statut vérifié auprès de FLOCERT le %s à %s.",
		"copy":    "FLOCERT n'a pas pu être interrogé : statut tiré de la copie du répertoire mise à jour le %s.",
		"made":    "Document établi le %s à %s par Ecert Desktop", "for": "pour",
		"certified": "certifié", "suspended": "suspendu", "decertified": "décertifié", "in_application": "en cours de certification",
		"producer": "producteur", "trader": "négociant", "exporter": "exportateur", "importer": "importateur", "manufacturer": "fabricant",
	},
	"en": {
		"title": "Fairtrade certification status", "name": "Operator", "country": "Country", "role": "Role",
		"products": "Products", "status": "Status", "valid": "Certificate valid until", "since": "Status since",
		"checked": "Status checked with FLOCERT on %s at %s.",
		"copy":    "FLOCERT could not be reached: status from the copy of the directory updated on %s.",
		"made":    "Document made on %s at %s by Ecert Desktop", "for": "for",
		"certified": "certified", "suspended": "suspended", "decertified": "decertified", "in_application": "applying for certification",
		"producer": "producer", "trader": "trader", "exporter": "exporter", "importer": "importer", "manufacturer": "manufacturer",
	},
	"es": {
		"title": "Estado de certificación Fairtrade", "name": "Operador", "country": "País", "role": "Función",
		"products": "Productos", "status": "Estado", "valid": "Certificado válido hasta el", "since": "Estado desde el",
		"checked": "Estado comprobado con FLOCERT el %s a las %s.",
		"copy":    "No se pudo consultar a FLOCERT: estado tomado de la copia del directorio actualizada el %s.",
		"made":    "Documento generado el %s a las %s por Ecert Desktop", "for": "para",
		"certified": "certificado", "suspended": "suspendido", "decertified": "descertificado", "in_application": "en proceso de certificación",
		"producer": "productor", "trader": "comerciante", "exporter": "exportador", "importer": "importador", "manufacturer": "fabricante",
	},
	"pt": {
		"title": "Status de certificação Fairtrade", "name": "Operador", "country": "País", "role": "Função",
		"products": "Produtos", "status": "Status", "valid": "Certificado válido até", "since": "Status desde",
		"checked": "Status verificado com a FLOCERT em %s às %s.",
		"copy":    "Não foi possível consultar a FLOCERT: status tirado da cópia do diretório atualizada em %s.",
		"made":    "Documento gerado em %s às %s pelo Ecert Desktop", "for": "para",
		"certified": "certificado", "suspended": "suspenso", "decertified": "descertificado", "in_application": "em processo de certificação",
		"producer": "produtor", "trader": "comerciante", "exporter": "exportador", "importer": "importador", "manufacturer": "fabricante",
	},
}

func proofLines(lang string, st PartnerStatus, by string, now time.Time) []pdfpage.Line {
	w := proofWords[lang]
	if w == nil {
		w = proofWords["en"]
	}
	word := func(k string) string {
		if v, ok := w[k]; ok {
			return v
		}
		return k
	}
	day := func(t time.Time) string { return t.Local().Format("02/01/2006") }
	lines := []pdfpage.Line{
		{Text: "Ecert Desktop", Size: 18, Bold: true},
		{Text: w["title"], Size: 20, Bold: true, Gap: 24},
		{Text: st.Name, Size: 15, Bold: true, Gap: 24},
		{Text: "FLO ID : " + st.FLOID},
		{Text: w["country"] + " : " + st.Country},
		{Text: w["role"] + " : " + word(st.Role)},
		{Text: w["products"] + " : " + strings.Join(st.Products, ", ")},
		{Text: w["status"] + " : " + strings.ToUpper(word(st.Status)), Size: 15, Bold: true, Gap: 16},
		{Text: w["since"] + " " + day(st.StatusChangedAt)},
	}
	if st.ValidUntil != "" {
		if t, err := time.Parse(time.DateOnly, string(st.ValidUntil)); err == nil {
			lines = append(lines, pdfpage.Line{Text: w["valid"] + " " + t.Format("02/01/2006")})
		}
	}
	if checked, err := time.Parse(time.RFC3339, st.CheckedAt); st.Checked && err == nil {
		lines = append(lines, pdfpage.Line{Text: fmt.Sprintf(w["checked"], day(checked), checked.Local().Format("15:04")), Bold: true, Gap: 24})
	} else {
		copyAt := "—"
		if t, err := time.Parse(time.RFC3339, st.CopyAt); err == nil {
			copyAt = day(t) + " " + t.Local().Format("15:04")
		}
		lines = append(lines, pdfpage.Line{Text: fmt.Sprintf(w["copy"], copyAt), Bold: true, Gap: 24})
	}
	made := fmt.Sprintf(w["made"], day(now), now.Local().Format("15:04"))
	if by != "" {
		made += " " + w["for"] + " " + by
	}
	return append(lines, pdfpage.Line{Text: made + ".", Size: 9, Gap: 40})
}
