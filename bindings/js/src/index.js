// couponkit for JavaScript: loads the couponkit WebAssembly module (the Go
// core compiled with GOOS=js GOARCH=wasm) and exposes its JSON methods.
//
// Every call is synchronous: the core does no I/O, so a call returns as soon
// as the request is signed or the reply parsed. Ids (18-digit coupon, user
// and card ids) and money are strings in every request and result; a request
// that holds an integer beyond Number.MAX_SAFE_INTEGER is refused before it
// reaches the module, since its digits are already lost. Errors are thrown as
// CouponKitError carrying the core's code, field path and the vendor's code
// and message.

const isNode = typeof process !== "undefined" && process.versions != null && process.versions.node != null;

/**
 * The error every couponkit call throws. `code` is one of the closed set
 * documented in the README (INVALID_ARGUMENT, API_ERROR, ...).
 */
export class CouponKitError extends Error {
  constructor(error, method) {
    super(error.message ? `${error.code}${error.field ? " " + error.field : ""}: ${error.message}` : error.code);
    this.name = "CouponKitError";
    this.code = error.code;
    this.field = error.field || "";
    this.vendorStatus = error.vendorStatus || "";
    this.vendorCode = error.vendorCode || "";
    this.vendorMessage = error.vendorMessage || "";
    this.reason = error.reason || "";
    this.method = method || "";
    this.detail = error;
  }
}

/** Thrown when a method is called on a closed module. */
export class CouponKitClosedError extends Error {
  constructor() {
    super("couponkit: the module is closed");
    this.name = "CouponKitClosedError";
  }
}

// checkSafe walks a request and refuses numbers that cannot be exact
// (non-finite, or integers beyond 2^53): ids must be strings.
function checkSafe(v, path) {
  if (typeof v === "number") {
    if (!Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v))) {
      throw new CouponKitError({
        code: "INVALID_ARGUMENT", field: path,
        message: "number " + v + " cannot be represented exactly in JavaScript: pass ids and money as strings (or BigInt)",
      });
    }
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => checkSafe(x, path + "[" + i + "]"));
  } else if (v !== null && typeof v === "object") {
    for (const k of Object.keys(v)) checkSafe(v[k], path ? path + "." + k : k);
  }
}

/**
 * Serializes a request object as JSON: BigInt values become decimal strings,
 * unsafe integers are refused. A string is passed through unchanged.
 */
export function toRequestJSON(request) {
  if (typeof request === "string") return request;
  if (request === undefined || request === null) return "{}";
  checkSafe(request, "");
  return JSON.stringify(request, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

/** Parses a reply envelope: returns result or throws CouponKitError. */
export function unwrap(method, replyJSON) {
  const env = JSON.parse(replyJSON);
  if (env.ok) return env.result;
  throw new CouponKitError(env.error || { code: "INTERNAL", message: "malformed envelope" }, method);
}

let goClass = null;
async function loadGo() {
  if (goClass) return goClass;
  if (isNode && globalThis.crypto == null) {
    // Node 18 without the global Web Crypto: Go needs crypto.getRandomValues.
    const nodeCrypto = await import("node:crypto");
    globalThis.crypto = nodeCrypto.webcrypto;
  }
  const prior = globalThis.Go;
  await import("../dist/wasm_exec.js");
  goClass = globalThis.Go;
  if (prior === undefined) delete globalThis.Go;
  else globalThis.Go = prior;
  return goClass;
}

const defaultWasm = () => new URL("../dist/couponkit.wasm", import.meta.url);

function isResponse(x) {
  return typeof Response !== "undefined" && x instanceof Response;
}

async function readLocal(src) {
  const fs = await import("node:fs/promises");
  return fs.readFile(src);
}

// instantiate turns any accepted wasm source into a WebAssembly.Instance.
async function instantiate(source, imports) {
  source = await source;
  if (source instanceof WebAssembly.Module) return WebAssembly.instantiate(source, imports);
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    return (await WebAssembly.instantiate(source, imports)).instance;
  }
  if (typeof source === "string" || source instanceof URL) {
    const url = source instanceof URL ? source : /^(https?|file|data|blob):/i.test(source) ? new URL(source) : null;
    if (isNode && (url === null || url.protocol === "file:")) {
      return instantiate(readLocal(url ?? source), imports);
    }
    return instantiate(fetch(url ?? source), imports);
  }
  if (isResponse(source)) {
    if (!source.ok) throw new Error(`couponkit: fetching the module failed: HTTP ${source.status}`);
    if (WebAssembly.instantiateStreaming && source.headers.get("content-type") === "application/wasm") {
      return (await WebAssembly.instantiateStreaming(source, imports)).instance;
    }
    return instantiate(source.arrayBuffer(), imports);
  }
  throw new TypeError("couponkit: load() takes a URL, path, Response, ArrayBuffer, typed array or WebAssembly.Module");
}

let loadCount = 0;

/**
 * Loads and starts the module. `wasmSource` is a URL or URL string (fetched
 * in browsers; file: URLs and paths read from disk in Node), a Response (or a
 * promise of one), an ArrayBuffer, a typed array (a Node Buffer), or a
 * compiled WebAssembly.Module. Without it the package's own dist/couponkit.wasm
 * is used.
 */
export async function load(wasmSource) {
  const Go = await loadGo();
  const go = new Go();
  const hook = `__couponkit_${Date.now().toString(36)}_${++loadCount}`;
  let api = null;
  const hookObject = { ready(a) { api = a; } };
  go.argv = ["couponkit", hook];
  go.env = {};
  go.exit = (code) => {
    // wasm_exec.js leaves the timers of the Go scheduler armed when the
    // program exits; one firing later would throw "Go program has already
    // exited". Clear them.
    for (const t of go._scheduledTimeouts.values()) clearTimeout(t);
    go._scheduledTimeouts.clear();
    if (code !== 0) console.warn(`couponkit: the module exited with code ${code}`);
  };
  const instance = await instantiate(wasmSource ?? defaultWasm(), go.importObject);
  globalThis[hook] = hookObject;
  let exited;
  try {
    exited = go.run(instance);
  } finally {
    delete globalThis[hook];
  }
  if (api === null) throw new Error("couponkit: the module did not register its API");
  return new CouponKit(api, exited);
}

/** A loaded couponkit module. */
export class CouponKit {
  #api;
  #exited;
  #closed = false;

  constructor(api, exited) {
    this.#api = api;
    this.#exited = exited;
    /** The couponkit release version, e.g. "0.1.0". */
    this.version = api.version;
    /** The Go release that built the module, e.g. "go1.26.8". */
    this.goVersion = api.goVersion;
  }

  /** Calls a method with a JSON string and returns the reply envelope as a string, never throwing for method errors. */
  invokeRaw(method, requestJSON) {
    if (this.#closed) throw new CouponKitClosedError();
    return this.#api.invoke(String(method), String(requestJSON));
  }

  /** Calls a method and returns its result; throws CouponKitError on failure. */
  invoke(method, request) {
    return unwrap(method, this.invokeRaw(method, toRequestJSON(request)));
  }

  /** invoke without compile-time checks of the method name and request (for names known only at run time). */
  invokeUntyped(method, request) {
    return this.invoke(method, request);
  }

  /** The names of every method, sorted. */
  methods() {
    if (this.#closed) throw new CouponKitClosedError();
    return Array.from(this.#api.methods());
  }

  /** True once close() was called. */
  get closed() {
    return this.#closed;
  }

  /**
   * Stops the module: releases the JS functions Go created and lets the Go
   * program exit. Later calls throw CouponKitClosedError. Resolves when the
   * Go program has exited.
   */
  close() {
    if (!this.#closed) {
      this.#closed = true;
      this.#api.close();
    }
    return this.#exited;
  }

  /**
   * Registers zvcms credentials and/or Allinpay keys once (keys are parsed
   * now, so a bad key throws here) and returns a Session that signs with them.
   */
  openSession(credentials) {
    const r = this.invoke("session.open", credentials);
    return new Session(this, r.session);
  }

  /** Parses a communal.user.coupons-vertify reply; result.bizId is the one to use for a reversal (冲正). */
  parseVerifyCouponsResponse(body) {
    return this.invoke("zvcms.verifyCoupons.response", { body });
  }

  /** Parses a user.user-by-coupon reply (every amount as …Fen and …Yuan). */
  parseCouponDiscountResponse(body) {
    return this.invoke("zvcms.couponDiscount.response", { body });
  }

  /** Parses any zvcms reply body (typed for the two known actions). */
  parseZvcmsResponse(body, action) {
    return this.invoke("zvcms.response", { action, body });
  }

  /** Quotes coupons over a basket with per-line apportionment (discount.quote). */
  quote(request) {
    return this.invoke("discount.quote", request);
  }

  /** Checks the vendor's discount against the local quote (discount.reconcile). */
  reconcile(request) {
    return this.invoke("discount.reconcile", request);
  }

  /** Yuan text to fen: {fen, yuan}. */
  toFen(yuan, rounding) {
    return this.invoke("money.toFen", { yuan: String(yuan), rounding });
  }

  /** Fen (string, number or BigInt) to yuan with two decimals: {yuan, fen}. */
  toYuan(fen) {
    return this.invoke("money.toYuan", { fen: typeof fen === "bigint" ? fen.toString() : fen });
  }
}

/** Credentials registered once in the module (session.open); create with CouponKit.openSession. */
export class Session {
  #ck;

  constructor(ck, id) {
    this.#ck = ck;
    /** The session id ("s_…"). */
    this.id = id;
  }

  #call(method, fields) {
    return this.#ck.invoke(method, { session: this.id, ...fields });
  }

  /** The zvcms Token alone: {token, timestamp, nonce, signContent}. */
  token(stamp = {}) {
    return this.#call("zvcms.token", { timestamp: stamp.timestamp, nonce: stamp.nonce });
  }

  /** A signed communal.user.coupons-vertify request (amount and orderAmount in fen). */
  verifyCouponsRequest(params, stamp = {}) {
    return this.#call("zvcms.verifyCoupons.request", { params, timestamp: stamp.timestamp, nonce: stamp.nonce });
  }

  /** A signed user.user-by-coupon request (prices in yuan). */
  couponDiscountRequest(params, stamp = {}) {
    return this.#call("zvcms.couponDiscount.request", { params, timestamp: stamp.timestamp, nonce: stamp.nonce });
  }

  /** A signed request for any zvcms action; params are sent byte for byte. */
  zvcmsRequest(action, params, stamp = {}) {
    return this.#call("zvcms.request", { action, params, timestamp: stamp.timestamp, nonce: stamp.nonce });
  }

  /** A signed allinpay.shopoint.couponService.couponSend request. */
  couponSendRequest(params, stamp = {}) {
    return this.#call("allinpay.couponSend.request", { params, timestamp: stamp.timestamp });
  }

  /** A signed request for any Allinpay method; params is the bizContent object. */
  allinpayRequest(method, params, options = {}) {
    return this.#call("allinpay.request", { method, params, version: options.version, timestamp: options.timestamp });
  }

  /** Verifies (platform public key) and parses a couponSend reply. */
  parseCouponSendResponse(body) {
    return this.#call("allinpay.couponSend.response", { body });
  }

  /** Verifies and parses any Allinpay reply. */
  parseAllinpayResponse(body, method) {
    return this.#call("allinpay.response", { method, body });
  }

  /** Drops the session's keys in the module; true if it was open. */
  close() {
    return this.#ck.invoke("session.close", { session: this.id }).closed;
  }
}
