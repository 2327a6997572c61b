#!/usr/bin/env bash
# windows-dll-link.sh ARGS... — the external linker of the Windows DLLs
# (mk/windows.mk builds them with go build -ldflags=-extld=this script).
#
# It runs the real mingw-w64 gcc ($CK_LINK_CC) with the arguments Go chose,
# so every flag Go sets for its toolchain (subsystem and OS versions, ASLR,
# ...) stays as Go wants it, and makes the .def file $CK_LINK_DEF the DLL's
# only list of exports:
#   - the dllexport directives in the objects Go hands over are removed
#     (their .drectve sections: under Go 1.20 cgo marks its internal ckgo_*
#     functions dllexport, and runtime/cgo exports _cgo_dummy_export). The
#     objects are Go's own temporary copies; a directive other than -export
#     stops the link, so nothing else is dropped unseen;
#   - Go's own export list (export_file.def, current Go) is left out.
# Go's other calls (probing linker flags with trivial.c) pass through.
set -euo pipefail
: "${CK_LINK_CC:?set CK_LINK_CC to the mingw-w64 gcc}" "${CK_LINK_DEF:?set CK_LINK_DEF to the .def file}"
final=0
for a in "$@"; do [[ $a == */go-link-*/go.o ]] && final=1; done
(( final )) || exec "$CK_LINK_CC" "$@"
objcopy=${CK_LINK_CC%gcc}objcopy
args=()
for a in "$@"; do
  case $a in
    */go-link-*/export_file.def) continue ;;
    */go-link-*/*.o)
      directives=$("$objcopy" -O binary --only-section=.drectve "$a" /dev/stdout | tr '\0' ' ')
      for d in $directives; do
        if [[ $d != -export:* ]]; then
          echo "windows-dll-link: $a has the linker directive '$d', which is not an export; refusing to drop it" >&2
          exit 1
        fi
      done
      [[ -z $directives ]] || "$objcopy" --remove-section=.drectve "$a" ;;
  esac
  args+=("$a")
done
exec "$CK_LINK_CC" "${args[@]}" "$CK_LINK_DEF"
