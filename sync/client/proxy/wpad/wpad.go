// Package wpad finds a network's proxy auto-config script the way Windows' "Automatically
// detect settings" does over DNS: http://wpad.<domain>/wpad.dat for each of the host's DNS
// suffixes, from the most specific domain up to the one its owner registered, never at a
// public suffix (wpad.com, wpad.co.uk belong to strangers).
package wpad

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/publicsuffix"
)

// Timeout bounds each candidate (its DNS lookup, connection and answer): a network without
// a WPAD host answers in milliseconds, and a slow one must not hold the first request long.
// A variable so that tests can shrink it.
var Timeout = 2 * time.Second

// maxScript bounds a script (real ones are a few kilobytes).
const maxScript = 1 << 20

// ErrNotFound: no candidate answered with a proxy auto-config script.
var ErrNotFound = errors.New("no proxy auto-config script found on this network")

// Candidates returns the script addresses to try for the DNS suffixes, in order: each
// suffix from its most specific domain to its registered domain ("eu.corp.example.com":
// wpad.eu.corp.example.com, wpad.corp.example.com, wpad.example.com), without repeats.
// A suffix that is itself a public suffix, or one label, gives none.
func Candidates(suffixes []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range suffixes {
		s = strings.Trim(strings.ToLower(strings.TrimSpace(s)), ".")
		if net.ParseIP(s) != nil {
			continue
		}
		registered, err := publicsuffix.EffectiveTLDPlusOne(s)
		if err != nil { // a public suffix, a single label, or not a domain name
			continue
		}
		for d := s; ; {
			if u := "http://wpad." + d + "/wpad.dat"; !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
			if d == registered {
				break
			}
			_, d, _ = strings.Cut(d, ".")
		}
	}
	return out
}

// DHCP is the script address the network's DHCP server gives (option 252), "" for none:
// asked of WinHTTP on Windows; elsewhere there is no standard source. A variable so that
// tests can give one.
var DHCP = dhcpScriptURL

// Finder tries the candidates of a network.
type Finder struct {
	// Client fetches the candidates. It must connect directly (a proxy is what is being
	// looked for); nil is a direct client.
	Client *http.Client
}

// Find returns the address and text of the first candidate that answers 200 with a
// script (a text defining FindProxyForURL), or ErrNotFound, which says what was tried:
// the address DHCP gives, then those of the DNS suffixes, as Windows tries them. Each
// candidate has Timeout; ctx bounds the whole search.
func (f Finder) Find(ctx context.Context, suffixes []string) (url, script string, err error) {
	client := f.Client
	if client == nil {
		client = &http.Client{Transport: &http.Transport{Proxy: nil}}
	}
	tried := Candidates(suffixes)
	if u := DHCP(ctx); u != "" && !slices.Contains(tried, u) {
		tried = append([]string{u}, tried...)
	}
	for _, u := range tried {
		if err := ctx.Err(); err != nil {
			return "", "", err
		}
		if s, ok := fetch(ctx, client, u); ok {
			return u, s, nil
		}
	}
	return "", "", &NotFoundError{Tried: tried}
}

// NotFoundError is ErrNotFound with the candidates that were tried.
type NotFoundError struct{ Tried []string }

func (e *NotFoundError) Error() string {
	if len(e.Tried) == 0 {
		return ErrNotFound.Error() + " (no DNS suffix to search)"
	}
	return fmt.Sprintf("%v (tried %s)", ErrNotFound, strings.Join(e.Tried, ", "))
}

func (e *NotFoundError) Unwrap() error { return ErrNotFound }

// fetch reads one candidate; false for anything that is not a script (no such host, a
// refused connection, a timeout, an error status, a web page).
func fetch(ctx context.Context, client *http.Client, u string) (string, bool) {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", false
	}
	res, err := client.Do(req)
	if err != nil {
		return "", false
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return "", false
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, maxScript+1))
	if err != nil || len(b) > maxScript || !strings.Contains(string(b), "FindProxyForURL") {
		return "", false
	}
	return string(b), true
}
