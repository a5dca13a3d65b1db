package servertest

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Environment variables read by HAProxy.
const (
	// EnvRequireHAProxy set to 1 makes a missing haproxy fail the tests that need it
	// instead of skipping them (make test-postgres sets it).
	EnvRequireHAProxy = "ECERT_REQUIRE_HAPROXY"
	// EnvHAProxy names the haproxy program when it is not on the PATH or in /usr/sbin.
	EnvHAProxy = "ECERT_HAPROXY"
)

// HAProxyConfig is the operator's configuration (build/haproxy/ecert-server.cfg) that
// the test set-ups run, adapted by HAProxyConfigFor.
func HAProxyConfig() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "build", "haproxy", "ecert-server.cfg")
}

// HAProxyBin returns the haproxy program, or "" when it is not installed.
func HAProxyBin() string {
	if p := os.Getenv(EnvHAProxy); p != "" {
		return p
	}
	if p, err := exec.LookPath("haproxy"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/haproxy"); err == nil {
		return "/usr/sbin/haproxy"
	}
	return ""
}

// HAProxyConfigFor rewrites the operator's configuration cfg for a test: it binds to
// listen, balances over backends (host:port), checks them often (so that a stopped
// node is noticed within a second), and drops the global lines that need root (and
// lowers maxconn to what a user's open-file limit allows). Every
// other line — timeouts, retries, the health check — stays as the operator has it.
func HAProxyConfigFor(cfg []byte, listen string, backends []string) ([]byte, error) {
	var out bytes.Buffer
	section, servers, binds := "", false, 0
	for _, line := range strings.Split(string(cfg), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			out.WriteString(line + "\n")
			continue
		}
		if !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t") {
			section = f[0]
		}
		switch {
		case section == "global" && (f[0] == "chroot" || f[0] == "user" || f[0] == "group" || f[0] == "log" ||
			(f[0] == "stats" && len(f) > 1 && f[1] == "socket")):
			continue
		case f[0] == "log" || (f[0] == "option" && len(f) > 1 && (f[1] == "httplog" || f[1] == "dontlognull")):
			continue // no syslog in a test
		case section == "global" && f[0] == "maxconn":
			// Within the open-file limit of a user without root (two files a connection).
			out.WriteString("    maxconn 400\n")
		case f[0] == "bind":
			fmt.Fprintf(&out, "    bind %s\n", listen)
			binds++
		case f[0] == "default-server":
			out.WriteString("    default-server inter 300ms fastinter 100ms downinter 300ms fall 2 rise 1 maxconn 256\n")
		case f[0] == "server":
			if !servers {
				for i, b := range backends {
					fmt.Fprintf(&out, "    server node%d %s check\n", i+1, b)
				}
				servers = true
			}
		default:
			out.WriteString(line + "\n")
		}
	}
	if binds != 1 || !servers {
		return nil, fmt.Errorf("haproxy configuration: want one bind line and server lines, found %d and %v", binds, servers)
	}
	return out.Bytes(), nil
}

// LoadBalancer is a running HAProxy in front of test servers.
type LoadBalancer struct {
	URL  string // http://127.0.0.1:port
	cmd  *exec.Cmd
	done chan struct{}
	logs *bytes.Buffer
}

// HAProxy starts Debian's haproxy with the operator's configuration in front of
// backends (http:// URLs or host:port), checks the configuration with haproxy -c
// first, and waits until it answers. It stops when the test ends. Without haproxy the
// test is skipped, or fails when EnvRequireHAProxy is 1.
func HAProxy(t testing.TB, backends ...string) *LoadBalancer {
	t.Helper()
	bin := HAProxyBin()
	if bin == "" {
		if os.Getenv(EnvRequireHAProxy) == "1" {
			t.Fatalf("haproxy is not installed (build/scripts/setup.sh installs it)")
		}
		t.Skipf("haproxy is not installed (set %s=1 to fail instead)", EnvRequireHAProxy)
	}
	hosts := make([]string, len(backends))
	for i, b := range backends {
		if u, err := url.Parse(b); err == nil && u.Host != "" {
			b = u.Host
		}
		hosts[i] = b
	}
	ops, err := os.ReadFile(HAProxyConfig())
	if err != nil {
		t.Fatal(err)
	}
	listen := freeHostPort(t)
	cfg, err := HAProxyConfigFor(ops, listen, hosts)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(path, cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-c", "-q", "-f", path).CombinedOutput(); err != nil {
		t.Fatalf("haproxy -c: %v\n%s", err, out)
	}
	// -db: in the foreground, so the test owns the process.
	lb := &LoadBalancer{URL: "http://" + listen, done: make(chan struct{}), logs: &bytes.Buffer{}}
	lb.cmd = exec.Command(bin, "-db", "-f", path)
	lb.cmd.Stdout, lb.cmd.Stderr = lb.logs, lb.logs
	lb.cmd.SysProcAttr = childAttr()
	if err := lb.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		lb.cmd.Wait()
		close(lb.done)
	}()
	t.Cleanup(lb.Stop)
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := http.Get(lb.URL + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return lb
			}
		}
		select {
		case <-lb.done:
			t.Fatalf("haproxy exited: %s", lb.logs.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("haproxy did not reach a ready node within 10 s: %v\n%s", err, lb.logs.String())
		}
	}
}

// Stop ends HAProxy; idempotent.
func (lb *LoadBalancer) Stop() {
	select {
	case <-lb.done:
		return
	default:
	}
	lb.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-lb.done:
	case <-time.After(5 * time.Second):
		lb.cmd.Process.Kill()
		<-lb.done
	}
}

func freeHostPort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
