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
 * documented in docs/errors.md (INVALID_ARGUMENT, API_ERROR, ...).
 */
export class CouponKitError extends Error {
  constructor(error, method) {
    super(describe(error));
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

// describe formats an error as the Go, C# and Delphi bindings do:
// "CODE field: message (vendor code C, message M)", each part only when set.
function describe(error) {
  let s = error.code || "";
  if (error.field) s += " " + error.field;
  if (error.message) s += ": " + error.message;
  if (error.vendorCode || error.vendorMessage) s += ` (vendor code ${error.vendorCode || ""}, message ${error.vendorMessage || ""})`;
  return s;
}

/** Thrown when a method is called on a closed module. */
export class CouponKitClosedError extends Error {
  constructor() {
    super("couponkit: the module is closed");
    this.name = "CouponKitClosedError";
  }
}

// checkSafe walks a request and refuses numbers that cannot be exact
// (non-finite, or integers beyond 2^53): ids must be strings. It returns
// whether the request holds a BigInt. The path of a refused number is built
// only then: up is the path of v's container ("" at the top), key v's key in
// it (a member name, an array index, or undefined for the request itself).
function checkSafe(v, up, key) {
  if (typeof v === "number") {
    if (!Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v))) {
      throw new CouponKitError({
        code: "INVALID_ARGUMENT", field: pathOf(up, key),
        message: "number " + v + " cannot be represented exactly in JavaScript: pass ids and money as strings (or BigInt)",
      });
    }
    return false;
  }
  if (typeof v === "bigint") return true;
  if (v === null || typeof v !== "object") return false;
  let big = false;
  if (Array.isArray(v)) {
    let path = null;
    v.forEach((x, i) => {
      if (x !== null && (typeof x === "object" || typeof x === "number" || typeof x === "bigint")) {
        if (path === null) path = pathOf(up, key);
        if (checkSafe(x, path, i)) big = true;
      }
    });
  } else {
    let path = null;
    for (const k of Object.keys(v)) {
      const x = v[k];
      if (x !== null && (typeof x === "object" || typeof x === "number" || typeof x === "bigint")) {
        if (path === null) path = pathOf(up, key);
        if (checkSafe(x, path, k)) big = true;
      }
    }
  }
  return big;
}

// pathOf is the field path of the value under key in the container at path
// up: "a.b", "a[2]", "a" (as checkSafe names it).
function pathOf(up, key) {
  if (key === undefined) return up;
  if (typeof key === "number") return up + "[" + key + "]";
  return up ? up + "." + key : key;
}

const bigintText = (_k, v) => (typeof v === "bigint" ? v.toString() : v);

/**
 * Serializes a request object as JSON: BigInt values become decimal strings,
 * unsafe integers are refused. A string is passed through unchanged.
 */
export function toRequestJSON(request) {
  if (typeof request === "string") return request;
  if (request === undefined || request === null) return "{}";
  if (checkSafe(request, "", undefined)) return JSON.stringify(request, bigintText);
  // Without a BigInt among the members the replacer would change nothing;
  // one that a toJSON method returns still needs it.
  try {
    return JSON.stringify(request);
  } catch {
    return JSON.stringify(request, bigintText);
  }
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

// The module files of the variants (docs/keyless.md, "Choosing a module").
const variantFiles = { full: "couponkit.wasm", zvcms: "couponkit-zvcms.wasm" };
const defaultWasm = (variant) => new URL("../dist/" + variantFiles[variant], import.meta.url);

// isOptions tells load()'s options object from a wasm source: a plain object.
const isOptions = (x) => x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype;

function isResponse(x) {
  return typeof Response !== "undefined" && x instanceof Response;
}

async function readLocal(src) {
  const fs = await import("node:fs/promises");
  return fs.readFile(src);
}

// isWasmType says whether a Content-Type header is what streaming
// compilation accepts everywhere: application/wasm without parameters (the
// specification allows any case, Node's fetch only lower case).
const isWasmType = (type) => /^[ \t]*application\/wasm[ \t]*$/.test(type || "");

// compile turns any accepted wasm source into a WebAssembly.Module. A
// Response served as application/wasm is compiled while it downloads
// (WebAssembly.compileStreaming); any other Content-Type, or an engine
// without streaming compilation, falls back to reading the whole body first.
async function compile(source) {
  source = await source;
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source);
  if (typeof source === "string" || source instanceof URL) {
    const url = source instanceof URL ? source : /^(https?|file|data|blob):/i.test(source) ? new URL(source) : null;
    if (isNode && (url === null || url.protocol === "file:")) return compile(readLocal(url ?? source));
    return compile(fetch(url ?? source));
  }
  if (isResponse(source)) {
    if (!source.ok) throw new Error(`couponkit: fetching the module failed: HTTP ${source.status}`);
    if (typeof WebAssembly.compileStreaming === "function" && isWasmType(source.headers.get("content-type"))) {
      return WebAssembly.compileStreaming(source);
    }
    return compile(source.arrayBuffer());
  }
  throw new TypeError("couponkit: load() takes a URL, path, Response, ArrayBuffer, typed array or WebAssembly.Module");
}

/**
 * Loads and starts the module. `wasmSource` is a URL or URL string (fetched
 * in browsers; file: URLs and paths read from disk in Node), a Response (or a
 * promise of one), an ArrayBuffer, a typed array (a Node Buffer), or a
 * compiled WebAssembly.Module. Without it the package's own module is used:
 * dist/couponkit.wasm, or with `{variant: "zvcms"}` dist/couponkit-zvcms.wasm
 * (zvcms, discount and money only; smaller). The options object may come
 * instead of the source or after it: `load({variant: "zvcms"})`,
 * `load(url, {variant: "zvcms"})` (then the module at url must be that
 * variant: a mismatch is refused).
 */
export async function load(wasmSource, options) {
  if (options === undefined && isOptions(wasmSource)) {
    options = wasmSource;
    wasmSource = undefined;
  }
  const variant = options?.variant ?? "full";
  if (!Object.hasOwn(variantFiles, variant)) {
    throw new TypeError(`couponkit: unknown variant ${JSON.stringify(variant)}: use "full" or "zvcms"`);
  }
  const explicit = options?.variant !== undefined;
  const compiling = compile(wasmSource ?? defaultWasm(variant));
  compiling.catch(() => {}); // awaited below; no unhandled rejection if loadGo fails first
  const Go = await loadGo();
  const go = new Go();
  go.argv = ["couponkit"];
  go.env = {};
  const exit = { code: null }; // set by go.exit
  let exitedResolve;
  const exited = new Promise((resolve) => { exitedResolve = resolve; });
  // stop clears the timers wasm_exec.js arms for the Go scheduler (one
  // firing after the end would resume a program that is gone) and resolves
  // close()'s promise.
  const stop = () => {
    for (const t of go._scheduledTimeouts.values()) clearTimeout(t);
    go._scheduledTimeouts.clear();
    exitedResolve();
  };
  go.exit = (code) => {
    exit.code = code;
    if (code !== 0) console.warn(`couponkit: the module exited with code ${code}`);
    stop();
  };
  const instance = await WebAssembly.instantiate(await compiling, go.importObject);
  if (typeof instance.exports.ck_invoke !== "function") {
    throw new Error("couponkit: this WebAssembly module is not couponkit (no ck_invoke export)");
  }
  // go.run initialises the Go runtime and runs main until it blocks, all
  // before its first await; the exports are called from then on.
  let startError = null;
  go.run(instance).catch((e) => { startError = e; });
  await null;
  if (startError !== null || exit.code !== null) {
    stop();
    throw new Error(`couponkit: the module did not start: ${startError ? startError.message : `exit code ${exit.code}`}`);
  }
  const crossing = new Crossing(instance.exports, exit, stop);
  if (explicit && crossing.info.variant !== variant) {
    crossing.close();
    throw new Error(`couponkit: the module is the ${crossing.info.variant} variant, not the ${variant} one that load() was asked for`);
  }
  return new CouponKit(crossing, exited);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
// The input buffer: its size when first allocated, and the size above which
// it is given back after the call that needed it.
const BUFFER_START = 16 << 10;
const BUFFER_KEEP = 1 << 20;
// ck_buffer takes an int32; the module's memory (wasm32) holds less anyway.
const BUFFER_MAX = 0x7fffffff;
// noName is the name bytes of a call by index: none.
const noName = new Uint8Array(0);

// Crossing is the call path into the module's exports (wasm/main.go): the
// request is written as UTF-8 into the module's input buffer and ck_call
// runs the method by its index in the module's method list (ck_info); a name
// not in the list is written after the request and ck_invoke runs it (the
// module then answers UNKNOWN_METHOD, naming it). The reply is read from
// where the export returns, with its length in the reply slot.
// Views of memory are taken afresh whenever the module's ArrayBuffer has
// changed: memory growth during a call detaches the old one.
class Crossing {
  #ex;
  #exit;
  #stop;
  #mem;
  #buf = null; // the ArrayBuffer the views are of
  #u8 = null;
  #dv = null;
  #in = null; // the input buffer
  #ptr = 0;
  #cap = 0;
  #slot;
  #index = new Map(); // method name → its index in the module's method list
  #dead = null; // why the module takes no more calls

  constructor(exports, exit, stop) {
    this.#ex = exports;
    this.#exit = exit;
    this.#stop = stop;
    this.#mem = exports.mem;
    this.#slot = this.#guard(exports.ck_slot);
    const info = JSON.parse(this.#read(this.#guard(exports.ck_info)));
    /** {version, goVersion, methods} */
    this.info = info;
    // a module without ck_call (built before it) gets every name through ck_invoke
    if (typeof exports.ck_call === "function") info.methods.forEach((n, i) => this.#index.set(n, i));
    this.#grow(BUFFER_START);
  }

  #views() {
    const b = this.#mem.buffer;
    if (b !== this.#buf) {
      this.#buf = b;
      this.#u8 = new Uint8Array(b);
      this.#dv = new DataView(b);
      this.#in = new Uint8Array(b, this.#ptr, this.#cap);
    }
  }

  // #guard calls the export fn with a and b. A call that throws (a trap,
  // the engine's stack exhausted) leaves the Go runtime in an unknown state,
  // and one during which the program exited (a fatal Go error) returns
  // garbage: either way the module is dead and the call throws INTERNAL.
  #guard(fn, a, b) {
    let r;
    try {
      r = fn(a, b);
    } catch (e) {
      this.#dead = `the WebAssembly module failed (${e && e.message ? e.message : e}) and was stopped`;
      this.#stop();
      this.#throwDead();
    }
    if (this.#exit.code !== null) {
      this.#dead = `the WebAssembly module stopped with exit code ${this.#exit.code} (a fatal error in the Go runtime, printed on the console)`;
      this.#throwDead();
    }
    return r >>> 0;
  }

  #throwDead() {
    throw new CouponKitError({ code: "INTERNAL", message: this.#dead + "; load the module again" });
  }

  #grow(size) {
    if (size > BUFFER_MAX) {
      throw new CouponKitError({ code: "TOO_LARGE", message: `the request needs ${size} bytes, more than a WebAssembly module's memory can hold` });
    }
    this.#ptr = this.#guard(this.#ex.ck_buffer, size);
    this.#cap = size;
    this.#buf = null;
    this.#views();
  }

  #read(p) {
    this.#views();
    return decoder.decode(this.#u8.subarray(p, p + this.#dv.getUint32(this.#slot, true)));
  }

  invoke(method, request) {
    const index = this.#index.get(method);
    const name = index === undefined ? encoder.encode(method) : noName;
    if (this.#dead !== null) this.#throwDead();
    let rl;
    for (let attempt = 0; ; attempt++) {
      this.#views();
      const r = encoder.encodeInto(request, this.#in);
      if (r.read === request.length && r.written + name.length <= this.#cap) {
        rl = r.written;
        break;
      }
      // Each UTF-16 unit not yet written takes 1 to 3 bytes: guess 1 first
      // (JSON is mostly ASCII), then make sure.
      const rest = request.length - r.read;
      this.#grow(Math.max(2 * this.#cap, r.written + (attempt === 0 ? rest : 3 * rest) + name.length));
    }
    let p;
    if (index !== undefined) {
      p = this.#guard(this.#ex.ck_call, rl, index);
    } else {
      this.#in.set(name, rl);
      p = this.#guard(this.#ex.ck_invoke, rl, name.length);
    }
    const reply = this.#read(p);
    if (this.#cap > BUFFER_KEEP) this.#grow(BUFFER_START);
    return reply;
  }

  close() {
    if (this.#dead === null) {
      this.#dead = "the module is closed";
      try {
        this.#ex.ck_close(); // os.Exit(0): go.exit runs stop
      } catch {
        // the program has ended either way
      }
    }
    this.#stop();
    this.#ex = this.#in = this.#u8 = this.#dv = this.#buf = this.#mem = null;
  }
}

// A lone UTF-16 surrogate has no UTF-8 form: TextEncoder would replace it
// with U+FFFD, so such a request is refused instead (where the engine can
// tell: String.prototype.isWellFormed, Node 20 and current browsers).
function illFormed(s) {
  return typeof s.isWellFormed === "function" && !s.isWellFormed();
}
const illFormedReply = JSON.stringify({
  ok: false,
  error: {
    code: "INVALID_JSON",
    message: "the request holds a lone UTF-16 surrogate, which has no UTF-8 form; send well-formed text (JSON.stringify escapes lone surrogates)",
  },
});

// isPlainObject says whether v is an object literal (or Object.create(null)):
// the request form of a helper, as opposed to an array, a Date or a boxed value.
function isPlainObject(v) {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

// kindOf names a value a helper refuses, for its error message.
function kindOf(v) {
  if (v === null || v === undefined || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") {
    const name = isPlainObject(v) ? "" : v.constructor && v.constructor.name;
    return name ? `a ${name} object` : "an object";
  }
  return `a ${typeof v}`;
}

// argumentError is the INVALID_ARGUMENT a helper throws before calling method.
function argumentError(method, field, message) {
  return new CouponKitError({ code: "INVALID_ARGUMENT", field, message }, method);
}

/** A loaded couponkit module. */
export class CouponKit {
  #x;
  #exited;
  #closed = false;

  constructor(crossing, exited) {
    this.#x = crossing;
    this.#exited = exited;
    /** The couponkit release version, e.g. "0.1.0". */
    this.version = crossing.info.version;
    /** The Go release that built the module, e.g. "go1.26.8". */
    this.goVersion = crossing.info.goVersion;
    /** The module's variant: "full", or "zvcms" (zvcms, discount and money only). */
    this.variant = crossing.info.variant;
  }

  /** Calls a method with a JSON string and returns the reply envelope as a string, never throwing for method errors. */
  invokeRaw(method, requestJSON) {
    if (this.#closed) throw new CouponKitClosedError();
    const request = String(requestJSON);
    if (illFormed(request)) return illFormedReply;
    return this.#x.invoke(String(method), request);
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
    return Array.from(this.#x.info.methods);
  }

  /** True once close() was called. */
  get closed() {
    return this.#closed;
  }

  /**
   * Stops the module: ends its Go program and drops the instance (with the
   * keys of its sessions). Later calls throw CouponKitClosedError. Resolves
   * when the Go program has exited.
   */
  close() {
    if (!this.#closed) {
      this.#closed = true;
      this.#x.close();
    }
    return this.#exited;
  }

  /**
   * Registers zvcms credentials and/or Allinpay keys once (keys are parsed
   * now, so a bad key throws here) and returns a Session that signs with them.
   * `openSession({zvcms, allinpay, transport})`: the module has no HTTP
   * transport (you send the built requests with fetch, whose proxy and
   * certificates are the browser's or Node's), so transport options would do
   * nothing; they are refused with INVALID_ARGUMENT "transport" rather than
   * ignored.
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

  /** Parses a user.coupon-new-status reply: result.coupons[] with useStatus (0 unused or reversed, 1 verified, …). */
  parseCouponStatusResponse(body) {
    return this.invoke("zvcms.couponStatus.response", { body });
  }

  /** Parses a coupon.off-coupon reply (the coupon a redemption code names; couponStatus 0 unused, 1 used, 2 locked). */
  parseOffCouponResponse(body) {
    return this.invoke("zvcms.offCoupon.response", { body });
  }

  /** Parses a communal.coupon.coupon-detail reply. */
  parseCouponDetailResponse(body) {
    return this.invoke("zvcms.couponDetail.response", { body });
  }

  /** Parses a communal.user.consume reply; result.bizId is the one to use for a reversal (冲正). */
  parseConsumeResponse(body) {
    return this.invoke("zvcms.consume.response", { body });
  }

  /** Parses a reversal (冲正) reply. */
  parseReverseResponse(body) {
    return this.invoke("zvcms.reverse.response", { body });
  }

  /**
   * Explains an Allinpay reply that does not verify (验签失败), without a
   * session: `diagnose({body, platformPublicKey, request, signType})`;
   * with no key it shows what each variant would check.
   */
  diagnose(request) {
    return this.invoke("allinpay.diagnose", request);
  }

  /** Parses any zvcms reply body (typed for the actions with a parser: verify, discount, status, off-coupon, detail, consume). */
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

  /**
   * Yuan to fen: {fen, yuan}. Takes yuan text (or a number) and an optional
   * rounding mode, toFen("0.125", "half-up"), or the money.toFen request
   * itself, toFen({ yuan: "0.125", rounding: "half-up", signed: false }).
   */
  toFen(yuan, rounding) {
    const method = "money.toFen";
    if (isPlainObject(yuan)) {
      if (rounding !== undefined) {
        throw argumentError(method, "rounding", "toFen(request) takes the rounding inside the request, as in " +
          `toFen({ yuan: "0.125", rounding: "half-up" }), not as a second argument; got ${kindOf(rounding)}`);
      }
      return this.invoke(method, yuan);
    }
    if (typeof yuan !== "string" && typeof yuan !== "number" && typeof yuan !== "bigint") {
      throw argumentError(method, "yuan", 'pass yuan text ("12.50") or a number, as in toFen("12.50") or ' +
        'toFen("0.125", "half-up"), or the money.toFen request, as in toFen({ yuan: "0.125", rounding: "half-up" }); ' +
        `got ${kindOf(yuan)}`);
    }
    if (rounding != null && typeof rounding !== "string") {
      throw argumentError(method, "rounding", `pass the rounding mode as text, as in toFen("0.125", "half-up"); got ${kindOf(rounding)}`);
    }
    return this.invoke(method, { yuan: typeof yuan === "bigint" ? yuan.toString() : yuan, rounding });
  }

  /**
   * Fen to yuan with two decimals: {yuan, fen}. Takes whole fen (text, a
   * safe integer or a BigInt), toYuan("1250"), or the money.toYuan request
   * itself, toYuan({ fen: "1250" }).
   */
  toYuan(fen) {
    const method = "money.toYuan";
    if (isPlainObject(fen)) return this.invoke(method, fen);
    if (typeof fen !== "string" && typeof fen !== "number" && typeof fen !== "bigint") {
      throw argumentError(method, "fen", 'pass whole fen as text ("1250"), a safe integer or a BigInt, as in ' +
        `toYuan("1250"), or the money.toYuan request, as in toYuan({ fen: "1250" }); got ${kindOf(fen)}`);
    }
    return this.invoke(method, { fen: typeof fen === "bigint" ? fen.toString() : fen });
  }
}

// zvStamp is the request members of a stamp: timestamp and nonce, or an
// issued stamp (with its token) as the stamp member.
function zvStamp(stamp) {
  if (stamp.token !== undefined) return { stamp: { timestamp: stamp.timestamp, nonce: stamp.nonce, token: stamp.token } };
  return { timestamp: stamp.timestamp, nonce: stamp.nonce };
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

  /** Back office: a stamp {timestamp, nonce, token} for a keyless page (zvcms.stamp; needs the openKey). */
  issueStamp(stamp = {}) {
    return this.#call("zvcms.stamp", { timestamp: stamp.timestamp, nonce: stamp.nonce });
  }

  /**
   * Back office: signs a keyless page's unsigned request (allinpay.sign; needs
   * the private key), given as its params (the request object or its params
   * array, which the back office can check) or as its signContent text.
   */
  sign(request) {
    if (typeof request === "string") return this.#call("allinpay.sign", { signContent: request });
    return this.#call("allinpay.sign", { params: Array.isArray(request) ? request : request.params });
  }

  /** Keyless page: completes an unsigned request (its params) with the back office's sign (allinpay.attachSign). */
  attachSign(request, sign) {
    return this.#call("allinpay.attachSign", { params: request.params, sign });
  }

  /** A signed communal.user.coupons-vertify request (amount and orderAmount in fen). */
  verifyCouponsRequest(params, stamp = {}) {
    return this.#call("zvcms.verifyCoupons.request", { params, ...zvStamp(stamp) });
  }

  /** A signed user.user-by-coupon request (prices in yuan). */
  couponDiscountRequest(params, stamp = {}) {
    return this.#call("zvcms.couponDiscount.request", { params, ...zvStamp(stamp) });
  }

  /** A signed user.coupon-new-status request (a customer's coupons and their use states; a query). */
  couponStatusRequest(params, stamp = {}) {
    return this.#call("zvcms.couponStatus.request", { params, ...zvStamp(stamp) });
  }

  /** A signed coupon.off-coupon request (the coupon a redemption code names; a query). */
  offCouponRequest(params, stamp = {}) {
    return this.#call("zvcms.offCoupon.request", { params, ...zvStamp(stamp) });
  }

  /** A signed communal.coupon.coupon-detail request (a query). */
  couponDetailRequest(params, stamp = {}) {
    return this.#call("zvcms.couponDetail.request", { params, ...zvStamp(stamp) });
  }

  /** A signed communal.user.consume request (coupons with balance and points; amountFen in fen, sent as yuan). */
  consumeRequest(params, stamp = {}) {
    return this.#call("zvcms.consume.request", { params, ...zvStamp(stamp) });
  }

  /**
   * A signed reversal (冲正) request under the session's zvcms.reversalAction;
   * params.bizId is the one the verify's or consume's REPLY returned.
   */
  reverseRequest(params, stamp = {}) {
    return this.#call("zvcms.reverse.request", { params, ...zvStamp(stamp) });
  }

  /** A signed request for any zvcms action; params are sent byte for byte. */
  zvcmsRequest(action, params, stamp = {}) {
    return this.#call("zvcms.request", { action, params, ...zvStamp(stamp) });
  }

  /** A signed allinpay.shopoint.couponService.couponSend request. */
  couponSendRequest(params, stamp = {}) {
    return this.#call("allinpay.couponSend.request", { params, timestamp: stamp.timestamp, sign: stamp.sign });
  }

  /** A signed request for any Allinpay method; params is the bizContent object. */
  allinpayRequest(method, params, options = {}) {
    return this.#call("allinpay.request", { method, params, version: options.version, timestamp: options.timestamp, sign: options.sign });
  }

  /** Verifies (platform public key) and parses a couponSend reply. */
  parseCouponSendResponse(body) {
    return this.#call("allinpay.couponSend.response", { body });
  }

  /** Verifies and parses any Allinpay reply. */
  parseAllinpayResponse(body, method) {
    return this.#call("allinpay.response", { method, body });
  }

  /** A signed allinpay.shopoint.couponService.couponQuery request (one card's or coupon's details and balance). */
  couponQueryRequest(params, stamp = {}) {
    return this.#call("allinpay.couponQuery.request", { params, timestamp: stamp.timestamp, sign: stamp.sign });
  }

  /**
   * A signed allinpay.shopoint.couponService.couponConsumeV1 request (redeem);
   * a passwd travels in result.body only. Repeating it with the same orderId
   * answers the first redemption's result.
   */
  couponConsumeRequest(params, stamp = {}) {
    return this.#call("allinpay.couponConsume.request", { params, timestamp: stamp.timestamp, sign: stamp.sign });
  }

  /** Verifies and parses a couponQuery reply (verifiedBy, keyFingerprint; money as exact decimal text). */
  parseCouponQueryResponse(body) {
    return this.#call("allinpay.couponQuery.response", { body });
  }

  /** Verifies and parses a couponConsumeV1 reply. */
  parseCouponConsumeResponse(body) {
    return this.#call("allinpay.couponConsume.response", { body });
  }

  /**
   * Explains a reply that does not verify (验签失败) with the session's
   * platform keys: every variant's verdict and content, and what to set;
   * request is the form body of the request that produced it, if known.
   */
  diagnose(body, request) {
    return this.#call("allinpay.diagnose", { body, request });
  }

  /** Drops the session's keys in the module; true if it was open. */
  close() {
    return this.#ck.invoke("session.close", { session: this.id }).closed;
  }
}
