#!/usr/bin/env bash
# package.sh [all|deb|windows|installer]: builds the release artefacts into
# build/out/package/ ($PACKAGE_OUT):
#   ecert-desktop_<version>_amd64.deb and ecert-desktop-<version>.x86_64.rpm (nfpm)
#   ecert-desktop-<version>-setup.exe   the Windows installer (NSIS), with the window
#                                       build and the console build inside
#   ecert-desktop-cli.exe               the Windows console build alone (no window: the
#                                       headless commands; test-package-windows.sh runs it)
# 'installer' only re-packs (and signs) the Windows files that 'windows' built
# (NSIS_COMPRESSOR=zlib packs faster, for tests; a release is solid LZMA).
# Version: $VERSION, else the git tag vX.Y.Z on HEAD, else wails.json's productVersion
# with "-dev.<commits>". The publisher's update key: the file $PUBLISHER_PUB (base64, from
# 'go run ./build/release keygen'); without it the apps built never update themselves. The exes and the installer are signed when a certificate is
# given (see package-sign.sh). Needs: Go, npm (the UI), rsvg-convert, and for Windows
# mingw-w64, makensis, ImageMagick ('build/scripts/setup.sh --packaging' installs them).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
what=${1:-all}
out=${PACKAGE_OUT:-$root/build/out/package}
stage=$root/build/out/package/stage
mod=github.com/ecert-desktop/ecert-desktop
nfpm_version=v2.48.0

say() { echo "package: $*"; }
die() { echo "package: FAILED: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null || die "'$1' is missing ($2): run 'build/scripts/setup.sh --packaging'"; }
# shellcheck source=lib.sh
source build/scripts/lib.sh
# shellcheck source=package-lib.sh
source build/scripts/package-lib.sh

case $what in all | deb | windows | installer) ;; *) die "usage: $0 [all|deb|windows|installer]" ;; esac

# --- identity, stamped into app/version -------------------------------------------
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
date=$(git log -1 --format=%cI 2>/dev/null || date -u +%Y-%m-%dT%H:%M:%SZ)
if [[ -z ${VERSION:-} ]]; then
  if tag=$(git describe --tags --exact-match --match 'v[0-9]*' 2>/dev/null); then
    VERSION=${tag#v}
  else
    product=$(python3 -c 'import json; print(json.load(open("wails.json"))["info"]["productVersion"])')
    VERSION=$product-dev.$(git rev-list --count HEAD 2>/dev/null || echo 0)
  fi
fi
[[ $VERSION =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)([-+].*)?$ ]] || die "VERSION '$VERSION' is not X.Y.Z[-suffix]"
version4=${BASH_REMATCH[1]}.${BASH_REMATCH[2]}.${BASH_REMATCH[3]}.0
ldflags="-w -s -X $mod/app/version.Version=$VERSION -X $mod/app/version.Commit=$commit -X $mod/app/version.Date=$date"
# The publisher's update key, from the file PUBLISHER_PUB names (build/packaging/README.md,
# "Signed updates"); without one the build never updates itself.
publisher_ldflags "${PUBLISHER_PUB:-}" || die "$publisher_error"
ldflags+=$publisher_flags
say "version $VERSION (commit ${commit:0:12}, $date)"
say "$publisher_note"

mkdir -p "$out" "$stage"
[[ $what == installer ]] || build_frontend "$out"

# --- icons: PNGs (hicolor sizes) from the one SVG --------------------------------------
need rsvg-convert "librsvg2-bin"
for size in 16 24 32 48 64 128 256 512; do
  mkdir -p "$stage/icons/$size"
  rsvg-convert -w "$size" -h "$size" build/packaging/icons/ecert-desktop.svg -o "$stage/icons/$size/ecert-desktop.png"
done

package_deb() {
  say "building the Linux binary (desktop, production, webkit2_41)"
  CGO_ENABLED=1 go build -trimpath -tags desktop,production,webkit2_41 -ldflags "$ldflags" \
    -o "$stage/ecert-desktop" .
  # The newest glibc symbol version the binary needs is the package's libc6 floor.
  local libc
  libc=$(objdump -T "$stage/ecert-desktop" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -1)
  [[ -n $libc ]] || die "could not read the glibc version the binary needs"
  rm -f "$out"/*.deb "$out"/*.rpm
  # nfpm expands the environment in a few fields only: fill every ${…} here instead.
  VERSION=$VERSION ARCH=amd64 LIBC_MIN=$libc STAGE=$stage python3 -c '
import os, re, sys
text = open(sys.argv[1]).read()
sys.stdout.write(re.sub(r"\$\{(\w+)\}", lambda m: os.environ[m.group(1)], text))
' build/packaging/linux/nfpm.yaml >"$stage/nfpm.yaml"
  for fmt in deb rpm; do
    say "packaging .$fmt (nfpm $nfpm_version)"
    go run "github.com/goreleaser/nfpm/v2/cmd/nfpm@$nfpm_version" package \
      -f "$stage/nfpm.yaml" -p "$fmt" -t "$out/" >/dev/null
  done
  ls "$out"/*.deb >/dev/null 2>&1 || die "nfpm wrote no .deb"
  say "$(ls "$out"/*.deb "$out"/*.rpm)"
}

package_windows() {
  need x86_64-w64-mingw32-gcc "gcc-mingw-w64-x86-64"
  need x86_64-w64-mingw32-windres "binutils-mingw-w64-x86-64"
  need convert "imagemagick"
  # Wails' NSIS support only warns when makensis is missing; we fail instead.
  need makensis "nsis"
  local win=$stage/windows
  mkdir -p "$win"

  # The icon, the manifest and the version, as a .syso that go build links into both
  # exes. It lies in the main package only while building (its name keeps it to
  # windows/amd64 even if it stayed).
  convert "$stage"/icons/{16,24,32,48,64,128,256}/ecert-desktop.png "$win/ecert-desktop.ico"
  cp build/packaging/windows/ecert-desktop.rc build/packaging/windows/ecert-desktop.exe.manifest "$win/"
  local vnum=${version4//./,}
  x86_64-w64-mingw32-windres -O coff -I "$win" -DVERSION_NUM="$vnum" -DVERSION_STR="\\\"$VERSION\\\"" \
    -i "$win/ecert-desktop.rc" -o "$win/rsrc.syso"
  syso=$root/zz_ecert_rsrc_windows_amd64.syso
  cp "$win/rsrc.syso" "$syso"
  trap 'rm -f "$syso"' EXIT

  local cross=(env GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++)
  say "building the Windows window binary (desktop, production; -H windowsgui)"
  "${cross[@]}" go build -trimpath -tags desktop,production -ldflags "$ldflags -H windowsgui" \
    -o "$win/ecert-desktop.exe" .
  say "building the Windows console binary (headless commands)"
  "${cross[@]}" go build -trimpath -ldflags "$ldflags" -o "$win/ecert-desktop-cli.exe" .
  rm -f "$syso"
  echo "$VERSION" >"$win/VERSION"
  package_installer
}

# package_installer: signs copies of the staged exes (when a certificate is given),
# packs them into the installer and signs it; the console exe goes beside it.
package_installer() {
  need makensis "nsis"
  local win=$stage/windows files=$out/windows-files
  [[ -f $win/ecert-desktop.exe && -f $win/ecert-desktop-cli.exe ]] ||
    die "no Windows build in $win: run '$0 windows' first"
  # The installer carries the version the exes were built with.
  VERSION=$(cat "$win/VERSION")
  [[ $VERSION =~ ^([0-9]+)\.([0-9]+)\.([0-9]+) ]] || die "bad version '$VERSION' in $win/VERSION"
  version4=${BASH_REMATCH[1]}.${BASH_REMATCH[2]}.${BASH_REMATCH[3]}.0
  rm -rf "$files"
  mkdir -p "$files"
  cp "$win/ecert-desktop.exe" "$win/ecert-desktop-cli.exe" "$files/"
  build/scripts/package-sign.sh "$files/ecert-desktop.exe"
  build/scripts/package-sign.sh "$files/ecert-desktop-cli.exe"
  cp "$files/ecert-desktop-cli.exe" "$out/ecert-desktop-cli.exe"

  # WebView2's bootstrapper: Microsoft's small redistributable that fetches the runtime.
  # Wails' Go module ships it (its own installer embeds the same file), so it is here
  # offline; WEBVIEW2_BOOTSTRAPPER points elsewhere if wanted.
  local wv2=${WEBVIEW2_BOOTSTRAPPER:-}
  if [[ -z $wv2 ]]; then
    local wails_dir
    wails_dir=$(go list -m -f '{{.Dir}}' github.com/wailsapp/wails/v2)
    wv2=$wails_dir/internal/webview2runtime/MicrosoftEdgeWebview2Setup.exe
  fi
  local defines=(-DVERSION="$VERSION" -DVERSION4="$version4"
    -DAPP_EXE="$files/ecert-desktop.exe" -DCLI_EXE="$files/ecert-desktop-cli.exe"
    -DICON="$win/ecert-desktop.ico" -DLICENSE_FILE="$root/LICENSE")
  if [[ -f $wv2 ]]; then
    defines+=(-DWEBVIEW2_BOOTSTRAPPER="$wv2")
    say "embedding the WebView2 bootstrapper ($wv2)"
  else
    say "WARNING: no WebView2 bootstrapper at $wv2: the installer tells the user to install WebView2"
  fi
  if [[ -n ${ECERT_SIGN_PKCS12:-}${ECERT_SIGN_CERT:-} ]]; then
    defines+=(-DSIGN_CMD="$root/build/scripts/package-sign.sh")
  fi
  # Tests that re-pack only to check something else may ask for a faster compressor.
  [[ -n ${NSIS_COMPRESSOR:-} ]] && defines+=(-DCOMPRESSOR="$NSIS_COMPRESSOR")
  local setup=$out/ecert-desktop-$VERSION-setup.exe
  rm -f "$out"/ecert-desktop-*-setup.exe
  say "building the installer (makensis $(makensis -VERSION))"
  makensis -V2 -INPUTCHARSET UTF8 "${defines[@]}" -DOUTFILE="$setup" \
    build/packaging/windows/installer.nsi >"$files/makensis.log" 2>&1 ||
    { tail -30 "$files/makensis.log" >&2; die "makensis failed (log: $files/makensis.log)"; }
  [[ -s $setup ]] || die "makensis succeeded but wrote no installer at $setup"
  build/scripts/package-sign.sh "$setup"
  say "$setup"
}

case $what in
  deb) package_deb ;;
  windows) package_windows ;;
  installer) package_installer ;;
  all) package_deb && package_windows ;;
esac
