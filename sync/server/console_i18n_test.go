package server_test

import (
	"bytes"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/demo"
)

// The console in the analyst's language (issue 13): the chooser's cookie, else the
// browser's Accept-Language, else English.

// getIn fetches a console page with extra headers (name, value, …).
func (b *browser) getIn(path string, headers ...string) page {
	b.e.t.Helper()
	req, _ := http.NewRequest("GET", b.e.http.URL+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.send(req)
}

var tags = regexp.MustCompile(`(?s)<[^>]*>`)

// visible is the text of a page a reader sees: no markup, attributes or title.
func visible(body string) string {
	if i := strings.Index(body, "<body>"); i >= 0 {
		body = body[i:]
	}
	return html.UnescapeString(tags.ReplaceAllString(body, " "))
}

// wantWords checks a page shows every word of want and none of raw, nor a message the
// catalogue failed to fill.
func wantWords(t *testing.T, name string, p page, want, raw []string) {
	t.Helper()
	wantStatus(t, p, http.StatusOK)
	text := visible(p.body)
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q", name, w)
		}
	}
	for _, w := range raw {
		if regexp.MustCompile(`(^|[^\pL_.])` + regexp.QuoteMeta(w) + `($|[^\pL_])`).MatchString(text) {
			t.Errorf("%s shows %q", name, w)
		}
	}
	for _, bad := range []string{"%!", "(MISSING)", "EXTRA"} {
		if strings.Contains(text, bad) {
			t.Errorf("%s shows a badly filled message: %q", name, bad)
		}
	}
}

// rawWords are identifiers of the data and English words the French pages must not show.
var rawWords = []string{"pending", "accepted", "refused", "phone", "postal_code", "city", "update", "contact",
	"entered", "ca_requested", "ca_submitted", "evidence_requested", "closed", "in_evaluation", "renewal",
	"analyst", "certified", "producer", "ca.submit", "applied", "satisfied", "requested", "submitted",
	"Change requests", "Non-conformities", "Messages about no NC", "Audit trail", "Corrective action",
	"Received", "Due", "Status", "Log out", "Operators", "Field", "Current", "Proposed", "Accept", "Refuse"}

func TestConsoleInFrench(t *testing.T) {
	e := newEnv(t)
	coop := e.token("coop")
	base := e.nc(coop, ncOpen).Revision
	e.push(coop, clientA,
		requestEntry(1, api.ChangeProposal{Target: api.TargetContact, Action: api.ActionUpdate, TargetID: coopContact,
			Fields: map[string]string{"phone": "+237 600 00 00 01"}}),
		requestEntry(2, api.ChangeProposal{Target: api.TargetOrganisation, Action: api.ActionUpdate,
			Fields: map[string]string{"city": "Dschang", "postal_code": "BP 12"}}),
		api.PushEntry{Seq: 3, Kind: api.KindCASubmit, NCID: ncOpen, BaseRevision: base, Text: "Réunions en février."})

	b := e.browser()
	wantStatus(t, b.login("analyst"), http.StatusSeeOther)
	orgPath := "/console/orgs/" + demo.OrgCoop
	sw := b.get("/console/lang/fr?next=" + url.QueryEscape(orgPath))
	if sw.status != http.StatusSeeOther || sw.location != orgPath {
		t.Fatalf("choosing French: %d to %q", sw.status, sw.location)
	}

	org := b.get(orgPath)
	if !strings.Contains(org.body, `<html lang="fr">`) || org.header.Get("Content-Language") != "fr" {
		t.Errorf("the organisation page is not marked French: %q", org.header.Get("Content-Language"))
	}
	wantWords(t, "the organisation page", org, []string{
		"Non-conformités", "Demandes de modification", "Modification de l'interlocuteur " + coopContact,
		"Modification des données principales", "Téléphone", "Ville", "Code postal", "Valeur actuelle", "Valeur proposée",
		"en attente", "MC soumise — à évaluer", "MC demandée", "Statut MC", "Dû le", "Se déconnecter", "Accepter", "Refuser",
		"Messages hors NC", "analyste", "Français",
	}, rawWords)

	nc := b.get(orgPath + "/ncs/" + ncOpen)
	wantWords(t, "the NC page", nc, []string{
		"Non-conformité " + ncOpen, "Mesure corrective", "MC soumise — à évaluer", "Critère de conformité",
		"Historique des actions", "Depuis l'application : MC soumise (pris en compte)", "Communication", "Retourner",
		"Commentaire au client (obligatoire)",
	}, rawWords)

	// A refusal of the workflow is said in French, next to the form.
	ret := b.post(orgPath+"/ncs/"+ncOpen+"/return", url.Values{"csrf": {csrfOf(t, nc)}, "comment": {""}})
	wantStatus(t, ret, http.StatusBadRequest)
	if !strings.Contains(visible(ret.body), "Un commentaire est obligatoire") {
		t.Errorf("the refusal is not in French: %s", errorOf(ret))
	}

	// So is a refused field, with its name in French.
	empty := b.post(orgPath+"/messages", url.Values{"csrf": {csrfOf(t, nc)}, "body": {"  "}})
	if got := errorOf(empty); empty.status != http.StatusBadRequest || got != "Le champ « message » est vide : remplissez-le d'abord." {
		t.Errorf("an empty message: %d %q", empty.status, got)
	}

	// Deciding a request: the flash and the decided state in French.
	id := api.RequestID(clientA, 1)
	wantStatus(t, b.post(orgPath+"/requests/"+id+"/refuse", url.Values{"csrf": {csrfOf(t, org)}, "comment": {"Numéro inconnu."}}), http.StatusSeeOther)
	done := b.get(orgPath + "?done=request-refuse")
	wantWords(t, "the organisation page after refusing", done, []string{"Demande de modification refusée", "refusée"}, rawWords)

	op := b.get("/console/operators?flo=" + demo.OrgCoop)
	wantWords(t, "the operator page", op, []string{"Opérateurs", "Statut", "Valable jusqu'au", "Suspendre"}, rawWords)
	if !strings.Contains(op.body, `data-status="certified"`) {
		t.Errorf("the operator page lost its status code for tools")
	}

	for _, path := range []string{"/console/orgs", "/console/orgs/" + demo.OrgCoop + "/audits/AO-38369", "/console/password", "/console/crashes"} {
		wantWords(t, path, b.get(path), []string{"Se déconnecter", "Opérateurs"}, []string{"Log out", "Organisations with", "Change your password", "Crash reports"})
	}
}

var hrefs0 = regexp.MustCompile(`<a href="([^"]+)" hreflang="es"`)

// chooserLink is the path of a language chooser's link and the page it comes back to.
func chooserLink(href string) (path, next string) {
	u, err := url.Parse(html.UnescapeString(href))
	if err != nil {
		return "", ""
	}
	return u.Path, u.Query().Get("next")
}

func TestConsoleLanguageChoice(t *testing.T) {
	m := newMatrix(t)
	b := m.browser()
	wantStatus(t, b.login("analyst"), http.StatusSeeOther)
	orgPath := "/console/orgs/" + demo.OrgCoop

	// No cookie: the browser's language, else English.
	wantWords(t, "no language asked", b.get(orgPath), []string{"Change requests", "Log out"}, []string{"Demandes de modification"})
	wantWords(t, "Accept-Language es", b.getIn(orgPath, "Accept-Language", "es-ES,es;q=0.9,en;q=0.5"),
		[]string{"Solicitudes de cambio", "Cerrar sesión", "No conformidades"}, []string{"Change requests"})
	english := b.get(orgPath)

	// Every page offers the four languages; each link comes back to the page.
	hrefs := regexp.MustCompile(`<a href="([^"]+)" hreflang="([a-z]+)"`).FindAllStringSubmatch(english.body, -1)
	if len(hrefs) != 4 {
		t.Fatalf("language chooser: %d links", len(hrefs))
	}
	for _, h := range hrefs {
		if path, next := chooserLink(h[1]); path != "/console/lang/"+h[2] || next != orgPath {
			t.Errorf("chooser link %q", h[1])
		}
	}
	// After a refused form the chooser goes back to the page the form was on.
	req, _ := http.NewRequest("POST", m.http.URL+orgPath+"/messages", strings.NewReader(url.Values{"csrf": {csrfOf(t, english)}, "body": {""}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", m.http.URL+orgPath+"#general")
	refused := b.send(req)
	if m := hrefs0.FindStringSubmatch(refused.body); m == nil {
		t.Errorf("no chooser after a refused form")
	} else if _, next := chooserLink(m[1]); refused.status != http.StatusBadRequest || next != orgPath {
		t.Errorf("the chooser of a refused form (%d) goes back to %q", refused.status, next)
	}

	before := m.snapshot(t)
	// The chooser: a cookie for the console's pages, that beats Accept-Language.
	sw := b.get("/console/lang/pt?next=" + url.QueryEscape(orgPath+"#requests"))
	if sw.status != http.StatusSeeOther || sw.location != orgPath+"#requests" {
		t.Fatalf("choosing Portuguese: %d to %q", sw.status, sw.location)
	}
	if c := sw.header.Get("Set-Cookie"); !strings.Contains(c, "ecert_console_lang=pt") || !strings.Contains(c, "Path=/console/") || !strings.Contains(c, "HttpOnly") {
		t.Errorf("language cookie: %q", c)
	}
	wantWords(t, "Portuguese chosen", b.getIn(orgPath, "Accept-Language", "fr"),
		[]string{"Solicitações de alteração", "Não conformidades", "Sair", "Português"}, []string{"Change requests", "Demandes de modification"})

	// A language the console does not speak: refused, no cookie, the choice stays.
	for _, bad := range []string{"xx", "de", "EN", "fr-FR", "%3Cscript%3E"} {
		p := b.get("/console/lang/" + bad + "?next=" + url.QueryEscape(orgPath))
		if p.status != http.StatusNotFound || p.header.Get("Set-Cookie") != "" {
			t.Errorf("language %q: %d, Set-Cookie %q", bad, p.status, p.header.Get("Set-Cookie"))
		}
	}
	wantWords(t, "after bad choices", b.get(orgPath), []string{"Solicitações de alteração"}, nil)
	// The chooser goes back only inside the console.
	for _, next := range []string{"https://evil.example/", "//evil.example/", "/api/v1/changes"} {
		if p := b.get("/console/lang/fr?next=" + url.QueryEscape(next)); p.location != "/console/orgs" {
			t.Errorf("next %q: redirected to %q", next, p.location)
		}
	}
	if d := before.diff(m.snapshot(t), false, ""); len(d) > 0 {
		t.Errorf("choosing a language changed the server: %v", d)
	}

	// A bad cookie value is no language: the page is the English one, byte for byte.
	fresh := m.browser()
	wantStatus(t, fresh.login("analyst"), http.StatusSeeOther)
	plain := fresh.get(orgPath)
	for _, bad := range []string{"xx", "FR", "fr-FR", "", "../en", strings.Repeat("f", 4000)} {
		p := fresh.getIn(orgPath, "Cookie", "ecert_console_lang="+bad)
		if p.status != http.StatusOK || p.body != plain.body || !strings.Contains(p.body, `<html lang="en">`) {
			t.Errorf("cookie %q: %d, not the English page", bad, p.status)
		}
	}
	if !strings.Contains(english.body, `<html lang="en">`) {
		t.Error("the English page is not marked English")
	}

	// The login page follows the choice too, before any session.
	anon := m.browser()
	wantStatus(t, anon.get("/console/lang/es?next=/console/login"), http.StatusSeeOther)
	login := anon.get("/console/login")
	wantWords(t, "the login page", login, []string{"Iniciar sesión", "Contraseña"}, []string{"Log in", "Password"})
	wrong := anon.post("/console/login", url.Values{"csrf": {csrfOf(t, login)}, "username": {"analyst"}, "password": {"guess"}})
	if wrong.status != http.StatusUnauthorized || !strings.Contains(visible(wrong.body), "Usuario o contraseña incorrectos.") {
		t.Errorf("a wrong password in Spanish: %d %s", wrong.status, errorOf(wrong))
	}
}

// A closing report the workflow refuses is explained in the analyst's language: what
// is wrong and where, with none of the server's English detail (issue 13).
func TestConsoleImportRefusalsInFrenchHaveNoEnglish(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	wantStatus(t, b.login("auditor"), http.StatusSeeOther)
	auditPath := "/console/orgs/27816/audits/AO-41207"
	csrf := csrfOf(t, b.getIn(auditPath, "Accept-Language", "fr"))
	const header = "criterion_number,criterion_text,criterion_type,finding,score\n"
	for _, c := range []struct {
		name, format, report, want string
	}{
		{"wrong header", "auto", "numero,texte,type,constat,note\n2.1.0.01,Comité,core,Pas élu,\n",
			"L'en-tête CSV du rapport de clôture n'est pas celui attendu. Sa première ligne doit être : " + strings.TrimSpace(header)},
		{"score in words", "auto", header + "2.1.0.01,Comité,core,Pas élu,trois\n",
			"Ligne 2 du rapport de clôture : la note « trois » n'est pas un nombre."},
		{"missing columns", "auto", header + "2.1.0.01,Comité,core,Pas élu,\n4.3.0.02,Eau\n",
			"La ligne 3 du rapport de clôture n'a pas 5 colonnes."},
		{"stray quote", "auto", header + "2.1.0.01,Com\"ité,core,Pas élu,\n",
			"La ligne 2 du rapport de clôture contient un guillemet mal placé."},
		{"unknown criterion type", "auto", header + "2.1.0.01,Comité,core,Pas élu,\n4.3.0.02,Eau,bogus,Pas mesuré,\n",
			"Ligne 2 du rapport (sans compter l'en-tête) : Le type de critère « bogus » n'est pas valide : choisissez parmi core, major, development, voluntary, reactive."},
		{"no finding", "auto", header + "2.1.0.01,Comité,core, ,\n",
			"Ligne 1 du rapport (sans compter l'en-tête) : Le constat est obligatoire."},
		{"score out of range", "auto", header + "2.1.0.01,Comité,core,Pas élu,9\n",
			"La note doit être comprise entre 1 et 5"},
		{"no NC", "auto", header, "Le rapport de clôture ne contient aucune NC."},
		{"not a JSON array", "json", `{"criterion_number": "2.1.0.01"}`,
			"Le rapport de clôture n'est pas un tableau JSON d'objets aux champs criterion_number, criterion_text, criterion_type, finding, score."},
		{"data after the array", "json", `[{"criterion_number": "2.1.0.01", "criterion_type": "core", "finding": "x"}] []`,
			"Le rapport de clôture contient des données après son tableau JSON."},
	} {
		t.Run(c.name, func(t *testing.T) {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			mw.WriteField("csrf", csrf)
			mw.WriteField("format", c.format)
			fw, _ := mw.CreateFormFile("report", "closing."+map[string]string{"auto": "csv", "json": "json"}[c.format])
			fw.Write([]byte(c.report))
			mw.Close()
			req, _ := http.NewRequest("POST", e.http.URL+auditPath+"/import", &body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Accept-Language", "fr")
			p := b.send(req)
			wantStatus(t, p, http.StatusBadRequest)
			got := errorOf(p)
			if !strings.Contains(got, c.want) {
				t.Errorf("refusal: %q, want %q", got, c.want)
			}
			text := visible(p.body)
			for _, english := range []string{"closing report", "detail in English", "détail en anglais", "is not", "must be",
				"is required", "row ", "line ", "not a number", "JSON array", "not valid"} {
				if strings.Contains(text, english) {
					t.Errorf("the French page shows English %q: %q", english, got)
				}
			}
		})
	}
}
