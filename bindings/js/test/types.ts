// Type-checked (never run) by `tsc -p test/tsconfig.json` in make test-wasm:
// the declarations describe the helpers and the method table.
import { load, CouponKitError, type QuoteResult, type ZvcmsRequest, type CouponSendResult } from "couponkit";

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
  try {
    ck.toFen("0.125");
  } catch (e) {
    if (e instanceof CouponKitError) {
      const code: "INVALID_ARGUMENT" | string = e.code;
      console.log(code, e.field, e.vendorCode, e.vendorMessage);
    }
  }
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
  console.log(body, share, payable, no, anything, headers);
  await ck.close();
}
void main;
