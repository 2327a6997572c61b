// The two module variants (load({variant})) and keyless mode through the JS
// API: a back office (the full module with the keys) issues stamps and signs;
// a page (the variant under test, without keys) builds the same requests.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { load, CouponKitError } from "../src/index.js";
import { pkgDir, zvcms, allinpay, variant, slim, wasmPath, noAllinpay } from "./helpers.js";

const fullPath = path.join(pkgDir, "dist", "couponkit.wasm");
const slimPath = path.join(pkgDir, "dist", "couponkit-zvcms.wasm");
const { openKey, ...keylessZvcms } = zvcms;
const { privateKey, ...keylessAllinpay } = allinpay;

test("load() takes the variant; a module of another variant is refused", async () => {
  for (const [opts, want] of [[undefined, "full"], [{}, "full"], [{ variant: "full" }, "full"], [{ variant: "zvcms" }, "zvcms"]]) {
    const m = await load(opts);
    assert.equal(m.variant, want);
    await m.close();
  }
  const m = await load(slimPath, { variant: "zvcms" });
  assert.equal(m.variant, "zvcms");
  await m.close();
  await assert.rejects(load(fullPath, { variant: "zvcms" }), /the module is the full variant, not the zvcms one/);
  await assert.rejects(load(slimPath, { variant: "full" }), /the module is the zvcms variant, not the full one/);
  await assert.rejects(load({ variant: "slim" }), TypeError);
});

test("the zvcms variant has every method but the Allinpay ones, and refuses those naming itself", async () => {
  const full = await load(fullPath);
  const zv = await load(slimPath);
  assert.deepEqual(zv.methods(), full.methods().filter((m) => !m.startsWith("allinpay.")));
  assert.ok(full.methods().includes("allinpay.sign") && full.methods().includes("allinpay.attachSign"));
  for (const m of full.methods().filter((m) => m.startsWith("allinpay."))) {
    assert.throws(() => zv.invoke(m, {}), (e) => e instanceof CouponKitError && e.code === "UNKNOWN_METHOD" &&
      e.field === "method" && /zvcms variant \(couponkit-zvcms\.wasm/.test(e.message) && /couponkit\.wasm/.test(e.message), m);
  }
  assert.throws(() => zv.invoke("no.such", {}), (e) => e.code === "UNKNOWN_METHOD" && !/variant/.test(e.message));
  assert.throws(() => zv.openSession({ zvcms, allinpay }), (e) => e.code === "INVALID_ARGUMENT" && e.field === "allinpay" && /zvcms variant/.test(e.message));
  // the same answers as the full module for the rest (the golden test checks them all)
  const basket = { lines: [{ id: "a", quantity: "3", unitPriceYuan: "9.99" }], coupons: [{ id: "c", kind: "fixed", valueYuan: "5" }] };
  assert.deepEqual(zv.quote(basket), full.quote(basket));
  assert.deepEqual(zv.toFen("12.5"), full.toFen("12.5"));
  await zv.close();
  await full.close();
});

test("keyless zvcms: a stamp from the back office gives the page the request the openKey gives", async () => {
  const office = await load(fullPath);
  const page = await load(wasmPath);
  const back = office.openSession({ zvcms });
  const front = page.openSession({ zvcms: keylessZvcms });
  const params = { bizId: "order-1", customerId: "383933091455959041", couponsCardList: ["390962138708451328"], amount: "500", orderAmount: 2600 };
  assert.throws(() => front.verifyCouponsRequest(params), (e) => e.code === "INVALID_ARGUMENT" && e.field === "stamp");
  assert.throws(() => front.token(), (e) => e.code === "KEY_ERROR" && e.field === "session");
  const stamp = back.issueStamp();
  assert.deepEqual(Object.keys(stamp).sort(), ["nonce", "timestamp", "token"]);
  const got = front.verifyCouponsRequest(params, stamp);
  const want = back.verifyCouponsRequest(params, { timestamp: stamp.timestamp, nonce: stamp.nonce });
  assert.deepEqual(got, want);
  assert.equal(JSON.parse(got.body).Token, back.token(stamp).token);
  assert.ok(!JSON.stringify(got).includes(openKey));
  await page.close();
  await office.close();
});

test("keyless Allinpay: the page's signContent, signed by the back office, gives the body the private key gives", noAllinpay, async () => {
  const office = await load(fullPath);
  const page = await load(wasmPath);
  const back = office.openSession({ allinpay });
  const front = page.openSession({ allinpay: keylessAllinpay });
  const params = { shopId: "1", operUserId: "1", couponType: "1", num: "1", couponTemplateId: "307", orderId: "send-0001" };
  const timestamp = "2020-04-10 16:03:49";
  const unsigned = front.couponSendRequest(params, { timestamp });
  assert.equal(unsigned.unsigned, true);
  assert.equal(unsigned.body, "");
  assert.equal(unsigned.sign, "");
  const { sign, signContent } = back.sign(unsigned);
  assert.equal(signContent, unsigned.signContent);
  assert.equal(back.sign(unsigned.signContent).sign, sign);
  assert.equal(back.sign(unsigned.params).sign, sign);
  const signed = back.couponSendRequest(params, { timestamp });
  assert.deepEqual(front.attachSign(unsigned, sign), signed);
  assert.deepEqual(front.couponSendRequest(params, { timestamp, sign }), signed);
  assert.ok(!JSON.stringify(unsigned).includes(privateKey.split("\n")[1]));
  await page.close();
  await office.close();
});

test("the variant under test is the one the tests load", async () => {
  const m = await load(wasmPath);
  assert.equal(m.variant, variant);
  assert.equal(slim, variant === "zvcms");
  await m.close();
});
