// CouponKitTests.cs: tests of the C# binding against the real library
// (build/libcouponkit.so under Mono), run by `make test-csharp` from the
// repository root. C# 5 only, like the binding. Prints one line per failure
// and a closing "N passed, N failed"; exits 1 on any failure.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using CouponKit;

internal static class CouponKitTests
{
    private static int passed, failed;

    // Seed 000's credentials; the openKey is a test value (the seed's is not published).
    private const string OpenId = "6dc05b4ac175cf316d226252b05cf685";
    private const string GrantCode = "782c281f62";
    private const string OpenKey = "test-open-key-不公开";
    private const string CouponId = "390962138708451328";   // above 2^53
    private const string CustomerId = "383933091455959041";

    private static void Check(bool ok, string what)
    {
        if (ok) { passed++; return; }
        failed++;
        Console.WriteLine("FAIL: " + what);
    }

    private static void Eq(string what, object want, object got)
    {
        Check(Equals(want, got), what + ": want [" + want + "], got [" + got + "]");
    }

    /// <summary>Runs a, which must throw a CouponKitException; returns it (or null after recording a failure).</summary>
    private static CouponKitException Throws(string what, Action a)
    {
        try { a(); }
        catch (CouponKitException e) { passed++; return e; }
        catch (Exception e) { failed++; Console.WriteLine("FAIL: " + what + ": threw " + e.GetType().Name + ": " + e.Message); return null; }
        failed++;
        Console.WriteLine("FAIL: " + what + ": no exception");
        return null;
    }

    private static void ErrorIs(string what, string code, string field, Action a)
    {
        var e = Throws(what, a);
        if (e == null) return;
        Eq(what + " code", code, e.Code);
        if (field != null) Eq(what + " field", field, e.Field);
        Check(e.Message.StartsWith(code), what + ": message starts with the code: " + e.Message);
    }

    private static void Run(string name, Action test)
    {
        int f0 = failed;
        var sw = Stopwatch.StartNew();
        try { test(); }
        catch (Exception e) { failed++; Console.WriteLine("FAIL: " + name + ": unexpected " + e); }
        Console.WriteLine((failed == f0 ? "ok   " : "FAIL ") + name + " (" + sw.ElapsedMilliseconds + " ms)");
    }

    private static string Fixture(string path)
    {
        return File.ReadAllText(path, Encoding.UTF8);
    }

    private static ZvcmsCredentials Zv()
    {
        return new ZvcmsCredentials { OpenId = OpenId, GrantCode = GrantCode, OpenKey = OpenKey };
    }

    private static AllinpayKeys Ap()
    {
        return new AllinpayKeys
        {
            AppId = "test-app-0001",
            PrivateKey = Fixture("testdata/allinpay/rsa2048_pkcs8.pem"),
            PlatformPublicKey = new List<string> { Fixture("testdata/sandbox/platform_rsa2048_pub_spki.pem") },
            GatewayUrl = "http://127.0.0.1:9/gateway",
        };
    }

    private static VerifyCouponsParams Verify(string bizId)
    {
        return new VerifyCouponsParams
        {
            BizId = bizId, CustomerId = CustomerId,
            CouponsCardList = new List<string> { CouponId },
            Amount = "500", OrderAmount = "2600",
            Ext = new VerifyExt { ChannelType = "3", MultiStoreMark = "aEtGbNNVQ3m1YStlySDB0Q" },
        };
    }

    /// <summary>The zvcms token computed independently with .NET's HMACSHA1.</summary>
    private static string ExpectedToken(string timestamp, string nonce)
    {
        string content = "grantCode=" + GrantCode + "&nonce=" + nonce + "&openId=" + OpenId + "&timestamp=" + timestamp;
        using (var h = new HMACSHA1(Encoding.UTF8.GetBytes(OpenKey)))
            return Uri.EscapeDataString(Convert.ToBase64String(h.ComputeHash(Encoding.UTF8.GetBytes(content))));
    }

    /// <summary>A member of a JSON object as raw text (null when absent).</summary>
    private static string Member(string json, string name)
    {
        string found = null;
        Json.Members(json, delegate(string n, string raw) { if (n == name) found = raw; });
        return found;
    }

    /// <summary>Nesting: MaxDepth levels read, one more or a million a FormatException (not a stack overflow).</summary>
    private static void TestJsonReader()
    {
        int n = JsonReader.MaxDepth - 2;
        string ok = new string('[', n) + "{\"k\":[]}" + new string(']', n);
        Eq("MaxDepth levels read", ok, new JsonReader(ok).ReadText());
        string deep = "[" + ok + "]";
        foreach (string bad in new[] { deep, new string('[', 1000000) })
        {
            try { new JsonReader(bad).ReadText(); Check(false, "nesting of " + bad.Length + ": no FormatException"); }
            catch (FormatException e) { Check(e.Message.Contains("nested more than 256 levels"), "nesting of " + bad.Length + ": " + e.Message); }
        }
        try { new JsonReader("\"\\u12\"").ReadString(); Check(false, "short \\u escape: no FormatException"); }
        catch (FormatException e) { Check(e.Message.Contains("short \\u escape"), "short \\u escape: " + e.Message); }
        int members = 0;
        Json.Members("{\"a\":" + ok + ",\"b\":1}", delegate { members++; });
        Eq("members beside a deep value", 2, members);
    }

    private static void Main()
    {
        Run("json reader", TestJsonReader);
        Run("version", TestVersion);
        Run("verify request", TestVerifyRequest);
        Run("discount request", TestDiscountRequest);
        Run("couponSend request", TestCouponSendRequest);
        Run("keyless (back office and page)", TestKeyless);
        Run("verify reply", TestVerifyReply);
        Run("discount reply", TestDiscountReply);
        Run("couponSend reply", TestCouponSendReply);
        Run("lifecycle requests", TestLifecycleRequests);
        Run("lifecycle replies", TestLifecycleReplies);
        Run("allinpay lifecycle and diagnose", TestAllinpayLifecycle);
        Run("quote", TestQuote);
        Run("error kinds", TestErrorKinds);
        Run("chinese", TestChinese);
        Run("session", TestSession);
        Run("threads", TestThreads);
        Run("memory", TestMemory);
        Console.WriteLine(passed + " passed, " + failed + " failed");
        Environment.Exit(failed == 0 ? 0 : 1);
    }

    private static void TestVersion()
    {
        string v = Native.Version;
        Check(v.Length > 0 && v.Split('.').Length == 3, "version looks like x.y.z: " + v);
        Eq("version method", Json.Quote(v), Member(Native.Invoke("version", "{}"), "version"));
    }

    private static void TestVerifyRequest()
    {
        using (var s = new Session(Zv(), null))
        {
            var r = s.VerifyCouponsRequest(Verify("POS-0001"), "1547186244", "658965");
            Eq("url", "http://openapi.zvcms.com/api/v2", r.Url);
            Eq("contentType", "application/json", r.ContentType);
            Eq("action", "communal.user.coupons-vertify", r.Action);
            Eq("token (independent HMAC-SHA1)", ExpectedToken("1547186244", "658965"), r.Token);
            Eq("timestamp", "1547186244", r.Timestamp);
            Eq("nonce", "658965", r.Nonce);
            string p = Member(r.Body, "Params");
            Eq("body Token", Json.Quote(r.Token), Member(r.Body, "Token"));
            Eq("body couponsCardList: the 18-digit id as a string", "[\"" + CouponId + "\"]", Member(p, "couponsCardList"));
            Eq("body customerId", "\"" + CustomerId + "\"", Member(p, "customerId"));
            Eq("body amount (fen)", "\"500\"", Member(p, "amount"));
            Eq("body ext.channelType", "\"3\"", Member(Member(p, "ext"), "channelType"));
            var r2 = s.VerifyCouponsRequest(Verify("POS-0002"));
            Check(r2.Timestamp.Length == 10 && r2.Nonce.Length > 0, "default stamp: " + r2.Timestamp + " " + r2.Nonce);
            Eq("token with default stamp", ExpectedToken(r2.Timestamp, r2.Nonce), r2.Token);
        }
    }

    private static void TestDiscountRequest()
    {
        using (var s = new Session(Zv(), null))
        {
            var p = new CouponDiscountParams
            {
                UserCouponId = "390913439370321921", UserId = CustomerId, MultiMark = "aEtGbNNVQ3m1YStlySDB0Q",
                CouponId = "953", TypeCate = "1", DiscountPrice = "1",
                Items = new List<GoodsItem>
                {
                    new GoodsItem { Num = "1", TradeMark = "201909280011111", Price = "12.50" },
                    new GoodsItem { Num = "2", TradeMark = "201909280011112", Price = "3" },
                },
            };
            var r = s.CouponDiscountRequest(p, "1547186244", "658965");
            Eq("action", "user.user-by-coupon", r.Action);
            Eq("token", ExpectedToken("1547186244", "658965"), r.Token);
            string body = Member(r.Body, "Params");
            Eq("user_coupon_id", "\"390913439370321921\"", Member(body, "user_coupon_id"));
            string items = Member(body, "items");
            Check(items.Contains("\"12.50\"") && items.Contains("201909280011112"), "items carried: " + items);
        }
    }

    private static void TestCouponSendRequest()
    {
        using (var s = new Session(null, Ap()))
        {
            var p = new CouponSendParams
            {
                ShopId = "1", OperUserId = "收银员01", CouponType = "1", Num = "10", CouponTemplateId = "307", OrderId = "POS-0001",
            };
            var r = s.CouponSendRequest(p, "2020-04-10 16:03:49");
            Eq("url", "http://127.0.0.1:9/gateway", r.Url);
            Check(r.ContentType.StartsWith("application/x-www-form-urlencoded"), "form content type: " + r.ContentType);
            Check(r.SignContent.StartsWith("appId=test-app-0001&bizContent={"), "sign content: " + r.SignContent);
            Check(r.SignContent.Contains("\"operUserId\":\"收银员01\"") && r.SignContent.Contains("timestamp=2020-04-10 16:03:49"),
                "sign content carries the params and timestamp: " + r.SignContent);
            Check(Array.IndexOf(r.SignedFields, "bizContent") >= 0 && Array.IndexOf(r.SignedFields, "sign") < 0, "signed fields");
            Eq("RSA2048 signature length", 256, Convert.FromBase64String(r.Sign).Length);
            Check(r.Body.Contains("sign=") && r.Body.Contains("signType=RSA2"), "form body: " + r.Body);
        }
    }

    // Keyless mode (docs/keyless.md): the back office (a session with the keys)
    // issues a zvcms stamp and signs an Allinpay sign content; a keyless
    // session (a page's) builds the requests with them, byte for byte the
    // keyed ones.
    private static void TestKeyless()
    {
        var pageKeys = Ap();
        pageKeys.PrivateKey = null; // keyless: the platform key only
        using (var office = new Session(Zv(), Ap()))
        using (var page = new Session(new ZvcmsCredentials { OpenId = OpenId, GrantCode = GrantCode }, pageKeys))
        {
            var st = office.Stamp(new ZvcmsTokenRequest { Timestamp = "1547186244", Nonce = "658965" });
            Eq("stamp token (independent HMAC-SHA1)", ExpectedToken("1547186244", "658965"), st.Token);
            Eq("stamp timestamp", "1547186244", st.Timestamp);
            var keyed = office.VerifyCouponsRequest(Verify("POS-0001"), "1547186244", "658965");
            var stamped = page.VerifyCouponsRequest(new VerifyCouponsBuild { Params = Verify("POS-0001"), Stamp = st });
            Eq("stamped body = keyed body", keyed.Body, stamped.Body);
            ErrorIs("keyless without a stamp", "INVALID_ARGUMENT", "stamp", delegate { page.VerifyCouponsRequest(Verify("POS-0001")); });
            ErrorIs("zvcms.stamp keyless", "KEY_ERROR", "session", delegate { page.Stamp(new ZvcmsTokenRequest()); });

            var p = new CouponSendParams { ShopId = "1", OperUserId = "收银员01", CouponType = "1", Num = "10", CouponTemplateId = "307", OrderId = "POS-0001" };
            var unsigned = page.CouponSendRequest(p, "2020-04-10 16:03:49");
            Check(unsigned.Unsigned && unsigned.Body == "" && unsigned.Sign == "", "keyless couponSend is unsigned");
            var signed = office.CouponSendRequest(p, "2020-04-10 16:03:49");
            Eq("sign content", signed.SignContent, unsigned.SignContent);
            var sig = office.Sign(new AllinpaySignRequest { SignContent = unsigned.SignContent });
            Eq("back-office sign", signed.Sign, sig.Sign);
            Eq("sign type", "RSA2", sig.SignType);
            var attached = page.AttachSign(new AttachSignRequest { Params = new List<FormParam>(unsigned.Params), Sign = sig.Sign });
            Eq("attached body = signed body", signed.Body, attached.Body);
            Check(!attached.Unsigned, "attached is signed");
            var direct = page.CouponSendRequest(new CouponSendBuild { Params = p, Timestamp = "2020-04-10 16:03:49", Sign = sig.Sign });
            Eq("sign on the request = signed body", signed.Body, direct.Body);
            ErrorIs("allinpay.sign keyless", "KEY_ERROR", "allinpay.privateKey", delegate { page.Sign(new AllinpaySignRequest { SignContent = "a=b" }); });
        }
    }

    private static void TestVerifyReply()
    {
        var r = Api.ParseVerifyCouponsResponse(Fixture("testdata/zvcms/seed000_response.json"));
        Check(r.Status, "status");
        Eq("code", "0", r.Code);
        Eq("bizId", "paywewre121", r.BizId);
        Eq("cardIdList", CouponId, r.CardIdList.Length == 1 ? r.CardIdList[0] : "?");
        Eq("message", "说明", r.Message);
        var l = Api.ParseVerifyCouponsResponse(Fixture("testdata/zvcms/verify_response_lenient.json"));
        Eq("bizId above 2^53, digit for digit", "9007199254740993", l.BizId);
        Eq("cardIdList[1]", "390962138708451329", l.CardIdList[1]);
        Eq("customer_id", CustomerId, l.UserInfo.CustomerId);
        Eq("username", "张三", l.UserInfo.Username);
        Eq("gender", "1", l.UserInfo.Gender);
    }

    private static void TestDiscountReply()
    {
        var r = Api.ParseCouponDiscountResponse(Fixture("testdata/zvcms/seed001_response.json"));
        Eq("user_coupon_name", "测试优惠券", r.UserCouponName);
        Eq("user_coupon_id", "496996143645872129", r.UserCouponId);
        Eq("coupon_discount", "1.00", r.CouponDiscountYuan);
        Eq("coupon_discount_fen", "100", r.CouponDiscountFen);
        var q = Api.ParseCouponDiscountResponse(Fixture("testdata/zvcms/discount_response_rate.json"));
        Eq("rate coupon_type", "1", q.CouponType);
        Eq("rate amount (faceValue)", "8.5", q.FaceValue);
        Eq("rate discount", "3.30", q.CouponDiscountYuan);
        Eq("finance_payment_fen", "1870", q.FinancePaymentFen);
        Eq("goods count", 3, q.GoodsItems.Length);
        long sum = 0;
        foreach (var g in q.GoodsItems) sum += long.Parse(g.CouponMinusFen);
        Eq("shares add up to the discount (fen)", q.CouponDiscountFen, sum.ToString());
        Eq("share 2", "0.20", q.GoodsItems[1].CouponMinusYuan);
    }

    private static void TestLifecycleRequests()
    {
        var zv = Zv();
        zv.ReversalAction = "merchant.coupons-reverse";
        using (var s = new Session(zv, null))
        {
            var st = s.CouponStatusRequest(new CouponStatusParams { CustomerId = CustomerId, CardId = CouponId, UseStatus = "0" }, "1547186244", "658965");
            Eq("status action", "user.coupon-new-status", st.Action);
            Eq("status token (independent HMAC-SHA1)", ExpectedToken("1547186244", "658965"), st.Token);
            Check(st.Idempotent, "a status query is idempotent");
            Eq("status params", "{\"customerId\":\"" + CustomerId + "\",\"useStatus\":\"0\",\"cardId\":\"" + CouponId + "\"}", Member(st.Body, "Params"));
            var off = s.OffCouponRequest(new OffCouponParams { Code = "20191202089026199489" });
            Eq("off-coupon params", "{\"code\":\"20191202089026199489\"}", Member(off.Body, "Params"));
            var det = s.CouponDetailRequest(new CouponDetailParams { UserCouponCode = CouponId });
            Eq("detail action", "communal.coupon.coupon-detail", det.Action);
            var con = s.ConsumeRequest(new ConsumeParams
            {
                BizId = "POS-0001", CustomerId = CustomerId, CouponsCardList = new List<string> { CouponId },
                AmountFen = "1250", Points = "100", PayPassword = "123456",
            });
            Check(!con.Idempotent, "a consumption is not idempotent");
            string cp = Member(con.Body, "Params");
            Eq("consume amount: fen sent as yuan", "\"12.50\"", Member(cp, "amount"));
            Eq("consume points", "\"100\"", Member(cp, "points"));
            var rev = s.ReverseRequest(new ReverseParams { BizId = "700000000000000001", Extra = "{\"reason\":\"整单撤销\"}" });
            Eq("reversal action from the credentials", "merchant.coupons-reverse", rev.Action);
            Eq("reversal params with the extra ones", "{\"bizId\":\"700000000000000001\",\"reason\":\"整单撤销\"}", Member(rev.Body, "Params"));
            ErrorIs("a state that does not exist", ErrorCodes.InvalidArgument, "params.useStatus",
                delegate { s.CouponStatusRequest(new CouponStatusParams { CustomerId = CustomerId, UseStatus = "3" }); });
            ErrorIs("yuan where fen go", ErrorCodes.InvalidArgument, "params.amountFen",
                delegate { s.ConsumeRequest(new ConsumeParams { BizId = "b", CustomerId = CustomerId, AmountFen = "12.50" }); });
            ErrorIs("extra repeating bizId", ErrorCodes.InvalidArgument, "params.extra.bizId",
                delegate { s.ReverseRequest(new ReverseParams { BizId = "b", Extra = "{\"bizId\":\"c\"}" }); });
            var e = Throws("a password in an error", delegate { s.ConsumeRequest(new ConsumeParams { BizId = "b", CustomerId = "x", AmountFen = "1", PayPassword = "123456" }); });
            Check(e != null && !e.Message.Contains("123456"), "the password is never quoted");
        }
        using (var s = new Session(Zv(), null))
            ErrorIs("no reversal action configured", ErrorCodes.InvalidArgument, "zvcms.reversalAction",
                delegate { s.ReverseRequest(new ReverseParams { BizId = "700000000000000001" }); });
        ErrorIs("resolveVerify checks the params before sending anything", ErrorCodes.InvalidArgument, "params.customerId",
            delegate { Api.ResolveVerify(new ResolveVerifyRequest { Zvcms = Zv(), Params = new VerifyCouponsParams { BizId = "b", CouponsCardList = new List<string> { CouponId } } }); });
    }

    private static void TestLifecycleReplies()
    {
        var st = Api.ParseCouponStatusResponse(Fixture("testdata/zvcms/status_response_list.json"));
        Check(st.Coupons.Length >= 2, "status list");
        Eq("status list: verified", "verified", st.Coupons[0].UseStatusName);
        Eq("status list: unknown members kept", "{\"verifyStoreMark\":\"SH-01\"}", st.Coupons[0].Unknown);
        var off = Api.ParseOffCouponResponse(Fixture("testdata/zvcms/offcoupon_response.json"));
        Eq("off-coupon verify code, 20 digits", "20191202089026199489", off.VerifyCode);
        Eq("off-coupon face value", "5.00", off.Coupon.FaceValue);
        Eq("off-coupon state", "unused", off.CouponStatusName);
        var det = Api.ParseCouponDetailResponse(Fixture("testdata/zvcms/detail_response_lenient.json"));
        Eq("detail order amount (fen)", "2650", det.OrderAmountFen);
        var con = Api.ParseConsumeResponse(Fixture("testdata/zvcms/consume_response.json"));
        Eq("consume bizId", "paywewre121", con.BizId);
        Eq("consume coupons", CouponId, con.CouponsCardList[0]);
        var rev = Api.ParseReverseResponse("{\"status\":\"true\",\"code\":\"0\",\"data\":{\"bizId\":\"7001\",\"cardIdList\":\"[" + CouponId + "]\"}}");
        Eq("reversal bizId", "7001", rev.BizId);
        Eq("reversal coupons", CouponId, rev.CardIdList[0]);
        var e = Throws("a second reversal", delegate { Api.ParseReverseResponse("{\"status\":true,\"code\":\"40021\",\"message\":\"该业务已冲正\"}"); });
        if (e != null) { Eq("vendor code", "40021", e.VendorCode); Eq("vendor message", "该业务已冲正", e.VendorMessage); }
        ErrorIs("detail amount with three decimals", ErrorCodes.ResponseInvalid, "data.orderAmount",
            delegate { Api.ParseCouponDetailResponse("{\"status\":true,\"code\":0,\"data\":{\"orderAmount\":\"1.005\"}}"); });
    }

    private static void TestAllinpayLifecycle()
    {
        using (var s = new Session(null, Ap()))
        {
            var q = s.CouponQueryRequest(new CouponQueryParams { CouponNo = "496996143645800001" }, "2020-04-10 16:03:49");
            Eq("couponQuery profile", "rules", q.Profile);
            Eq("couponQuery signedText is the content (rules)", q.SignContent, q.SignedText);
            var c = s.CouponConsumeRequest(new CouponConsumeParams
            {
                ShopId = "1", OperUserId = "c1", OrderId = "consume-0001",
                CouponConsumeList = new List<CouponConsumeItem> { new CouponConsumeItem { CouponNo = CouponId, ConsumeAmount = "1", Passwd = "cGFzc3dk", PrincipalAmt = "1.50" } },
            }, "2020-04-10 16:03:49");
            Check(c.Body.Contains("%22passwd%22%3A%22cGFzc3dk%22") && c.Body.Contains("%22principalAmt%22%3A1.50"), "the body carries the passwd and the exact principal");
            Check(c.SignContent.Contains("\"passwd\":\"[redacted]\"") && !c.SignContent.Contains("cGFzc3dk"), "signContent shows the passwd redacted");
            ErrorIs("consumeAmount a decimal", ErrorCodes.InvalidArgument, "params.couponConsumeList[0].consumeAmount", delegate
            {
                s.CouponConsumeRequest(new CouponConsumeParams
                {
                    ShopId = "1", OperUserId = "c1", OrderId = "o",
                    CouponConsumeList = new List<CouponConsumeItem> { new CouponConsumeItem { CouponNo = CouponId, ConsumeAmount = "1.5" } },
                });
            });
            var r = s.ParseCouponSendResponse(Fixture("build/fixtures/couponsend_signed.json"));
            Eq("openssl-signed reply verifiedBy", "raw+direct", r.VerifiedBy);
            Eq("key fingerprint (SPKI SHA-256)", 64, r.KeyFingerprint.Length);
        }
        // The seed page's reply, whose platform key we do not have.
        var d = Api.Diagnose(new DiagnoseRequest { Body = Fixture("testdata/allinpay/seed002_response.json") });
        Check(!d.Verified && d.Conclusion.StartsWith("No platform public key was given"), "diagnose without a key: " + d.Conclusion);
        Eq("variants", 4, d.Variants.Length);
        Eq("first variant", "sdk+md5", d.Variants[0].Variant);
        Eq("sign looks like", "RSA-1024", d.SignLooksLike);
        var k = Api.Diagnose(new DiagnoseRequest
        {
            Body = Fixture("build/fixtures/couponsend_signed.json"),
            PlatformPublicKey = new List<string> { Fixture("testdata/sandbox/platform_rsa2048_pub_spki.pem") },
        });
        Check(k.Verified && k.VerifyMode == "raw+direct" && k.Conclusion.Contains("set verifyMode \"raw+direct\""), "diagnose with the key: " + k.Conclusion);
    }

    private static void TestCouponSendReply()
    {
        using (var s = new Session(null, Ap()))
        {
            // Signed by `make` with openssl and the sandbox platform key: an independent signer.
            var r = s.ParseCouponSendResponse(Fixture("build/fixtures/couponsend_signed.json"));
            Check(r.Verified, "verified");
            Eq("tranNo", "50806050005080208145", r.TranNo);
            Eq("tranDateTime (array form normalized)", "2020-04-10 16:03:49", r.TranDateTime);
            Eq("shopName", "沙箱门店", r.ShopName);
            Eq("templateId", "307", r.List[0].TemplateId);
            Eq("couponName", "专门测试ZHT", r.List[0].CouponName);
            Eq("couponNo null", null, r.List[0].CouponNo);
            ErrorIs("seed reply signed by a key we do not have", ErrorCodes.SignatureInvalid, null,
                delegate { s.ParseCouponSendResponse(Fixture("testdata/allinpay/seed002_response.json")); });
        }
        var skip = Ap();
        skip.VerifyMode = "skip";
        using (var s = new Session(null, skip))
        {
            var r = s.ParseCouponSendResponse(Fixture("testdata/allinpay/seed002_response.json"));
            Check(!r.Verified, "verifyMode skip reports verified false");
            Eq("seed tranNo", "50806050005080208145", r.TranNo);
            Eq("seed shopName null", null, r.ShopName);
        }
    }

    private static void TestQuote()
    {
        var q = Api.Quote(new QuoteRequest
        {
            Lines = new List<QuoteLine>
            {
                new QuoteLine { Id = "A", Quantity = "2", UnitPriceYuan = "10.00" },
                new QuoteLine { Id = "B", Quantity = "1", UnitPriceYuan = "5.50" },
            },
            Coupons = new List<QuoteCoupon>
            {
                new QuoteCoupon { Id = "满20减5", Kind = "fixed", ValueYuan = "5", ThresholdYuan = "20" },
            },
        });
        Eq("quote amount", "25.50", q.AmountYuan);
        Eq("quote discount", "5.00", q.DiscountYuan);
        Eq("quote payable", "20.50", q.PayableYuan);
        Eq("coupon id round trip", "满20减5", q.Coupons[0].Id);
        long sum = 0;
        foreach (var l in q.Lines) sum += long.Parse(l.DiscountFen);
        Eq("line shares add up", "500", sum.ToString());

        // The worked cases of testdata/discount, each input read into the typed
        // QuoteRequest and quoted through the typed API.
        string cases = Member(Fixture("testdata/discount/cases.json"), "cases");
        int n = 0;
        Json.Elements(cases, delegate(int i, string c)
        {
            var k = Json.Read<QuoteCase>(c);
            var req = Json.Read<QuoteRequest>(Member(c, "input"));
            string what = "case " + k.Name;
            n++;
            if (k.Error != null)
            {
                var e = Throws(what, delegate { Api.Quote(req); });
                if (e != null) { Eq(what + " code", k.Error.Kind, e.Code); Eq(what + " field", Renamed(k.Error.Field), e.Field); }
                return;
            }
            QuoteResult r;
            try { r = Api.Quote(req); }
            catch (CouponKitException e) { Check(false, what + ": " + e.Message); return; }
            var w = k.Want;
            Eq(what + " amount", w.Amount.ToString(), r.AmountFen);
            Eq(what + " discount", w.Discount.ToString(), r.DiscountFen);
            Eq(what + " payable", w.Payable.ToString(), r.PayableFen);
            for (int j = 0; w.Coupons != null && j < w.Coupons.Length; j++)
            {
                if (w.Coupons[j].Discount.HasValue) Eq(what + " coupon discount", w.Coupons[j].Discount.ToString(), r.Coupons[j].DiscountFen);
                if (w.Coupons[j].Reason != null) Eq(what + " coupon reason", w.Coupons[j].Reason, r.Coupons[j].Reason);
            }
            for (int j = 0; w.Lines != null && j < w.Lines.Length; j++)
            {
                var wl = w.Lines[j];
                if (wl.Payable.HasValue) Eq(what + " line payable", wl.Payable.ToString(), r.Lines[j].PayableFen);
                if (wl.Shares != null) Eq(what + " line shares", string.Join(",", Array.ConvertAll(wl.Shares, x => x.ToString())), string.Join(",", r.Lines[j].SharesFen));
            }
        });
        Check(n >= 50, "worked cases run: " + n);
    }

    /// <summary>
    /// The field name a case file's error names, as the typed request sends it:
    /// the file uses the member names before 0.2, which the typed request writes
    /// under their new names (CHANGES.md).
    /// </summary>
    private static string Renamed(string field)
    {
        foreach (var n in new[] { "unitPrice", "priorDiscount", "value", "threshold", "cap" })
            if (field.EndsWith("." + n)) return field + "Yuan";
        return field;
    }

    [System.Runtime.Serialization.DataContract]
    private sealed class QuoteCase
    {
        [System.Runtime.Serialization.DataMember(Name = "name")] public string Name;
        [System.Runtime.Serialization.DataMember(Name = "want")] public QuoteWant Want;
        [System.Runtime.Serialization.DataMember(Name = "error")] public QuoteError Error;
    }

    [System.Runtime.Serialization.DataContract]
    private sealed class QuoteWant
    {
        [System.Runtime.Serialization.DataMember(Name = "amount")] public long Amount;
        [System.Runtime.Serialization.DataMember(Name = "discount")] public long Discount;
        [System.Runtime.Serialization.DataMember(Name = "payable")] public long Payable;
        [System.Runtime.Serialization.DataMember(Name = "coupons")] public WantCoupon[] Coupons;
        [System.Runtime.Serialization.DataMember(Name = "lines")] public WantLine[] Lines;
    }

    [System.Runtime.Serialization.DataContract]
    private sealed class WantCoupon
    {
        [System.Runtime.Serialization.DataMember(Name = "discount")] public long? Discount;
        [System.Runtime.Serialization.DataMember(Name = "reason")] public string Reason;
    }

    [System.Runtime.Serialization.DataContract]
    private sealed class WantLine
    {
        [System.Runtime.Serialization.DataMember(Name = "payable")] public long? Payable;
        [System.Runtime.Serialization.DataMember(Name = "shares")] public long[] Shares;
    }

    [System.Runtime.Serialization.DataContract]
    private sealed class QuoteError
    {
        [System.Runtime.Serialization.DataMember(Name = "kind")] public string Kind;
        [System.Runtime.Serialization.DataMember(Name = "field")] public string Field;
    }

    private static void TestErrorKinds()
    {
        ErrorIs("INVALID_JSON", ErrorCodes.InvalidJson, null, delegate { Native.Invoke("version", "{\"a\":"); });
        ErrorIs("UNKNOWN_METHOD", ErrorCodes.UnknownMethod, null, delegate { Native.Invoke("no.such.method", "{}"); });
        using (var s = new Session(Zv(), null))
        {
            var p = Verify("");
            p.BizId = null;
            ErrorIs("INVALID_ARGUMENT names the field", ErrorCodes.InvalidArgument, "params.bizId",
                delegate { s.VerifyCouponsRequest(p); });
            var two = Verify("x");
            two.UseCount = "1";
            two.CouponsCardList.Add("390962138708451329");
            ErrorIs("INVALID_ARGUMENT counted coupon with two ids", ErrorCodes.InvalidArgument, null,
                delegate { s.VerifyCouponsRequest(two); });
        }
        var bad = Ap();
        bad.PrivateKey = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        var ke = Throws("KEY_ERROR", delegate { new Session(null, bad).Dispose(); });
        if (ke != null)
        {
            Eq("KEY_ERROR code", ErrorCodes.KeyError, ke.Code);
            Check(ke.Field.EndsWith("privateKey"), "KEY_ERROR field names the key: " + ke.Field);
        }
        ErrorIs("RESPONSE_INVALID", ErrorCodes.ResponseInvalid, null,
            delegate { Api.ParseVerifyCouponsResponse("<html>502 Bad Gateway</html>"); });
        var ae = Throws("API_ERROR", delegate { Api.ParseVerifyCouponsResponse(Fixture("testdata/zvcms/seed000_error_business.json")); });
        if (ae != null)
        {
            Eq("API_ERROR code", ErrorCodes.ApiError, ae.Code);
            Eq("API_ERROR vendor code", "异常编码,根据不同的业务返回编码", ae.VendorCode);
            Eq("API_ERROR vendor message", "异常说明:查询的信息不存在", ae.VendorMessage);
        }
        var se = Throws("SYSTEM_ERROR", delegate { Api.ParseCouponDiscountResponse(Fixture("testdata/zvcms/seed001_error_system.json")); });
        if (se != null)
        {
            Eq("SYSTEM_ERROR code", ErrorCodes.SystemError, se.Code);
            Eq("SYSTEM_ERROR vendor message", "系统错误说明", se.VendorMessage);
            Eq("SYSTEM_ERROR vendor status", "false", se.VendorStatus);
        }
        // Nothing listens on port 9 of loopback: refused, or "unavailable" in a build without transport.
        var te = Throws("TRANSPORT_ERROR", delegate
        {
            Native.Invoke("http.send", "{\"method\":\"POST\",\"url\":\"http://127.0.0.1:9/\",\"body\":\"{}\",\"timeoutMs\":2000}");
        });
        if (te != null)
        {
            Eq("TRANSPORT_ERROR code", ErrorCodes.TransportError, te.Code);
            Check(te.Reason != "", "TRANSPORT_ERROR has a reason");
        }
        ErrorIs("TOO_LARGE", ErrorCodes.TooLarge, null,
            delegate { Native.Invoke("version", "{\"pad\":\"" + new string('x', 16 << 20) + "\"}"); });
        // INTERNAL (a recovered panic) has no trigger in a correct build; its envelope is read like the others.
    }

    private static void TestChinese()
    {
        const string text = "门店：徐汇一店 收银台#3 “会员日” 满100减20 😀 \\ \" / \t end";
        using (var s = new Session(Zv(), null))
        {
            var p = Verify(text);
            p.Ext.Reason = "顾客要求：发票抬头 上海某某有限公司";
            var r = s.VerifyCouponsRequest(p, "1547186244", "658965");
            string prm = Member(r.Body, "Params");
            Eq("bizId round trip through the library", text, Json.Read<string>(Member(prm, "bizId")));
            Eq("ext.reason round trip", p.Ext.Reason, Json.Read<string>(Member(Member(prm, "ext"), "reason")));
        }
        var l = Api.ParseVerifyCouponsResponse(Fixture("testdata/zvcms/verify_response_lenient.json"));
        Eq("reply message", "核销成功", l.Message);
        Eq("reply nickname", "小张", l.UserInfo.Nickname);
    }

    private static void TestSession()
    {
        var s = new Session(Zv(), null);
        string id = s.Id;
        Check(id.Length > 8, "session id: " + id);
        string r = s.Invoke("zvcms.verifyCoupons.request", "{ \"params\": {\"bizId\":\"g1\",\"customerId\":\"" + CustomerId + "\",\"couponsCardList\":[\"" + CouponId + "\"]} }");
        Check(Member(r, "body").Contains("g1"), "generic Invoke with the session");
        ErrorIs("session without Allinpay keys", ErrorCodes.InvalidArgument, "session",
            delegate { s.CouponSendRequest(new CouponSendParams { ShopId = "1" }); });
        s.Dispose();
        s.Dispose(); // twice is harmless
        ErrorIs("closed session", ErrorCodes.InvalidArgument, "session",
            delegate { Native.Invoke("zvcms.verifyCoupons.request", "{\"session\":\"" + id + "\",\"params\":{\"bizId\":\"x\"}}"); });
    }

    private static void TestThreads()
    {
        const int threads = 8, calls = 5000;
        int bad = 0, done = 0;
        string firstBad = null;
        using (var s = new Session(Zv(), null))
        {
            var ts = new List<Thread>();
            for (int t = 0; t < threads; t++)
            {
                int me = t;
                var th = new Thread(delegate()
                {
                    string nonce = (100000 + me).ToString();
                    string token = ExpectedToken("1547186244", nonce);
                    for (int i = 0; i < calls; i++)
                    {
                        string biz = "线程" + me + "-" + i;
                        try
                        {
                            var r = s.VerifyCouponsRequest(Verify(biz), "1547186244", nonce);
                            if (r.Token != token || !r.Body.Contains("\"bizId\":\"" + biz + "\""))
                                throw new Exception("wrong reply for " + biz);
                            Interlocked.Increment(ref done);
                        }
                        catch (Exception e)
                        {
                            if (Interlocked.Increment(ref bad) == 1) firstBad = e.Message;
                        }
                    }
                });
                ts.Add(th);
                th.Start();
            }
            foreach (var th in ts) th.Join();
        }
        Eq("8 threads x 5000 calls: failures", 0, bad);
        if (firstBad != null) Console.WriteLine("  first failure: " + firstBad);
        Eq("8 threads x 5000 calls: successes", threads * calls, done);
    }

    private static long RssKiB()
    {
        foreach (var line in File.ReadAllLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:"))
                return long.Parse(line.Substring(6).Trim().Split(' ')[0]);
        return -1;
    }

    private static void TestMemory()
    {
        string req = "{\"zvcms\":{\"openId\":\"" + OpenId + "\",\"grantCode\":\"" + GrantCode + "\",\"openKey\":\"k\"}," +
            "\"params\":{\"bizId\":\"内存-1\",\"customerId\":\"" + CustomerId + "\",\"couponsCardList\":[\"" + CouponId + "\"],\"amount\":500}}";
        string bad = "{\"params\":{}}";
        Action<int> loop = delegate(int n)
        {
            for (int i = 0; i < n; i++)
            {
                Native.Invoke("zvcms.verifyCoupons.request", req);
                try { Native.Invoke("zvcms.verifyCoupons.request", bad); } catch (CouponKitException) { }
            }
        };
        loop(10000); // warm up: JIT, the Go heap, malloc arenas
        long gc0 = GC.GetTotalMemory(true), rss0 = RssKiB();
        loop(100000);
        long gc1 = GC.GetTotalMemory(true), rss1 = RssKiB();
        Console.WriteLine("memory: 100000 calls (+100000 errors): managed " + gc0 + " -> " + gc1 +
            " bytes, RSS " + rss0 + " -> " + rss1 + " KiB");
        // A leaked reply (~1 KB each) would add ~200 MB; the bounds leave room for allocator noise only.
        Check(gc1 - gc0 < 1 << 20, "managed memory stable (grew " + (gc1 - gc0) + " bytes)");
        Check(rss1 - rss0 < 32 * 1024, "process RSS stable (grew " + (rss1 - rss0) + " KiB)");
    }
}
