/*
 * harness.c — the C test harness of couponkit's C ABI (bindings/c/couponkit.h).
 *
 * Built twice by the Makefile: against build/libcouponkit.so on Linux (gcc,
 * pthreads) and against the Windows x64 DLL with mingw-w64, run under Wine.
 *
 *   harness CASES [--calls N] [--threads T] [--per-thread M]
 *
 * Checks, in order (any failure: message on stderr, exit status 1):
 *   1. ck_version and the "version" method agree.
 *   2. every case in CASES (examples/c/cases.txt): the reply is one JSON
 *      object, "ok" is as the case says and each wanted fragment is present;
 *      and the same case through ck_invoke_gbk gives the same reply.
 *   3. a session opened, used, closed; NULL arguments, ck_free(NULL), an
 *      unknown method, malformed JSON.
 *   4. GBK: text in, text out, invalid GBK bytes, characters GBK cannot hold.
 *   5. T threads (8) x M calls (10,000) of mixed methods with known answers.
 *   6. leak check: resident memory after N calls (1,000,000) is within
 *      10 MiB of resident memory after the first 10,000.
 *   7. a request of exactly CK_MAX_REQUEST_BYTES is accepted; one byte more
 *      is TOO_LARGE (both entry points).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "couponkit.h"

#ifdef _WIN32
#include <windows.h>
#include <psapi.h>
#else
#include <pthread.h>
#include <unistd.h>
#endif

static int failures;

/* zvcms token known answer, computed independently with OpenSSL:
 *   printf 'grantCode=gc456&nonce=123455&openId=oid123&timestamp=1700000000' |
 *     openssl dgst -sha1 -hmac secret789 -binary | base64
 *   → MMI7vZ/5YKqukKjvsljnvxVMRIw=   (then URL-encoded) */
#define ZV_CREDS "\"zvcms\":{\"openId\":\"oid123\",\"grantCode\":\"gc456\",\"openKey\":\"secret789\"}"
#define ZV_TOKEN_REQ "{" ZV_CREDS ",\"timestamp\":\"1700000000\",\"nonce\":\"123455\"}"
#define ZV_TOKEN_WANT "MMI7vZ%2F5YKqukKjvsljnvxVMRIw%3D"

#define FAIL(...)                                   \
	do {                                            \
		fprintf(stderr, "FAIL: " __VA_ARGS__);      \
		fputc('\n', stderr);                        \
		failures++;                                 \
	} while (0)

/* ---- a minimal JSON validator (RFC 8259 grammar; strings may hold any byte
 * >= 0x20, so GBK replies validate too) ---- */

static const char *json_ws(const char *p) {
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
	return p;
}

static const char *json_value(const char *p, int depth);

static const char *json_string(const char *p) {
	if (*p != '"') return NULL;
	for (p++; *p != '"'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20) return NULL;
		if (c == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++) {
					char h = p[i];
					if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) return NULL;
				}
				p += 4;
			} else if (!strchr("\"\\/bfnrt", *p) || *p == '\0') {
				return NULL;
			}
		}
	}
	return p + 1;
}

static const char *json_number(const char *p) {
	if (*p == '-') p++;
	if (*p == '0') p++;
	else if (*p >= '1' && *p <= '9') while (*p >= '0' && *p <= '9') p++;
	else return NULL;
	if (*p == '.') {
		p++;
		if (!(*p >= '0' && *p <= '9')) return NULL;
		while (*p >= '0' && *p <= '9') p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-') p++;
		if (!(*p >= '0' && *p <= '9')) return NULL;
		while (*p >= '0' && *p <= '9') p++;
	}
	return p;
}

static const char *json_value(const char *p, int depth) {
	if (depth > 64) return NULL;
	p = json_ws(p);
	switch (*p) {
	case '{':
		p = json_ws(p + 1);
		if (*p == '}') return p + 1;
		for (;;) {
			p = json_string(json_ws(p));
			if (!p) return NULL;
			p = json_ws(p);
			if (*p++ != ':') return NULL;
			p = json_value(p, depth + 1);
			if (!p) return NULL;
			p = json_ws(p);
			if (*p == '}') return p + 1;
			if (*p++ != ',') return NULL;
		}
	case '[':
		p = json_ws(p + 1);
		if (*p == ']') return p + 1;
		for (;;) {
			p = json_value(p, depth + 1);
			if (!p) return NULL;
			p = json_ws(p);
			if (*p == ']') return p + 1;
			if (*p++ != ',') return NULL;
		}
	case '"': return json_string(p);
	case 't': return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f': return strncmp(p, "false", 5) ? NULL : p + 5;
	case 'n': return strncmp(p, "null", 4) ? NULL : p + 4;
	default: return json_number(p);
	}
}

/* envelope_ok returns 1 for {"ok":true,...}, 0 for {"ok":false,...} and -1
 * when reply is not a single JSON object starting with the "ok" member. */
static int envelope_ok(const char *reply) {
	if (!reply) return -1;
	const char *end = json_value(reply, 0);
	if (!end || *json_ws(end) != '\0' || reply[0] != '{') return -1;
	if (!strncmp(reply, "{\"ok\":true", 10)) return 1;
	if (!strncmp(reply, "{\"ok\":false", 11)) return 0;
	return -1;
}

/* expect_call invokes method and checks the envelope's ok and that every
 * fragment in wants (NULL-terminated) occurs in the reply. */
static void expect_reply(const char *what, const char *reply, int ok, const char *const *wants) {
	int got = envelope_ok(reply);
	if (got != ok) {
		FAIL("%s: want ok=%d, got %s", what, ok, reply ? reply : "(NULL)");
		return;
	}
	for (; wants && *wants; wants++) {
		if (!strstr(reply, *wants)) FAIL("%s: reply lacks %s: %s", what, *wants, reply);
	}
}

static void expect_call(const char *method, const char *req, int ok, const char *w1, const char *w2) {
	const char *wants[] = {w1, w2, NULL};
	char *reply = ck_invoke(method, req);
	char what[160];
	snprintf(what, sizeof what, "%s", method ? method : "(NULL method)");
	expect_reply(what, reply, ok, wants);
	ck_free(reply);
}

/* ---- 1, 2: version and the cases file ---- */

static void check_version(void) {
	const char *v = ck_version();
	if (!v || !*v) {
		FAIL("ck_version returned an empty string");
		return;
	}
	if (ck_version() != v) FAIL("ck_version is not a static string");
	char want[96];
	snprintf(want, sizeof want, "\"version\":\"%s\"", v);
	expect_call("version", "{}", 1, want, NULL);
	printf("ck_version: %s\n", v);
}

#define MAX_WANTS 16

static char *dupstr(const char *s) {
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d) memcpy(d, s, n);
	return d;
}

static int run_cases(const char *path) {
	FILE *f = fopen(path, "rb");
	if (!f) {
		FAIL("cannot open cases file %s", path);
		return 0;
	}
	static char line[1 << 16];
	char method[256] = "", *req = NULL, *wants[MAX_WANTS + 1];
	int nwant = 0, ok = -2, ncases = 0, lineno = 0, start = 0;
	for (;;) {
		char *got = fgets(line, sizeof line, f);
		if (got) {
			lineno++;
			line[strcspn(line, "\r\n")] = '\0';
		}
		int boundary = !got || !strncmp(line, "call ", 5);
		if (boundary && method[0]) {
			char what[320];
			snprintf(what, sizeof what, "%s:%d %s", path, start, method);
			if (!req || ok == -2) {
				FAIL("%s: case needs req and ok lines", what);
			} else {
				wants[nwant] = NULL;
				char *reply = ck_invoke(method, req);
				expect_reply(what, reply, ok, (const char *const *)wants);
				/* ASCII request and reply: the GBK entry point must agree
				 * byte for byte. */
				char *greply = ck_invoke_gbk(method, req);
				int ascii = 1;
				for (const char *p = reply; p && *p; p++) ascii &= (unsigned char)*p < 0x80;
				for (const char *p = req; *p; p++) ascii &= (unsigned char)*p < 0x80;
				/* (session.open makes a new random id each time) */
				if (ascii && strcmp(method, "session.open") && (!greply || strcmp(reply, greply) != 0))
					FAIL("%s: ck_invoke_gbk differs: %s", what, greply ? greply : "(NULL)");
				if (envelope_ok(greply) != ok) FAIL("%s: ck_invoke_gbk ok differs: %s", what, greply);
				ck_free(greply);
				ck_free(reply);
				ncases++;
			}
			for (int i = 0; i < nwant; i++) free(wants[i]);
			free(req);
			req = NULL, nwant = 0, ok = -2, method[0] = '\0';
		}
		if (!got) break;
		if (!strncmp(line, "call ", 5)) {
			snprintf(method, sizeof method, "%.255s", line + 5);
			start = lineno;
		} else if (!strncmp(line, "req ", 4)) {
			free(req);
			req = dupstr(line + 4);
		} else if (!strcmp(line, "ok true")) {
			ok = 1;
		} else if (!strcmp(line, "ok false")) {
			ok = 0;
		} else if (!strncmp(line, "want ", 5)) {
			if (nwant < MAX_WANTS) wants[nwant++] = dupstr(line + 5);
			else FAIL("%s:%d: more than %d want lines", path, lineno, MAX_WANTS);
		} else if (!strcmp(line, "good")) {
			/* valid input with an error reply: only the Go test reads it */
		} else if (line[0] != '\0' && line[0] != '#') {
			FAIL("%s:%d: unknown line: %s", path, lineno, line);
		}
	}
	fclose(f);
	printf("cases: %d from %s\n", ncases, path);
	return ncases;
}

/* ---- 3, 4: NULL and size limits ---- */

static void check_nulls(void) {
	expect_call(NULL, "{}", 0, "\"code\":\"INVALID_ARGUMENT\"", "\"field\":\"method\"");
	expect_call("version", NULL, 0, "\"code\":\"INVALID_ARGUMENT\"", "\"field\":\"request_json\"");
	expect_call(NULL, NULL, 0, "\"code\":\"INVALID_ARGUMENT\"", NULL);
	expect_call("no.such.method", "{}", 0, "\"code\":\"UNKNOWN_METHOD\"", NULL);
	expect_call("version", "{", 0, "\"code\":\"INVALID_JSON\"", NULL);
	const char *wants[] = {"\"code\":\"INVALID_ARGUMENT\"", "\"field\":\"request_json\"", NULL};
	char *r = ck_invoke_gbk("version", NULL);
	expect_reply("ck_invoke_gbk NULL request", r, 0, wants);
	ck_free(r);
	ck_free(NULL);
	printf("NULL arguments: ok\n");
}

static void check_limits(void) {
	size_t n = CK_MAX_REQUEST_BYTES;
	char *big = malloc(n + 2);
	if (!big) {
		FAIL("out of memory");
		return;
	}
	/* exactly the limit: "{" + spaces + "}" is the empty object */
	memset(big, ' ', n + 1);
	big[0] = '{';
	big[n - 1] = '}';
	big[n] = '\0';
	expect_call("version", big, 1, "\"version\"", NULL);
	/* one byte more */
	big[n - 1] = ' ';
	big[n] = '}';
	big[n + 1] = '\0';
	expect_call("version", big, 0, "\"code\":\"TOO_LARGE\"", "\"field\":\"request_json\"");
	const char *wants[] = {"\"code\":\"TOO_LARGE\"", NULL};
	char *r = ck_invoke_gbk("version", big);
	expect_reply("ck_invoke_gbk 16 MiB + 1", r, 0, wants);
	ck_free(r);
	free(big);
	printf("size limit: %d bytes accepted, one more is TOO_LARGE\n", CK_MAX_REQUEST_BYTES);
}

/* session.open → a call using the session → session.close → refused. */
static void check_session(void) {
	char *r = ck_invoke("session.open", "{" ZV_CREDS "}");
	const char *p = r ? strstr(r, "\"session\":\"") : NULL;
	char id[80] = "", req[256];
	if (p) sscanf(p + 11, "%79[^\"]", id);
	ck_free(r);
	if (!id[0]) {
		FAIL("session.open gave no session id");
		return;
	}
	snprintf(req, sizeof req, "{\"session\":\"%s\",\"timestamp\":\"1700000000\",\"nonce\":\"123455\"}", id);
	char want[64];
	snprintf(want, sizeof want, "\"token\":\"%s\"", ZV_TOKEN_WANT);
	expect_call("zvcms.token", req, 1, want, NULL);
	char close_req[128];
	snprintf(close_req, sizeof close_req, "{\"session\":\"%s\"}", id);
	expect_call("session.close", close_req, 1, "\"closed\":true", NULL);
	expect_call("zvcms.token", req, 0, "\"code\":\"INVALID_ARGUMENT\"", "\"field\":\"session\"");
	printf("session: open, use, close, refused after close: ok\n");
}

/* ---- 5: GBK ---- */

static void check_gbk(void) {
	/* "商品" is C9 CC C6 B7 in GBK and E5 95 86 E5 93 81 in UTF-8. The params
	 * are copied into the zvcms body, so the reply carries the text back. */
	char *g = ck_invoke_gbk("zvcms.request", "{" ZV_CREDS ",\"action\":\"a.b\",\"params\":{\"name\":\"\xC9\xCC\xC6\xB7\"}}");
	const char *wants_g[] = {"\\\"name\\\":\\\"\xC9\xCC\xC6\xB7\\\"", NULL};
	expect_reply("GBK in, GBK out", g, 1, wants_g);
	ck_free(g);
	char *u = ck_invoke("zvcms.request", "{" ZV_CREDS ",\"action\":\"a.b\",\"params\":{\"name\":\"\xE5\x95\x86\xE5\x93\x81\"}}");
	const char *wants_u[] = {"\\\"name\\\":\\\"\xE5\x95\x86\xE5\x93\x81\\\"", NULL};
	expect_reply("the same request in UTF-8", u, 1, wants_u);
	ck_free(u);

	/* U+1F600 (an emoji) has no GBK form: a request can only carry it as a
	 * JSON escape, the typed builder writes it into the body as a character,
	 * and the GBK reply escapes it again: \ud83d\ude00, then 商 in GBK. */
	g = ck_invoke_gbk("zvcms.verifyCoupons.request",
	                  "{" ZV_CREDS ",\"params\":{\"bizId\":\"o-\\ud83d\\ude00\xC9\xCC\",\"customerId\":\"383933091455959041\","
	                  "\"couponsCardList\":[\"390962138708451328\"],\"amount\":\"500\",\"orderAmount\":\"2600\"}}");
	const char *wants_e[] = {"\\\"bizId\\\":\\\"o-\\ud83d\\ude00\xC9\xCC\\\"", NULL};
	expect_reply("GBK reply escapes what GBK cannot hold", g, 1, wants_e);
	ck_free(g);

	/* 0x81 followed by a space is not GBK (offset 6 in the request). */
	g = ck_invoke_gbk("version", "{\"x\":\"\x81 \"}");
	const char *wants_bad[] = {"\"code\":\"INVALID_ARGUMENT\"", "\"field\":\"request_json\"", "offset 6", NULL};
	expect_reply("invalid GBK request", g, 0, wants_bad);
	ck_free(g);
	g = ck_invoke_gbk("vers\xFF", "{}");
	const char *wants_badm[] = {"\"code\":\"INVALID_ARGUMENT\"", "\"field\":\"method\"", NULL};
	expect_reply("invalid GBK method", g, 0, wants_badm);
	ck_free(g);
	printf("GBK entry point: ok\n");
}

/* ---- 6: threads ---- */

/* mixed_call makes call number i of a worker and checks its exact result;
 * returns 0 on success. */
static int mixed_call(unsigned tid, unsigned i) {
	char req[256], want[128];
	const char *method;
	switch (i % 4) {
	case 0:
	case 1: { /* yuan → fen, a value unique to this thread and call */
		unsigned long long fen = (unsigned long long)tid * 1000000ULL + i;
		method = "money.toFen";
		snprintf(req, sizeof req, "{\"yuan\":\"%llu.%02llu\"}", fen / 100, fen % 100);
		snprintf(want, sizeof want, "\"fen\":\"%llu\"", fen);
		break;
	}
	case 2: {
		unsigned long long fen = (unsigned long long)tid * 7000000ULL + i * 3ULL;
		method = "money.toYuan";
		snprintf(req, sizeof req, "{\"fen\":\"%llu\"}", fen);
		snprintf(want, sizeof want, "\"yuan\":\"%llu.%02llu\"", fen / 100, fen % 100);
		break;
	}
	default: /* a signature: the published zvcms token test vector */
		method = "zvcms.token";
		snprintf(req, sizeof req, "%s", ZV_TOKEN_REQ);
		snprintf(want, sizeof want, "\"token\":\"%s\"", ZV_TOKEN_WANT);
		break;
	}
	/* every 8th call goes through the GBK entry point (ASCII: same reply) */
	char *reply = i % 8 == 6 ? ck_invoke_gbk(method, req) : ck_invoke(method, req);
	int bad = envelope_ok(reply) != 1 || !strstr(reply, want);
	if (bad) fprintf(stderr, "thread %u call %u %s %s: %s\n", tid, i, method, req, reply ? reply : "(NULL)");
	ck_free(reply);
	return bad;
}

struct worker {
	unsigned tid, calls;
	int failed;
};

#ifdef _WIN32
static DWORD WINAPI worker_main(LPVOID arg)
#else
static void *worker_main(void *arg)
#endif
{
	struct worker *w = arg;
	for (unsigned i = 0; i < w->calls; i++) w->failed += mixed_call(w->tid, i);
	return 0;
}

static void check_threads(unsigned nthreads, unsigned calls) {
	struct worker w[64];
	if (nthreads > 64) nthreads = 64;
#ifdef _WIN32
	HANDLE h[64] = {0};
	for (unsigned t = 0; t < nthreads; t++) {
		w[t] = (struct worker){t + 1, calls, 0};
		h[t] = CreateThread(NULL, 0, worker_main, &w[t], 0, NULL);
		if (!h[t]) FAIL("CreateThread failed");
	}
	WaitForMultipleObjects(nthreads, h, TRUE, INFINITE);
	for (unsigned t = 0; t < nthreads; t++) CloseHandle(h[t]);
#else
	pthread_t h[64];
	for (unsigned t = 0; t < nthreads; t++) {
		w[t] = (struct worker){t + 1, calls, 0};
		if (pthread_create(&h[t], NULL, worker_main, &w[t])) FAIL("pthread_create failed");
	}
	for (unsigned t = 0; t < nthreads; t++) pthread_join(h[t], NULL);
#endif
	unsigned bad = 0;
	for (unsigned t = 0; t < nthreads; t++) bad += (unsigned)w[t].failed;
	if (bad) FAIL("threads: %u of %u calls gave a wrong result", bad, nthreads * calls);
	printf("threads: %u x %u mixed calls (money.toFen, money.toYuan, zvcms.token; UTF-8 and GBK), %u wrong\n",
	       nthreads, calls, bad);
}

/* ---- 7: leak check ---- */

static double rss_mib(void) {
#ifdef _WIN32
	PROCESS_MEMORY_COUNTERS pmc;
	if (!GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof pmc)) return -1;
	return pmc.WorkingSetSize / 1048576.0;
#else
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (!f) return -1;
	if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = -1;
	fclose(f);
	return resident * (double)sysconf(_SC_PAGESIZE) / 1048576.0;
#endif
}

/* leak_call is call i of the leak run: cheap methods for the bulk, a
 * signature every 16th call, an error reply every 64th. */
static int leak_call(unsigned i) {
	if (i % 64 == 0) {
		char *r = ck_invoke("money.toFen", "{\"yuan\":\"1.234\"}");
		int bad = envelope_ok(r) != 0;
		ck_free(r);
		return bad;
	}
	if (i % 16 == 0) return mixed_call(99, 3);
	if (i % 2) return mixed_call(98, i % 3);
	char *r = ck_invoke("version", "{}");
	int bad = envelope_ok(r) != 1;
	ck_free(r);
	return bad;
}

static void check_leak(unsigned calls) {
	unsigned first = calls < 10000 ? calls : 10000, bad = 0;
	for (unsigned i = 0; i < first; i++) bad += leak_call(i);
	double a = rss_mib();
	for (unsigned i = first; i < calls; i++) bad += leak_call(i);
	double b = rss_mib();
	if (bad) FAIL("leak run: %u wrong replies", bad);
	if (a < 0 || b < 0) FAIL("cannot read the resident set size");
	if (b - a > 10.0) FAIL("leak: RSS grew %.1f MiB (%.1f → %.1f) over %u calls", b - a, a, b, calls - first);
	printf("leak: RSS %.1f MiB after %u calls, %.1f MiB after %u calls (%+.1f MiB; limit +10)\n",
	       a, first, b, calls, b - a);
}

#ifdef _WIN32
/* The DLL's version resource, read the way Explorer does. */
static void check_version_resource(void) {
	HMODULE m = GetModuleHandleA("couponkit.dll");
	char path[MAX_PATH];
	if (!m || !GetModuleFileNameA(m, path, sizeof path)) {
		FAIL("cannot find couponkit.dll in the process");
		return;
	}
	DWORD dummy, n = GetFileVersionInfoSizeA(path, &dummy);
	void *buf = n ? malloc(n) : NULL;
	VS_FIXEDFILEINFO *fixed;
	char *product, *version;
	UINT len;
	if (!buf || !GetFileVersionInfoA(path, 0, n, buf) ||
	    !VerQueryValueA(buf, "\\", (void **)&fixed, &len) ||
	    !VerQueryValueA(buf, "\\StringFileInfo\\040904b0\\ProductName", (void **)&product, &len) ||
	    !VerQueryValueA(buf, "\\StringFileInfo\\040904b0\\FileVersion", (void **)&version, &len)) {
		FAIL("couponkit.dll has no readable version resource");
		free(buf);
		return;
	}
	if (strcmp(product, "couponkit")) FAIL("version resource ProductName is %s", product);
	if (strcmp(version, ck_version())) FAIL("version resource FileVersion %s != ck_version %s", version, ck_version());
	printf("version resource: ProductName=%s FileVersion=%s (%u.%u.%u.%u)\n", product, version,
	       (unsigned)(fixed->dwFileVersionMS >> 16), (unsigned)(fixed->dwFileVersionMS & 0xFFFF),
	       (unsigned)(fixed->dwFileVersionLS >> 16), (unsigned)(fixed->dwFileVersionLS & 0xFFFF));
	free(buf);
}
#endif

#if defined(_WIN32) && defined(__i386__)
/* 32-bit Windows: the stdcall twins, found by their undecorated names the
 * way VB6 Declare and PowerBuilder find them (GetProcAddress). */
typedef const char *(__stdcall *version_std_fn)(void);
typedef char *(__stdcall *invoke_std_fn)(const char *, const char *);
typedef void(__stdcall *free_std_fn)(char *);

static void check_stdcall(void) {
	HMODULE m = GetModuleHandleA("couponkit.dll");
	version_std_fn version_std = (version_std_fn)(void *)GetProcAddress(m, "ck_version_std");
	invoke_std_fn invoke_std = (invoke_std_fn)(void *)GetProcAddress(m, "ck_invoke_std");
	invoke_std_fn invoke_gbk_std = (invoke_std_fn)(void *)GetProcAddress(m, "ck_invoke_gbk_std");
	free_std_fn free_std = (free_std_fn)(void *)GetProcAddress(m, "ck_free_std");
	if (!version_std || !invoke_std || !invoke_gbk_std || !free_std) {
		FAIL("a stdcall twin is missing from the export table");
		return;
	}
	if (strcmp(version_std(), ck_version())) FAIL("ck_version_std differs from ck_version");
	char *r = invoke_std("money.toFen", "{\"yuan\":\"12.5\"}");
	if (envelope_ok(r) != 1 || !strstr(r, "\"fen\":\"1250\"")) FAIL("ck_invoke_std: %s", r ? r : "(NULL)");
	free_std(r);
	r = invoke_gbk_std("version", NULL);
	if (envelope_ok(r) != 0 || !strstr(r, "\"field\":\"request_json\"")) FAIL("ck_invoke_gbk_std: %s", r ? r : "(NULL)");
	free_std(r);
	free_std(NULL);
	printf("stdcall twins: ok\n");
}
#endif

int main(int argc, char **argv) {
	const char *cases = NULL;
	unsigned calls = 1000000, threads = 8, per_thread = 10000;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--calls") && i + 1 < argc) calls = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--per-thread") && i + 1 < argc) per_thread = (unsigned)strtoul(argv[++i], NULL, 10);
		else cases = argv[i];
	}
	if (!cases) {
		fprintf(stderr, "usage: %s CASES [--calls N] [--threads T] [--per-thread M]\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	check_version();
#ifdef _WIN32
	check_version_resource();
#endif
	if (run_cases(cases) == 0) FAIL("no cases ran");
	check_session();
#if defined(_WIN32) && defined(__i386__)
	check_stdcall();
#endif
	check_nulls();
	check_gbk();
	check_threads(threads, per_thread);
	check_leak(calls);
	/* last: its 16 MiB requests would make the Go heap, and so the RSS the
	 * leak check compares, jump for reasons unrelated to leaks */
	check_limits();
	if (failures) {
		fprintf(stderr, "harness: %d check(s) FAILED\n", failures);
		return 1;
	}
	printf("harness: all checks passed\n");
	return 0;
}
