// The page of docs/js.md "A page without a bundler" (examples/js/importmap/
// index.html), as a reader sets it up: the package packed with npm pack,
// installed into a new directory with npm install, the page copied beside
// it, the directory served over HTTP, loaded in headless Chromium against a
// fresh sandbox; the page must print what the doc says.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, copyFileSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { serve } from "../../../examples/browser-cashier/serve.js";
import { pkgDir, repoDir, chromiumArgs, startSandbox } from "./helpers.js";

const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

test("the import-map page of docs/js.md prices and redeems against the sandbox", async (t) => {
  if (!existsSync(executablePath)) {
    throw new Error(`${executablePath} not found: install Debian's chromium (scripts/ensure-apt.sh chromium:chromium) or set CHROMIUM`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), "couponkit-importmap-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const npm = (...args) => execFileSync("npm", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  // --ignore-scripts: the module is built already (make test-wasm); prepack would run make.
  const tgz = npm("pack", "--ignore-scripts", "--silent", pkgDir).trim().split("\n").pop();
  npm("init", "-y");
  npm("install", "--no-audit", "--no-fund", "--silent", `./${tgz}`);
  copyFileSync(path.join(repoDir, "examples/js/importmap/index.html"), path.join(dir, "index.html"));

  const sandbox = await startSandbox();
  t.after(() => sandbox.stop());
  const { server, url } = await serve(dir);
  t.after(() => server.close());
  const profile = mkdtempSync(path.join(tmpdir(), "couponkit-chromium-"));
  t.after(() => rmSync(profile, { recursive: true, force: true }));
  const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: chromiumArgs });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(`${url}/index.html?sandbox=${encodeURIComponent(sandbox.url)}`);
  await page.waitForSelector("#out[data-done='1']", { timeout: 30000 });
  const text = await page.$eval("#out", (e) => e.textContent);
  assert.deepEqual(problems, []);
  assert.equal(text, "discount 5.00 yuan\nverified bizId quickstart-1, coupon 390962138708451328\n");
});
