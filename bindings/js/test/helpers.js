// Shared paths and fixtures for the Node tests.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const repoDir = path.resolve(pkgDir, "..", "..");
export const wasmPath = path.join(pkgDir, "dist", "couponkit.wasm");
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
