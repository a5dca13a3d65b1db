package demo

import (
	"strconv"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/auth"
	"github.com/ecert-desktop/ecert-desktop/sync/server/certpdf"
	"github.com/ecert-desktop/ecert-desktop/sync/server/workflow"
)

// Criterion texts of the demo NCs, shared by the NCs and the checklist.
const (
	crit220003 = "Votre société explique aux travailleurs l'objectif de la prime Fairtrade (exigence applicable dès la première année de certification). Vous informez tous les travailleurs, dans une langue et sous une forme qu'ils comprennent, des règles d'utilisation de la prime, du rôle du Comité de la Prime Fairtrade et de leur droit de proposer des projets."
	crit011101 = "Pour qu'une organisation soit classée multi-propriété, il doit y avoir un minimum de deux plantations appartenant à des propriétaires différents, chacune avec sa propre direction et ses propres travailleurs. Un accord écrit entre les propriétaires définit les responsabilités de chacun dans le respect des standards Fairtrade."
	crit030002 = "L'organisation de 2ème/3ème échelon doit garantir que les organisations membres affiliées respectent les exigences applicables du standard, au moyen d'un système de contrôle interne documenté et d'une inspection annuelle de chaque organisation membre."
	crit110002 = "Vous acceptez de recevoir des audits annoncés et non annoncés sur votre site et sur les sites de vos membres, et vous donnez aux auditeurs accès à tous les lieux, documents et personnes nécessaires à l'audit."
	crit340001 = "Les salaires sont au moins égaux au salaire minimum légal ou régional, le plus élevé des deux."
	crit320001 = "Vous fournissez gratuitement aux travailleurs qui manipulent des produits dangereux des équipements de protection individuelle adaptés, et vous veillez à ce qu'ils les portent."
)

// The story of the demo, in days from today. The cooperative had its surveillance audit
// six weeks ago: two NCs of it are open (a CA due in the coming weeks; a CA accepted, its
// evidence due next month). Two NCs of the unannounced audit seven months ago are still
// open, one of them overdue; one is closed. The certificate is valid.
const (
	coopAudit      = -42  // AO-38369, the surveillance audit
	coopEarlier    = -210 // AO-28681, the unannounced audit before it
	coopCycleStart = -330 // the certification cycle (three years) and its certificate
)

func (d *demo) coop() {
	org := api.Organisation{
		ID: OrgCoop, Name: "Coopérative des Planteurs du Mont Vert",
		LegalName: "Coopérative des Planteurs du Mont Vert (COOPLAMOV)",
		Type:      "Producteur - HL - Plantations Multiples",
		Address:   "Route de Dschang, BP 214", City: "Bafoussam", PostalCode: "214", Country: "Cameroun",
		Email: "contact@montvert.example", Phone: "+237 233 44 12 80", Website: "https://montvert.example",
		Products: []string{"Thé", "Café arabica", "Banane"},
	}
	d.do(func() error { return d.s.UpsertOrganisation(d.ctx, org) })
	d.user(auth.NewUser{Username: "coop", Password: "coop", Name: "Marie Ngo Bassa", Role: api.RoleClient, OrgID: org.ID})
	// Field staff: drafts and evidence, never sending (api.OrgRole).
	d.user(auth.NewUser{Username: "coop-staff", Password: "coop-staff", Name: "Jean-Paul Essomba", Role: api.RoleClient,
		OrgID: org.ID, OrgRole: api.OrgRoleStaff})
	o := org.ID
	put := func(f func() error) { d.do(f) }

	cycleStart := d.day(coopCycleStart)
	cycleEnd := d.day(coopCycleStart + 3*365 - 1)
	certNo := "FLO-3542-" + yearOf(cycleStart)
	put(func() error {
		return d.s.UpsertCertification(d.ctx, o, api.Certification{ID: o, Status: "certified", Standard: "Hired Labour",
			Scope: []string{"Production", "Thé", "Café arabica", "Banane"}, CycleStart: cycleStart, CycleEnd: cycleEnd,
			LastAudit: d.day(coopAudit), NextAuditDue: d.day(coopAudit + 365), CertificateNo: certNo})
	})
	for _, c := range []api.Contact{
		{ID: "C-3542-01", Name: "Marie Ngo Bassa", Role: "Responsable qualité", Company: org.Name, Email: "m.ngobassa@montvert.example", Phone: "+237 677 21 45 09"},
		{ID: "C-3542-02", Name: "Samuel Fotso", Role: "Président du Comité de la Prime", Company: org.Name, Email: "s.fotso@montvert.example", Phone: "+237 699 80 12 33"},
		{ID: "C-3542-03", Name: "Alice Kamga", Role: "Directrice générale", Company: org.Name, Email: "direction@montvert.example", Phone: "+237 233 44 12 81"},
		analystContact,
	} {
		put(func() error { return d.s.UpsertContact(d.ctx, o, c) })
	}

	certFile := d.certificatePDF(org, certNo, "Hired Labour", cycleStart, cycleEnd)
	put(func() error {
		year, _ := strconv.Atoi(yearOf(cycleStart))
		return d.s.UpsertCertificate(d.ctx, o, api.Certificate{ID: "CERT-3542-2019", Number: certNo,
			Description: "CERT Certificate web en", Year: year, ValidUntil: cycleEnd, File: &certFile})
	})
	signed := d.day(coopCycleStart - 20)
	contract := d.file("Contrat de certification.pdf", "application/pdf", certpdf.Render("Contrat de certification", []certpdf.Line{
		{Text: "CONTRAT DE CERTIFICATION", Size: 18, Bold: true},
		{Text: "entre FLOCERT GmbH, Bonner Talweg 177, 53129 Bonn, Allemagne", Gap: 20},
		{Text: "et " + org.LegalName + " (FLO ID " + o + ")"},
		{Text: "1. Objet : certification Fairtrade de l'organisation selon les standards applicables.", Gap: 16},
		{Text: "2. Le client accepte les audits annoncés et non annoncés."},
		{Text: "3. Le client propose des mesures correctives pour toute non-conformité constatée."},
		{Text: "4. Durée : cycle de certification de trois ans, renouvelable."},
		{Text: "Fait à Bonn, le " + longFrench(signed), Gap: 24},
	}))
	put(func() error {
		return d.s.UpsertDocument(d.ctx, o, api.Document{ID: "DOC-3542-0001", Type: "certification_contract", Date: signed, File: contract})
	})

	for _, a := range []api.Audit{
		{ID: "AO-38369", Date: d.day(coopAudit), ServiceType: "Producteur - HL - Plantations Multiples", Type: "surveillance", Status: "in_evaluation", Auditor: "Paul Mbarga"},
		{ID: "AO-28681", Date: d.day(coopEarlier), ServiceType: "Producteur - HL - Plantations Multiples", Type: "unannounced", Status: "in_evaluation", Auditor: "Paul Mbarga"},
	} {
		put(func() error { return d.s.UpsertAudit(d.ctx, o, a) })
	}

	received := coopAudit + 12 // the analyst confirmed the audit's NCs
	dueCA := d.day(19)
	acceptedCA := api.CA{Text: "Rédaction et signature d'un accord de multi-propriété entre les deux propriétaires, précisant les responsabilités de chacun; présentation de l'accord et des listes de travailleurs de chaque plantation.",
		SubmittedAt: d.at(received+9, 8, 30), AnalystComment: "Satisfait. Merci de fournir l'accord signé comme preuve matérielle.", DecidedAt: d.at(received+21, 14, 5)}
	closedCA := api.CA{Text: "Achat de masques et de gants pour toutes les équipes d'application; formation annuelle à la sécurité.",
		SubmittedAt: d.at(coopEarlier+30, 10, 0), AnalystComment: "Satisfait.", DecidedAt: d.at(coopEarlier+38, 9, 0)}
	wagesCA := api.CA{Text: "Paie au moins égale au salaire minimum régional pour tous les cueilleurs; complément versé pour les trois derniers mois.",
		SubmittedAt: d.at(coopEarlier+60, 10, 30), AnalystComment: "Mesure adaptée. Merci d'envoyer les bulletins de paie du mois suivant.", DecidedAt: d.at(coopEarlier+70, 16, 0)}
	for _, nc := range []api.NC{
		{ID: d.nc("167140"), AuditID: "AO-38369", CriterionNumber: "2.2.0.03", CriterionText: crit220003, CriterionType: "core",
			Finding:      "Les travailleurs interrogés sur deux des trois plantations ne connaissent pas l'objectif de la prime Fairtrade ni la composition du Comité de la Prime. Aucune séance d'information n'a été tenue cette année.",
			ReceivedDate: d.day(received), DueDate: dueCA, Stage: api.StageCARequested, CAStatus: api.StatusRequested},
		{ID: d.nc("150424"), AuditID: "AO-38369", CriterionNumber: "0.1.1.01", CriterionText: crit011101, CriterionType: "core",
			Finding:      "L'accord écrit entre les propriétaires des plantations de Foumbot et de Baham n'a pas pu être présenté; la répartition des responsabilités n'est pas documentée.",
			ReceivedDate: d.day(received), DueDate: d.day(received + 30), EvidenceDueDate: d.day(33),
			Stage: api.StageEvidenceRequested, CAStatus: api.StatusAccepted, EvidenceStatus: api.StatusRequested, CA: &acceptedCA,
			CAHistory: []api.CAVersion{{Text: acceptedCA.Text, SubmittedAt: acceptedCA.SubmittedAt, Decision: workflow.DecisionAccepted,
				Comment: acceptedCA.AnalystComment, DecidedAt: acceptedCA.DecidedAt}}},
		{ID: d.nc("174410"), AuditID: "AO-28681", CriterionNumber: "0.3.0.02", CriterionText: crit030002, CriterionType: "major",
			Finding:      "Le système de contrôle interne n'a pas inspecté 3 des 11 organisations membres l'an dernier.",
			ReceivedDate: d.day(coopEarlier + 25), DueDate: d.day(40), Stage: api.StageCARequested, CAStatus: api.StatusRequested},
		// Its evidence sent three days ago: with the analyst, awaiting evaluation.
		{ID: d.nc("168802"), AuditID: "AO-28681", CriterionNumber: "3.4.0.01", CriterionText: crit340001, CriterionType: "core",
			Finding:      "Les cueilleurs de la plantation de Baham sont payés à la tâche sans garantie du salaire minimum régional.",
			ReceivedDate: d.day(coopEarlier + 25), DueDate: d.day(coopEarlier + 85), EvidenceDueDate: d.day(10),
			Stage: api.StageEvidenceSubmitted, CAStatus: api.StatusAccepted, EvidenceStatus: api.StatusSubmitted, CA: &wagesCA,
			CAHistory: []api.CAVersion{{Text: wagesCA.Text, SubmittedBy: "Marie Ngo Bassa", SubmittedAt: wagesCA.SubmittedAt,
				Decision: workflow.DecisionAccepted, Comment: wagesCA.AnalystComment, DecidedAt: wagesCA.DecidedAt}},
			EvidenceHistory: []api.EvidenceVersion{{Files: []string{"PM-3542-0003"}, SubmittedBy: "Marie Ngo Bassa", SubmittedAt: d.at(-3, 15, 20)}}},
		// The overdue one.
		{ID: d.nc("173086"), AuditID: "AO-28681", CriterionNumber: "1.1.0.02", CriterionText: crit110002, CriterionType: "core",
			Finding:      "L'accès à l'entrepôt de Mbouda a été refusé à l'auditeur le " + dmy(d.day(coopEarlier)) + ".",
			ReceivedDate: d.day(coopEarlier + 25), DueDate: d.day(-6), Stage: api.StageCARequested, CAStatus: api.StatusRequested},
		{ID: d.nc("131877"), AuditID: "AO-28681", CriterionNumber: "3.2.0.01", CriterionText: crit320001, CriterionType: "development", Score: 2,
			Finding:      "Deux travailleurs appliquant des pesticides ne portaient pas de masque.",
			ReceivedDate: d.day(coopEarlier + 20), DueDate: d.day(coopEarlier + 110), Stage: api.StageClosed, CAStatus: api.StatusAccepted, EvidenceStatus: api.StatusAccepted,
			CA: &closedCA},
		// Entered by the auditor, not yet confirmed by the analyst: clients never see it.
		{ID: d.nc(HiddenNCNumber), AuditID: "AO-38369", CriterionNumber: "3.5.0.01", CriterionText: "Vous tenez un registre des heures travaillées par chaque travailleur.",
			CriterionType: "core", Finding: "Registre incomplet pour le mois de l'audit.", Stage: workflow.StageEntered},
	} {
		put(func() error { return d.s.UpsertNC(d.ctx, o, nc) })
	}

	for _, m := range []api.Message{
		{ID: "MSG-3542-0001", NCID: d.nc("167140"), Author: analystName, AuthorRole: api.RoleAnalyst, SentAt: d.at(received, 9, 15),
			Body: "Bonjour, merci de proposer une mesure corrective pour cette non-conformité avant le " + dmy(dueCA) + ". Pensez à préciser comment et quand les travailleurs seront informés."},
		{ID: "MSG-3542-0002", NCID: d.nc("167140"), Author: "Marie Ngo Bassa", AuthorRole: api.RoleClient, SentAt: d.at(received+6, 11, 42),
			Body: "Bonjour Madame Dubois, nous prévoyons des réunions d'information sur chaque plantation le mois prochain. Faut-il joindre les listes de présence ?"},
		{ID: "MSG-3542-0003", NCID: d.nc("167140"), Author: analystName, AuthorRole: api.RoleAnalyst, SentAt: d.at(received+7, 8, 3),
			Body: "Oui, les listes de présence signées et le support présenté seront de bonnes preuves matérielles. Indiquez-le dans votre mesure corrective."},
	} {
		put(func() error { return d.s.AddMessage(d.ctx, o, m) })
	}

	png := d.file("image.png", "image/png", demoPNG())
	xlsx := d.file("Audits 10-12 October 2018.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", demoXLSX([][]string{
		{"Plantation", "Propriétaire", "Travailleurs", "Date d'audit"},
		{"Foumbot", "Famille Njoya", "84", dmy(d.day(coopAudit - 2))},
		{"Baham", "SCI Hauts Plateaux", "61", dmy(d.day(coopAudit - 1))},
		{"Bafoussam", "Coopérative", "112", dmy(d.day(coopAudit))},
	}))
	payslips := d.file("Bulletins de paie Baham.pdf", "application/pdf", certpdf.Render("Bulletins de paie", []certpdf.Line{
		{Text: "PLANTATION DE BAHAM — BULLETINS DE PAIE", Size: 16, Bold: true},
		{Text: "Cueilleurs : 61; salaire minimum régional appliqué à tous.", Gap: 16},
		{Text: "Complément des trois mois précédents versé le " + dmy(d.day(-10)) + "."},
	}))
	for _, e := range []api.Evidence{
		{ID: "PM-3542-0003", NCID: d.nc("168802"), Type: "evidence", Date: d.day(-4), Subject: "Bulletins de paie du mois, plantation de Baham",
			File: payslips, AddedAt: d.at(-4, 11, 0), Submitted: true},
		{ID: "PM-3542-0001", NCID: d.nc("150424"), Type: "evidence", Date: d.day(received + 9), File: png, AddedAt: d.at(received+9, 9, 1)},
		{ID: "PM-3542-0002", NCID: d.nc("150424"), Type: "evidence", Date: d.day(received + 9), File: xlsx, AddedAt: d.at(received+9, 9, 2)},
	} {
		put(func() error { return d.s.AddEvidence(d.ctx, o, e) })
	}

	for _, c := range coopChecklist(d.today.Year()) {
		put(func() error { return d.s.UpsertCriterion(d.ctx, o, c) })
	}
}

// coopChecklist is "Ma checklist" of the demo cooperative (Hired Labour standard).
func coopChecklist(year int) []api.Criterion {
	rows := []struct{ number, section, typ, text string }{
		{"0.1.1.01", "0.1 Certification", "core", crit011101},
		{"0.1.1.02", "0.1 Certification", "core", "Vous désignez une personne de contact pour toutes les questions de certification et informez FLOCERT de tout changement."},
		{"0.3.0.02", "0.3 Organisations de 2ème/3ème échelon", "major", crit030002},
		{"1.1.0.01", "1.1 Audits", "core", "Vous acceptez les conditions générales de certification et payez les frais de certification dans les délais."},
		{"1.1.0.02", "1.1 Audits", "core", crit110002},
		{"1.2.0.01", "1.2 Sous-traitance", "core", "Vous informez FLOCERT de tous les sous-traitants qui manipulent des produits Fairtrade."},
		{"2.1.0.01", "2.1 Prime Fairtrade", "core", "Vous mettez en place un Comité de la Prime Fairtrade élu démocratiquement par les travailleurs."},
		{"2.1.0.02", "2.1 Prime Fairtrade", "core", "Le Comité de la Prime se réunit au moins deux fois par an et tient des procès-verbaux signés."},
		{"2.2.0.01", "2.2 Utilisation de la prime", "core", "La prime est déposée sur un compte bancaire séparé, géré par le Comité de la Prime."},
		{"2.2.0.03", "2.2 Utilisation de la prime", "core", crit220003},
		{"2.2.0.05", "2.2 Utilisation de la prime", "development", "Le Comité de la Prime établit un plan de prime annuel approuvé par l'assemblée des travailleurs."},
		{"3.1.0.01", "3.1 Non-discrimination", "core", "Vous ne pratiquez aucune discrimination à l'embauche, dans la rémunération ou la promotion."},
		{"3.1.0.05", "3.1 Non-discrimination", "core", "Vous avez une politique écrite contre le harcèlement sexuel, connue de tous les travailleurs."},
		{"3.2.0.01", "3.2 Santé et sécurité", "development", crit320001},
		{"3.2.0.04", "3.2 Santé et sécurité", "core", "Les travailleurs ont accès à de l'eau potable et à des installations sanitaires propres."},
		{"3.3.0.01", "3.3 Liberté d'association", "core", "Vous reconnaissez par écrit le droit des travailleurs à s'affilier au syndicat de leur choix."},
		{"3.4.0.01", "3.4 Conditions d'emploi", "core", crit340001},
		{"3.4.0.07", "3.4 Conditions d'emploi", "core", "Chaque travailleur reçoit un contrat de travail écrit, signé, dans une langue qu'il comprend."},
		{"3.5.0.01", "3.5 Temps de travail", "core", "Vous tenez un registre des heures travaillées par chaque travailleur."},
		{"3.5.0.03", "3.5 Temps de travail", "development", "Les heures supplémentaires sont volontaires, limitées et rémunérées au taux majoré."},
		{"4.1.0.01", "4.1 Environnement", "development", "Vous identifiez les zones d'érosion et mettez en place des mesures pour les réduire."},
		{"4.2.0.01", "4.2 Pesticides", "core", "Vous n'utilisez aucun pesticide de la liste rouge des substances interdites Fairtrade."},
		{"4.3.0.02", "4.3 Eau", "voluntary", "Vous mesurez la consommation d'eau pour l'irrigation et fixez des objectifs de réduction."},
		{"4.5.0.01", "4.5 Biodiversité", "core", "Vous protégez les zones à haute valeur de conservation et ne défrichez pas de forêt primaire."},
	}
	out := make([]api.Criterion, 0, len(rows))
	for _, r := range rows {
		out = append(out, api.Criterion{ID: r.number, Number: r.number, Section: r.section, Text: r.text, Type: r.typ, Year: year})
	}
	return out
}

// The estate's initial audit was two months ago; one CA is requested, one is with the
// analyst.
const (
	estateAudit      = -60
	estateCycleStart = -30
)

func (d *demo) estate() {
	org := api.Organisation{
		ID: OrgEstate, Name: "Domaine de Rivière Claire",
		LegalName: "Domaine de Rivière Claire SARL",
		Type:      "Producteur - HL - Plantation unique",
		Address:   "Lot II M 45 Ambohimanarina", City: "Antsirabe", PostalCode: "110", Country: "Madagascar",
		Email: "bureau@riviereclaire.example", Phone: "+261 20 44 491 20", Website: "https://riviereclaire.example",
		Products: []string{"Thé noir"},
	}
	d.do(func() error { return d.s.UpsertOrganisation(d.ctx, org) })
	d.user(auth.NewUser{Username: "estate", Password: "estate", Name: "Hery Rakotomalala", Role: api.RoleClient, OrgID: org.ID})
	o := org.ID
	put := func(f func() error) { d.do(f) }
	cycleStart := d.day(estateCycleStart)
	cycleEnd := d.day(estateCycleStart + 3*365 - 1)
	certNo := "FLO-27816-" + yearOf(cycleStart)
	put(func() error {
		return d.s.UpsertCertification(d.ctx, o, api.Certification{ID: o, Status: "certified", Standard: "Hired Labour",
			Scope: []string{"Production", "Thé noir"}, CycleStart: cycleStart, CycleEnd: cycleEnd,
			LastAudit: d.day(estateAudit), NextAuditDue: d.day(estateAudit + 365), CertificateNo: certNo})
	})
	for _, c := range []api.Contact{
		{ID: "C-27816-01", Name: "Hery Rakotomalala", Role: "Responsable certification", Company: org.Name, Email: "hery@riviereclaire.example", Phone: "+261 34 05 112 67"},
		analystContact,
	} {
		put(func() error { return d.s.UpsertContact(d.ctx, o, c) })
	}
	certFile := d.certificatePDF(org, certNo, "Hired Labour", cycleStart, cycleEnd)
	put(func() error {
		year, _ := strconv.Atoi(yearOf(cycleStart))
		return d.s.UpsertCertificate(d.ctx, o, api.Certificate{ID: "CERT-27816-2019", Number: certNo,
			Description: "CERT Certificate web fr", Year: year, ValidUntil: cycleEnd, File: &certFile})
	})
	put(func() error {
		return d.s.UpsertAudit(d.ctx, o, api.Audit{ID: "AO-41207", Date: d.day(estateAudit), ServiceType: "Producteur - HL - Plantation unique",
			Type: "initial", Status: "in_evaluation", Auditor: "Paul Mbarga"})
	})
	received := estateAudit + 14
	for _, nc := range []api.NC{
		{ID: d.nc("171520"), AuditID: "AO-41207", CriterionNumber: "3.4.0.07", CriterionType: "core",
			CriterionText: "Chaque travailleur reçoit un contrat de travail écrit, signé, dans une langue qu'il comprend.",
			Finding:       "Les cueilleurs saisonniers n'ont pas de contrat écrit.", ReceivedDate: d.day(received), DueDate: d.day(25),
			Stage: api.StageCARequested, CAStatus: api.StatusRequested},
		{ID: d.nc("171521"), AuditID: "AO-41207", CriterionNumber: "4.2.0.01", CriterionType: "core",
			CriterionText: "Vous n'utilisez aucun pesticide de la liste rouge des substances interdites Fairtrade.",
			Finding:       "Un stock de paraquat a été trouvé dans le magasin.", ReceivedDate: d.day(received), DueDate: d.day(received + 30),
			Stage: api.StageCASubmitted, CAStatus: api.StatusSubmitted,
			CA: &api.CA{Text: "Le stock a été retiré et remis au fournisseur; bordereau de reprise joint.", SubmittedAt: d.at(-10, 7, 45)}},
	} {
		put(func() error { return d.s.UpsertNC(d.ctx, o, nc) })
	}
	put(func() error {
		return d.s.AddMessage(d.ctx, o, api.Message{ID: "MSG-27816-0001", NCID: d.nc("171521"), Author: analystName,
			AuthorRole: api.RoleAnalyst, SentAt: d.at(-8, 10, 0), Body: "Merci, j'évalue votre mesure corrective cette semaine."})
	})
}
