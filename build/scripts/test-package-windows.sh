#!/usr/bin/env bash
# The Windows console build (build/out/package/ecert-desktop-cli.exe: the headless
# commands, built from the same sources by 'make package') run under Wine against a
# real ecert-server (built for Linux, --demo) on loopback:
#   1. in the Windows data folder (%LOCALAPPDATA%\ecert-desktop, no --data-dir): login
#      with the password on stdin, sync, status --json, ca draft, ca ready, send,
#      evidence add of a file whose folder and name have spaces and accents, evidence
#      ready, send;
#   2. with --data-dir naming a folder with spaces and accents and no keyring
#      (ECERT_NO_KEYRING: the login goes to the private file): login, sync, status --json;
#   3. on the server: a fresh replica (the Linux build, its own data folder) syncs and
#      finds the corrective measure once in the NC's history and the evidence file once,
#      with the SHA-256 of the file that was attached;
#   4. the update swap: two console builds stamped with a throw-away publisher key (made
#      here with 'build/release keygen', given as make package's PUBLISHER_PUB is), the
#      older one installed in a folder with spaces and accents; the server publishes the
#      newer one (--release-dir): signed with another key, 'update' refuses it and
#      changes nothing; signed with the publisher's key, 'update' swaps the binary, keeps
#      the old one as .old, and the new one answers 'version';
#   5. the installer (build/out/package/ecert-desktop-*-setup.exe), silent, per user
#      (%LOCALAPPDATA%\Programs) then for all users (Program Files): its files, the
#      registry's uninstall entry (HKCU, HKLM), the Start-menu shortcut, the installed
#      console build on the same data; then the uninstaller removes them and keeps the
#      data folder.
#   6. (first, it takes seconds) the system proxy's registry reads (sync/client/proxy's
#      Windows test, cross-compiled): the Internet settings written with 'reg import',
#      the proxy chosen per URL, the setup script, the WPAD DNS suffixes.
# The Wine prefix is kept in build/out/test-package/windows/prefix (its first creation
# takes a minute). What cannot run here: the WebView2 window (Wine has no WebView2).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
out=$root/build/out/test-package/windows
export WINEPREFIX=$out/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
# Arguments and file names with accents reach Windows through the locale's encoding.
export LC_ALL=C.UTF-8
unset ECERT_DATA_DIR ECERT_NO_KEYRING ECERT_PASSWORD

say() { echo "test-package-windows: $*"; }
die() { echo "test-package-windows: FAILED: $*" >&2; exit 1; }
# shellcheck source=lib.sh
source build/scripts/lib.sh
# shellcheck source=package-lib.sh
source build/scripts/package-lib.sh

for cmd in wine wineboot wineserver winepath x86_64-w64-mingw32-gcc python3 curl go sha256sum; do
  command -v "$cmd" >/dev/null || die "'$cmd' is missing: run 'build/scripts/setup.sh --packaging'"
done
exe=$(newest_artefact 'ecert-desktop-cli.exe' "Windows console build (ecert-desktop-cli.exe)")
mkdir -p "$out"
: >"$out/server.log"
: >"$out/wine.log"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ecert-test-win.XXXXXX")
pids=()

cleanup() {
  local rc=$?
  set +e
  stop_all
  wineserver -k 2>/dev/null # this prefix's Wine processes only
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

setup_wine_prefix "$out/wine.log"
wine_server_start

# --- 6. the system proxy: Windows' Internet settings read from Wine's registry ---------------
say "the system proxy's registry reads (sync/client/proxy, Windows test)"
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go test -c -o "$tmp/proxy.test.exe" ./sync/client/proxy ||
  die "the proxy package's Windows test does not build"
# stdin and stdout from files: Wine's services inherit a pipe and would hold it open.
ECERT_TEST_WINDOWS_REGISTRY=1 wine "$tmp/proxy.test.exe" -test.run '^TestWindowsSystemProxy$' -test.v \
  </dev/null >"$tmp/proxy.out" 2>&1 || { cat "$tmp/proxy.out" >&2; die "the system proxy is not read as Windows holds it"; }
grep -q '^--- PASS: TestWindowsSystemProxy' "$tmp/proxy.out" || { cat "$tmp/proxy.out" >&2; die "the system proxy's test did not run"; }
say "the system proxy: per-protocol and single ProxyServer, ProxyOverride (<local>, wildcards), ProxyEnable, AutoConfigURL, automatic detection, DNS suffixes"

# winrun ARGS…: the console exe under Wine; stdout as is, stderr to the log too.
winrun() { wine "$exe" "$@" 2> >(tee -a "$out/wine.log" >&2); }
unix_path() { winepath -u "$1" 2>/dev/null; }

# --- the server, and an independent Linux replica to look at it ---------------------------
say "building ecert-server"
server_bin=$(test_bin ecert-server ./sync/cmd/ecert-server)
# The independent replica of part 3: the Linux build 'make package' staged for the .deb
# (its headless commands need no window), else one built here.
linux=$root/build/out/package/stage/ecert-desktop
if [[ ! -x $linux ]]; then
  say "no Linux build staged (package.sh deb): building the Linux headless build"
  linux=$(test_bin ecert-desktop .)
fi
mkdir -p "$tmp/release"
start_server "$server_bin" "$tmp/server" "$out/server.log" --release-dir "$tmp/release"
pids+=("$server_pid")
say "ecert-server on $server_url"

# --- identity -------------------------------------------------------------------------------
winrun version
winrun version --json >"$tmp/version.json"
python3 - "$tmp/version.json" <<'PY' || die "version --json of the Windows build is wrong"
import json, sys
v = json.load(open(sys.argv[1]))
if (v["os"], v["webview"]) != ("windows", "none") or v["version"] in ("", "dev"):
    print("got", v, "want os windows, webview none, a stamped version", file=sys.stderr)
    sys.exit(1)
PY

# --- 1. the default data folder: %LOCALAPPDATA%\ecert-desktop --------------------------------
localappdata=$(wine cmd /c echo '%LOCALAPPDATA%' 2>/dev/null | tr -d '\r')
[[ $localappdata == [A-Z]:\\* ]] || die "could not read %LOCALAPPDATA% under Wine (got '$localappdata')"
data=$(unix_path "$localappdata\\ecert-desktop")
rm -rf "$data"
say "data folder: $localappdata\\ecert-desktop"

printf 'coop\n' | winrun login --server "$server_url" --user coop
[[ -f $data/replica.db ]] || die "login made no replica in $data (the Windows default data folder)"
# Wine's credential store answers like the Windows one: then the token is there, else in
# the private file. Either is right; say which.
if [[ -f $data/session.token ]]; then vault="the private file (no keyring)"; else vault="the Windows credential store (Wine's)"; fi
say "login kept in $vault"

winrun sync
winrun status --json >"$tmp/status1.json"
python3 - "$tmp/status1.json" <<'PY' || die "status --json after sync is wrong"
import json, sys
s = json.load(open(sys.argv[1]))
c = s["counts"]
if not s["logged_in"] or s["username"] != "coop" or c["nc"] < 1 or c["audit"] < 1 or not s["last_sync"]:
    print("got", s, file=sys.stderr)
    sys.exit(1)
if not s["data_dir"].lower().endswith("\\ecert-desktop"):
    print("data_dir is", s["data_dir"], file=sys.stderr)
    sys.exit(1)
PY

# The demo's NC ids end with the year of their audit (AO-38369, 42 days before the server's
# today, as sync/server/demo tells it): the CA and evidence NCs of that audit.
audit_year=$(date -u -d '42 days ago' +%Y)
nc_ca=NC-167140-$audit_year
nc_ev=NC-150424-$audit_year
stamp=$(date +%s%N)
ca_text="Réunions d'information « prime » sur chaque plantation — Wine $stamp"
winrun ca draft $nc_ca --text "$ca_text"
winrun ca ready $nc_ca
winrun send

# The evidence: a folder and a name with spaces and accents, outside the data folder.
docs_win="C:\\users\\Public\\Documents\\Preuves été $stamp"
docs=$(unix_path "$docs_win")
mkdir -p "$docs"
ev_name="Liste de présence – réunion n°2 (Ñandú).txt"
printf 'Liste de présence, plantation du Mont Vert, %s\n' "$stamp" >"$docs/$ev_name"
ev_sha=$(sha256sum "$docs/$ev_name" | cut -d' ' -f1)
winrun evidence add $nc_ev "$docs_win\\$ev_name"
winrun evidence ready $nc_ev
winrun send
winrun evidence list $nc_ev --json >"$tmp/evidence1.json"
winrun status --json >"$tmp/status2.json"
python3 - "$tmp/status2.json" "$tmp/evidence1.json" "$ev_name" <<'PY' || die "after send: something pending, or a file not kept here"
import json, sys
s, ev, ev_name = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
errors = []
if s["pending"] != 0:
    errors.append(f"pending: {s['pending']}")
# Every file is in the local store: the downloaded ones (the cache) and the one attached.
errors += [f"not cached: {e['evidence']['file']['name']}" for e in ev if not e["cached"]]
if not any(e["evidence"]["file"]["name"] == ev_name and e["state"] == "submitted" for e in ev):
    errors.append(f"{ev_name} is not listed as submitted: {ev}")
for e in errors:
    print(e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY

# --- 2. --data-dir with spaces and accents, no keyring: the private file --------------------
dir2_win="$localappdata\\Données Ecert\\dossier été $stamp"
dir2=$(unix_path "$dir2_win")
ECERT_NO_KEYRING=1 winrun login --server "$server_url" --user coop --data-dir "$dir2_win" <<<"coop"
[[ -f $dir2/session.token ]] || die "with ECERT_NO_KEYRING the login is not in $dir2/session.token"
ECERT_NO_KEYRING=1 winrun sync --data-dir "$dir2_win"
ECERT_NO_KEYRING=1 winrun status --json --data-dir "$dir2_win" >"$tmp/status3.json"
python3 - "$tmp/status3.json" "$dir2_win" <<'PY' || die "status --json in the --data-dir folder is wrong"
import json, sys
s = json.load(open(sys.argv[1]))
if not s["logged_in"] or s["counts"]["nc"] < 1 or s["data_dir"] != sys.argv[2]:
    print("got", s, "want data_dir", sys.argv[2], file=sys.stderr)
    sys.exit(1)
PY
[[ -f $dir2/replica.db ]] || die "no replica in $dir2"

# --- 3. on the server, exactly once ------------------------------------------------------------
check="$tmp/check with space"
printf 'coop\n' | ECERT_NO_KEYRING=1 "$linux" login --server "$server_url" --user coop --data-dir "$check" >/dev/null
ECERT_NO_KEYRING=1 "$linux" sync --data-dir "$check" >/dev/null
ECERT_NO_KEYRING=1 "$linux" nc show $nc_ca --json --data-dir "$check" >"$tmp/nc.json"
ECERT_NO_KEYRING=1 "$linux" evidence list $nc_ev --json --data-dir "$check" >"$tmp/evidence-server.json"
python3 - "$tmp/nc.json" "$tmp/evidence-server.json" "$ca_text" "$ev_name" "$ev_sha" <<'PY' || die "the server does not hold exactly one copy of what the Windows build sent"
import json, sys
nc, ev, ca_text, ev_name, ev_sha = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), *sys.argv[3:]
row = nc["row"]["nc"]
versions = [h for h in row.get("ca_history") or [] if h["text"] == ca_text]
files = [e for e in ev if e["evidence"]["file"]["name"] == ev_name]
errors = []
if len(versions) != 1:
    errors.append(f"the corrective measure is {len(versions)} times in the NC's history, want 1")
if row.get("ca", {}).get("text") != ca_text or row.get("ca_status") != "submitted":
    errors.append(f"the NC's CA is {row.get('ca')!r} ({row.get('ca_status')}), want the text sent, submitted")
if len(files) != 1:
    errors.append(f"the evidence file is there {len(files)} times, want 1")
elif files[0]["evidence"]["file"]["sha256"] != ev_sha or files[0]["local"]:
    errors.append(f"the evidence on the server is {files[0]}, want SHA-256 {ev_sha}")
for e in errors:
    print(e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY
# --- 4. the update swap under Wine --------------------------------------------------------------
# Two console builds of the same sources, as an older and a newer release, stamped with a
# throw-away publisher key the way package.sh stamps the maintainer's (PUBLISHER_PUB).
say "building two Windows console builds (1.0.0 and 1.1.0) with a throw-away publisher key"
keys=$tmp/keys
mkdir -p "$keys"
go run ./build/release keygen -key "$keys/publisher.key" -pub "$keys/publisher.pub" >/dev/null
go run ./build/release keygen -key "$keys/other.key" -pub "$keys/other.pub" >/dev/null
publisher_ldflags "$keys/publisher.pub" || die "$publisher_error"
mod=github.com/ecert-desktop/ecert-desktop
for v in 1.0.0 1.1.0; do
  GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ \
    go build -trimpath -ldflags "-w -s -X $mod/app/version.Version=$v$publisher_flags" \
    -o "$tmp/update-$v.exe" . || die "the $v console build does not build"
done
app_win="$localappdata\\Programs\\Ecert Mise à jour $stamp\\ecert-desktop.exe"
app=$(unix_path "$app_win")
mkdir -p "$(dirname "$app")"
cp "$tmp/update-1.0.0.exe" "$app"
old_sha=$(sha256sum "$app" | cut -d' ' -f1)
new_sha=$(sha256sum "$tmp/update-1.1.0.exe" | cut -d' ' -f1)
updrun() { wine "$app" "$@" 2> >(tee -a "$out/wine.log" >&2); }
updrun version | grep -q "updates signed by the publisher's key" || die "the 1.0.0 build does not say it has the publisher's key"

# (a) 1.1.0 signed with another key: refused, nothing changed.
go run ./build/release sign -key "$keys/other.key" -version 1.1.0 -dir "$tmp/release" \
  windows-amd64="$tmp/update-1.1.0.exe" >/dev/null
rc=0
updrun update >"$tmp/update-bad.out" 2>"$tmp/update-bad.err" || rc=$?
[[ $rc -ne 0 ]] && grep -q "not signed by the publisher" "$tmp/update-bad.err" ||
  die "an update signed with another key was not refused in plain words (exit $rc): $(cat "$tmp/update-bad.out" "$tmp/update-bad.err")"
[[ $(sha256sum "$app" | cut -d' ' -f1) == "$old_sha" && ! -e $app.old && ! -e $app.new ]] ||
  die "a refused update changed the installed binary"
[[ -z $(ls "$data/updates" 2>/dev/null | grep -v '^pending') ]] || die "a refused update left files: $(ls "$data/updates")"
say "an update signed with another key: refused, the binary unchanged"

# (b) 1.1.0 signed with the publisher's key: swapped, the old one kept as .old.
go run ./build/release sign -key "$keys/publisher.key" -version 1.1.0 -dir "$tmp/release" \
  windows-amd64="$tmp/update-1.1.0.exe" >/dev/null
updrun update >"$tmp/update-good.out" || die "the update was not installed: $(cat "$tmp/update-good.out")"
grep -q "1.1.0 is installed" "$tmp/update-good.out" || die "update said: $(cat "$tmp/update-good.out")"
wine_wait
[[ $(sha256sum "$app" | cut -d' ' -f1) == "$new_sha" ]] || die "after the update the binary is not the published 1.1.0"
[[ -f $app.old && $(sha256sum "$app.old" | cut -d' ' -f1) == "$old_sha" ]] || die "the old binary was not kept as ecert-desktop.exe.old"
[[ ! -e $app.new && ! -e $data/updates/pending.json ]] || die "the update left ecert-desktop.exe.new or a pending swap"
updrun version --json >"$tmp/version-updated.json"
python3 - "$tmp/version-updated.json" <<'PY' || die "the updated binary does not answer as 1.1.0"
import json, sys
v = json.load(open(sys.argv[1]))
if v["version"] != "1.1.0" or not v["updates"].startswith("updates signed by the publisher's key"):
    print("got", v, file=sys.stderr)
    sys.exit(1)
PY
updrun update --check | grep -q "1.1.0 is up to date" || die "after the update, 'update --check' does not say it is up to date"
say "an update signed with the publisher's key: swapped in '$app_win', the old one kept as .old, 1.1.0 answers"

# --- 5. the installer, silently, per user then for all users; then its uninstaller ---------
setup=$(newest_artefact 'ecert-desktop-*-setup.exe' "Windows installer")
regval() { # regval KEY NAME: a value from this prefix's registry, or nothing
  wine reg query "$1" /v "$2" 2>/dev/null | tr -d '\r' | awk -v n="$2" '$1 == n { $1 = ""; $2 = ""; sub(/^ +/, ""); print }'
}
winenv() { wine cmd /c echo "%$1%" 2>/dev/null | tr -d '\r'; }

# install_cycle MODE HIVE WANT_DIR START_MENU: installs with /MODE, checks the files in
# WANT_DIR, the uninstall entry and settings in HIVE, the shortcut in START_MENU and the
# installed console build on the data of part 1; uninstalls and checks all are gone and
# the data stays.
install_cycle() {
  local mode=$1 hive=$2 want_dir=$3 start_menu=$4
  local uninstall_key="$hive\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\EcertDesktop"
  say "installing $(basename "$setup") (/S /$mode /NoWebView2)"
  wine "$setup" /S "/$mode" /NoWebView2 >>"$out/wine.log" 2>&1 || die "the installer failed (/$mode; log: $out/wine.log)"
  wine_wait
  local inst_win inst display_version uninstall_string shortcut f
  inst_win=$(regval "$hive\\Software\\EcertDesktop" InstallDir)
  [[ $inst_win == "$want_dir" ]] || die "/$mode installed into '$inst_win', want '$want_dir'"
  inst=$(unix_path "$inst_win")
  for f in ecert-desktop.exe ecert-desktop-cli.exe uninstall.exe LICENSE.txt; do
    [[ -s $inst/$f ]] || die "the installer did not put $f in $inst_win"
  done
  display_version=$(regval "$uninstall_key" DisplayVersion)
  uninstall_string=$(regval "$uninstall_key" UninstallString)
  [[ -n $display_version && $uninstall_string == *uninstall.exe*"/$mode"* ]] ||
    die "no uninstall entry in $hive (DisplayVersion '$display_version', UninstallString '$uninstall_string')"
  shortcut=$(unix_path "$start_menu\\Ecert Desktop.lnk")
  [[ -s $shortcut ]] || die "no Start-menu shortcut at $start_menu"
  # The installed console build is the one packed, and reads the data of part 1.
  wine "$inst/ecert-desktop-cli.exe" version --json 2>>"$out/wine.log" >"$tmp/version-installed.json"
  wine "$inst/ecert-desktop-cli.exe" status --json 2>>"$out/wine.log" >"$tmp/status-installed.json"
  python3 - "$tmp/version-installed.json" "$tmp/status-installed.json" "$display_version" <<'PY' || die "the installed ecert-desktop-cli.exe is not the packed one, or does not read the user's data"
import json, sys
v, s, want = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
if v["version"] != want or not s["logged_in"] or s["counts"]["nc"] < 1:
    print("version", v["version"], "want", want, "; status", s, file=sys.stderr)
    sys.exit(1)
PY
  say "installed in $inst_win: files, uninstall entry in $hive ($display_version), Start-menu shortcut"

  wine "$inst/uninstall.exe" /S "/$mode" >>"$out/wine.log" 2>&1 || die "the uninstaller failed (/$mode)"
  wine_wait # the uninstaller runs from a copy in %TEMP%: wait for it
  for f in ecert-desktop.exe ecert-desktop-cli.exe uninstall.exe; do
    [[ ! -e $inst/$f ]] || die "the uninstaller left $inst_win\\$f"
  done
  [[ ! -e $shortcut ]] || die "the uninstaller left the Start-menu shortcut"
  [[ -z $(regval "$uninstall_key" DisplayName) ]] || die "the uninstaller left the uninstall entry in $hive"
  [[ -f $data/replica.db ]] || die "the uninstaller removed the user's data ($data)"
  say "uninstalled (/$mode): files, shortcut and registry entry gone; the data folder kept"
}
install_cycle CurrentUser HKCU "$localappdata\\Programs\\Ecert Desktop" \
  "$(winenv APPDATA)\\Microsoft\\Windows\\Start Menu\\Programs"
install_cycle AllUsers HKLM "$(winenv ProgramW6432)\\Ecert Desktop" \
  "$(winenv ProgramData)\\Microsoft\\Windows\\Start Menu\\Programs"

# Warnings are failures here: a file not cached, a sync step refused.
if grep -E 'level=(WARN|ERROR)' "$out/wine.log" >&2; then
  die "the Windows build logged warnings or errors (above; log: $out/wine.log)"
fi
say "OK: the Windows console build under Wine: login ($vault), sync, status, CA draft/ready/send, evidence '$ev_name' from '$docs_win'; --data-dir '$dir2_win' with the private file; the server has the CA and the file once each; the update swap (a bad signature refused, the good one installed, .old kept); the installer"
