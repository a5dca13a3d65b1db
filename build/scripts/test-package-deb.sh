#!/usr/bin/env bash
# Installs the .deb that 'make package' built, as a user would, and checks it: the
# files are where the package says, `ecert-desktop version` runs from /usr/bin, the
# installed app (started from its .desktop entry's Exec line, with its default data
# folder) opens a window under Xvfb against the demo server, draws it and stays alive;
# then `dpkg -r` removes every file of the package and leaves the user's data folder as
# it was. Needs root (dpkg), Xvfb and ImageMagick; stops every process it starts.
#
# Output in build/out/test-package/deb/: window.png, app.log, server.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
out=$root/build/out/test-package/deb
wait_secs=${TEST_PACKAGE_WAIT:-15}
max_secs=${TEST_PACKAGE_MAX_WAIT:-40}

say() { echo "test-package-deb: $*"; }
die() { echo "test-package-deb: FAILED: $*" >&2; exit 1; }
# shellcheck source=lib.sh
source build/scripts/lib.sh
# shellcheck source=package-lib.sh
source build/scripts/package-lib.sh

[[ $(id -u) -eq 0 ]] || die "dpkg -i needs root: run as root (CI does)"
for cmd in dpkg dpkg-deb Xvfb import convert identify xprop xwininfo python3 curl setsid go; do
  command -v "$cmd" >/dev/null || die "'$cmd' is missing: run 'build/scripts/setup.sh --packaging'"
done
deb=$(newest_artefact '*.deb' ".deb")
pkg=$(dpkg-deb -f "$deb" Package)
pkg_version=$(dpkg-deb -f "$deb" Version)
if [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true) == "install ok installed" ]]; then
  die "$pkg is installed already on this machine: remove it first (dpkg -r $pkg)"
fi
say "$deb ($pkg $pkg_version)"

mkdir -p "$out"
rm -f "$out"/*.png
: >"$out/app.log"
: >"$out/server.log"
: >"$out/xvfb.log"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ecert-test-deb.XXXXXX")
pids=()
installed=

cleanup() {
  local rc=$?
  set +e
  [[ -n ${app_pid:-} ]] && stop_pid "$app_pid" group
  stop_all
  # A failed run must not leave the package on the machine.
  [[ -n $installed ]] && dpkg -r "$pkg" >/dev/null 2>&1
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the server the installed app talks to ------------------------------------------
say "building ecert-server"
server_bin=$(test_bin ecert-server ./sync/cmd/ecert-server)

# --- install ----------------------------------------------------------------------------
say "dpkg -i"
installed=1
dpkg -i "$deb" >"$out/dpkg-install.log" 2>&1 || { cat "$out/dpkg-install.log" >&2; die "dpkg -i failed (missing dependencies? see above)"; }
[[ $(dpkg-query -W -f='${Status}' "$pkg") == "install ok installed" ]] || die "dpkg does not say $pkg is installed"

# Every file the package lists is on disk, and the ones that matter are among them.
dpkg -L "$pkg" >"$tmp/files"
while read -r f; do [[ -e $f ]] || die "dpkg lists $f but it is not on disk"; done <"$tmp/files"
for f in /usr/bin/ecert-desktop /usr/share/applications/ecert-desktop.desktop \
  /usr/share/icons/hicolor/scalable/apps/ecert-desktop.svg \
  /usr/share/icons/hicolor/{16x16,32x32,48x48,128x128,256x256,512x512}/apps/ecert-desktop.png; do
  grep -qxF "$f" "$tmp/files" || die "the package does not install $f"
done
[[ -x /usr/bin/ecert-desktop ]] || die "/usr/bin/ecert-desktop is not executable"
[[ $(identify -format '%wx%h' /usr/share/icons/hicolor/48x48/apps/ecert-desktop.png) == 48x48 ]] ||
  die "the 48x48 icon is not 48x48"
depends=$(dpkg-query -W -f='${Depends}' "$pkg")
for d in libwebkit2gtk-4.1-0 libgtk-3-0; do
  [[ $depends == *"$d"* ]] || die "the package does not depend on $d (Depends: $depends)"
done
# (Not `ldd | grep -q`: grep stopping early would fail the pipe under pipefail.)
libs=$(ldd /usr/bin/ecert-desktop)
if [[ $libs == *"not found"* ]]; then
  grep "not found" <<<"$libs" >&2
  die "the installed binary misses a shared library"
fi
[[ $libs == *libwebkit2gtk-4.1* ]] || die "the binary does not link WebKitGTK 4.1"

desktop=/usr/share/applications/ecert-desktop.desktop
exec_line=$(sed -n 's/^Exec=//p' "$desktop")
icon_name=$(sed -n 's/^Icon=//p' "$desktop")
[[ $icon_name == ecert-desktop ]] || die "the .desktop entry's icon is '$icon_name'"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$desktop" || die "desktop-file-validate refuses $desktop"
fi

# --- version, from /usr/bin -----------------------------------------------------------
PATH=/usr/bin:/bin /usr/bin/ecert-desktop version
PATH=/usr/bin:/bin /usr/bin/ecert-desktop version --json >"$tmp/version.json"
want_version=${pkg_version//\~/-}
python3 - "$tmp/version.json" "$want_version" <<'PY' || die "ecert-desktop version --json is not what the package says"
import json, sys
v = json.load(open(sys.argv[1]))
want = {"version": sys.argv[2], "webview": "webkit2gtk-4.1", "os": "linux"}
bad = {k: (v.get(k), w) for k, w in want.items() if v.get(k) != w}
if bad or v.get("commit") in ("", "unknown") or v.get("date") in ("", "unknown"):
    print("got", v, "mismatch (got, want):", bad, file=sys.stderr)
    sys.exit(1)
PY

# --- the installed app, in a window -------------------------------------------------------
start_xvfb "$out/xvfb.log"
start_dbus
start_server "$server_bin" "$tmp/server" "$out/server.log"
pids+=("$server_pid")
say "ecert-server on $server_url, Xvfb on $display"

# A user's own home: the app picks its default data folder there (no --data-dir).
home="$tmp/home with space é"
data=$home/.local/share/ecert-desktop
mkdir -p "$home"
(
  cd "$home"
  unset XDG_DATA_HOME ECERT_DATA_DIR
  export HOME=$home DISPLAY=$display WEBKIT_DISABLE_DMABUF_RENDERER=1 NO_AT_BRIDGE=1
  export ECERT_SERVER=$server_url ECERT_USER=coop ECERT_PASSWORD=coop
  export PATH=/usr/bin:/bin
  # The .desktop entry's command, as a menu would run it.
  read -ra cmd <<<"$exec_line"
  exec setsid "${cmd[@]}"
) >>"$out/app.log" 2>&1 &
app_pid=$!
say "started '$exec_line' (pid $app_pid), waiting ${wait_secs}s"

alive() {
  kill -0 "$app_pid" 2>/dev/null && return 0
  tail -40 "$out/app.log" >&2
  die "the installed app exited $1 (log: $out/app.log)"
}
for ((s = 0; s < wait_secs; s++)); do alive "after ${s}s"; sleep 1; done
shot=$out/window.png
for ((s = wait_secs; ; s += 2)); do
  alive "after ${s}s"
  screen_drawn "$display" "$shot" && break
  ((s + 2 <= max_secs)) || die "the window looks blank after ${s}s ($drawn_stats); screenshot $shot"
  sleep 2
done
say "window drawn ($drawn_stats)"

# The window is the app's: its title and the class the .desktop entry names.
win=$(DISPLAY=$display xwininfo -root -tree | grep -m1 '"Ecert Desktop"' | awk '{print $1}')
[[ -n $win ]] || die "no window titled 'Ecert Desktop' on $display"
class=$(DISPLAY=$display xprop -id "$win" WM_CLASS)
wm_class=$(sed -n 's/^StartupWMClass=//p' "$desktop")
[[ $class == *"\"$wm_class\""* ]] || die "the window's WM_CLASS is $class, the .desktop entry expects $wm_class"
alive "after the checks"
say "window $win titled 'Ecert Desktop', $class"

stop_pid "$app_pid" group
app_pid=
[[ -d $data ]] || die "the app made no data folder at $data"
(cd "$data" && find . -type f ! -name '*.lock' ! -name '*-shm' ! -name '*-wal' -print0 | sort -z | xargs -0 sha256sum) >"$tmp/data-before"
[[ -s $tmp/data-before ]] || die "the data folder $data is empty"

# --- removal --------------------------------------------------------------------------------
say "dpkg -r"
dpkg -r "$pkg" >"$out/dpkg-remove.log" 2>&1 || { cat "$out/dpkg-remove.log" >&2; die "dpkg -r failed"; }
installed=
status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
[[ -z $status || $status == *not-installed* ]] || die "after dpkg -r, dpkg says: $status"
while read -r f; do
  [[ -d $f ]] && continue # shared folders (/usr/share/…) stay
  [[ ! -e $f ]] || die "dpkg -r left $f"
done <"$tmp/files"
(cd "$data" && find . -type f ! -name '*.lock' ! -name '*-shm' ! -name '*-wal' -print0 | sort -z | xargs -0 sha256sum) >"$tmp/data-after"
diff -u "$tmp/data-before" "$tmp/data-after" >&2 || die "removing the package changed the user's data folder"
say "OK: installed, version $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$tmp/version.json"), window drawn, removed; the data folder ($(wc -l <"$tmp/data-before") files) untouched"
