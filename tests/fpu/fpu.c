/*
 * fpu.c — the floating-point harness of couponkit's C ABI: every export must
 * hand the caller back exactly the x87 and SSE state it had, whatever state
 * the caller runs with, and give the same results as under the default state.
 *
 * Built against the Windows 7 DLLs (x86 under 32-bit Wine, x64 under wine64)
 * and against libcouponkit.so on Linux (mk/windows.mk, mk/capi.mk).
 *
 *   fpu CASES... [--threads N] [--sm2-out PREFIX]
 *
 * CASES are files in the format of examples/c/cases.txt (call / req / ok /
 * want lines; ok and want are optional here). First every case runs once in
 * the masked mode (the platform default) on the main thread: that run's
 * replies are the reference, and its ok / want lines are checked. Then, for
 * each mode below, the main thread and N new threads (4) set the mode at
 * their start and call, for every case, ck_invoke and ck_invoke_gbk (and on
 * 32-bit Windows their stdcall twins), ck_free (and ck_free_std), ck_version
 * (and ck_version_std). Around every call the harness reads the x87 control
 * and status words and MXCSR; after the call they must equal what they were
 * before (if not, the mode is set again before the next call and the call is
 * counted as a failure), and every reply must equal the reference. Replies
 * that cannot repeat are compared without their random member: a
 * session.open's "session", an SM2 signature wherever the reply carries it
 * (SM2 signing is randomized); with --sm2-out every SM2 signature made is written to
 * PREFIX-N.sig (Base64 lines) with its signed content in PREFIX-N.content,
 * for the openssl command line to verify afterwards.
 *
 * Each mode's counts are printed; any failure makes the exit status 1. A mode
 * that killed the process would leave its "mode ...: running" line last.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "couponkit.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <pthread.h>
#endif

#if !defined(__i386__) && !defined(__x86_64__)
#error "fpu.c checks the x87 and SSE state: x86 and x86-64 only"
#endif

/* ---- the floating-point state ---- */

typedef struct {
	uint16_t cw, sw; /* x87 control and status words */
	uint32_t mxcsr;
} fpstate;

static fpstate fp_get(void) {
	fpstate s;
	__asm__ __volatile__("fnstcw %0\n\tfnstsw %1\n\tstmxcsr %2" : "=m"(s.cw), "=m"(s.sw), "=m"(s.mxcsr) : : "memory");
	return s;
}

/* fp_set loads a mode: clears pending x87 exceptions first, so that an
 * unmasking control word does not raise one of them. */
static void fp_set(uint16_t cw, uint32_t mxcsr) {
	__asm__ __volatile__("fnclex\n\tfldcw %0\n\tldmxcsr %1" : : "m"(cw), "m"(mxcsr) : "memory");
}

static int fp_equal(fpstate a, fpstate b) { return a.cw == b.cw && a.sw == b.sw && a.mxcsr == b.mxcsr; }

#ifdef _WIN32
#define CW_DEFAULT 0x027F /* what Windows starts a thread with */
#else
#define CW_DEFAULT 0x037F /* what System V starts a thread with */
#endif

struct mode {
	const char *name;
	uint16_t cw;
	uint32_t mxcsr;
};

static const struct mode modes[] = {
    {"masked (platform default, the reference)", CW_DEFAULT, 0x1F80},
    {"Delphi 7 Default8087CW $1332", 0x1332, 0x1F80},
    {"Delphi 7 as read back $1372", 0x1372, 0x1F80},
    {"Delphi XE2+ DefaultMXCSR $1900", CW_DEFAULT, 0x1900},
    {"Delphi XE2+ both $1332 and $1900", 0x1332, 0x1900},
    {"everything unmasked (x87 $0300, MXCSR $0000)", 0x0300, 0x0000},
    {"round toward zero, flush-to-zero (x87 $0F7F, MXCSR $FFC0)", 0x0F7F, 0xFFC0},
};
#define NMODES (sizeof modes / sizeof modes[0])

/* ---- cases ---- */

#define MAX_CASES 1024
#define MAX_WANTS 16

struct kase {
	char *where, *method, *req;
	int ok; /* 1, 0, or -1 when the file does not say */
	char *wants[MAX_WANTS + 1];
	int nwant, sm2_sign;
	char *ref[2]; /* reference replies: ck_invoke, ck_invoke_gbk (random members cut) */
};

static struct kase cases[MAX_CASES];
static int ncases, failures;

/* fail reports one failed check on stderr. */
__attribute__((format(printf, 1, 2))) static void fail(const char *format, ...) {
	va_list args;
	va_start(args, format);
	fputs("FAIL: ", stderr);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
	va_end(args);
	failures++;
}

static char *copy(const char *s) {
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (!d) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	return memcpy(d, s, n);
}

static void load(const char *path) {
	FILE *f = fopen(path, "rb");
	if (!f) {
		fail("cannot open %s", path);
		return;
	}
	static char line[1 << 16];
	struct kase *k = NULL;
	for (int lineno = 1; fgets(line, sizeof line, f); lineno++) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!strncmp(line, "call ", 5)) {
			if (ncases == MAX_CASES) {
				fail("%s: more than %d cases", path, MAX_CASES);
				break;
			}
			k = &cases[ncases++];
			char where[512];
			snprintf(where, sizeof where, "%.280s:%d %.200s", path, lineno, line + 5);
			k->where = copy(where), k->method = copy(line + 5), k->ok = -1;
		} else if (k && !strncmp(line, "req ", 4)) {
			k->req = copy(line + 4);
			k->sm2_sign = strstr(k->req, "\"signType\":\"SM2\"") && strstr(k->method, ".request") != NULL;
		} else if (k && !strcmp(line, "ok true")) {
			k->ok = 1;
		} else if (k && !strcmp(line, "ok false")) {
			k->ok = 0;
		} else if (k && !strncmp(line, "want ", 5) && k->nwant < MAX_WANTS) {
			k->wants[k->nwant++] = copy(line + 5);
		}
	}
	fclose(f);
	if (k && !k->req) fail("%s: the last case has no req line", path);
}

/* cut_after removes, in place, the text of every JSON string that follows
 * key in reply, so replies that differ only in a random value compare equal. */
static void cut_after(char *reply, const char *key) {
	for (char *p = strstr(reply, key); p; p = strstr(p, key)) {
		p += strlen(key);
		char *end = p;
		while (*end && *end != '"') end += *end == '\\' && end[1] ? 2 : 1;
		memmove(p, end, strlen(end) + 1);
	}
}

/* comparable returns a malloc'd copy of reply with the random values of
 * case k cut: a session id; an SM2 signature wherever the reply carries it
 * (the "sign" member, the "sign" parameter, the form body). */
static char *comparable(const struct kase *k, const char *reply) {
	char *c = copy(reply);
	if (!strcmp(k->method, "session.open")) cut_after(c, "\"session\":\"");
	if (k->sm2_sign) {
		cut_after(c, "\"sign\":\"");
		cut_after(c, "\"key\":\"sign\",\"value\":\"");
		cut_after(c, "\"body\":\"");
	}
	return c;
}

/* string_member copies the decoded value of the string member "name" of
 * reply into out (ASCII escapes and \uXXXX as UTF-8); 0 when absent. */
static int string_member(const char *reply, const char *name, char *out, size_t size) {
	char key[64];
	snprintf(key, sizeof key, "\"%s\":\"", name);
	const char *p = strstr(reply, key);
	if (!p) return 0;
	size_t n = 0;
	for (p += strlen(key); *p && *p != '"' && n + 4 < size; p++) {
		if (*p != '\\') {
			out[n++] = *p;
			continue;
		}
		p++;
		switch (*p) {
		case 'n': out[n++] = '\n'; break;
		case 't': out[n++] = '\t'; break;
		case 'r': out[n++] = '\r'; break;
		case 'u': {
			unsigned cp = (unsigned)strtoul((char[5]){p[1], p[2], p[3], p[4], 0}, NULL, 16);
			p += 4;
			if (cp < 0x80) out[n++] = (char)cp;
			else if (cp < 0x800) out[n++] = (char)(0xC0 | cp >> 6), out[n++] = (char)(0x80 | (cp & 0x3F));
			else out[n++] = (char)(0xE0 | cp >> 12), out[n++] = (char)(0x80 | ((cp >> 6) & 0x3F)), out[n++] = (char)(0x80 | (cp & 0x3F));
			break;
		}
		default: out[n++] = *p; /* \" \\ \/ */
		}
	}
	out[n] = '\0';
	return 1;
}

/* ---- the exports under test ---- */

typedef char *(*invoke_fn)(const char *, const char *);
typedef void (*free_fn)(char *);
typedef const char *(*version_fn)(void);

struct entry {
	const char *name;
	invoke_fn invoke, invoke_gbk;
	free_fn free;
	version_fn version;
};

#if defined(_WIN32) && defined(__i386__)
/* cdecl adapters for the stdcall twins, found by name as VB6 finds them */
static char *(__stdcall *invoke_std)(const char *, const char *);
static char *(__stdcall *invoke_gbk_std)(const char *, const char *);
static void(__stdcall *free_std)(char *);
static const char *(__stdcall *version_std)(void);
static char *call_invoke_std(const char *m, const char *r) { return invoke_std(m, r); }
static char *call_invoke_gbk_std(const char *m, const char *r) { return invoke_gbk_std(m, r); }
static void call_free_std(char *p) { free_std(p); }
static const char *call_version_std(void) { return version_std(); }
#define NENTRIES 2
#else
#define NENTRIES 1
#endif

static struct entry entries[2] = {{"cdecl", ck_invoke, ck_invoke_gbk, ck_free, ck_version}};

/* ---- one thread's run of one mode ---- */

struct run {
	const struct mode *mode;
	unsigned tid;
	unsigned long calls, kept, compared, equal;
	char first_bad[512];
	FILE *sm2_out[MAX_CASES];
};

/* checked runs one export call (the statement CALL) and compares the state
 * after it with the state before it. */
#define CHECKED(r, what, CALL)                                                                          \
	do {                                                                                                \
		fpstate before_ = fp_get();                                                                     \
		CALL;                                                                                           \
		fpstate after_ = fp_get();                                                                      \
		(r)->calls++;                                                                                   \
		if (fp_equal(before_, after_)) (r)->kept++;                                                     \
		else {                                                                                          \
			if (!(r)->first_bad[0])                                                                     \
				snprintf((r)->first_bad, sizeof (r)->first_bad,                                         \
				         "%s: x87 CW %04X SW %04X MXCSR %04X before, CW %04X SW %04X MXCSR %04X after", \
				         (what), before_.cw, before_.sw, (unsigned)before_.mxcsr, after_.cw, after_.sw,  \
				         (unsigned)after_.mxcsr);                                                        \
			fp_set((r)->mode->cw, (r)->mode->mxcsr);                                                    \
		}                                                                                               \
	} while (0)

static void compare(struct run *r, const struct kase *k, int gbk, const char *entry, const char *reply) {
	r->compared++;
	if (!reply) {
		if (!r->first_bad[0]) snprintf(r->first_bad, sizeof r->first_bad, "%s %s: NULL reply", k->where, entry);
		return;
	}
	char *c = comparable(k, reply);
	if (!strcmp(c, k->ref[gbk])) r->equal++;
	else if (!r->first_bad[0])
		snprintf(r->first_bad, sizeof r->first_bad, "%s %s%s: reply differs from the masked run: %.300s", k->where,
		         entry, gbk ? " gbk" : "", reply);
	free(c);
}

static void run_mode(struct run *r) {
	fp_set(r->mode->cw, r->mode->mxcsr);
	const fpstate set = fp_get();
	for (int i = 0; i < ncases; i++) {
		const struct kase *k = &cases[i];
		for (int e = 0; e < NENTRIES; e++) {
			const struct entry *en = &entries[e];
			for (int gbk = 0; gbk < 2; gbk++) {
				fpstate now = fp_get();
				if (!fp_equal(now, set)) fp_set(r->mode->cw, r->mode->mxcsr);
				char *reply = NULL;
				CHECKED(r, k->where, reply = (gbk ? en->invoke_gbk : en->invoke)(k->method, k->req));
				compare(r, k, gbk, en->name, reply);
				if (reply && k->sm2_sign && r->sm2_out[i]) {
					char sig[256];
					if (string_member(reply, "sign", sig, sizeof sig)) fprintf(r->sm2_out[i], "%s\n", sig);
				}
				CHECKED(r, "ck_free", en->free(reply));
			}
			const char *v = NULL;
			CHECKED(r, "ck_version", v = en->version());
			r->compared++;
			if (v && !strcmp(v, ck_version())) r->equal++;
			else if (!r->first_bad[0]) snprintf(r->first_bad, sizeof r->first_bad, "%s ck_version: %s", en->name, v ? v : "(NULL)");
		}
	}
	CHECKED(r, "ck_free(NULL)", ck_free(NULL));
}

#ifdef _WIN32
static DWORD WINAPI thread_main(LPVOID arg) {
	run_mode(arg);
	return 0;
}
#else
static void *thread_main(void *arg) {
	run_mode(arg);
	return NULL;
}
#endif

/* ---- main ---- */

static void reference(const char *sm2_prefix, FILE **sm2_out) {
	fp_set(modes[0].cw, modes[0].mxcsr);
	int sm2 = 0;
	for (int i = 0; i < ncases; i++) {
		struct kase *k = &cases[i];
		if (!k->req) continue;
		for (int gbk = 0; gbk < 2; gbk++) {
			char *reply = (gbk ? ck_invoke_gbk : ck_invoke)(k->method, k->req);
			if (!reply) {
				fail("%s: NULL reply", k->where);
				k->ref[gbk] = copy("");
				continue;
			}
			k->ref[gbk] = comparable(k, reply);
			if (!gbk) {
				if (k->ok == 1 && strncmp(reply, "{\"ok\":true", 10)) fail("%s: want ok=true: %.300s", k->where, reply);
				if (k->ok == 0 && strncmp(reply, "{\"ok\":false", 11)) fail("%s: want ok=false: %.300s", k->where, reply);
				for (int w = 0; w < k->nwant; w++)
					if (!strstr(reply, k->wants[w])) fail("%s: reply lacks %s: %.300s", k->where, k->wants[w], reply);
				if (k->sm2_sign && sm2_prefix) {
					char path[512], content[1 << 14], sig[256];
					snprintf(path, sizeof path, "%s-%d.content", sm2_prefix, sm2);
					FILE *f = fopen(path, "wb");
					if (!f || !string_member(reply, "signContent", content, sizeof content) ||
					    !string_member(reply, "sign", sig, sizeof sig)) {
						fail("%s: cannot write %s or the reply has no signContent: %.300s", k->where, path, reply);
					} else {
						fputs(content, f);
						snprintf(path, sizeof path, "%s-%d.sig", sm2_prefix, sm2++);
						sm2_out[i] = fopen(path, "wb");
						if (!sm2_out[i]) fail("cannot write %s", path);
						else fprintf(sm2_out[i], "%s\n", sig);
					}
					if (f) fclose(f);
				}
			}
			ck_free(reply);
		}
	}
}

int main(int argc, char **argv) {
	unsigned nthreads = 4;
	const char *sm2_prefix = NULL;
	int nfiles = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--threads") && i + 1 < argc) nthreads = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--sm2-out") && i + 1 < argc) sm2_prefix = argv[++i];
		else load(argv[i]), nfiles++;
	}
	if (!nfiles) {
		fprintf(stderr, "usage: %s CASES... [--threads N] [--sm2-out PREFIX]\n", argv[0]);
		return 2;
	}
	if (nthreads > 16) nthreads = 16;
	setvbuf(stdout, NULL, _IONBF, 0);
#if defined(_WIN32) && defined(__i386__)
	HMODULE m = GetModuleHandleA("couponkit.dll");
	invoke_std = (void *)GetProcAddress(m, "ck_invoke_std");
	invoke_gbk_std = (void *)GetProcAddress(m, "ck_invoke_gbk_std");
	free_std = (void *)GetProcAddress(m, "ck_free_std");
	version_std = (void *)GetProcAddress(m, "ck_version_std");
	if (!invoke_std || !invoke_gbk_std || !free_std || !version_std) {
		fprintf(stderr, "FAIL: a stdcall twin is missing\n");
		return 1;
	}
	entries[1] = (struct entry){"stdcall", call_invoke_std, call_invoke_gbk_std, call_free_std, call_version_std};
#endif
	static FILE *sm2_out[MAX_CASES];
	reference(sm2_prefix, sm2_out);
	printf("fpu: %d cases; reference replies from the masked mode; %s entry points; main thread + %u threads per mode\n",
	       ncases, NENTRIES == 2 ? "cdecl and stdcall" : "cdecl", nthreads);
	unsigned long total_calls = 0, total_kept = 0, total_compared = 0, total_equal = 0;
	for (size_t mi = 0; mi < NMODES; mi++) {
		printf("mode %s: running\n", modes[mi].name);
		struct run runs[17];
		memset(runs, 0, sizeof runs);
		for (unsigned t = 0; t <= nthreads; t++) {
			runs[t].mode = &modes[mi], runs[t].tid = t;
			memcpy(runs[t].sm2_out, sm2_out, sizeof sm2_out);
		}
#ifdef _WIN32
		HANDLE h[16];
		for (unsigned t = 0; t < nthreads; t++) {
			h[t] = CreateThread(NULL, 0, thread_main, &runs[t + 1], 0, NULL);
			if (!h[t]) fail("CreateThread failed");
		}
		run_mode(&runs[0]);
		WaitForMultipleObjects(nthreads, h, TRUE, INFINITE);
		for (unsigned t = 0; t < nthreads; t++) CloseHandle(h[t]);
#else
		pthread_t h[16];
		for (unsigned t = 0; t < nthreads; t++)
			if (pthread_create(&h[t], NULL, thread_main, &runs[t + 1])) fail("pthread_create failed");
		run_mode(&runs[0]);
		for (unsigned t = 0; t < nthreads; t++) pthread_join(h[t], NULL);
#endif
		fp_set(modes[0].cw, modes[0].mxcsr);
		unsigned long calls = 0, kept = 0, compared = 0, equal = 0;
		for (unsigned t = 0; t <= nthreads; t++) {
			calls += runs[t].calls, kept += runs[t].kept, compared += runs[t].compared, equal += runs[t].equal;
			if (runs[t].first_bad[0]) fail("mode %s, thread %u: %s", modes[mi].name, t, runs[t].first_bad);
		}
		printf("mode %s: %lu export calls, FPU state kept after %lu (%s); %lu replies, %lu equal to the masked run (%s)\n",
		       modes[mi].name, calls, kept, kept == calls ? "100%" : "NOT all", compared, equal,
		       equal == compared ? "100%" : "NOT all");
		if (kept != calls || equal != compared) failures++;
		total_calls += calls, total_kept += kept, total_compared += compared, total_equal += equal;
	}
	for (int i = 0; i < ncases; i++)
		if (sm2_out[i]) fclose(sm2_out[i]);
	printf("fpu: %zu modes, %lu export calls, FPU state kept after %lu; %lu replies, %lu equal; no mode killed the process\n",
	       NMODES, total_calls, total_kept, total_compared, total_equal);
	if (failures) {
		fprintf(stderr, "fpu: %d check(s) FAILED\n", failures);
		return 1;
	}
	printf("fpu: all checks passed\n");
	return 0;
}
