#!/usr/bin/env bash
# Benchmarks of the UI and of the running app with the large organisation (5,000 NCs,
# 20,000 messages, 2,000 evidence records, from `ecert-server generate`), against a real
# ecert-server on loopback. Figures, not tests: nothing here fails on a slow machine.
#
#   build/scripts/bench-ui.sh [browser] [app]     both when neither is named
#
# browser  the dev app (real Go bindings) on a replica synced with the large organisation,
#          driven by Playwright in Debian's Chromium (frontend/e2e/list.bench.ts): the NC
#          list's first rows, frame times while the whole list scrolls, filter and search
#          response times, and that the list stays virtualised; then, the server stopped,
#          the partner search typed letter by letter (frontend/e2e/partners.bench.ts).
# app      the production binary in a real WebKitGTK window under Xvfb: the time from
#          launch to the dashboard shown (the window's ECERT_STARTUP_LOG), and the resident
#          memory of the app and of its WebKit processes, after a start on the synced
#          replica and after the app itself did the full initial sync.
#
# Each figure is taken BENCH_UI_RUNS times (3), one Go-benchmark line per run, in
# build/out/bench-ui.txt (written when everything ran); logs in build/out/bench-ui/.
# Everything runs on free ports, a free X display and temporary folders; every process
# started here is stopped on exit, by its PID.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
bin=$root/build/bin
out=$root/build/out
logs=$out/bench-ui
result=$out/bench-ui.txt
runs=${BENCH_UI_RUNS:-3}
mkdir -p "$bin" "$logs"
rm -rf "$logs/test-results" "$logs/bench-ui.partial.txt" "$result"

say() { echo "bench-ui: $*"; }
die() { echo "bench-ui: $*" >&2; exit 1; }
# shellcheck source=lib.sh
source build/scripts/lib.sh

do_browser=0 do_app=0
for a in "$@"; do
  case $a in
    browser) do_browser=1 ;;
    app) do_app=1 ;;
    *) die "unknown part '$a' (browser, app)" ;;
  esac
done
((do_browser || do_app)) || do_browser=1 do_app=1

command -v Xvfb >/dev/null || die "Xvfb is missing (apt-get install xvfb), or run 'make setup'"
chromium=${BENCH_CHROMIUM:-/usr/bin/chromium}
if ((do_browser)); then
  need_browser "$chromium"
fi

# --- build, as e2e.sh and `make build` do (go build is incremental) ---
build_frontend "$logs"
say "building the server and the app"
go build -o "$bin/ecert-server" ./sync/cmd/ecert-server || die "ecert-server does not build"
if ((do_browser)); then
  CGO_ENABLED=1 go build -tags dev,webkit2_41 -o "$bin/ecert-desktop-dev" . || die "the dev binary does not build"
fi
# The release binary, built as `make build` builds it, under a name of its own; or
# BENCH_UI_APP_BIN, another build to compare with (it must have the startup log).
app_bin=${BENCH_UI_APP_BIN:-$bin/ecert-desktop-bench}
if [[ -z ${BENCH_UI_APP_BIN:-} ]]; then
  CGO_ENABLED=1 go build -tags desktop,production,webkit2_41 -ldflags "-w -s" -o "$app_bin" . ||
    die "the production binary does not build"
fi
[[ -x $app_bin ]] || die "no app binary at $app_bin"

# --- processes, stopped on exit ---
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ecert-bench-ui.XXXXXX")
pids=() # Xvfb, dbus, server: stopped in reverse order
app_pid=

cleanup() {
  local rc=$?
  set +e
  [[ -n $app_pid ]] && stop_pid "$app_pid" group
  stop_all
  if ((rc != 0)) && [[ -s ${raw:-} ]]; then
    cp "$raw" "$logs/bench-ui.partial.txt"
    echo "bench-ui: the figures taken before the failure: $logs/bench-ui.partial.txt" >&2
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the server with the large organisation ---
: >"$logs/server.log"
say "generating the large organisation"
start_large_server "$bin/ecert-server" "$tmp/server" "$logs/server.log" || die "no large server"
pids+=("$large_pid")
server_addr=$large_addr server_url=$large_url
say "ecert-server on $server_url"

# headless CMD DIR [ARGS…]: a headless command of the app on the replica in DIR.
headless() {
  local cmd=$1 dir=$2
  shift 2
  ECERT_NO_KEYRING=1 "$app_bin" "$cmd" --data-dir "$dir" "$@"
}

# login DIR: a fresh login on the replica in DIR (each run's own tokens: a refresh in
# one run spends the tokens of the replica it was copied from).
login() {
  echo large | headless login "$1" --server "$server_url" --user large >>"$logs/replica.log" 2>&1 ||
    { tail -20 "$logs/replica.log" >&2; die "login as large failed (log: $logs/replica.log)"; }
}

# The replica synced with the large organisation, copied for every run.
: >"$logs/replica.log"
synced=$tmp/synced
mkdir -p "$synced"
login "$synced"
say "syncing a replica with the large organisation"
headless sync "$synced" >>"$logs/replica.log" 2>&1 ||
  { tail -20 "$logs/replica.log" >&2; die "the initial sync failed (log: $logs/replica.log)"; }
grep -E '^Synced' "$logs/replica.log" | tail -1 | sed 's/^/bench-ui: /'

# fresh NAME [synced]: a new replica folder for a run, a copy of the synced one or empty,
# logged in; prints its path.
fresh() {
  local dir=$tmp/run-$1
  rm -rf "$dir"
  if [[ ${2:-} == synced ]]; then cp -a "$synced" "$dir"; else mkdir -p "$dir"; fi
  login "$dir"
  echo "$dir"
}

start_xvfb "$logs/xvfb.log"
say "Xvfb on display $display"
start_dbus

# --- /proc helpers ---

# group_pids PGID: the processes of a process group (the app and its WebKit processes).
group_pids() {
  local p
  for p in /proc/[0-9]*; do
    [[ -r $p/stat ]] || continue
    # Field 5 of stat, counted after the command name's closing parenthesis.
    local s
    s=$(cat "$p/stat" 2>/dev/null) || continue
    s=${s##*) }
    read -r _ _ pgrp _ <<<"$s"
    [[ $pgrp == "$1" ]] && echo "${p#/proc/}"
  done
}

# cpu_ticks PGID: user + system clock ticks used so far by the group.
cpu_ticks() {
  local sum=0 p s
  for p in $(group_pids "$1"); do
    s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    s=${s##*) }
    # After the name: state(3) … utime(14) stime(15), i.e. the 12th and 13th fields here.
    read -r -a f <<<"$s"
    sum=$((sum + f[11] + f[12]))
  done
  echo "$sum"
}

# wait_idle PGID [seconds]: until the group uses under 10% of a core for two seconds
# running (at most `seconds`, 60): figures are not taken while a start-up settles.
wait_idle() {
  local pgid=$1 secs=${2:-60} quiet=0 before after
  before=$(cpu_ticks "$pgid")
  for _ in $(seq 1 "$secs"); do
    sleep 1
    after=$(cpu_ticks "$pgid")
    if ((after - before <= 10)); then
      ((++quiet >= 2)) && return 0
    else
      quiet=0
    fi
    before=$after
  done
  say "(the app did not settle within ${secs}s: measuring anyway)"
}

# kb FIELD FILE: a "Name:  123 kB" value of a /proc status-like file, in kB.
kb() { awk -v k="$1:" '$1 == k { print $2; exit }' "$2" 2>/dev/null || true; }

# memory PGID: "<app-rss-MB> <webkit-rss-MB> <total-rss-MB> <total-pss-MB>" from /proc:
# VmRSS of the app (the group leader) and of its WebKit processes, and the proportional
# set size of all (shared pages counted once, split between the processes sharing them).
memory() {
  local pgid=$1 app=0 webkit=0 pss=0 p r q
  for p in $(group_pids "$pgid"); do
    r=$(kb VmRSS "/proc/$p/status")
    q=$(kb Pss "/proc/$p/smaps_rollup")
    pss=$((pss + ${q:-0}))
    if ((p == pgid)); then app=$((app + ${r:-0})); else webkit=$((webkit + ${r:-0})); fi
  done
  awk -v a="$app" -v w="$webkit" -v p="$pss" \
    'BEGIN { printf "%.0f %.0f %.0f %.0f", a / 1024, w / 1024, (a + w) / 1024, p / 1024 }'
}

# start_app NAME DIR [dev-port]: the production app (or, with a port, the dev app serving
# the UI there) on the replica in DIR, in its own process group; sets app_pid.
start_app() {
  local name=$1 dir=$2 port=${3:-}
  : >"$logs/$name.log"
  (
    export DISPLAY=$display WEBKIT_DISABLE_DMABUF_RENDERER=1 NO_AT_BRIDGE=1
    export ECERT_DATA_DIR=$dir ECERT_STARTUP_LOG=$dir.startup
    if [[ -n $port ]]; then
      exec setsid "$bin/ecert-desktop-dev" -assetdir frontend/dist -devserver "127.0.0.1:$port"
    else
      exec setsid "$app_bin"
    fi
  ) >>"$logs/$name.log" 2>&1 &
  app_pid=$!
}

# stop_app [NAME DIR]: stops the app; keeps its startup log as $logs/NAME.startup.
stop_app() {
  [[ -n $app_pid ]] && stop_pid "$app_pid" group
  app_pid=
  if [[ -n ${1:-} && -f $2.startup ]]; then cp "$2.startup" "$logs/$1.startup"; fi
}

# milestone DIR WHAT SECONDS: waits for the startup log's line "WHAT <ms>", prints <ms>.
milestone() {
  local file=$1.startup what=$2 secs=$3 ms
  for _ in $(seq 1 $((secs * 10))); do
    ms=$(awk -v w="$what" '$1 == w { print $2; exit }' "$file" 2>/dev/null || true)
    [[ -n $ms ]] && { echo "$ms"; return 0; }
    kill -0 "$app_pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# bench_browser NAME FILE: Playwright runs the browser benchmark FILE (frontend/e2e)
# against the dev app on $port; its log in $logs/playwright-NAME.log.
bench_browser() {
  (
    cd frontend
    unset DISPLAY # Chromium runs headless
    BENCH_BASE_URL=http://127.0.0.1:$port BENCH_UI_RESULTS=$raw BENCH_RUNS=$runs BENCH_OUT_DIR=$logs \
      BENCH_SERVER_URL=$server_url BENCH_CHROMIUM=$chromium PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
      node_modules/.bin/playwright test -c e2e/bench.config.ts "$2"
  ) 2>&1 | tee "$logs/playwright-$1.log"
  return "${PIPESTATUS[0]}"
}

# restart_large_server starts the stopped large server again, on its address and data.
restart_large_server() {
  "$bin/ecert-server" --addr "$large_addr" --data-dir "$tmp/server" >>"$logs/server.log" 2>&1 &
  large_pid=$!
  pids+=("$large_pid")
  wait_for "$large_url/api/v1/health" "$large_pid" "ecert-server (large, again)" "$logs/server.log" 30
}

# --- the figures ---
raw=$tmp/results.txt
{
  echo "goos: $(go env GOOS)"
  echo "goarch: $(go env GOARCH)"
  echo "pkg: github.com/ecert-desktop/ecert-desktop/ui"
  echo "cpu: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo) ($(nproc) cores)"
  echo "loadavg: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "webkitgtk: $(pkg-config --modversion webkit2gtk-4.1 2>/dev/null || echo unknown)"
  echo "chromium: $("$chromium" --version 2>/dev/null | head -1 || echo unknown)"
} >"$raw"

if ((do_browser)); then
  dir=$(fresh browser synced)
  port=$(free_port)
  start_app browser-app "$dir" "$port"
  wait_for "http://127.0.0.1:$port/wails/ipc.js" "$app_pid" "the dev app" "$logs/browser-app.log" 90
  say "dev app on http://127.0.0.1:$port (pid $app_pid): waiting until it settles"
  wait_idle "$app_pid" 60
  say "browser figures, $runs runs"
  echo "ui-scroll-px-per-frame: ${BENCH_SCROLL_STEP:-200}" >>"$raw"
  set +e
  bench_browser list list.bench.ts
  rc=$?
  set -e
  ((rc == 0)) || { stop_app; die "the browser benchmark failed (log: $logs/playwright-list.log, $logs/test-results)"; }
  # The partner search is offline: the server stopped while it runs, started again on
  # the same address and data for the app's figures.
  stop_pid "$large_pid"
  say "server stopped: the partner search, offline"
  set +e
  BENCH_OFFLINE=1 bench_browser partners partners.bench.ts
  rc=$?
  set -e
  stop_app
  ((rc == 0)) || die "the partner search benchmark failed (log: $logs/playwright-partners.log, $logs/test-results)"
  if ((do_app)); then
    restart_large_server
    say "ecert-server on $server_url again"
  fi
fi

if ((do_app)); then
  for i in $(seq 1 "$runs"); do
    # Cold start on the synced replica: launch → dashboard shown with its data; then the
    # memory once its start-up sync is over and it settled.
    dir=$(fresh "start-$i" synced)
    start_app "start-$i" "$dir"
    ms=$(milestone "$dir" dashboard 180) ||
      { tail -30 "$logs/start-$i.log" >&2; die "run $i: the dashboard was not shown within 180 s (log: $logs/start-$i.log)"; }
    milestone "$dir" synced 180 >/dev/null || say "(run $i: the start-up sync did not finish within 180 s)"
    wait_idle "$app_pid" 60
    read -r app webkit total pss <<<"$(memory "$app_pid")"
    run=$(milestone "$dir" run 1 || echo 0)
    dom=$(milestone "$dir" domready 1 || echo 0)
    echo "BenchmarkAppColdStart 1 $ms ms-to-dashboard $run ms-to-main $dom ms-to-domready" >>"$raw"
    echo "BenchmarkAppMemoryStarted 1 $app app-rss-MB $webkit webkit-rss-MB $total total-rss-MB $pss total-pss-MB" >>"$raw"
    say "run $i: dashboard after $ms ms (main $run ms, page loaded $dom ms); $total MB resident ($app app, $webkit WebKit)"
    stop_app "start-$i" "$dir"

    # The app's own full sync of the large organisation, from a replica with the login
    # only, then the memory once it shows it and settled.
    dir=$(fresh "full-$i")
    start_app "full-$i" "$dir"
    ms=$(milestone "$dir" synced 600) ||
      { tail -30 "$logs/full-$i.log" >&2; die "run $i: the full sync did not finish within 600 s (log: $logs/full-$i.log)"; }
    wait_idle "$app_pid" 60
    read -r app webkit total pss <<<"$(memory "$app_pid")"
    echo "BenchmarkAppFullSync 1 $ms ms-to-synced" >>"$raw"
    echo "BenchmarkAppMemory 1 $app app-rss-MB $webkit webkit-rss-MB $total total-rss-MB $pss total-pss-MB" >>"$raw"
    say "run $i: full sync in the window after $ms ms; $total MB resident ($app app, $webkit WebKit)"
    stop_app "full-$i" "$dir"
  done
fi

mv "$raw" "$result"
say "figures in $result:"
grep '^Benchmark' "$result"
