// couponkit browser cashier: a static page over the WebAssembly module.
// Every amount shown is the engine's own text (yuan with two decimals, and
// the fen twin in data-fen); ids stay strings from input to request.
// Optional: ?sandbox=http://127.0.0.1:PORT sends the signed requests to the
// local sandbox (examples/sandbox) and shows the parsed replies.
// ?backoffice=http://127.0.0.1:PORT is keyless mode (docs/keyless.md): the
// page holds neither the zvcms openKey nor the Allinpay private key; it asks
// the back office (here the development stand-in backoffice.js) for a zvcms
// stamp per request and for the signature of each Allinpay signContent.
// Without it the page signs with the TEST keys of demo-keys.js (a demo only:
// a page must never hold real keys). ?variant=zvcms loads the zvcms module
// (couponkit-zvcms.wasm: no Allinpay).
import { load, CouponKitError } from "../../bindings/js/src/index.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const sandbox = (params.get("sandbox") || "").replace(/\/+$/, "");
const backoffice = (params.get("backoffice") || "").replace(/\/+$/, "");
const variant = params.get("variant") || "full";

// office asks the back office: POST path with the JSON body, its JSON reply.
async function office(path, body = {}) {
  const r = await fetch(backoffice + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const reply = await r.json();
  if (!r.ok) throw new Error(`后台 ${path}：HTTP ${r.status} ${reply.error || ""}`);
  return reply;
}

// Demo catalogue: codes whose price may be left out when scanning.
const catalogue = { "6901234567001": "12.50", "6901234567002": "3.00", "6901234567003": "9.90" };

const state = { lines: [], coupons: [], quote: null };
let ck = null;
let session = null;

// describe turns an error into one Chinese line for the cashier.
function describe(e) {
  if (e instanceof CouponKitError) {
    const names = {
      INVALID_ARGUMENT: "参数错误", INVALID_JSON: "请求格式错误", KEY_ERROR: "密钥错误", API_ERROR: "业务错误",
      SYSTEM_ERROR: "系统错误", SIGNATURE_INVALID: "验签失败", RESPONSE_INVALID: "应答格式错误",
      TRANSPORT_ERROR: "网络错误", TOO_LARGE: "请求过大", UNKNOWN_METHOD: "未知方法", INTERNAL: "内部错误",
    };
    let s = `${names[e.code] || e.code}（${e.code}）`;
    if (e.field) s += ` 字段 ${e.field}`;
    if (e.vendorCode || e.vendorMessage) s += `：${e.vendorCode} ${e.vendorMessage}`;
    return s + ` — ${e.message}`;
  }
  return String(e && e.message ? e.message : e);
}

function td(text, cls, fen) {
  const c = document.createElement("td");
  c.textContent = text;
  if (cls) c.className = cls;
  if (fen !== undefined) c.dataset.fen = fen;
  return c;
}

// parseScan reads "code*qty@price" (qty and, for catalogue codes, price optional).
function parseScan(text) {
  const m = /^\s*([0-9A-Za-z_-]+)\s*(?:\*\s*([0-9]+(?:\.[0-9]{1,3})?))?\s*(?:@\s*([0-9]+(?:\.[0-9]+)?))?\s*$/.exec(text);
  if (!m) throw new Error(`无法识别「${text}」：格式为 编码*数量@单价`);
  const price = m[3] || catalogue[m[1]];
  if (!price) throw new Error(`商品 ${m[1]} 不在目录中，请输入单价：${m[1]}*数量@单价`);
  return { id: m[1], quantity: m[2] || "1", unitPriceYuan: price };
}

function renderLines() {
  const body = $("lines").tBodies[0];
  body.replaceChildren();
  state.lines.forEach((l, i) => {
    const tr = document.createElement("tr");
    tr.append(td(String(i + 1)), td(l.id), td(l.quantity, "num"), td(l.unitPriceYuan, "num"));
    const cell = document.createElement("td");
    const b = document.createElement("button");
    b.type = "button";
    b.className = "remove";
    b.textContent = "删除";
    b.setAttribute("aria-label", `删除第 ${i + 1} 行`);
    b.addEventListener("click", () => { state.lines.splice(i, 1); changed(); $("scan").focus(); });
    cell.append(b);
    tr.append(cell);
    body.append(tr);
  });
}

function renderCoupons() {
  const ul = $("coupons");
  ul.replaceChildren();
  state.coupons.forEach((c, i) => {
    const li = document.createElement("li");
    const what = c.kind === "rate" ? `${c.rate} 折` : `减 ${c.valueYuan} 元`;
    li.textContent = `${c.id}：${what}${c.thresholdYuan ? `，满 ${c.thresholdYuan} 元` : ""}${c.capYuan ? `，封顶 ${c.capYuan} 元` : ""} `;
    const b = document.createElement("button");
    b.type = "button";
    b.className = "remove";
    b.textContent = "删除";
    b.addEventListener("click", () => { state.coupons.splice(i, 1); changed(); });
    li.append(b);
    ul.append(li);
  });
}

const reasons = {
  threshold_not_met: "未达门槛", no_eligible_line: "无适用商品", nothing_left: "已无可优惠金额", rounded_to_zero: "分摊后为零",
};

function renderQuote() {
  const body = $("quote").tBodies[0];
  const foot = $("quote").tFoot;
  body.replaceChildren();
  foot.replaceChildren();
  $("coupon-results").replaceChildren();
  $("quote-error").textContent = "";
  state.quote = null;
  if (!ck || state.lines.length === 0) return;
  let q;
  try {
    q = ck.quote({ lines: state.lines, coupons: state.coupons });
  } catch (e) {
    $("quote-error").textContent = describe(e);
    return;
  }
  state.quote = q;
  for (const l of q.lines) {
    const tr = document.createElement("tr");
    tr.dataset.line = l.id;
    tr.append(td(l.id), td(l.quantity, "num"), td(l.unitPriceYuan, "num unit", l.unitPriceFen), td(l.amountYuan, "num amount", l.amountFen),
      td(l.sharesYuan.join(" / "), "num shares", l.sharesFen.join(",")), td(l.discountYuan, "num discount", l.discountFen),
      td(l.payableYuan, "num payable", l.payableFen));
    body.append(tr);
  }
  const tr = document.createElement("tr");
  tr.append(td("合计"), td(""), td(""), td(q.amountYuan, "num amount", q.amountFen), td(""),
    td(q.discountYuan, "num discount", q.discountFen), td(q.payableYuan, "num payable", q.payableFen));
  foot.append(tr);
  for (const c of q.coupons) {
    const li = document.createElement("li");
    li.textContent = c.applied ? `券 ${c.id}：优惠 ${c.discountYuan} 元（适用金额 ${c.eligibleYuan} 元）` : `券 ${c.id}：未使用（${reasons[c.reason] || c.reason}）`;
    $("coupon-results").append(li);
  }
}

function changed() {
  renderLines();
  renderCoupons();
  renderQuote();
}

function show(id, text) {
  $(id).textContent = text;
}

// build signs the three requests from the basket, the quote and the order
// form (keyless: with the back office's stamps and signature).
async function build() {
  $("request-error").textContent = "";
  for (const id of ["zvcms-verify", "zvcms-discount", "allinpay-send", "zvcms-verify-reply", "zvcms-discount-reply", "allinpay-send-reply"]) show(id, "");
  const built = {};
  const q = state.quote;
  try {
    if (!session) throw new Error("密钥未加载，无法签名");
    if (!q) throw new Error("请先录入商品");
    const applied = q.coupons.filter((c) => c.applied && c.id);
    if (applied.length === 0) throw new Error("没有可核销的优惠券");
    const customerId = $("customer-id").value.trim();
    // keyless: one stamp per request (a stamp is its timestamp and nonce)
    const stamp = async () => (backoffice ? office("/stamp") : {});
    built.verify = session.verifyCouponsRequest({
      bizId: $("biz-id").value.trim(), customerId, couponsCardList: applied.map((c) => c.id),
      ext: { channelType: 3, multiStoreMark: "SH0001" }, amount: q.discountFen, orderAmount: q.amountFen,
    }, await stamp());
    show("zvcms-verify", `POST ${built.verify.url}\n${built.verify.body}`);
    built.discount = session.couponDiscountRequest({
      user_coupon_id: applied[0].id, user_id: customerId, multi_mark: "SH0001",
      items: q.lines.map((l) => ({ num: l.quantity, trade_mark: l.id, price: l.unitPriceYuan })),
    }, await stamp());
    show("zvcms-discount", `POST ${built.discount.url}\n${built.discount.body}`);
    if (session.allinpay) {
      built.send = session.couponSendRequest({
        shopId: "1", operUserId: "1", couponType: "1", num: "1", couponTemplateId: $("send-template").value.trim(),
        idType: "1", memberId: $("member-mobile").value.trim(), orderId: `${$("biz-id").value.trim()}-send`,
      });
      if (built.send.unsigned) { // keyless: the back office signs the sign content, the page attaches it
        const { sign } = await office("/sign", { params: built.send.params });
        built.send = session.attachSign(built.send, sign);
      }
      show("allinpay-send", `POST ${built.send.url}\n签名原文: ${built.send.signContent}\n\n${built.send.body}`);
    } else {
      show("allinpay-send", ck.variant === "zvcms" ? "zvcms 模块（couponkit-zvcms.wasm）不含通联，跳过" : "未加载通联测试密钥，跳过");
    }
  } catch (e) {
    $("request-error").textContent = describe(e);
  }
  state.built = built;
  $("send-verify").disabled = !sandbox || !built.verify;
  $("send-discount").disabled = !sandbox || !built.discount;
  $("send-allinpay").disabled = !sandbox || !built.send;
}

// send posts a built request to the sandbox and shows the parsed reply.
async function send(req, out, parse) {
  show(out, "发送中…");
  try {
    const res = await fetch(req.url, { method: "POST", headers: { "content-type": req.contentType }, body: req.body });
    const text = await res.text();
    show(out, `HTTP ${res.status}\n解析结果：\n${JSON.stringify(parse(text), null, 1)}`);
  } catch (e) {
    show(out, `失败：${describe(e)}`);
  }
}

async function text(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.text();
}

async function start() {
  $("scan-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    $("scan-error").textContent = "";
    const v = $("scan").value;
    if (!v.trim()) return;
    try {
      state.lines.push(parseScan(v));
      $("scan").value = "";
      changed();
    } catch (e) {
      $("scan-error").textContent = describe(e);
    }
  });
  $("scan").addEventListener("input", () => { $("scan-error").textContent = ""; });
  $("coupon-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    $("coupon-error").textContent = "";
    const kind = $("coupon-kind").value;
    const value = $("coupon-value").value.trim();
    if (!value) { $("coupon-error").textContent = "请输入面额或折扣"; return; }
    const c = { id: $("coupon-id").value.trim() || undefined, kind };
    if (kind === "rate") c.rate = value; else c.valueYuan = value;
    if ($("coupon-threshold").value.trim()) c.thresholdYuan = $("coupon-threshold").value.trim();
    if ($("coupon-cap").value.trim()) c.capYuan = $("coupon-cap").value.trim();
    state.coupons.push(c);
    for (const id of ["coupon-id", "coupon-value", "coupon-threshold", "coupon-cap"]) $(id).value = "";
    changed();
    if ($("quote-error").textContent) state.coupons.pop(), $("coupon-error").textContent = $("quote-error").textContent, changed();
    $("scan").focus();
  });
  $("order-form").addEventListener("submit", (ev) => { ev.preventDefault(); build(); });
  $("send-verify").addEventListener("click", () => send(state.built.verify, "zvcms-verify-reply", (t) => ck.parseVerifyCouponsResponse(t)));
  $("send-discount").addEventListener("click", () => send(state.built.discount, "zvcms-discount-reply", (t) => ck.parseCouponDiscountResponse(t)));
  $("send-allinpay").addEventListener("click", () => send(state.built.send, "allinpay-send-reply", (t) => session.parseCouponSendResponse(t)));

  const t0 = performance.now();
  const file = variant === "zvcms" ? "couponkit-zvcms.wasm" : "couponkit.wasm";
  ck = await load(new URL(`../../bindings/js/dist/${file}`, import.meta.url), { variant });
  const loadMs = performance.now() - t0;
  // The ids are public (they travel in every request); the secrets are the
  // back office's (keyless) or the demo's TEST keys.
  const demo = backoffice ? null : await import("./demo-keys.js");
  const zvcms = {
    openId: "6dc05b4ac175cf316d226252b05cf685", grantCode: "782c281f62",
    baseUrl: sandbox ? `${sandbox}/api/v2` : "http://127.0.0.1:8080/api/v2",
  };
  if (demo) zvcms.openKey = demo.openKey;
  let allinpay;
  if (ck.variant === "full") {
    try {
      allinpay = {
        appId: "sandbox-app-0001", signType: "RSA2",
        platformPublicKey: await text("../../testdata/sandbox/platform_rsa2048_pub_spki.pem"),
        gatewayUrl: sandbox ? `${sandbox}/allinpay/gateway` : "http://127.0.0.1:8080/allinpay/gateway",
      };
      if (demo) allinpay.privateKey = await text(demo.privateKeyUrl);
    } catch {
      allinpay = undefined;
    }
  }
  session = ck.openSession({ zvcms, allinpay });
  session.allinpay = !!allinpay;
  $("sandbox-note").textContent = sandbox
    ? `沙箱：${sandbox}（请求将发送到本地沙箱）`
    : "未配置沙箱（在地址后加 ?sandbox=http://127.0.0.1:端口 可发送），当前仅生成并显示签名请求。";
  for (const el of document.querySelectorAll("#scan-form input, #scan-form button")) el.disabled = false;
  $("status").textContent = `已就绪：couponkit ${ck.version}（${ck.goVersion}，${ck.variant} 模块），模块加载 ${loadMs.toFixed(0)} ms，` +
    (backoffice ? `免密钥模式（后台 ${backoffice} 签发）` : "演示模式（页面持有测试密钥，切勿用于真实密钥）");
  $("status").dataset.keyless = backoffice ? "1" : "0";
  $("status").dataset.ready = "1";
  $("status").dataset.loadMs = String(loadMs);
  $("scan").focus();
  changed();
}

start().catch((e) => {
  $("status").textContent = `加载失败：${describe(e)}`;
  $("status").dataset.ready = "0";
});
