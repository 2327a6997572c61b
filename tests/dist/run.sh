#!/usr/bin/env bash
# tests/dist/run.sh — make test-dist: the release bundle as its users get it.
#
#  1. make dist; the layout (each DLL is the build it is named for: bitness
#     from its PE header, Go release from the runtime's version string),
#     SHA256SUMS, the zip equals the directory;
#  2. the NuGet package restored by the nuget client into a packages.config
#     project built by xbuild (x86, x64, AnyCPU) and run by Mono against the
#     Linux .so;
#  3. the npm tarball installed offline into a fresh project and used by name
#     from Node;
#  4. a second make dist into another build directory (every library linked
#     again, every package made again) gives the same SHA256SUMS and zip;
#  5. make dist with a throw-away certificate: every signature verifies with
#     the test CA, a changed byte breaks it, removing it gives back the
#     unsigned DLL, the NuGet package holds the signed DLLs, signing again
#     gives the same bytes, a wrong password fails without echoing it.
#
# Environment (from mk/dist.mk): MAKE GO BUILD DIST_VERSION DIST_ROOT
# DIST_NUGET_NATIVE DIST_LINUX_ARCH DIST_CS_ASSEMBLY.
set -euo pipefail
for v in MAKE BUILD DIST_VERSION DIST_ROOT DIST_NUGET_NATIVE DIST_LINUX_ARCH DIST_CS_ASSEMBLY; do
  [[ -n ${!v:-} ]] || { echo "tests/dist/run.sh: $v is not set (run make test-dist)" >&2; exit 2; }
done
cd "$(dirname "$0")/../.."
root=$PWD
work=$root/$BUILD/test-dist
rm -rf "$work"
mkdir -p "$work"
name=couponkit-$DIST_VERSION
bundle=$root/$DIST_ROOT/$name
passed=0
t0=$SECONDS

fail() { echo "test-dist: FAIL: $*" >&2; exit 1; }
ok() { passed=$((passed + 1)); echo "ok   $*"; }
step() { echo "== test-dist: $* ($((SECONDS - t0)) s)"; }
make_dist() { "$MAKE" --no-print-directory dist "$@"; }

step "make dist"
make_dist

step "layout"
pe_format() { x86_64-w64-mingw32-objdump -f "$1" | sed -n 's/.*file format //p'; }
for d in windows10/x64 windows10/x86 windows7/x64 windows7/x86; do
  dll=$bundle/$d/couponkit.dll
  [[ -f $dll && -f $bundle/$d/couponkit.h ]] || fail "$d: no couponkit.dll and couponkit.h"
  case $d in */x64) want=pei-x86-64;; */x86) want=pei-i386;; esac
  [[ $(pe_format "$dll") == "$want" ]] || fail "$d/couponkit.dll is $(pe_format "$dll"), want $want"
  case $d in windows7/*) go=go1.20.14;; *) go=$(${GO:-go} env GOVERSION);; esac
  grep -qa "$go" "$dll" || fail "$d/couponkit.dll was not built by $go"
  ok "$d/couponkit.dll: $want, built by $go, $(stat -c %s "$dll") bytes"
done
so=$bundle/linux/$DIST_LINUX_ARCH/libcouponkit.so
[[ -f $so ]] && nm -D --defined-only "$so" | grep -qw ck_invoke || fail "linux/$DIST_LINUX_ARCH/libcouponkit.so missing or exports no ck_invoke"
ok "linux/$DIST_LINUX_ARCH/libcouponkit.so exports ck_invoke"
for f in include/couponkit.h bindings/csharp/CouponKit.cs bindings/js/package.json bindings/js/src/index.js \
         packages/CouponKit.$DIST_VERSION.nupkg packages/$name.tgz README.md SIGNING.md SHA256SUMS; do
  [[ -s $bundle/$f ]] || fail "no $f in the bundle"
done
ls "$bundle"/bindings/delphi/*.pas >/dev/null 2>&1 || fail "no Delphi unit in bindings/delphi"
wasm=$(cd "$bundle" && ls bindings/js/dist/*.wasm | tr '\n' ' ')
[[ -n $wasm ]] || fail "no wasm module in bindings/js/dist"
grep -q "$DIST_VERSION" "$bundle/README.md" || fail "README.md does not name version $DIST_VERSION"
ok "headers, bindings, wasm ($wasm), packages, README.md, SIGNING.md"

step "checksums"
(cd "$bundle" && sha256sum --check --strict --quiet SHA256SUMS) || fail "SHA256SUMS does not match the files"
listed=$(cut -d' ' -f3- "$bundle/SHA256SUMS")
present=$(cd "$bundle" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort)
[[ $listed == "$present" ]] || fail "SHA256SUMS does not list exactly the bundle's files: $(diff <(echo "$listed") <(echo "$present") || true)"
ok "SHA256SUMS: $(wc -l <"$bundle/SHA256SUMS") files, all match"
mkdir -p "$work/unzip"
unzip -q "$bundle.zip" -d "$work/unzip"
diff -r "$work/unzip/$name" "$bundle" >/dev/null || fail "$name.zip differs from the directory"
ok "$name.zip holds exactly the directory ($(stat -c %s "$bundle.zip") bytes)"

step "NuGet: restore, build with xbuild, run with Mono"
nuget_app=$work/nuget
mkdir -p "$nuget_app/app"
# A local folder as the package source, as a vendor without a feed has it.
timeout 300 nuget install CouponKit -Version "$DIST_VERSION" -Source "$bundle/packages" \
  -OutputDirectory "$nuget_app/packages" -NonInteractive </dev/null >"$nuget_app/install.log" 2>&1 \
  || { cat "$nuget_app/install.log"; fail "nuget install from the bundle's packages/ failed"; }
pkg=$nuget_app/packages/CouponKit.$DIST_VERSION
for spec in $DIST_NUGET_NATIVE; do
  rid=${spec%%=*} dir=${spec#*=}
  cmp -s "$pkg/runtimes/$rid/native/couponkit.dll" "$bundle/$dir/couponkit.dll" \
    || fail "runtimes/$rid/native/couponkit.dll is not the bundle's $dir DLL"
done
ok "nuget install: $(ls "$pkg/lib/net40" | tr '\n' ' ')+ runtimes $(echo "$DIST_NUGET_NATIVE" | tr ' ' ',')"
cp tests/dist/Consumer.csproj tests/dist/Consumer.cs "$nuget_app/app/"
# NoCompilerStandardLib=false: Debian's Mono has no reference-assembly
# folders, so xbuild must let mcs find mscorlib itself.
xbuild_app() {
  (cd "$nuget_app/app" && timeout 300 xbuild /nologo /v:minimal /p:NoCompilerStandardLib=false \
    /p:PackagesDir="$nuget_app/packages" /p:CouponKitVersion="$DIST_VERSION" \
    /p:CouponKitAssembly="$DIST_CS_ASSEMBLY" /p:PlatformTarget="$1" Consumer.csproj </dev/null)
}
for plat in x86 x64; do
  xbuild_app $plat >"$nuget_app/xbuild-$plat.log" 2>&1 || { cat "$nuget_app/xbuild-$plat.log"; fail "xbuild $plat failed"; }
  out=$nuget_app/app/bin/$plat
  cmp -s "$out/couponkit.dll" "$pkg/runtimes/win-$plat/native/couponkit.dll" \
    || fail "xbuild $plat: build/net40/CouponKit.targets did not copy runtimes/win-$plat/native/couponkit.dll to the output"
  [[ -f $out/$DIST_CS_ASSEMBLY.dll ]] || fail "xbuild $plat: no $DIST_CS_ASSEMBLY.dll in the output"
  # Windows file names ignore case: two outputs that differ only in case
  # (a managed CouponKit.dll beside the native couponkit.dll) are one file.
  clash=$(ls "$out" | tr '[:upper:]' '[:lower:]' | sort | uniq -d)
  [[ -z $clash ]] || fail "xbuild $plat: output files that are one file on Windows: $clash"
  ok "xbuild PlatformTarget=$plat: $(ls "$out" | tr '\n' ' ')(native DLL copied by the package's targets)"
done
xbuild_app AnyCPU >"$nuget_app/xbuild-anycpu.log" 2>&1 || { cat "$nuget_app/xbuild-anycpu.log"; fail "xbuild AnyCPU failed"; }
grep -q "warning : CouponKit: PlatformTarget is 'AnyCPU'" "$nuget_app/xbuild-anycpu.log" || fail "xbuild AnyCPU: no bitness warning from the targets"
[[ ! -e $nuget_app/app/bin/AnyCPU/couponkit.dll ]] || fail "xbuild AnyCPU: a native DLL was copied anyway"
ok "xbuild PlatformTarget=AnyCPU: warns, copies no native DLL"
# The Linux .so stands in for runtimes/win-x86/native/couponkit.dll here.
LD_LIBRARY_PATH=$(dirname "$so") timeout 120 mono "$nuget_app/app/bin/x86/Consumer.exe" "$DIST_VERSION" </dev/null \
  || fail "the Mono program using the NuGet package failed"
ok "Mono ran the packages.config program against the package's lib/net40"

step "npm: install the tarball into a fresh project, run it with Node"
npm_app=$work/npm
mkdir -p "$npm_app"
printf '{"name":"couponkit-dist-consumer","version":"1.0.0","private":true,"type":"module"}\n' > "$npm_app/package.json"
cp tests/dist/consumer.mjs "$npm_app/"
(cd "$npm_app" && timeout 300 npm install --offline --no-audit --no-fund --loglevel=error "$bundle/packages/$name.tgz" </dev/null) \
  >"$npm_app/install.log" 2>&1 || { cat "$npm_app/install.log"; fail "npm install --offline of packages/$name.tgz failed"; }
(cd "$npm_app" && timeout 120 node consumer.mjs "$DIST_VERSION" </dev/null) || fail "the Node program using the installed package failed"
ok "npm install --offline packages/$name.tgz, then import \"couponkit\" from Node"

step "reproducible: make dist again, every library linked and every package made again"
repro=$work/repro
make_dist BUILD="$BUILD/test-dist/build" DIST_ROOT="$repro" >"$work/repro.log" 2>&1 || { cat "$work/repro.log"; fail "the second make dist failed"; }
if ! cmp -s "$bundle/SHA256SUMS" "$repro/$name/SHA256SUMS"; then
  diff "$bundle/SHA256SUMS" "$repro/$name/SHA256SUMS" || true
  fail "two make dist runs gave different files (above: first run <, second >)"
fi
cmp -s "$bundle.zip" "$repro/$name.zip" || fail "two make dist runs gave different zips"
ok "two make dist runs: identical SHA256SUMS ($(sha256sum "$bundle/SHA256SUMS" | cut -c1-16)…) and identical $name.zip"

step "signing: a throw-away CA and code-signing certificate"
keys=$work/keys
mkdir -p "$keys"
(
  cd "$keys"
  umask 077
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=couponkit test-dist CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout signer.key -out signer.csr -subj "/CN=couponkit test-dist signer/O=couponkit test" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n' > signer.ext
  openssl x509 -req -in signer.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile signer.ext -out signer.pem 2>/dev/null
  openssl rand -hex 16 > pass
  openssl pkcs12 -export -inkey signer.key -in signer.pem -certfile ca.pem -passout file:pass -out signer.pfx
)
leaf_hash=$(openssl x509 -in "$keys/signer.pem" -outform DER | sha256sum | cut -d' ' -f1)
signed=$work/signed
make_dist DIST_ROOT="$signed" DIST_SIGN_PFX="$keys/signer.pfx" DIST_SIGN_PASSWORD_FILE="$keys/pass" \
  DIST_SIGN_CAFILE="$keys/ca.pem" >"$work/signed.log" 2>&1 || { cat "$work/signed.log"; fail "make dist with a certificate failed"; }
! grep -qF "$(cat "$keys/pass")" "$work/signed.log" || fail "the PFX password appears in make dist's output"
sbundle=$signed/$name
(cd "$sbundle" && sha256sum --check --strict --quiet SHA256SUMS) || fail "the signed bundle's SHA256SUMS does not match"
verify() { osslsigncode verify -CAfile "$keys/ca.pem" -require-leaf-hash "sha256:$leaf_hash" -in "$1"; }
# pe_checksum_offset FILE: the PE CheckSum field, which signing recomputes.
pe_checksum_offset() { echo $(( $(od -An -tu4 -j60 -N4 "$1") + 88 )); }
for d in windows10/x64 windows10/x86 windows7/x64 windows7/x86; do
  f=$sbundle/$d/couponkit.dll
  verify "$f" >"$work/verify.log" 2>&1 || { cat "$work/verify.log"; fail "$d/couponkit.dll: the signature does not verify"; }
  grep -q "Signature verification: ok" "$work/verify.log" || fail "$d/couponkit.dll: osslsigncode did not report a verified signature"
  rm -f "$work/unsigned.dll"
  osslsigncode remove-signature -in "$f" -out "$work/unsigned.dll" >/dev/null || fail "$d/couponkit.dll: osslsigncode remove-signature failed"
  off=$(pe_checksum_offset "$f")
  [[ $(stat -c %s "$work/unsigned.dll") == $(stat -c %s "$bundle/$d/couponkit.dll") ]] \
    || fail "$d/couponkit.dll: without its signature it is not the unsigned DLL's size"
  beyond=$( (cmp -l "$work/unsigned.dll" "$bundle/$d/couponkit.dll" || true) | awk -v lo=$((off + 1)) -v hi=$((off + 4)) '$1 < lo || $1 > hi' | wc -l)
  [[ $beyond == 0 ]] || fail "$d/couponkit.dll: without its signature it differs from the unsigned DLL in $beyond bytes beyond the PE checksum"
  ok "$d/couponkit.dll: signed by the test certificate, verifies against the test CA, unsigned it is the bundle's DLL"
done
for spec in $DIST_NUGET_NATIVE; do
  rid=${spec%%=*} dir=${spec#*=}
  unzip -p "$sbundle/packages/CouponKit.$DIST_VERSION.nupkg" "runtimes/$rid/native/couponkit.dll" > "$work/from-nupkg.dll"
  cmp -s "$work/from-nupkg.dll" "$sbundle/$dir/couponkit.dll" || fail "the signed NuGet package's runtimes/$rid DLL is not the signed $dir DLL"
done
ok "the signed bundle's NuGet package holds the signed windows7 DLLs"
# A changed byte in the code breaks the signature (so the checks above can fail).
cp "$sbundle/windows7/x86/couponkit.dll" "$work/tampered.dll"
printf '\x90' | dd of="$work/tampered.dll" bs=1 seek=4096 conv=notrunc status=none
if verify "$work/tampered.dll" >"$work/verify.log" 2>&1; then fail "a DLL with a changed byte still verifies"; fi
ok "a changed byte fails verification"
# Signing is reproducible without a timestamp server; a wrong password
# fails loudly and is not echoed.
cp "$bundle/windows7/x86/couponkit.dll" "$work/again.dll"
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) DIST_SIGN_PFX="$keys/signer.pfx" DIST_SIGN_PASSWORD_FILE="$keys/pass" \
  DIST_SIGN_CAFILE="$keys/ca.pem" scripts/sign-dll.sh "$work/again.dll" >/dev/null
cmp -s "$work/again.dll" "$sbundle/windows7/x86/couponkit.dll" || fail "signing the same DLL again gave other bytes"
ok "signing the same DLL again gives the same bytes"
cp "$bundle/windows7/x86/couponkit.dll" "$work/wrong.dll"
if DIST_SIGN_PFX="$keys/signer.pfx" DIST_SIGN_PASSWORD=wrong-password-5e1f DIST_SIGN_CAFILE="$keys/ca.pem" \
     scripts/sign-dll.sh "$work/wrong.dll" >"$work/wrong.log" 2>&1; then fail "signing with a wrong password succeeded"; fi
! grep -q wrong-password-5e1f "$work/wrong.log" || fail "sign-dll.sh printed the password"
cmp -s "$work/wrong.dll" "$bundle/windows7/x86/couponkit.dll" || fail "a failed signing changed the DLL"
ok "a wrong password fails ($(grep -m1 -ioE 'signing .* failed' "$work/wrong.log")), leaves the DLL alone, is not printed"
for d in windows7/x86 windows7/x64; do
  cmp -s "$BUILD/$d/couponkit.dll" "$bundle/$d/couponkit.dll" || fail "signing changed $BUILD/$d/couponkit.dll"
done
ok "the DLLs in $BUILD/ stay unsigned"

echo "test-dist: took $((SECONDS - t0)) s"
echo "test-dist: $passed passed, 0 failed"
