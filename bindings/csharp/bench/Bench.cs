// Bench.cs: per-call cost of zvcms.verifyCoupons.request through the C#
// binding (Mono), in the format of examples/c/bench.c so `make bench` can put
// the figures side by side:  BenchmarkCSharp/<name> <calls> <ns> ns/op
//   raw    Native.Invoke(method, json): UTF-8 marshalling, ck_invoke, ck_free, envelope split
//   typed  Session.VerifyCouponsRequest: the above plus DataContractJsonSerializer both ways
// Usage: Bench.exe REQUEST-FILE   (examples/c/bench_verify.json, the C bench's request)
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using CouponKit;

internal static class Bench
{
    private static void Measure(string name, int n, Action call)
    {
        for (int i = 0; i < n / 10; i++) call(); // warm up (JIT, caches)
        double best = double.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < n; i++) call();
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds * 1e6 / n);
        }
        Console.WriteLine("BenchmarkCSharp/{0} {1} {2:0} ns/op", name, n, best);
    }

    private static void Main(string[] args)
    {
        string req = File.ReadAllText(args.Length > 0 ? args[0] : "examples/c/bench_verify.json").Trim();
        Measure("verifyCoupons.request.raw", 20000, delegate { Native.Invoke("zvcms.verifyCoupons.request", req); });
        var zv = new ZvcmsCredentials { OpenId = "6dc05b4ac175cf316d226252b05cf685", GrantCode = "782c281f62", OpenKey = "bench-open-key-TEST-ONLY" };
        using (var s = new Session(zv, null))
        {
            var p = new VerifyCouponsParams
            {
                BizId = "order-1", CustomerId = "383933091455959041", CouponsCardList = new List<string> { "390962138708451328" },
                Ext = new VerifyExt { ChannelType = "3", MultiStoreMark = "SH0001" }, Amount = "500", OrderAmount = "2600",
            };
            Measure("verifyCoupons.request.typed", 5000, delegate { s.VerifyCouponsRequest(p, "1547186244", "658965"); });
        }
    }
}
