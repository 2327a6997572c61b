#!/usr/bin/env bash
# check-exports.sh HEADER LIBRARY KIND — the functions HEADER declares equal
# the ck_* functions LIBRARY exports, no more and no fewer.
#   KIND: elf (Linux .so, read with nm -D), win64 or win32 (DLL export table,
#   read with objdump -p). The *_std stdcall twins are expected on win32 only.
# For DLLs it also checks that only Windows system DLLs are imported.
set -euo pipefail
header=$1 lib=$2 kind=$3
declared=$(grep -E '^CK_API' "$header" | grep -oE '\bck_[a-z_]+[[:space:]]*\(' | tr -d ' (' | sort -u)
case $kind in
  elf)
    exported=$(nm -D --defined-only "$lib" | awk '$2 == "T" {print $3}' | grep '^ck_' | sort -u)
    declared=$(grep -v '_std$' <<<"$declared") ;;
  win64|win32)
    dump=$(x86_64-w64-mingw32-objdump -p "$lib")
    table=$(sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' <<<"$dump" | awk '/^\t\[/ {print $3}')
    exported=$(grep '^ck_' <<<"$table" | sort -u || true)
    other=$(grep -v -e '^ck_' -e '^_cgo_dummy_export$' <<<"$table" || true)
    if [[ -n $other ]]; then echo "check-exports: $lib exports unexpected symbols:"; echo "$other"; exit 1; fi
    [[ $kind == win64 ]] && declared=$(grep -v '_std$' <<<"$declared")
    imports=$(awk '/DLL Name:/ {print $3}' <<<"$dump" | sort -u)
    bad=$(grep -viE '^(kernel32|msvcrt|ws2_32|advapi32|ntdll|winmm|bcrypt|user32|shell32|ole32|crypt32|secur32|iphlpapi|dnsapi|netapi32|userenv|psapi|version|powrprof|synchronization|api-ms-win-[a-z0-9-]+)\.dll$' <<<"$imports" || true)
    if [[ -n $bad ]]; then echo "check-exports: $lib imports non-system DLLs:"; echo "$bad"; exit 1; fi
    echo "check-exports: $lib imports only system DLLs: $(tr '\n' ' ' <<<"$imports")" ;;
  *) echo "check-exports: unknown kind $kind" >&2; exit 2 ;;
esac
if [[ "$declared" != "$exported" ]]; then
  echo "check-exports: $lib exports differ from $header ($kind):"
  diff <(echo "$declared") <(echo "$exported") | sed 's/^</  declared only:/; s/^>/  exported only:/' | grep -v '^[0-9]'
  exit 1
fi
echo "check-exports: $lib ($kind) exports exactly the header's functions: $(tr '\n' ' ' <<<"$exported")"
