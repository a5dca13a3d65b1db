// Package profile writes a CPU profile of a whole headless command, for the speed work
// of sync/BENCHMARKS.md: the process as a user runs it, start-up and replica open
// included, which an in-process benchmark cannot show.
package profile

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// EnvCPU names the file a headless command writes its CPU profile to (unset: none).
const EnvCPU = "ECERT_CPUPROFILE"

// CPU starts a CPU profile into the file path and returns what stops and writes it.
// An empty path, or a file that cannot be created, profiles nothing (said on stderr):
// a profile is never a reason for a command to fail.
func CPU(path string) (stop func()) {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "ecert-desktop: no CPU profile: %v\n", err)
		if f != nil {
			f.Close()
		}
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
