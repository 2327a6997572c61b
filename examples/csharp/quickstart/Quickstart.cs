// Quickstart.cs: price a coupon and redeem it against the local sandbox with
// the C# binding (CouponKit.cs, CouponKit.Generated.cs) and the library's
// HTTP transport (couponkit.dll / libcouponkit.so):
//
//   mono quickstart.exe http://127.0.0.1:8080
//
// It prints the discount the sandbox gives and the redemption's bizId.
using System;
using System.Collections.Generic;
using CouponKit;

internal static class Quickstart
{
    private static int Main(string[] args)
    {
        string baseUrl = args.Length > 0 ? args[0] : "http://127.0.0.1:8080"; // the sandbox: make sandbox-run
        var zvcms = new ZvcmsCredentials // the sandbox's test credentials
        {
            OpenId = "6dc05b4ac175cf316d226252b05cf685", GrantCode = "782c281f62",
            OpenKey = "sandbox-open-key-TEST-ONLY", BaseUrl = baseUrl + "/api/v2",
        };
        const string member = "383933091455959041", coupon = "390962138708451328";
        try
        {
            using (var session = new Session(zvcms, null)) // null: no Allinpay keys
            {
                // 1. What does the coupon take off two teas at 12.50 yuan?
                var priced = session.CouponDiscount(new CouponDiscountParams
                {
                    UserCouponId = coupon, UserId = member,
                    Items = new List<GoodsItem> { new GoodsItem { Num = "2", TradeMark = "6901234567001", Price = "12.50" } },
                });
                Console.WriteLine("discount {0} yuan", priced.CouponDiscountYuan);

                // 2. Redeem it (核销); amounts in fen. Keep the reply's bizId: a reversal (冲正) needs it.
                var redeemed = session.VerifyCoupons(new VerifyCouponsParams
                {
                    BizId = "quickstart-1", CustomerId = member,
                    CouponsCardList = new List<string> { coupon },
                    Amount = priced.CouponDiscountFen, OrderAmount = "2500",
                });
                Console.WriteLine("verified bizId {0}, coupon {1}", redeemed.BizId, redeemed.CardIdList[0]);
            }
            return 0;
        }
        catch (CouponKitException e) // Code, Field, VendorCode, VendorMessage
        {
            Console.Error.WriteLine("quickstart: " + e.Message);
            return 1;
        }
    }
}
