// make bench-wasm: the cost of a call through the WebAssembly module under
// Node, set against references measured in the same run, and the cold start
// of the cashier page in headless Chromium.
//
// References, each timed in the same rounds as the module (rounds alternate,
// so a busy machine slows both alike; the best round of each counts):
//   - version and zvcms.verifyCoupons.request through ck_invoke from C
//     (examples/c/bench.c against build/libcouponkit.so), BENCH_C;
//   - the same calls in native Go through the method registry and as direct
//     typed calls (ref_test.go), BENCH_GO_REF, a test binary built by
//     `go test -c` and run in this directory;
//   - the zvcms token written by hand with node:crypto (jsToken below).
// Without BENCH_C or BENCH_GO_REF (running this file by hand) those
// references are left out and the table says so.
//
// The calls are calls.json and examples/c/bench_verify.json, shared with
// ref_test.go and the C benchmark. BENCH_ROUNDS (5) rounds, BENCH_MS (300)
// ms per measurement, CHROMIUM_RUNS (10) cold starts; BENCH_CHROMIUM_REF adds
// another checkout's page to the cold starts (chromiumBench).
import { createHmac } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { load } from "../src/index.js";
import { repoDir, chromiumArgs, pkgDir } from "../test/helpers.js";

// The benchmark times the full module, and the zvcms variant beside it.
const wasmPath = path.join(pkgDir, "dist", "couponkit.wasm");
const slimPath = path.join(pkgDir, "dist", "couponkit-zvcms.wasm");

const here = path.dirname(fileURLToPath(import.meta.url));
const rounds = Number(process.env.BENCH_ROUNDS || 5);
const minMs = Number(process.env.BENCH_MS || 300);
const calls = JSON.parse(readFileSync(path.join(here, "calls.json"), "utf8"));
const verifyFile = path.join(repoDir, "examples", "c", "bench_verify.json");
const verifyReq = readFileSync(verifyFile, "utf8").trim();
const verify = JSON.parse(verifyReq);

const fmt = (ns) => (ns == null ? "—" : ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(2)} µs`);

// time runs fn for at least ms and returns ns per call.
function time(fn, ms) {
  let n = 0;
  const t0 = process.hrtime.bigint();
  const limit = BigInt(ms) * 1000000n;
  let elapsed = 0n;
  while (elapsed < limit) {
    for (let i = 0; i < 10; i++) fn();
    n += 10;
    elapsed = process.hrtime.bigint() - t0;
  }
  return Number(elapsed) / n;
}

// warm lets V8 tier the module's hot functions up before the first round:
// the first ~2,000 calls of a method run several times slower.
function warm(fn) {
  const t0 = Date.now();
  for (let i = 0; (i < 3000 || Date.now() - t0 < 2 * minMs) && Date.now() - t0 < 8000; i++) fn();
}

// The token as a web developer would write it: HMAC-SHA1 over the four
// sorted key=value pairs, Base64, URL-encoded.
function jsToken(openId, grantCode, openKey, timestamp, nonce) {
  const content = `grantCode=${grantCode}&nonce=${nonce}&openId=${openId}&timestamp=${timestamp}`;
  return encodeURIComponent(createHmac("sha1", openKey).update(content).digest("base64"));
}

const best = {};
const keep = (k, ns, into = best) => { if (ns != null && !(into[k] <= ns)) into[k] = ns; };

// goBench parses go-test-style lines ("BenchmarkX/name-2  N  123 ns/op").
function goBench(out, prefix, into = best) {
  for (const line of out.split("\n")) {
    const m = /^Benchmark(\w+)\/(\S+?)(-\d+)?\s+\d+\s+([\d.]+) ns\/op/.exec(line);
    if (m) keep(`${prefix}${m[1]}/${m[2]}`, Number(m[4]), into);
  }
}

function references() {
  if (process.env.BENCH_GO_REF) {
    goBench(execFileSync(path.resolve(process.env.BENCH_GO_REF),
      ["-test.run", "^$", "-test.bench", ".", "-test.benchtime", `${minMs}ms`], { cwd: here, encoding: "utf8" }), "go:");
  }
  if (process.env.BENCH_C) {
    goBench(execFileSync(path.resolve(process.env.BENCH_C), [verifyFile, "1"], { cwd: repoDir, encoding: "utf8" }), "");
  }
}

async function nodeBench() {
  const t0 = process.hrtime.bigint();
  const ck = await load(wasmPath);
  const loadNs = Number(process.hrtime.bigint() - t0);
  const slim = await load(slimPath, { variant: "zvcms" });
  const session = ck.openSession({ zvcms: verify.zvcms });
  const sub = (c) => c.request.replaceAll("$SESSION", session.id);
  const tokenReq = sub(calls.token);
  const quoteReq = sub(calls.quote);
  const big = [];
  for (let i = 0; i < 1000; i++) {
    big.push({ id: `69012345${String(i).padStart(5, "0")}`, quantity: String(1 + (i % 5)), unitPriceYuan: `${1 + (i % 97)}.${String(i % 100).padStart(2, "0")}` });
  }
  const quote1000 = JSON.stringify({ lines: big, coupons: [{ id: "307", kind: "fixed", valueYuan: "50", thresholdYuan: "100" }, { id: "308", kind: "rate", rate: "9.5", capYuan: "200" }] });

  // the hand-written token must be the module's token, or the comparison is void
  const { zvcms } = verify;
  const tok = JSON.parse(tokenReq);
  const want = ck.invoke("zvcms.token", tokenReq).token;
  if (jsToken(zvcms.openId, zvcms.grantCode, zvcms.openKey, tok.timestamp, tok.nonce) !== want) throw new Error("token mismatch");

  const fns = {
    version: () => ck.invokeRaw("version", "{}"),
    token: () => ck.invokeRaw("zvcms.token", tokenReq),
    jsToken: () => jsToken(zvcms.openId, zvcms.grantCode, zvcms.openKey, tok.timestamp, tok.nonce),
    verify: () => ck.invokeRaw("zvcms.verifyCoupons.request", verifyReq),
    verifyTyped: () => session.verifyCouponsRequest(verify.params, verify),
    quote: () => ck.invokeRaw("discount.quote", quoteReq),
    quote1000: () => ck.invokeRaw("discount.quote", quote1000),
    slimVersion: () => slim.invokeRaw("version", "{}"),
    slimVerify: () => slim.invokeRaw("zvcms.verifyCoupons.request", verifyReq),
  };
  for (const [k, fn] of Object.entries(fns)) {
    const r = JSON.parse(k === "jsToken" ? '{"ok":true}' : k === "verifyTyped" ? '{"ok":true}' : fn());
    if (!r.ok) throw new Error(`${k}: ${JSON.stringify(r.error)}`);
    warm(fn);
  }
  for (let r = 0; r < rounds; r++) {
    for (const [k, fn] of Object.entries(fns)) keep(k, time(fn, k.startsWith("quote") ? 3 * minMs : minMs));
    references();
  }
  await ck.close();
  await slim.close();

  const rows = [
    ["version (empty call)", "version", "ck_invoke from C", "C/version", 3000, "≤ 3 µs"],
    ["", "version", "Go registry.Invoke", "go:Invoke/version"],
    ["zvcms.token", "token", "node:crypto by hand", "jsToken", null, "≤ 3×"],
    ["", "token", "Go registry.Invoke", "go:Invoke/token"],
    ["", "token", "Go zvcms.Token", "go:Direct/token"],
    ["zvcms.verifyCoupons.request", "verify", "Go registry.Invoke", "go:Invoke/verifyCoupons.request", null, "≤ 3×"],
    ["", "verify", "ck_invoke from C", "C/verifyCoupons.request"],
    ["", "verify", "Go Client.VerifyCoupons", "go:Direct/verifyCoupons.request"],
    ["session.verifyCouponsRequest (typed JS)", "verifyTyped", "Go registry.Invoke", "go:Invoke/verifyCoupons.request"],
    ["discount.quote 100 lines, 3 coupons", "quote", "Go registry.Invoke", "go:Invoke/quote", null, "≤ 2× 0.1.0 (issue 16)"],
    ["", "quote", "Go Parse + Quote", "go:Direct/quote"],
    ["discount.quote 1,000 lines, 2 coupons", "quote1000"],
    ["zvcms variant: version", "slimVersion", "the full module", "version"],
    ["zvcms variant: verifyCoupons.request", "slimVerify", "the full module", "verify"],
  ];
  console.log(`Node ${process.version}, module ${ck.goVersion}; best of ${rounds} rounds, references in the same rounds:`);
  console.log(`  load + instantiate + start (warm file cache)  ${fmt(loadNs)}`);
  const pad = (s, n) => String(s).padEnd(n);
  console.log(`  ${pad("call", 42)}${pad("module", 12)}${pad("reference", 26)}${pad("", 12)}${pad("ratio", 9)}target`);
  for (const [label, k, refName, refKey, absTarget, target] of rows) {
    const ns = best[k], ref = refKey ? best[refKey] : undefined;
    const ratio = ref ? `${(ns / ref).toFixed(1)}×` : "";
    const refText = refKey ? (ref ? fmt(ref) : "(not run)") : "";
    console.log(`  ${pad(label, 42)}${pad(label ? fmt(ns) : "", 12)}${pad(refName || "", 26)}${pad(refText, 12)}${pad(ratio, 9)}` +
      `${target || ""}${absTarget && ns > absTarget ? " (over)" : ""}`);
  }
}

// chromiumBench times the cashier page's load() cold, alternating the full
// and zvcms modules and, with BENCH_CHROMIUM_REF set to another checkout
// whose build/wasm and bindings/js/dist are built (an earlier release, say),
// that checkout's page as the reference, all in the same run.
async function chromiumBench(runs = Number(process.env.CHROMIUM_RUNS || 10)) {
  const { chromium } = await import("playwright-core");
  const pages = [{ name: "full", root: repoDir, query: "" }, { name: "zvcms", root: repoDir, query: "?variant=zvcms" }];
  if (process.env.BENCH_CHROMIUM_REF) pages.unshift({ name: "reference", root: path.resolve(process.env.BENCH_CHROMIUM_REF), query: "" });
  const servers = new Map(); // a static server per checkout
  for (const p of pages) {
    if (!servers.has(p.root)) {
      const { serve } = await import(path.join(p.root, "examples/browser-cashier/serve.js"));
      servers.set(p.root, await serve(p.root));
    }
    p.url = `${servers.get(p.root).url}/examples/browser-cashier/${p.query}`;
    p.times = [];
  }
  try {
    for (let i = 0; i < runs; i++) {
      for (const p of pages) { // alternating, so a busy machine slows each alike
        // a fresh profile each run: nothing cached, a cold compile every time
        const profile = mkdtempSync(path.join(tmpdir(), "couponkit-bench-"));
        const ctx = await chromium.launchPersistentContext(profile, {
          executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true, args: chromiumArgs,
        });
        try {
          const page = await ctx.newPage();
          await page.goto(p.url);
          await page.waitForSelector("#status[data-ready='1']", { timeout: 60000 });
          p.times.push(Number(await page.getAttribute("#status", "data-load-ms")));
        } finally {
          await ctx.close();
          rmSync(profile, { recursive: true, force: true });
        }
      }
    }
  } finally {
    for (const { server } of servers.values()) server.close();
  }
  const median = {};
  for (const p of pages) {
    const t = p.times.sort((a, b) => a - b);
    const mid = t.length >> 1;
    median[p.name] = t.length % 2 ? t[mid] : (t[mid - 1] + t[mid]) / 2;
    const what = p.name === "reference" ? `the reference page (${process.env.BENCH_CHROMIUM_REF})` : `${p.name} module`;
    console.log(`Chromium (headless, fresh profile per run, ${runs} runs, ${what}): fetch + compile + instantiate + start, ` +
      `median ${median[p.name].toFixed(0)} ms, min ${t[0].toFixed(0)} ms, max ${t[t.length - 1].toFixed(0)} ms (goal ≤ 250 ms)`);
  }
  console.log(`Chromium cold start, zvcms ÷ full (medians, same run): ${(median.zvcms / median.full).toFixed(2)}×`);
  if (median.reference) {
    console.log(`Chromium cold start ÷ the reference (medians, same run): full ${(median.full / median.reference).toFixed(2)}×, ` +
      `zvcms ${(median.zvcms / median.reference).toFixed(2)}×`);
  }
}

// floorBench (BENCH_ONLY=floor) is the toolchain's share: ref_test.go's
// benchmarks built natively (BENCH_GO_REF) and for GOOS=js GOARCH=wasm
// (BENCH_GO_REF_JS, run under Node with Go's wasm_exec_node.js, BENCH_WASM_EXEC),
// alternating, best of BENCH_FLOOR_ROUNDS (3) each. in-wasm Go ÷ native Go
// is what no work on the JS↔Go crossing can beat: the module's call is the
// same Go code as the wasm side plus the crossing.
async function floorBench(rounds = Number(process.env.BENCH_FLOOR_ROUNDS || 3)) {
  const { BENCH_GO_REF: nat, BENCH_GO_REF_JS: js, BENCH_WASM_EXEC: exec } = process.env;
  if (!nat || !js || !exec) throw new Error("floor: needs BENCH_GO_REF, BENCH_GO_REF_JS and BENCH_WASM_EXEC (make bench-wasm-floor)");
  const native = {}, wasm = {};
  const args = ["-test.run", "^$", "-test.bench", ".", "-test.benchtime", `${Math.max(minMs, 1000)}ms`];
  for (let r = 0; r < rounds; r++) {
    goBench(execFileSync(path.resolve(nat), args, { cwd: here, encoding: "utf8" }), "", native);
    goBench(execFileSync(process.execPath, ["--stack-size=8192", exec, path.resolve(js), ...args],
      { cwd: here, encoding: "utf8", maxBuffer: 1 << 24 }), "", wasm);
  }
  console.log(`The floor: bindings/js/bench/ref_test.go native and in WebAssembly (Node ${process.version}), best of ${rounds} alternating rounds:`);
  const pad = (s, n) => String(s).padEnd(n);
  console.log(`  ${pad("benchmark", 38)}${pad("native Go", 12)}${pad("in-wasm Go", 12)}ratio`);
  for (const k of Object.keys(native)) {
    console.log(`  ${pad(k, 38)}${pad(fmt(native[k]), 12)}${pad(fmt(wasm[k]), 12)}${wasm[k] ? (wasm[k] / native[k]).toFixed(1) + "×" : ""}`);
  }
}

if (process.env.BENCH_ONLY === "floor") await floorBench();
else {
  if (process.env.BENCH_ONLY !== "chromium") await nodeBench();
  if (process.env.BENCH_ONLY !== "node") await chromiumBench();
}
