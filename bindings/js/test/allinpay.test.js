// The Allinpay lifecycle from JavaScript against the sandbox (replies signed
// sdk+md5, its default): a coupon issued, looked up (couponQuery) and redeemed
// (couponConsume), each built with a .request method, posted with fetch and
// parsed with a .response method; the redemption repeated with the same
// orderId answers the first result; allinpay.diagnose on a sandbox reply and
// on the seed page's reply (whose platform key we do not have).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { load, CouponKitError } from "../src/index.js";
import { allinpay, platformPub, repoFile, startSandbox } from "./helpers.js";

let sb, ck, s;

before(async () => {
  sb = await startSandbox();
  ck = await load();
  s = ck.openSession({ allinpay: { ...allinpay, gatewayUrl: `${sb.url}/allinpay/gateway` } });
});

after(async () => {
  await ck?.close();
  sb?.stop();
});

async function post(req) {
  const res = await fetch(req.url, { method: "POST", headers: { "content-type": req.contentType }, body: req.body });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.text();
}

test("couponQuery, couponConsume, the orderId repeated; the passwd only in the body", async () => {
  const sent = s.parseCouponSendResponse(await post(s.couponSendRequest({ shopId: "1", operUserId: "page", couponType: "1", num: "1",
    couponTemplateId: "953", idType: "1", memberId: "13800138000", orderId: `page-send-${Date.now()}` })));
  const coupon = sent.list[0].couponNo;
  const q = s.parseCouponQueryResponse(await post(s.couponQueryRequest({ couponNo: coupon })));
  assert.equal(q.couponNo, coupon);
  assert.equal(q.balance, "1.00");
  assert.equal(q.verifiedBy, "sdk+md5");
  assert.match(q.keyFingerprint, /^[0-9a-f]{64}$/);
  const params = { shopId: 1, operUserId: "page", orderId: `page-consume-${Date.now()}`,
    couponConsumeList: [{ couponNo: coupon, consumeAmount: 1, passwd: "ZW5jcnlwdGVk" }] };
  const req = s.couponConsumeRequest(params);
  assert.equal(JSON.parse(new URLSearchParams(req.body).get("bizContent")).couponConsumeList[0].passwd, "ZW5jcnlwdGVk");
  assert.ok(!JSON.stringify({ ...req, body: "" }).includes("ZW5jcnlwdGVk"), "the passwd outside the body");
  const c = s.parseCouponConsumeResponse(await post(req));
  assert.equal(c.couponConsumeDetail[0].couponNo, coupon);
  assert.equal(c.couponConsumeDetail[0].financeList[0].accountValue, "1.00");
  const again = s.parseCouponConsumeResponse(await post(s.couponConsumeRequest(params)));
  assert.equal(again.tranNo, c.tranNo);
  assert.equal(s.parseCouponQueryResponse(await post(s.couponQueryRequest({ couponNo: coupon }))).balance, "0.00");
  assert.throws(() => s.couponConsumeRequest({ ...params, couponConsumeList: [{ couponNo: coupon, consumeAmount: "1.5", passwd: "ZW5jcnlwdGVk" }] }),
    (e) => e instanceof CouponKitError && e.field === "params.couponConsumeList[0].consumeAmount" && !e.message.includes("ZW5jcnlwdGVk"));
});

test("diagnose: a sandbox reply names its variant; the seed reply without its key shows the contents", async () => {
  const req = s.couponQueryRequest({ couponNo: "390962138708451328" });
  const body = await post(req);
  const d = s.diagnose(body, req.body);
  assert.equal(d.verifyMode, "sdk+md5");
  assert.deepEqual(d.variants.map((v) => [v.variant, v.verified]),
    [["sdk+md5", true], ["sdk+direct", false], ["raw+direct", false], ["raw+md5", false]]);
  assert.match(d.conclusion, /set verifyMode "sdk\+md5"/);
  assert.equal(d.request.method, "allinpay.shopoint.couponService.couponQuery");
  assert.equal(ck.diagnose({ body, platformPublicKey: [platformPub] }).verifiedBy, "sdk+md5");
  const seed = ck.diagnose({ body: repoFile("testdata/allinpay/seed002_response.json") });
  assert.equal(seed.verified, false);
  assert.equal(seed.signLooksLike, "RSA-1024");
  assert.match(seed.conclusion, /^No platform public key was given/);
});
