// The call path between JavaScript and the module (wasm/main.go's exports,
// the Crossing in src/index.js): the exports driven by hand, memory growth
// during a call, requests larger than the input buffer in ASCII and in
// multi-byte UTF-8, lone surrogates, streaming compilation, and a call that
// fails inside the module.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createHmac } from "node:crypto";
import path from "node:path";
import vm from "node:vm";
import { load, CouponKitError, CouponKitClosedError } from "../src/index.js";
import { wasmPath, pkgDir, zvcms, stamp } from "./helpers.js";

const tokenOf = (c, st) => encodeURIComponent(createHmac("sha1", c.openKey)
  .update(`grantCode=${c.grantCode}&nonce=${st.nonce}&openId=${c.openId}&timestamp=${st.timestamp}`).digest("base64"));

// freshGo returns a Go class from a fresh copy of dist/wasm_exec.js (the
// package's loader keeps its own private).
function freshGo() {
  const prior = globalThis.Go;
  vm.runInThisContext(readFileSync(path.join(pkgDir, "dist", "wasm_exec.js"), "utf8"));
  const Go = globalThis.Go;
  globalThis.Go = prior;
  return Go;
}

test("the exports, driven with plain wasm_exec.js, follow the contract in wasm/main.go", async () => {
  const Go = freshGo();
  const go = new Go();
  let exitCode = null;
  go.exit = (code) => { exitCode = code; };
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), go.importObject);
  const ex = instance.exports;
  for (const name of ["ck_buffer", "ck_invoke", "ck_call", "ck_info", "ck_slot", "ck_close"]) assert.equal(typeof ex[name], "function", name);
  // before go.run the Go runtime is not initialised: the export fails (the
  // runtime tries to print its complaint through wasm_exec.js, not yet set up)
  assert.throws(() => ex.ck_info());

  go.run(instance);
  assert.equal(exitCode, null, "main blocks: the program keeps running");
  const slot = ex.ck_slot() >>> 0;
  const reply = (p) => new TextDecoder().decode(new Uint8Array(ex.mem.buffer, p >>> 0, new DataView(ex.mem.buffer).getUint32(slot, true)));
  const info = JSON.parse(reply(ex.ck_info()));
  assert.match(info.version, /^\d+\.\d+\.\d+/);
  assert.ok(info.methods.includes("zvcms.token"));

  const call = (method, request) => {
    const m = new TextEncoder().encode(method), r = new TextEncoder().encode(request);
    const p = ex.ck_buffer(r.length + m.length) >>> 0;
    new Uint8Array(ex.mem.buffer, p, r.length).set(r);
    new Uint8Array(ex.mem.buffer, p + r.length, m.length).set(m);
    return JSON.parse(reply(ex.ck_invoke(r.length, m.length)));
  };
  const tok = call("zvcms.token", JSON.stringify({ zvcms, ...stamp }));
  assert.equal(tok.result.token, tokenOf(zvcms, stamp));
  assert.equal(call("version", "").result.version, info.version, "an empty request is {}");
  // ck_call: the same call by the method's index in ck_info's list, no name written
  const byIndex = (method, request) => {
    const r = new TextEncoder().encode(request);
    const p = ex.ck_buffer(r.length) >>> 0;
    new Uint8Array(ex.mem.buffer, p, r.length).set(r);
    return JSON.parse(reply(ex.ck_call(r.length, info.methods.indexOf(method))));
  };
  assert.equal(byIndex("zvcms.token", JSON.stringify({ zvcms, ...stamp })).result.token, tokenOf(zvcms, stamp));
  for (const [i, m] of info.methods.entries()) {
    // each index is its method: a request that no method accepts fails naming that method's own fields
    // or succeeds, but never UNKNOWN_METHOD
    const r = new TextEncoder().encode("{}");
    const p = ex.ck_buffer(2) >>> 0;
    new Uint8Array(ex.mem.buffer, p, 2).set(r);
    const got = JSON.parse(reply(ex.ck_call(2, i)));
    assert.notEqual(got.ok === false && got.error.code, "UNKNOWN_METHOD", m);
  }
  assert.equal(byIndex("version", "{}").result.version, info.version);
  // indexes outside the list, and lengths beyond the buffer, are refused
  for (const i of [-1, info.methods.length, 0x7fffffff]) assert.equal(JSON.parse(reply(ex.ck_call(2, i))).error.code, "INTERNAL", `index ${i}`);
  assert.equal(JSON.parse(reply(ex.ck_call(3, 0))).error.code, "INTERNAL", "past the buffer");
  // lengths that do not fit the input buffer are refused, never read beyond it
  ex.ck_buffer(8);
  assert.equal(JSON.parse(reply(ex.ck_invoke(8, 1))).error.code, "INTERNAL");
  assert.equal(JSON.parse(reply(ex.ck_invoke(-1, 0))).error.code, "INTERNAL");
  assert.equal(ex.ck_buffer(0), 0);
  assert.equal(JSON.parse(reply(ex.ck_invoke(0, 0))).error.code, "UNKNOWN_METHOD", "no buffer: an empty method name");

  ex.ck_close();
  assert.equal(exitCode, 0, "ck_close ends the program with exit code 0");
});

test("a call that grows the module's memory leaves the views and later calls intact", async () => {
  const ck = await load(wasmPath);
  const s = ck.openSession({ zvcms });
  const lines = [];
  for (let i = 0; i < 10000; i++) lines.push({ id: `sku-${i}`, quantity: "3", unitPrice: `${1 + (i % 50)}.25` });
  const big = JSON.stringify({ lines, coupons: [{ kind: "fixed", value: "100" }, { kind: "rate", rate: "9", cap: "50" }] });
  const q = ck.quote(JSON.parse(big));
  assert.equal(q.lines.length, 10000);
  assert.equal(q.discountFen, String(10000 + 5000));
  // the session (opened before the input buffer was replaced and overwritten) still signs
  assert.equal(s.token(stamp).token, tokenOf(zvcms, stamp));
  await ck.close();
});

test("requests larger than the input buffer arrive byte for byte, ASCII and multi-byte", async () => {
  const ck = await load(wasmPath);
  const s = ck.openSession({ zvcms });
  for (const unit of ["a", "券", "😀", "é"]) {
    const text = unit.repeat(Math.ceil(200000 / unit.length)); // over the 16 KiB first buffer, over the 1 MiB kept one in UTF-8
    const r = s.zvcmsRequest("user.note", { text }, stamp);
    assert.equal(JSON.parse(r.body).Params.text, text, `unit ${unit}`);
  }
  // and a small call after the large ones (the buffer given back)
  assert.equal(s.token(stamp).token, tokenOf(zvcms, stamp));
  await ck.close();
});

test("a lone UTF-16 surrogate is refused, not replaced", { skip: typeof "".isWellFormed !== "function" && "needs String.prototype.isWellFormed (Node 20)" }, async () => {
  const ck = await load(wasmPath);
  const env = JSON.parse(ck.invokeRaw("money.toFen", '{"yuan":"1\ud800"}'));
  assert.equal(env.ok, false);
  assert.equal(env.error.code, "INVALID_JSON");
  assert.throws(() => ck.invoke("money.toFen", '{"yuan":"\udc00"}'), (e) => e instanceof CouponKitError && e.code === "INVALID_JSON");
  // a well-formed pair passes; an escaped lone surrogate is the JSON's business
  assert.equal(JSON.parse(ck.invokeRaw("version", '{"x":"😀"}')).error.field, "x");
  await ck.close();
});

test("a Response served as application/wasm compiles while streaming; any other type falls back", async () => {
  const bytes = readFileSync(wasmPath);
  const real = WebAssembly.compileStreaming;
  let streamed = 0;
  WebAssembly.compileStreaming = (...a) => { streamed++; return real(...a); };
  try {
    for (const [type, want] of [["application/wasm", 1], [" application/wasm", 1], ["Application/WASM", 0],
      ["application/wasm; charset=binary", 0], ["application/octet-stream", 0], [null, 0]]) {
      streamed = 0;
      const headers = type ? { "content-type": type } : {};
      const m = await load(new Response(bytes, { headers }));
      assert.equal(streamed, want, `Content-Type ${type}`);
      assert.equal(m.invoke("version").version, m.version);
      await m.close();
    }
  } finally {
    WebAssembly.compileStreaming = real;
  }
});

test("a call that fails inside the module stops it: INTERNAL then and after, and close() still resolves", async () => {
  const ck = await load(wasmPath);
  const req = JSON.stringify({ lines: [{ id: "a", quantity: "1", unitPrice: "1" }, { id: "b", quantity: "2", unitPrice: "3" }] });
  // Walk up from the deepest JavaScript frame, calling the module at each
  // level: near the limit the call fails in JavaScript first (RangeError,
  // before the module is entered, harmless), then the engine's stack runs
  // out inside the Go code.
  let failure = null, jsOnly = 0;
  const deep = () => {
    try {
      deep();
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
    if (failure !== null) return;
    try {
      ck.invokeRaw("discount.quote", req);
      failure = "none";
    } catch (e) {
      if (e instanceof CouponKitError) failure = e;
      else if (e instanceof RangeError) jsOnly++;
      else throw e;
    }
  };
  deep();
  assert.ok(failure instanceof CouponKitError, `the module was never entered with too little stack (${failure}, ${jsOnly} failed in JS)`);
  assert.equal(failure.code, "INTERNAL");
  assert.match(failure.message, /stopped; load the module again/);
  assert.throws(() => ck.invokeRaw("version", "{}"), (e) => e instanceof CouponKitError && e.code === "INTERNAL");
  await ck.close();
  assert.throws(() => ck.invokeRaw("version", "{}"), CouponKitClosedError);
  // another module is unaffected
  const other = await load(wasmPath);
  assert.equal(other.invoke("version").version, other.version);
  await other.close();
});
