// The program of tests/dist/Consumer.csproj: uses the CouponKit assembly from
// the NuGet package (lib/net40) against the native library (here the Linux
// .so standing in for runtimes/win-*/native/couponkit.dll). Prints what it
// found; exits 1 at the first check that fails.
//   Consumer.exe EXPECTED-VERSION
using System;
using System.Reflection;

static class Consumer
{
    static int failures;

    static void Check(bool ok, string what)
    {
        Console.WriteLine((ok ? "ok   " : "FAIL ") + what);
        if (!ok) failures++;
    }

    static int Main(string[] args)
    {
        string want = args.Length > 0 ? args[0] : "";
        Assembly asm = typeof(CouponKit.Native).Assembly;
        var info = (AssemblyInformationalVersionAttribute)Attribute.GetCustomAttribute(asm, typeof(AssemblyInformationalVersionAttribute));
        Check(info != null && info.InformationalVersion == want,
            "assembly " + asm.GetName().Name + " " + asm.GetName().Version + ", informational version " + (info == null ? "(none)" : info.InformationalVersion));

        string version = CouponKit.Native.Version;
        Check(version == want, "ck_version: " + version);

        string fen = CouponKit.Native.Invoke("money.toFen", "{\"yuan\":\"12.34\"}");
        Check(fen.Contains("\"fen\":\"1234\""), "money.toFen 12.34: " + fen);

        string yuan = CouponKit.Native.Invoke("money.toYuan", "{\"fen\":-5}");
        Check(yuan.Contains("\"yuan\":\"-0.05\""), "money.toYuan -5: " + yuan);

        try
        {
            CouponKit.Native.Invoke("money.toFen", "{\"yuan\":\"0.125\"}");
            Check(false, "money.toFen 0.125 without rounding: no exception");
        }
        catch (CouponKit.CouponKitException e)
        {
            Check(e.Code == "INVALID_ARGUMENT" && e.Field == "yuan", "money.toFen 0.125 without rounding: " + e.Code + " on " + e.Field);
        }
        return failures == 0 ? 0 : 1;
    }
}
