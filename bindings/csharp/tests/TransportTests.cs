// TransportTests.cs: the C# binding's transport options against the real library and the sandbox, run by
// `make test-csharp` under examples/sandbox/with-sandbox.sh, which serves the sandbox over HTTP and HTTPS
// (a certificate from a CA made at start: SANDBOX_CA_FILE) and runs a proxy that counts what it relays
// (SANDBOX_PROXY_URL, GET /counts). A session opened with an explicit proxy sends a verification through
// it; one given the CA as PEM reaches the HTTPS sandbox, which one without it cannot; both together go
// through a CONNECT tunnel. Prints one line per failure and "N passed, N failed"; exits 1 on any failure.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using CouponKit;

internal static class TransportTests
{
    private static int passed, failed;
    private static string plainUrl, tlsUrl, proxyUrl, caPem;

    private static void Check(bool ok, string what)
    {
        if (ok) passed++;
        else { failed++; Console.WriteLine("FAIL: " + what); }
    }

    private static string Env(string name)
    {
        string v = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(v))
        {
            Console.WriteLine("FAIL: " + name + " is not set; run under examples/sandbox/with-sandbox.sh (make test-csharp does)");
            Environment.Exit(2);
        }
        return v.TrimEnd('/');
    }

    private static ZvcmsCredentials Zvcms(string baseUrl)
    {
        return new ZvcmsCredentials
        {
            OpenId = "6dc05b4ac175cf316d226252b05cf685", GrantCode = "782c281f62",
            OpenKey = "sandbox-open-key-TEST-ONLY", BaseUrl = baseUrl + "/api/v2",
        };
    }

    private static VerifyCouponsParams Verify(string bizId)
    {
        return new VerifyCouponsParams
        {
            BizId = bizId, CustomerId = "383933091455959041",
            CouponsCardList = new List<string> { "390962138708451328" }, Amount = "500", OrderAmount = "2800",
        };
    }

    /// <summary>What the proxy relayed so far: {forwarded, tunnels}, asked directly (proxy "none").</summary>
    private static int[] Counts()
    {
        var r = Api.HttpSend(new HTTPSendRequest { Method = "GET", Url = proxyUrl + "/counts", Transport = new Transport { Proxy = "none" } });
        Check(r.Status == 200 && r.Header("content-type") == "application/json", "counts reply: " + r.Status + " " + r.Header("Content-Type"));
        var counts = new int[2];
        Json.Members(Encoding.UTF8.GetString(r.BodyBytes()), delegate(string name, string raw)
        {
            if (name == "forwarded") counts[0] = int.Parse(raw);
            if (name == "tunnels") counts[1] = int.Parse(raw);
        });
        return counts;
    }

    private static void CountsMoved(string what, int[] before, int forwarded, int tunnels)
    {
        int[] now = Counts();
        Check(now[0] - before[0] == forwarded && now[1] - before[1] == tunnels, what + ": the proxy relayed " +
            (now[0] - before[0]) + " requests and " + (now[1] - before[1]) + " tunnels, want " + forwarded + " and " + tunnels);
    }

    private static CouponKitException Fails(string what, Action a)
    {
        try { a(); }
        catch (CouponKitException e) { return e; }
        Check(false, what + ": no exception");
        return null;
    }

    private static int Main()
    {
        plainUrl = Env("SANDBOX_URL"); tlsUrl = Env("SANDBOX_TLS_URL"); proxyUrl = Env("SANDBOX_PROXY_URL");
        caPem = File.ReadAllText(Env("SANDBOX_CA_FILE"));
        const string bizId = "CS-TRANSPORT-1";

        // 1. An explicit proxy: the verification goes through it (absolute form), and is redeemed.
        int[] c0 = Counts();
        using (var s = new Session(Zvcms(plainUrl), null, new Transport { Proxy = proxyUrl }))
        {
            Check(s.Transport != null && s.Transport.Proxy == proxyUrl, "Session.Transport keeps the options");
            var r = s.VerifyCoupons(Verify(bizId));
            Check(r.BizId == bizId && r.CardIdList.Length == 1 && r.CardIdList[0] == "390962138708451328", "verify through the proxy: " + r.BizId);
            CountsMoved("verify through the proxy", c0, 1, 0);

            // http.send with the session's proxy, and with an inline "none" overriding it.
            int[] c1 = Counts();
            var h = s.HttpSend("GET", plainUrl + "/health", null, (string)null, true);
            Check(h.Status == 200 && Encoding.UTF8.GetString(h.BodyBytes()) == "ok\n" && h.BodyEncoding == "utf8", "HttpSend through the proxy: " + h.Status);
            CountsMoved("HttpSend through the session's proxy", c1, 1, 0);
            int[] c2 = Counts();
            h = s.HttpSend(new HTTPSendRequest { Method = "GET", Url = plainUrl + "/health", Transport = new Transport { Proxy = "none" } });
            Check(h.Status == 200, "HttpSend with proxy none: " + h.Status);
            CountsMoved("an inline proxy none overrides the session's", c2, 0, 0);
        }

        // 2. The private CA as PEM: the HTTPS sandbox is reached; the same bizId again gives the original result.
        int[] c3 = Counts();
        using (var s = new Session(Zvcms(tlsUrl), null, new Transport { RootCAs = caPem }))
        {
            var r = s.VerifyCoupons(Verify(bizId));
            Check(r.BizId == bizId && r.CardIdList.Length == 1, "verify over HTTPS with the private CA (repeat of the same bizId): " + r.BizId);
        }
        CountsMoved("HTTPS without a proxy", c3, 0, 0);

        // 3. Without the CA the same server is refused, naming why.
        using (var s = new Session(Zvcms(tlsUrl), null))
        {
            var e = Fails("verify over HTTPS without the CA", delegate { s.VerifyCoupons(Verify(bizId)); });
            Check(e != null && e.Code == ErrorCodes.TransportError && e.Reason == "tls" && e.Message.Contains("unknown authority"),
                "without the CA: " + (e == null ? "" : e.Code + " " + e.Reason + " " + e.Message));
        }

        // 4. Proxy and CA together: a CONNECT tunnel to the HTTPS sandbox.
        int[] c4 = Counts();
        using (var s = new Session(Zvcms(tlsUrl), null, new Transport { Proxy = proxyUrl, RootCAs = caPem }))
        {
            var r = s.VerifyCoupons(Verify(bizId));
            Check(r.BizId == bizId, "verify through a CONNECT tunnel: " + r.BizId);
        }
        CountsMoved("verify through a CONNECT tunnel", c4, 0, 1);

        // 5. Bad options are refused when the session is opened, naming the member; a body limit applies.
        foreach (var bad in new[] {
            new KeyValuePair<string, Transport>("transport.proxy", new Transport { Proxy = "ftp://till:pw@10.0.0.1:21" }),
            new KeyValuePair<string, Transport>("transport.rootCAs", new Transport { RootCAs = "not PEM" }),
            new KeyValuePair<string, Transport>("transport.pinSha256[0]", new Transport { PinSha256 = new List<string> { "short" } }),
            new KeyValuePair<string, Transport>("transport.maxBody", new Transport { MaxBody = "0" }),
        })
        {
            var t = bad.Value;
            var e = Fails("session with " + bad.Key, delegate { new Session(Zvcms(plainUrl), null, t).Dispose(); });
            Check(e != null && e.Code == ErrorCodes.InvalidArgument && e.Field == bad.Key && !e.Message.Contains("pw@"),
                bad.Key + ": " + (e == null ? "" : e.Code + " " + e.Field + " " + e.Message));
        }
        using (var s = new Session(Zvcms(plainUrl), null, new Transport { MaxBody = "2" }))
        {
            var e = Fails("a reply over maxBody", delegate { s.HttpSend("GET", plainUrl + "/health", null, (byte[])null, true); });
            Check(e != null && e.Code == ErrorCodes.TransportError && e.Reason == "too_large", "maxBody 2: " + (e == null ? "" : e.Reason));
        }

        Console.WriteLine("C# transport tests: {0} passed, {1} failed", passed, failed);
        return failed == 0 ? 0 : 1;
    }
}
