// Shared paths and fixtures for the Node tests.
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const repoDir = path.resolve(pkgDir, "..", "..");
// The variant under test: CK_VARIANT=zvcms runs the tests on
// couponkit-zvcms.wasm (make test-wasm runs them on both).
export const variant = process.env.CK_VARIANT || "full";
if (variant !== "full" && variant !== "zvcms") throw new Error(`CK_VARIANT=${variant}: use full or zvcms`);
export const slim = variant === "zvcms";
export const wasmPath = path.join(pkgDir, "dist", slim ? "couponkit-zvcms.wasm" : "couponkit.wasm");
// noAllinpay skips a test of the Allinpay methods on the zvcms variant,
// which has none (the variant test checks that it refuses them).
export const noAllinpay = { skip: slim && "the zvcms variant has no Allinpay methods (checked in variant.test.js)" };
export const repoFile = (rel) => readFileSync(path.join(repoDir, rel), "utf8");

// The sandbox's test credentials (testdata/sandbox/seed.json).
export const zvcms = {
  openId: "6dc05b4ac175cf316d226252b05cf685",
  grantCode: "782c281f62",
  openKey: "sandbox-open-key-TEST-ONLY",
  baseUrl: "http://127.0.0.1:8080/api/v2",
};
export const merchantKey = repoFile("testdata/allinpay/rsa2048_pkcs8.pem");
export const merchantPub = repoFile("testdata/allinpay/rsa2048_pub_spki.pem");
export const platformKey = repoFile("testdata/sandbox/platform_rsa2048_pkcs8.pem");
export const platformPub = repoFile("testdata/sandbox/platform_rsa2048_pub_spki.pem");
export const allinpay = {
  appId: "sandbox-app-0001",
  signType: "RSA2",
  privateKey: merchantKey,
  platformPublicKey: platformPub,
  gatewayUrl: "http://127.0.0.1:8080/allinpay/gateway",
};
export const stamp = { timestamp: "1547186244", nonce: "658965" };

// Chromium flags for the page test and the benchmark (plus a fresh user-data-dir each launch).
export const chromiumArgs = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-quic"];

// startSandbox builds and starts examples/sandbox on a free loopback port,
// with the extra flags given (e.g. ["-reply-bizid", "own"]).
export async function startSandbox(flags = []) {
  const { spawn, execFileSync } = await import("node:child_process");
  const bin = path.join(repoDir, "build", "wasm", `sandbox-for-test-${process.pid}`); // test files run in parallel
  execFileSync(process.env.GO || "go", ["build", "-o", bin, "./examples/sandbox"], { cwd: repoDir, stdio: "inherit" });
  const child = spawn(bin, ["-addr", "127.0.0.1:0", "-quiet", "-seed", path.join(repoDir, "testdata/sandbox/seed.json"), ...flags],
    { cwd: repoDir, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
  return { url, stop: () => { child.kill(); rmSync(bin, { force: true }); } };
}
