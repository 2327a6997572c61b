#!/usr/bin/env bash
# verify-sm2.sh PREFIX — verifies, with the openssl command line, every SM2
# signature the floating-point harness wrote (fpu --sm2-out PREFIX): each line
# of PREFIX-N.sig is a Base64 signature of PREFIX-N.content by the SM2 test key.
set -euo pipefail
prefix=$1 pub=testdata/allinpay/sm2_pub_spki.pem
n=0 bad=0
for sigs in "$prefix"-*.sig; do
  content=${sigs%.sig}.content
  while read -r sig; do
    n=$((n + 1))
    base64 -d <<<"$sig" > "$sigs.der"
    openssl dgst -sm3 -verify "$pub" -sigopt distid:1234567812345678 -signature "$sigs.der" "$content" >/dev/null 2>&1 ||
      { bad=$((bad + 1)); echo "verify-sm2: signature $n in $sigs does NOT verify: $sig" >&2; }
  done < "$sigs"
  rm -f "$sigs.der"
done
if (( n == 0 )); then echo "verify-sm2: no SM2 signatures under $prefix" >&2; exit 1; fi
echo "verify-sm2: openssl verified $((n - bad)) of $n SM2 signatures made under every floating-point mode"
(( bad == 0 ))
