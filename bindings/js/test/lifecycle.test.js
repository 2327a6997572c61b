// The coupon lifecycle from JavaScript against the sandbox (returning bizIds
// of its own): the module has no transport, so every step is built with a
// .request method, posted with fetch and parsed with a .response method, as
// a cashier page does. Lookup by code → verify → status 1 → reversal (冲正)
// with the RETURNED bizId (the sent one, an unknown one and a second
// reversal refused with the sandbox's documented codes) → status 0 → verify
// again; and an in-doubt verify resolved by hand (docs/reversal.md).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { load, CouponKitError } from "../src/index.js";
import { zvcms, startSandbox, wasmPath } from "./helpers.js";

const member = "383933091455959041";
const coupon = "390962138708451328"; // the seed's unused coupon, code 100000000001
let sb, ck, s;

before(async () => {
  sb = await startSandbox(["-reply-bizid", "own"]);
  ck = await load(wasmPath);
  // reversalAction: the sandbox's own name; the vendor's v2 name is not
  // public, a page sets the one of the merchant's contract.
  s = ck.openSession({ zvcms: { ...zvcms, baseUrl: `${sb.url}/api/v2`, reversalAction: "sandbox.coupons-reverse" } });
});

after(async () => {
  await ck?.close();
  sb?.stop();
});

// post sends a built request and returns the reply text; fault is the
// sandbox's X-Sandbox-Fault header (a real page sends none).
async function post(req, fault) {
  const headers = { "content-type": req.contentType };
  if (fault) headers["X-Sandbox-Fault"] = fault;
  const res = await fetch(req.url, { method: "POST", headers, body: req.body });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.text();
}

// refused returns the vendor's code of a reply that must be a business error.
function refused(parse) {
  try {
    parse();
  } catch (e) {
    assert.ok(e instanceof CouponKitError, String(e));
    assert.equal(e.code, "API_ERROR", e.message);
    return e.vendorCode;
  }
  assert.fail("not refused");
}

async function useStatus(id) {
  const r = ck.parseCouponStatusResponse(await post(s.couponStatusRequest({ customerId: member, cardId: id })));
  assert.equal(r.coupons.length, 1);
  return r.coupons[0].useStatus;
}

const verifyParams = (bizId, id = coupon) => ({ bizId, customerId: member, couponsCardList: [id], amount: "500", orderAmount: "2800" });
const reversal = (bizId) => s.reverseRequest({ bizId, couponsCardList: [coupon], extra: { reason: "整单撤销" } });

test("lookup by code, verify, reversal with the returned bizId, verify again", async () => {
  const found = ck.parseOffCouponResponse(await post(s.offCouponRequest({ code: "100000000001" })));
  assert.equal(found.id, coupon);
  assert.equal(found.couponStatusName, "unused");
  assert.equal(found.coupon.faceValue, "5.00");
  const q = s.couponStatusRequest({ customerId: member, cardId: coupon });
  assert.equal(q.idempotent, true, "a status query may be retried");

  const sent = `page-${Date.now()}`;
  const vreq = s.verifyCouponsRequest(verifyParams(sent));
  assert.equal(vreq.idempotent, false, "a verify is never retried");
  const v = ck.parseVerifyCouponsResponse(await post(vreq));
  assert.notEqual(v.bizId, sent, "the sandbox returns its own bizId");
  assert.match(v.bizId, /^7\d{17}$/);
  assert.equal(await useStatus(coupon), "1");

  const sentReply = await post(reversal(sent));
  assert.equal(refused(() => ck.parseReverseResponse(sentReply)), "40022", "the bizId sent");
  const unknownReply = await post(reversal("700000000000999999"));
  assert.equal(refused(() => ck.parseReverseResponse(unknownReply)), "40020", "an unknown bizId");
  const rreq = reversal(v.bizId);
  assert.equal(rreq.action, "sandbox.coupons-reverse");
  assert.equal(rreq.idempotent, false);
  const r = ck.parseReverseResponse(await post(rreq));
  assert.equal(r.bizId, v.bizId);
  assert.deepEqual(r.cardIdList, [coupon]);
  assert.equal(await useStatus(coupon), "0");
  const twice = await post(reversal(v.bizId));
  assert.equal(refused(() => ck.parseReverseResponse(twice)), "40021", "a second reversal");

  const v2 = ck.parseVerifyCouponsResponse(await post(s.verifyCouponsRequest(verifyParams(`${sent}-2`))));
  assert.notEqual(v2.bizId, v.bizId);
  assert.equal(await useStatus(coupon), "1");
  ck.parseReverseResponse(await post(reversal(v2.bizId))); // leave the coupon unused
});

test("an in-doubt verify resolved by hand: status, then the repeat with the same bizId", async () => {
  const bizId = `page-lost-${Date.now()}`;
  // The sandbox commits the verify, then drops the connection: no reply.
  await assert.rejects(post(s.verifyCouponsRequest(verifyParams(bizId)), "drop"));
  // 1. Ask the state (a query, safe to repeat).
  const state = await useStatus(coupon);
  assert.equal(state, "1");
  // 2. Every coupon is 0 or 1: repeat the verify with the same bizId.
  const again = ck.parseVerifyCouponsResponse(await post(s.verifyCouponsRequest(verifyParams(bizId))));
  assert.match(again.bizId, /^7\d{17}$/, "verified: reverse with this bizId");
  // Another till's repeat under another bizId is refused: not verified.
  const other = await post(s.verifyCouponsRequest(verifyParams(`${bizId}-other-till`)));
  assert.equal(refused(() => ck.parseVerifyCouponsResponse(other)), "40010");
  // The one-call method needs the transport the module does not have.
  assert.throws(() => ck.invoke("zvcms.resolveVerify", { session: s.id, params: verifyParams(bizId) }),
    (e) => e instanceof CouponKitError && e.code === "TRANSPORT_ERROR" && e.reason === "unavailable");
  ck.parseReverseResponse(await post(reversal(again.bizId)));
  assert.equal(await useStatus(coupon), "0");
});

test("consume: coupons with balance, amountFen sent as yuan, the password only in the body", async () => {
  const req = s.consumeRequest({ bizId: `page-consume-${Date.now()}`, customerId: member, couponsCardList: [coupon],
    amountFen: 1250, points: 100, payPassword: "123456" });
  const body = JSON.parse(req.body);
  assert.equal(body.Params.amount, "12.50");
  assert.equal(body.Params.payPassword, "123456");
  const c = ck.parseConsumeResponse(await post(req));
  assert.match(c.bizId, /^7\d{17}$/);
  assert.ok(!JSON.stringify(c).includes("123456"));
  const r = ck.parseReverseResponse(await post(s.reverseRequest({ bizId: c.bizId })));
  assert.equal(r.bizId, c.bizId);
  assert.throws(() => s.consumeRequest({ bizId: "b", customerId: member, amountFen: "12.50", payPassword: "123456" }),
    (e) => e.code === "INVALID_ARGUMENT" && e.field === "params.amountFen" && !e.message.includes("123456"));
});
