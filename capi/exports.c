// The library's exported functions, the contract of bindings/c/couponkit.h.
//
// Each export that runs Go code keeps the caller's floating-point
// environment. Callers set it as they like: a Delphi 7 program runs with the
// x87 control word $1332 (invalid, zero-divide and overflow exceptions
// unmasked, 64-bit precision), Delphi XE2 and later set MXCSR to $1900,
// some C code unmasks SSE exceptions or changes the rounding mode. Go code
// needs the platform default (all exceptions masked, round to nearest): with
// an SSE exception unmasked, the first float operation in strconv kills the
// process; and the Go runtime itself loads its own x87 control word (0x027F)
// on every call from a thread it did not create, without restoring it. So
// every export here:
//   1. saves the caller's x87 environment (control word, status word with
//      its exception flags, tag word; FNSTENV) and MXCSR (STMXCSR);
//   2. loads the state Go expects: x87 control word CK_GO_X87 and MXCSR
//      0x1F80 (all exceptions masked, round to nearest, no flush-to-zero);
//   3. calls the Go function (capi/main.go, exported under an internal
//      ckgo_* name);
//   4. restores both exactly (FLDENV, LDMXCSR), so the caller sees neither
//      Go's control word nor the exception flags Go's arithmetic raised.
// This is done in C, not in a binding, so that every caller (Delphi, VB6,
// PowerBuilder, C#, C) is covered. It costs a few tens of nanoseconds.
//
// On Linux (and other POSIX systems) a thread's first call also goes through
// a gate, one thread at a time (ck_first_entry below), for hosts whose
// garbage collector stops threads by signal (Mono).
//
// Only these functions are exported: the ckgo_* functions cgo generates are
// hidden by the link (an ELF version script on Linux, a .def file on
// Windows; see mk/capi.mk and mk/windows.mk), and bindings/c/check-exports.sh
// checks the export tables against the header.
#include <stdlib.h>

#include "couponkit.h"
#include "_cgo_export.h"

#if defined(_WIN32)
#define CK_EXPORT __declspec(dllexport)
#else
#define CK_EXPORT __attribute__((visibility("default")))
#endif

#if defined(__i386__) || defined(__x86_64__)
// The x87 control word Go code runs with: the one each platform starts its
// threads with (Windows: 0x027F, 53-bit precision; System V: 0x037F, 64-bit),
// all exceptions masked. On 386 Go loads 0x027F itself on entry.
#if defined(_WIN32)
#define CK_GO_X87 0x027F
#else
#define CK_GO_X87 0x037F
#endif
#define CK_GO_MXCSR 0x1F80

// ck_fpenv is a caller's floating-point environment: the 28-byte x87
// environment FNSTENV stores (in 32-bit and 64-bit mode alike) and MXCSR.
typedef struct {
	unsigned char x87[28];
	unsigned int mxcsr;
} ck_fpenv;

// ck_fpenv_enter saves the caller's environment in e and loads Go's.
// (FNSTENV also masks every x87 exception until the FLDCW that follows.)
static inline __attribute__((always_inline)) void ck_fpenv_enter(ck_fpenv *e) {
	static const unsigned short go_x87 = CK_GO_X87;
	static const unsigned int go_mxcsr = CK_GO_MXCSR;
	__asm__ __volatile__("fnstenv %0\n\tstmxcsr %1" : "=m"(e->x87), "=m"(e->mxcsr) : : "memory");
	__asm__ __volatile__("fldcw %0\n\tldmxcsr %1" : : "m"(go_x87), "m"(go_mxcsr) : "memory");
}

// ck_fpenv_leave restores the environment ck_fpenv_enter saved in e.
static inline __attribute__((always_inline)) void ck_fpenv_leave(const ck_fpenv *e) {
	__asm__ __volatile__("fldenv %0\n\tldmxcsr %1" : : "m"(e->x87), "m"(e->mxcsr) : "memory");
}
#else
// Other architectures: Go and C share the platform's default environment.
typedef struct {
	int unused;
} ck_fpenv;
static inline void ck_fpenv_enter(ck_fpenv *e) { (void)e; }
static inline void ck_fpenv_leave(const ck_fpenv *e) { (void)e; }
#endif

#if !defined(_WIN32)
#include <pthread.h>

// The first call a thread makes into Go binds it to one of the runtime's
// spare Ms (needm): with every signal blocked, spinning until a spare M is
// free, and when several new threads arrive at once the later ones wait for
// the first to finish its call, where Go adds a spare M. A host whose
// garbage collector stops the world by signal (Mono sends each thread a
// signal and waits for every one to answer) then waits for spinning threads
// that cannot take the signal, while the thread that would free them is
// itself stopped: both runtimes hang (the C# threads test did, 2 of 20 runs
// without this gate). So a thread's first call enters Go alone, with a cheap
// call (ckgo_version) under a mutex; once it returns Go has a spare M ready
// again, and the thread stays bound to its M until it exits, so its later
// calls never need one. Threads waiting at the mutex have their signals
// unblocked and answer the collector as usual.
//
// Windows needs no gate: Go binds no M to a thread there (each call takes a
// spare M and gives it back), and Windows stops threads with SuspendThread,
// not with signals a thread can block.
static _Thread_local int ck_thread_entered;
static pthread_mutex_t ck_first_entry = PTHREAD_MUTEX_INITIALIZER;

// ck_enter lets a thread's first call into Go through the gate; afterwards it
// is one thread-local load. Called in Go's floating-point environment.
static inline __attribute__((always_inline)) void ck_enter(void) {
	if (__builtin_expect(ck_thread_entered, 1)) return;
	pthread_mutex_lock(&ck_first_entry);
	(void)ckgo_version();
	pthread_mutex_unlock(&ck_first_entry);
	ck_thread_entered = 1;
}
#else
static inline void ck_enter(void) {}
#endif

CK_EXPORT const char *ck_version(void) {
	ck_fpenv e;
	ck_fpenv_enter(&e);
	ck_enter();
	const char *v = ckgo_version();
	ck_fpenv_leave(&e);
	return v;
}

// invoke calls the cgo export fn (ckgo_invoke or ckgo_invoke_gbk) in Go's
// floating-point environment.
static char *invoke(char *(*fn)(char *, char *), const char *method, const char *request_json) {
	ck_fpenv e;
	ck_fpenv_enter(&e);
	ck_enter();
	char *r = fn((char *)method, (char *)request_json);
	ck_fpenv_leave(&e);
	return r;
}

CK_EXPORT char *ck_invoke(const char *method, const char *request_json) {
	return invoke(ckgo_invoke, method, request_json);
}

CK_EXPORT char *ck_invoke_gbk(const char *method, const char *request_json) {
	return invoke(ckgo_invoke_gbk, method, request_json);
}

// ck_free does not enter Go: every reply is malloc'd by capi/cmem.c, so it is
// free() of the same C runtime, which leaves the floating-point state alone
// (and costs no Go call, which on Windows 7 builds means no thread attach).
CK_EXPORT void ck_free(char *p) { free(p); }
