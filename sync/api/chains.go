package api

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// FairMonitor supply chains: the organisation lists, per product, the buyers and
// suppliers it trades with, picked from the operator directory. Each partner of a chain
// is one ChainLink entity of the organisation's change log, added and removed through
// the outbox (KindChainAdd, KindChainRemove) like any other local change, so every
// computer of the organisation converges on the same chains.

// Push kinds of the chains. Both carry PushEntry.Chain.
const (
	// KindChainAdd puts an operator in the chain of a product (Chain: Product, FLOID,
	// Role). The FLO ID must be in the directory (else partner_unknown); adding a partner
	// the chain holds already sets its role.
	KindChainAdd = "chain.add"
	// KindChainRemove takes an operator out of the chain of a product (Chain: Product,
	// FLOID). Removing one the chain does not hold is applied and changes nothing.
	KindChainRemove = "chain.remove"
)

// EntityChainLink is the change-log entity of chains; its id is ChainLinkID.
const EntityChainLink = "chain_link"

// Roles of a partner in a chain (ChainLink.Role).
const (
	ChainBuyer    = "buyer"
	ChainSupplier = "supplier"
)

// MaxProductBytes limits the name of a chain's product.
const MaxProductBytes = 80

// ChainLink is one partner in one of the organisation's supply chains.
type ChainLink struct {
	ID       string    `json:"id,omitempty"` // ChainLinkID(Product, FLOID); set by the server
	Product  string    `json:"product"`
	FLOID    string    `json:"flo_id"`
	Role     string    `json:"role,omitempty"` // ChainBuyer or ChainSupplier
	AddedBy  string    `json:"added_by,omitempty"`
	AddedAt  time.Time `json:"added_at,omitzero"`
	Revision int64     `json:"revision,omitempty"`
}

// CleanProduct returns a product name as chains keep it: spaces trimmed and runs of
// them made one.
func CleanProduct(p string) string { return strings.Join(strings.Fields(p), " ") }

// ChainLinkID is the identity of a partner in a product's chain: the product in lower
// case, then the FLO ID. One partner appears once per product.
func ChainLinkID(product, floID string) string {
	return strings.ToLower(CleanProduct(product)) + "|" + floID
}

// ChainProblem says what is wrong with a chain entry's fields ("" when nothing is): the
// product must be 1 to MaxProductBytes bytes of printable text, the FLO ID 1 to 32
// letters, digits and dashes, and the role (for an addition) buyer or supplier.
func ChainProblem(c ChainLink, adding bool) string {
	p := CleanProduct(c.Product)
	switch {
	case p == "" || len(p) > MaxProductBytes || !utf8.ValidString(p) || strings.ContainsFunc(p, func(r rune) bool { return !unicode.IsPrint(r) }):
		return "the product must be 1 to 80 bytes of printable text"
	case c.FLOID == "" || len(c.FLOID) > 32 || strings.ContainsFunc(c.FLOID, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '-')
	}):
		return "the FLO ID must be 1 to 32 letters, digits and dashes"
	case adding && c.Role != ChainBuyer && c.Role != ChainSupplier:
		return "the role must be buyer or supplier"
	}
	return ""
}
