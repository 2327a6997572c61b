// The JS binding against the real .wasm: loading from every source, the
// typed helpers (happy and error paths), errors, 18-digit ids, independent
// checks of the signatures with Node's crypto, and close().
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createHmac, createSign, createVerify } from "node:crypto";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { load, CouponKit, CouponKitError, CouponKitClosedError, toRequestJSON } from "../src/index.js";
import { wasmPath, pkgDir, zvcms, allinpay, stamp, merchantPub, platformKey, slim, variant, noAllinpay } from "./helpers.js";

let ck;
let session;
before(async () => {
  ck = await load(wasmPath);
  session = ck.openSession(slim ? { zvcms } : { zvcms, allinpay });
});
after(async () => {
  await ck.close();
});

// expectError runs fn and checks the CouponKitError it throws.
function expectError(fn, want) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof CouponKitError, `not a CouponKitError: ${e}`);
    assert.ok(e instanceof Error);
    for (const [k, v] of Object.entries(want)) assert.equal(e[k], v, `error.${k}`);
    return true;
  });
}

test("load accepts a path, file URL, Buffer, ArrayBuffer, Module, Response and the default", async () => {
  const bytes = readFileSync(wasmPath);
  const sources = [
    wasmPath,
    pathToFileURL(wasmPath),
    pathToFileURL(wasmPath).href,
    bytes,
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    new Uint8Array(bytes),
    await WebAssembly.compile(bytes),
    new Response(bytes, { headers: { "content-type": "application/wasm" } }),
    Promise.resolve(new Response(bytes)),
    slim ? { variant } : undefined,
  ];
  for (const src of sources) {
    const m = await load(src);
    assert.ok(m instanceof CouponKit);
    assert.equal(m.invoke("version").version, m.version);
    assert.equal(m.variant, variant);
    await m.close();
  }
  await assert.rejects(load(42), TypeError);
  await assert.rejects(load(new Response("nope", { status: 404 })), /HTTP 404/);
});

test("the module reports its version, Go version and methods", async () => {
  const build = JSON.parse(await readFile(path.join(pkgDir, "dist", "build.json"), "utf8"));
  assert.match(ck.version, /^\d+\.\d+\.\d+/);
  assert.equal(ck.goVersion, build.go, "goVersion is the Go that built the module");
  const methods = ck.methods();
  assert.deepEqual(methods, [...methods].sort());
  for (const m of ["version", "session.open", "zvcms.verifyCoupons.request", "discount.quote", ...(slim ? [] : ["allinpay.couponSend.request"])]) {
    assert.ok(methods.includes(m), m);
  }
});

test("dist/wasm_exec.js is the one of the Go that built the module, unmodified", async () => {
  const build = JSON.parse(await readFile(path.join(pkgDir, "dist", "build.json"), "utf8"));
  const shipped = await readFile(path.join(pkgDir, "dist", "wasm_exec.js"));
  const { execFileSync } = await import("node:child_process");
  assert.ok(!path.isAbsolute(build.wasmExec), `build.json names wasm_exec.js by a machine path: ${build.wasmExec}`);
  const goroot = execFileSync(process.env.GO || "go", ["env", "GOROOT"], { encoding: "utf8" }).trim();
  const original = await readFile(path.join(goroot, build.wasmExec));
  assert.ok(shipped.equals(original), `dist/wasm_exec.js differs from ${build.wasmExec}`);
});

test("zvcms token equals an independent HMAC-SHA1 computed with Node's crypto", () => {
  const r = session.token(stamp);
  const content = `grantCode=${zvcms.grantCode}&nonce=${stamp.nonce}&openId=${zvcms.openId}&timestamp=${stamp.timestamp}`;
  const want = encodeURIComponent(createHmac("sha1", zvcms.openKey).update(content).digest("base64"));
  assert.equal(r.signContent, content);
  assert.equal(r.token, want);
  // without a stamp the module's clock and a random nonce are used
  const now = session.token();
  assert.match(now.nonce, /^[1-9]\d*$/);
  assert.ok(Math.abs(Number(now.timestamp) - Date.now() / 1000) < 300);
});

test("verifyCouponsRequest keeps 18-digit ids exact (strings, BigInt) and signs the body", () => {
  const r = session.verifyCouponsRequest({
    bizId: "order-1",
    customerId: "9007199254740993",
    couponsCardList: ["390962138708451328", 390962138708451329n],
    amount: "500",
    orderAmount: 2600,
  }, stamp);
  assert.equal(r.url, zvcms.baseUrl);
  assert.equal(r.contentType, "application/json");
  const body = JSON.parse(r.body);
  assert.equal(body.Action, "communal.user.coupons-vertify");
  assert.equal(body.Token, session.token(stamp).token);
  assert.equal(body.Params.customerId, "9007199254740993");
  assert.deepEqual(body.Params.couponsCardList, ["390962138708451328", "390962138708451329"]);
  assert.equal(body.Params.amount, "500");
  assert.equal(body.Params.orderAmount, "2600");
  // the raw text carries the digits too (not a float's 9007199254740992)
  assert.ok(r.body.includes('"9007199254740993"'));
});

test("an integer beyond 2^53 is refused before it reaches the module", () => {
  expectError(() => session.verifyCouponsRequest({ bizId: "b", customerId: 9007199254740993, couponsCardList: ["1"] }),
    { code: "INVALID_ARGUMENT", field: "params.customerId" });
  expectError(() => ck.invoke("discount.quote", { lines: [{ id: "a", quantity: 1, unitPrice: Infinity }] }),
    { code: "INVALID_ARGUMENT", field: "lines[0].unitPrice" });
  assert.equal(toRequestJSON({ id: 12345678901234567890n }), '{"id":"12345678901234567890"}');
});

test("an 18-digit number in a vendor reply comes back as the exact string", () => {
  const body = '{"status":true,"code":0,"message":"","data":{"bizId":9007199254740993,"cardIdList":[390962138708451328],' +
    '"userInfo":{"customer_id":383933091455959041}}}';
  const r = ck.parseVerifyCouponsResponse(body);
  assert.equal(r.bizId, "9007199254740993");
  assert.deepEqual(r.cardIdList, ["390962138708451328"]);
  assert.equal(r.userInfo.customerId, "383933091455959041");
  assert.equal(r.data.bizId, "9007199254740993");
});

test("verifyCouponsRequest errors carry code and field", () => {
  expectError(() => session.verifyCouponsRequest({ bizId: "b", couponsCardList: ["1"] }, stamp),
    { code: "INVALID_ARGUMENT", field: "params.customerId", method: "zvcms.verifyCoupons.request" });
  expectError(() => session.verifyCouponsRequest({ bizId: "b", customerId: "1", couponsCardList: ["1", "2"], useCount: 1 }),
    { code: "INVALID_ARGUMENT" });
});

test("couponDiscountRequest sends yuan prices and refuses three decimals", () => {
  const r = session.couponDiscountRequest({
    user_coupon_id: "390962138708451328", user_id: "383933091455959041", multi_mark: "SH0001",
    items: [{ num: 2, trade_mark: "6901234567001", price: "12.50" }, { num: 1, trade_mark: "6901234567002", price: "3" }],
  }, stamp);
  const body = JSON.parse(r.body);
  assert.equal(body.Action, "user.user-by-coupon");
  assert.deepEqual(body.Params.items[0], { num: "2", trade_mark: "6901234567001", price: "12.50" });
  expectError(() => session.couponDiscountRequest({ user_coupon_id: "1", user_id: "2", items: [{ num: 1, trade_mark: "a", price: "1.005" }] }),
    { code: "INVALID_ARGUMENT", field: "params.items[0].price" });
});

test("zvcmsRequest signs any action; a missing action is an error", () => {
  const r = session.zvcmsRequest("user.coupon-new-status", { customerId: "383933091455959041" }, stamp);
  assert.equal(JSON.parse(r.body).Action, "user.coupon-new-status");
  expectError(() => session.zvcmsRequest("", {}, stamp), { code: "INVALID_ARGUMENT", field: "action" });
});

test("zvcms reply parsers: typed results, API_ERROR and SYSTEM_ERROR with the vendor's code and message", () => {
  const d = ck.parseCouponDiscountResponse('{"status":"true","code":"0","message":"","data":{"coupon_discount":"5","goods_item":' +
    '[{"trade_mark":"6901234567001","coupon_minus":"4.46"},{"trade_mark":"6901234567002","coupon_minus":"0.54"}]}}');
  assert.equal(d.couponDiscountYuan, "5.00");
  assert.equal(d.couponDiscountFen, "500");
  assert.deepEqual(d.goodsItems.map((g) => g.couponMinusFen), ["446", "54"]);
  expectError(() => ck.parseVerifyCouponsResponse('{ "status": true, "code": "40004", "message": "查询的信息不存在" }'),
    { code: "API_ERROR", vendorStatus: "true", vendorCode: "40004", vendorMessage: "查询的信息不存在",
      message: "API_ERROR: the vendor reported a business error (vendor code 40004, message 查询的信息不存在)" });
  expectError(() => ck.parseZvcmsResponse('{"status":false,"code":"500","message":"系统错误"}'),
    { code: "SYSTEM_ERROR", vendorCode: "500", vendorMessage: "系统错误",
      message: "SYSTEM_ERROR: the vendor reported a system error (vendor code 500, message 系统错误)" });
  // A refused Token: the message says what to check, never the values.
  expectError(() => ck.parseZvcmsResponse('{"status":false,"code":"10002","message":"签名错误"}'),
    { code: "SYSTEM_ERROR", vendorCode: "10002", vendorMessage: "签名错误",
      message: "SYSTEM_ERROR: the vendor reported a system error; the Token did not verify: check openKey, openId and grantCode " +
        "(issued together) and the Token key style (tokenKeyStyle) (vendor code 10002, message 签名错误)" });
  expectError(() => ck.parseZvcmsResponse("<html>"), { code: "RESPONSE_INVALID" });
});

test("couponSendRequest: the sign verifies with the merchant public key in Node's crypto", noAllinpay, () => {
  const r = session.couponSendRequest({
    shopId: "1", operUserId: "1", couponType: "1", num: "1", couponTemplateId: "307",
    idType: "1", memberId: "13800138000", orderId: "send-0001",
  }, { timestamp: "2020-04-10 16:03:49" });
  assert.equal(r.url, allinpay.gatewayUrl);
  const form = new URLSearchParams(r.body);
  assert.equal(form.get("method"), "allinpay.shopoint.couponService.couponSend");
  assert.equal(form.get("sign"), r.sign);
  // the sign content rebuilt here from the form: sorted, without sign/signType/empty values
  const content = [...form].filter(([k, v]) => k !== "sign" && k !== "signType" && v !== "")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join("&");
  assert.equal(content, r.signContent);
  assert.ok(createVerify("RSA-SHA256").update(content).verify(merchantPub, r.sign, "base64"));
  expectError(() => session.couponSendRequest({ shopId: "1", operUserId: "1", couponType: "1", num: "1", couponTemplateId: "307" }),
    { code: "INVALID_ARGUMENT", field: "params.orderId" });
});

test("allinpayRequest signs any method; a missing method is an error", noAllinpay, () => {
  const r = session.allinpayRequest("allinpay.shopoint.couponService.couponQuery", { couponNo: "496996143645800001" },
    { timestamp: "2020-04-10 16:03:49" });
  assert.ok(createVerify("RSA-SHA256").update(r.signContent).verify(merchantPub, r.sign, "base64"));
  expectError(() => session.allinpayRequest("", {}), { code: "INVALID_ARGUMENT", field: "method" });
});

test("a reply signed by Node's crypto with the platform key verifies; a changed byte does not", noAllinpay, () => {
  const unsigned = '{"code":0,"msg":"成功","data":{"tranNo":"T1","shopName":"沙箱门店","tranDateTime":"2020-04-10 16:03:49",' +
    '"list":[{"templateId":307,"couponName":"满20减5元券","couponNo":"496996143645800001","qrCodeContext":null}]},"reqSeq":"r","respSeq":"s"}';
  const sign = createSign("RSA-SHA256").update(unsigned).sign(platformKey, "base64");
  const body = unsigned.slice(0, -1) + `,"sign":"${sign}"}`;
  const r = session.parseCouponSendResponse(body);
  assert.equal(r.verified, true);
  assert.equal(r.list[0].couponNo, "496996143645800001");
  assert.equal(r.list[0].templateId, "307");
  assert.equal(r.tranDateTime, "2020-04-10 16:03:49");
  expectError(() => session.parseCouponSendResponse(body.replace("T1", "T2")), { code: "SIGNATURE_INVALID", field: "sign" });
  const generic = session.parseAllinpayResponse(body);
  assert.equal(generic.code, "0");
  assert.equal(generic.reqSeq, "r");
});

test("openSession with a bad key throws KEY_ERROR naming the key, never echoing it", noAllinpay, () => {
  expectError(() => ck.openSession({ allinpay: { ...allinpay, privateKey: "not-a-key-SECRET" } }),
    { code: "KEY_ERROR", field: "allinpay.privateKey" });
  try {
    ck.openSession({ allinpay: { ...allinpay, privateKey: "not-a-key-SECRET" } });
  } catch (e) {
    assert.ok(!e.message.includes("SECRET"));
  }
});

test("sessions close; a closed session is INVALID_ARGUMENT", () => {
  const s = ck.openSession({ zvcms });
  assert.match(s.id, /^s_/);
  assert.equal(s.close(), true);
  assert.equal(s.close(), false);
  expectError(() => s.token(stamp), { code: "INVALID_ARGUMENT", field: "session" });
});

test("quote apportions exactly as the engine formats it; errors name the line", () => {
  const q = ck.quote({
    lines: [{ id: "6901234567001", quantity: "2", unitPriceYuan: "12.50" }, { id: "6901234567002", quantity: 1, unitPriceYuan: "3" }],
    coupons: [{ id: "307", kind: "fixed", valueYuan: "5", thresholdYuan: "20" }],
  });
  assert.equal(q.discountFen, "500");
  assert.equal(q.payableYuan, "23.00");
  assert.deepEqual(q.lines.map((l) => l.discountFen), ["446", "54"]);
  assert.deepEqual(q.lines.map((l) => l.payableYuan), ["20.54", "2.46"]);
  expectError(() => ck.quote({ lines: [{ id: "a", quantity: "1", unitPriceYuan: "-1" }] }), { code: "INVALID_ARGUMENT", field: "lines[0].unitPriceYuan" });
});

test("reconcile accepts the vendor's split; without one it is an error", () => {
  const r = ck.reconcile({
    lines: [{ id: "6901234567001", quantity: "2", unitPriceYuan: "12.50" }, { id: "6901234567002", quantity: 1, unitPriceYuan: "3" }],
    coupons: [{ id: "307", kind: "fixed", valueYuan: "5", thresholdYuan: "20" }], coupon: 0,
    server: { couponDiscountYuan: "5", goodsItems: [{ tradeMark: "6901234567001", couponMinusYuan: "4.46" }, { tradeMark: "6901234567002", couponMinusYuan: "0.54" }] },
  });
  assert.equal(r.consistent, true);
  assert.equal(r.amountFen, "500");
  assert.equal(r.orderAmountFen, "2800");
  expectError(() => ck.reconcile({ lines: [{ id: "a", quantity: "1", unitPriceYuan: "1" }] }), { code: "INVALID_ARGUMENT" });
});

test("money helpers", () => {
  assert.deepEqual(ck.toFen("0.125", "half-up"), { fen: "13", yuan: "0.13" });
  assert.deepEqual(ck.toYuan(1250n), { yuan: "12.50", fen: "1250" });
  expectError(() => ck.toFen("0.125"), { code: "INVALID_ARGUMENT", field: "yuan",
    message: "INVALID_ARGUMENT yuan: amount 0.125 has more than two decimals, not a whole number of fen; give rounding (half-up, down or half-even) to round it" });
  expectError(() => ck.toYuan("x"), { code: "INVALID_ARGUMENT", field: "fen" });
});

test("money helpers take the JSON method's request object too", () => {
  // The request of money.toFen / money.toYuan, as invoke takes it, gives the same result.
  for (const req of [{ yuan: "0.125", rounding: "half-up" }, { yuan: "0.125", rounding: "down" }, { yuan: 12.5 }, { yuan: "-1.005", rounding: "half-even", signed: true }]) {
    assert.deepEqual(ck.toFen(req), ck.invoke("money.toFen", req), JSON.stringify(req));
  }
  assert.deepEqual(ck.toFen({ yuan: "0.125", rounding: "half-up" }), { fen: "13", yuan: "0.13" });
  assert.deepEqual(ck.toFen({ yuan: "0.125", rounding: "down" }), { fen: "12", yuan: "0.12" });
  assert.deepEqual(ck.toFen({ yuan: "-1.5", signed: true }), { fen: "-150", yuan: "-1.50" });
  assert.deepEqual(ck.toFen(Object.assign(Object.create(null), { yuan: "3" })), { fen: "300", yuan: "3.00" });
  assert.deepEqual(ck.toYuan({ fen: "1250" }), { yuan: "12.50", fen: "1250" });
  assert.deepEqual(ck.toYuan({ fen: -5n }), { yuan: "-0.05", fen: "-5" });
  assert.deepEqual(ck.toYuan({ fen: 7 }), ck.toYuan(7));
  // The object form is checked by the method itself: a member it does not have is named.
  expectError(() => ck.toFen({ amount: "12.5" }), { code: "INVALID_ARGUMENT", field: "amount", method: "money.toFen",
    message: 'INVALID_ARGUMENT amount: unknown field "amount"; allowed here: yuan, rounding, signed' });
  expectError(() => ck.toFen({ yuan: "0.125" }), { code: "INVALID_ARGUMENT", field: "yuan",
    message: "INVALID_ARGUMENT yuan: amount 0.125 has more than two decimals, not a whole number of fen; give rounding (half-up, down or half-even) to round it" });
  expectError(() => ck.toYuan({ amount: "5" }), { code: "INVALID_ARGUMENT", field: "amount", method: "money.toYuan",
    message: 'INVALID_ARGUMENT amount: unknown field "amount"; allowed here: fen' });
  expectError(() => ck.toFen({ yuan: "0.125" }, "half-up"), { code: "INVALID_ARGUMENT", field: "rounding", method: "money.toFen",
    message: 'INVALID_ARGUMENT rounding: toFen(request) takes the rounding inside the request, as in toFen({ yuan: "0.125", rounding: "half-up" }), not as a second argument; got a string' });
});

test("money helpers refuse other input, naming the argument and what to pass", () => {
  const yuanHint = 'INVALID_ARGUMENT yuan: pass yuan text ("12.50") or a number, as in toFen("12.50") or toFen("0.125", "half-up"), ' +
    'or the money.toFen request, as in toFen({ yuan: "0.125", rounding: "half-up" }); got ';
  const fenHint = 'INVALID_ARGUMENT fen: pass whole fen as text ("1250"), a safe integer or a BigInt, as in toYuan("1250"), ' +
    'or the money.toYuan request, as in toYuan({ fen: "1250" }); got ';
  const refused = [
    [undefined, "undefined"], [null, "null"], [true, "true"], [["12.5"], "an array"], [new Date(0), "a Date object"],
    [new String("12.5"), "a String object"], [() => "12.5", "a function"], [Symbol("12.5"), "a symbol"],
  ];
  for (const [v, kind] of refused) {
    expectError(() => ck.toFen(v), { code: "INVALID_ARGUMENT", field: "yuan", method: "money.toFen", message: yuanHint + kind });
    expectError(() => ck.toYuan(v), { code: "INVALID_ARGUMENT", field: "fen", method: "money.toYuan", message: fenHint + kind });
  }
  expectError(() => ck.toFen(), { code: "INVALID_ARGUMENT", field: "yuan", message: yuanHint + "undefined" });
  expectError(() => ck.toYuan(), { code: "INVALID_ARGUMENT", field: "fen", message: fenHint + "undefined" });
  for (const [v, kind] of [[{ rounding: "half-up" }, "an object"], [1, "a number"], [false, "false"]]) {
    expectError(() => ck.toFen("0.125", v), { code: "INVALID_ARGUMENT", field: "rounding", method: "money.toFen",
      message: `INVALID_ARGUMENT rounding: pass the rounding mode as text, as in toFen("0.125", "half-up"); got ${kind}` });
  }
  // Numbers go to the method as JSON numbers: one JavaScript cannot hold exactly is refused, not rounded.
  expectError(() => ck.toFen(NaN), { code: "INVALID_ARGUMENT", field: "yuan" });
  expectError(() => ck.toFen(2 ** 53), { code: "INVALID_ARGUMENT", field: "yuan",
    message: "INVALID_ARGUMENT yuan: number 9007199254740992 cannot be represented exactly in JavaScript: pass ids and money as strings (or BigInt)" });
  assert.deepEqual(ck.toFen(12.5), { fen: "1250", yuan: "12.50" });
  assert.deepEqual(ck.toFen(12n), { fen: "1200", yuan: "12.00" });
  assert.deepEqual(ck.toFen("1", null), { fen: "100", yuan: "1.00" });
});

test("envelope-level errors: unknown method, invalid JSON, unknown member, too large", () => {
  expectError(() => ck.invoke("no.such", {}), { code: "UNKNOWN_METHOD" });
  expectError(() => ck.invoke("version", "{"), { code: "INVALID_JSON",
    message: "INVALID_JSON: the request is not well-formed JSON: it ends at byte 1, before the JSON text is complete" });
  // The offset counts UTF-8 bytes (券 is three).
  expectError(() => ck.invoke("version", '{"券":1,}'), { code: "INVALID_JSON",
    message: "INVALID_JSON: the request is not well-formed JSON: invalid character '}' looking for beginning of object key string at byte 9 (counted from 0)" });
  expectError(() => ck.invoke("version", { extra: 1 }), { code: "INVALID_ARGUMENT", field: "extra" });
  expectError(() => ck.invoke("money.toFen", `{"yuan":"${"1".repeat(16 << 20)}"}`), { code: "TOO_LARGE" });
  const raw = JSON.parse(ck.invokeRaw("no.such", "{}"));
  assert.equal(raw.ok, false);
  assert.equal(raw.error.code, "UNKNOWN_METHOD");
});

test("sending methods have no transport in the module: TRANSPORT_ERROR unavailable, inline transport options or not", () => {
  const params = { bizId: "b", customerId: "1", couponsCardList: ["1"] };
  expectError(() => ck.invoke("zvcms.verifyCoupons", { session: session.id, params }), { code: "TRANSPORT_ERROR", reason: "unavailable" });
  expectError(() => ck.invoke("zvcms.verifyCoupons", { session: session.id, params, transport: { proxy: "http://10.0.0.1:3128" } }),
    { code: "TRANSPORT_ERROR", reason: "unavailable" });
  expectError(() => ck.invoke("http.send", { url: "https://example.invalid/", transport: { rootCAs: "x" } }), { code: "TRANSPORT_ERROR", reason: "unavailable" });
});

test("openSession refuses transport options: the module has no transport, so they would do nothing", () => {
  for (const transport of [{ proxy: "http://10.0.0.1:3128" }, { rootCAs: "-----BEGIN CERTIFICATE-----" }, {}]) {
    expectError(() => ck.openSession({ zvcms, transport }), { code: "INVALID_ARGUMENT", field: "transport" });
  }
  try {
    ck.openSession({ zvcms, transport: { proxy: "http://till:SECRET@10.0.0.1:3128" } });
  } catch (e) {
    assert.match(e.message, /fetch/);
    assert.ok(!e.message.includes("SECRET"));
  }
});

test("two modules are independent, and close() releases one without touching the other", async () => {
  const a = await load(wasmPath);
  const b = await load(wasmPath);
  const sa = a.openSession({ zvcms });
  expectError(() => b.invoke("zvcms.token", { session: sa.id }), { code: "INVALID_ARGUMENT", field: "session" });
  const exited = a.close();
  assert.equal(a.closed, true);
  await exited; // the Go program of a has returned from main
  assert.throws(() => a.invoke("version"), CouponKitClosedError);
  assert.throws(() => a.methods(), CouponKitClosedError);
  assert.equal(b.invoke("version").version, b.version);
  await b.close();
  await b.close(); // closing twice is harmless
});
