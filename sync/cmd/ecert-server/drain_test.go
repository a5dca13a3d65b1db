//go:build unix

package main

import (
	"bufio"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// On SIGTERM with --drain-wait the node fails the load balancer's probe at once, goes
// on serving what still comes for the wait, then stops taking connections, lets a
// request in flight finish, and exits cleanly.
func TestSIGTERMDrainsThenFinishesInFlight(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	base := "http://" + addr
	const drain = 1500 * time.Millisecond
	exited := make(chan error, 1)
	go func() {
		exited <- serve(slog.New(slog.NewTextHandler(io.Discard, nil)), []string{"--addr", addr,
			"--data-dir", filepath.Join(t.TempDir(), "data"), "--drain-wait", drain.String()})
	}()
	get := func(path string) int {
		res, err := http.Get(base + path)
		if err != nil {
			return 0
		}
		res.Body.Close()
		return res.StatusCode
	}
	deadline := time.Now().Add(20 * time.Second)
	for get("/readyz") != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("the server never became ready")
		}
		time.Sleep(50 * time.Millisecond)
	}

	// A request in flight: its headers sent, its body not yet.
	body := `{"username":"nobody","password":"wrong password"}`
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: "+addr+
		"\r\nContent-Type: application/json\r\nContent-Length: "+itoa(len(body))+"\r\n\r\n"+body[:10]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the server has read the headers

	termAt := time.Now()
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for get("/readyz") != http.StatusServiceUnavailable {
		if time.Since(termAt) > time.Second {
			t.Fatal("readyz still not 503 a second after SIGTERM")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code := get("/api/v1/health"); code != http.StatusOK {
		t.Errorf("health while draining: %d, want 200", code)
	}

	// After the drain the server closes; the request in flight still gets its answer.
	time.Sleep(time.Until(termAt.Add(drain + 300*time.Millisecond)))
	if _, err := io.WriteString(conn, body[10:]); err != nil {
		t.Fatalf("finish the request in flight: %v", err)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.Contains(status, " 401 ") {
		t.Errorf("answer to the request in flight: %q, %v; want 401 bad credentials", status, err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("serve after SIGTERM: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not return after SIGTERM")
	}
	if time.Since(termAt) < drain {
		t.Errorf("exited %v after SIGTERM, before the drain wait of %v", time.Since(termAt), drain)
	}
	if code := get("/readyz"); code != 0 {
		t.Errorf("readyz after exit: %d, want no answer", code)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
