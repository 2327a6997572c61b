/*
 * couponkit.h — the C ABI of couponkit (libcouponkit.so / couponkit.dll).
 *
 * One generic entry point carries every operation: ck_invoke(method, json)
 * takes a method name ("version", "money.toFen", "zvcms.verifyCoupons.request",
 * ...) and a UTF-8 JSON request, and returns a UTF-8 JSON envelope:
 *
 *   {"ok":true,"result":{...}}
 *   {"ok":false,"error":{"code":"INVALID_ARGUMENT","message":"...","field":"..."}}
 *
 * The methods and their JSON shapes are listed in docs/methods.md (generated
 * from the schema); the C usage is in docs/c.md. Nothing is ever signalled
 * by a NULL return or a crash: every outcome, including a bug, is an
 * envelope.
 *
 * Error codes (the "code" member; a closed set):
 *   INVALID_JSON       the request is not well-formed JSON
 *   INVALID_ARGUMENT   a value is missing, wrong or out of range; "field" names
 *                      it (also a NULL argument: "method" / "request_json";
 *                      and, for ck_invoke_gbk, bytes that are not valid GBK)
 *   UNKNOWN_METHOD     no such method
 *   KEY_ERROR          a key could not be parsed or used ("field" says which)
 *   SIGNATURE_INVALID  a vendor reply's signature did not verify
 *   RESPONSE_INVALID   a vendor reply is not in the documented shape
 *   API_ERROR          the vendor's business error ("vendorCode", "vendorMessage")
 *   SYSTEM_ERROR       the vendor's system error ("vendorCode", "vendorMessage")
 *   TRANSPORT_ERROR    the HTTP exchange failed ("reason")
 *   TOO_LARGE          the request is longer than CK_MAX_REQUEST_BYTES
 *   INTERNAL           a bug in couponkit (a recovered panic); please report
 *
 * Memory ownership:
 *   - ck_version returns a static string: never free it, it stays valid for
 *     the life of the process.
 *   - ck_invoke / ck_invoke_gbk return a string allocated by the library;
 *     release it with ck_free (the same library's ck_free — never free(),
 *     delete or another runtime's allocator). ck_free(NULL) does nothing.
 *   - Arguments are only read during the call; the library keeps no pointer
 *     to them. No pointer into the Go heap is ever returned.
 *
 * Threading: every function may be called from any number of threads at
 * once, including threads the library did not create. Sessions (opened with
 * the "session.open" method) are shared by all threads.
 *
 * Loading and unloading: the library contains a Go runtime. Load it once and
 * NEVER unload it (no dlclose / FreeLibrary while the process lives): a Go
 * runtime cannot be unloaded, and only one Go runtime may live in a process,
 * so do not load two different Go-built libraries into the same process.
 *
 * Calling convention: cdecl (the platform C convention) for every function.
 * 32-bit Windows only: the *_std functions are stdcall twins with undecorated
 * export names ("ck_invoke_std", not "_ck_invoke_std@8") for callers that can
 * only use stdcall (VB6, PowerBuilder, FoxPro); same behaviour otherwise.
 *
 * Strings: UTF-8 and NUL-terminated, except for ck_invoke_gbk which takes and
 * returns GBK (code page 936, the Chinese ANSI code page).
 *
 * Floating point (x86 and x86-64): every function returns with the caller's
 * x87 control and status words and MXCSR exactly as they were, whatever the
 * caller set (a Delphi 7 program's $1332 with exceptions unmasked, Delphi
 * XE2's MXCSR $1900, every SSE exception unmasked, another rounding mode).
 * Inside, the library runs with all exceptions masked and rounding to
 * nearest, so its results do not depend on the caller's state either.
 */
#ifndef COUPONKIT_H
#define COUPONKIT_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && !defined(COUPONKIT_STATIC)
#define CK_API __declspec(dllimport)
#else
#define CK_API
#endif

/* The largest request accepted, in bytes (16 MiB, not counting the NUL).
 * A longer request is refused with TOO_LARGE without being read in full. */
#define CK_MAX_REQUEST_BYTES (16 * 1024 * 1024)

/* The library version, e.g. "0.1.0". Static: never free it. */
CK_API const char *ck_version(void);

/* Call one method. method: a method name (UTF-8); request_json: a JSON
 * object (UTF-8), "{}" when the method takes no arguments. Returns a JSON
 * envelope (UTF-8) to release with ck_free; never NULL, except when the
 * process is out of memory. */
CK_API char *ck_invoke(const char *method, const char *request_json);

/* ck_invoke for GBK strings: method and request_json are GBK; the reply is
 * GBK. Bytes that are not valid GBK give an INVALID_ARGUMENT envelope whose
 * "field" is "method" or "request_json". Characters in the reply that GBK
 * cannot hold (e.g. emoji, some rare CJK) are written as JSON \uXXXX escapes,
 * so the reply is lossless and stays valid JSON. Release with ck_free. */
CK_API char *ck_invoke_gbk(const char *method, const char *request_json);

/* Release a string returned by ck_invoke or ck_invoke_gbk. NULL is a no-op. */
CK_API void ck_free(char *p);

#if defined(_WIN32) && (defined(_M_IX86) || defined(__i386__))
/* 32-bit Windows only: stdcall twins, exported undecorated. They are meant
 * for callers that look exports up by name (VB6 Declare, PowerBuilder,
 * FoxPro, GetProcAddress); C and C++ code should call the cdecl functions
 * above (linking these by name would need an import library made with
 * dlltool --kill-at, since a C compiler expects "_ck_invoke_std@8"). */
CK_API const char *__stdcall ck_version_std(void);
CK_API char *__stdcall ck_invoke_std(const char *method, const char *request_json);
CK_API char *__stdcall ck_invoke_gbk_std(const char *method, const char *request_json);
CK_API void __stdcall ck_free_std(char *p);
#endif

#ifdef __cplusplus
}
#endif

#endif /* COUPONKIT_H */
