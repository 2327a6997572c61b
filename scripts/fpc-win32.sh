#!/usr/bin/env bash
# fpc-win32.sh DEST — a Free Pascal compiler for Win32 programs in DEST:
#   DEST/ppc386              the i386 compiler of Debian's fp-compiler-3.2.2:i386,
#                            extracted (apt-get download + dpkg-deb -x), not
#                            installed: installing it would replace the amd64 fpc
#   DEST/units/i386-win32    the Win32 RTL (rtl/win32 and rtl/objpas: system,
#                            uuchar for the Unicode mode, sysutils, classes,
#                            math, windows, ...) and syncobjs,
#                            compiled from Debian's fpc-source-3.2.2 (the same
#                            version as the compiler)
# Compile with: DEST/ppc386 -n -Twin32 -Pi386 -FuDEST/units/i386-win32 ...
# Skips everything when DEST/stamp says it is done for this version; fails
# loudly (with the log) otherwise.
set -euo pipefail
dest=$1
here=$(cd "$(dirname "$0")" && pwd)
"$here/ensure-apt.sh" dpkg-deb:dpkg apt-get:apt /usr/share/fpcsrc/3.2.2/rtl/win32/system.pp:fpc-source-3.2.2
version=$(dpkg-query -W -f='${Version}' fpc-source-3.2.2)
if [[ -x $dest/ppc386 && -f $dest/stamp && $(cat "$dest/stamp") == "$version" ]]; then exit 0; fi
# apt-get download of an :i386 package needs the i386 architecture (which the
# 32-bit Wine these programs run under needs too).
"$here/ensure-wine32.sh"
rm -rf "$dest" && mkdir -p "$dest/dl" "$dest/units/i386-win32"
dest=$(cd "$dest" && pwd)
log=$dest/build.log
fail() { echo "fpc-win32: FAILED: $1 (log: $log)" >&2; tail -n 20 "$log" >&2 || true; exit 1; }
echo "fpc-win32: fetching fp-compiler-3.2.2:i386=$version" >&2
# (as root, apt warns that its sandbox user cannot write the folder: harmless)
(cd "$dest/dl" && apt-get download -q "fp-compiler-3.2.2:i386=$version") >"$log" 2>&1 ||
  fail "apt-get download fp-compiler-3.2.2:i386=$version"
dpkg-deb -x "$dest"/dl/fp-compiler-3.2.2_*_i386.deb "$dest/root" >>"$log" 2>&1 || fail "dpkg-deb -x"
ln -sf root/usr/lib/i386-linux-gnu/fpc/3.2.2/ppc386 "$dest/ppc386"
"$dest/ppc386" -iV >>"$log" 2>&1 || fail "the extracted ppc386 does not run"
src=/usr/share/fpcsrc/3.2.2/rtl
u=$dest/units/i386-win32
opts=(-n -Twin32 -Pi386 -O2 -Xs -vw-h-n- "-FE$u" "-FU$u" "-Fu$u" "-Fi$src/inc" "-Fi$src/i386" "-Fi$src/win")
echo "fpc-win32: compiling the Win32 RTL from fpc-source-3.2.2" >&2
(
  cd "$src/win32"
  "$dest/ppc386" "${opts[@]}" -Us -Sg system.pp
  "$dest/ppc386" "${opts[@]}" "$src/inc/heaptrc.pp"
  "$dest/ppc386" "${opts[@]}" "$src/inc/uuchar.pp"
  "$dest/ppc386" "${opts[@]}" "-I$src/objpas" "$src/objpas/objpas.pp"
  "$dest/ppc386" "${opts[@]}" "-Fi$src/objpas/sysutils" "-Fi$src/objpas/classes" "-Fu$src/i386" "-I$src/objpas" \
    "-I$src/win/wininc" "-Fu$src/win/wininc" "-Fu$src/win" "-I$src/inc" "-Fu$src/inc" "-Fu$src/objpas" buildrtl.pp
  "$dest/ppc386" "${opts[@]}" /usr/share/fpcsrc/3.2.2/packages/fcl-base/src/syncobjs.pp
) >>"$log" 2>&1 || fail "compiling the Win32 RTL"
rm -rf "$dest/dl"
echo "$version" > "$dest/stamp"
echo "fpc-win32: $("$dest/ppc386" -iV) for i386-win32 in $dest ($(ls "$u"/*.ppu | wc -l) units)" >&2
