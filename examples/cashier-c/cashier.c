/*
 * cashier.c — a cashier flow through couponkit's C ABI against the sandbox.
 *
 *   cashier <sandbox-base-url> [testdata-dir] [--faults]
 *
 * Issues a coupon to a member (Allinpay couponSend), looks the scanned code
 * up (zvcms coupon.off-coupon), quotes a basket locally, asks the zvcms
 * server for the coupon's discount and reconciles the two, verifies
 * (redeems) the coupon, shows its new status, tries to verify it again and
 * shows the business error, prints a receipt with the discount's per-line
 * and per-unit apportionment, then voids the sale: the reversal (冲正) with
 * the bizId the verify's reply returned (and the errors for the bizId sent,
 * an unknown one and a second reversal), the coupon unused again, and a new
 * redemption; last, an Allinpay coupon looked up and redeemed (couponQuery,
 * couponConsume, the redemption repeated with its orderId). The program does no HTTP itself: the library's one-call
 * methods (allinpay.couponSend, zvcms.offCoupon, zvcms.couponDiscount,
 * zvcms.verifyCoupons, zvcms.couponStatus, zvcms.reverse,
 * zvcms.resolveVerify, allinpay.couponQuery, allinpay.couponConsume) build, send, verify and parse. --faults also drives
 * the sandbox's fault injection and checks the error codes a POS sees, and
 * resolves each in-doubt verify (used by `make test-sandbox`).
 *
 * With SANDBOX_FLAGS holding "-reply-bizid own" (run.sh sets it) the sandbox
 * returns a bizId of its own, never the one sent, and the program checks
 * that it reverses with the returned one; otherwise that the two are equal.
 *
 * Every step checks its outcome; the exit status is 0 only when all match.
 * The credentials are the sandbox's TEST credentials (testdata/sandbox/seed.json).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "couponkit.h"

/* The sandbox's test credentials (testdata/sandbox/seed.json). */
#define OPEN_ID    "6dc05b4ac175cf316d226252b05cf685"
#define GRANT_CODE "782c281f62"
#define OPEN_KEY   "sandbox-open-key-TEST-ONLY"
#define APP_ID     "sandbox-app-0001"
#define MEMBER     "383933091455959041"
#define SHOP_MARK  "SH0001"
/* The reversal's Action: the sandbox's own name (its -reversal-action
 * default). The vendor's v2 name is not public: a POS sets the one of its
 * merchant contract. */
#define REVERSAL_ACTION "sandbox.coupons-reverse"

static int failures = 0;
static int own_bizid = 0; /* the sandbox returns its own bizId (-reply-bizid own) */

/* ---- small helpers ------------------------------------------------------ */

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) { fputs("out of memory\n", stderr); exit(2); }
    return p;
}

/* fmt returns a malloc'd printf-formatted string. */
static char *fmt(const char *f, ...) {
    va_list ap, ap2;
    va_start(ap, f);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, f, ap2);
    va_end(ap2);
    return s;
}

/* esc returns s as the inside of a JSON string (malloc'd). */
static char *esc(const char *s) {
    char *out = xmalloc(strlen(s) * 6 + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') { *o++ = '\\'; *o++ = (char)*p; }
        else if (*p == '\n') { *o++ = '\\'; *o++ = 'n'; }
        else if (*p == '\r') { *o++ = '\\'; *o++ = 'r'; }
        else if (*p < 0x20) { o += sprintf(o, "\\u%04x", *p); }
        else *o++ = (char)*p;
    }
    *o = 0;
    return out;
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = xmalloc((size_t)n + 1);
    if (fread(b, 1, (size_t)n, f) != (size_t)n) { perror(path); exit(2); }
    b[n] = 0;
    fclose(f);
    return b;
}

/* ---- a minimal JSON reader for the library's replies -------------------- */

static const char *ws(const char *p) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    return p;
}

/* skip returns the end of the JSON value at p (NULL if malformed). */
static const char *skip(const char *p) {
    p = ws(p);
    if (*p == '"') {
        for (p++; *p && *p != '"'; p++) if (*p == '\\' && p[1]) p++;
        return *p ? p + 1 : NULL;
    }
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        p = ws(p + 1);
        if (*p == close) return p + 1;
        for (;;) {
            if (close == '}') { p = skip(p); if (!p) return NULL; p = ws(p); if (*p++ != ':') return NULL; }
            p = skip(p);
            if (!p) return NULL;
            p = ws(p);
            if (*p == ',') { p++; continue; }
            return *p == close ? p + 1 : NULL;
        }
    }
    while (*p && !strchr(",}] \t\r\n", *p)) p++;
    return p;
}

/* find returns the value at a path such as "result.list[0].couponNo". */
static const char *find(const char *json, const char *path) {
    const char *p = ws(json);
    while (p && *path) {
        if (*path == '.') path++;
        if (*path == '[') {
            int idx = atoi(path + 1);
            path = strchr(path, ']') + 1;
            if (*p != '[') return NULL;
            p = ws(p + 1);
            for (int i = 0; i < idx; i++) {
                p = skip(p);
                if (!p) return NULL;
                p = ws(p);
                if (*p != ',') return NULL;
                p = ws(p + 1);
            }
            continue;
        }
        size_t klen = strcspn(path, ".[");
        if (*p != '{') return NULL;
        p = ws(p + 1);
        const char *found = NULL;
        while (*p == '"') {
            const char *k = p + 1, *kend = skip(p);
            if (!kend) return NULL;
            p = ws(kend);
            if (*p++ != ':') return NULL;
            p = ws(p);
            if ((size_t)(kend - 1 - k) == klen && strncmp(k, path, klen) == 0) { found = p; break; }
            p = ws(skip(p));
            if (*p == ',') p = ws(p + 1);
        }
        if (!found) return NULL;
        p = found;
        path += klen;
    }
    return p;
}

/* str returns the string (unescaped) or raw scalar at path, malloc'd;
 * "" when absent. */
static char *str(const char *json, const char *path) {
    const char *v = find(json, path);
    if (!v) return fmt("");
    if (*v != '"') {
        const char *e = skip(v);
        return fmt("%.*s", (int)(e - v), v);
    }
    char *out = xmalloc(strlen(v) + 1), *o = out;
    for (v++; *v && *v != '"'; v++) {
        if (*v != '\\') { *o++ = *v; continue; }
        v++;
        switch (*v) {
        case 'n': *o++ = '\n'; break;
        case 't': *o++ = '\t'; break;
        case 'r': *o++ = '\r'; break;
        case 'u': {
            unsigned c = (unsigned)strtoul((char[]){v[1], v[2], v[3], v[4], 0}, NULL, 16);
            v += 4;
            if (c >= 0xD800 && c < 0xDC00 && v[1] == '\\' && v[2] == 'u') {
                unsigned lo = (unsigned)strtoul((char[]){v[3], v[4], v[5], v[6], 0}, NULL, 16);
                c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                v += 6;
            }
            if (c < 0x80) *o++ = (char)c;
            else if (c < 0x800) { *o++ = (char)(0xC0 | c >> 6); *o++ = (char)(0x80 | (c & 0x3F)); }
            else if (c < 0x10000) { *o++ = (char)(0xE0 | c >> 12); *o++ = (char)(0x80 | ((c >> 6) & 0x3F)); *o++ = (char)(0x80 | (c & 0x3F)); }
            else { *o++ = (char)(0xF0 | c >> 18); *o++ = (char)(0x80 | ((c >> 12) & 0x3F)); *o++ = (char)(0x80 | ((c >> 6) & 0x3F)); *o++ = (char)(0x80 | (c & 0x3F)); }
            break;
        }
        default: *o++ = *v;
        }
    }
    *o = 0;
    return out;
}

static int is(const char *json, const char *path, const char *want) {
    char *s = str(json, path);
    int eq = strcmp(s, want) == 0;
    free(s);
    return eq;
}

/* ---- calling the library ------------------------------------------------ */

/* invoke calls one method and returns the envelope (malloc'd copy). */
static char *invoke(const char *method, const char *request) {
    char *r = ck_invoke(method, request);
    if (!r) { fputs("ck_invoke returned NULL\n", stderr); exit(2); }
    char *copy = fmt("%s", r);
    ck_free(r);
    return copy;
}

static void check(int cond, const char *what, const char *reply) {
    if (cond) return;
    failures++;
    fprintf(stderr, "CHECK FAILED: %s\n  reply: %s\n", what, reply ? reply : "");
}

/* must calls a method that has to succeed. */
static char *must(const char *method, const char *request) {
    char *r = invoke(method, request);
    if (!is(r, "ok", "true")) {
        fprintf(stderr, "%s failed: %s\n", method, r);
        exit(1);
    }
    return r;
}

/* ---- the basket ---------------------------------------------------------- */

struct line { const char *id, *name, *qty, *price; };
static const struct line basket[] = {
    {"6901234567001", "Latte 拿铁", "2", "8.80"},
    {"6901234567002", "Americano 美式", "1", "6.50"},
    {"2000000000017", "Croissant 可颂", "3", "2.35"},
};
#define NLINES (sizeof basket / sizeof basket[0])

/* basket_json writes the basket as discount.quote lines, or (zvcms != 0)
 * as zvcms user.user-by-coupon items (price = unit price, num = quantity). */
static char *basket_json(int zvcms) {
    char *s = fmt("[");
    for (size_t i = 0; i < NLINES; i++) {
        const struct line *l = &basket[i];
        char *e = zvcms ? fmt("{\"num\":\"%s\",\"trade_mark\":\"%s\",\"price\":\"%s\"}", l->qty, l->id, l->price)
                        : fmt("{\"id\":\"%s\",\"quantity\":\"%s\",\"unitPriceYuan\":\"%s\"}", l->id, l->qty, l->price);
        char *n = fmt("%s%s%s", s, i ? "," : "", e);
        free(s); free(e);
        s = n;
    }
    char *n = fmt("%s]", s);
    free(s);
    return n;
}

static char *verify(const char *session, const char *biz, const char *coupon, const char *amount,
                    const char *order_amount, const char *extra) {
    char *req = fmt("{\"session\":\"%s\"%s,\"params\":{\"bizId\":\"%s\",\"customerId\":\"" MEMBER "\","
                    "\"couponsCardList\":[\"%s\"],\"ext\":{\"channelType\":3,\"multiStoreMark\":\"" SHOP_MARK "\",\"orderNo\":\"%s\"},"
                    "\"amount\":\"%s\",\"orderAmount\":\"%s\"}}",
                    session, extra, biz, coupon, biz, amount, order_amount);
    char *r = invoke("zvcms.verifyCoupons", req);
    free(req);
    return r;
}

/* coupon_status asks the coupon's state (user.coupon-new-status). */
static char *coupon_status(const char *session, const char *coupon) {
    char *req = fmt("{\"session\":\"%s\",\"params\":{\"customerId\":\"" MEMBER "\",\"cardId\":\"%s\"}}", session, coupon);
    char *r = must("zvcms.couponStatus", req);
    free(req);
    return r;
}

/* reverse sends a reversal (冲正) of bizId; returns the envelope. */
static char *reverse(const char *session, const char *biz, const char *coupon) {
    char *req = fmt("{\"session\":\"%s\",\"params\":{\"bizId\":\"%s\",\"couponsCardList\":[\"%s\"],"
                    "\"extra\":{\"reason\":\"sale voided\"}}}", session, biz, coupon);
    char *r = invoke("zvcms.reverse", req);
    free(req);
    return r;
}

/* returned_ok checks the bizId a verify reply returned for the one sent:
 * the sandbox's own (18 digits, another) or the same. */
static int returned_ok(const char *reply, const char *sent) {
    char *got = str(reply, "result.bizId");
    int ok = own_bizid ? strlen(got) == 18 && strcmp(got, sent) != 0 : strcmp(got, sent) == 0;
    free(got);
    return ok;
}

static const char *status_name(const char *s) {
    if (!strcmp(s, "0")) return "unused 未使用";
    if (!strcmp(s, "1")) return "verified 已核销";
    if (!strcmp(s, "2")) return "frozen 已冻结";
    if (!strcmp(s, "6")) return "expired 已过期";
    if (!strcmp(s, "7")) return "deleted 已删除";
    return "?";
}

/* issue sends one coupon of template 307 to the member under orderId order;
 * extra is inserted into the request (e.g. headers). Returns the envelope. */
static char *issue(const char *session, const char *order, const char *extra) {
    char *req = fmt("{\"session\":\"%s\"%s,\"params\":{\"shopId\":\"1\",\"operUserId\":\"cashier-01\",\"couponType\":\"1\","
                    "\"num\":\"1\",\"couponTemplateId\":\"307\",\"idType\":\"5\",\"memberId\":\"" MEMBER "\","
                    "\"orderId\":\"%s\",\"remark\":\"会员发券 demo\"}}", session, extra, order);
    char *r = invoke("allinpay.couponSend", req);
    free(req);
    return r;
}

/* faults drives the sandbox's fault injection through the C ABI: every
 * fault kind gives its TRANSPORT_ERROR reason, and repeating the call with
 * the same orderId / bizId issues and redeems exactly once. */
static void faults(const char *session, const char *base) {
    static const struct { const char *fault, *reason; } kinds[] = {
        {"status=500", "http_status"}, {"truncate", "truncated"}, {"drop", "reset"},
    };
    puts("\n-- fault injection (X-Sandbox-Fault) --");
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char *order = fmt("FAULT-%zu-%ld-%d", i, (long)time(NULL), (int)getpid());
        char *extra = fmt(",\"headers\":{\"X-Sandbox-Fault\":\"%s\"}", kinds[i].fault);
        char *r = issue(session, order, extra);
        check(is(r, "error.code", "TRANSPORT_ERROR") && is(r, "error.reason", kinds[i].reason), kinds[i].fault, r);
        printf("couponSend with %-10s → %s (%s)", kinds[i].fault, str(r, "error.code"), str(r, "error.reason"));
        free(r);
        char *first = issue(session, order, ""), *again = issue(session, order, "");
        char *coupon = str(first, "result.list[0].couponNo");
        check(strlen(coupon) == 18 && is(again, "result.list[0].couponNo", coupon), "repeated orderId returns the same coupon", again);
        printf("; repeated → coupon %s, issued once\n", coupon);

        char *biz = fmt("FAULT-VERIFY-%s", order);
        r = verify(session, biz, coupon, "500", "3115", extra);
        check(is(r, "error.code", "TRANSPORT_ERROR") && is(r, "error.reason", kinds[i].reason), kinds[i].fault, r);
        printf("verify     with %-10s → %s (%s)", kinds[i].fault, str(r, "error.code"), str(r, "error.reason"));
        free(r);
        /* The outcome is unknown: resolve it (status query, then the repeat). */
        char *rreq = fmt("{\"session\":\"%s\",\"params\":{\"bizId\":\"%s\",\"customerId\":\"" MEMBER "\","
                         "\"couponsCardList\":[\"%s\"],\"ext\":{\"channelType\":3,\"multiStoreMark\":\"" SHOP_MARK "\",\"orderNo\":\"%s\"},"
                         "\"amount\":\"500\",\"orderAmount\":\"3115\"}}", session, biz, coupon, biz);
        r = must("zvcms.resolveVerify", rreq);
        /* truncate and drop commit before failing; a 500 does not */
        const char *was = strcmp(kinds[i].fault, "status=500") ? "1" : "0";
        check(is(r, "result.outcome", "verified") && is(r, "result.repeated", "true") && is(r, "result.coupons[0].status", was) &&
              returned_ok(r, biz), "resolveVerify finds it verified", r);
        printf("; resolveVerify → %s (useStatus was %s, %s)", str(r, "result.outcome"), str(r, "result.coupons[0].status"),
               str(r, "result.reason"));
        char *rbiz = str(r, "result.bizId");
        free(r); free(rreq);
        r = verify(session, biz, coupon, "500", "3115", "");
        check(is(r, "ok", "true") && is(r, "result.bizId", rbiz), "repeat with the same bizId returns the same reply", r);
        free(r); free(rbiz);
        char *st = coupon_status(session, coupon);
        check(is(st, "result.coupons[0].useStatus", "1"), "redeemed (useStatus 1)", st);
        char *other = fmt("%s-other", biz);
        r = verify(session, other, coupon, "500", "3115", "");
        check(is(r, "error.vendorCode", "40010"), "another bizId cannot redeem it again", r);
        printf("; redeemed once (another bizId: %s)\n", str(r, "error.vendorCode"));
        free(r); free(st); free(other); free(biz); free(coupon); free(first); free(again); free(extra); free(order);
    }
    /* A client timeout shorter than the server's latency. */
    char *req = fmt("{\"session\":\"%s\",\"timeoutMs\":150,"
                    "\"headers\":{\"X-Sandbox-Fault\":\"latency=600ms\"},\"params\":{\"customerId\":\"" MEMBER "\",\"cardId\":\"390962138708451328\"}}", session);
    char *r = invoke("zvcms.couponStatus", req);
    check(is(r, "error.code", "TRANSPORT_ERROR") && is(r, "error.reason", "timeout"), "latency → timeout", r);
    printf("status with latency=600ms, timeoutMs 150 → %s (%s)\n", str(r, "error.code"), str(r, "error.reason"));
    free(r); free(req);
    /* Nothing listening. */
    r = invoke("http.send", "{\"url\":\"http://127.0.0.1:9/\",\"timeoutMs\":2000}");
    check(is(r, "error.code", "TRANSPORT_ERROR") && is(r, "error.reason", "refused"), "refused", r);
    printf("http.send to a closed port → %s (%s)\n", str(r, "error.code"), str(r, "error.reason"));
    free(r);
    /* The raw exchange. */
    req = fmt("{\"method\":\"GET\",\"url\":\"%s/health\"}", base);
    r = invoke("http.send", req);
    check(is(r, "result.status", "200") && is(r, "result.body", "ok\n"), "http.send GET /health", r);
    printf("http.send GET /health → %s\n", str(r, "result.status"));
    free(r); free(req);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s <sandbox-base-url> [testdata-dir] [--faults]\n", argv[0]);
        return 2;
    }
    const char *base = argv[1];
    const char *td = argc > 2 && strncmp(argv[2], "--", 2) ? argv[2] : "testdata";
    int with_faults = 0;
    for (int i = 2; i < argc; i++) if (!strcmp(argv[i], "--faults")) with_faults = 1;
    const char *flags = getenv("SANDBOX_FLAGS");
    own_bizid = flags && strstr(flags, "-reply-bizid own") != NULL;

    printf("couponkit %s — cashier demo against %s\n\n", ck_version(), base);

    /* A session with both APIs' credentials (keys parsed once). */
    char *priv = esc(read_file(fmt("%s/allinpay/rsa2048_pkcs8.pem", td)));
    char *pub = esc(read_file(fmt("%s/sandbox/platform_rsa2048_pub_spki.pem", td)));
    char *open = fmt("{\"zvcms\":{\"openId\":\"" OPEN_ID "\",\"grantCode\":\"" GRANT_CODE "\",\"openKey\":\"" OPEN_KEY "\","
                     "\"baseUrl\":\"%s/api/v2\",\"reversalAction\":\"" REVERSAL_ACTION "\"},\"allinpay\":{\"appId\":\"" APP_ID "\",\"privateKey\":\"%s\","
                     "\"platformPublicKey\":\"%s\",\"gatewayUrl\":\"%s/allinpay/gateway\"}}", base, priv, pub, base);
    char *r = must("session.open", open);
    char *session = str(r, "result.session");
    free(r);

    /* 1. Issue a coupon to the member (Allinpay couponSend, signed; reply verified). */
    char *order = fmt("DEMO-%ld-%d", (long)time(NULL), (int)getpid());
    char *sent = issue(session, order, "");
    if (!is(sent, "ok", "true")) { fprintf(stderr, "couponSend failed: %s\n", sent); return 1; }
    char *coupon = str(sent, "result.list[0].couponNo");
    char *cname = str(sent, "result.list[0].couponName");
    check(strlen(coupon) == 18 && is(sent, "result.verified", "true"), "couponSend gives an 18-digit coupon, reply verified", sent);
    printf("1. couponSend  order %s → coupon %s \"%s\"\n   tranNo %s at %s, QR %s\n", order, coupon, cname,
           str(sent, "result.tranNo"), str(sent, "result.tranDateTime"), str(sent, "result.list[0].qrCodeContext"));

    /* 2. The customer shows the coupon's QR code: look the code up before redeeming. */
    char *qr = str(sent, "result.list[0].qrCodeContext");
    const char *code = strstr(qr, "code=") ? strstr(qr, "code=") + 5 : "";
    char *oreq = fmt("{\"session\":\"%s\",\"params\":{\"code\":\"%s\"}}", session, code);
    char *off = must("zvcms.offCoupon", oreq);
    check(is(off, "result.id", coupon) && is(off, "result.couponStatus", "0") && is(off, "result.coupon.faceValue", "5.00") &&
          is(off, "result.coupon.minAmountUse", "20"), "the scanned code names the issued coupon, unused", off);
    printf("2. scan code    %s → coupon %s \"%s\", %s, %s yuan off from %s yuan (coupon.off-coupon)\n", code,
           str(off, "result.id"), str(off, "result.coupon.title"), str(off, "result.couponStatusName"),
           str(off, "result.coupon.faceValue"), str(off, "result.coupon.minAmountUse"));
    free(off); free(oreq);

    /* 3. Quote the basket locally (满20减5: fixed 5 yuan, threshold 20). */
    char *lines = basket_json(0);
    char *coupons = fmt("[{\"id\":\"%s\",\"kind\":\"fixed\",\"valueYuan\":\"5\",\"thresholdYuan\":\"20\"}]", coupon);
    char *qreq = fmt("{\"lines\":%s,\"coupons\":%s,\"units\":true}", lines, coupons);
    char *quote = must("discount.quote", qreq);
    printf("3. local quote  amount %s, discount %s, payable %s\n", str(quote, "result.amountYuan"),
           str(quote, "result.discountYuan"), str(quote, "result.payableYuan"));

    /* 4. Ask the server for the discount and reconcile. */
    char *items = basket_json(1);
    char *dreq = fmt("{\"session\":\"%s\",\"params\":{\"user_coupon_id\":\"%s\",\"user_id\":\"" MEMBER "\",\"items\":%s,"
                     "\"multi_mark\":\"" SHOP_MARK "\",\"coupon_id\":\"307\",\"type_cate\":\"1\"}}", session, coupon, items);
    char *disc = must("zvcms.couponDiscount", dreq);
    char *goods = fmt("[");
    for (size_t i = 0; i < NLINES; i++) {
        char *tm = str(disc, fmt("result.goodsItems[%zu].tradeMark", i));
        char *cm = str(disc, fmt("result.goodsItems[%zu].couponMinusYuan", i));
        char *n = fmt("%s%s{\"tradeMark\":\"%s\",\"couponMinusYuan\":\"%s\"}", goods, i ? "," : "", tm, cm);
        free(goods); free(tm); free(cm);
        goods = n;
    }
    char *g2 = fmt("%s]", goods);
    char *rreq = fmt("{\"lines\":%s,\"coupons\":%s,\"coupon\":0,\"server\":{\"couponDiscountYuan\":\"%s\",\"goodsItems\":%s}}",
                     lines, coupons, str(disc, "result.couponDiscountYuan"), g2);
    char *rec = must("discount.reconcile", rreq);
    check(is(rec, "result.consistent", "true") && is(rec, "result.discrepancies", "[]"), "server discount reconciles with the local quote", rec);
    printf("4. server discount %s (coupon_type %s) — reconcile: %s, source %s, verify amount %s fen of order %s fen\n",
           str(disc, "result.couponDiscountYuan"), str(disc, "result.couponType"),
           is(rec, "result.consistent", "true") ? "consistent" : "DISCREPANCIES", str(rec, "result.source"),
           str(rec, "result.amountFen"), str(rec, "result.orderAmountFen"));

    /* 5. Verify (redeem) the coupon with the reconciled amounts. */
    char *biz = fmt("POS-%s", order);
    char *amount = str(rec, "result.amountFen"), *order_amount = str(rec, "result.orderAmountFen");
    char *v = verify(session, biz, coupon, amount, order_amount, "");
    check(is(v, "ok", "true") && returned_ok(v, biz) && is(v, "result.cardIdList[0]", coupon), "verify succeeds", v);
    char *rbiz = str(v, "result.bizId");
    printf("5. verify       bizId %s → ok, cardIdList [%s], member %s\n"
           "                the reply's bizId: %s (the one a reversal takes)\n", biz,
           str(v, "result.cardIdList[0]"), str(v, "result.userInfo.username"), rbiz);

    /* 6. Its new status. */
    char *st = coupon_status(session, coupon);
    char *use = str(st, "result.coupons[0].useStatus");
    check(!strcmp(use, "1"), "useStatus is 1 after verification", st);
    printf("6. status       useStatus %s (%s)\n", use, status_name(use));

    /* 7. Verify again: the business error. */
    char *biz2 = fmt("POS-%s-again", order);
    char *v2 = verify(session, biz2, coupon, amount, order_amount, "");
    check(is(v2, "error.code", "API_ERROR") && is(v2, "error.vendorCode", "40010"), "second verify is API_ERROR 40010", v2);
    printf("7. verify again bizId %s → %s vendorCode %s \"%s\"\n", biz2, str(v2, "error.code"),
           str(v2, "error.vendorCode"), str(v2, "error.vendorMessage"));
    /* ... while repeating the first bizId returns the first result (no double redemption). */
    char *v3 = verify(session, biz, coupon, amount, order_amount, "");
    check(is(v3, "ok", "true") && is(v3, "result.bizId", rbiz), "repeating the first bizId returns its result", v3);
    printf("   repeat of bizId %s → ok (same result, redeemed once)\n", biz);

    /* The receipt, with the discount apportioned per line and per unit. */
    printf("\n================ 收银小票 RECEIPT ================\n");
    printf("%-16s %3s %8s %8s %8s %8s\n", "item", "qty", "price", "amount", "coupon", "pay");
    for (size_t i = 0; i < NLINES; i++) {
        char *p = fmt("result.lines[%zu]", i);
        char *a = fmt("result.allocation[%zu].amountYuan", i);
        char *amt = str(quote, fmt("%s.amountYuan", p)), *share = str(rec, a);
        long payf = atol(str(quote, fmt("%s.amountFen", p))) - atol(str(rec, fmt("result.allocation[%zu].amountFen", i)));
        printf("%-13s %s\n", basket[i].id, basket[i].name);
        printf("%-16s %3s %8s %8s %7s- %5ld.%02ld\n", "", basket[i].qty, basket[i].price, amt, share, payf / 100, payf % 100);
        /* Per-unit split of this line's coupon share (runs of equal units). */
        for (int k = 0;; k++) {
            char *run = fmt("%s.units.shares[0][%d]", p, k);
            if (!find(quote, run)) { free(run); break; }
            printf("%-16s     units %s-%s: %s each\n", "", str(quote, fmt("%s.from", run)), str(quote, fmt("%s.to", run)),
                   str(quote, fmt("%s.amountYuan", run)));
            free(run);
        }
        free(p); free(a); free(amt); free(share);
    }
    printf("--------------------------------------------------\n");
    printf("%-30s %19s\n", "total 合计", str(quote, "result.amountYuan"));
    printf("coupon 优惠券 %s\n  %-28s %18s-\n", cname, coupon, str(rec, "result.amountYuan"));
    long pay = atol(str(rec, "result.orderAmountFen")) - atol(str(rec, "result.amountFen"));
    printf("%-30s %16ld.%02ld\n", "payable 应付", pay / 100, pay % 100);
    printf("bizId %s (for a reversal 冲正)\n", rbiz);
    printf("==================================================\n");

    /* 8. The sale is voided: reverse (冲正) with the bizId the verify's reply returned. */
    printf("\n8. void the sale: reversal (冲正), Action %s (the sandbox's name: set your contract's)\n", REVERSAL_ACTION);
    if (own_bizid) {
        char *w = reverse(session, biz, coupon);
        check(is(w, "error.code", "API_ERROR") && is(w, "error.vendorCode", "40022"), "the bizId sent does not reverse", w);
        printf("   reverse bizId %s (sent) → %s %s \"%s\"\n", biz, str(w, "error.code"), str(w, "error.vendorCode"), str(w, "error.vendorMessage"));
        free(w);
    } else {
        check(!strcmp(rbiz, biz), "the sandbox returned the bizId sent", v);
    }
    char *w = reverse(session, "700000000000999999", coupon);
    check(is(w, "error.code", "API_ERROR") && is(w, "error.vendorCode", "40020"), "an unknown bizId does not reverse", w);
    printf("   reverse bizId 700000000000999999 (unknown) → %s %s \"%s\"\n", str(w, "error.code"), str(w, "error.vendorCode"), str(w, "error.vendorMessage"));
    free(w);
    w = reverse(session, rbiz, coupon);
    check(is(w, "ok", "true") && is(w, "result.bizId", rbiz) && is(w, "result.cardIdList[0]", coupon), "the returned bizId reverses", w);
    printf("   reverse bizId %s (returned) → ok, coupon %s given back\n", rbiz, str(w, "result.cardIdList[0]"));
    free(w);
    free(st);
    st = coupon_status(session, coupon);
    free(use);
    use = str(st, "result.coupons[0].useStatus");
    check(!strcmp(use, "0"), "useStatus is 0 after the reversal", st);
    printf("   status       useStatus %s (%s)\n", use, status_name(use));
    w = reverse(session, rbiz, coupon);
    check(is(w, "error.code", "API_ERROR") && is(w, "error.vendorCode", "40021"), "a second reversal is refused", w);
    printf("   reverse again → %s %s \"%s\" (the first one took effect)\n", str(w, "error.code"), str(w, "error.vendorCode"), str(w, "error.vendorMessage"));
    free(w);
    char *biz4 = fmt("POS-%s-new-sale", order);
    char *v4 = verify(session, biz4, coupon, amount, order_amount, "");
    check(is(v4, "ok", "true") && returned_ok(v4, biz4), "the coupon redeems again under a new bizId", v4);
    printf("   verify again bizId %s → ok (the coupon is usable again), reply's bizId %s\n", biz4, str(v4, "result.bizId"));
    free(v4); free(biz4);

    /* 9. Allinpay lifecycle: a stored-value coupon (template 953) looked up
     * (couponQuery) and redeemed (couponConsume, couponConsumeV1); the
     * redemption repeated with the same orderId (an unknown outcome
     * resolved) answers the first result, the coupon redeemed once. */
    char *aorder = fmt("AP-%s", order);
    char *sreq = fmt("{\"session\":\"%s\",\"params\":{\"shopId\":\"1\",\"operUserId\":\"cashier-01\",\"couponType\":\"1\","
                     "\"num\":\"1\",\"couponTemplateId\":\"953\",\"idType\":\"5\",\"memberId\":\"" MEMBER "\",\"orderId\":\"%s\"}}", session, aorder);
    char *as = must("allinpay.couponSend", sreq);
    char *acoupon = str(as, "result.list[0].couponNo");
    char *qreq2 = fmt("{\"session\":\"%s\",\"params\":{\"couponNo\":\"%s\"}}", session, acoupon);
    char *aq = must("allinpay.couponQuery", qreq2);
    check(is(aq, "result.couponNo", acoupon) && is(aq, "result.balance", "1.00") && is(aq, "result.verifiedBy", "sdk+md5"),
          "couponQuery: balance 1.00, reply verified as sdk+md5", aq);
    printf("\n9. Allinpay couponQuery %s → \"%s\" balance %s of %s (couponType %s), valid to %s; verifiedBy %s, key %.16s…\n",
           acoupon, str(aq, "result.couponName"), str(aq, "result.balance"), str(aq, "result.initAmount"), str(aq, "result.couponType"),
           str(aq, "result.validityEndDate"), str(aq, "result.verifiedBy"), str(aq, "result.keyFingerprint"));
    char *creq = fmt("{\"session\":\"%s\",\"params\":{\"shopId\":\"1\",\"operUserId\":\"cashier-01\",\"orderId\":\"%s-C\","
                     "\"couponConsumeList\":[{\"couponNo\":\"%s\",\"consumeAmount\":1}]}}", session, aorder, acoupon);
    char *ac = must("allinpay.couponConsume", creq);
    char *tran = str(ac, "result.tranNo");
    check(strlen(tran) > 0 && is(ac, "result.couponConsumeDetail[0].couponNo", acoupon) &&
          is(ac, "result.couponConsumeDetail[0].financeList[0].accountValue", "1.00"), "couponConsume redeems it", ac);
    printf("   couponConsume orderId %s-C → tranNo %s, %s: %s %s yuan\n", aorder, tran, str(ac, "result.orgName"),
           str(ac, "result.couponConsumeDetail[0].financeList[0].accountTitle"), str(ac, "result.couponConsumeDetail[0].financeList[0].accountValue"));
    char *ac2 = must("allinpay.couponConsume", creq);
    check(is(ac2, "result.tranNo", tran), "repeating the orderId answers the first result", ac2);
    char *aq2 = must("allinpay.couponQuery", qreq2);
    check(is(aq2, "result.balance", "0.00"), "balance 0.00 after the redemption", aq2);
    printf("   repeated with the same orderId → tranNo %s (the first result, redeemed once); balance now %s\n",
           str(ac2, "result.tranNo"), str(aq2, "result.balance"));
    free(aq2); free(ac2); free(tran); free(ac); free(creq); free(aq); free(qreq2); free(acoupon); free(as); free(sreq); free(aorder);

    if (with_faults) faults(session, base);

    r = must("session.close", fmt("{\"session\":\"%s\"}", session));
    free(r);
    if (failures) {
        fprintf(stderr, "\n%d check(s) failed\n", failures);
        return 1;
    }
    printf("\nall checks passed\n");
    return 0;
}
