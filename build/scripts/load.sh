#!/usr/bin/env bash
# `make load`: ecert-server (SQLite, default flags) on loopback with LOAD_ORGS generated
# organisations, driven by build/loadtest beside a trivial Go handler answering the same
# bytes; writes sync/LOAD.md. Figures, not a test: nothing here fails on a slow machine.
#
#   LOAD_ORGS=6000 build/scripts/load.sh
#
# Generating an organisation takes about half a second (its user's argon2id hash and a
# process start), so the organisations are kept in build/out/load/data and only the
# missing ones are made on the next run. Every process started here is stopped on exit,
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

go build -o "$out/ecert-server" ./sync/cmd/ecert-server
go build -o "$out/loadtest" ./build/loadtest

# Organisations first..first+orgs-1, login u<org> (password = login); gen.last records
# the last one made.
have=$((first - 1))
[[ -f $out/gen.last ]] && have=$(cat "$out/gen.last")
for ((org = have + 1; org < first + orgs; org++)); do
  "$out/ecert-server" generate --data-dir "$data" --org "$org" --user "u$org" \
    --audits 1 --ncs 2 --messages 2 --evidence 0 >/dev/null
  echo "$org" >"$out/gen.last"
  (((org - first + 1) % 500 == 0)) && echo "generated $((org - first + 1)) organisations"
done

pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; wait' EXIT
"$out/ecert-server" --data-dir "$data" --addr "127.0.0.1:$port" >"$out/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$port/api/v1/health" 2>/dev/null && break
  sleep 0.1
done
"$out/loadtest" -server "http://127.0.0.1:$port" -server-pid "$pid" -trivial-addr "127.0.0.1:$((port + 1))" \
  -orgs "$first:$orgs" -doc sync/LOAD.md -command "LOAD_ORGS=$orgs make load" "$@"
