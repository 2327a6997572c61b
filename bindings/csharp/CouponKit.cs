// CouponKit.cs: the C# binding of couponkit (couponkit.dll / libcouponkit.so).
//
// One file, no dependency beyond what .NET Framework 4.0 ships: add it to a
// WinForms/WPF/console project (C# 5 or later, .NET Framework 4.0 or later,
// Mono, or .NET Core / .NET 5+ through netstandard2.0) and put couponkit.dll
// of the same bitness as the process next to the .exe. See the README
// section "C#".
//
// Everything goes through the C ABI's one generic entry point,
// ck_invoke(method, json): Native.Invoke(method, json) reaches every method
// and returns the "result" JSON text; the typed methods of Session and
// CouponKitClient build the request JSON with DataContractJsonSerializer and
// parse the result the same way. Ids (18 digits) and money are strings
// everywhere, so nothing passes through a double.
//
// Strings cross the boundary as UTF-8 marshalled by hand (byte[] with a
// terminating NUL in, the returned pointer read to its NUL and decoded as
// UTF-8 out), and every returned pointer is released with ck_free in a
// finally block. All members are safe to call from many threads at once.
using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Json;
using System.Text;

namespace CouponKit
{
    /// <summary>The closed set of error codes the library reports (CouponKitException.Code).</summary>
    public static class ErrorCodes
    {
        /// <summary>The request is not well-formed JSON.</summary>
        public const string InvalidJson = "INVALID_JSON";
        /// <summary>A request value is missing, wrong or out of range; Field names it.</summary>
        public const string InvalidArgument = "INVALID_ARGUMENT";
        /// <summary>No such method.</summary>
        public const string UnknownMethod = "UNKNOWN_METHOD";
        /// <summary>A key could not be parsed or used; Field says which key.</summary>
        public const string KeyError = "KEY_ERROR";
        /// <summary>A vendor reply's signature did not verify.</summary>
        public const string SignatureInvalid = "SIGNATURE_INVALID";
        /// <summary>A vendor reply is not in the documented shape; Field is the JSON path.</summary>
        public const string ResponseInvalid = "RESPONSE_INVALID";
        /// <summary>The vendor's business error: VendorCode and VendorMessage say which.</summary>
        public const string ApiError = "API_ERROR";
        /// <summary>The vendor's system error: VendorCode and VendorMessage say which.</summary>
        public const string SystemError = "SYSTEM_ERROR";
        /// <summary>The HTTP exchange failed; Reason says how.</summary>
        public const string TransportError = "TRANSPORT_ERROR";
        /// <summary>A request exceeds a documented limit.</summary>
        public const string TooLarge = "TOO_LARGE";
        /// <summary>A bug in couponkit (a recovered panic): please report it.</summary>
        public const string Internal = "INTERNAL";
    }

    /// <summary>
    /// An error reported by couponkit. Code is one of ErrorCodes; Field names
    /// the offending request value (for example "items[2].price"); for
    /// API_ERROR and SYSTEM_ERROR, VendorCode and VendorMessage carry the
    /// vendor's own code and message, verbatim, ready to show a cashier.
    /// </summary>
    [Serializable]
    public class CouponKitException : Exception
    {
        private readonly string code, field, vendorStatus, vendorCode, vendorMessage, reason, method;

        /// <summary>Creates an exception from the parts of an error envelope.</summary>
        public CouponKitException(string method, string code, string message, string field,
            string vendorStatus, string vendorCode, string vendorMessage, string reason)
            : base(Describe(code, message, field, vendorCode, vendorMessage))
        {
            this.method = method ?? "";
            this.code = code ?? "";
            this.field = field ?? "";
            this.vendorStatus = vendorStatus ?? "";
            this.vendorCode = vendorCode ?? "";
            this.vendorMessage = vendorMessage ?? "";
            this.reason = reason ?? "";
        }

        /// <summary>The error code, one of ErrorCodes (for example "INVALID_ARGUMENT").</summary>
        public string Code { get { return code; } }
        /// <summary>The path of the offending value, or "" when no single field is at fault.</summary>
        public string Field { get { return field; } }
        /// <summary>The vendor's status for API_ERROR / SYSTEM_ERROR, else "".</summary>
        public string VendorStatus { get { return vendorStatus; } }
        /// <summary>The vendor's code for API_ERROR / SYSTEM_ERROR, else "".</summary>
        public string VendorCode { get { return vendorCode; } }
        /// <summary>The vendor's message for API_ERROR / SYSTEM_ERROR (show it to the cashier), else "".</summary>
        public string VendorMessage { get { return vendorMessage; } }
        /// <summary>How a TRANSPORT_ERROR happened (timeout, refused, ...), else "".</summary>
        public string Reason { get { return reason; } }
        /// <summary>The method that failed.</summary>
        public string Method { get { return method; } }

        private static string Describe(string code, string message, string field, string vendorCode, string vendorMessage)
        {
            var sb = new StringBuilder(code ?? "");
            if (!string.IsNullOrEmpty(field)) sb.Append(' ').Append(field);
            if (!string.IsNullOrEmpty(message)) sb.Append(": ").Append(message);
            if (!string.IsNullOrEmpty(vendorCode) || !string.IsNullOrEmpty(vendorMessage))
                sb.Append(" (vendor code ").Append(vendorCode).Append(", message ").Append(vendorMessage).Append(')');
            return sb.ToString();
        }
    }

    /// <summary>The raw C ABI and the generic call. Everything else is built on Invoke.</summary>
    public static class Native
    {
        /// <summary>
        /// The library name given to DllImport: "couponkit" finds couponkit.dll
        /// on Windows and libcouponkit.so on Mono/.NET under Linux.
        /// </summary>
        public const string LibraryName = "couponkit";

        [DllImport(LibraryName, EntryPoint = "ck_version", CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr ck_version();

        [DllImport(LibraryName, EntryPoint = "ck_invoke", CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr ck_invoke(byte[] method, byte[] requestJson);

        [DllImport(LibraryName, EntryPoint = "ck_free", CallingConvention = CallingConvention.Cdecl)]
        private static extern void ck_free(IntPtr p);

        /// <summary>The library version (for example "0.1.0").</summary>
        public static string Version
        {
            // ck_version's string is static: read it, never free it.
            get { return FromUtf8(ck_version()); }
        }

        /// <summary>
        /// Calls one method and returns the whole reply envelope as JSON text
        /// ({"ok":true,"result":...} or {"ok":false,"error":...}); never throws
        /// for an error the library reports.
        /// </summary>
        public static string InvokeEnvelope(string method, string requestJson)
        {
            if (method == null) throw new ArgumentNullException("method");
            if (requestJson == null) throw new ArgumentNullException("requestJson");
            IntPtr reply = ck_invoke(ToUtf8(method), ToUtf8(requestJson));
            try
            {
                if (reply == IntPtr.Zero) throw new OutOfMemoryException("couponkit: ck_invoke returned NULL (out of memory)");
                return FromUtf8(reply);
            }
            finally
            {
                ck_free(reply);
            }
        }

        /// <summary>
        /// Calls one method with a JSON request ("{}" when it takes none) and
        /// returns the "result" JSON text; an error envelope becomes a
        /// CouponKitException.
        /// </summary>
        public static string Invoke(string method, string requestJson)
        {
            return Envelope.Result(method, InvokeEnvelope(method, requestJson));
        }

        /// <summary>UTF-8 bytes of s followed by a NUL.</summary>
        private static byte[] ToUtf8(string s)
        {
            var enc = Encoding.UTF8;
            var b = new byte[enc.GetByteCount(s) + 1];
            enc.GetBytes(s, 0, s.Length, b, 0);
            return b;
        }

        /// <summary>
        /// Decodes the NUL-terminated UTF-8 string at p. It copies page-sized
        /// chunks that never cross a 4 KiB boundary, so it reads no page the
        /// string does not touch, then decodes up to the NUL.
        /// </summary>
        private static string FromUtf8(IntPtr p)
        {
            if (p == IntPtr.Zero) return null;
            const int Page = 4096;
            byte[] buf = new byte[Page];
            int n = 0;
            long start = p.ToInt64();
            while (true)
            {
                int chunk = Page - (int)((start + n) & (Page - 1));
                if (buf.Length < n + chunk) Array.Resize(ref buf, Math.Max(buf.Length * 2, n + chunk));
                Marshal.Copy(new IntPtr(start + n), buf, n, chunk);
                int z = Array.IndexOf(buf, (byte)0, n, chunk);
                if (z >= 0) return Encoding.UTF8.GetString(buf, 0, z);
                n += chunk;
            }
        }
    }

    /// <summary>
    /// A couponkit session: credentials (zvcms openId/grantCode/openKey,
    /// Allinpay keys) registered once in the library, so keys are parsed once
    /// and never passed again. Open one per shop at start-up and share it
    /// between threads; Dispose closes it. All members are thread-safe.
    /// </summary>
    public sealed class Session : IDisposable
    {
        private string id;

        /// <summary>Opens a session with zvcms credentials, Allinpay keys or both (either may be null).</summary>
        public Session(ZvcmsCredentials zvcms, AllinpayKeys allinpay)
        {
            var req = new SessionOpenRequest { Zvcms = zvcms, Allinpay = allinpay };
            id = Api.Invoke<SessionOpenRequest, SessionOpenResult>("session.open", req).Session;
        }

        /// <summary>The session id the library gave (sent as "session" in requests).</summary>
        public string Id { get { return id; } }

        /// <summary>
        /// Calls any method with this session: "session" is added to the
        /// request object. Returns the "result" JSON text.
        /// </summary>
        public string Invoke(string method, string requestJson)
        {
            return Native.Invoke(method, WithSession(requestJson));
        }

        /// <summary>Builds the signed zvcms communal.user.coupons-vertify request (seed 000).</summary>
        public ZvcmsRequest VerifyCouponsRequest(VerifyCouponsParams p)
        {
            return VerifyCouponsRequest(p, null, null);
        }

        /// <summary>As VerifyCouponsRequest(p), with a given timestamp (Unix seconds) and nonce (null: now, random).</summary>
        public ZvcmsRequest VerifyCouponsRequest(VerifyCouponsParams p, string timestamp, string nonce)
        {
            return Build<VerifyCouponsParams, ZvcmsRequest>("zvcms.verifyCoupons.request",
                new SignedRequest<VerifyCouponsParams> { Timestamp = timestamp, Nonce = nonce, Params = p });
        }

        /// <summary>Builds the signed zvcms user.user-by-coupon request (seed 001).</summary>
        public ZvcmsRequest CouponDiscountRequest(CouponDiscountParams p)
        {
            return CouponDiscountRequest(p, null, null);
        }

        /// <summary>As CouponDiscountRequest(p), with a given timestamp and nonce (null: now, random).</summary>
        public ZvcmsRequest CouponDiscountRequest(CouponDiscountParams p, string timestamp, string nonce)
        {
            return Build<CouponDiscountParams, ZvcmsRequest>("zvcms.couponDiscount.request",
                new SignedRequest<CouponDiscountParams> { Timestamp = timestamp, Nonce = nonce, Params = p });
        }

        /// <summary>Builds the signed Allinpay couponSend request (seed 002).</summary>
        public AllinpayRequest CouponSendRequest(CouponSendParams p)
        {
            return CouponSendRequest(p, null);
        }

        /// <summary>As CouponSendRequest(p), with a given timestamp ("yyyy-MM-dd HH:mm:ss" China time; null: now).</summary>
        public AllinpayRequest CouponSendRequest(CouponSendParams p, string timestamp)
        {
            return Build<CouponSendParams, AllinpayRequest>("allinpay.couponSend.request",
                new SignedRequest<CouponSendParams> { Timestamp = timestamp, Params = p });
        }

        /// <summary>
        /// One call: builds the verify request, POSTs it with the library's
        /// HTTP transport (never retried: a retry could redeem twice) and
        /// parses the reply. Failures: TRANSPORT_ERROR (Reason says how),
        /// API_ERROR / SYSTEM_ERROR with the vendor's code and message.
        /// </summary>
        public VerifyCouponsResult VerifyCoupons(VerifyCouponsParams p)
        {
            return Build<VerifyCouponsParams, VerifyCouponsResult>("zvcms.verifyCoupons",
                new SignedRequest<VerifyCouponsParams> { Params = p });
        }

        /// <summary>One call: builds, sends and parses a user.user-by-coupon request.</summary>
        public CouponDiscountResult CouponDiscount(CouponDiscountParams p)
        {
            return Build<CouponDiscountParams, CouponDiscountResult>("zvcms.couponDiscount",
                new SignedRequest<CouponDiscountParams> { Params = p });
        }

        /// <summary>One call: builds, sends, verifies and parses an Allinpay couponSend.</summary>
        public CouponSendResult CouponSend(CouponSendParams p)
        {
            return Build<CouponSendParams, CouponSendResult>("allinpay.couponSend",
                new SignedRequest<CouponSendParams> { Params = p });
        }

        /// <summary>
        /// Verifies (with the session's platform public key) and parses a
        /// couponSend reply body. A vendor failure is a CouponKitException
        /// with Code API_ERROR and the vendor's code and msg.
        /// </summary>
        public CouponSendResult ParseCouponSendResponse(string body)
        {
            var req = new AllinpayResponseRequest { Session = id, Method = "couponSend", Body = body };
            return Api.Invoke<AllinpayResponseRequest, CouponSendResult>("allinpay.response", req);
        }

        private TResult Build<TParams, TResult>(string method, SignedRequest<TParams> req)
        {
            req.Session = id;
            return Api.Invoke<SignedRequest<TParams>, TResult>(method, req);
        }

        private string WithSession(string requestJson)
        {
            string t = requestJson.Trim();
            if (t.Length < 2 || t[0] != '{')
                throw new ArgumentException("the request must be a JSON object", "requestJson");
            string rest = t.Substring(1).TrimStart();
            return "{\"session\":" + Json.Quote(id) + (rest.StartsWith("}") ? "" : ",") + rest;
        }

        /// <summary>Closes the session in the library (errors are ignored: the session is gone either way).</summary>
        public void Dispose()
        {
            string s = id;
            id = null;
            if (s == null) return;
            try { Native.InvokeEnvelope("session.close", "{\"session\":" + Json.Quote(s) + "}"); }
            catch (Exception) { }
        }
    }

    /// <summary>Calls that need no session: typed Invoke, reply parsing, the discount engine.</summary>
    public static class Api
    {
        /// <summary>Calls method with a [DataContract] request and reads the result into TResult.</summary>
        public static TResult Invoke<TRequest, TResult>(string method, TRequest request)
        {
            return Json.Read<TResult>(Native.Invoke(method, Json.Write(request)));
        }

        /// <summary>
        /// Parses a zvcms communal.user.coupons-vertify reply body. A vendor
        /// error is a CouponKitException with Code API_ERROR or SYSTEM_ERROR and
        /// the vendor's code and message.
        /// </summary>
        public static VerifyCouponsResult ParseVerifyCouponsResponse(string body)
        {
            return Invoke<ZvcmsResponseRequest, VerifyCouponsResult>("zvcms.response",
                new ZvcmsResponseRequest { Action = "communal.user.coupons-vertify", Body = body });
        }

        /// <summary>
        /// Quotes a basket with a stack of coupons (discount.quote): what each
        /// coupon takes off and every line's share, exact to the fen.
        /// </summary>
        public static QuoteResult Quote(QuoteRequest request)
        {
            return Invoke<QuoteRequest, QuoteResult>("discount.quote", request);
        }

        /// <summary>Parses a zvcms user.user-by-coupon reply body (money as yuan text and as fen).</summary>
        public static CouponDiscountResult ParseCouponDiscountResponse(string body)
        {
            return Invoke<ZvcmsResponseRequest, CouponDiscountResult>("zvcms.response",
                new ZvcmsResponseRequest { Action = "user.user-by-coupon", Body = body });
        }
    }

    // ---- request and reply shapes (JSON names as in the README's method list) ----

    /// <summary>zvcms credentials: openId, grantCode and the secret openKey.</summary>
    [DataContract]
    public sealed class ZvcmsCredentials
    {
        /// <summary>The OpenId issued by zvcms.</summary>
        [DataMember(Name = "openId", EmitDefaultValue = false)] public string OpenId { get; set; }
        /// <summary>The GrantCode issued with it.</summary>
        [DataMember(Name = "grantCode", EmitDefaultValue = false)] public string GrantCode { get; set; }
        /// <summary>The secret that signs the token (never sent, never in an error).</summary>
        [DataMember(Name = "openKey", EmitDefaultValue = false)] public string OpenKey { get; set; }
        /// <summary>Optional base URL (sandbox, proxy); default http://openapi.zvcms.com/api/v2.</summary>
        [DataMember(Name = "baseUrl", EmitDefaultValue = false)] public string BaseUrl { get; set; }
        /// <summary>Optional token key style option (see the README's protocol notes).</summary>
        [DataMember(Name = "tokenKeyStyle", EmitDefaultValue = false)] public string TokenKeyStyle { get; set; }
        /// <summary>Optional couponsCardList style option (see the README's protocol notes).</summary>
        [DataMember(Name = "couponListStyle", EmitDefaultValue = false)] public string CouponListStyle { get; set; }
    }

    /// <summary>Allinpay keys: appId, the merchant private key and the platform public key (PEM or Base64 DER).</summary>
    [DataContract]
    public sealed class AllinpayKeys
    {
        /// <summary>The appId issued by Allinpay.</summary>
        [DataMember(Name = "appId", EmitDefaultValue = false)] public string AppId { get; set; }
        /// <summary>The merchant private key that signs requests.</summary>
        [DataMember(Name = "privateKey", EmitDefaultValue = false)] public string PrivateKey { get; set; }
        /// <summary>The platform's public key that verifies replies (not the merchant's own).</summary>
        [DataMember(Name = "platformPublicKey", EmitDefaultValue = false)] public string PlatformPublicKey { get; set; }
        /// <summary>RSA2 (default for RSA keys), RSA or SM2.</summary>
        [DataMember(Name = "signType", EmitDefaultValue = false)] public string SignType { get; set; }
        /// <summary>SM2 signer id (default 1234567812345678).</summary>
        [DataMember(Name = "signerId", EmitDefaultValue = false)] public string SignerId { get; set; }
        /// <summary>The gateway URL (required to build requests: no default pretends to be real).</summary>
        [DataMember(Name = "gatewayUrl", EmitDefaultValue = false)] public string GatewayUrl { get; set; }
        /// <summary>Optional API version (default 1.0).</summary>
        [DataMember(Name = "version", EmitDefaultValue = false)] public string Version { get; set; }
        /// <summary>Reply verification: raw (default), sorted, or skip (explicit opt-out).</summary>
        [DataMember(Name = "verifyMode", EmitDefaultValue = false)] public string VerifyMode { get; set; }
    }

    [DataContract]
    internal sealed class SessionOpenRequest
    {
        [DataMember(Name = "zvcms", EmitDefaultValue = false)] public ZvcmsCredentials Zvcms;
        [DataMember(Name = "allinpay", EmitDefaultValue = false)] public AllinpayKeys Allinpay;
    }

    [DataContract]
    internal sealed class SessionOpenResult
    {
        [DataMember(Name = "session")] public string Session;
    }

    [DataContract]
    internal sealed class SignedRequest<TParams>
    {
        [DataMember(Name = "session", EmitDefaultValue = false)] public string Session;
        [DataMember(Name = "timestamp", EmitDefaultValue = false)] public string Timestamp;
        [DataMember(Name = "nonce", EmitDefaultValue = false)] public string Nonce;
        [DataMember(Name = "params")] public TParams Params;
    }

    [DataContract]
    internal sealed class ZvcmsResponseRequest
    {
        [DataMember(Name = "action")] public string Action;
        [DataMember(Name = "body")] public string Body;
    }

    [DataContract]
    internal sealed class AllinpayResponseRequest
    {
        [DataMember(Name = "session")] public string Session;
        [DataMember(Name = "method")] public string Method;
        [DataMember(Name = "body")] public string Body;
    }

    /// <summary>Params of communal.user.coupons-vertify (seed 000); amounts in fen, as text.</summary>
    [DataContract]
    public sealed class VerifyCouponsParams
    {
        /// <summary>Business id (required); a reversal uses the bizId of the reply.</summary>
        [DataMember(Name = "bizId", EmitDefaultValue = false)] public string BizId { get; set; }
        /// <summary>Account name (optional).</summary>
        [DataMember(Name = "channel", EmitDefaultValue = false)] public string Channel { get; set; }
        /// <summary>Member id (18 digits); required unless Type is "1".</summary>
        [DataMember(Name = "customerId", EmitDefaultValue = false)] public string CustomerId { get; set; }
        /// <summary>Group id (optional).</summary>
        [DataMember(Name = "groupId", EmitDefaultValue = false)] public string GroupId { get; set; }
        /// <summary>Coupon ids (or scanned codes when Type is "1"); exactly one with UseCount.</summary>
        [DataMember(Name = "couponsCardList", EmitDefaultValue = false)] public List<string> CouponsCardList { get; set; }
        /// <summary>"1": CouponsCardList holds scanned redemption codes.</summary>
        [DataMember(Name = "type", EmitDefaultValue = false)] public string Type { get; set; }
        /// <summary>Channel and store details (optional).</summary>
        [DataMember(Name = "ext", EmitDefaultValue = false)] public VerifyExt Ext { get; set; }
        /// <summary>Uses of a counted coupon (次券); then one coupon only.</summary>
        [DataMember(Name = "useCount", EmitDefaultValue = false)] public string UseCount { get; set; }
        /// <summary>Goods codes (paper coupons may need them).</summary>
        [DataMember(Name = "tradeMarks", EmitDefaultValue = false)] public List<string> TradeMarks { get; set; }
        /// <summary>Amount redeemed with the coupon, in fen ("500" = 5.00 yuan).</summary>
        [DataMember(Name = "amount", EmitDefaultValue = false)] public string Amount { get; set; }
        /// <summary>The order's amount, in fen.</summary>
        [DataMember(Name = "orderAmount", EmitDefaultValue = false)] public string OrderAmount { get; set; }
    }

    /// <summary>The ext block of a verify request.</summary>
    [DataContract]
    public sealed class VerifyExt
    {
        /// <summary>1 Alipay, 2 WeChat, 3 POS, 4 Meituan, 5 Eleme, 6 Youzan, 7 third party.</summary>
        [DataMember(Name = "channelType", EmitDefaultValue = false)] public string ChannelType { get; set; }
        /// <summary>Store id.</summary>
        [DataMember(Name = "multiStoreId", EmitDefaultValue = false)] public string MultiStoreId { get; set; }
        /// <summary>Store code (needed for paper coupons: send it every time).</summary>
        [DataMember(Name = "multiStoreMark", EmitDefaultValue = false)] public string MultiStoreMark { get; set; }
        /// <summary>Order number.</summary>
        [DataMember(Name = "orderNo", EmitDefaultValue = false)] public string OrderNo { get; set; }
        /// <summary>Reason.</summary>
        [DataMember(Name = "reason", EmitDefaultValue = false)] public string Reason { get; set; }
    }

    /// <summary>Params of user.user-by-coupon (seed 001); money in yuan, as text.</summary>
    [DataContract]
    public sealed class CouponDiscountParams
    {
        /// <summary>The user's coupon id (18 digits), or a scanned code when Type is "1".</summary>
        [DataMember(Name = "user_coupon_id", EmitDefaultValue = false)] public string UserCouponId { get; set; }
        /// <summary>The member id; required unless Type is "1".</summary>
        [DataMember(Name = "user_id", EmitDefaultValue = false)] public string UserId { get; set; }
        /// <summary>The goods.</summary>
        [DataMember(Name = "items", EmitDefaultValue = false)] public List<GoodsItem> Items { get; set; }
        /// <summary>Store code.</summary>
        [DataMember(Name = "multi_mark", EmitDefaultValue = false)] public string MultiMark { get; set; }
        /// <summary>Coupon template id.</summary>
        [DataMember(Name = "coupon_id", EmitDefaultValue = false)] public string CouponId { get; set; }
        /// <summary>1 eat in, 3 delivery.</summary>
        [DataMember(Name = "type_cate", EmitDefaultValue = false)] public string TypeCate { get; set; }
        /// <summary>Order discount already given, yuan.</summary>
        [DataMember(Name = "discount_price", EmitDefaultValue = false)] public string DiscountPrice { get; set; }
        /// <summary>"1": UserCouponId is a scanned code.</summary>
        [DataMember(Name = "type", EmitDefaultValue = false)] public string Type { get; set; }
        /// <summary>Coupon code (this or UserCouponId).</summary>
        [DataMember(Name = "coupon_code", EmitDefaultValue = false)] public string CouponCode { get; set; }
        /// <summary>0 online (default), 1 offline.</summary>
        [DataMember(Name = "usage_scenarios", EmitDefaultValue = false)] public string UsageScenarios { get; set; }
    }

    /// <summary>One goods line of a coupon discount request.</summary>
    [DataContract]
    public sealed class GoodsItem
    {
        /// <summary>Quantity.</summary>
        [DataMember(Name = "num", EmitDefaultValue = false)] public string Num { get; set; }
        /// <summary>Goods code.</summary>
        [DataMember(Name = "trade_mark", EmitDefaultValue = false)] public string TradeMark { get; set; }
        /// <summary>Price in yuan ("12.50").</summary>
        [DataMember(Name = "price", EmitDefaultValue = false)] public string Price { get; set; }
    }

    /// <summary>Params of Allinpay couponSend (seed 002): every value text.</summary>
    [DataContract]
    public sealed class CouponSendParams
    {
        /// <summary>Shop id (this or ShopCode).</summary>
        [DataMember(Name = "shopId", EmitDefaultValue = false)] public string ShopId { get; set; }
        /// <summary>Shop code.</summary>
        [DataMember(Name = "shopCode", EmitDefaultValue = false)] public string ShopCode { get; set; }
        /// <summary>Cashier login name (required).</summary>
        [DataMember(Name = "operUserId", EmitDefaultValue = false)] public string OperUserId { get; set; }
        /// <summary>1 electronic, 2 paper (required).</summary>
        [DataMember(Name = "couponType", EmitDefaultValue = false)] public string CouponType { get; set; }
        /// <summary>How many coupons (required, positive).</summary>
        [DataMember(Name = "num", EmitDefaultValue = false)] public string Num { get; set; }
        /// <summary>Coupon template id (required).</summary>
        [DataMember(Name = "couponTemplateId", EmitDefaultValue = false)] public string CouponTemplateId { get; set; }
        /// <summary>Member id type: 1 phone, 2 card, 3 openid, 5 external.</summary>
        [DataMember(Name = "idType", EmitDefaultValue = false)] public string IdType { get; set; }
        /// <summary>Member id (required with IdType).</summary>
        [DataMember(Name = "memberId", EmitDefaultValue = false)] public string MemberId { get; set; }
        /// <summary>Your order id (required).</summary>
        [DataMember(Name = "orderId", EmitDefaultValue = false)] public string OrderId { get; set; }
        /// <summary>Source type.</summary>
        [DataMember(Name = "sourceType", EmitDefaultValue = false)] public string SourceType { get; set; }
        /// <summary>Source value.</summary>
        [DataMember(Name = "sourceValue", EmitDefaultValue = false)] public string SourceValue { get; set; }
        /// <summary>Remark.</summary>
        [DataMember(Name = "remark", EmitDefaultValue = false)] public string Remark { get; set; }
        /// <summary>Buyer's mobile (some coupon kinds).</summary>
        [DataMember(Name = "buyerMobile", EmitDefaultValue = false)] public string BuyerMobile { get; set; }
    }

    /// <summary>A built, signed zvcms request: POST Body to Url with ContentType.</summary>
    [DataContract]
    public sealed class ZvcmsRequest
    {
        /// <summary>Where to POST.</summary>
        [DataMember(Name = "url")] public string Url { get; set; }
        /// <summary>The Content-Type header.</summary>
        [DataMember(Name = "contentType")] public string ContentType { get; set; }
        /// <summary>The exact body to send (UTF-8).</summary>
        [DataMember(Name = "body")] public string Body { get; set; }
        /// <summary>The token in the body.</summary>
        [DataMember(Name = "token")] public string Token { get; set; }
        /// <summary>The timestamp used.</summary>
        [DataMember(Name = "timestamp")] public string Timestamp { get; set; }
        /// <summary>The nonce used.</summary>
        [DataMember(Name = "nonce")] public string Nonce { get; set; }
        /// <summary>The action.</summary>
        [DataMember(Name = "action")] public string Action { get; set; }
    }

    /// <summary>A built, signed Allinpay request: POST Body to Url with ContentType.</summary>
    [DataContract]
    public sealed class AllinpayRequest
    {
        /// <summary>Where to POST (the configured gateway).</summary>
        [DataMember(Name = "url")] public string Url { get; set; }
        /// <summary>The Content-Type header (form, UTF-8).</summary>
        [DataMember(Name = "contentType")] public string ContentType { get; set; }
        /// <summary>The exact form body to send.</summary>
        [DataMember(Name = "body")] public string Body { get; set; }
        /// <summary>The names of the signed parameters, in order.</summary>
        [DataMember(Name = "signedFields")] public string[] SignedFields { get; set; }
        /// <summary>The exact text that was signed (for 验签 debugging).</summary>
        [DataMember(Name = "signContent")] public string SignContent { get; set; }
        /// <summary>The Base64 signature.</summary>
        [DataMember(Name = "sign")] public string Sign { get; set; }
    }

    /// <summary>The member block of zvcms replies (vendor names; every value text, "" when absent).</summary>
    [DataContract]
    public sealed class UserInfo
    {
        /// <summary>Member id.</summary>
        [DataMember(Name = "customer_id")] public string CustomerId { get; set; }
        /// <summary>Group id.</summary>
        [DataMember(Name = "groupId")] public string GroupId { get; set; }
        /// <summary>Member name.</summary>
        [DataMember(Name = "username")] public string Username { get; set; }
        /// <summary>Nickname.</summary>
        [DataMember(Name = "nickname")] public string Nickname { get; set; }
        /// <summary>Avatar URL.</summary>
        [DataMember(Name = "avatar")] public string Avatar { get; set; }
        /// <summary>Phone.</summary>
        [DataMember(Name = "phone")] public string Phone { get; set; }
        /// <summary>0 unknown, 1 male, 2 female.</summary>
        [DataMember(Name = "gender")] public string Gender { get; set; }
        /// <summary>Birthday.</summary>
        [DataMember(Name = "birthday")] public string Birthday { get; set; }
        /// <summary>Province code.</summary>
        [DataMember(Name = "province")] public string Province { get; set; }
        /// <summary>City code.</summary>
        [DataMember(Name = "city")] public string City { get; set; }
        /// <summary>District code.</summary>
        [DataMember(Name = "district")] public string District { get; set; }
    }

    /// <summary>A parsed verify (核销) reply. Reverse with BizId from here, not the one sent.</summary>
    [DataContract]
    public sealed class VerifyCouponsResult
    {
        /// <summary>The vendor's status.</summary>
        [DataMember(Name = "status")] public bool Status { get; set; }
        /// <summary>The vendor's code ("0").</summary>
        [DataMember(Name = "code")] public string Code { get; set; }
        /// <summary>The vendor's message.</summary>
        [DataMember(Name = "message")] public string Message { get; set; }
        /// <summary>The bizId to use for a reversal (冲正).</summary>
        [DataMember(Name = "bizId")] public string BizId { get; set; }
        /// <summary>The redeemed coupons' card ids.</summary>
        [DataMember(Name = "cardIdList")] public string[] CardIdList { get; set; }
        /// <summary>The member.</summary>
        [DataMember(Name = "userInfo")] public UserInfo UserInfo { get; set; }
    }

    /// <summary>A parsed coupon discount reply: money as yuan text and as fen text.</summary>
    [DataContract]
    public sealed class CouponDiscountResult
    {
        /// <summary>The vendor's status.</summary>
        [DataMember(Name = "status")] public bool Status { get; set; }
        /// <summary>The vendor's code.</summary>
        [DataMember(Name = "code")] public string Code { get; set; }
        /// <summary>The vendor's message.</summary>
        [DataMember(Name = "message")] public string Message { get; set; }
        /// <summary>1 eat in, 2 take away, 3 delivery.</summary>
        [DataMember(Name = "type_cate")] public string TypeCate { get; set; }
        /// <summary>Store code.</summary>
        [DataMember(Name = "multi_mark")] public string MultiMark { get; set; }
        /// <summary>The discount, yuan ("3.30").</summary>
        [DataMember(Name = "coupon_discount")] public string CouponDiscount { get; set; }
        /// <summary>The discount, fen ("330").</summary>
        [DataMember(Name = "coupon_discount_fen")] public string CouponDiscountFen { get; set; }
        /// <summary>Coupon name.</summary>
        [DataMember(Name = "user_coupon_name")] public string UserCouponName { get; set; }
        /// <summary>User coupon id.</summary>
        [DataMember(Name = "user_coupon_id")] public string UserCouponId { get; set; }
        /// <summary>Finance payment, yuan.</summary>
        [DataMember(Name = "finance_payment")] public string FinancePayment { get; set; }
        /// <summary>Finance payment, fen.</summary>
        [DataMember(Name = "finance_payment_fen")] public string FinancePaymentFen { get; set; }
        /// <summary>The member.</summary>
        [DataMember(Name = "userInfo")] public UserInfo UserInfo { get; set; }
        /// <summary>Face value or rate as printed ("8.5").</summary>
        [DataMember(Name = "amount")] public string Amount { get; set; }
        /// <summary>0 fixed amount, 1 rate.</summary>
        [DataMember(Name = "coupon_type")] public string CouponType { get; set; }
        /// <summary>Per-goods shares of the discount.</summary>
        [DataMember(Name = "goods_item")] public GoodsShare[] GoodsItems { get; set; }
    }

    /// <summary>One goods line's share of a coupon discount.</summary>
    [DataContract]
    public sealed class GoodsShare
    {
        /// <summary>Goods code.</summary>
        [DataMember(Name = "trade_mark")] public string TradeMark { get; set; }
        /// <summary>Share, yuan.</summary>
        [DataMember(Name = "coupon_minus")] public string CouponMinus { get; set; }
        /// <summary>Share, fen.</summary>
        [DataMember(Name = "coupon_minus_fen")] public string CouponMinusFen { get; set; }
    }

    /// <summary>A verified, parsed couponSend reply.</summary>
    [DataContract]
    public sealed class CouponSendResult
    {
        /// <summary>"0".</summary>
        [DataMember(Name = "code")] public string Code { get; set; }
        /// <summary>Whether the signature was verified (false only with verifyMode skip).</summary>
        [DataMember(Name = "verified")] public bool Verified { get; set; }
        /// <summary>Transaction number.</summary>
        [DataMember(Name = "tranNo")] public string TranNo { get; set; }
        /// <summary>Shop name (null when the vendor sent null).</summary>
        [DataMember(Name = "shopName")] public string ShopName { get; set; }
        /// <summary>Transaction time, yyyy-MM-dd HH:mm:ss (China time).</summary>
        [DataMember(Name = "tranDateTime")] public string TranDateTime { get; set; }
        /// <summary>Usage notes.</summary>
        [DataMember(Name = "instruction")] public string Instruction { get; set; }
        /// <summary>The coupons issued.</summary>
        [DataMember(Name = "list")] public SentCoupon[] List { get; set; }
        /// <summary>Request sequence.</summary>
        [DataMember(Name = "reqSeq")] public string ReqSeq { get; set; }
        /// <summary>Response sequence.</summary>
        [DataMember(Name = "respSeq")] public string RespSeq { get; set; }
    }

    /// <summary>One issued coupon.</summary>
    [DataContract]
    public sealed class SentCoupon
    {
        /// <summary>Template id.</summary>
        [DataMember(Name = "templateId")] public string TemplateId { get; set; }
        /// <summary>Coupon name.</summary>
        [DataMember(Name = "couponName")] public string CouponName { get; set; }
        /// <summary>Coupon number (null when none).</summary>
        [DataMember(Name = "couponNo")] public string CouponNo { get; set; }
        /// <summary>QR code content (null when none).</summary>
        [DataMember(Name = "qrCodeContext")] public string QrCodeContext { get; set; }
    }

    /// <summary>A discount.quote request: basket lines and a stack of coupons, money as yuan text.</summary>
    [DataContract]
    public sealed class QuoteRequest
    {
        /// <summary>half-up (default, 四舍五入), down (抹分), half-even or exact.</summary>
        [DataMember(Name = "rounding", EmitDefaultValue = false)] public string Rounding { get; set; }
        /// <summary>The basket lines, in order (the order breaks ties).</summary>
        [DataMember(Name = "lines", EmitDefaultValue = false)] public List<QuoteLine> Lines { get; set; }
        /// <summary>The coupons, applied in order.</summary>
        [DataMember(Name = "coupons", EmitDefaultValue = false)] public List<QuoteCoupon> Coupons { get; set; }
    }

    /// <summary>One basket line of a quote.</summary>
    [DataContract]
    public sealed class QuoteLine
    {
        /// <summary>Line id (the goods code / trade_mark), unique in the basket.</summary>
        [DataMember(Name = "id", EmitDefaultValue = false)] public string Id { get; set; }
        /// <summary>Quantity ("2", or "0.355" for weighed goods).</summary>
        [DataMember(Name = "quantity", EmitDefaultValue = false)] public string Quantity { get; set; }
        /// <summary>Unit price, yuan.</summary>
        [DataMember(Name = "unitPrice", EmitDefaultValue = false)] public string UnitPrice { get; set; }
        /// <summary>Discount already given on the line (member price, promotion), yuan.</summary>
        [DataMember(Name = "priorDiscount", EmitDefaultValue = false)] public string PriorDiscount { get; set; }
    }

    /// <summary>One coupon of a quote.</summary>
    [DataContract]
    public sealed class QuoteCoupon
    {
        /// <summary>Your id for the coupon (echoed in the result).</summary>
        [DataMember(Name = "id", EmitDefaultValue = false)] public string Id { get; set; }
        /// <summary>"fixed" (立减/满减) or "rate" (折扣券).</summary>
        [DataMember(Name = "kind", EmitDefaultValue = false)] public string Kind { get; set; }
        /// <summary>Fixed coupons: the amount off, yuan.</summary>
        [DataMember(Name = "value", EmitDefaultValue = false)] public string Value { get; set; }
        /// <summary>Rate coupons: the rate in 折 ("8.5" pays 85%).</summary>
        [DataMember(Name = "rate", EmitDefaultValue = false)] public string Rate { get; set; }
        /// <summary>Minimum eligible amount (满), yuan.</summary>
        [DataMember(Name = "threshold", EmitDefaultValue = false)] public string Threshold { get; set; }
        /// <summary>Rate coupons: the most they take off, yuan.</summary>
        [DataMember(Name = "cap", EmitDefaultValue = false)] public string Cap { get; set; }
        /// <summary>Line ids the coupon applies to (empty: all).</summary>
        [DataMember(Name = "include", EmitDefaultValue = false)] public List<string> Include { get; set; }
        /// <summary>Line ids the coupon never applies to.</summary>
        [DataMember(Name = "exclude", EmitDefaultValue = false)] public List<string> Exclude { get; set; }
    }

    /// <summary>A quote: every amount as yuan text ("12.50") and as fen text ("1250").</summary>
    [DataContract]
    public sealed class QuoteResult
    {
        /// <summary>The rounding used.</summary>
        [DataMember(Name = "rounding")] public string Rounding { get; set; }
        /// <summary>Sum of quantity × unit price.</summary>
        [DataMember(Name = "gross")] public string Gross { get; set; }
        /// <summary>Gross in fen.</summary>
        [DataMember(Name = "grossFen")] public string GrossFen { get; set; }
        /// <summary>Sum of prior discounts.</summary>
        [DataMember(Name = "priorDiscount")] public string PriorDiscount { get; set; }
        /// <summary>Prior discounts in fen.</summary>
        [DataMember(Name = "priorDiscountFen")] public string PriorDiscountFen { get; set; }
        /// <summary>Gross minus prior discounts: what the coupons apply to.</summary>
        [DataMember(Name = "amount")] public string Amount { get; set; }
        /// <summary>Amount in fen.</summary>
        [DataMember(Name = "amountFen")] public string AmountFen { get; set; }
        /// <summary>What the coupons take off.</summary>
        [DataMember(Name = "discount")] public string Discount { get; set; }
        /// <summary>Discount in fen.</summary>
        [DataMember(Name = "discountFen")] public string DiscountFen { get; set; }
        /// <summary>What the customer pays.</summary>
        [DataMember(Name = "payable")] public string Payable { get; set; }
        /// <summary>Payable in fen.</summary>
        [DataMember(Name = "payableFen")] public string PayableFen { get; set; }
        /// <summary>Per coupon, in the order given.</summary>
        [DataMember(Name = "coupons")] public QuoteCouponResult[] Coupons { get; set; }
        /// <summary>Per line, in the order given.</summary>
        [DataMember(Name = "lines")] public QuoteLineResult[] Lines { get; set; }
    }

    /// <summary>What one coupon did in a quote.</summary>
    [DataContract]
    public sealed class QuoteCouponResult
    {
        /// <summary>The coupon's id.</summary>
        [DataMember(Name = "id")] public string Id { get; set; }
        /// <summary>"fixed" or "rate".</summary>
        [DataMember(Name = "kind")] public string Kind { get; set; }
        /// <summary>Whether it applied.</summary>
        [DataMember(Name = "applied")] public bool Applied { get; set; }
        /// <summary>Why not ("" when it applied), e.g. below the threshold.</summary>
        [DataMember(Name = "reason")] public string Reason { get; set; }
        /// <summary>The eligible amount it saw.</summary>
        [DataMember(Name = "eligible")] public string Eligible { get; set; }
        /// <summary>Eligible in fen.</summary>
        [DataMember(Name = "eligibleFen")] public string EligibleFen { get; set; }
        /// <summary>What it took off.</summary>
        [DataMember(Name = "discount")] public string Discount { get; set; }
        /// <summary>Discount in fen.</summary>
        [DataMember(Name = "discountFen")] public string DiscountFen { get; set; }
    }

    /// <summary>One line of a quote.</summary>
    [DataContract]
    public sealed class QuoteLineResult
    {
        /// <summary>The line's id.</summary>
        [DataMember(Name = "id")] public string Id { get; set; }
        /// <summary>Quantity.</summary>
        [DataMember(Name = "quantity")] public string Quantity { get; set; }
        /// <summary>Unit price.</summary>
        [DataMember(Name = "unitPrice")] public string UnitPrice { get; set; }
        /// <summary>Quantity × unit price, rounded to the fen.</summary>
        [DataMember(Name = "gross")] public string Gross { get; set; }
        /// <summary>Gross in fen.</summary>
        [DataMember(Name = "grossFen")] public string GrossFen { get; set; }
        /// <summary>Gross minus the prior discount.</summary>
        [DataMember(Name = "amount")] public string Amount { get; set; }
        /// <summary>Amount in fen.</summary>
        [DataMember(Name = "amountFen")] public string AmountFen { get; set; }
        /// <summary>Each coupon's share of this line, in coupon order.</summary>
        [DataMember(Name = "shares")] public string[] Shares { get; set; }
        /// <summary>Shares in fen.</summary>
        [DataMember(Name = "sharesFen")] public string[] SharesFen { get; set; }
        /// <summary>All coupons' shares.</summary>
        [DataMember(Name = "discount")] public string Discount { get; set; }
        /// <summary>Discount in fen.</summary>
        [DataMember(Name = "discountFen")] public string DiscountFen { get; set; }
        /// <summary>What the line costs after the coupons.</summary>
        [DataMember(Name = "payable")] public string Payable { get; set; }
        /// <summary>Payable in fen.</summary>
        [DataMember(Name = "payableFen")] public string PayableFen { get; set; }
    }

    /// <summary>Reads reply envelopes: the result text, or the error as an exception.</summary>
    internal static class Envelope
    {
        [DataContract]
        internal sealed class ErrorBody
        {
            [DataMember(Name = "code")] public string Code;
            [DataMember(Name = "message")] public string Message;
            [DataMember(Name = "field")] public string Field;
            [DataMember(Name = "vendorStatus")] public string VendorStatus;
            [DataMember(Name = "vendorCode")] public string VendorCode;
            [DataMember(Name = "vendorMessage")] public string VendorMessage;
            [DataMember(Name = "reason")] public string Reason;
        }

        /// <summary>Returns the raw "result" text of a success envelope; throws for an error envelope.</summary>
        internal static string Result(string method, string envelope)
        {
            string ok = null, result = null, error = null;
            Json.Members(envelope, delegate(string name, string raw)
            {
                if (name == "ok") ok = raw;
                else if (name == "result") result = raw;
                else if (name == "error") error = raw;
            });
            if (ok == "true" && result != null) return result;
            if (ok == "false" && error != null)
            {
                var e = Json.Read<ErrorBody>(error);
                throw new CouponKitException(method, e.Code, e.Message, e.Field,
                    e.VendorStatus, e.VendorCode, e.VendorMessage, e.Reason);
            }
            throw new CouponKitException(method, ErrorCodes.Internal,
                "couponkit: reply is not an envelope: " + Clip(envelope), "", "", "", "", "");
        }

        private static string Clip(string s)
        {
            return s.Length <= 200 ? s : s.Substring(0, 200) + "...";
        }
    }

    /// <summary>
    /// JSON helpers on .NET 4.0's DataContractJsonSerializer, plus a small
    /// scanner that splits an object into its members' raw text.
    /// </summary>
    public static class Json
    {
        private static readonly Dictionary<Type, DataContractJsonSerializer> serializers =
            new Dictionary<Type, DataContractJsonSerializer>();

        private static DataContractJsonSerializer For(Type t)
        {
            lock (serializers)
            {
                DataContractJsonSerializer s;
                if (!serializers.TryGetValue(t, out s))
                {
                    s = new DataContractJsonSerializer(t);
                    serializers[t] = s;
                }
                return s;
            }
        }

        /// <summary>Serializes a [DataContract] value to JSON text.</summary>
        public static string Write<T>(T value)
        {
            using (var ms = new MemoryStream())
            {
                For(typeof(T)).WriteObject(ms, value);
                return Encoding.UTF8.GetString(ms.ToArray());
            }
        }

        /// <summary>Deserializes JSON text into a [DataContract] type.</summary>
        public static T Read<T>(string json)
        {
            using (var ms = new MemoryStream(Encoding.UTF8.GetBytes(json)))
            {
                return (T)For(typeof(T)).ReadObject(ms);
            }
        }

        /// <summary>Quotes s as a JSON string literal.</summary>
        public static string Quote(string s)
        {
            var sb = new StringBuilder(s.Length + 2);
            sb.Append('"');
            foreach (char c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    default:
                        if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4"));
                        else sb.Append(c);
                        break;
                }
            }
            return sb.Append('"').ToString();
        }

        /// <summary>Receives one member of an object: its name and its raw JSON text.</summary>
        public delegate void MemberHandler(string name, string raw);

        /// <summary>
        /// Calls handler for every member of the JSON object json, in order,
        /// with the member's value as raw JSON text. Throws FormatException
        /// when json is not an object.
        /// </summary>
        public static void Members(string json, MemberHandler handler)
        {
            int i = SkipWs(json, 0);
            Expect(json, i++, '{');
            i = SkipWs(json, i);
            if (i < json.Length && json[i] == '}') return;
            while (true)
            {
                i = SkipWs(json, i);
                int nameEnd = SkipValue(json, i);
                Expect(json, i, '"');
                string name = Read<string>(json.Substring(i, nameEnd - i));
                i = SkipWs(json, nameEnd);
                Expect(json, i++, ':');
                i = SkipWs(json, i);
                int end = SkipValue(json, i);
                handler(name, json.Substring(i, end - i));
                i = SkipWs(json, end);
                if (i < json.Length && json[i] == ',') { i++; continue; }
                Expect(json, i, '}');
                return;
            }
        }

        /// <summary>Receives one element of an array as raw JSON text.</summary>
        public delegate void ElementHandler(int index, string raw);

        /// <summary>
        /// Calls handler for every element of the JSON array json, in order,
        /// with the element as raw JSON text.
        /// </summary>
        public static void Elements(string json, ElementHandler handler)
        {
            int i = SkipWs(json, 0);
            Expect(json, i++, '[');
            i = SkipWs(json, i);
            if (i < json.Length && json[i] == ']') return;
            for (int n = 0; ; n++)
            {
                i = SkipWs(json, i);
                int end = SkipValue(json, i);
                handler(n, json.Substring(i, end - i));
                i = SkipWs(json, end);
                if (i < json.Length && json[i] == ',') { i++; continue; }
                Expect(json, i, ']');
                return;
            }
        }

        private static void Expect(string s, int i, char c)
        {
            if (i >= s.Length || s[i] != c)
                throw new FormatException("JSON: expected '" + c + "' at offset " + i);
        }

        private static int SkipWs(string s, int i)
        {
            while (i < s.Length && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++;
            return i;
        }

        /// <summary>Returns the offset just past the JSON value starting at i.</summary>
        private static int SkipValue(string s, int i)
        {
            if (i >= s.Length) throw new FormatException("JSON: value expected at offset " + i);
            char c = s[i];
            if (c == '"')
            {
                for (i++; i < s.Length; i++)
                {
                    if (s[i] == '\\') i++;
                    else if (s[i] == '"') return i + 1;
                }
                throw new FormatException("JSON: unterminated string");
            }
            if (c == '{' || c == '[')
            {
                int depth = 0;
                for (; i < s.Length; i++)
                {
                    char d = s[i];
                    if (d == '"') { i = SkipValue(s, i) - 1; continue; }
                    if (d == '{' || d == '[') depth++;
                    else if (d == '}' || d == ']') { if (--depth == 0) return i + 1; }
                }
                throw new FormatException("JSON: unterminated " + c);
            }
            int start = i;
            while (i < s.Length && ",}] \t\r\n".IndexOf(s[i]) < 0) i++;
            if (i == start) throw new FormatException("JSON: value expected at offset " + i);
            return i;
        }
    }
}
