// CouponKit.cs: the C# binding of couponkit (couponkit.dll / libcouponkit.so).
// Add it and CouponKit.Generated.cs (a class per request and result, and the
// typed calls Api.X and Session.X, written from the library's schema by
// internal/gen) to a project, with couponkit.dll of the process's bitness next
// to the .exe. docs/csharp.md is the reference (the frameworks and compilers,
// the build lines, the sandbox program); docs/windows.md says which DLL.
//
// This file is the glue: the native calls (every method goes through
// ck_invoke(method, json), Native.Invoke), the session, the errors and a
// small JSON reader and writer. Ids (18 digits) and money are strings
// everywhere, so nothing passes through a double. Strings cross the boundary
// as UTF-8 marshalled by hand (byte[] with a NUL in; the returned pointer
// read to its NUL, decoded, and released with ck_free in a finally block).
// All members are safe to call from many threads at once.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Runtime.Serialization.Json;
using System.Text;

namespace CouponKit
{
    /// <summary>
    /// An error reported by couponkit. Code is one of ErrorCodes; Field names
    /// the offending request value (for example "items[2].price"); for
    /// API_ERROR and SYSTEM_ERROR, VendorCode and VendorMessage carry the
    /// vendor's own code and message, verbatim, ready to show a cashier.
    /// </summary>
    [Serializable]
    public class CouponKitException : Exception
    {
        /// <summary>Creates an exception from the parts of an error envelope.</summary>
        public CouponKitException(string method, string code, string message, string field,
            string vendorStatus, string vendorCode, string vendorMessage, string reason)
            : base(Describe(code, message, field, vendorCode, vendorMessage))
        {
            Method = method ?? ""; Code = code ?? ""; Field = field ?? ""; Reason = reason ?? "";
            VendorStatus = vendorStatus ?? ""; VendorCode = vendorCode ?? ""; VendorMessage = vendorMessage ?? "";
        }

        /// <summary>The error code, one of ErrorCodes (for example "INVALID_ARGUMENT").</summary>
        public string Code { get; private set; }
        /// <summary>The path of the offending value, or "" when no single field is at fault.</summary>
        public string Field { get; private set; }
        /// <summary>The vendor's status for API_ERROR / SYSTEM_ERROR, else "".</summary>
        public string VendorStatus { get; private set; }
        /// <summary>The vendor's code for API_ERROR / SYSTEM_ERROR, else "".</summary>
        public string VendorCode { get; private set; }
        /// <summary>The vendor's message for API_ERROR / SYSTEM_ERROR (show it to the cashier), else "".</summary>
        public string VendorMessage { get; private set; }
        /// <summary>How a TRANSPORT_ERROR happened (timeout, refused, ...), else "".</summary>
        public string Reason { get; private set; }
        /// <summary>The method that failed.</summary>
        public string Method { get; private set; }

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

        /// <summary>The library version (for example "0.1.0"); ck_version's string is static, never freed.</summary>
        public static string Version { get { return FromUtf8(ck_version()); } }

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
            try { return FromUtf8(reply) ?? FromUtf8Fail(); }
            finally { ck_free(reply); }
        }

        /// <summary>
        /// Calls one method with a JSON request ("{}" when it takes none) and
        /// returns the "result" JSON text; an error envelope becomes a
        /// CouponKitException.
        /// </summary>
        public static string Invoke(string method, string requestJson) { return Envelope.Result(method, InvokeEnvelope(method, requestJson)); }

        private static string FromUtf8Fail() { throw new OutOfMemoryException("couponkit: ck_invoke returned NULL (out of memory)"); }

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

    /// <summary>A session: credentials registered (and keys parsed) once in the library. Open one per shop,
    /// share it between threads; Dispose closes it. Its typed calls are in CouponKit.Generated.cs.</summary>
    public sealed partial class Session : IDisposable
    {
        private string id;
        private readonly Transport transport;

        /// <summary>Opens a session with zvcms credentials, Allinpay keys or both (either may be null).</summary>
        public Session(ZvcmsCredentials zvcms, AllinpayKeys allinpay) : this(zvcms, allinpay, null) { }

        /// <summary>
        /// As Session(zvcms, allinpay), with how the session's one-call methods (VerifyCoupons, CouponSend,
        /// HttpSend, ...) reach the servers: a proxy ("http://user:password@10.0.0.1:3128", "none", "system"
        /// for Internet Options on Windows; null: HTTP_PROXY / HTTPS_PROXY), extra root certificates as PEM
        /// text (a private CA), pins, a trace file, a body limit. Checked now: a bad option is a
        /// CouponKitException (INVALID_ARGUMENT, Field "transport.proxy", ...) from the constructor.
        /// A call's own Transport overrides these member by member.
        /// </summary>
        public Session(ZvcmsCredentials zvcms, AllinpayKeys allinpay, Transport transport)
        {
            id = Api.SessionOpen(new SessionOpenRequest { Zvcms = zvcms, Allinpay = allinpay, Transport = transport }).Session;
            this.transport = transport;
        }

        /// <summary>The session id the library gave (sent as "session" in requests).</summary>
        public string Id { get { return id; } }

        /// <summary>The transport options the session was opened with (null: the defaults). Changing the object
        /// later changes nothing in the library: the options were registered when the session was opened.</summary>
        public Transport Transport { get { return transport; } }

        /// <summary>
        /// One HTTP exchange through the library's transport with this session's transport options (proxy,
        /// roots, pins, trace): the reply whatever its status; BodyBytes() and Header(name) read it. A body of
        /// null sends none. Not retried unless idempotent is true (then only after a failed exchange or a 5xx).
        /// </summary>
        public HTTPSendResult HttpSend(string method, string url, string contentType, string body, bool idempotent)
        {
            return HttpSend(new HTTPSendRequest { Method = method, Url = url, ContentType = contentType, Body = body, Idempotent = idempotent });
        }

        /// <summary>As HttpSend(method, url, contentType, string body, idempotent), with a body of bytes (sent
        /// as Base64 to the library, byte for byte to the server).</summary>
        public HTTPSendResult HttpSend(string method, string url, string contentType, byte[] body, bool idempotent)
        {
            return HttpSend(new HTTPSendRequest { Method = method, Url = url, ContentType = contentType, Idempotent = idempotent,
                Body = body == null ? null : Convert.ToBase64String(body), BodyEncoding = body == null ? null : "base64" });
        }

        /// <summary>Calls any method with this session ("session" is added to the request); returns the result JSON text.</summary>
        public string Invoke(string method, string requestJson)
        {
            string t = requestJson.Trim();
            if (t.Length < 2 || t[0] != '{')
                throw new ArgumentException("the request must be a JSON object", "requestJson");
            string rest = t.Substring(1).TrimStart();
            return Native.Invoke(method, "{\"session\":" + Json.Quote(id) + (rest.StartsWith("}") ? "" : ",") + rest);
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

    /// <summary>Calls without a session; the typed ones are in CouponKit.Generated.cs.</summary>
    public static partial class Api
    {
        /// <summary>Calls method with a typed request and reads its result.</summary>
        public static TResult Invoke<TRequest, TResult>(string method, TRequest request)
            where TRequest : IJsonRequest where TResult : class, IJsonObject, new()
        { return new JsonReader(Native.Invoke(method, Json.Write(request))).ReadObject<TResult>(); }
    }

    /// <summary>Reading an http.send reply.</summary>
    public static class HttpSendResults
    {
        /// <summary>The body's bytes exactly as the server sent them (decoded from Base64 when the library gave
        /// it so: BodyEncoding "base64", a body that is not UTF-8 text).</summary>
        public static byte[] BodyBytes(this HTTPSendResult r)
        {
            if (r.Body == null) return new byte[0];
            return r.BodyEncoding == "base64" ? Convert.FromBase64String(r.Body) : Encoding.UTF8.GetBytes(r.Body);
        }

        /// <summary>Every value of the header name (any case), in the order received.</summary>
        public static List<string> Values(this HTTPSendResult r, string name)
        {
            var list = new List<string>();
            if (r.Headers != null)
                foreach (var h in r.Headers)
                    if (string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)) list.Add(h.Value);
            return list;
        }

        /// <summary>The first value of the header name (any case), or null.</summary>
        public static string Header(this HTTPSendResult r, string name)
        {
            var v = Values(r, name);
            return v.Count > 0 ? v[0] : null;
        }
    }

    /// <summary>A type read from JSON by the generated code.</summary>
    public interface IJsonObject { /// <summary>Reads this object's members from r.</summary>
        void ReadJson(JsonReader r); }

    /// <summary>A request type, written to JSON by the generated code.</summary>
    public interface IJsonRequest : IJsonObject { /// <summary>Writes this object to w.</summary>
        void WriteJson(JsonWriter w); }

    /// <summary>One HTTP header field; lists of them keep the order and may repeat a name.</summary>
    public sealed class Header
    {
        /// <summary>The field name.</summary>
        public string Name { get; set; }
        /// <summary>The field value.</summary>
        public string Value { get; set; }
    }

    /// <summary>Reads reply envelopes: the result text, or the error as an exception.</summary>
    internal static class Envelope
    {
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
                var e = new Dictionary<string, string>();
                Json.Members(error, delegate(string name, string raw) { e[name] = new JsonReader(raw).ReadString(); });
                Func<string, string> get = delegate(string k) { string v; return e.TryGetValue(k, out v) ? v : ""; };
                throw new CouponKitException(method, get("code"), get("message"), get("field"),
                    get("vendorStatus"), get("vendorCode"), get("vendorMessage"), get("reason"));
            }
            throw new CouponKitException(method, ErrorCodes.Internal, "couponkit: reply is not an envelope: " +
                (envelope.Length <= 200 ? envelope : envelope.Substring(0, 200) + "..."), "", "", "", "", "");
        }
    }

    /// <summary>JSON helpers: the generated types' readers and writers, or DataContractJsonSerializer for others.</summary>
    public static class Json
    {
        /// <summary>Writes a request (a generated type, or any [DataContract] value) as JSON text.</summary>
        public static string Write<T>(T value)
        {
            var req = value as IJsonRequest;
            var w = new JsonWriter();
            if (req != null) { req.WriteJson(w); return w.ToString(); }
            using (var ms = new MemoryStream()) { new DataContractJsonSerializer(typeof(T)).WriteObject(ms, value); return Encoding.UTF8.GetString(ms.ToArray()); }
        }

        /// <summary>Reads JSON text into a generated type, or any [DataContract] type.</summary>
        public static T Read<T>(string json)
        {
            if (typeof(IJsonObject).IsAssignableFrom(typeof(T)))
            {
                var r = new JsonReader(json);
                if (r.ReadNull()) return default(T);
                var o = (IJsonObject)Activator.CreateInstance(typeof(T));
                o.ReadJson(r); return (T)o;
            }
            using (var ms = new MemoryStream(Encoding.UTF8.GetBytes(json)))
                return (T)new DataContractJsonSerializer(typeof(T)).ReadObject(ms);
        }

        /// <summary>Quotes s as a JSON string literal.</summary>
        public static string Quote(string s)
        {
            var sb = new StringBuilder(s.Length + 2);
            JsonWriter.Quote(sb, s); return sb.ToString();
        }

        /// <summary>Receives one member of an object: its name and its raw JSON text.</summary>
        public delegate void MemberHandler(string name, string raw);

        /// <summary>Calls handler for every member of the JSON object json, in order, with its raw text.</summary>
        public static void Members(string json, MemberHandler handler)
        {
            var r = new JsonReader(json);
            string n;
            for (r.BeginObject(); r.NextMember(out n); ) handler(n, r.ReadText());
        }

        /// <summary>Receives one element of an array as raw JSON text.</summary>
        public delegate void ElementHandler(int index, string raw);

        /// <summary>Calls handler for every element of the JSON array json, in order, with its raw text.</summary>
        public static void Elements(string json, ElementHandler handler)
        {
            var r = new JsonReader(json);
            int k = 0;
            r.ReadArray<int>(delegate { handler(k, r.ReadText()); return k++; });
        }
    }

    /// <summary>Reads JSON value by value for the generated readers; numbers keep their text (an 18-digit id never
    /// passes through a double). Throws FormatException on text that is not JSON or nests deeper than MaxDepth.</summary>
    public sealed class JsonReader
    {
        /// <summary>The deepest nesting of arrays and objects read (the library's replies nest far less).</summary>
        public const int MaxDepth = 256;
        private readonly string s;
        private int i, depth;

        /// <summary>Reads json.</summary>
        public JsonReader(string json) { s = json; }

        private char Peek()
        {
            while (i < s.Length && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++;
            if (i >= s.Length) throw Bad("value expected");
            return s[i];
        }

        private FormatException Bad(string what) { return new FormatException("JSON: " + what + " at offset " + i); }

        private void Expect(char c) { if (Peek() != c) throw Bad("'" + c + "' expected"); i++; }

        /// <summary>Consumes a null and returns true, or returns false.</summary>
        public bool ReadNull()
        {
            if (Peek() != 'n' || string.CompareOrdinal(s, i, "null", 0, 4) != 0) return false;
            i += 4; return true;
        }

        /// <summary>A string's text, a number's or boolean's as written, null for null.</summary>
        public string ReadString()
        {
            char c = Peek();
            if (c == '{' || c == '[') throw Bad("text expected");
            if (c != '"') return ReadRaw();
            var b = new StringBuilder();
            for (i++; i < s.Length; i++)
            {
                c = s[i];
                if (c == '"') { i++; return b.ToString(); }
                if (c != '\\') { b.Append(c); continue; }
                if (++i >= s.Length) break;
                switch (s[i])
                {
                    case 'b': b.Append('\b'); break;
                    case 'f': b.Append('\f'); break;
                    case 'n': b.Append('\n'); break;
                    case 'r': b.Append('\r'); break;
                    case 't': b.Append('\t'); break;
                    case 'u':
                        if (i + 5 > s.Length) throw Bad("short \\u escape");
                        b.Append((char)int.Parse(s.Substring(i + 1, 4), NumberStyles.HexNumber)); i += 4; break;
                    default: b.Append(s[i]); break;
                }
            }
            throw Bad("unterminated string");
        }

        /// <summary>true or false (also as text).</summary>
        public bool ReadBool() { return ReadString() == "true"; }

        /// <summary>An integer (0 for null).</summary>
        public long ReadLong() { string t = ReadString(); return t == null ? 0 : long.Parse(t, CultureInfo.InvariantCulture); }

        /// <summary>An integer (0 for null).</summary>
        public int ReadInt() { return checked((int)ReadLong()); }

        /// <summary>The next value's JSON text, null for null.</summary>
        public string ReadRaw() { string t = ReadText(); return t == "null" ? null : t; }

        /// <summary>The next value's JSON text, as written.</summary>
        public string ReadText() { Peek(); int start = i; Skip(); return s.Substring(start, i - start); }

        /// <summary>Skips the next value.</summary>
        public void Skip()
        {
            char c = Peek();
            if (c == '"') { ReadString(); return; }
            if (c != '{' && c != '[')
            {
                int start = i;
                while (i < s.Length && ",}] \t\r\n".IndexOf(s[i]) < 0) i++;
                if (i == start) throw Bad("value expected");
                return;
            }
            if (++depth > MaxDepth) throw Bad("nested more than " + MaxDepth + " levels");
            string n;
            if (c == '[') ReadArray<int>(delegate { Skip(); return 0; });
            else for (BeginObject(); NextMember(out n); ) Skip();
            depth--;
        }

        /// <summary>Enters an object; read its members with NextMember.</summary>
        public void BeginObject() { Expect('{'); }

        /// <summary>Moves to the next member of the object (false after the last) and reads its name.</summary>
        public bool NextMember(out string name)
        {
            name = null;
            char c = Peek();
            if (c == '}') { i++; return false; }
            if (c == ',') i++;
            name = ReadString(); Expect(':'); return true;
        }

        /// <summary>A generated type's value, null for null.</summary>
        public T ReadObject<T>() where T : class, IJsonObject, new()
        {
            if (ReadNull()) return null;
            var o = new T();
            o.ReadJson(this);
            return o;
        }

        /// <summary>An array read element by element with one, null for null.</summary>
        public T[] ReadArray<T>(Func<T> one)
        {
            if (ReadNull()) return null;
            Expect('[');
            var list = new List<T>();
            if (Peek() == ']') { i++; return list.ToArray(); }
            while (true)
            {
                list.Add(one());
                if (Peek() == ',') { i++; continue; }
                Expect(']');
                return list.ToArray();
            }
        }

        /// <summary>Headers: {"Name": "value" or ["value", …]}, one Header per value, in order.</summary>
        public Header[] ReadHeaders()
        {
            if (ReadNull()) return null;
            var list = new List<Header>();
            string n;
            for (BeginObject(); NextMember(out n); )
            {
                string name = n;
                if (Peek() == '[') ReadArray<int>(delegate { list.Add(new Header { Name = name, Value = ReadString() }); return 0; });
                else list.Add(new Header { Name = name, Value = ReadString() });
            }
            return list.ToArray();
        }
    }

    /// <summary>Writes a request's JSON, for the generated writers: null (and false) members are left out.</summary>
    public sealed class JsonWriter
    {
        private readonly StringBuilder b = new StringBuilder();
        private bool first;

        /// <summary>Opens an object.</summary>
        public void Begin() { b.Append('{'); first = true; }

        /// <summary>Closes it.</summary>
        public void End() { b.Append('}'); first = false; }

        private void Key(string name) { if (!first) b.Append(','); first = false; Quote(b, name); b.Append(':'); }

        /// <summary>"name":"v" unless v is null.</summary>
        public void String(string name, string v) { if (v == null) return; Key(name); Quote(b, v); }

        /// <summary>"name":json unless json is null or empty.</summary>
        public void Raw(string name, string json) { if (string.IsNullOrEmpty(json)) return; Key(name); b.Append(json); }

        /// <summary>"name":true unless v is false.</summary>
        public void Bool(string name, bool v) { if (!v) return; Key(name); b.Append("true"); }

        /// <summary>"name":{…} unless v is null.</summary>
        public void Object(string name, IJsonRequest v) { if (v == null) return; Key(name); v.WriteJson(this); }

        /// <summary>"name":[{…},…] unless v is null.</summary>
        public void Objects<T>(string name, List<T> v) where T : IJsonRequest
        {
            if (v == null) return;
            Key(name); b.Append('[');
            for (int k = 0; k < v.Count; k++) { if (k > 0) b.Append(','); v[k].WriteJson(this); }
            b.Append(']'); first = false;
        }

        /// <summary>"name":["a",…] unless v is null.</summary>
        public void Strings(string name, List<string> v)
        {
            if (v == null) return;
            Key(name); b.Append('[');
            for (int k = 0; k < v.Count; k++) { if (k > 0) b.Append(','); Quote(b, v[k]); }
            b.Append(']');
        }

        /// <summary>"name":{"Header":"value" or ["value",…]} unless v is null.</summary>
        public void Headers(string name, List<Header> v)
        {
            if (v == null) return;
            var names = new List<string>();
            var values = new Dictionary<string, List<string>>();
            foreach (var h in v)
            {
                if (!values.ContainsKey(h.Name)) { names.Add(h.Name); values[h.Name] = new List<string>(); }
                values[h.Name].Add(h.Value);
            }
            Key(name); Begin();
            foreach (var n in names) Strings(n, values[n]);
            End();
        }

        /// <summary>The JSON text written.</summary>
        public override string ToString() { return b.ToString(); }

        internal static void Quote(StringBuilder sb, string s)
        {
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
            sb.Append('"');
        }
    }
}
