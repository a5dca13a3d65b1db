package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// org is one generated organisation as a desktop client sees it: a token got once, the
// cursor of its change log, and the push outbox's client id and sequence.
type org struct {
	id       string
	token    string
	cursor   atomic.Value // string
	clientID string
	seq      atomic.Int64
}

// ncID is the first NC `ecert-server generate` creates for an organisation.
func (o *org) ncID() string { return "NC-" + o.id + "00000-2019" }

// loginAll logs each organisation's user in once (with password, or its login when
// empty) and pulls its change log to the end, with workers logins at once: a login
// checks an argon2id hash, which is the slow part, so as many as the server has cores.
func loginAll(ctx context.Context, hc *http.Client, base string, first, count int, password string, workers int) ([]*org, error) {
	orgs := make([]*org, count)
	run := strconv.FormatInt(time.Now().Unix(), 36)
	var wg sync.WaitGroup
	errs := make(chan error, count)
	next := atomic.Int64{}
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= count {
					return
				}
				o := &org{id: strconv.Itoa(first + i), clientID: "loadtest-" + strconv.Itoa(first+i) + "-" + run}
				if err := o.login(ctx, hc, base, password); err != nil {
					errs <- fmt.Errorf("org %s: %w", o.id, err)
					return
				}
				orgs[i] = o
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	return orgs, nil
}

func (o *org) login(ctx context.Context, hc *http.Client, base, password string) error {
	user := "u" + o.id
	if password == "" {
		password = user
	}
	body, _ := json.Marshal(api.LoginRequest{Username: user, Password: password})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+api.Version+"/auth/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	var s api.Session
	if err := doJSON(hc, req, &s); err != nil {
		return err
	}
	o.token = s.AccessToken
	o.cursor.Store("")
	for {
		page, _, err := o.pull(ctx, hc, base)
		if err != nil {
			return err
		}
		if !page.More {
			return nil
		}
	}
}

// pull gets the changes after the cursor once, moves the cursor, and returns the raw body.
func (o *org) pull(ctx context.Context, hc *http.Client, base string) (api.ChangesPage, []byte, error) {
	req := o.syncRequest(ctx, base)
	var page api.ChangesPage
	raw, err := doRaw(hc, req)
	if err != nil {
		return page, nil, err
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		return page, nil, err
	}
	o.cursor.Store(page.Cursor)
	return page, raw, nil
}

// syncRequest is an idle sync: GET /changes with the organisation's current cursor.
func (o *org) syncRequest(ctx context.Context, base string) *http.Request {
	url := base + api.Version + "/changes"
	if c := o.cursor.Load().(string); c != "" {
		url += "?cursor=" + c
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+o.token)
	return req
}

// pushRequest is a push of one message to the organisation's first NC.
func (o *org) pushRequest(ctx context.Context, base string) *http.Request {
	seq := o.seq.Add(1)
	body, _ := json.Marshal(api.PushRequest{ClientID: o.clientID, Entries: []api.PushEntry{{
		Seq: seq, Kind: api.KindMessage, NCID: o.ncID(), Text: "Message de charge n° " + strconv.FormatInt(seq, 10) + ".",
		CreatedAt: time.Now().UTC()}}})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+api.Version+"/push", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+o.token)
	req.Header.Set("Content-Type", "application/json")
	return req
}

func doRaw(hc *http.Client, req *http.Request) ([]byte, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s: %s: %.200s", req.Method, req.URL.Path, resp.Status, raw)
	}
	return raw, nil
}

func doJSON(hc *http.Client, req *http.Request, v any) error {
	raw, err := doRaw(hc, req)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}
