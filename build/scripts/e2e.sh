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
die() { echo "e2e: $*" >&2; exit 1; }

# --- build (go build is incremental; the frontend is rebuilt when a source is newer) ---
command -v Xvfb >/dev/null || die "Xvfb is missing (apt-get install xvfb), or run 'make setup'"
chromium=${E2E_CHROMIUM:-/usr/bin/chromium}
[[ -x $chromium ]] || die "Chromium is missing at $chromium (apt-get install chromium)"
[[ -x frontend/node_modules/.bin/playwright ]] ||
  die "@playwright/test is not installed: run 'make setup' (or 'cd frontend && npm ci')"

if [[ ! -f frontend/dist/index.html ]] ||
  [[ -n $(find frontend/src frontend/index.html frontend/package.json frontend/vite.config.ts \
    frontend/wailsjs -newer frontend/dist/index.html -type f 2>/dev/null | head -1) ]]; then
  say "building the frontend"
  (cd frontend && npm run build) >"$out/frontend-build.log" 2>&1 ||
    { tail -30 "$out/frontend-build.log" >&2; die "the frontend does not build (log: $out/frontend-build.log)"; }
fi
say "building the dev app and the server"
CGO_ENABLED=1 go build -tags dev,webkit2_41 -o "$bin/ecert-desktop-dev" . ||
  die "the dev binary does not build"
go build -o "$bin/ecert-server" ./sync/cmd/ecert-server || die "ecert-server does not build"

# --- processes, stopped on exit ---
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ecert-e2e.XXXXXX")
server_pidfile=$tmp/server.pid
pids=() # Xvfb, dbus, app: stopped in reverse order

# stop_pid PID [group]: SIGTERM, then SIGKILL after 5 s; "group" signals its process group.
stop_pid() {
  local pid=$1 target=$1
  [[ ${2:-} == group ]] && target=-$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM -- "$target" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL -- "$target" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  set +e
  # The server: the one in the PID file (a test may have restarted it), and the first one.
  [[ -f $server_pidfile ]] && stop_pid "$(cat "$server_pidfile")"
  [[ -n ${server_pid:-} ]] && stop_pid "$server_pid"
  [[ -n ${app_pid:-} ]] && stop_pid "$app_pid" group
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop_pid "${pids[i]}"; done
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for URL PID WHAT LOG [seconds]
wait_for() {
  local url=$1 pid=$2 what=$3 log=$4 secs=${5:-60}
  for _ in $(seq 1 $((secs * 10))); do
    curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { tail -40 "$log" >&2; die "$what exited during start-up (log: $log)"; }
    sleep 0.1
  done
  tail -40 "$log" >&2
  die "$what did not answer at $url within ${secs}s (log: $log)"
}

# Xvfb on the first free display from :90.
display=
for n in $(seq 90 190); do
  [[ -e /tmp/.X$n-lock || -e /tmp/.X11-unix/X$n ]] && continue
  Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >>"$out/xvfb.log" 2>&1 &
  xpid=$!
  for _ in $(seq 1 50); do
    [[ -e /tmp/.X11-unix/X$n ]] && break
    kill -0 "$xpid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$xpid" 2>/dev/null && [[ -e /tmp/.X11-unix/X$n ]]; then
    pids+=("$xpid")
    display=:$n
    break
  fi
  stop_pid "$xpid"
done
[[ -n $display ]] || { cat "$out/xvfb.log" >&2; die "could not start Xvfb"; }
say "Xvfb on display $display (pid $xpid)"

# A private D-Bus session bus (GTK and WebKit expect one; it keeps the host's out of it).
if command -v dbus-daemon >/dev/null; then
  dbus_info=$(dbus-daemon --session --fork --print-address=1 --print-pid=1) ||
    die "could not start a D-Bus session bus"
  dbus_addr=$(sed -n 1p <<<"$dbus_info")
  dbus_pid=$(sed -n 2p <<<"$dbus_info")
  pids+=("$dbus_pid")
  export DBUS_SESSION_BUS_ADDRESS=$dbus_addr
fi

# The server, with the demo data.
server_port=$(free_port)
server_addr=127.0.0.1:$server_port
server_url=http://$server_addr
mkdir -p "$tmp/server"
"$bin/ecert-server" --addr "$server_addr" --data-dir "$tmp/server" --demo >>"$out/server.log" 2>&1 &
server_pid=$!
echo "$server_pid" >"$server_pidfile"
wait_for "$server_url/api/v1/health" "$server_pid" "ecert-server" "$out/server.log" 30
say "ecert-server on $server_url (pid $server_pid)"

# The app: the dev binary serves the UI and the Go bindings over HTTP (Wails' dev mode).
app_port=$(free_port)
app_url=http://127.0.0.1:$app_port
mkdir -p "$tmp/app" "$tmp/save"
(
  export DISPLAY=$display WEBKIT_DISABLE_DMABUF_RENDERER=1 NO_AT_BRIDGE=1
  export ECERT_DATA_DIR=$tmp/app ECERT_SERVER=$server_url ECERT_USER=coop ECERT_PASSWORD=coop
  export ECERT_E2E_SAVE_DIR=$tmp/save ECERT_E2E_OPEN_LOG=$tmp/opened.log
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
export E2E_CHROMIUM=$chromium PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
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
