// make bench-wasm: cold load-and-instantiate time of the module in headless
// Chromium, per-call times in Node, and next to them the zvcms token computed
// by hand-written JavaScript with Node's crypto (what a web developer would
// write instead of loading the module).
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { load } from "../src/index.js";
import { wasmPath, repoDir, zvcms, allinpay, stamp, chromiumArgs } from "../test/helpers.js";

const fmt = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(2)} µs`);

// measure runs fn repeatedly for at least minMs after a warm-up and returns
// ns per call. The warm-up (twice minMs and 3,000 calls, at most 8 s) lets
// V8 tier the module's hot functions up: the first ~2,000 calls of a method
// run several times slower.
function measure(fn, minMs = 1000) {
  const w0 = Date.now();
  for (let w = 0; Date.now() - w0 < 2 * minMs || (w < 3000 && Date.now() - w0 < 8000); w++) fn();
  let n = 0;
  const t0 = process.hrtime.bigint();
  let elapsed = 0n;
  const limit = BigInt(minMs) * 1000000n;
  while (elapsed < limit) {
    for (let i = 0; i < 10; i++) fn();
    n += 10;
    elapsed = process.hrtime.bigint() - t0;
  }
  return Number(elapsed) / n;
}

// The token as a web developer would write it: HMAC-SHA1 over the four
// sorted key=value pairs, Base64, URL-encoded.
function jsToken(openId, grantCode, openKey, timestamp, nonce) {
  const content = `grantCode=${grantCode}&nonce=${nonce}&openId=${openId}&timestamp=${timestamp}`;
  return encodeURIComponent(createHmac("sha1", openKey).update(content).digest("base64"));
}

async function nodeBench() {
  const t0 = process.hrtime.bigint();
  const ck = await load(wasmPath);
  const loadNs = Number(process.hrtime.bigint() - t0);
  const session = ck.openSession({ zvcms, allinpay });
  const verify = JSON.stringify({
    session: session.id, ...stamp,
    params: { bizId: "order-1", customerId: "383933091455959041", couponsCardList: ["390962138708451328"],
      ext: { channelType: 3, multiStoreMark: "SH0001" }, amount: "500", orderAmount: "2600" },
  });
  const tokenReq = JSON.stringify({ session: session.id, ...stamp });
  const lines = [];
  for (let i = 0; i < 1000; i++) {
    lines.push({ id: `69012345${String(i).padStart(5, "0")}`, quantity: String(1 + (i % 5)), unitPriceYuan: `${1 + (i % 97)}.${String(i % 100).padStart(2, "0")}` });
  }
  const quote = JSON.stringify({ lines, coupons: [{ id: "307", kind: "fixed", valueYuan: "50", thresholdYuan: "100" }, { id: "308", kind: "rate", rate: "9.5", capYuan: "200" }] });

  // the hand-written token must be the module's token, or the comparison is void
  const want = JSON.parse(ck.invokeRaw("zvcms.token", tokenReq)).result.token;
  if (jsToken(zvcms.openId, zvcms.grantCode, zvcms.openKey, stamp.timestamp, stamp.nonce) !== want) throw new Error("token mismatch");

  const r = {
    load: loadNs,
    verify: measure(() => ck.invokeRaw("zvcms.verifyCoupons.request", verify)),
    verifyTyped: measure(() => session.verifyCouponsRequest(JSON.parse(verify).params, stamp)),
    token: measure(() => ck.invokeRaw("zvcms.token", tokenReq)),
    js: measure(() => jsToken(zvcms.openId, zvcms.grantCode, zvcms.openKey, stamp.timestamp, stamp.nonce)),
    quote: measure(() => ck.invokeRaw("discount.quote", quote), 3000),
  };
  await ck.close();
  console.log(`Node ${process.version}, module ${ck.goVersion}:`);
  console.log(`  load + instantiate (warm file cache)            ${fmt(r.load)}`);
  console.log(`  zvcms.verifyCoupons.request (invokeRaw)         ${fmt(r.verify)}/call`);
  console.log(`  session.verifyCouponsRequest (typed helper)     ${fmt(r.verifyTyped)}/call`);
  console.log(`  zvcms.token (invokeRaw)                         ${fmt(r.token)}/call`);
  console.log(`  token by hand-written JS + node:crypto          ${fmt(r.js)}/call`);
  console.log(`  discount.quote, 1,000 lines, 2 coupons          ${fmt(r.quote)}/call`);
  console.log(`  ratio verifyCoupons.request / hand-written token ${(r.verify / r.js).toFixed(1)}x`);
  console.log(`  ratio zvcms.token / hand-written token           ${(r.token / r.js).toFixed(1)}x`);
}

async function chromiumBench(runs = 5) {
  const { chromium } = await import("playwright-core");
  const { serve } = await import("../../../examples/browser-cashier/serve.js");
  const args = chromiumArgs;
  const { server, url } = await serve(repoDir);
  const times = [];
  try {
    for (let i = 0; i < runs; i++) {
      // a fresh profile each run: nothing cached, a cold compile every time
      const profile = mkdtempSync(path.join(tmpdir(), "couponkit-bench-"));
      const ctx = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true, args,
      });
      try {
        const page = await ctx.newPage();
        await page.goto(`${url}/examples/browser-cashier/`);
        await page.waitForSelector("#status[data-ready='1']", { timeout: 60000 });
        times.push(Number(await page.getAttribute("#status", "data-load-ms")));
      } finally {
        await ctx.close();
        rmSync(profile, { recursive: true, force: true });
      }
    }
  } finally {
    server.close();
  }
  times.sort((a, b) => a - b);
  console.log(`Chromium (headless, fresh profile per run, ${runs} runs): fetch + compile + instantiate + start, ` +
    `median ${times[times.length >> 1].toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms`);
}

await nodeBench();
await chromiumBench();
