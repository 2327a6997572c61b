/* quickstart.c: price a coupon and redeem it against the local sandbox
 * through the C ABI (libcouponkit.so / couponkit.dll), whose one-call methods
 * sign the request, send it and parse the reply:
 *
 *   ./quickstart http://127.0.0.1:8080
 *
 * It prints the discount the sandbox gives and the redemption's bizId. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "couponkit.h"

/* The text of the first string member "name" in a reply ("" when absent);
 * enough for this example; a real program uses a JSON parser. */
static void member(const char *reply, const char *name, char *out, size_t size) {
    char key[64];
    snprintf(key, sizeof key, "\"%s\":", name);
    const char *p = strstr(reply, key);
    out[0] = '\0';
    if (!p) return;
    p += strlen(key);
    if (*p == '[') p++;          /* the first element of a list */
    if (*p != '"') return;
    p++;
    size_t n = strcspn(p, "\"");
    if (n >= size) n = size - 1;
    memcpy(out, p, n);
    out[n] = '\0';
}

/* Calls a method; on an error envelope prints it and exits. */
static char *call(const char *method, const char *request) {
    char *r = ck_invoke(method, request);
    if (strncmp(r, "{\"ok\":true", 10) != 0) {
        fprintf(stderr, "quickstart: %s: %s\n", method, r);
        ck_free(r);
        exit(1);
    }
    return r;
}

int main(int argc, char **argv) {
    const char *base = argc > 1 ? argv[1] : "http://127.0.0.1:8080"; /* the sandbox: make sandbox-run */
    char req[1024], session[64], discount[32], discount_fen[32], bizid[64], coupon[32];

    /* A session holds the credentials (the sandbox's test ones). */
    snprintf(req, sizeof req,
             "{\"zvcms\":{\"openId\":\"6dc05b4ac175cf316d226252b05cf685\",\"grantCode\":\"782c281f62\","
             "\"openKey\":\"sandbox-open-key-TEST-ONLY\",\"baseUrl\":\"%s/api/v2\"}}", base);
    char *r = call("session.open", req);
    member(r, "session", session, sizeof session);
    ck_free(r);

    /* 1. What does the coupon take off two teas at 12.50 yuan? */
    snprintf(req, sizeof req,
             "{\"session\":\"%s\",\"params\":{\"user_coupon_id\":\"390962138708451328\",\"user_id\":\"383933091455959041\","
             "\"items\":[{\"num\":\"2\",\"trade_mark\":\"6901234567001\",\"price\":\"12.50\"}]}}", session);
    r = call("zvcms.couponDiscount", req);
    member(r, "couponDiscountYuan", discount, sizeof discount);
    member(r, "couponDiscountFen", discount_fen, sizeof discount_fen);
    ck_free(r);
    printf("discount %s yuan\n", discount);

    /* 2. Redeem it (核销); amounts in fen. Keep the reply's bizId: a reversal (冲正) needs it. */
    snprintf(req, sizeof req,
             "{\"session\":\"%s\",\"params\":{\"bizId\":\"quickstart-1\",\"customerId\":\"383933091455959041\","
             "\"couponsCardList\":[\"390962138708451328\"],\"amount\":\"%s\",\"orderAmount\":\"2500\"}}", session, discount_fen);
    r = call("zvcms.verifyCoupons", req);
    member(r, "bizId", bizid, sizeof bizid);
    member(r, "cardIdList", coupon, sizeof coupon);
    ck_free(r);
    printf("verified bizId %s, coupon %s\n", bizid, coupon);

    snprintf(req, sizeof req, "{\"session\":\"%s\"}", session);
    ck_free(call("session.close", req));
    return 0;
}
