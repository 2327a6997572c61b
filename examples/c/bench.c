/*
 * bench.c — the cost of one ck_invoke call from C (make bench-capi).
 *
 *   bench REQUEST-FILE [ROUNDS]
 *
 * Times ck_invoke("zvcms.verifyCoupons.request", <file>) + ck_free, and
 * ck_invoke("version", "{}") + ck_free (the boundary alone), each as the
 * best of ROUNDS (5) rounds of about 0.3 s, and prints go-test-style lines
 * ("BenchmarkC/<name> N <ns> ns/op") that mk/capi.mk sets against the same
 * calls made directly in Go (capi/bench_test.go).
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "couponkit.h"

static double now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void bench(const char *name, const char *method, const char *req, int rounds) {
	char *r = ck_invoke(method, req);
	if (!r || strncmp(r, "{\"ok\":true", 10)) {
		fprintf(stderr, "bench %s: call failed: %s\n", name, r ? r : "(NULL)");
		exit(1);
	}
	ck_free(r);
	long n = 1000;
	for (;;) { /* grow n until one round takes >= 0.3 s */
		double t0 = now_ns();
		for (long i = 0; i < n; i++) ck_free(ck_invoke(method, req));
		if (now_ns() - t0 >= 3e8) break;
		n *= 2;
	}
	double best = 1e18;
	for (int k = 0; k < rounds; k++) {
		double t0 = now_ns();
		for (long i = 0; i < n; i++) ck_free(ck_invoke(method, req));
		double per = (now_ns() - t0) / n;
		if (per < best) best = per;
	}
	printf("BenchmarkC/%s %ld %.0f ns/op\n", name, n, best);
}

int main(int argc, char **argv) {
	if (argc < 2) {
		fprintf(stderr, "usage: %s REQUEST-FILE [ROUNDS]\n", argv[0]);
		return 2;
	}
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	FILE *f = fopen(argv[1], "rb");
	static char req[1 << 16];
	size_t n = f ? fread(req, 1, sizeof req - 1, f) : 0;
	if (!f || n == 0) {
		fprintf(stderr, "cannot read %s\n", argv[1]);
		return 1;
	}
	fclose(f);
	req[n] = '\0';
	bench("verifyCoupons.request", "zvcms.verifyCoupons.request", req, rounds);
	bench("version", "version", "{}", rounds);
	return 0;
}
