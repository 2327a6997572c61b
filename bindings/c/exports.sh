#!/usr/bin/env bash
# exports.sh HEADER KIND [FORMAT] — the functions HEADER declares, as the
# library of KIND exports them. One definition (the header) for the export
# list of every library build and of bindings/c/check-exports.sh.
#   KIND:   elf (Linux .so), win64 or win32 (DLL); the *_std stdcall twins
#           are win32 only.
#   FORMAT: names           one name a line, sorted (the default)
#           version-script  a GNU ld version script exporting exactly these
#                           (ELF; everything else is local)
#           def             a .def file exporting exactly these (DLL; win32
#                           twins mapped to their @N-decorated symbols)
#           arg-bytes NAME  the bytes of arguments NAME takes (4 a pointer
#                           on win32: what a stdcall callee pops)
set -euo pipefail
header=$1 kind=$2 format=${3:-names}
names=$(grep -E '^CK_API' "$header" | grep -oE '\bck_[a-z_]+[[:space:]]*\(' | tr -d ' (' | sort -u)
[[ $kind == win32 ]] || names=$(grep -v '_std$' <<<"$names")
arg_bytes() {
  local params
  params=$(grep -E "\b$1[[:space:]]*\(" "$header" | sed 's/.*(\(.*\)).*/\1/')
  if [[ $params == void ]]; then echo 0; else echo $(( ( $(tr -cd , <<<"$params" | wc -c) + 1 ) * 4 )); fi
}
case $format in
  names) echo "$names" ;;
  version-script)
    echo "{"
    echo "  global: $(sed 's/$/;/' <<<"$names" | tr '\n' ' ')"
    echo "  local: *;"
    echo "};" ;;
  def)
    echo "EXPORTS"
    for n in $names; do
      if [[ $kind == win32 && $n == *_std ]]; then echo "  $n=$n@$(arg_bytes "$n")"; else echo "  $n"; fi
    done ;;
  arg-bytes) arg_bytes "$4" ;;
  *) echo "exports.sh: unknown format $format" >&2; exit 2 ;;
esac
