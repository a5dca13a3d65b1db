package main

import (
	"context"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// result is what one phase against one target measured.
type result struct {
	rate, sent                 int
	p50, p99                   time.Duration
	ok, shed, server5xx, other int
	cpu                        float64 // cores the target process used on average
}

// passes is the sustainable-rate criterion: p99 under 50 ms and no error at all.
func (r result) passes() bool {
	return r.p99 < 50*time.Millisecond && r.shed+r.server5xx+r.other == 0 && r.ok == r.sent
}

// request makes the next request of a phase; pushes carry a share of the load.
type request func(ctx context.Context) *http.Request

// paced sends rate requests a second for d, open loop: one goroutine schedules, and each
// request runs in its own goroutine only while it is outstanding, so the goroutines are
// as many as the rate times the latency. A request's latency counts from when it was
// due, so a slow target cannot slow the schedule down and hide its queue.
func paced(ctx context.Context, hc *http.Client, rate int, d time.Duration, pick func() request) []sample {
	total := int(float64(rate) * d.Seconds())
	out := make([]sample, total)
	var wg sync.WaitGroup
	start := time.Now()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	sent := 0
	for sent < total {
		// Request i is due at i/rate: the first at once.
		due := min(total, int(time.Since(start).Seconds()*float64(rate))+1)
		for ; sent < due; sent++ {
			at := start.Add(time.Duration(float64(sent) / float64(rate) * float64(time.Second)))
			req := pick()(ctx)
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				out[i] = send(hc, req, at)
			}(sent)
		}
		<-tick.C
	}
	wg.Wait()
	return out
}

// sample is one request's outcome: latency and status (0 for a transport error).
type sample struct {
	latency time.Duration
	status  int
}

func send(hc *http.Client, req *http.Request, due time.Time) sample {
	resp, err := hc.Do(req)
	if err != nil {
		return sample{latency: time.Since(due)}
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return sample{latency: time.Since(due), status: resp.StatusCode}
}

func summarise(rate int, ss []sample) result {
	r := result{rate: rate, sent: len(ss)}
	lat := make([]time.Duration, 0, len(ss))
	for _, s := range ss {
		lat = append(lat, s.latency)
		switch {
		case s.status == http.StatusOK:
			r.ok++
		case s.status == http.StatusServiceUnavailable:
			r.shed++
		case s.status >= 500:
			r.server5xx++
		default:
			r.other++
		}
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		r.p50 = lat[len(lat)/2]
		r.p99 = lat[min(len(lat)-1, len(lat)*99/100)]
	}
	return r
}
