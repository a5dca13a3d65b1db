// Package pac evaluates proxy auto-config scripts (PAC, the FindProxyForURL function a
// Windows system proxy may name through AutoConfigURL) without a JavaScript engine: it
// understands the subset such scripts are written in — if/else, return, var, ||, &&, !,
// == and !=, string literals, url and host, and the PAC helper functions. A script
// outside that subset is refused at Parse, so the caller can fall back plainly (to the
// static proxy, or a direct connection) instead of guessing.
package pac

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Resolver answers dnsResolve and isInNet for host names; nil resolves nothing.
type Resolver func(host string) (net.IP, bool)

// Script is a parsed FindProxyForURL.
type Script struct {
	params [2]string // the function's parameter names (url, host)
	body   []stmt
}

// ErrUnsupported: the script uses JavaScript outside the subset this package evaluates.
var ErrUnsupported = errors.New("pac: the script uses JavaScript this evaluator does not support")

// SyntaxError is a script refused by Parse: errors.Is(err, ErrUnsupported), and Line is
// where the parser stopped.
type SyntaxError struct {
	Line int
	err  error
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%v: %v (line %d)", ErrUnsupported, e.err, e.Line)
}

func (e *SyntaxError) Unwrap() error { return ErrUnsupported }

// Parse reads a PAC script: one FindProxyForURL function (other functions and top-level
// code are refused with a *SyntaxError).
func Parse(src string) (*Script, error) {
	p := &parser{toks: lex(src)}
	s, err := p.script()
	if err != nil {
		// The token that stopped the parser, or the one just taken (expect takes it).
		at := min(p.pos, len(p.toks)-1)
		if at > 0 && p.toks[at].kind == 'e' {
			at--
		}
		line := p.toks[at].line
		return nil, &SyntaxError{Line: line, err: err}
	}
	return s, nil
}

// Proxy is one entry of a PAC result: Direct, or an HTTP proxy's address host:port.
type Proxy struct {
	Direct bool
	Addr   string
}

// Find evaluates the script for u and returns its answer as the list of proxies it
// names, in order ("PROXY a:1; DIRECT"). SOCKS entries are skipped (the client speaks
// HTTP proxies); an empty answer means DIRECT.
func (s *Script) Find(u *url.URL, resolve Resolver) ([]Proxy, error) {
	host := u.Hostname()
	e := &env{vars: map[string]string{s.params[0]: u.String(), s.params[1]: host}, resolve: resolve}
	v, returned, err := e.run(s.body)
	if err != nil {
		return nil, err
	}
	if !returned {
		return nil, errors.New("pac: FindProxyForURL returned nothing")
	}
	return ParseResult(v.str)
}

// ParseResult reads a FindProxyForURL answer: "PROXY host:port; HTTPS host:port; DIRECT".
func ParseResult(r string) ([]Proxy, error) {
	var out []Proxy
	for _, part := range strings.Split(r, ";") {
		f := strings.Fields(part)
		switch {
		case len(f) == 0:
		case strings.EqualFold(f[0], "DIRECT"):
			out = append(out, Proxy{Direct: true})
		case (strings.EqualFold(f[0], "PROXY") || strings.EqualFold(f[0], "HTTP")) && len(f) == 2:
			out = append(out, Proxy{Addr: f[1]})
		case strings.HasPrefix(strings.ToUpper(f[0]), "SOCKS") || strings.EqualFold(f[0], "HTTPS"):
			// not an HTTP proxy this client can use: the next entry is tried
		default:
			return nil, fmt.Errorf("pac: %q is not a proxy", strings.TrimSpace(part))
		}
	}
	if len(out) == 0 {
		out = []Proxy{{Direct: true}}
	}
	return out, nil
}

// --- evaluation -------------------------------------------------------------------------

type value struct {
	str    string
	b      bool
	isBool bool
}

func (v value) truthy() bool {
	if v.isBool {
		return v.b
	}
	return v.str != ""
}

func boolean(b bool) value { return value{b: b, isBool: true} }

type env struct {
	vars    map[string]string
	resolve Resolver
}

func (e *env) run(body []stmt) (value, bool, error) {
	for _, st := range body {
		v, ret, err := st.exec(e)
		if err != nil || ret {
			return v, ret, err
		}
	}
	return value{}, false, nil
}

func (e *env) lookup(host string) (net.IP, bool) {
	if ip := net.ParseIP(host); ip != nil {
		return ip, true
	}
	if e.resolve == nil {
		return nil, false
	}
	return e.resolve(host)
}

// helpers are the PAC functions evaluated, with their number of arguments.
var helpers = map[string]int{"isPlainHostName": 1, "dnsDomainIs": 2, "localHostOrDomainIs": 2,
	"shExpMatch": 2, "isInNet": 3, "isResolvable": 1, "dnsResolve": 1, "dnsDomainLevels": 1, "myIpAddress": 0}

// call runs a PAC helper function.
func (e *env) call(name string, a []value) (value, error) {
	arg := func(i int) string {
		if i < len(a) {
			return a[i].str
		}
		return ""
	}
	n, ok := helpers[name]
	if !ok {
		return value{}, fmt.Errorf("pac: unknown function %s", name)
	}
	if len(a) != n {
		return value{}, fmt.Errorf("pac: %s takes %d arguments, not %d", name, n, len(a))
	}
	h := strings.ToLower(arg(0))
	switch name {
	case "isPlainHostName":
		return boolean(!strings.Contains(h, ".")), nil
	case "dnsDomainIs":
		return boolean(strings.HasSuffix(h, strings.ToLower(arg(1)))), nil
	case "localHostOrDomainIs":
		full := strings.ToLower(arg(1))
		return boolean(h == full || (!strings.Contains(h, ".") && strings.HasPrefix(full, h+"."))), nil
	case "shExpMatch":
		return boolean(globAny(strings.ToLower(arg(1)), strings.ToLower(arg(0)))), nil
	case "isInNet":
		ip, found := e.lookup(arg(0))
		netIP, mask := net.ParseIP(arg(1)), net.ParseIP(arg(2))
		if !found || netIP == nil || mask == nil {
			return boolean(false), nil
		}
		m := net.IPMask(mask.To4())
		return boolean(ip.To4() != nil && ip.To4().Mask(m).Equal(netIP.To4().Mask(m))), nil
	case "isResolvable":
		_, found := e.lookup(arg(0))
		return boolean(found), nil
	case "dnsResolve":
		if ip, found := e.lookup(arg(0)); found {
			return value{str: ip.String()}, nil
		}
		return value{}, nil
	case "dnsDomainLevels":
		return value{str: fmt.Sprint(strings.Count(h, "."))}, nil
	}
	// myIpAddress: the loopback address, as browsers answer when they cannot tell.
	return value{str: "127.0.0.1"}, nil
}

// globAny matches a shell glob where * also spans '/' (as PAC's shExpMatch does).
func globAny(pattern, s string) bool {
	if pattern == "" {
		return s == ""
	}
	if pattern[0] == '*' {
		for i := 0; i <= len(s); i++ {
			if globAny(pattern[1:], s[i:]) {
				return true
			}
		}
		return false
	}
	if s == "" || (pattern[0] != '?' && pattern[0] != s[0]) {
		return false
	}
	return globAny(pattern[1:], s[1:])
}
