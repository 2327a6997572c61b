// The cashier page in headless Chromium (Debian's chromium, driven by
// playwright-core): served from a local static server, a basket typed with
// the keyboard, a coupon applied, the shown apportionment checked against
// the expected fen, the signed requests checked, a screenshot saved.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { serve } from "../../../examples/browser-cashier/serve.js";
import { startBackoffice } from "../../../examples/browser-cashier/backoffice.js";
import { repoDir, chromiumArgs, startSandbox, slim, variant, zvcms, merchantKey } from "./helpers.js";

const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const shots = process.env.SCREENSHOT_DIR || path.join(repoDir, "build", "screenshots");

let server, base, context, profile;
const problems = [];

before(async () => {
  if (!existsSync(executablePath)) {
    throw new Error(`${executablePath} not found: install Debian's chromium (scripts/ensure-apt.sh chromium:chromium) or set CHROMIUM`);
  }
  ({ server, url: base } = await serve(repoDir));
  profile = mkdtempSync(path.join(tmpdir(), "couponkit-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath, headless: true, args: chromiumArgs, viewport: { width: 1280, height: 1000 },
  });
});

after(async () => {
  await context?.close();
  server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

// openPage opens the cashier page on the variant under test; loaded (if
// given) collects the body of every response the page receives.
async function openPage(query = "", loaded = null) {
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  if (loaded) page.on("response", (r) => loaded.push(r.body().then((b) => [r.url(), b], () => [r.url(), Buffer.alloc(0)])));
  const q = new URLSearchParams(query);
  if (slim) q.set("variant", variant);
  await page.goto(`${base}/examples/browser-cashier/${q.size ? "?" + q : ""}`);
  await page.waitForSelector("#status[data-ready='1']", { timeout: 30000 });
  return page;
}

// cells returns the data-fen attributes of one column of the quote table.
const fens = (page, cls) => page.$$eval(`#quote tbody td.${cls}`, (tds) => tds.map((td) => td.dataset.fen));
const texts = (page, cls) => page.$$eval(`#quote tbody td.${cls}`, (tds) => tds.map((td) => td.textContent));

test("basket, coupon and apportionment by keyboard; signed requests shown", async () => {
  const page = await openPage();
  // the scan field has the focus: type lines and press Enter
  assert.equal(await page.evaluate(() => document.activeElement.id), "scan");
  await page.keyboard.type("6901234567001*2@12.50");
  await page.keyboard.press("Enter");
  await page.keyboard.type("6901234567002*1@3");
  await page.keyboard.press("Enter");
  await page.keyboard.type("6901234567003"); // catalogue price 9.90, quantity 1
  await page.keyboard.press("Enter");
  assert.equal(await page.$$eval("#lines tbody tr", (r) => r.length), 3);
  // a wrong scan is refused with a Chinese message and adds nothing
  await page.keyboard.type("abc*x@1");
  await page.keyboard.press("Enter");
  assert.match(await page.textContent("#scan-error"), /无法识别/);
  assert.equal(await page.$$eval("#lines tbody tr", (r) => r.length), 3);
  await page.fill("#scan", "");
  // remove the third line again
  await page.click("#lines tbody tr:nth-child(3) button");
  assert.equal(await page.$$eval("#lines tbody tr", (r) => r.length), 2);

  // the coupon: 满20减5 with an 18-digit id, entered field by field, Enter adds it
  await page.focus("#coupon-id");
  await page.keyboard.type("390962138708451328");
  await page.keyboard.press("Tab"); // kind (fixed is selected)
  await page.keyboard.press("Tab");
  await page.keyboard.type("5");
  await page.keyboard.press("Tab");
  await page.keyboard.type("20");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "scan", "focus returns to the scan field");

  // 25.00 and 3.00 share 5.00: 500 × 2500/2800 = 446.4 → 446, the rest 54
  assert.deepEqual(await fens(page, "amount"), ["2500", "300"]);
  assert.deepEqual(await fens(page, "shares"), ["446", "54"]);
  assert.deepEqual(await fens(page, "discount"), ["446", "54"]);
  assert.deepEqual(await fens(page, "payable"), ["2054", "246"]);
  assert.deepEqual(await texts(page, "discount"), ["4.46", "0.54"]);
  assert.deepEqual(await texts(page, "payable"), ["20.54", "2.46"]);
  const total = await page.$$eval("#quote tfoot td", (tds) => tds.map((td) => [td.textContent, td.dataset.fen || ""]));
  assert.deepEqual(total.filter(([, f]) => f), [["28.00", "2800"], ["5.00", "500"], ["23.00", "2300"]]);
  assert.match(await page.textContent("#coupon-results"), /券 390962138708451328：优惠 5.00 元/);

  // build the signed requests with the keyboard (Enter in the order form)
  await page.focus("#biz-id");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.getElementById("allinpay-send").textContent.length > 0);
  assert.equal(await page.getAttribute("#status", "data-keyless"), "0");
  assert.equal(await page.textContent("#request-error"), "");
  const verify = await page.textContent("#zvcms-verify");
  const body = JSON.parse(verify.slice(verify.indexOf("\n") + 1));
  assert.equal(body.Action, "communal.user.coupons-vertify");
  assert.deepEqual(body.Params.couponsCardList, ["390962138708451328"]);
  assert.equal(body.Params.customerId, "383933091455959041");
  assert.equal(body.Params.amount, "500");
  assert.equal(body.Params.orderAmount, "2800");
  assert.match(body.Token, /^[A-Za-z0-9%]+$/);
  const discount = await page.textContent("#zvcms-discount");
  assert.match(discount, /"items":\[\{"num":"2","trade_mark":"6901234567001","price":"12.50"\}/);
  const send = await page.textContent("#allinpay-send");
  if (slim) {
    assert.match(send, /zvcms 模块（couponkit-zvcms\.wasm）不含通联/);
  } else {
    assert.match(send, /method=allinpay\.shopoint\.couponService\.couponSend/);
    assert.match(send, /&sign=[A-Za-z0-9%]+/);
  }
  // no sandbox configured: sending is off and the page says so
  assert.equal(await page.isDisabled("#send-verify"), true);
  assert.match(await page.textContent("#sandbox-note"), /未配置沙箱/);

  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `browser-cashier-${variant}.png`), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test("a rate coupon below its threshold is shown as not applied", async () => {
  const page = await openPage();
  await page.keyboard.type("6901234567002*3@3");
  await page.keyboard.press("Enter");
  await page.fill("#coupon-id", "308");
  await page.selectOption("#coupon-kind", "rate");
  await page.fill("#coupon-value", "8.5");
  await page.fill("#coupon-threshold", "20");
  await page.press("#coupon-threshold", "Enter");
  assert.match(await page.textContent("#coupon-results"), /券 308：未使用（未达门槛）/);
  assert.deepEqual(await fens(page, "payable"), ["900"]);
  await page.fill("#coupon-value", "8.5");
  await page.press("#coupon-value", "Enter");
  // 8.5折 of 9.00 = 1.35 off
  assert.deepEqual(await fens(page, "discount"), ["135"]);
  assert.deepEqual(problems, []);
  await page.close();
});

// reply waits until the reply box id shows text matching re, and returns it.
async function reply(page, id, re) {
  for (let i = 0; i < 100; i++) {
    const t = await page.textContent(`#${id}`);
    if (re.test(t)) return t;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`#${id} never matched ${re}: ${await page.textContent(`#${id}`)}`);
}

// secretFinder returns a function telling whether a text holds the zvcms
// openKey or any 24-character fragment of the Allinpay private key's Base64
// (over its lines and over the body joined).
function secretFinder() {
  const body = merchantKey.split("\n").filter((l) => l && !l.startsWith("-----"));
  const frags = new Set();
  for (const s of [...body, body.join("")]) for (let i = 0; i + 24 <= s.length; i++) frags.add(s.slice(i, i + 24));
  return (text) => {
    if (text.includes(zvcms.openKey)) return "the zvcms openKey";
    for (let i = 0; i + 24 <= text.length; i++) if (frags.has(text.slice(i, i + 24))) return `private key fragment ${text.slice(i, i + 24)}`;
    return null;
  };
}

test("keyless against the sandbox: the back office stamps and signs, the sandbox accepts, the page never holds a key", async () => {
  const sb = await startSandbox();
  const bo = await startBackoffice();
  const loaded = [];
  try {
    const page = await openPage(`?sandbox=${encodeURIComponent(sb.url)}&backoffice=${encodeURIComponent(bo.url)}`, loaded);
    assert.equal(await page.getAttribute("#status", "data-keyless"), "1");
    assert.match(await page.textContent("#sandbox-note"), /沙箱：http:\/\/127\.0\.0\.1:\d+/);
    for (const line of ["6901234567001*2@12.50", "6901234567002*1@3"]) {
      await page.keyboard.type(line);
      await page.keyboard.press("Enter");
    }
    await page.fill("#coupon-id", "390962138708451328");
    await page.fill("#coupon-value", "5");
    await page.fill("#coupon-threshold", "20");
    await page.press("#coupon-threshold", "Enter");
    await page.fill("#biz-id", `page-${Date.now()}`);
    await page.press("#biz-id", "Enter");
    await page.waitForFunction(() => !document.getElementById("send-verify").disabled);
    assert.equal(await page.textContent("#request-error"), "");

    await page.click("#send-discount");
    await reply(page, "zvcms-discount-reply", /解析结果|失败/);
    const discount = await page.textContent("#zvcms-discount-reply");
    assert.match(discount, /HTTP 200/);
    assert.match(discount, /"couponDiscountFen": "500"/);

    await page.click("#send-verify");
    await reply(page, "zvcms-verify-reply", /解析结果|失败/);
    const verify = await page.textContent("#zvcms-verify-reply");
    assert.match(verify, /HTTP 200/, "the sandbox accepts the stamped verify");
    assert.match(verify, /"bizId": "[^"]+"/);
    assert.match(verify, /"390962138708451328"/);

    // the same coupon under a new bizId: already used, the page shows the vendor's error
    await page.fill("#biz-id", `page-${Date.now()}-again`);
    await page.press("#biz-id", "Enter");
    await page.waitForFunction(() => document.getElementById("zvcms-verify").textContent.length > 0);
    await page.click("#send-verify");
    await reply(page, "zvcms-verify-reply", /失败/);
    assert.match(await page.textContent("#zvcms-verify-reply"), /业务错误（API_ERROR）/);

    if (!slim) {
      await page.waitForFunction(() => !document.getElementById("send-allinpay").disabled);
      await page.click("#send-allinpay");
      await reply(page, "allinpay-send-reply", /解析结果|失败/);
      const send = await page.textContent("#allinpay-send-reply");
      assert.match(send, /"verified": true/, "the sandbox accepts the externally signed couponSend, and its reply verifies");
      assert.match(send, /"couponNo": "\d{18}"/);
    }
    assert.ok(bo.counts.stamps >= 4, `stamps issued: ${bo.counts.stamps}`);
    assert.equal(bo.counts.signs, slim ? 0 : 2);

    // Nothing the page loaded or stored holds a key.
    const found = secretFinder();
    assert.equal(found(merchantKey), "private key fragment " + merchantKey.split("\n")[1].slice(0, 24), "the finder finds the key");
    const bodies = await Promise.all(loaded);
    assert.ok(bodies.some(([u]) => u.endsWith(".wasm")) && bodies.some(([u]) => u.endsWith("/stamp")), "responses were collected");
    for (const [url, b] of bodies) assert.equal(found(b.toString("latin1")), null, `response ${url}`);
    const stored = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie, document.documentElement.outerHTML]));
    assert.equal(found(stored), null, "storage and DOM");
    assert.equal(found(JSON.stringify(await context.cookies())), null, "cookies");
    assert.ok(!bodies.some(([u]) => /demo-keys\.js|rsa2048_pkcs8/.test(u)), "the page fetched the demo keys");

    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, `browser-cashier-keyless-${variant}.png`), fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    sb.stop();
    await bo.close();
  }
});
