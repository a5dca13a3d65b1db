#!/usr/bin/env bash
# Smoke test of the production binary in a real WebKitGTK window under Xvfb: the app must
# still run after SMOKE_WAIT seconds (15) and its window must not be blank in a screenshot
# of the screen; then SIGTERM must close it cleanly (exit 0, no crash report left). Needs build/bin/ecert-desktop and build/bin/ecert-server ('make build').
#
# Output in build/out/smoke/: window.png (the screenshot), app.log, server.log.
# SMOKE_DISABLE_COMPOSITING=1 sets WEBKIT_DISABLE_COMPOSITING_MODE=1 (for a white window).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
out=$root/build/out/smoke
bin=$root/build/bin
wait_secs=${SMOKE_WAIT:-15}
max_secs=${SMOKE_MAX_WAIT:-30} # keep taking screenshots until then if the first is blank
min_stddev=${SMOKE_MIN_STDDEV:-0.02}
min_colours=${SMOKE_MIN_COLOURS:-50}

say() { echo "smoke: $*"; }
fail() { echo "smoke: FAILED: $*" >&2; exit 1; }
die() { fail "$@"; }
# shellcheck source=lib.sh
source build/scripts/lib.sh

for f in ecert-desktop ecert-server; do
  [[ -x $bin/$f ]] || fail "$bin/$f is missing: run 'make build' first"
done
for cmd in Xvfb import convert identify python3 curl setsid; do
  command -v "$cmd" >/dev/null || fail "'$cmd' is missing (packages xvfb, imagemagick, python3, curl): run 'make setup'"
done

mkdir -p "$out"
rm -f "$out"/window*.png
: >"$out/app.log"
: >"$out/server.log"
: >"$out/xvfb.log"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ecert-smoke.XXXXXX")
pids=() # Xvfb, dbus, server: stopped in reverse order after the app

cleanup() {
  local rc=$?
  set +e
  [[ -n ${app_pid:-} ]] && stop_pid "$app_pid" group
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

# The demo server, so the app has a real peer.
start_server "$bin/ecert-server" "$tmp/server" "$out/server.log"
pids+=("$server_pid")
say "ecert-server on http://$server_addr (pid $server_pid)"

# The production app, in its own process group (with its WebKit helper processes).
mkdir -p "$tmp/data"
(
  export DISPLAY=$display WEBKIT_DISABLE_DMABUF_RENDERER=1 NO_AT_BRIDGE=1
  [[ ${SMOKE_DISABLE_COMPOSITING:-} == 1 ]] && export WEBKIT_DISABLE_COMPOSITING_MODE=1
  export ECERT_DATA_DIR=$tmp/data ECERT_SERVER=http://$server_addr ECERT_USER=coop ECERT_PASSWORD=coop
  exec setsid "$bin/ecert-desktop"
) >>"$out/app.log" 2>&1 &
app_pid=$!
say "ecert-desktop started (pid $app_pid), waiting ${wait_secs}s"

crashed() {
  echo "--- last lines of $out/app.log ---" >&2
  tail -40 "$out/app.log" >&2
  if grep -q "SA_ONSTACK" "$out/app.log"; then
    echo "(the JavaScriptCore signal-handler crash: see app/desktop/sigfix_linux.go)" >&2
  fi
  fail "ecert-desktop exited $1"
}

# check_alive WHEN: fails with the app's log when it exited.
check_alive() {
  kill -0 "$app_pid" 2>/dev/null && return 0
  local st=0
  wait "$app_pid" || st=$?
  crashed "$1 (exit status $st)"
}

for ((s = 0; s < wait_secs; s++)); do
  check_alive "after ${s}s"
  sleep 1
done

# The screenshot: the whole screen (there is no window manager, the window is on it).
shot=$out/window.png
blank_reason=
for ((s = wait_secs; ; s += 2)); do
  check_alive "after ${s}s"
  import -display "$display" -window root "$shot" 2>>"$out/app.log" || fail "could not take a screenshot of $display"
  stddev=$(convert "$shot" -format '%[fx:standard_deviation]' info:)
  colours=$(identify -format '%k' "$shot")
  if python3 -c "import sys; sys.exit(0 if float('$stddev') > $min_stddev and int('$colours') > $min_colours else 1)"; then
    blank_reason=
    break
  fi
  blank_reason="standard deviation $stddev (needs > $min_stddev), $colours colours (needs > $min_colours)"
  ((s + 2 <= max_secs)) || break
  sleep 2
done
[[ -z $blank_reason ]] || {
  tail -20 "$out/app.log" >&2
  fail "the window looks blank after ${s}s: $blank_reason. Screenshot: $shot (try SMOKE_DISABLE_COMPOSITING=1)"
}

sleep 1
check_alive "just after the screenshot"
if grep -q "SA_ONSTACK" "$out/app.log"; then
  fail "the log mentions the SA_ONSTACK signal-handler crash (log: $out/app.log)"
fi
say "alive after ${s}s, window not blank (standard deviation $stddev, $colours colours)"

# SIGTERM (a logout, a shutdown, kill) closes the window as the user would: exit 0, the
# crash watch's mark removed (no false unclean_exit report at the next start), and the
# data folder free for the next program.
kill -TERM "$app_pid"
for ((t = 0; t < 150; t++)); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$app_pid" 2>/dev/null && fail "ecert-desktop still runs 15 s after SIGTERM"
st=0
wait "$app_pid" || st=$?
app_pid=
[[ $st -eq 0 ]] || { tail -20 "$out/app.log" >&2; fail "ecert-desktop exited $st on SIGTERM, want 0 (a clean close)"; }
[[ ! -e $tmp/data/crashes/running ]] || fail "SIGTERM left the crash watch's mark: the next start would report an unclean exit"
ls "$tmp"/data/crashes/crash-*.json >/dev/null 2>&1 && fail "a crash report after SIGTERM: $(ls "$tmp"/data/crashes/)"
ECERT_NO_KEYRING=1 "$bin/ecert-desktop" status --data-dir "$tmp/data" >/dev/null 2>>"$out/app.log" ||
  fail "after SIGTERM the data folder is not usable by the next program (log: $out/app.log)"
grep -q "closing on a signal" "$out/app.log" || fail "the app did not log that it closed on the signal"
say "OK: SIGTERM closed it cleanly (exit 0, no crash mark, the data folder free)"
say "screenshot: $shot, log: $out/app.log"
