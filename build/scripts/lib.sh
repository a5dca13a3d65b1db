# Shared by e2e.sh and smoke.sh (sourced): stopping processes, free ports, a private X
# display and D-Bus bus, the demo server. Callers define die() and an array pids=() of
# processes to stop in reverse order on exit.

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

# stop_all stops what is in pids, newest first.
stop_all() {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop_pid "${pids[i]}"; done
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for URL PID WHAT LOG [seconds]: until URL answers; fails when PID exits first.
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

# start_xvfb LOG: Xvfb on the first free display from :90; sets display.
start_xvfb() {
  local log=$1 n xpid
  display=
  for n in $(seq 90 190); do
    [[ -e /tmp/.X$n-lock || -e /tmp/.X11-unix/X$n ]] && continue
    Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >>"$log" 2>&1 &
    xpid=$!
    for _ in $(seq 1 50); do
      [[ -e /tmp/.X11-unix/X$n ]] && break
      kill -0 "$xpid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$xpid" 2>/dev/null && [[ -e /tmp/.X11-unix/X$n ]]; then
      pids+=("$xpid")
      display=:$n
      return 0
    fi
    stop_pid "$xpid"
  done
  cat "$log" >&2
  die "could not start Xvfb"
}

# start_dbus: a private D-Bus session bus (GTK, WebKit and Wails' single-instance lock use
# one; it keeps the host's bus out of the tests).
start_dbus() {
  command -v dbus-daemon >/dev/null || return 0
  local info
  info=$(dbus-daemon --session --fork --print-address=1 --print-pid=1) || die "could not start a D-Bus session bus"
  pids+=("$(sed -n 2p <<<"$info")")
  export DBUS_SESSION_BUS_ADDRESS=$(sed -n 1p <<<"$info")
}

# start_server BIN DATA_DIR LOG [FLAG…]: ecert-server with the demo data on a free port; sets
# server_pid, server_addr and server_url. The caller decides how it is stopped.
start_server() {
  local bin=$1 data=$2 log=$3
  server_addr=127.0.0.1:$(free_port)
  server_url=http://$server_addr
  mkdir -p "$data"
  "$bin" --addr "$server_addr" --data-dir "$data" --demo "${@:4}" >>"$log" 2>&1 &
  server_pid=$!
  wait_for "$server_url/api/v1/health" "$server_pid" "ecert-server" "$log" 30
}

# start_large_server BIN DATA_DIR LOG: generates the large organisation (ecert-server
# generate) into DATA_DIR and starts ecert-server on it on a free port; sets large_pid,
# large_addr and large_url. The caller decides how it is stopped.
start_large_server() {
  local bin=$1 data=$2 log=$3
  if ! "$bin" generate --data-dir "$data" >>"$log" 2>&1; then
    tail -20 "$log" >&2
    echo "ecert-server generate failed" >&2
    return 1
  fi
  large_addr=127.0.0.1:$(free_port)
  large_url=http://$large_addr
  "$bin" --addr "$large_addr" --data-dir "$data" >>"$log" 2>&1 &
  large_pid=$!
  wait_for "$large_url/api/v1/health" "$large_pid" "ecert-server (large)" "$log" 30
}

# need_browser checks what the browser tests need: Chromium at $1, Playwright installed.
need_browser() {
  [[ -x $1 ]] || die "Chromium is missing at $1 (apt-get install chromium)"
  [[ -x frontend/node_modules/.bin/playwright ]] ||
    die "@playwright/test is not installed: run 'make setup' (or 'cd frontend && npm ci')"
}

# build_frontend rebuilds frontend/dist when a source is newer than it (as `make
# frontend` would); the log goes to $1/frontend-build.log.
build_frontend() {
  local log=$1/frontend-build.log
  if [[ ! -f frontend/dist/index.html ]] ||
    [[ -n $(find frontend/src frontend/index.html frontend/package.json frontend/vite.config.ts \
      frontend/wailsjs -newer frontend/dist/index.html -type f 2>/dev/null | head -1) ]]; then
    say "building the frontend"
    (cd frontend && npm run build) >"$log" 2>&1 ||
      { tail -30 "$log" >&2; die "the frontend does not build (log: $log)"; }
  fi
}
