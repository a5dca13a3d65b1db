#!/usr/bin/env bash
# `make load`: LOAD_ORGS generated organisations on two set-ups in turn — one
# ecert-server on SQLite (default flags), then two ecert-server nodes on one PostgreSQL
# 15 database and one S3 bucket (versitygw) behind HAProxy with the operator's
# configuration — each driven by build/loadtest beside a trivial Go handler answering the
# same bytes; each writes its section of sync/LOAD.md. Figures, not a test: nothing here
# fails on a slow machine.
#
#   LOAD_ORGS=6000 build/scripts/load.sh
#   LOAD_ORGS=300 LOAD_SECONDS=5 LOAD_SETUPS=nodes build/scripts/load.sh   # a short run
#
# LOAD_SETUPS picks the set-ups (sqlite, nodes; default both); LOAD_SECONDS shortens
# every phase (default: idle 20 s, ramp steps and overload 10 s, settle 30 s). Extra
# arguments go to build/loadtest.
#
# The organisations are made by `ecert-server generate --orgs`, many per process, their
# users sharing one argon2id hash (about 25 ms an organisation on SQLite); they are kept
# in build/out/load/data and only the missing ones are made on the next run. The logins
# (an argon2id check each, ~60 ms) run as many at once as there are cores.
# LOAD_PIN: see below. Every process started here is stopped on exit,
# by its PID.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
out=$root/build/out/load
data=$out/data
first=10001
orgs=${LOAD_ORGS:-6000}
port=${LOAD_PORT:-18470}
mkdir -p "$out"

# The generated users' password: one argon2id hash shared by all (a load fixture).
password=load-fixture
setups=${LOAD_SETUPS:-sqlite nodes}
# LOAD_PIN=1 (the default with two cores or more) puts the load generator on CPU 0 and
# the target — the set-up's processes, then the trivial handler — on the others
# (taskset), so that neither takes the other's CPU; LOAD_PIN=0 lets them share.
ncpu=$(nproc)
pin=${LOAD_PIN:-$((ncpu >= 2 ? 1 : 0))}
pinargs=() oncore=()
if ((pin)); then
  target=1
  ((ncpu > 2)) && target=1-$((ncpu - 1))
  pinargs=(-pin "0:$target")
  oncore=(taskset -c "$target")
fi
secs=${LOAD_SECONDS:-}
timing=()
[[ -n $secs ]] && timing=(-idle-for "${secs}s" -step-for "${secs}s" -settle "${secs}s")

go build -o "$out/ecert-server" ./sync/cmd/ecert-server
go build -o "$out/loadtest" ./build/loadtest

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait' EXIT

# waitfor URL: until it answers 200, within 30 s.
waitfor() {
  for _ in $(seq 1 300); do
    curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "load: $1 did not answer" >&2
  return 1
}

# gen FROM ARGS: organisations FROM..first+orgs-1, login u<org>, all with the password
# $password and one shared argon2id hash of it (ecert-server generate --orgs --password:
# a load fixture), made with ARGS (where). The first alone: it makes the schema; then
# the rest in two processes, a half each.
gen() {
  local from=$1 last=$((first + orgs - 1))
  shift
  local each=(--user u --password "$password" --audits 1 --ncs 2 --messages 2 --evidence 0)
  "$out/ecert-server" generate "$@" --org "$from" --orgs 1 "${each[@]}" >/dev/null
  ((from < last)) || return 0
  local n=$((last - from)) half=$(((last - from + 1) / 2))
  "$out/ecert-server" generate "$@" --org $((from + 1)) --orgs "$half" "${each[@]}" >/dev/null &
  local other=$!
  if ((n > half)); then
    "$out/ecert-server" generate "$@" --org $((from + 1 + half)) --orgs $((n - half)) "${each[@]}" >/dev/null
  fi
  wait "$other"
}

if [[ " $setups " == *" sqlite "* ]]; then
  # The SQLite organisations are kept between runs; gen.last records the last one made.
  # Those of older runs (each user's password its login) are made anew.
  [[ $(cat "$out/gen.password" 2>/dev/null) == "$password" ]] || rm -rf "$data" "$out/gen.last"
  echo "$password" >"$out/gen.password"
  have=$((first - 1))
  [[ -f $out/gen.last ]] && have=$(cat "$out/gen.last")
  if ((have < first + orgs - 1)); then
    gen $((have + 1)) --data-dir "$data"
    echo $((first + orgs - 1)) >"$out/gen.last"
  fi
  "$out/ecert-server" --data-dir "$data" --addr "127.0.0.1:$port" >"$out/server.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  waitfor "http://127.0.0.1:$port/api/v1/health"
  "$out/loadtest" -server "http://127.0.0.1:$port" -server-pid "$pid" -trivial-addr "127.0.0.1:$((port + 1))" \
    -label "one SQLite node" -orgs "$first:$orgs" -password "$password" "${pinargs[@]}" -doc sync/LOAD.md -command "LOAD_ORGS=$orgs make load" "${timing[@]}" "$@"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
fi

if [[ " $setups " == *" nodes "* ]]; then
  # A throwaway PostgreSQL cluster and S3 bucket (loadtest cluster), so the
  # organisations are made anew each run.
  [[ -x build/out/versitygw ]] || (cd build/tools/s3 && go build -o ../../out/versitygw github.com/versity/versitygw/cmd/versitygw)
  n1=127.0.0.1:$((port + 10)) n2=127.0.0.1:$((port + 11)) lb=127.0.0.1:$((port + 12))
  rm -rf "$out/nodes" && mkdir -p "$out/nodes"
  "${oncore[@]}" "$out/loadtest" cluster -env "$out/nodes/cluster.env" -dir "$out/nodes/s3" -versitygw build/out/versitygw \
    -backends "$n1,$n2" -listen "$lb" -haproxy "$out/nodes/haproxy.cfg" >"$out/nodes/cluster.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 600); do [[ -s $out/nodes/cluster.env ]] && break; sleep 0.1; done
  [[ -s $out/nodes/cluster.env ]] || { echo "load: the cluster did not start" >&2; cat "$out/nodes/cluster.log" >&2; exit 1; }
  # shellcheck disable=SC1091
  source "$out/nodes/cluster.env"
  gen "$first" --data-dir "$out/nodes/gen" --database "$DATABASE"
  nodepids=()
  for n in "$n1" "$n2"; do
    # shellcheck disable=SC2086
    "$out/ecert-server" --data-dir "$out/nodes/${n##*:}" --addr "$n" --database "$DATABASE" $S3_FLAGS \
      >"$out/nodes/${n##*:}.log" 2>&1 &
    pids+=($!) nodepids+=($!)
  done
  waitfor "http://$n1/readyz"
  waitfor "http://$n2/readyz"
  "${oncore[@]}" haproxy -db -f "$out/nodes/haproxy.cfg" >"$out/nodes/haproxy.log" 2>&1 &
  pids+=($!)
  waitfor "http://$lb/readyz"
  "$out/loadtest" -server "http://$lb" -server-pid "${nodepids[0]},${nodepids[1]}" -trivial-addr "127.0.0.1:$((port + 1))" \
    -label "two PostgreSQL + S3 nodes" \
    -setup "Two \`ecert-server\` processes (default flags, \`--max-in-flight 64\` each) on one PostgreSQL 15 database (a throwaway cluster: fsync off) and one S3 bucket (versitygw over a folder), behind HAProxy with the operator's configuration (build/haproxy/ecert-server.cfg, round robin), all on loopback; the trivial handler is reached directly." \
    -orgs "$first:$orgs" -password "$password" "${pinargs[@]}" -doc sync/LOAD.md -command "LOAD_ORGS=$orgs make load" "${timing[@]}" "$@"
fi
