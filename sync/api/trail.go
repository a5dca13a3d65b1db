package api

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// The trail: a tamper-evident log of every change a user makes. Each replica keeps its
// own chain (TrailEntry.Prev is the Hash of the replica's entry before), written in the
// same transaction as the change; the entries ride with the push (PushRequest.Trail) and
// the server appends them to the organisation's chain (TrailRecord.Chain links every
// entry of every replica of the organisation, in the order the server received them).
// The encoding that is hashed is in sync/PROTOCOL.md ("The trail").

// TrailGenesis is the Prev of a chain's first entry.
var TrailGenesis = strings.Repeat("0", 64)

// TrailTimeLayout is how TrailEntry.At is written in the hashed encoding: UTC, seconds.
const TrailTimeLayout = "2006-01-02T15:04:05Z"

// MaxTrailEntries limits the trail entries of one push request.
const MaxTrailEntries = 500

// TrailEntry is one change in a replica's chain. Seq counts the replica's entries from
// 1 without gaps; At is the device's clock (what the user saw, not an ordering); Author
// the user name logged in on the replica; Kind the outbox kind (or a local mark such as
// ca.ready); Digest the hex SHA-256 of the change's content (TrailDigest).
type TrailEntry struct {
	Seq    int64     `json:"seq"`
	At     time.Time `json:"at"`
	Author string    `json:"author"`
	Kind   string    `json:"kind"`
	NCID   string    `json:"nc_id"`
	Digest string    `json:"digest"`
	Prev   string    `json:"prev"`
	Hash   string    `json:"hash"`
}

// TrailAck answers PushRequest.Trail in PushResponse.Trail. Last is the highest Seq of
// the replica's chain the server holds after the request (entries up to it need never
// be sent again). When the request's entries were refused, Code says why
// (CodeTrailBroken) and Seq names the first refused entry; the server kept none of them.
type TrailAck struct {
	Last int64  `json:"last"`
	Code string `json:"code,omitempty"`
	Seq  int64  `json:"seq,omitempty"`
}

// TrailRecord is an entry as the organisation's chain holds it (GET /trail). OrgSeq
// counts the organisation's entries from 1 without gaps; Chain is
// TrailChainHash(the previous record's Chain, ClientID, Entry.Hash), TrailGenesis
// before the first.
type TrailRecord struct {
	OrgSeq     int64      `json:"org_seq"`
	ClientID   string     `json:"client_id"`
	Entry      TrailEntry `json:"entry"`
	Chain      string     `json:"chain"`
	ReceivedAt time.Time  `json:"received_at"`
}

// TrailPage answers GET /trail?after=N: records with OrgSeq > N, by OrgSeq.
type TrailPage struct {
	Records []TrailRecord `json:"records"`
	More    bool          `json:"more"`
}

// field appends s as a netstring (decimal byte length, ':', the bytes, ','): no value
// can be read as two, whatever it holds.
func field(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	b = append(b, s...)
	return append(b, ',')
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// TrailDigest is the digest of a change's content: SHA-256 over the netstrings of
// "ecert-content-v1" and each part in order.
func TrailDigest(parts ...string) string {
	b := field(nil, "ecert-content-v1")
	for _, p := range parts {
		b = field(b, p)
	}
	return sum(b)
}

// TrailHash is the Hash an entry must carry: SHA-256 over the netstrings of
// "ecert-trail-v1", Seq (decimal), At (TrailTimeLayout), Author, Kind, NCID, Digest and
// Prev, in that order.
func TrailHash(e TrailEntry) string {
	b := field(nil, "ecert-trail-v1")
	for _, s := range []string{strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(TrailTimeLayout), e.Author, e.Kind, e.NCID, e.Digest, e.Prev} {
		b = field(b, s)
	}
	return sum(b)
}

// TrailChainHash links an entry into its organisation's chain: SHA-256 over the
// netstrings of "ecert-org-chain-v1", prev (the previous record's Chain), clientID and
// the entry's Hash.
func TrailChainHash(prev, clientID, entryHash string) string {
	b := field(nil, "ecert-org-chain-v1")
	for _, s := range []string{prev, clientID, entryHash} {
		b = field(b, s)
	}
	return sum(b)
}

// IsTrailHash says whether s is a hash as the trail writes them: 64 lowercase hex digits.
func IsTrailHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// TrailChainBreak checks records of an organisation's chain, in order, continuing the
// record (afterSeq, afterChain) — 0 and TrailGenesis from the start. It returns the
// OrgSeq at which the chain does not hold (a gap, a record not linked to the one before,
// or an entry that does not hash to its Hash), or 0 when all hold.
func TrailChainBreak(records []TrailRecord, afterSeq int64, afterChain string) int64 {
	seq, chain := afterSeq, afterChain
	for _, r := range records {
		if r.OrgSeq != seq+1 || TrailHash(r.Entry) != r.Entry.Hash || TrailChainHash(chain, r.ClientID, r.Entry.Hash) != r.Chain {
			return seq + 1
		}
		seq, chain = r.OrgSeq, r.Chain
	}
	return 0
}
