#!/usr/bin/env bash
# The demo: ecert-server with the demo data on loopback, and the app opened on it.
#   demo.sh run           start the server (if not running), open the app, stop the
#                         server when the app closes
#   demo.sh server-start  start the server in the background
#   demo.sh server-stop   stop it (the app keeps working offline)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/out
addr=${ECERT_DEMO_ADDR:-127.0.0.1:8470}
pidfile=$out/demo-server.pid
mkdir -p "$out"

running() { [[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

server_start() {
  if running; then echo "ecert-server already runs (pid $(cat "$pidfile"))"; return; fi
  build/bin/ecert-server --addr "$addr" --data-dir "$out/demo-server" --demo >"$out/demo-server.log" 2>&1 &
  echo $! >"$pidfile"
  for _ in $(seq 1 100); do
    curl -fsS "http://$addr/api/v1/health" >/dev/null 2>&1 && break
    sleep 0.1
  done
  running || { cat "$out/demo-server.log" >&2; exit 1; }
  echo "ecert-server runs on http://$addr (pid $(cat "$pidfile"), log $out/demo-server.log)"
  echo "Demo logins: coop/coop (organisation), estate/estate (second organisation), analyst/analyst"
  echo "Stop it with 'make server-stop' to see the app offline; 'make server-start' brings it back."
}

server_stop() {
  if running; then kill "$(cat "$pidfile")"; echo "ecert-server stopped"; fi
  rm -f "$pidfile"
}

case ${1:-run} in
  server-start) server_start ;;
  server-stop) server_stop ;;
  run)
    server_start
    trap server_stop EXIT
    ECERT_SERVER="http://$addr" ECERT_USER=coop ECERT_PASSWORD=coop \
      build/bin/ecert-desktop --data-dir "$out/demo-desktop"
    ;;
  *) echo "usage: $0 run|server-start|server-stop" >&2; exit 2 ;;
esac
