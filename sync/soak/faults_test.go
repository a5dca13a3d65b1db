package soak_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
)

// A fault is one thing going wrong during one step of a client (network faults, a
// kill) or of the whole system (a server restart). Every fault injected is counted by
// kind; "hit" counts those the step noticed (an error, a killed process).
type fault struct {
	kind string
	// toxics added to the client's proxy for the step: type, stream, attributes.
	toxics [][3]string
}

// Fault kinds, as they appear in the summary.
const (
	faultNone            = ""
	faultRequestDropped  = "request dropped (connection reset before the server read it)"
	faultResponseDropped = "response dropped after the server committed"
	faultLatency         = "latency 10-100 ms each way, jitter up to 50 ms"
	faultBandwidth       = "bandwidth 1 Mbit/s"
	faultCutUpload       = "connection reset mid-request (upload, push)"
	faultCutPull         = "connection reset mid-response (pull, download)"
	faultStall           = "connection stalled, then closed"
	faultKillLocal       = "kill -9 of ecert-desktop during a local write"
	faultKillSync        = "kill -9 of ecert-desktop during a sync (push, upload, pull)"
	faultServerRestart   = "ecert-server restarted (connections closed)"
	faultServerDown      = "ecert-server unreachable for a moment"
)

// netFault draws a network fault, or none (about one step in six).
func netFault(r *rand.Rand) fault {
	switch r.IntN(12) {
	case 0, 1:
		return fault{}
	case 2:
		return fault{faultRequestDropped, [][3]string{{"reset_peer", "upstream", `"timeout": 0`}}}
	case 3, 4:
		return fault{faultResponseDropped, [][3]string{{"limit_data", "downstream", fmt.Sprintf(`"bytes": %d`, r.IntN(600))}}}
	case 5:
		lat := fmt.Sprintf(`"latency": %d, "jitter": %d`, 10+r.IntN(90), r.IntN(50))
		return fault{faultLatency, [][3]string{{"latency", "upstream", lat}, {"latency", "downstream", lat}}}
	case 6:
		// 1 Mbit/s each way (toxiproxy's rate is in KB/s).
		return fault{faultBandwidth, [][3]string{{"bandwidth", "upstream", `"rate": 125`}, {"bandwidth", "downstream", `"rate": 125`}}}
	case 7, 8:
		return fault{faultCutUpload, [][3]string{{"limit_data", "upstream", fmt.Sprintf(`"bytes": %d`, 200+r.IntN(300_000))}}}
	case 9, 10:
		return fault{faultCutPull, [][3]string{{"limit_data", "downstream", fmt.Sprintf(`"bytes": %d`, 600+r.IntN(40_000))}}}
	default:
		return fault{faultStall, [][3]string{{"timeout", "downstream", fmt.Sprintf(`"timeout": %d`, 100+r.IntN(300))}}}
	}
}

// inject adds the fault's toxics to the proxy and returns what removes them.
func inject(p *servertest.Proxy, f fault) (remove func()) {
	var names []string
	for i, tx := range f.toxics {
		name := fmt.Sprintf("f%d", i)
		p.AddToxic(name, tx[0], tx[1], tx[2])
		names = append(names, name)
	}
	return func() {
		for _, n := range names {
			p.RemoveToxic(n)
		}
	}
}
