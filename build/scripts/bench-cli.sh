#!/usr/bin/env bash
# Benchmarks of the headless commands as a user runs them: whole processes of
# ecert-desktop (built without tags) against a real ecert-server on loopback, each beside
# a reference measured in the same run, the one after the other:
#
#   first sync   `ecert-desktop sync` into an empty replica (logged in) of the large
#                organisation (`ecert-server generate`: 5,000 NCs, 20,000 messages, 2,000
#                evidence records) — against `curl` of the same pages (the changes, then
#                the operator directory's; gzip, to /dev/null);
#   idle sync    `ecert-desktop sync` on that replica once synced, and on the demo's small
#                one (coop) — against `curl` of the same request;
#   status       `ecert-desktop status --json` on the large replica — against `sqlite3`
#                running the same 13 counts on the same file.
#
#   build/scripts/bench-cli.sh
#
# Each figure is taken BENCH_CLI_RUNS times (3), one Go-benchmark line per run, in
# build/out/bench-cli.txt (written when everything ran), read by build/benchreport. Within
# a run, each figure is the median of BENCH_CLI_REPS timings (5; half as many, rounded up,
# for the first sync), ours and the reference taking turns. BENCH_CLI_APP_BIN measures
# another build of ecert-desktop instead (e.g. the code before a change). BENCH_CLI_ONLY
# (first, idle or status; several with spaces) measures only those figures, on a busy
# machine; the result file then holds only them. Logs in build/out/bench-cli/. Figures, not tests:
# nothing here fails on a slow machine. Every process started here is stopped on exit,
# by its PID.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
bin=$root/build/bin
out=$root/build/out
logs=$out/bench-cli
result=$out/bench-cli.txt
runs=${BENCH_CLI_RUNS:-3}
only=${BENCH_CLI_ONLY:-first idle status}
# wanted FIGURE: whether this run measures FIGURE.
wanted() { [[ " $only " == *" $1 "* ]]; }
reps=${BENCH_CLI_REPS:-5}
mkdir -p "$bin" "$logs"
rm -f "$result"

say() { echo "bench-cli: $*"; }
die() { echo "bench-cli: $*" >&2; exit 1; }
# shellcheck source=lib.sh
source build/scripts/lib.sh

for tool in curl sqlite3 jq; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install $tool)"
done

say "building ecert-server and ecert-desktop (no tags: the headless binary)"
go build -o "$bin/ecert-server" ./sync/cmd/ecert-server || die "ecert-server does not build"
app_bin=${BENCH_CLI_APP_BIN:-$bin/ecert-desktop-cli}
if [[ -z ${BENCH_CLI_APP_BIN:-} ]]; then
  go build -o "$app_bin" . || die "ecert-desktop does not build"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ecert-bench-cli.XXXXXX")
pids=()
cleanup() {
  local rc=$?
  set +e
  stop_all
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- two servers: the large organisation, and the demo (coop) ---
: >"$logs/server.log"
say "generating the large organisation"
start_large_server "$bin/ecert-server" "$tmp/large-server" "$logs/server.log" || die "no large server"
pids+=("$large_pid")
start_server "$bin/ecert-server" "$tmp/demo-server" "$logs/server.log"
pids+=("$server_pid")
demo_url=$server_url
say "servers on $large_url (large) and $demo_url (demo)"

# headless CMD DIR [ARGS…]: a headless command on the replica in DIR.
headless() {
  local cmd=$1 dir=$2
  shift 2
  ECERT_NO_KEYRING=1 "$app_bin" "$cmd" --data-dir "$dir" "$@"
}

# login DIR URL USER: logs in on the replica in DIR (password = user name).
login() {
  echo "$3" | headless login "$1" --server "$2" --user "$3" >>"$logs/replica.log" 2>&1 ||
    { tail -20 "$logs/replica.log" >&2; die "login as $3 failed (log: $logs/replica.log)"; }
}

# now_ns: a monotonic-enough clock in nanoseconds (the process start-up of `date` is in
# every timing alike, ours and the reference's).
now_ns() { date +%s%N; }

# time_ns CMD…: runs CMD (its output to the log), prints the wall time in ns.
time_ns() {
  local t0 t1
  t0=$(now_ns)
  "$@" >>"$logs/runs.log" 2>&1 || { tail -20 "$logs/runs.log" >&2; die "failed: $*"; }
  t1=$(now_ns)
  echo $((t1 - t0))
}

# median N…: the median of the numbers given.
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# token URL USER: an access token of USER, for curl.
token() {
  curl -fsS -X POST -H 'Content-Type: application/json' \
    -d "{\"username\":\"$2\",\"password\":\"$2\"}" "$1/api/v1/auth/login" | jq -r .access_token
}

# The synced replicas, copied for the runs that need one.
: >"$logs/replica.log"
: >"$logs/runs.log"
say "syncing a replica with each organisation"
for org in large demo; do
  url=$large_url user=large
  [[ $org == demo ]] && url=$demo_url user=coop
  mkdir -p "$tmp/$org-synced"
  login "$tmp/$org-synced" "$url" "$user"
  headless sync "$tmp/$org-synced" >>"$logs/replica.log" 2>&1 ||
    { tail -20 "$logs/replica.log" >&2; die "the sync of $org failed"; }
done
grep -E '^Synced' "$logs/replica.log" | sed 's/^/bench-cli: /'

# The change pages of the first sync (10,000 changes a page, the server's most), one
# request each (the engine asks for them in one: the same bytes), and the idle request
# of each synced replica as the engine makes it.
large_token=$(token "$large_url" large)
demo_token=$(token "$demo_url" coop)
page_urls=()
cursor=
while :; do
  u="$large_url/api/v1/changes?cursor=$cursor&limit=10000"
  page_urls+=("$u")
  body=$(curl -fsS --compressed -H "Authorization: Bearer $large_token" "$u")
  more=$(jq -r '.more' <<<"$body")
  cursor=$(jq -r '.cursor' <<<"$body")
  [[ $more == true ]] || break
done
# Then the operator directory's pages, which the first sync pulls after the changes.
after=0
while :; do
  u="$large_url/api/v1/directory?after=$after"
  page_urls+=("$u")
  body=$(curl -fsS --compressed -H "Authorization: Bearer $large_token" "$u")
  more=$(jq -r '.more' <<<"$body")
  after=$(jq -r '.after' <<<"$body")
  [[ $more == true ]] || break
done
say "first sync: ${#page_urls[@]} pages (changes, then the operator directory)"
idle_cursor() { sqlite3 "$1/replica.db" "SELECT value FROM meta WHERE key = 'sync.cursor'"; }
large_idle="$large_url/api/v1/changes?cursor=$(idle_cursor "$tmp/large-synced")&limit=10000&pages=10"
demo_idle="$demo_url/api/v1/changes?cursor=$(idle_cursor "$tmp/demo-synced")&limit=10000&pages=10"

# The same counts as `status` (every entity, and the pending outbox entries).
counts_sql=
for e in organisation certification contact certificate document audit nc message evidence criterion ca_draft limits; do
  counts_sql+="SELECT COUNT(*) FROM $e; "
done
counts_sql+="SELECT COUNT(*) FROM outbox WHERE state = 'pending';"

curl_pages() {
  local u
  for u in "${page_urls[@]}"; do
    curl -fsS --compressed -o /dev/null -H "Authorization: Bearer $large_token" "$u" || return 1
  done
}
curl_one() { curl -fsS --compressed -o /dev/null -H "Authorization: Bearer $1" "$2"; }

# fresh NAME URL USER: an empty replica, logged in; prints its path.
fresh() {
  local dir=$tmp/run-$1
  rm -rf "$dir"
  mkdir -p "$dir"
  login "$dir" "$2" "$3"
  echo "$dir"
}

# copy NAME ORG: a copy of a synced replica (closed in order, as a user's is), logged in
# again (its own tokens); prints its path.
copy() {
  local dir=$tmp/run-$1
  rm -rf "$dir"
  cp -a "$tmp/$2-synced" "$dir"
  if [[ $2 == large ]]; then login "$dir" "$large_url" large; else login "$dir" "$demo_url" coop; fi
  echo "$dir"
}

raw=$tmp/results.txt
{
  echo "goos: $(go env GOOS)"
  echo "goarch: $(go env GOARCH)"
  echo "pkg: github.com/ecert-desktop/ecert-desktop/cli"
  echo "cpu: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo) ($(nproc) cores)"
  echo "loadavg: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$raw"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
ms() { awk -v a="$1" 'BEGIN { printf "%.2f", a / 1e6 }'; }

first_reps=$(((reps + 1) / 2))
for i in $(seq 1 "$runs"); do
  say "run $i of $runs"
  # First sync into an empty replica; the login is not timed.
  if wanted first; then
    ours=() ref=()
    for r in $(seq 1 "$first_reps"); do
      dir=$(fresh "first-$r" "$large_url" large)
      ours+=("$(time_ns headless sync "$dir")")
      ref+=("$(time_ns curl_pages)")
    done
    o=$(median "${ours[@]}") c=$(median "${ref[@]}")
    echo "BenchmarkCLIFirstSync 1 $o ns/op $(ms "$c") curl-ms $(ratio "$o" "$c") ratio" >>"$raw"
    say "  first sync $(ms "$o") ms, curl of the pages $(ms "$c") ms"
  fi

  # Idle sync on each synced replica (a copy: a sync writes the last-sync time).
  wanted idle && for org in large demo; do
    dir=$(copy "idle-$org" "$org")
    ours=() ref=()
    for r in $(seq 1 "$reps"); do
      ours+=("$(time_ns headless sync "$dir")")
      if [[ $org == large ]]; then
        ref+=("$(time_ns curl_one "$large_token" "$large_idle")")
      else
        ref+=("$(time_ns curl_one "$demo_token" "$demo_idle")")
      fi
    done
    o=$(median "${ours[@]}") c=$(median "${ref[@]}")
    name=BenchmarkCLIIdleSyncLarge
    [[ $org == demo ]] && name=BenchmarkCLIIdleSyncSmall
    echo "$name 1 $o ns/op $(ms "$c") curl-ms $(ratio "$o" "$c") ratio" >>"$raw"
    say "  idle sync ($org) $(ms "$o") ms, curl $(ms "$c") ms"
  done

  # status --json against sqlite3 running the same counts, on the large replica.
  wanted status || continue
  dir=$(copy status large)
  ours=() ref=()
  for r in $(seq 1 "$reps"); do
    ours+=("$(time_ns headless status "$dir" --json)")
    ref+=("$(time_ns sqlite3 "$dir/replica.db" "$counts_sql")")
  done
  o=$(median "${ours[@]}") c=$(median "${ref[@]}")
  echo "BenchmarkCLIStatus 1 $o ns/op $(ms "$c") sqlite3-ms $(ratio "$o" "$c") ratio" >>"$raw"
  say "  status $(ms "$o") ms, sqlite3 $(ms "$c") ms"
done

mv "$raw" "$result"
say "figures in $result:"
grep '^Benchmark' "$result"
