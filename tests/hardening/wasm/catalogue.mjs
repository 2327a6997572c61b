// Runs the bad-input catalogue through the WebAssembly module under Node.
// Reads the file written by `go run ./tests/hardening/cmd/expand -target wasm`
// (format in that command's doc). A case whose bytes are not UTF-8 cannot be
// a JavaScript string and is counted as skipped; every other case must give
// a parseable envelope with the expected code (and field), never INTERNAL.
// A call over the 1 s bound (wall and process CPU time) is listed as
// OVER BOUND; it fails the run only
// with HARDENING_WASM_STRICT=1, since the module runs the same Go code 3-10x
// slower than native, single-threaded (the Go and C runs enforce the bound).
//
// Usage: node tests/hardening/wasm/catalogue.mjs CATALOGUE [WASM]
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { load } from "../../../bindings/js/src/index.js";

const [file, wasm] = process.argv.slice(2);
if (!file) {
  console.error("usage: catalogue.mjs CATALOGUE [WASM]");
  process.exit(2);
}
const buf = readFileSync(file);
const entries = [];
for (let at = 0; at < buf.length; ) {
  const nl = buf.indexOf(10, at);
  const head = buf.subarray(at, nl).toString("utf8").split("\t");
  const len = Number(head[head.length - 1]);
  entries.push({ head, body: buf.subarray(nl + 1, nl + 1 + len) });
  at = nl + 1 + len + 1;
}
const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const ck = await load(wasm ? readFileSync(wasm) : undefined);

const reply = (method, req) => {
  const raw = ck.invokeRaw(method, req);
  return JSON.parse(raw); // a reply that is not JSON throws: a failure
};
const openSession = (req) => {
  const r = reply("session.open", req);
  if (!r.ok) throw new Error("session.open: " + JSON.stringify(r));
  return r.result.session;
};
// The zvcms variant (couponkit-zvcms.wasm) has no Allinpay: its sessions
// are opened without the Allinpay keys, the Allinpay methods are
// UNKNOWN_METHOD, and Allinpay keys given to session.open INVALID_ARGUMENT
// "allinpay" (where the full module would accept them or name a key in them).
const slim = ck.variant === "zvcms";
const withoutAllinpay = (text) => {
  const o = JSON.parse(text);
  delete o.allinpay;
  return JSON.stringify(o);
};
const expected = (method, text, code, field) => {
  if (!slim) return [code, field];
  if (method.startsWith("allinpay.")) return ["UNKNOWN_METHOD", "method"];
  if (method === "session.open" && (code === "OK" || field.startsWith("allinpay"))) {
    let o;
    try {
      o = JSON.parse(text);
    } catch {
      return [code, field];
    }
    if (o !== null && typeof o === "object" && !Array.isArray(o) && o.allinpay !== undefined && o.allinpay !== null) {
      // A malformed keys object is refused as it is read (naming the member
      // inside it) before the variant refuses the keys ("allinpay").
      return ["INVALID_ARGUMENT", code === "INVALID_ARGUMENT" ? "allinpay*" : "allinpay"];
    }
  }
  return [code, field];
};
const bodyOf = (kind) => {
  const text = strict.decode(entries.find((e) => e.head[0] === kind).body);
  return slim ? withoutAllinpay(text) : text;
};
const ids = { session: openSession(bodyOf("O")), zvSession: openSession(bodyOf("Z")), closed: openSession(bodyOf("Z")) };
reply("session.close", JSON.stringify({ session: ids.closed }));
const substitute = (s) => s.replace(/"\$(session|zvSession|closed)"/g, (_m, k) => JSON.stringify(ids[k]));

const strictBound = process.env.HARDENING_WASM_STRICT === "1";
let cases = 0, failed = 0, skipped = 0, over = 0, slowest = 0, slowName = "";
for (const e of entries) {
  if (e.head[0] !== "T") continue;
  const [, name, method, fullCode, fullField] = e.head;
  let text;
  try {
    text = strict.decode(e.body);
  } catch {
    skipped++;
    continue;
  }
  const [code, field] = expected(method, text, fullCode, fullField);
  cases++;
  const t0 = performance.now(), c0 = process.cpuUsage();
  let env;
  try {
    env = reply(method, substitute(text));
  } catch (err) {
    console.log(`FAIL ${name}: ${err.message}`);
    failed++;
    continue;
  }
  const took = performance.now() - t0;
  const cpu = (({ user, system }) => (user + system) / 1000)(process.cpuUsage(c0));
  if (took > slowest) [slowest, slowName] = [took, name];
  const got = env.ok ? "OK" : env.error && env.error.code;
  const gotField = env.ok ? "" : env.error.field || "-";
  let why = "";
  if (got === "INTERNAL" || got !== code) why = `want ${code}, got ${JSON.stringify(env).slice(0, 300)}`;
  else if (got !== "OK" && field !== "*" && field !== gotField && !(field.endsWith("*") && gotField.startsWith(field.slice(0, -1)))) why = `want field ${field}, got ${gotField}`;
  else if (env.ok === (env.error !== undefined) || (env.ok && typeof env.result !== "object")) why = "not an envelope";
  else if (took > 1000 && cpu > 1000) {
    console.log(`OVER BOUND ${name} (${method}): took ${took.toFixed(0)} ms (${cpu.toFixed(0)} ms CPU), over the bound of 1000 ms`);
    over++;
    if (strictBound) why = "over the time bound";
  }
  if (why) {
    console.log(`FAIL ${name} (${method}): ${why}`);
    failed++;
  }
}
console.log(`catalogue through the WebAssembly module (${ck.variant} variant): ${cases} cases, ${failed} failed, ${skipped} skipped (not UTF-8), ${over} over the 1 s bound; slowest ${slowName} ${slowest.toFixed(0)} ms`);
ck.close?.();
process.exit(failed || cases < 150 ? 1 : 0);
