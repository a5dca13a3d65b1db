//go:build linux

package server_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
	"github.com/ecert-desktop/ecert-desktop/sync/server/servertest"
	"github.com/ecert-desktop/ecert-desktop/sync/server/store/sqlite"
)

// TestPowerCutKeepsAcknowledgedPushes shows that a push the server acknowledged
// survives a power cut right after the answer.
//
// The seam: the server's data folder is on an ext4 file system in a file-backed loop
// device. The file system keeps written but unsynced pages in the kernel's page cache
// (the one it mounts from); it hands them to the loop device only when it syncs them
// (fsync, its journal's commit) or when writeback finds them old (30 s by default;
// the journal commit is put off to 600 s by the mount). The loop device's backing file
// therefore holds what the disk of a machine would hold: what the file system made
// durable, plus what writeback happened to flush. A copy of it taken right after the
// answer is the disk as a power cut at that moment leaves it. Mounting the copy
// replays ext4's journal as a reboot would; a new server on it is "power returns".
//
// What it proves: with synchronous=FULL every acknowledged push is on that disk when
// the answer leaves; with NORMAL (the server's setting before) the acknowledged push is
// gone after the cut — the sub-test with NORMAL checks that the seam sees the loss, so
// the FULL sub-test is not passing by accident. What it does not prove: that the
// disk's own write cache honours flushes (the loop device's backing file is read
// through the host's page cache; a real drive must honour FLUSH/FUA), nor torn writes
// inside a sector. It needs root (losetup, mount) and skips without it.
func TestPowerCutKeepsAcknowledgedPushes(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: mounts an ext4 file system on a loop device")
	}
	if os.Getenv(servertest.EnvStore) == "postgres" {
		// The seam is the disk under the data folder's SQLite file; PostgreSQL keeps
		// the data elsewhere, and its durability is its own (fsync on, the default).
		t.Skip("SQLite's durability: the data is in PostgreSQL (" + servertest.EnvStore + ")")
	}
	for _, c := range []struct {
		synchronous string
		survives    bool
	}{
		{"FULL", true},    // the server's setting
		{"NORMAL", false}, // the seam's check: without a sync at commit the push is lost
	} {
		t.Run(c.synchronous, func(t *testing.T) {
			defer func(s string) { sqlite.Synchronous = s }(sqlite.Synchronous)
			sqlite.Synchronous = c.synchronous
			work := t.TempDir()
			disk, mnt := filepath.Join(work, "disk.img"), filepath.Join(work, "mnt")
			mkfs(t, disk)
			mount(t, disk, mnt)
			data := filepath.Join(mnt, "data")

			e := newEnvAt(t, data, &clock{t: powerCutTime}, nil)
			coop := e.token("coop")
			// Everything before the push is made durable, as a long-running server's
			// data would be: only the push itself is at stake.
			syscall.Sync()
			text := "mesure corrective envoyée avant la coupure (" + c.synchronous + ")"
			res := e.push(coop, clientA, api.PushEntry{Seq: 1, Kind: api.KindMessage, NCID: ncOpen, Text: text})
			if res[0].Status != api.PushApplied {
				t.Fatalf("push: %+v", res[0])
			}
			// The client now drops its outbox entry. The power goes: the disk is what
			// the loop device received.
			cut := filepath.Join(work, "after-cut.img")
			copyFile(t, disk, cut)

			// Power returns: the copy is mounted (ext4 replays its journal) and a new
			// server opens the data folder.
			mnt2 := filepath.Join(work, "mnt2")
			mount(t, cut, mnt2)
			after := newEnvAt(t, filepath.Join(mnt2, "data"), &clock{t: powerCutTime}, nil)
			r := after.do("GET", "/ncs/"+ncOpen+"/messages", after.token("coop"), nil)
			if r.status != 200 {
				t.Fatalf("messages after the power cut: %d %s", r.status, r.body)
			}
			if got := strings.Contains(string(r.body), text); got != c.survives {
				t.Errorf("synchronous=%s: the acknowledged message is there after the power cut: %v, want %v",
					c.synchronous, got, c.survives)
			}
		})
	}
}

var powerCutTime = time.Date(2019, 6, 10, 9, 0, 0, 0, time.UTC)

// mkfs makes a 64 MB ext4 file system in the file path.
func mkfs(t *testing.T, path string) {
	t.Helper()
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, 64<<20); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mkfs.ext4", "-q", "-F", path).CombinedOutput(); err != nil {
		t.Skipf("mkfs.ext4: %v %s", err, out)
	}
}

// mount mounts the file system in the file img on dir through a loop device, until the
// test ends. The journal's commit interval is 600 s, so only syncs reach the device.
func mount(t *testing.T, img, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-o", "loop,commit=600", img, dir).CombinedOutput(); err != nil {
		t.Skipf("mount a loop device: %v %s", err, out)
	}
	// Registered before the server's cleanup, so it runs after the server stopped.
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
