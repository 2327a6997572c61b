// quickstart.mjs: price a coupon and redeem it against the local sandbox with
// the npm package (the Go core compiled to WebAssembly). The module signs and
// parses; fetch (Node 18+, or the browser) sends:
//
//   node quickstart.mjs http://127.0.0.1:8080
//
// It prints the discount the sandbox gives and the redemption's bizId.
import { load, CouponKitError } from "couponkit";

const base = process.argv[2] ?? "http://127.0.0.1:8080"; // the sandbox: make sandbox-run
const ck = await load(); // the package's dist/couponkit.wasm
const s = ck.openSession({
  zvcms: { // the sandbox's test credentials
    openId: "6dc05b4ac175cf316d226252b05cf685",
    grantCode: "782c281f62",
    openKey: "sandbox-open-key-TEST-ONLY",
    baseUrl: base + "/api/v2",
  },
});

/** POSTs a built request and returns the reply text. */
async function post(req) {
  const res = await fetch(req.url, { method: "POST", headers: { "content-type": req.contentType }, body: req.body });
  return res.text();
}

const member = "383933091455959041", coupon = "390962138708451328";
try {
  // 1. What does the coupon take off two teas at 12.50 yuan?
  const priced = ck.parseCouponDiscountResponse(await post(s.couponDiscountRequest({
    user_coupon_id: coupon, user_id: member,
    items: [{ num: "2", trade_mark: "6901234567001", price: "12.50" }],
  })));
  console.log(`discount ${priced.couponDiscountYuan} yuan`);

  // 2. Redeem it (核销); amounts in fen. Keep the reply's bizId: a reversal (冲正) needs it.
  const redeemed = ck.parseVerifyCouponsResponse(await post(s.verifyCouponsRequest({
    bizId: "quickstart-1", customerId: member, couponsCardList: [coupon],
    amount: priced.couponDiscountFen, orderAmount: "2500",
  })));
  console.log(`verified bizId ${redeemed.bizId}, coupon ${redeemed.cardIdList[0]}`);
} catch (e) {
  if (!(e instanceof CouponKitError)) throw e;
  console.error("quickstart:", e.code, e.message, e.vendorCode ?? "", e.vendorMessage ?? "");
  process.exitCode = 1;
} finally {
  await ck.close();
}
