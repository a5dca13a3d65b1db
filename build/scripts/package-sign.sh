#!/usr/bin/env bash
# package-sign.sh FILE: signs a Windows executable in place (Authenticode, with
# osslsigncode), when a certificate is given; without one it does nothing and says so.
#
#   ECERT_SIGN_PKCS12=file.p12 [ECERT_SIGN_PASSWORD=…]     a PKCS#12 bundle, or
#   ECERT_SIGN_CERT=cert.pem ECERT_SIGN_KEY=key.pem [ECERT_SIGN_PASSWORD=…]
#   ECERT_SIGN_TIMESTAMP=URL   (optional) an RFC 3161 time-stamping service, so the
#                              signature outlives the certificate (needs the network)
# package.sh calls it for both .exe files and the installer; NSIS calls it for the
# uninstaller as it writes it (!uninstfinalize).
set -euo pipefail
file=${1:?usage: package-sign.sh FILE}

if [[ -z ${ECERT_SIGN_PKCS12:-} && -z ${ECERT_SIGN_CERT:-} ]]; then
  echo "package-sign: no certificate given (ECERT_SIGN_PKCS12 or ECERT_SIGN_CERT): $file left unsigned" >&2
  exit 0
fi
command -v osslsigncode >/dev/null || { echo "package-sign: osslsigncode is missing (apt-get install osslsigncode)" >&2; exit 1; }

args=(sign -h sha256 -n "Ecert Desktop" -i "https://github.com/ecert-desktop/ecert-desktop")
if [[ -n ${ECERT_SIGN_PKCS12:-} ]]; then
  args+=(-pkcs12 "$ECERT_SIGN_PKCS12")
else
  [[ -n ${ECERT_SIGN_KEY:-} ]] || { echo "package-sign: ECERT_SIGN_CERT needs ECERT_SIGN_KEY" >&2; exit 1; }
  args+=(-certs "$ECERT_SIGN_CERT" -key "$ECERT_SIGN_KEY")
fi
# The password goes through a file, not the command line, so ps does not show it.
if [[ -n ${ECERT_SIGN_PASSWORD:-} ]]; then
  passfile=$(mktemp)
  trap 'rm -f "$passfile"' EXIT
  printf '%s' "$ECERT_SIGN_PASSWORD" >"$passfile"
  args+=(-readpass "$passfile")
fi
[[ -n ${ECERT_SIGN_TIMESTAMP:-} ]] && args+=(-ts "$ECERT_SIGN_TIMESTAMP")

signed=$file.signed
rm -f "$signed"
osslsigncode "${args[@]}" -in "$file" -out "$signed" >/dev/null
mv -f "$signed" "$file"
echo "package-sign: signed $file"
