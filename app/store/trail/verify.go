package trail

import (
	"fmt"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// Why an entry does not hold.
const (
	ReasonHash      = "hash"           // the entry's fields do not give its hash: it was edited
	ReasonLink      = "link"           // its prev is not the hash of the entry before
	ReasonGap       = "gap"            // an entry is missing before it
	ReasonDiffers   = "differs"        // the server holds another entry under this seq
	ReasonMissing   = "missing"        // the server acknowledged it but does not hold it
	ReasonOrgChain  = "org_chain"      // the organisation's chain on the server is broken here
	ReasonNotOnHere = "not_on_replica" // the server holds an entry of this replica that the replica lost
)

// Problem names the first entry that does not match, and why.
type Problem struct {
	Seq    int64  `json:"seq"`               // the replica's seq (0 for an org chain problem)
	OrgSeq int64  `json:"org_seq,omitempty"` // the organisation's seq, when the server's chain is at fault
	Reason string `json:"reason"`
}

// why says each reason in words, for the headless command.
var why = map[string]string{
	ReasonHash:      "its fields do not give its hash (edited on this computer)",
	ReasonLink:      "it does not link to the entry before",
	ReasonGap:       "it is missing",
	ReasonDiffers:   "the server holds another entry under this number",
	ReasonMissing:   "the server acknowledged it but does not hold it",
	ReasonOrgChain:  "the organisation's chain on the server is broken here",
	ReasonNotOnHere: "the server holds it but this computer does not",
}

func (p *Problem) Error() string {
	if p.OrgSeq > 0 {
		return fmt.Sprintf("trail entry %d (organisation entry %d): %s (%s)", p.Seq, p.OrgSeq, p.Reason, why[p.Reason])
	}
	return fmt.Sprintf("trail entry %d: %s (%s)", p.Seq, p.Reason, why[p.Reason])
}

// CheckChain checks a replica's entries, given from seq 1 in order: each must hash to
// its Hash and link to the one before. It returns the first that does not, or nil.
func CheckChain(entries []api.TrailEntry) *Problem {
	prev, seq := api.TrailGenesis, int64(0)
	for _, e := range entries {
		switch {
		case e.Seq != seq+1:
			return &Problem{Seq: seq + 1, Reason: ReasonGap}
		case api.TrailHash(e) != e.Hash:
			return &Problem{Seq: e.Seq, Reason: ReasonHash}
		case e.Prev != prev:
			return &Problem{Seq: e.Seq, Reason: ReasonLink}
		}
		prev, seq = e.Hash, e.Seq
	}
	return nil
}

// CheckOrgChain checks the organisation's chain as the server gave it, from org seq 1
// in order (api.TrailChainBreak).
func CheckOrgChain(records []api.TrailRecord) *Problem {
	at := api.TrailChainBreak(records, 0, api.TrailGenesis)
	if at == 0 {
		return nil
	}
	p := &Problem{OrgSeq: at, Reason: ReasonOrgChain}
	if int(at) <= len(records) {
		p.Seq = records[at-1].Entry.Seq
	}
	return p
}

// CheckAgainst compares the replica's entries (from seq 1, in order) with what the
// server holds of this replica (its entries by seq) up to acked, the last seq the
// server acknowledged: the first local entry the server holds otherwise, or lacks, is
// the problem. The local chain itself is checked first (CheckChain).
func CheckAgainst(local []api.TrailEntry, server map[int64]api.TrailEntry, acked int64) *Problem {
	if p := CheckChain(local); p != nil {
		return p
	}
	for _, e := range local {
		if e.Seq > acked {
			break
		}
		s, ok := server[e.Seq]
		if !ok {
			return &Problem{Seq: e.Seq, Reason: ReasonMissing}
		}
		if s.Hash != e.Hash || api.TrailHash(s) != e.Hash {
			return &Problem{Seq: e.Seq, Reason: ReasonDiffers}
		}
	}
	var lost int64
	for seq := range server {
		if seq > int64(len(local)) && (lost == 0 || seq < lost) {
			lost = seq
		}
	}
	if lost > 0 {
		return &Problem{Seq: lost, Reason: ReasonNotOnHere}
	}
	return nil
}
