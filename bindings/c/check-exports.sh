#!/usr/bin/env bash
# check-exports.sh HEADER LIBRARY KIND — the functions HEADER declares equal
# the ck_* functions LIBRARY exports, no more and no fewer.
#   KIND: elf (Linux .so, read with nm -D), win64 or win32 (DLL export table,
#   read with objdump -p). The *_std stdcall twins are expected on win32 only.
# Nothing else may be exported (cgo's internal ckgo_* functions, the Go
# runtime's symbols). For DLLs it also checks that only Windows system DLLs
# are imported. The header's list comes from bindings/c/exports.sh.
set -euo pipefail
header=$1 lib=$2 kind=$3
declared=$("$(dirname "$0")/exports.sh" "$header" "$kind" names)
# Nothing but the header's functions may be exported: not cgo's internal
# ckgo_* functions behind them (capi/exports.c), not the Go runtime's symbols.
case $kind in
  elf)
    table=$(nm -D --defined-only "$lib" | awk 'NF == 3 {print $3}')
    exported=$(nm -D --defined-only "$lib" | awk '$2 == "T" {print $3}' | grep '^ck_' | sort -u)
    other=$(grep -vxF "$exported" <<<"$table" || true)
    if [[ -n $other ]]; then echo "check-exports: $lib exports unexpected symbols:"; echo "$other" | head -20; exit 1; fi ;;
  win64|win32)
    dump=$(x86_64-w64-mingw32-objdump -p "$lib")
    table=$(sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' <<<"$dump" | awk '/^\t\[/ {print $3}')
    exported=$(grep '^ck_' <<<"$table" | sort -u || true)
    other=$(grep -v -e '^ck_' <<<"$table" || true)
    if [[ -n $other ]]; then echo "check-exports: $lib exports unexpected symbols:"; echo "$other"; exit 1; fi
    imports=$(awk '/DLL Name:/ {print $3}' <<<"$dump" | sort -u)
    bad=$(grep -viE '^(kernel32|msvcrt|ws2_32|advapi32|ntdll|winmm|bcrypt|user32|shell32|ole32|crypt32|secur32|iphlpapi|dnsapi|netapi32|userenv|psapi|version|powrprof|synchronization|api-ms-win-[a-z0-9-]+)\.dll$' <<<"$imports" || true)
    if [[ -n $bad ]]; then echo "check-exports: $lib imports non-system DLLs:"; echo "$bad"; exit 1; fi
    echo "check-exports: $lib imports only system DLLs: $(tr '\n' ' ' <<<"$imports")" ;;
  *) echo "check-exports: unknown kind $kind" >&2; exit 2 ;;
esac
# win32: each stdcall twin must pop its arguments itself (ret $4*args).
if [[ $kind == win32 ]]; then
  base=$((0x$(awk '/^ImageBase/ {print $2}' <<<"$dump")))
  for fn in $(grep '_std$' <<<"$exported"); do
    pop=$("$(dirname "$0")/exports.sh" "$header" win32 arg-bytes "$fn")
    idx=$(sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' <<<"$dump" | awk -v f="$fn" '$3 == f {gsub(/[^0-9]/, "", $2); print $2+0}')
    rva=$(sed -nE "s/^[[:space:]]*\\[ *$idx\\] \\+base\\[ *[0-9]+\\] ([0-9a-f]+) Export RVA.*/\\1/p" <<<"$dump")
    start=$((base + 0x$rva))
    first=$(x86_64-w64-mingw32-objdump -d --start-address=$start --stop-address=$((start + 64)) "$lib" | grep -m1 -oE '\b(ret|jmp) .*|\bret$' || true)
    if (( pop > 0 )) && [[ $first != "ret    \$0x$(printf %x $pop)" ]]; then
      echo "check-exports: $fn is not stdcall: first return is '$first', want 'ret \$$pop'"; exit 1
    fi
    echo "check-exports: $fn is stdcall (callee pops $pop bytes: $first)"
  done
fi
if [[ "$declared" != "$exported" ]]; then
  echo "check-exports: $lib exports differ from $header ($kind):"
  diff <(echo "$declared") <(echo "$exported") | sed 's/^</  declared only:/; s/^>/  exported only:/' | grep -v '^[0-9]'
  exit 1
fi
echo "check-exports: $lib ($kind) exports exactly the header's functions: $(tr '\n' ' ' <<<"$exported")"
