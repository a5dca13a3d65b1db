package exports

import (
	"fmt"
	"time"
)

// labels are the words of the exported files in one language. The register is read
// by auditors and managers who never saw the app, so it uses the portal's terms
// (shared/GLOSSARY.md) and says what every column is.
type labels struct {
	Title, Sheet, Exported, Page, Filter                    string
	Audit, AuditDate, Service, NC, Criterion, CriterionText string
	CriterionType, Finding, Score, Received, Due, Stage     string
	CAStatus, CA, CADraft, CASent, CASentBy, CADecisions    string
	EvidenceStatus, Evidence, EvidenceBy, EvidenceDecisions string
	Responsible, InternalDue, CAAuthor, EvidenceAddedBy     string // the organisation's people
	None, By, NoRows                                        string
	NotSent                                                 string // an evidence file waiting to go
	Filters, Stages, Statuses, Types, Decisions             map[string]string
	Colon                                                   string // between a label and its value
	months                                                  []string
	dateFormat                                              string // short dates: time layout
	longDate                                                func(t time.Time, months []string) string
}

// Languages are the languages the exports are written in.
var Languages = []string{"fr", "en", "es", "pt"}

// words returns the labels of lang; English for a language the exports do not know.
func words(lang string) *labels {
	if l, ok := allLabels[lang]; ok {
		return l
	}
	return allLabels["en"]
}

// short writes a YYYY-MM-DD date as the language writes dates; "" stays "".
func (l *labels) short(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format(l.dateFormat)
}

// long writes a day in words: 5 décembre 2026, 5 December 2026, 5 de diciembre de 2026.
func (l *labels) long(t time.Time) string { return l.longDate(t, l.months) }

// word looks a code up in a table of the language, falling back to the code itself.
func word(table map[string]string, code string) string {
	if w, ok := table[code]; ok {
		return w
	}
	return code
}

var allLabels = map[string]*labels{
	"fr": {
		NotSent:     "pas encore envoyée",
		Responsible: "Responsable", InternalDue: "Échéance interne", CAAuthor: "MC rédigée par", EvidenceAddedBy: "PM ajoutées par",
		Title: "Registre des non-conformités et mesures correctives", Sheet: "Registre",
		Exported: "Exporté le", Page: "Page", Filter: "Liste",
		Audit: "N° audit", AuditDate: "Date d'audit", Service: "Prestation", NC: "N° NC",
		Criterion: "CC N°", CriterionText: "Critère de conformité", CriterionType: "Type de critère",
		Finding: "Non-conformité", Score: "Score", Received: "Reçu le", Due: "Dû le", Stage: "Étape",
		CAStatus: "Statut MC", CA: "Mesure corrective", CADraft: "Brouillon non envoyé",
		CASent: "MC envoyée le", CASentBy: "MC envoyée par", CADecisions: "Décisions de l'analyste sur la MC",
		EvidenceStatus: "Statut PM", Evidence: "Preuves matérielles", EvidenceBy: "PM envoyées par",
		EvidenceDecisions: "Décisions de l'analyste sur les PM", None: "—", By: "par",
		NoRows: "Aucune non-conformité dans cette liste.",
		Filters: map[string]string{"ca": "MC à mettre en place", "evidence": "PM à soumettre", "sent": "Envoyées — en attente d'évaluation",
			"open": "Toutes les NC ouvertes", "history": "Historique", "all": "Toutes les NC"},
		Stages: map[string]string{"ca_requested": "MC demandée", "ca_submitted": "MC envoyée",
			"ca_returned": "MC retournée", "evidence_requested": "PM demandées", "evidence_submitted": "PM envoyées",
			"evidence_returned": "PM retournées", "closed": "Clôturée"},
		Statuses: map[string]string{"": "—", "requested": "Demandée", "submitted": "Soumise",
			"returned": "Retournée", "accepted": "Satisfait"},
		Types: map[string]string{"core": "Fondamental", "major": "Majeur", "development": "Développement",
			"voluntary": "Bonne pratique volontaire", "reactive": "Réactif"},
		Decisions: map[string]string{"accepted": "acceptée", "returned": "retournée", "": "en attente"},
		Colon:     " : ",
		months: []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
			"septembre", "octobre", "novembre", "décembre"},
		dateFormat: "02/01/2006",
		longDate: func(t time.Time, m []string) string {
			return fmt.Sprintf("%d %s %d", t.Day(), m[t.Month()-1], t.Year())
		},
	},
	"en": {
		NotSent:     "not sent yet",
		Responsible: "Responsible person", InternalDue: "Internal due date", CAAuthor: "CA written by", EvidenceAddedBy: "Evidence added by",
		Title: "Register of non-conformities and corrective measures", Sheet: "Register",
		Exported: "Exported on", Page: "Page", Filter: "List",
		Audit: "Audit no.", AuditDate: "Audit date", Service: "Service", NC: "NC no.",
		Criterion: "CC no.", CriterionText: "Compliance criterion", CriterionType: "Criterion type",
		Finding: "Non-conformity", Score: "Score", Received: "Received", Due: "Due", Stage: "Stage",
		CAStatus: "CA status", CA: "Corrective measure", CADraft: "Draft not sent",
		CASent: "CA sent on", CASentBy: "CA sent by", CADecisions: "Analyst's decisions on the CA",
		EvidenceStatus: "Evidence status", Evidence: "Objective evidence", EvidenceBy: "Evidence sent by",
		EvidenceDecisions: "Analyst's decisions on the evidence", None: "—", By: "by",
		NoRows: "No non-conformity in this list.",
		Filters: map[string]string{"ca": "CAs to submit", "evidence": "Evidence to submit", "sent": "Sent — awaiting evaluation",
			"open": "All open NCs", "history": "History", "all": "All NCs"},
		Stages: map[string]string{"ca_requested": "CA requested", "ca_submitted": "CA sent",
			"ca_returned": "CA returned", "evidence_requested": "Evidence requested", "evidence_submitted": "Evidence sent",
			"evidence_returned": "Evidence returned", "closed": "Closed"},
		Statuses: map[string]string{"": "—", "requested": "Requested", "submitted": "Submitted",
			"returned": "Returned", "accepted": "Satisfied"},
		Types: map[string]string{"core": "Core", "major": "Major", "development": "Development",
			"voluntary": "Voluntary best practice", "reactive": "Reactive"},
		Decisions: map[string]string{"accepted": "accepted", "returned": "returned", "": "pending"},
		Colon:     ": ",
		months: []string{"January", "February", "March", "April", "May", "June", "July", "August",
			"September", "October", "November", "December"},
		dateFormat: "2 Jan 2006",
		longDate: func(t time.Time, m []string) string {
			return fmt.Sprintf("%d %s %d", t.Day(), m[t.Month()-1], t.Year())
		},
	},
	"es": {
		NotSent:     "aún no enviada",
		Responsible: "Responsable", InternalDue: "Vencimiento interno", CAAuthor: "MC redactada por", EvidenceAddedBy: "Evidencias añadidas por",
		Title: "Registro de no conformidades y medidas correctivas", Sheet: "Registro",
		Exported: "Exportado el", Page: "Página", Filter: "Lista",
		Audit: "N.º de auditoría", AuditDate: "Fecha de auditoría", Service: "Servicio", NC: "N.º NC",
		Criterion: "N.º CC", CriterionText: "Criterio de cumplimiento", CriterionType: "Tipo de criterio",
		Finding: "No conformidad", Score: "Puntuación", Received: "Recibido", Due: "Vence", Stage: "Etapa",
		CAStatus: "Estado MC", CA: "Medida correctiva", CADraft: "Borrador sin enviar",
		CASent: "MC enviada el", CASentBy: "MC enviada por", CADecisions: "Decisiones del analista sobre la MC",
		EvidenceStatus: "Estado evidencias", Evidence: "Evidencias objetivas", EvidenceBy: "Evidencias enviadas por",
		EvidenceDecisions: "Decisiones del analista sobre las evidencias", None: "—", By: "por",
		NoRows: "Ninguna no conformidad en esta lista.",
		Filters: map[string]string{"ca": "MC por presentar", "evidence": "Evidencias por presentar", "sent": "Enviadas — en espera de evaluación",
			"open": "Todas las NC abiertas", "history": "Historial", "all": "Todas las NC"},
		Stages: map[string]string{"ca_requested": "MC solicitada", "ca_submitted": "MC enviada",
			"ca_returned": "MC devuelta", "evidence_requested": "Evidencias solicitadas", "evidence_submitted": "Evidencias enviadas",
			"evidence_returned": "Evidencias devueltas", "closed": "Cerrada"},
		Statuses: map[string]string{"": "—", "requested": "Solicitada", "submitted": "Presentada",
			"returned": "Devuelta", "accepted": "Satisfecho"},
		Types: map[string]string{"core": "Básico", "major": "Mayor", "development": "Desarrollo",
			"voluntary": "Buena práctica voluntaria", "reactive": "Reactivo"},
		Decisions: map[string]string{"accepted": "aceptada", "returned": "devuelta", "": "pendiente"},
		Colon:     ": ",
		months: []string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
			"septiembre", "octubre", "noviembre", "diciembre"},
		dateFormat: "02/01/2006",
		longDate: func(t time.Time, m []string) string {
			return fmt.Sprintf("%d de %s de %d", t.Day(), m[t.Month()-1], t.Year())
		},
	},
	"pt": {
		NotSent:     "ainda não enviada",
		Responsible: "Responsável", InternalDue: "Prazo interno", CAAuthor: "MC redigida por", EvidenceAddedBy: "Evidências anexadas por",
		Title: "Registro de não conformidades e medidas corretivas", Sheet: "Registro",
		Exported: "Exportado em", Page: "Página", Filter: "Lista",
		Audit: "Nº da auditoria", AuditDate: "Data da auditoria", Service: "Serviço", NC: "Nº da NC",
		Criterion: "Nº do CC", CriterionText: "Critério de conformidade", CriterionType: "Tipo de critério",
		Finding: "Não conformidade", Score: "Pontuação", Received: "Recebida em", Due: "Prazo", Stage: "Etapa",
		CAStatus: "Status MC", CA: "Medida corretiva", CADraft: "Rascunho não enviado",
		CASent: "MC enviada em", CASentBy: "MC enviada por", CADecisions: "Decisões do analista sobre a MC",
		EvidenceStatus: "Status evidências", Evidence: "Evidências objetivas", EvidenceBy: "Evidências enviadas por",
		EvidenceDecisions: "Decisões do analista sobre as evidências", None: "—", By: "por",
		NoRows: "Nenhuma não conformidade nesta lista.",
		Filters: map[string]string{"ca": "MCs a apresentar", "evidence": "Evidências a apresentar", "sent": "Enviadas — aguardando avaliação",
			"open": "Todas as NCs em aberto", "history": "Histórico", "all": "Todas as NCs"},
		Stages: map[string]string{"ca_requested": "MC solicitada", "ca_submitted": "MC enviada",
			"ca_returned": "MC devolvida", "evidence_requested": "Evidências solicitadas", "evidence_submitted": "Evidências enviadas",
			"evidence_returned": "Evidências devolvidas", "closed": "Encerrada"},
		Statuses: map[string]string{"": "—", "requested": "Solicitada", "submitted": "Enviada",
			"returned": "Devolvida", "accepted": "Satisfatória"},
		Types: map[string]string{"core": "Essencial", "major": "Principal", "development": "Desenvolvimento",
			"voluntary": "Boa prática voluntária", "reactive": "Reativo"},
		Decisions: map[string]string{"accepted": "aceita", "returned": "devolvida", "": "pendente"},
		Colon:     ": ",
		months: []string{"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
			"setembro", "outubro", "novembro", "dezembro"},
		dateFormat: "02/01/2006",
		longDate: func(t time.Time, m []string) string {
			return fmt.Sprintf("%d de %s de %d", t.Day(), m[t.Month()-1], t.Year())
		},
	},
}

// RegisterName is the register's suggested file name: registre-NC-2026-12-05.pdf.
func RegisterName(lang string, day time.Time, format string) string {
	base := map[string]string{"fr": "registre-NC", "es": "registro-NC", "pt": "registro-NC"}[lang]
	if base == "" {
		base = "NC-register"
	}
	return base + "-" + day.Format(time.DateOnly) + "." + format
}

// CalendarName is the calendar's suggested file name.
func CalendarName(lang string) string {
	switch lang {
	case "fr":
		return "echeances-ecert.ics"
	case "es":
		return "plazos-ecert.ics"
	case "pt":
		return "prazos-ecert.ics"
	}
	return "ecert-deadlines.ics"
}
