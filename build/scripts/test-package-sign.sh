#!/usr/bin/env bash
# Signing, with a throw-away self-signed code-signing certificate made here by openssl:
#   - package.sh re-packs the Windows build with the certificate given as PKCS#12 with a
#     password (ECERT_SIGN_PKCS12, ECERT_SIGN_PASSWORD): both exes, the installer, and
#     the uninstaller NSIS writes (!uninstfinalize) must carry a signature that
#     `osslsigncode verify` accepts against that certificate; the uninstaller is checked
#     as installed by the signed installer under Wine;
#   - package-sign.sh with a PEM certificate and key (ECERT_SIGN_CERT, ECERT_SIGN_KEY);
#   - the unsigned build is refused by verify, and so is a signed file with one byte
#     changed after signing.
# What a pass proves: each file holds a well-formed Authenticode signature (PKCS#7,
# SHA-256) whose signed digest equals the digest of the file as shipped, made by the
# key of the given certificate. It does not prove Windows would trust it: the
# certificate is self-signed, so SmartScreen and UAC would still name an unknown
# publisher; a real release needs a certificate from a CA that Windows trusts.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
out=$root/build/out/test-package/sign
export WINEPREFIX=$root/build/out/test-package/windows/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
export LC_ALL=C.UTF-8

say() { echo "test-package-sign: $*"; }
die() { echo "test-package-sign: FAILED: $*" >&2; exit 1; }
# shellcheck source=lib.sh
source build/scripts/lib.sh
# shellcheck source=package-lib.sh
source build/scripts/package-lib.sh

for cmd in openssl osslsigncode makensis wine wineserver winepath; do
  command -v "$cmd" >/dev/null || die "'$cmd' is missing: run 'build/scripts/setup.sh --packaging'"
done
staged=$root/build/out/package/stage/windows
[[ -f $staged/ecert-desktop-cli.exe ]] || die "no Windows build in $staged (run 'make package' first)"
rm -rf "$out"
mkdir -p "$out"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ecert-test-sign.XXXXXX")
pids=()
cleanup() {
  local rc=$?
  set +e
  wineserver -k 2>/dev/null
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT

# --- the throw-away certificate --------------------------------------------------------------
subject="/CN=Ecert Desktop test signing $(date +%s)/O=Ecert Desktop tests"
openssl req -x509 -newkey rsa:3072 -sha256 -days 2 -nodes -subj "$subject" \
  -addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=codeSigning" \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
password=$(openssl rand -hex 16)
openssl pkcs12 -export -inkey "$tmp/key.pem" -in "$tmp/cert.pem" -out "$tmp/cert.p12" -passout "pass:$password"

# verified FILE: osslsigncode accepts FILE's signature, made with the test certificate.
verified() {
  local log=$out/verify-$(basename "$1").log
  osslsigncode verify -in "$1" -CAfile "$tmp/cert.pem" >"$log" 2>&1 || { tail -20 "$log" >&2; die "verify refuses $1 (log: $log)"; }
  grep -q "Signature verification: ok" "$log" || die "verify of $1 does not say ok (log: $log)"
  grep -qF "Subject: $subject" "$log" || die "$1 is not signed by the test certificate (log: $log)"
}
# refused FILE WHY: osslsigncode must refuse FILE.
refused() {
  if osslsigncode verify -in "$1" -CAfile "$tmp/cert.pem" >"$out/refused.log" 2>&1; then
    die "verify accepts $1, which is $2"
  fi
}

# --- the unsigned build is refused -----------------------------------------------------------
refused "$staged/ecert-desktop-cli.exe" "not signed"

# --- package.sh with a PKCS#12 and a password --------------------------------------------------
say "re-packing the Windows build, signed (PKCS#12)"
# zlib: this installer is only for the signatures; the LZMA one is installed by
# test-package-windows.sh.
PACKAGE_OUT=$tmp/out ECERT_SIGN_PKCS12=$tmp/cert.p12 ECERT_SIGN_PASSWORD=$password NSIS_COMPRESSOR=zlib \
  build/scripts/package.sh installer >"$out/package.log" 2>&1 || { tail -20 "$out/package.log" >&2; die "package.sh installer failed"; }
setup=$(ls "$tmp/out"/ecert-desktop-*-setup.exe)
for f in "$tmp/out/windows-files/ecert-desktop.exe" "$tmp/out/ecert-desktop-cli.exe" "$setup"; do
  verified "$f"
done
say "signed and verified: ecert-desktop.exe, ecert-desktop-cli.exe, $(basename "$setup")"

# --- package-sign.sh with a PEM certificate and key --------------------------------------------
cp "$staged/ecert-desktop-cli.exe" "$tmp/pem.exe"
ECERT_SIGN_CERT=$tmp/cert.pem ECERT_SIGN_KEY=$tmp/key.pem build/scripts/package-sign.sh "$tmp/pem.exe" >/dev/null
verified "$tmp/pem.exe"

# --- one byte changed after signing: refused ---------------------------------------------------
cp "$tmp/pem.exe" "$tmp/tampered.exe"
size=$(stat -c %s "$tmp/tampered.exe")
offset=$((size / 3)) # inside the code, well before the signature at the end
byte=$(od -An -tu1 -j "$offset" -N1 "$tmp/tampered.exe" | tr -d ' ')
printf "\\x$(printf %02x $(((byte + 1) % 256)))" | dd of="$tmp/tampered.exe" bs=1 seek="$offset" conv=notrunc status=none
refused "$tmp/tampered.exe" "changed after signing"
grep -q "MISMATCH" "$out/refused.log" || die "verify refused the changed file, but not for its digest (log: $out/refused.log)"
say "refused: the unsigned build, and a signed file changed after signing"

# --- the uninstaller, as the signed installer writes it ---------------------------------------
setup_wine_prefix "$out/wine.log"
wine_server_start
wine "$setup" /S /CurrentUser /NoWebView2 >>"$out/wine.log" 2>&1 || die "the signed installer failed under Wine"
wine_wait
inst_win=$(wine reg query 'HKCU\Software\EcertDesktop' /v InstallDir 2>/dev/null | tr -d '\r' | sed -n 's/.*REG_SZ *//p')
[[ -n $inst_win ]] || die "the signed installer wrote no InstallDir"
inst=$(winepath -u "$inst_win" 2>/dev/null)
cp "$inst/uninstall.exe" "$tmp/uninstall.exe"
cp "$inst/ecert-desktop.exe" "$tmp/installed-ecert-desktop.exe"
wine "$inst/uninstall.exe" /S /CurrentUser >>"$out/wine.log" 2>&1 || die "the uninstaller failed"
wine_wait
verified "$tmp/uninstall.exe"
verified "$tmp/installed-ecert-desktop.exe"
say "OK: exes, installer and uninstaller signed and verified against the test certificate; unsigned and changed files refused"
