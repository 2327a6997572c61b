#!/usr/bin/env bash
# sign-dll.sh FILE... — Authenticode-sign PE files in place with osslsigncode
# (SHA-256), then verify each signature. make dist calls it for every DLL of
# the bundle when DIST_SIGN_PFX is set; it can also be run on its own.
#
#   DIST_SIGN_PFX            the PKCS#12 file with the code-signing certificate,
#                            its key and (best) its intermediate certificates
#   DIST_SIGN_PASSWORD_FILE  a file whose first line is the PFX password, or
#   DIST_SIGN_PASSWORD       the password itself (visible to other local users in
#                            the environment of the process: prefer the file)
#   DIST_SIGN_TS             RFC 3161 timestamp server URL(s), space-separated,
#                            tried in turn; without one the signature carries
#                            SOURCE_DATE_EPOCH as its signing time and no timestamp
#   DIST_SIGN_NAME           the description Windows shows (default couponkit)
#   DIST_SIGN_URL            the "more information" URL (optional)
#   DIST_SIGN_CAFILE         CA certificates to verify the signature with
#                            (default: the system's)
#   DIST_SIGN_TSA_CAFILE     CA certificates to verify the timestamp with
#
# Nothing here prints the password; it reaches osslsigncode through a file
# readable only by this user.
set -euo pipefail
[[ $# -gt 0 ]] || { echo "usage: sign-dll.sh FILE..." >&2; exit 2; }
[[ -n ${DIST_SIGN_PFX:-} ]] || { echo "sign-dll.sh: DIST_SIGN_PFX is not set" >&2; exit 2; }
[[ -r $DIST_SIGN_PFX ]] || { echo "sign-dll.sh: cannot read DIST_SIGN_PFX=$DIST_SIGN_PFX" >&2; exit 2; }
command -v osslsigncode >/dev/null || {
  echo "sign-dll.sh: osslsigncode is missing (Debian: sudo apt-get install osslsigncode)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [[ -n ${DIST_SIGN_PASSWORD_FILE:-} ]]; then
  [[ -r $DIST_SIGN_PASSWORD_FILE ]] || { echo "sign-dll.sh: cannot read DIST_SIGN_PASSWORD_FILE" >&2; exit 2; }
  passfile=$DIST_SIGN_PASSWORD_FILE
elif [[ -n ${DIST_SIGN_PASSWORD+set} ]]; then
  passfile=$tmp/pass
  (umask 077; printf '%s' "$DIST_SIGN_PASSWORD" > "$passfile")
else
  echo "sign-dll.sh: set DIST_SIGN_PASSWORD_FILE (or DIST_SIGN_PASSWORD) for $DIST_SIGN_PFX" >&2; exit 2
fi

args=(sign -pkcs12 "$DIST_SIGN_PFX" -readpass "$passfile" -h sha256 -n "${DIST_SIGN_NAME:-couponkit}")
[[ -z ${DIST_SIGN_URL:-} ]] || args+=(-i "$DIST_SIGN_URL")
if [[ -n ${DIST_SIGN_TS:-} ]]; then
  for url in $DIST_SIGN_TS; do args+=(-ts "$url"); done
elif [[ -n ${SOURCE_DATE_EPOCH:-} ]]; then
  # No timestamp server: a fixed signing time makes the signature itself
  # reproducible (RSA PKCS#1 v1.5 signatures are deterministic).
  args+=(-time "$SOURCE_DATE_EPOCH")
fi
verify=(verify)
[[ -z ${DIST_SIGN_CAFILE:-} ]] || verify+=(-CAfile "$DIST_SIGN_CAFILE")
[[ -z ${DIST_SIGN_TSA_CAFILE:-} ]] || verify+=(-TSA-CAfile "$DIST_SIGN_TSA_CAFILE")

for f in "$@"; do
  out=$tmp/signed
  rm -f "$out"
  if ! osslsigncode "${args[@]}" -in "$f" -out "$out" >"$tmp/log" 2>&1; then
    echo "sign-dll.sh: signing $f failed:" >&2; cat "$tmp/log" >&2; exit 1
  fi
  if ! osslsigncode "${verify[@]}" -in "$out" >"$tmp/log" 2>&1; then
    echo "sign-dll.sh: the signature of $f does not verify:" >&2; cat "$tmp/log" >&2; exit 1
  fi
  cat "$out" > "$f"
  echo "signed: $f ($(grep -m1 -i 'Subject:' "$tmp/log" | sed 's/^[[:space:]]*//'))"
done
