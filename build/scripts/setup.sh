#!/usr/bin/env bash
# Installs what building and testing Ecert Desktop needs and is missing: Debian/Ubuntu
# packages (as root, or with sudo when it needs no password), the frontend's npm
# packages and the Go modules. Safe to run again: it only installs what is missing.
# 'setup.sh --packaging' adds the packaging tools (see below).
set -euo pipefail
cd "$(dirname "$0")/../.."

# postgresql-15: the PostgreSQL store's tests start a throwaway cluster of it (pgtest).
# haproxy: the multi-node tests put it in front of several servers (servertest.HAProxy).
# poppler-utils: the register export's tests read the PDF back with pdftotext.
# fonts-droid-fallback, fonts-nanum, fonts-noto-core: TrueType fonts for the scripts the
# embedded DejaVu Sans lacks (CJK, Hangul, Thai, Devanagari, Ethiopic), which the proofs'
# PDFs embed when the computer has them (sync/pdfpage.FallbackFonts).
packages=(build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev
  xvfb xauth dbus dbus-x11 chromium imagemagick xdg-utils curl ca-certificates postgresql-15
  poppler-utils haproxy fonts-droid-fallback fonts-nanum fonts-noto-core)
# --packaging: also what 'make package' and 'make test-package' need (mingw-w64 for the
# Windows build, NSIS, osslsigncode, Wine, …); plain 'make test' does not install them.
if [[ ${1:-} == --packaging ]]; then
  packages+=(gcc-mingw-w64-x86-64 nsis osslsigncode wine wine64 librsvg2-bin
    desktop-file-utils x11-utils openssl)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing system packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

for cmd in go node npm; do
  command -v "$cmd" >/dev/null || { echo "$cmd is required (Go 1.26, Node 20, npm 10+)" >&2; exit 1; }
done

if [[ ! -d frontend/node_modules ]] || [[ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]]; then
  echo "Installing frontend packages"
  (cd frontend && npm ci --no-audit --no-fund)
fi
go mod download

# The S3-compatible server the tests of the S3 blob store start (versitygw, pinned in
# build/tools/s3), built once into build/out.
if [[ ! -x build/out/versitygw ]] || [[ build/tools/s3/go.mod -nt build/out/versitygw ]]; then
  echo "Building the S3 test server (versitygw)"
  mkdir -p build/out
  (cd build/tools/s3 && go build -o ../../out/versitygw github.com/versity/versitygw/cmd/versitygw)
fi
