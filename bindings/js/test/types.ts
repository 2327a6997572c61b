// Type-checked (never run) by `tsc -p test/tsconfig.json` in make test-wasm:
// the declarations describe the helpers and the method table.
import {
  load, CouponKitError, type QuoteResult, type ZvcmsRequest, type CouponSendResult, type CouponStatusResult,
  type ResolveVerifyResult, type ReverseResult, type MoneyResult, type ErrorCode, type ErrorDetail,
} from "couponkit";

async function main(): Promise<void> {
  const ck = await load(new URL("https://example.invalid/couponkit.wasm"));
  const session = ck.openSession({ zvcms: { openId: "o", grantCode: "g", openKey: "k" } });
  const req: ZvcmsRequest = session.verifyCouponsRequest(
    { bizId: "b", customerId: "9007199254740993", couponsCardList: ["390962138708451328", 1n], amount: "500", orderAmount: 2600 },
    { timestamp: "1547186244", nonce: "658965" });
  const body: string = req.body;
  const q: QuoteResult = ck.quote({ lines: [{ id: "a", quantity: "2", unitPriceYuan: "12.50" }], coupons: [{ kind: "fixed", valueYuan: "5" }] });
  const share: string = q.lines[0].sharesFen[0];
  const typed = ck.invoke("discount.quote", { lines: [] });
  const payable: string = typed.payableFen;
  const sent: CouponSendResult = session.parseCouponSendResponse("{}");
  const no: string | null = sent.list[0].couponNo;
  const by: string = session.parseCouponQueryResponse("{}").verifiedBy;
  const value: string = session.parseCouponConsumeResponse("{}").couponConsumeDetail[0].financeList[0].accountValue;
  const consumeReq = session.couponConsumeRequest({ shopId: 1, operUserId: "c1", orderId: "o1",
    couponConsumeList: [{ couponNo: "1", consumeAmount: 1, passwd: "x", principalAmt: "1.50" }] });
  const conclusion: string = ck.diagnose({ body: "{}", platformPublicKey: ["k1", "k2"] }).conclusion;
  console.log(by, value, consumeReq.signedText, conclusion, session.diagnose("{}").variants.length);
  try {
    ck.toFen("0.125");
  } catch (e) {
    if (e instanceof CouponKitError) {
      const code: "INVALID_ARGUMENT" | string = e.code;
      console.log(code, e.field, e.vendorCode, e.vendorMessage);
      const closed: ErrorCode = e.detail.code;
      // @ts-expect-error: not an error code of the closed set
      const misspelt: ErrorDetail = { code: "INVALID_ARGUMNT", message: "" };
      console.log(closed, misspelt);
    }
  }
  const fromRequest: MoneyResult = ck.toFen({ yuan: "0.125", rounding: "half-up", signed: false });
  const fromFen: string = ck.toYuan({ fen: 1250n }).yuan;
  // @ts-expect-error: money.toFen has no member amount
  ck.toFen({ amount: "12.5" });
  // @ts-expect-error: with the request object the rounding goes inside it
  ck.toFen({ yuan: "0.125" }, "half-up");
  // @ts-expect-error: not a rounding mode
  ck.toFen("0.125", "up");
  // @ts-expect-error: money.toYuan takes fen
  ck.toYuan({ yuan: "12.50" });
  // @ts-expect-error: a quote line needs a unitPriceYuan
  ck.quote({ lines: [{ id: "a", quantity: 1 }] });
  // @ts-expect-error: a typo in a member name is a compile-time error
  ck.invoke("discount.quote", { lines: [], roundng: "down" });
  // @ts-expect-error: an unknown method is a compile-time error
  ck.invoke("discount.qoute", { lines: [] });
  // @ts-expect-error: a member of the wrong type
  ck.invoke("http.send", { url: "https://x/", idempotent: "yes" });
  const anything: unknown = ck.invokeUntyped("discount.qoute", { roundng: 1 });
  const headers: string[] | undefined = ck.invoke("http.send", { url: "https://x/" }).headers["Set-Cookie"];
  // @ts-expect-error: verifyCoupons params need bizId
  session.verifyCouponsRequest({ couponsCardList: [] });
  const st: CouponStatusResult = ck.parseCouponStatusResponse("{}");
  const use: string = st.coupons[0].useStatus;
  const rev: ZvcmsRequest = session.reverseRequest({ bizId: "7001", couponsCardList: ["390962138708451328"], extra: { reason: "void" } });
  const idem: boolean = session.couponStatusRequest({ customerId: 1n, useStatus: 0 }).idempotent;
  session.consumeRequest({ bizId: "b", customerId: "1", amountFen: 1250, payPassword: "123456" });
  session.offCouponRequest({ code: "20191202089026199489" });
  session.couponDetailRequest({ userCouponCode: "390962138708451328" });
  const reversed: ReverseResult = ck.parseReverseResponse("{}");
  const resolved: ResolveVerifyResult = ck.invoke("zvcms.resolveVerify", { session: session.id, params: { bizId: "b", couponsCardList: ["1"] } });
  const verifiedBizId: string | undefined = resolved.verify?.bizId;
  const why: string | undefined = resolved.error?.code;
  // @ts-expect-error: consume takes amountFen (fen), not the vendor's yuan amount
  session.consumeRequest({ bizId: "b", amount: "12.50" });
  // @ts-expect-error: a status query needs the customerId
  session.couponStatusRequest({ cardId: "1" });
  console.log(body, share, payable, no, anything, headers, use, rev, idem, reversed, verifiedBizId, why, fromRequest, fromFen);
  await ck.close();
}
void main;
