#!/usr/bin/env bash
# Browser tests: the real UI (frontend/dist) served by the Wails dev binary with the real
# Go backend, against a real ecert-server with the demo data, driven by Playwright in
# Debian's Chromium. Everything runs on free ports, a free X display and temporary data
# folders; every process started here is stopped on exit, by its PID.
#
#   build/scripts/e2e.sh [playwright test arguments…]   e.g. -g "offline"
#
# Logs, screenshots and traces of failed tests: build/out/e2e/.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
out=$root/build/out/e2e
bin=$root/build/bin
mkdir -p "$out" "$bin"
rm -rf "$out/test-results" "$out/report"
: >"$out/server.log"
: >"$out/app.log"
: >"$out/xvfb.log"

say() { echo "e2e: $*"; }
# shellcheck source=lib.sh
source build/scripts/lib.sh
die() { echo "e2e: $*" >&2; exit 1; }

# --- build (go build is incremental; the frontend is rebuilt when a source is newer) ---
command -v Xvfb >/dev/null || die "Xvfb is missing (apt-get install xvfb), or run 'make setup'"
chromium=${E2E_CHROMIUM:-/usr/bin/chromium}
need_browser "$chromium"
build_frontend "$out"
say "building the dev app and the server"
# The dev app says it is 1.2.0 and trusts the TEST-ONLY release key (only a build with
# the ecert_testkey tag accepts it), so that the About dialog finds the 1.3.0 the
# server publishes below (about.spec.ts).
mod=github.com/ecert-desktop/ecert-desktop
test_pubkey=$(go run ./build/release test-only-pubkey) || die "build/release does not run"
CGO_ENABLED=1 go build -tags dev,webkit2_41,ecert_testkey \
  -ldflags "-X $mod/app/version.Version=1.2.0 -X $mod/app/update.PublicKey=$test_pubkey" \
  -o "$bin/ecert-desktop-dev" . ||
  die "the dev binary does not build"
go build -o "$bin/ecert-server" ./sync/cmd/ecert-server || die "ecert-server does not build"

# --- processes, stopped on exit ---
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ecert-e2e.XXXXXX")
server_pidfile=$tmp/server.pid
pids=() # Xvfb, dbus, app: stopped in reverse order

cleanup() {
  local rc=$?
  set +e
  # The server: the one in the PID file (a test may have restarted it), and the first one.
  [[ -f $server_pidfile ]] && stop_pid "$(cat "$server_pidfile")"
  [[ -n ${server_pid:-} ]] && stop_pid "$server_pid"
  [[ -n ${app_pid:-} ]] && stop_pid "$app_pid" group
  # Apps a test started on data folders of their own (team.spec.ts), one PID a line.
  if [[ -f $tmp/apps.pid ]]; then
    while read -r p; do [[ -n $p ]] && stop_pid "$p" group; done <"$tmp/apps.pid"
  fi
  stop_all
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_xvfb "$out/xvfb.log"
say "Xvfb on display $display"
start_dbus

# A release 1.3.0 signed with the TEST-ONLY key, served by the server (--release-dir).
release_dir=$tmp/release
printf 'e2e build of ecert-desktop 1.3.0\n' >"$tmp/ecert-desktop-1.3.0"
go run ./build/release sign -test-only-key -version 1.3.0 -dir "$release_dir" \
  "linux-amd64=$tmp/ecert-desktop-1.3.0" "windows-amd64=$tmp/ecert-desktop-1.3.0" >/dev/null ||
  die "could not publish the test release"

# The server, with the demo data. A test may stop and restart it: the PID file says which.
start_server "$bin/ecert-server" "$tmp/server" "$out/server.log" --release-dir "$release_dir"
echo "$server_pid" >"$server_pidfile"
say "ecert-server on $server_url (pid $server_pid)"

# Evidence files that the app's « Add files… » dialog answers (ECERT_E2E_PICK, ':'-separated
# on Linux): a 3 MB "PDF" of random bytes (the test gives it new bytes before each attempt,
# so that every attempt uploads it) and a small PNG, made here: no binary fixture is kept.
pick_dir=$tmp/pick
[[ $pick_dir != *:* ]] || die "the temporary folder $pick_dir has a ':', the separator of ECERT_E2E_PICK"
mkdir -p "$pick_dir"
pick_pdf="$pick_dir/Registre de formation 2019.pdf"
pick_png="$pick_dir/Photo entrepôt.png"
python3 - "$pick_pdf" "$pick_png" <<'PY' || die "could not make the evidence fixtures"
import os, struct, sys, zlib
pdf, png = sys.argv[1], sys.argv[2]
head = b"%PDF-1.4\n% ecert e2e evidence fixture\n"
with open(pdf, "wb") as f:
    f.write(head + os.urandom(3 * 1024 * 1024 - len(head)))
w, h = 96, 64  # a gradient, RGB, 8 bits
raw = b"".join(b"\x00" + b"".join(bytes((x * 255 // w, y * 255 // h, 128)) for x in range(w)) for y in range(h))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
with open(png, "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
PY
pick_list=$pick_pdf:$pick_png

# The app: the dev binary serves the UI and the Go bindings over HTTP (Wails' dev mode).
app_port=$(free_port)
app_url=http://127.0.0.1:$app_port
mkdir -p "$tmp/app" "$tmp/save"
(
  export DISPLAY=$display WEBKIT_DISABLE_DMABUF_RENDERER=1 NO_AT_BRIDGE=1
  export ECERT_DATA_DIR=$tmp/app ECERT_SERVER=$server_url ECERT_USER=coop ECERT_PASSWORD=coop
  export ECERT_E2E_SAVE_DIR=$tmp/save ECERT_E2E_OPEN_LOG=$tmp/opened.log ECERT_E2E_PICK=$pick_list
  export LANG=fr_FR.UTF-8 LANGUAGE=fr
  # Wails' dev flags must come first. setsid: the app and its WebKit helpers form one
  # process group, stopped together.
  exec setsid "$bin/ecert-desktop-dev" -assetdir frontend/dist -devserver "127.0.0.1:$app_port"
) >>"$out/app.log" 2>&1 &
app_pid=$!
wait_for "$app_url/wails/ipc.js" "$app_pid" "the app" "$out/app.log" 90
say "app on $app_url (pid $app_pid)"

# --- the tests ---
export E2E_BASE_URL=$app_url E2E_SERVER_URL=$server_url E2E_SERVER_ADDR=$server_addr
export E2E_SERVER_BIN=$bin/ecert-server E2E_SERVER_DATA=$tmp/server E2E_SERVER_PIDFILE=$server_pidfile
export E2E_SERVER_LOG=$out/server.log E2E_OPEN_LOG=$tmp/opened.log E2E_OUT_DIR=$out
export E2E_CHROMIUM=$chromium PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 E2E_PICK=$pick_list
export E2E_RELEASE_DIR=$release_dir
# What a test needs to start another app (another user's computer): the dev binary, the
# X display, and a folder for its data; the PIDs it writes to apps.pid are stopped on exit.
export E2E_APP_BIN=$bin/ecert-desktop-dev E2E_DISPLAY=$display E2E_TMP=$tmp E2E_APPS_PIDFILE=$tmp/apps.pid
unset DISPLAY # Chromium runs headless

start=$SECONDS
set +e
(cd frontend && node_modules/.bin/playwright test -c e2e/playwright.config.ts "$@")
rc=$?
set -e
if ((rc == 0)); then
  say "all browser tests passed in $((SECONDS - start))s (logs: $out)"
else
  say "browser tests FAILED (exit $rc) after $((SECONDS - start))s: screenshots and traces in $out/test-results, logs in $out" >&2
fi
exit "$rc"
