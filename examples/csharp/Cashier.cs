// Cashier.cs: a short cashier flow with the C# binding, offline. Run from the
// repository root (`make test-csharp` builds and runs it):
//
//   1. open a session (credentials registered once, shared by every till thread)
//   2. quote a basket with two coupons, exact to the fen
//   3. build the signed zvcms discount (user.user-by-coupon) and verify
//      (coupons-vertify) requests that a POS would POST
//   4. parse the vendor's replies (the seed examples in testdata/zvcms)
//   5. show a vendor error the way a cashier should see it
//
// With SANDBOX_URL set (`make demo-csharp` starts the sandbox and sets it), it
// then runs the same flow online against the sandbox through the library's
// HTTP transport: price a coupon, redeem it, fail to redeem it twice, issue
// a coupon through Allinpay; then the lifecycle: look the coupon up by its
// code, redeem it, see it verified, reverse it (冲正) with the bizId the
// reply returned (the bizId sent, an unknown one and a second reversal are
// refused), see it unused, redeem it again, and resolve a redemption whose
// reply was lost. It exits 1 when a step does not give the expected result.
using System;
using System.Collections.Generic;
using System.IO;
using CouponKit;

internal static class Cashier
{
    private static string Read(string path) { return File.ReadAllText(path); }

    private static void Main()
    {
        Offline();
        string url = Environment.GetEnvironmentVariable("SANDBOX_URL");
        if (!string.IsNullOrEmpty(url)) Environment.Exit(Online(url.TrimEnd('/')) ? 0 : 1);
    }

    /// <summary>The flow against the sandbox; false when a step went wrong.</summary>
    private static bool Online(string url)
    {
        Console.WriteLine("== online, sandbox " + url);
        var zvcms = new ZvcmsCredentials
        {
            OpenId = "6dc05b4ac175cf316d226252b05cf685", GrantCode = "782c281f62",
            OpenKey = "sandbox-open-key-TEST-ONLY", BaseUrl = url + "/api/v2",
            // The sandbox's own reversal Action; the vendor's v2 name is not
            // public: set the one of the merchant's contract.
            ReversalAction = "sandbox.coupons-reverse",
        };
        var allinpay = new AllinpayKeys
        {
            AppId = "sandbox-app-0001", GatewayUrl = url + "/allinpay/gateway",
            PrivateKey = Read("testdata/allinpay/rsa2048_pkcs8.pem"),
            PlatformPublicKey = new List<string> { Read("testdata/sandbox/platform_rsa2048_pub_spki.pem") },
        };
        const string member = "383933091455959041", coupon = "390962138708451328";
        using (var session = new Session(zvcms, allinpay))
        {
            var priced = session.CouponDiscount(new CouponDiscountParams
            {
                UserCouponId = coupon, UserId = member,
                Items = new List<GoodsItem>
                {
                    new GoodsItem { TradeMark = "6901234567001", Num = "2", Price = "12.50" },
                    new GoodsItem { TradeMark = "6901234567002", Num = "1", Price = "3" },
                },
            });
            Console.WriteLine("sandbox priced coupon {0}: -{1} yuan", coupon, priced.CouponDiscountYuan);
            var verify = new VerifyCouponsParams
            {
                BizId = "POS01-" + DateTime.UtcNow.Ticks, CustomerId = member,
                CouponsCardList = new List<string> { coupon },
                Amount = priced.CouponDiscountFen, OrderAmount = "2800",
            };
            var redeemed = session.VerifyCoupons(verify);
            Console.WriteLine("redeemed {0} for {1}; reversal bizId {2}", coupon, redeemed.UserInfo.Username, redeemed.BizId);
            try
            {
                verify.BizId += "-again";
                session.VerifyCoupons(verify);
                Console.WriteLine("FAIL: a used coupon was redeemed twice");
                return false;
            }
            catch (CouponKitException e)
            {
                if (e.Code != ErrorCodes.ApiError) { Console.WriteLine("FAIL: " + e.Message); return false; }
                Console.WriteLine("second redemption refused, cashier sees: " + e.VendorMessage);
            }
            var sent = session.CouponSend(new CouponSendParams
            {
                ShopId = "1", OperUserId = "cashier01", CouponType = "1", Num = "1", CouponTemplateId = "307",
                IdType = "1", MemberId = "13800138000", OrderId = "POS01-SEND-" + DateTime.UtcNow.Ticks,
            });
            Console.WriteLine("Allinpay issued {0} x {1} (verified signature: {2}), tranNo {3}",
                sent.List.Length, sent.List[0].CouponName, sent.Verified, sent.TranNo);
            if (!sent.Verified || sent.List.Length != 1) return false;
            return Lifecycle(session, sent.List[0].CouponNo, sent.List[0].QrCodeContext, url) && AllinpayLifecycle(session);
        }
    }

    /// <summary>Throws unless ok: a step of the flow went wrong.</summary>
    private static void Expect(bool ok, string what)
    {
        if (!ok) throw new InvalidOperationException("FAIL: " + what);
    }

    /// <summary>The vendor's code of a call that must be refused (a business error).</summary>
    private static string Refused(Action call)
    {
        try { call(); }
        catch (CouponKitException e) { if (e.Code == ErrorCodes.ApiError) return e.VendorCode; throw; }
        throw new InvalidOperationException("FAIL: the call was not refused");
    }

    /// <summary>
    /// Lookup by code, verify, status, reversal (冲正) and its errors, status,
    /// verify again, and an in-doubt verify resolved; false when a step went wrong.
    /// </summary>
    private static bool Lifecycle(Session session, string coupon, string qr, string url)
    {
        const string member = "383933091455959041";
        // make demo-csharp starts the sandbox with -reply-bizid own: the reply's bizId is never the one sent.
        bool own = (Environment.GetEnvironmentVariable("SANDBOX_FLAGS") ?? "").Contains("-reply-bizid own");
        try
        {
            string code = qr.Substring(qr.IndexOf("code=", StringComparison.Ordinal) + 5);
            var found = session.OffCoupon(new OffCouponParams { Code = code });
            Expect(found.Id == coupon && found.CouponStatusName == "unused", "lookup by code");
            Console.WriteLine("scanned {0}: coupon {1} {2}, {3} yuan off from {4}, {5}", code, found.Id, found.Coupon.Title,
                found.Coupon.FaceValue, found.Coupon.MinAmountUse, found.CouponStatusName);
            Func<string> useStatus = () => session.CouponStatus(new CouponStatusParams { CustomerId = member, CardId = coupon }).Coupons[0].UseStatus;
            var verify = new VerifyCouponsParams
            {
                BizId = "POS01-LC-" + DateTime.UtcNow.Ticks, CustomerId = member,
                CouponsCardList = new List<string> { coupon }, Amount = "500", OrderAmount = "2800",
            };
            var redeemed = session.VerifyCoupons(verify);
            Expect(own ? redeemed.BizId != verify.BizId && redeemed.BizId.Length == 18 : redeemed.BizId == verify.BizId, "the reply's bizId");
            Expect(useStatus() == "1", "useStatus 1 after the verify");
            Console.WriteLine("redeemed under bizId {0}; the reply's bizId {1}; useStatus 1", verify.BizId, redeemed.BizId);
            Func<string, ReverseParams> reversal = biz => new ReverseParams
            {
                BizId = biz, CouponsCardList = new List<string> { coupon }, Extra = "{\"reason\":\"sale voided\"}",
            };
            if (own)
            {
                string sentCode = Refused(() => session.Reverse(reversal(verify.BizId)));
                Expect(sentCode == "40022", "the bizId sent does not reverse");
                Console.WriteLine("reversal with the bizId sent refused: {0}", sentCode);
            }
            Expect(Refused(() => session.Reverse(reversal("700000000000999999"))) == "40020", "an unknown bizId does not reverse");
            var reversed = session.Reverse(reversal(redeemed.BizId));
            Expect(reversed.BizId == redeemed.BizId && useStatus() == "0", "the reversal returns the coupon");
            Console.WriteLine("reversed {0}: coupon {1} unused again (useStatus 0)", reversed.BizId, reversed.CardIdList[0]);
            Expect(Refused(() => session.Reverse(reversal(redeemed.BizId))) == "40021", "a second reversal is refused");
            verify.BizId += "-2";
            var again = session.VerifyCoupons(verify);
            Expect(useStatus() == "1", "verified again");
            Console.WriteLine("redeemed again under a new bizId, the reply's {0}", again.BizId);

            // A redemption whose reply was lost (the sandbox commits, then drops the connection).
            session.Reverse(reversal(again.BizId));
            verify.BizId += "-lost";
            try
            {
                session.VerifyCoupons(new VerifyCouponsCall
                {
                    Params = verify,
                    Headers = new List<Header> { new Header { Name = "X-Sandbox-Fault", Value = "drop" } },
                });
                Expect(false, "the dropped verify succeeded");
            }
            catch (CouponKitException e)
            {
                Expect(e.Code == ErrorCodes.TransportError, "the dropped verify is a TRANSPORT_ERROR");
                Console.WriteLine("verify {0}: {1} ({2}): outcome unknown", verify.BizId, e.Code, e.Reason);
            }
            var resolved = session.ResolveVerify(verify);
            Expect(resolved.Outcome == "verified" && resolved.Repeated && resolved.Coupons[0].Status == "1" &&
                resolved.BizId == resolved.Verify.BizId, "resolveVerify finds it verified");
            Console.WriteLine("resolveVerify: {0} ({1}), reverse with bizId {2}", resolved.Outcome, resolved.Reason, resolved.BizId);
            return true;
        }
        catch (Exception e)
        {
            Console.WriteLine(e.Message);
            return false;
        }
    }

    /// <summary>
    /// Allinpay: a stored-value coupon looked up (couponQuery) and redeemed
    /// (couponConsume); the redemption repeated with the same orderId answers
    /// the first result. False when a step went wrong.
    /// </summary>
    private static bool AllinpayLifecycle(Session session)
    {
        try
        {
            var sent = session.CouponSend(new CouponSendParams
            {
                ShopId = "1", OperUserId = "cashier01", CouponType = "1", Num = "1", CouponTemplateId = "953",
                IdType = "1", MemberId = "13800138000", OrderId = "POS01-AP-" + DateTime.UtcNow.Ticks,
            });
            string coupon = sent.List[0].CouponNo;
            var found = session.CouponQuery(new CouponQueryParams { CouponNo = coupon });
            Expect(found.CouponNo == coupon && found.Balance == "1.00" && found.VerifiedBy == "sdk+md5" && found.KeyFingerprint.Length == 64,
                "couponQuery: balance 1.00, verified as sdk+md5");
            Console.WriteLine("Allinpay couponQuery {0}: {1}, balance {2} of {3} yuan, verifiedBy {4}", coupon, found.CouponName,
                found.Balance, found.InitAmount, found.VerifiedBy);
            var consume = new CouponConsumeParams
            {
                ShopId = "1", OperUserId = "cashier01", OrderId = "POS01-APC-" + DateTime.UtcNow.Ticks,
                CouponConsumeList = new List<CouponConsumeItem> { new CouponConsumeItem { CouponNo = coupon, ConsumeAmount = "1" } },
            };
            var redeemed = session.CouponConsume(consume);
            Expect(redeemed.CouponConsumeDetail[0].CouponNo == coupon && redeemed.CouponConsumeDetail[0].FinanceList[0].AccountValue == "1.00",
                "couponConsume redeems it");
            var again = session.CouponConsume(consume);
            Expect(again.TranNo == redeemed.TranNo, "the repeated orderId answers the first result");
            Expect(session.CouponQuery(new CouponQueryParams { CouponNo = coupon }).Balance == "0.00", "balance 0.00 after");
            Console.WriteLine("couponConsume orderId {0}: tranNo {1}; repeated: tranNo {2} (redeemed once); balance 0.00",
                consume.OrderId, redeemed.TranNo, again.TranNo);
            return true;
        }
        catch (Exception e)
        {
            Console.WriteLine("FAIL: " + e.Message);
            return false;
        }
    }

    private static void Offline()
    {
        Console.WriteLine("couponkit " + Native.Version + " (C#)");
        var zvcms = new ZvcmsCredentials { OpenId = "6dc05b4ac175cf316d226252b05cf685", GrantCode = "782c281f62", OpenKey = "demo-open-key" };
        using (var session = new Session(zvcms, null))
        {
            // 2. The basket and the coupons the customer shows.
            var quote = Api.Quote(new QuoteRequest
            {
                Lines = new List<QuoteLine>
                {
                    new QuoteLine { Id = "201909280011111", Quantity = "2", UnitPriceYuan = "28.00" },  // 拿铁
                    new QuoteLine { Id = "201909280011112", Quantity = "1", UnitPriceYuan = "16.50" },  // 可颂
                    new QuoteLine { Id = "201909280011113", Quantity = "1", UnitPriceYuan = "3.00" },   // 矿泉水
                },
                Coupons = new List<QuoteCoupon>
                {
                    new QuoteCoupon { Id = "满50减10", Kind = "fixed", ValueYuan = "10", ThresholdYuan = "50" },
                    new QuoteCoupon { Id = "咖啡8.5折", Kind = "rate", Rate = "8.5", Include = new List<string> { "201909280011111" } },
                },
            });
            Console.WriteLine("basket {0} yuan, coupons -{1}, to pay {2}", quote.AmountYuan, quote.DiscountYuan, quote.PayableYuan);
            foreach (var c in quote.Coupons)
                Console.WriteLine("  coupon {0}: -{1}{2}", c.Id, c.DiscountYuan, c.Applied ? "" : " (" + c.Reason + ")");
            foreach (var l in quote.Lines)
                Console.WriteLine("  line {0}: {1} - {2} = {3}", l.Id, l.AmountYuan, l.DiscountYuan, l.PayableYuan);

            // 3. The vendor's own price for a coupon, then the redemption.
            var items = new List<GoodsItem>();
            foreach (var l in quote.Lines)
                items.Add(new GoodsItem { TradeMark = l.Id, Num = l.Quantity, Price = l.UnitPriceYuan });
            var discountReq = session.CouponDiscountRequest(new CouponDiscountParams
            {
                UserCouponId = "390913439370321921", UserId = "383933091455959041", Items = items,
                MultiMark = "aEtGbNNVQ3m1YStlySDB0Q", CouponId = "953", TypeCate = "1",
            });
            Console.WriteLine("POST {0} ({1}, {2} bytes): action {3}", discountReq.Url, discountReq.ContentType,
                System.Text.Encoding.UTF8.GetByteCount(discountReq.Body), discountReq.Action);
            var priced = Api.ParseCouponDiscountResponse(Read("testdata/zvcms/seed001_response.json"));
            Console.WriteLine("vendor priced {0}: -{1} yuan ({2} fen)", priced.UserCouponName, priced.CouponDiscountYuan, priced.CouponDiscountFen);

            var verifyReq = session.VerifyCouponsRequest(new VerifyCouponsParams
            {
                BizId = "POS01-20260101-0001", CustomerId = "383933091455959041",
                CouponsCardList = new List<string> { "390962138708451328" },
                Amount = quote.DiscountFen, OrderAmount = quote.AmountFen,
                Ext = new VerifyExt { ChannelType = "3", MultiStoreMark = "aEtGbNNVQ3m1YStlySDB0Q", OrderNo = "POS01-0001" },
            });
            Console.WriteLine("POST {0}: {1}", verifyReq.Url, verifyReq.Body);

            // 4. The reply: keep its bizId for a reversal (冲正).
            var verified = Api.ParseVerifyCouponsResponse(Read("testdata/zvcms/seed000_response.json"));
            Console.WriteLine("redeemed {0}; reversal bizId {1}", string.Join(",", verified.CardIdList), verified.BizId);

            // 5. A vendor error: show VendorMessage to the cashier, log the rest.
            try
            {
                Api.ParseVerifyCouponsResponse(Read("testdata/zvcms/seed000_error_business.json"));
            }
            catch (CouponKitException e)
            {
                Console.WriteLine("cashier sees: 券核销失败：{0}", e.VendorMessage);
                Console.WriteLine("log: {0} (code {1}, vendor code {2})", e.Message, e.Code, e.VendorCode);
            }
        }
    }
}
