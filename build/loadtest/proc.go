package main

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// usage is a process's resident memory and open file handles at one moment.
type usage struct {
	rssKB, fds int
}

// sampleUsage is the sum over the processes pids (the nodes of a set-up).
func sampleUsage(pids ...int) usage {
	var sum usage
	for _, pid := range pids {
		u := sampleOne(pid)
		sum.rssKB += u.rssKB
		sum.fds += u.fds
	}
	return sum
}

func sampleOne(pid int) usage {
	var u usage
	if raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status"); err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				u.rssKB, _ = strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			}
		}
	}
	if fds, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/fd"); err == nil {
		u.fds = len(fds)
	}
	return u
}

// peak is the larger of each figure.
func (u usage) peak(v usage) usage {
	return usage{rssKB: max(u.rssKB, v.rssKB), fds: max(u.fds, v.fds)}
}

// cpuTime is the CPU time (user + system) the processes pids have used.
func cpuTime(pids ...int) time.Duration {
	var sum time.Duration
	for _, pid := range pids {
		sum += cpuOne(pid)
	}
	return sum
}

// cpuOne is one process's CPU time; Linux counts it in ticks of 1/100 s (USER_HZ).
func cpuOne(pid int) time.Duration {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(raw)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:]) // fields from the 3rd on
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.Atoi(f[11])
	st, _ := strconv.Atoi(f[12])
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// watch samples the processes' summed usage every 200 ms until stop is closed and returns the peak.
func watch(pids []int, stop <-chan struct{}) <-chan usage {
	out := make(chan usage, 1)
	go func() {
		var p usage
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				out <- p.peak(sampleUsage(pids...))
				return
			case <-t.C:
				p = p.peak(sampleUsage(pids...))
			}
		}
	}()
	return out
}
