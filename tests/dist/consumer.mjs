// Run by tests/dist/run.sh from a fresh npm project that installed the
// bundle's tarball (npm install ./couponkit-VERSION.tgz): loads the package
// by name, as an application would, and calls it.
//   node consumer.mjs EXPECTED-VERSION
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { load, CouponKitError } from "couponkit";

const want = process.argv[2];
let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
};

const pkgPath = createRequire(import.meta.url).resolve("couponkit/package.json");
const pkg = JSON.parse(await readFile(pkgPath, "utf8"));
check(pkg.version === want, `installed package couponkit@${pkg.version} at ${pkgPath}`);

const ck = await load();
const version = ck.invoke("version");
check(JSON.stringify(version).includes(`"${want}"`), `version: ${JSON.stringify(version)}`);
const fen = ck.invoke("money.toFen", { yuan: "12.34" });
check(fen.fen === "1234", `money.toFen 12.34: ${JSON.stringify(fen)}`);
try {
  ck.invoke("money.toFen", { yuan: "0.125" });
  check(false, "money.toFen 0.125 without rounding: no error");
} catch (e) {
  check(e instanceof CouponKitError && e.code === "INVALID_ARGUMENT", `money.toFen 0.125 without rounding: ${e.name} ${e.code}`);
}
process.exit(failures === 0 ? 0 : 1);
