package ical

// Labels are the words of the calendar in one language: the portal's terms
// (shared/GLOSSARY.md), as the register uses them.
type Labels struct {
	Name                                 string // of the calendar
	CA, Evidence, Internal               string // an NC's deadlines
	Certificate, NextAudit, Audit        string
	AuditWord, Criterion, Finding, Colon string // an NC's description
	Responsible                          string
}

// Languages are the languages the calendar is written in.
var Languages = []string{"fr", "en", "es", "pt"}

// Words returns the labels of lang; English for a language the calendar does not know.
func Words(lang string) *Labels {
	if l, ok := words[lang]; ok {
		return l
	}
	return words["en"]
}

var words = map[string]*Labels{
	"fr": {
		Name: "Échéances Ecert", CA: "MC due", Evidence: "PM dues", Internal: "Échéance interne",
		Certificate: "Fin de validité du certificat", NextAudit: "Prochain audit dû", Audit: "Audit prévu",
		AuditWord: "N° audit", Criterion: "CC N°", Finding: "Non-conformité", Colon: " : ",
		Responsible: "Responsable",
	},
	"en": {
		Name: "Ecert deadlines", CA: "CA due", Evidence: "Evidence due", Internal: "Internal due date",
		Certificate: "Certificate expires", NextAudit: "Next audit due", Audit: "Planned audit",
		AuditWord: "Audit no.", Criterion: "CC no.", Finding: "Non-conformity", Colon: ": ",
		Responsible: "Responsible",
	},
	"es": {
		Name: "Plazos de Ecert", CA: "Vence la MC", Evidence: "Vencen las evidencias", Internal: "Plazo interno",
		Certificate: "Vence el certificado", NextAudit: "Próxima auditoría", Audit: "Auditoría prevista",
		AuditWord: "N.º de auditoría", Criterion: "N.º CC", Finding: "No conformidad", Colon: ": ",
		Responsible: "Responsable",
	},
	"pt": {
		Name: "Prazos do Ecert", CA: "Prazo da MC", Evidence: "Prazo das evidências", Internal: "Prazo interno",
		Certificate: "Fim da validade do certificado", NextAudit: "Próxima auditoria", Audit: "Auditoria prevista",
		AuditWord: "Nº da auditoria", Criterion: "Nº do CC", Finding: "Não conformidade", Colon: ": ",
		Responsible: "Responsável",
	},
}
