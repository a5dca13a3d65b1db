package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// pinning puts the load generator and the target on separate cores (taskset, from
// util-linux), so that neither takes the other's CPU: gen and target are CPU lists
// ("0", "1-3"). The zero pinning pins nothing.
type pinning struct {
	gen, target string
}

// parsePin reads "GEN:TARGET"; empty means no pinning.
func parsePin(s string) (pinning, error) {
	if s == "" {
		return pinning{}, nil
	}
	gen, target, ok := strings.Cut(s, ":")
	if !ok || gen == "" || target == "" {
		return pinning{}, fmt.Errorf("want GEN:TARGET CPU lists such as 0:1, got %q", s)
	}
	return pinning{gen: gen, target: target}, nil
}

func (p pinning) on() bool { return p.gen != "" }

// describe says in a sentence how the run placed its processes.
func (p pinning) describe() string {
	if !p.on() {
		return "Not pinned: the load generator and the target share every core."
	}
	return fmt.Sprintf("Pinned (taskset) after the logins: the load generator on CPU %s, the target "+
		"(the set-up's server processes, then the trivial handler) on CPU %s.", p.gen, p.target)
}

// pin moves every thread of the processes pids to the CPU list cpus.
func pin(cpus string, pids ...int) error {
	for _, pid := range pids {
		out, err := exec.Command("taskset", "-a", "-p", "-c", cpus, strconv.Itoa(pid)).CombinedOutput()
		if err != nil {
			return fmt.Errorf("taskset %s on %d: %v: %s", cpus, pid, err, out)
		}
	}
	return nil
}

// apply pins this process to the generator's CPUs and the processes pids to the
// target's.
func (p pinning) apply(pids ...int) error {
	if !p.on() {
		return nil
	}
	if err := pin(p.gen, os.Getpid()); err != nil {
		return err
	}
	return pin(p.target, pids...)
}

// command is name with args, started on the target's CPUs when pinning.
func (p pinning) command(name string, args ...string) *exec.Cmd {
	if !p.on() {
		return exec.Command(name, args...)
	}
	return exec.Command("taskset", append([]string{"-c", p.target, name}, args...)...)
}
