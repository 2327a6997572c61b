// The wasm module gives byte for byte the replies the Go registry gives
// (bindings/js/golden checks the Go side against the same file).
import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "../src/index.js";
import { repoFile } from "./helpers.js";

const cases = JSON.parse(repoFile("testdata/invoke-golden/cases.json"));
const MARK = "$SESSION";

test("golden replies equal the Go core's", async (t) => {
  const ck = await load();
  let session = MARK;
  for (const c of cases) {
    await t.test(c.name, () => {
      let reply = ck.invokeRaw(c.method, c.request.replaceAll(MARK, session));
      if (c.method === "session.open" && session === MARK) {
        const env = JSON.parse(reply);
        if (env.ok) session = env.result.session;
      }
      if (session !== MARK) reply = reply.replaceAll(session, MARK);
      assert.equal(reply, c.reply);
    });
  }
  await ck.close();
});

test("golden cases cover every method of the module", async () => {
  const ck = await load();
  const covered = new Set(cases.map((c) => c.method));
  for (const m of ck.methods()) assert.ok(covered.has(m), `no golden case for ${m}`);
  await ck.close();
});
