// The wasm module gives byte for byte the replies the Go registry gives
// (bindings/js/golden checks the Go side against the same file). On the zvcms
// variant the Allinpay calls are UNKNOWN_METHOD naming the variant, Allinpay
// keys are refused, and every other reply is the same.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "../src/index.js";
import { repoFile, wasmPath, slim } from "./helpers.js";

const cases = JSON.parse(repoFile("testdata/invoke-golden/cases.json"));
const MARK = "$SESSION";

// slimCase is what the zvcms variant answers to c: {request, reply} (reply
// a string to equal, or a function checking the parsed envelope).
function slimCase(c) {
  if (c.method.startsWith("allinpay.")) {
    return { request: c.request, reply: (env) => {
      assert.equal(env.ok, false);
      assert.equal(env.error.code, "UNKNOWN_METHOD");
      assert.equal(env.error.field, "method");
      assert.match(env.error.message, /zvcms variant \(couponkit-zvcms\.wasm/);
    } };
  }
  if (c.method === "methods" && JSON.parse(c.reply).ok) {
    const env = JSON.parse(c.reply);
    env.result.methods = env.result.methods.filter((m) => !m.name.startsWith("allinpay."));
    return { request: c.request, reply: JSON.stringify(env) };
  }
  if (c.method === "session.open" && JSON.parse(c.request).allinpay !== undefined) {
    const req = JSON.parse(c.request);
    if (req.zvcms === undefined) { // Allinpay keys alone: refused naming the member
      return { request: c.request, reply: (env) => {
        assert.equal(env.ok, false);
        assert.equal(env.error.code, "INVALID_ARGUMENT");
        assert.equal(env.error.field, "allinpay");
        assert.match(env.error.message, /zvcms variant/);
      } };
    }
    delete req.allinpay; // the zvcms half: the session the later cases use
    return { request: JSON.stringify(req), reply: c.reply.replace('"allinpay":true', '"allinpay":false') };
  }
  return c;
}

test("golden replies equal the Go core's", async (t) => {
  const ck = await load(wasmPath);
  let session = MARK;
  for (const c of cases) {
    await t.test(c.name, () => {
      const want = slim ? slimCase(c) : c;
      let reply = ck.invokeRaw(c.method, want.request.replaceAll(MARK, session));
      if (c.method === "session.open" && session === MARK) {
        const env = JSON.parse(reply);
        if (env.ok) session = env.result.session;
      }
      if (session !== MARK) reply = reply.replaceAll(session, MARK);
      if (typeof want.reply === "function") want.reply(JSON.parse(reply));
      else assert.equal(reply, want.reply);
    });
  }
  await ck.close();
});

test("golden cases cover every method of the module", async () => {
  const ck = await load(wasmPath);
  const covered = new Set(cases.map((c) => c.method));
  for (const m of ck.methods()) assert.ok(covered.has(m), `no golden case for ${m}`);
  await ck.close();
});
