/* couponkit hardening from C, against the real libcouponkit.so.
 *
 * Reads the catalogue expanded by tests/hardening/cmd/expand (line format
 * described there) and runs one of:
 *
 *   hardening catalogue FILE         every case through ck_invoke: the
 *                                    expected code (and field), never
 *                                    INTERNAL, each call within 1 s (wall
 *                                    or process CPU time)
 *   hardening stress FILE T N        T threads, each N rounds of: open a
 *                                    session, use it, close it, check that
 *                                    the closed id is refused
 *   hardening leak FILE N [MAXBYTES] N calls of every method (its good
 *                                    request and its catalogue cases up to
 *                                    MAXBYTES, in turn), every reply freed;
 *                                    run under valgrind or LeakSanitizer
 *   hardening hostile FILE           the hostile-server cases written by
 *                                    cmd/hostile (which serves them): each
 *                                    call's exact code and reason or field,
 *                                    a message fragment, and for the floods
 *                                    a peak resident memory under 64 MiB
 *                                    above that before the call (run under
 *                                    an address-space limit by make), and
 *                                    no reply holding a secret of the
 *                                    file's S lines
 *
 * Exit status 0 when every check passed.
 */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "couponkit.h"

typedef struct {
    char kind;        /* 'O', 'Z', 'G', 'T', 'H', or 'S' (a secret no hostile reply may hold) */
    char *name;       /* T: case name */
    char *method;     /* G, T */
    char *code;       /* T: expected code ("OK" for success) */
    char *field;      /* T: expected field, "-" for none, "*" unchecked */
    char *body;       /* NUL-terminated request, placeholders still in */
    size_t len;
    /* H: hostile cases */
    char *reason;     /* expected TRANSPORT_ERROR reason, "-" for none */
    char *message;    /* fragment the reply must hold, "-" for none */
    int status;       /* expected result.status of http.send, 0 unchecked */
    int flood;        /* measure the peak memory */
} entry;

static entry *entries;
static size_t n_entries;
static const char *open_both, *open_zv;

static void die(const char *msg) {
    fprintf(stderr, "hardening: %s\n", msg);
    exit(2);
}

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) die("out of memory");
    return p;
}

static char *dup_n(const char *s, size_t n) {
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

/* load reads the expanded catalogue: a header line with tab-separated
 * fields ending in the body length, then the body and a newline. */
static void load(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) die("cannot open the catalogue (run cmd/expand first)");
    size_t cap = 512;
    entries = xmalloc(cap * sizeof *entries);
    char *line = NULL;
    size_t lcap = 0;
    while (getline(&line, &lcap, f) > 0) {
        char *fields[10];
        int nf = 0;
        line[strcspn(line, "\n")] = 0;
        for (char *p = line, *tok; nf < 10 && (tok = strsep(&p, "\t")) != NULL;) fields[nf++] = tok;
        if (nf < 2) die("bad header line");
        entry e = {0};
        e.kind = fields[0][0];
        e.len = (size_t)strtoull(fields[nf - 1], NULL, 10);
        if (e.kind == 'G' && nf == 3) {
            e.method = strdup(fields[1]);
        } else if (e.kind == 'T' && nf == 6) {
            e.name = strdup(fields[1]);
            e.method = strdup(fields[2]);
            e.code = strdup(fields[3]);
            e.field = strdup(fields[4]);
        } else if (e.kind == 'H' && nf == 10) {
            /* H name method code reason field message status flood len */
            e.name = strdup(fields[1]);
            e.method = strdup(fields[2]);
            e.code = strdup(fields[3]);
            e.reason = strdup(fields[4]);
            e.field = strdup(fields[5]);
            e.message = strdup(fields[6]);
            e.status = atoi(fields[7]);
            e.flood = atoi(fields[8]);
        } else if (e.kind != 'O' && e.kind != 'Z' && !(e.kind == 'S' && nf == 2)) {
            die("bad header line");
        }
        e.body = xmalloc(e.len + 1);
        if (fread(e.body, 1, e.len, f) != e.len || fgetc(f) != '\n') die("truncated catalogue");
        e.body[e.len] = 0;
        if (e.kind == 'O') open_both = e.body;
        if (e.kind == 'Z') open_zv = e.body;
        if (n_entries == cap) {
            cap *= 2;
            entries = realloc(entries, cap * sizeof *entries);
            if (!entries) die("out of memory");
        }
        entries[n_entries++] = e;
    }
    free(line);
    fclose(f);
}

/* member copies the string value of "name":"…" in a reply (NULL if absent);
 * escapes are kept as written. */
static char *member(const char *reply, const char *name) {
    char key[64];
    snprintf(key, sizeof key, "\"%s\":\"", name);
    const char *p = strstr(reply, key);
    if (!p) return NULL;
    p += strlen(key);
    const char *q = p;
    while (*q && *q != '"') q += (*q == '\\' && q[1]) ? 2 : 1;
    return dup_n(p, (size_t)(q - p));
}

static int is_ok(const char *reply) { return strncmp(reply, "{\"ok\":true,\"result\":{", 21) == 0; }

/* code returns the reply's error code, or "OK" for a success. */
static char *code_of(const char *reply) {
    if (is_ok(reply)) return strdup("OK");
    if (strncmp(reply, "{\"ok\":false,\"error\":{", 21) != 0) return strdup("NOT_AN_ENVELOPE");
    char *c = member(reply, "code");
    return c ? c : strdup("NO_CODE");
}

/* open_session opens a session with request req and returns its id. */
static char *open_session(const char *req) {
    char *r = ck_invoke("session.open", req);
    if (!r || !is_ok(r)) {
        fprintf(stderr, "session.open failed: %.300s\n", r ? r : "(NULL)");
        exit(1);
    }
    char *id = member(r, "session");
    ck_free(r);
    if (!id) die("session.open without a session id");
    return id;
}

static int close_session(const char *id) {
    char req[128];
    snprintf(req, sizeof req, "{\"session\":\"%s\"}", id);
    char *r = ck_invoke("session.close", req);
    int ok = r && is_ok(r) && strstr(r, "\"closed\":true");
    ck_free(r);
    return ok;
}

typedef struct {
    char *both, *zv, *closed;
} sessions;

/* substitute replaces the quoted placeholders with the session ids. */
static char *substitute(const char *body, size_t len, const sessions *s) {
    static const char *names[] = {"\"$session\"", "\"$zvSession\"", "\"$closed\""};
    const char *ids[] = {s->both, s->zv, s->closed};
    if (!strstr(body, "\"$")) return dup_n(body, len);
    size_t cap = len + 256, n = 0;
    char *out = xmalloc(cap);
    for (const char *p = body; *p;) {
        int hit = -1;
        if (p[0] == '"' && p[1] == '$') {
            for (int i = 0; i < 3; i++) {
                if (strncmp(p, names[i], strlen(names[i])) == 0) hit = i;
            }
        }
        const char *add = p;
        size_t alen = 1, skip = 1;
        char quoted[128];
        if (hit >= 0) {
            snprintf(quoted, sizeof quoted, "\"%s\"", ids[hit]);
            add = quoted;
            alen = strlen(quoted);
            skip = strlen(names[hit]);
        }
        if (n + alen + 1 > cap) {
            cap = 2 * cap + alen;
            out = realloc(out, cap);
            if (!out) die("out of memory");
        }
        memcpy(out + n, add, alen);
        n += alen;
        p += skip;
    }
    out[n] = 0;
    return out;
}

static sessions open_all(void) {
    sessions s;
    s.both = open_session(open_both);
    s.zv = open_session(open_zv);
    s.closed = open_session(open_zv);
    if (!close_session(s.closed)) die("session.close did not close");
    return s;
}

static void close_all(sessions *s) {
    close_session(s->both);
    close_session(s->zv);
    free(s->both);
    free(s->zv);
    free(s->closed);
}

static double clock_s(clockid_t id) {
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double now_s(void) { return clock_s(CLOCK_MONOTONIC); }

/* cpu_s is the CPU time of the whole process (the Go runtime's threads
 * included). */
static double cpu_s(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

/* check runs one case and returns 1 when it passed. */
static int check(const entry *e, const sessions *s, double bound, double *took) {
    char *req = substitute(e->body, e->len, s);
    double t0 = now_s(), c0 = cpu_s();
    char *r = ck_invoke(e->method, req);
    *took = now_s() - t0;
    double cpu = cpu_s() - c0;
    free(req);
    if (!r) {
        printf("FAIL %s: NULL reply\n", e->name);
        return 0;
    }
    char *code = code_of(r);
    char *field = is_ok(r) ? NULL : member(r, "field");
    const char *fgot = field ? field : "-";
    int pass = 1;
    if (strcmp(code, "INTERNAL") == 0 || strcmp(code, e->code) != 0) {
        printf("FAIL %s (%s): want %s, got %.300s\n", e->name, e->method, e->code, r);
        pass = 0;
    } else if (strcmp(code, "OK") != 0 && strcmp(e->field, "*") != 0 && strcmp(e->field, fgot) != 0) {
        printf("FAIL %s (%s): want field %s, got %.300s\n", e->name, e->method, e->field, r);
        pass = 0;
    }
    /* over the bound: both the wall time and the process CPU time beyond it
     * (a machine busy with other work stretches the wall time alone) */
    if (bound > 0 && *took > bound && cpu > bound) {
        printf("FAIL %s: took %.3f s (%.3f s CPU), over the bound of %.1f s\n", e->name, *took, cpu, bound);
        pass = 0;
    }
    free(code);
    free(field);
    ck_free(r);
    return pass;
}

static int run_catalogue(void) {
    sessions s = open_all();
    int cases = 0, failed = 0;
    double slowest = 0, took;
    const char *slow_name = "";
    for (size_t i = 0; i < n_entries; i++) {
        if (entries[i].kind != 'T') continue;
        cases++;
        if (!check(&entries[i], &s, 1.0, &took)) failed++;
        if (took > slowest) {
            slowest = took;
            slow_name = entries[i].name;
        }
    }
    close_all(&s);
    printf("catalogue through the C ABI: %d cases, %d failed; slowest %s %.3f s\n", cases, failed, slow_name, slowest);
    return failed != 0 || cases < 150;
}

/* ---- stress: sessions opened, used and closed from many threads ---- */

typedef struct {
    int rounds, failures;
} job;

static const char *good_body(const char *method) {
    for (size_t i = 0; i < n_entries; i++) {
        if (entries[i].kind == 'G' && strcmp(entries[i].method, method) == 0) return entries[i].body;
    }
    die("no good request for a method");
    return NULL;
}

static int expect(const char *method, const char *req, const char *want) {
    char *r = ck_invoke(method, req);
    char *c = r ? code_of(r) : strdup("NULL");
    int ok = strcmp(c, want) == 0;
    if (!ok) fprintf(stderr, "stress: %s want %s, got %.200s\n", method, want, r ? r : "NULL");
    free(c);
    ck_free(r);
    return ok;
}

static void *stress_thread(void *arg) {
    job *j = arg;
    const char *methods[] = {"zvcms.token", "zvcms.verifyCoupons.request", "allinpay.request", "discount.quote", "money.toFen"};
    for (int i = 0; i < j->rounds; i++) {
        sessions s = {open_session(i % 2 ? open_both : open_zv), NULL, NULL};
        s.zv = s.both;
        s.closed = s.both;
        for (int m = 0; m < 5; m++) {
            if (m == 2 && i % 2 == 0) continue; /* zvcms-only session */
            const char *g = good_body(methods[m]);
            char *req = substitute(g, strlen(g), &s);
            j->failures += !expect(methods[m], req, "OK");
            free(req);
        }
        if (!close_session(s.both)) j->failures++;
        char *req = substitute(good_body("zvcms.token"), strlen(good_body("zvcms.token")), &s);
        j->failures += !expect("zvcms.token", req, "INVALID_ARGUMENT");
        free(req);
        free(s.both);
    }
    return NULL;
}

static int run_stress(int threads, int rounds) {
    pthread_t *t = xmalloc((size_t)threads * sizeof *t);
    job *jobs = xmalloc((size_t)threads * sizeof *jobs);
    for (int i = 0; i < threads; i++) {
        jobs[i].rounds = rounds;
        jobs[i].failures = 0;
        if (pthread_create(&t[i], NULL, stress_thread, &jobs[i]) != 0) die("pthread_create");
    }
    int failures = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        failures += jobs[i].failures;
    }
    free(t);
    free(jobs);
    printf("stress through the C ABI: %d threads x %d rounds (open, 4-5 calls, close, refused after close): %d failures\n",
           threads, rounds, failures);
    return failures != 0;
}

/* ---- leak: N calls of every method, every reply freed ---- */

static int run_leak(long n, size_t max_bytes) {
    sessions s = open_all();
    int methods = 0, failures = 0;
    long total = 0;
    for (size_t g = 0; g < n_entries; g++) {
        if (entries[g].kind != 'G') continue;
        const char *method = entries[g].method;
        /* this method's requests: its good one, then its catalogue cases */
        size_t *pick = xmalloc(n_entries * sizeof *pick);
        size_t np = 0;
        pick[np++] = g;
        for (size_t i = 0; i < n_entries; i++) {
            if (entries[i].kind == 'T' && entries[i].len <= max_bytes && strcmp(entries[i].method, method) == 0) pick[np++] = i;
        }
        char **reqs = xmalloc(np * sizeof *reqs);
        for (size_t k = 0; k < np; k++) reqs[k] = substitute(entries[pick[k]].body, entries[pick[k]].len, &s);
        double t0 = now_s();
        for (long c = 0; c < n; c++) {
            size_t k = (size_t)c % np;
            int is_open = strcmp(method, "session.open") == 0;
            char *r = ck_invoke(method, reqs[k]);
            if (!r) {
                failures++;
                continue;
            }
            char *code = code_of(r);
            if (strcmp(code, "INTERNAL") == 0 || strcmp(code, "NOT_AN_ENVELOPE") == 0) failures++;
            if (is_open && is_ok(r)) { /* close what was opened, or they pile up */
                char *id = member(r, "session");
                if (id) close_session(id);
                free(id);
            }
            free(code);
            ck_free(r);
        }
        printf("  %-30s %ld calls over %zu requests: %.2f s\n", method, n, np, now_s() - t0);
        fflush(stdout);
        for (size_t k = 0; k < np; k++) free(reqs[k]);
        free(reqs);
        free(pick);
        methods++;
        total += n;
    }
    close_all(&s);
    printf("leak run through the C ABI: %d methods x %ld calls = %ld calls, %d failures\n", methods, n, total, failures);
    return failures != 0;
}

/* ---- hostile: the hostile-server cases ---- */

/* status_kb reads "Name: N kB" from /proc/self/status (-1 if absent). */
static long status_kb(const char *name) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long v = -1;
    size_t n = strlen(name);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, name, n) == 0 && line[n] == ':') v = strtol(line + n + 1, NULL, 10);
    }
    fclose(f);
    return v;
}

/* reset_peak makes VmHWM the current VmRSS (Linux clear_refs "5"). */
static int reset_peak(void) {
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f) return 0;
    int ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok;
}

static int run_hostile(void) {
    int cases = 0, failed = 0, floods = 0;
    long worst = 0;
    const char *worst_name = "";
    long as_kb = 0;
    FILE *lim = fopen("/proc/self/limits", "r");
    if (lim) {
        char line[256];
        while (fgets(line, sizeof line, lim)) {
            if (strncmp(line, "Max address space", 17) == 0) {
                char *p = line + 17;
                while (*p == ' ') p++;
                as_kb = strncmp(p, "unlimited", 9) == 0 ? -1 : strtol(p, NULL, 10) / 1024;
            }
        }
        fclose(lim);
    }
    printf("hostile cases through the C ABI (address-space limit: %s%ld%s)\n", as_kb < 0 ? "none" : "", as_kb < 0 ? 0L : as_kb / 1024,
           as_kb < 0 ? "" : " MiB");
    for (size_t i = 0; i < n_entries; i++) {
        const entry *e = &entries[i];
        if (e->kind != 'H') continue;
        cases++;
        long start = 0;
        if (e->flood) {
            if (!reset_peak()) die("cannot reset the peak memory (/proc/self/clear_refs)");
            start = status_kb("VmRSS");
        }
        double t0 = now_s();
        char *r = ck_invoke(e->method, e->body);
        double took = now_s() - t0;
        long growth = 0;
        if (e->flood) { /* VmHWM may lag VmRSS: take the larger */
            long hwm = status_kb("VmHWM"), rss = status_kb("VmRSS");
            growth = (hwm > rss ? hwm : rss) - start;
        }
        if (!r) {
            printf("FAIL %s: NULL reply\n", e->name);
            failed++;
            continue;
        }
        char *code = code_of(r);
        char *reason = member(r, "reason");
        char *field = member(r, "field");
        int pass = strcmp(code, e->code) == 0;
        if (pass && strcmp(e->reason, "-") != 0) pass = reason && strcmp(reason, e->reason) == 0;
        if (pass && strcmp(e->field, "-") != 0) pass = field && strcmp(field, e->field) == 0;
        if (pass && strcmp(e->message, "-") != 0) pass = strstr(r, e->message) != NULL;
        if (pass && e->status > 0) {
            char want[64];
            snprintf(want, sizeof want, "\"status\":%d,", e->status);
            pass = strstr(r, want) != NULL;
        }
        if (!pass) {
            printf("FAIL %s (%s): want %s %s %s, got %.300s\n", e->name, e->method, e->code, e->reason, e->field, r);
            failed++;
        }
        for (size_t k = 0; k < n_entries; k++) {
            if (entries[k].kind == 'S' && strstr(r, entries[k].body)) {
                printf("FAIL %s (%s): the reply holds the secret %s: %.300s\n", e->name, e->method, entries[k].body, r);
                failed++;
            }
        }
        if (e->flood) {
            floods++;
            if (growth >= 64 * 1024) {
                printf("FAIL %s (%s): peak resident memory rose by %ld KiB, over 64 MiB\n", e->name, e->method, growth);
                failed++;
            }
            if (growth > worst) {
                worst = growth;
                worst_name = e->name;
            }
        }
        printf("  %-36s %-20s %-17s %-28s %6.3f s", e->name, e->method, code, reason ? reason : (field ? field : ""), took);
        if (e->flood) printf("  peak +%.1f MiB", (double)growth / 1024);
        printf("\n");
        free(code);
        free(reason);
        free(field);
        ck_free(r);
    }
    printf("hostile cases through the C ABI: %d calls, %d failed; %d flood calls, highest peak rise %.1f MiB (%s); peak address space %.0f MiB\n",
           cases, failed, floods, (double)worst / 1024, worst_name, (double)status_kb("VmPeak") / 1024);
    return failed != 0 || cases < 50;
}

static void free_entries(void) {
    for (size_t i = 0; i < n_entries; i++) {
        free(entries[i].name);
        free(entries[i].method);
        free(entries[i].code);
        free(entries[i].field);
        free(entries[i].body);
        free(entries[i].reason);
        free(entries[i].message);
    }
    free(entries);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: hardening catalogue|stress|leak|hostile FILE [args]\n");
        return 2;
    }
    load(argv[2]);
    int rc;
    if (strcmp(argv[1], "hostile") == 0) {
        rc = run_hostile();
    } else if (!open_both || !open_zv) {
        die("catalogue without session requests");
    } else if (strcmp(argv[1], "catalogue") == 0) {
        rc = run_catalogue();
    } else if (strcmp(argv[1], "stress") == 0 && argc == 5) {
        rc = run_stress(atoi(argv[3]), atoi(argv[4]));
    } else if (strcmp(argv[1], "leak") == 0 && argc >= 4) {
        rc = run_leak(atol(argv[3]), argc > 4 ? (size_t)atol(argv[4]) : 4096);
    } else {
        fprintf(stderr, "hardening: unknown mode\n");
        return 2;
    }
    free_entries();
    return rc;
}
