package pac

import (
	"errors"
	"fmt"
	"strings"
)

// --- tokens ----------------------------------------------------------------------------

type token struct {
	kind byte // 'i' identifier, 's' string, 'p' punctuation, 'e' end
	text string
	line int // 1-based, to say where a refused script stops
}

// lex splits src into tokens, dropping comments and white space. An unterminated string
// or an unknown character becomes a punctuation token the parser refuses.
func lex(src string) (toks []token) {
	line := 1
	// The last tokens (the end, an unterminated string or comment) are on the last line.
	defer func() {
		for k := range toks {
			if toks[k].line == 0 {
				toks[k].line = line
			}
		}
	}()
	for i := 0; i < len(src); {
		from, n := i, len(toks)
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(src[i:], "//"):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return append(toks, token{kind: 'p', text: "/*"})
			}
			i += end + 4
		case c == '"' || c == '\'':
			j := i + 1
			var b strings.Builder
			for j < len(src) && src[j] != c {
				if src[j] == '\\' && j+1 < len(src) {
					j++
				}
				b.WriteByte(src[j])
				j++
			}
			if j >= len(src) {
				return append(toks, token{kind: 'p', text: "unterminated string"})
			}
			toks = append(toks, token{kind: 's', text: b.String()})
			i = j + 1
		case c == '_' || c == '$' || c == '.' || (c|0x20 >= 'a' && c|0x20 <= 'z') || (c >= '0' && c <= '9'):
			j := i
			for j < len(src) && (src[j] == '_' || src[j] == '$' || src[j] == '.' || (src[j]|0x20 >= 'a' && src[j]|0x20 <= 'z') || (src[j] >= '0' && src[j] <= '9')) {
				j++
			}
			toks = append(toks, token{kind: 'i', text: src[i:j]})
			i = j
		default:
			op := string(c)
			for _, o := range []string{"===", "!==", "==", "!=", "&&", "||"} {
				if strings.HasPrefix(src[i:], o) {
					op = o
					break
				}
			}
			toks = append(toks, token{kind: 'p', text: op})
			i += len(op)
		}
		for k := n; k < len(toks); k++ {
			toks[k].line = line
		}
		line += strings.Count(src[from:i], "\n")
	}
	return append(toks, token{kind: 'e'})
}

// --- syntax ----------------------------------------------------------------------------

type stmt interface {
	exec(e *env) (value, bool, error)
}

type expr interface {
	eval(e *env) (value, error)
}

type parser struct {
	toks []token
	pos  int
}

func (p *parser) peek() token { return p.toks[p.pos] }
func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != 'e' {
		p.pos++
	}
	return t
}
func (p *parser) is(text string) bool {
	t := p.peek()
	return (t.kind == 'p' || t.kind == 'i') && t.text == text
}
func (p *parser) expect(text string) error {
	if t := p.next(); t.text != text || t.kind == 's' {
		return fmt.Errorf("expected %q, found %q", text, t.text)
	}
	return nil
}

func (p *parser) script() (*Script, error) {
	if err := p.expect("function"); err != nil {
		return nil, err
	}
	if err := p.expect("FindProxyForURL"); err != nil {
		return nil, err
	}
	s := &Script{}
	if err := p.expect("("); err != nil {
		return nil, err
	}
	for i := range 2 {
		t := p.next()
		if t.kind != 'i' {
			return nil, errors.New("FindProxyForURL must take (url, host)")
		}
		s.params[i] = t.text
		if i == 0 {
			if err := p.expect(","); err != nil {
				return nil, err
			}
		}
	}
	if err := p.expect(")"); err != nil {
		return nil, err
	}
	body, err := p.block()
	if err != nil {
		return nil, err
	}
	s.body = body
	if p.peek().kind != 'e' {
		return nil, fmt.Errorf("unexpected %q after FindProxyForURL", p.peek().text)
	}
	return s, nil
}

func (p *parser) block() ([]stmt, error) {
	if err := p.expect("{"); err != nil {
		return nil, err
	}
	var body []stmt
	for !p.is("}") {
		if p.peek().kind == 'e' {
			return nil, errors.New("missing '}'")
		}
		st, err := p.statement()
		if err != nil {
			return nil, err
		}
		body = append(body, st)
	}
	p.next()
	return body, nil
}

type ifStmt struct {
	cond      expr
	then, els []stmt
}

func (s ifStmt) exec(e *env) (value, bool, error) {
	c, err := s.cond.eval(e)
	if err != nil {
		return value{}, false, err
	}
	if c.truthy() {
		return e.run(s.then)
	}
	return e.run(s.els)
}

type returnStmt struct{ x expr }

func (s returnStmt) exec(e *env) (value, bool, error) {
	v, err := s.x.eval(e)
	return v, err == nil, err
}

type varStmt struct {
	name string
	x    expr
}

func (s varStmt) exec(e *env) (value, bool, error) {
	v, err := s.x.eval(e)
	e.vars[s.name] = v.str
	return value{}, false, err
}

func (p *parser) statement() (stmt, error) {
	switch {
	case p.is("{"):
		body, err := p.block()
		return ifStmt{cond: lit{boolean(true)}, then: body}, err
	case p.is("if"):
		p.next()
		if err := p.expect("("); err != nil {
			return nil, err
		}
		cond, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		then, err := p.branch()
		if err != nil {
			return nil, err
		}
		s := ifStmt{cond: cond, then: then}
		if p.is("else") {
			p.next()
			if s.els, err = p.branch(); err != nil {
				return nil, err
			}
		}
		return s, nil
	case p.is("return"):
		p.next()
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		p.semicolon()
		return returnStmt{x}, nil
	case p.is("var") || p.is("let") || p.is("const"):
		p.next()
		name := p.next()
		if name.kind != 'i' {
			return nil, errors.New("var needs a name")
		}
		if err := p.expect("="); err != nil {
			return nil, err
		}
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		p.semicolon()
		return varStmt{name.text, x}, nil
	}
	return nil, fmt.Errorf("unsupported statement at %q", p.peek().text)
}

// branch is an if's body: a block or a single statement.
func (p *parser) branch() ([]stmt, error) {
	if p.is("{") {
		return p.block()
	}
	st, err := p.statement()
	return []stmt{st}, err
}

func (p *parser) semicolon() {
	if p.is(";") {
		p.next()
	}
}

type lit struct{ v value }

func (l lit) eval(*env) (value, error) { return l.v, nil }

type ident string

func (i ident) eval(e *env) (value, error) {
	v, ok := e.vars[string(i)]
	if !ok {
		return value{}, fmt.Errorf("pac: unknown name %s", string(i))
	}
	return value{str: v}, nil
}

type call struct {
	name string
	args []expr
}

func (c call) eval(e *env) (value, error) {
	vs := make([]value, len(c.args))
	for i, a := range c.args {
		v, err := a.eval(e)
		if err != nil {
			return value{}, err
		}
		vs[i] = v
	}
	return e.call(c.name, vs)
}

type binary struct {
	op   string
	l, r expr
}

func (b binary) eval(e *env) (value, error) {
	l, err := b.l.eval(e)
	if err != nil {
		return value{}, err
	}
	switch b.op {
	case "||":
		if l.truthy() {
			return boolean(true), nil
		}
	case "&&":
		if !l.truthy() {
			return boolean(false), nil
		}
	}
	r, err := b.r.eval(e)
	if err != nil {
		return value{}, err
	}
	switch b.op {
	case "==", "===":
		return boolean(l == r), nil
	case "!=", "!==":
		return boolean(l != r), nil
	}
	return boolean(r.truthy()), nil
}

type not struct{ x expr }

func (n not) eval(e *env) (value, error) {
	v, err := n.x.eval(e)
	return boolean(!v.truthy()), err
}

// expr: or := and ('||' and)*; and := eq ('&&' eq)*; eq := unary (('=='|'!=') unary)?;
// unary := '!' unary | primary.
func (p *parser) expr() (expr, error) { return p.binary(0) }

var levels = [][]string{{"||"}, {"&&"}, {"==", "!=", "===", "!=="}}

func (p *parser) binary(level int) (expr, error) {
	if level == len(levels) {
		return p.unary()
	}
	l, err := p.binary(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		op := ""
		for _, o := range levels[level] {
			if p.peek().kind == 'p' && p.peek().text == o {
				op = o
			}
		}
		if op == "" {
			return l, nil
		}
		p.next()
		r, err := p.binary(level + 1)
		if err != nil {
			return nil, err
		}
		l = binary{op, l, r}
	}
}

func (p *parser) unary() (expr, error) {
	if p.is("!") {
		p.next()
		x, err := p.unary()
		return not{x}, err
	}
	t := p.next()
	switch {
	case t.kind == 's':
		return lit{value{str: t.text}}, nil
	case t.kind == 'p' && t.text == "(":
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		return x, p.expect(")")
	case t.kind == 'i' && (t.text == "true" || t.text == "false"):
		return lit{boolean(t.text == "true")}, nil
	case t.kind == 'i' && !strings.Contains(t.text, "."):
		if !p.is("(") {
			return ident(t.text), nil
		}
		if _, ok := helpers[t.text]; !ok {
			return nil, fmt.Errorf("unsupported function %s", t.text)
		}
		p.next()
		c := call{name: t.text}
		for !p.is(")") {
			a, err := p.expr()
			if err != nil {
				return nil, err
			}
			c.args = append(c.args, a)
			if p.is(",") {
				p.next()
			} else if !p.is(")") {
				return nil, fmt.Errorf("expected ',' or ')' in the call of %s", t.text)
			}
		}
		p.next()
		return c, nil
	}
	return nil, fmt.Errorf("unsupported expression at %q", t.text)
}
