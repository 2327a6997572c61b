#!/usr/bin/env bash
# dist.sh — assemble the release bundle (make dist; mk/dist.mk passes every
# input below from its make variables, so the file lists live there).
#
# Writes $DIST_DIR (dist/couponkit-VERSION/) and $DIST_DIR.zip, byte for
# byte the same on every run from the same commit and toolchains: files are
# copied in a fixed order with fixed modes, every timestamp is
# SOURCE_DATE_EPOCH, and the archives come from distpack (sorted entries,
# fixed times) and npm pack (which fixes its own). The bundle is built in
# $DIST_DIR.tmp and moved into place only when complete.
#
# With DIST_SIGN_PFX set the DLLs are Authenticode-signed (scripts/sign-dll.sh)
# before they go into the NuGet package and the checksums.
#
# Inputs (environment):
#   DIST_DIR DIST_VERSION SOURCE_DATE_EPOCH DIST_PACK (the distpack binary)
#   DIST_HEADER           the C header
#   DIST_LIBS             DIR=FILE ... native libraries: the bundle directory and the built file
#   DIST_NUGET_NATIVE     RID=DIR ...  which bundle directory's DLL goes to runtimes/RID/native
#   DIST_NET40_FILES      the C# assembly and its XML docs, for lib/net40
#   DIST_CSHARP_SRC DIST_DELPHI_SRC   binding source files
#   DIST_JS_PKG           the npm package directory (npm pack runs there)
#   DIST_NUSPEC DIST_TARGETS DIST_README DIST_SIGNING_DOC DIST_CSPROJ   templates and docs
#   DIST_CS_ASSEMBLY      the C# assembly's name (for the README)
#   DIST_TOOLCHAINS       a sentence naming the toolchains, for the README
set -euo pipefail

for v in DIST_DIR DIST_VERSION SOURCE_DATE_EPOCH DIST_PACK DIST_HEADER DIST_LIBS DIST_NUGET_NATIVE \
         DIST_NET40_FILES DIST_CSHARP_SRC DIST_DELPHI_SRC DIST_JS_PKG DIST_NUSPEC DIST_TARGETS DIST_README \
         DIST_SIGNING_DOC DIST_CSPROJ DIST_CS_ASSEMBLY DIST_TOOLCHAINS; do
  [[ -n ${!v:-} ]] || { echo "dist.sh: $v is not set (run it through make dist)" >&2; exit 2; }
done
export SOURCE_DATE_EPOCH
export LC_ALL=C TZ=UTC
umask 022

here=$(cd "$(dirname "$0")" && pwd)
stage=$DIST_DIR.tmp
rm -rf "$stage"
mkdir -p "$stage"
stage=$(cd "$stage" && pwd)

# put SRC DEST: copy one file into the bundle, mode 0644 (no file in it is
# executed where it lies, the libraries included).
put() { install -D -m 0644 "$1" "$stage/$2"; }

# Native libraries, each directory with the header beside the library.
for spec in $DIST_LIBS; do
  dir=${spec%%=*} src=${spec#*=}
  put "$src" "$dir/$(basename "$src")"
  put "$DIST_HEADER" "$dir/$(basename "$DIST_HEADER")"
done
put "$DIST_HEADER" "include/$(basename "$DIST_HEADER")"

for f in $DIST_CSHARP_SRC; do put "$f" "bindings/csharp/$(basename "$f")"; done
for f in $DIST_DELPHI_SRC; do put "$f" "bindings/delphi/$(basename "$f")"; done

# Signing comes before the packages and checksums take the DLLs.
signed="The DLLs in this bundle are not signed: see \`SIGNING.md\` to sign them with your certificate."
if [[ -n ${DIST_SIGN_PFX:-} ]]; then
  mapfile -t dlls < <(find "$stage" -name '*.dll' | sort)
  "$here/sign-dll.sh" "${dlls[@]}"
  signed="The DLLs are Authenticode-signed (SHA-256); Explorer → Properties → Digital Signatures, or PowerShell \`Get-AuthenticodeSignature\`, shows the signer."
fi

# npm: the package as npm pack makes it (its "files" list decides what is
# in it), then unpacked as the JavaScript binding.
mkdir -p "$stage/packages"
pkg_version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$DIST_JS_PKG/package.json" | head -1)
if [[ $pkg_version != "$DIST_VERSION" ]]; then
  echo "dist.sh: $DIST_JS_PKG/package.json says version $pkg_version, core/version says $DIST_VERSION" >&2
  exit 1
fi
tgz=$(cd "$DIST_JS_PKG" && npm pack --ignore-scripts --loglevel=error --pack-destination "$stage/packages" | tail -1)
[[ -f $stage/packages/$tgz ]] || { echo "dist.sh: npm pack wrote no $tgz" >&2; exit 1; }
mkdir -p "$stage/.npm" "$stage/bindings/js"
tar -xzf "$stage/packages/$tgz" -C "$stage/.npm"
while IFS= read -r f; do
  put "$stage/.npm/package/$f" "bindings/js/$f"
done < <(cd "$stage/.npm/package" && find . -type f | sed "s|^\./||" | sort)
rm -rf "$stage/.npm"
ls "$stage"/bindings/js/dist/*.wasm >/dev/null 2>&1 || { echo "dist.sh: the npm package holds no .wasm module" >&2; exit 1; }

# NuGet: lib/net40 (assembly and XML docs), the native DLLs, the targets
# file, and the manifest with the version and the C# project's description.
nuget=$stage/.nuget
mkdir -p "$nuget"
for f in $DIST_NET40_FILES; do install -D -m 0644 "$f" "$nuget/lib/net40/$(basename "$f")"; done
for spec in $DIST_NUGET_NATIVE; do
  rid=${spec%%=*} dir=${spec#*=}
  install -D -m 0644 "$stage/$dir/couponkit.dll" "$nuget/runtimes/$rid/native/couponkit.dll"
done
install -D -m 0644 "$DIST_TARGETS" "$nuget/build/net40/CouponKit.targets"
description=$(sed -n 's:.*<Description>\(.*\)</Description>.*:\1:p' "$DIST_CSPROJ" | head -1)
[[ -n $description ]] || { echo "dist.sh: no <Description> in $DIST_CSPROJ" >&2; exit 1; }
spec=$(<"$DIST_NUSPEC")
spec=${spec//@VERSION@/$DIST_VERSION}
spec=${spec//@DESCRIPTION@/$description}
printf '%s\n' "$spec" > "$stage/.CouponKit.nuspec"
"$DIST_PACK" nupkg -nuspec "$stage/.CouponKit.nuspec" -out "$stage/packages/CouponKit.$DIST_VERSION.nupkg" "$nuget"
rm -rf "$nuget" "$stage/.CouponKit.nuspec"

# README and SIGNING.md.
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
if [[ $commit != unknown ]] && ! git diff --quiet HEAD -- 2>/dev/null; then commit="$commit (with uncommitted changes)"; fi
readme=$(<"$DIST_README")
readme=${readme//@VERSION@/$DIST_VERSION}
readme=${readme//@COMMIT@/$commit}
readme=${readme//@TOOLCHAINS@/$DIST_TOOLCHAINS}
readme=${readme//@SIGNED@/$signed}
readme=${readme//@CS_ASSEMBLY@/$DIST_CS_ASSEMBLY}
printf '%s\n' "$readme" > "$stage/README.md"
put "$DIST_SIGNING_DOC" SIGNING.md

# Checksums of every file, in byte order of the path; then every time is the
# commit's.
(cd "$stage" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | sort | xargs -d '\n' sha256sum) > "$stage/SHA256SUMS"
find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

rm -rf "$DIST_DIR" "$DIST_DIR.zip"
mv "$stage" "$DIST_DIR"
"$DIST_PACK" zip -prefix "$(basename "$DIST_DIR")" -out "$DIST_DIR.zip" "$DIST_DIR"
touch -d "@$SOURCE_DATE_EPOCH" "$DIST_DIR.zip"

echo "dist: $DIST_DIR ($(find "$DIST_DIR" -type f | wc -l) files, $(du -sb "$DIST_DIR" | cut -f1) bytes)"
echo "dist: $DIST_DIR.zip $(stat -c %s "$DIST_DIR.zip") bytes, sha256 $(sha256sum "$DIST_DIR.zip" | cut -d' ' -f1)"
