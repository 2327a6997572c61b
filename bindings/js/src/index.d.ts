// Types for couponkit's JavaScript binding. The requests and results of
// every method, and the Methods map, are generated from the library's schema
// into methods.d.ts; this file declares the loader, the errors and the
// classes around them. Ids and money are strings in every result; requests
// accept strings, safe integers or BigInt.

import type {
  Methods, MethodName, SessionOpenRequest, VerifyCouponsParams, CouponDiscountParams, CouponSendParams,
  ZvcmsRequest, AllinpayRequest, ZvcmsTokenResult, ZvcmsResult, VerifyCouponsResult, CouponDiscountResult,
  AllinpayResult, CouponSendResult, QuoteRequest, QuoteResult, ReconcileRequest, ReconcileResult, MoneyResult,
  IdInput, DecimalInput, CouponStatusParams, CouponStatusResult, OffCouponParams, OffCouponResult,
  CouponDetailParams, CouponDetailResult, ConsumeParams, ConsumeResult, ReverseParams, ReverseResult,
  ZvcmsIssuedStamp, AllinpaySignResult, FormParam,
  CouponQueryParams, CouponQueryResult, CouponConsumeParams, CouponConsumeResult, DiagnoseRequest, DiagnoseResult,
  ToFenRequest, ToYuanRequest, ErrorCode, ErrorInfo,
} from "./methods.js";

export * from "./methods.js";

/**
 * zvcms timestamp (Unix seconds) and nonce; absent: the clock and a random
 * nonce. With a token it is a stamp the back office issued (zvcms.stamp),
 * required in a keyless session (docs/keyless.md).
 */
export interface ZvcmsStamp { timestamp?: IdInput; nonce?: IdInput; token?: string }
/**
 * Allinpay timestamp: "yyyy-MM-dd HH:mm:ss" (China time) or Unix seconds;
 * with keyless keys, sign is the back office's signature of the request's
 * signContent (allinpay.sign), which completes the request.
 */
export interface AllinpayStamp { timestamp?: DecimalInput; sign?: string }
/** The module variants: every method, or zvcms + discount + money (smaller). */
export type Variant = "full" | "zvcms";
/** load() options. */
export interface LoadOptions { variant?: Variant }
/** Rounding modes of money.toFen and discount.quote. */
export type Rounding = "exact" | "half-up" | "down" | "half-even";

/**
 * The error object of a failed reply envelope: the members of ErrorInfo (the
 * error inside a result), with the code from the closed set.
 */
export interface ErrorDetail extends ErrorInfo {
  code: ErrorCode;
}

/**
 * Every failed call throws this. Its `message` is "CODE field: message
 * (vendor code C, message M)", each part only when set, as in the Go, C#
 * and Delphi bindings.
 */
export class CouponKitError extends Error {
  constructor(error: ErrorDetail, method?: string);
  readonly name: "CouponKitError";
  readonly code: ErrorCode;
  /** Path of the offending value ("params.items[2].price"), or "". */
  readonly field: string;
  readonly vendorStatus: string;
  readonly vendorCode: string;
  readonly vendorMessage: string;
  readonly reason: string;
  /** The method that failed. */
  readonly method: string;
  readonly detail: ErrorDetail;
}

/** Thrown by calls on a closed module. */
export class CouponKitClosedError extends Error {
  readonly name: "CouponKitClosedError";
}

/** What load() accepts: a URL or path, a Response, bytes or a compiled module. */
export type WasmSource =
  | string | URL | Response | PromiseLike<Response>
  | ArrayBuffer | ArrayBufferView | WebAssembly.Module;

/**
 * Loads and starts the module (default: the package's dist/couponkit.wasm,
 * or dist/couponkit-zvcms.wasm with {variant: "zvcms"}).
 */
export function load(wasmSource?: WasmSource, options?: LoadOptions): Promise<CouponKit>;
export function load(options: LoadOptions): Promise<CouponKit>;

/** Serializes a request (BigInt → string; unsafe integers throw INVALID_ARGUMENT). */
export function toRequestJSON(request: unknown): string;
/** Parses a reply envelope: the result, or throws CouponKitError. */
export function unwrap<T = unknown>(method: string, replyJSON: string): T;

/** A loaded module. */
export class CouponKit {
  /** The couponkit release version. */
  readonly version: string;
  /** The Go release that built the module. */
  readonly goVersion: string;
  /** The module's variant. */
  readonly variant: Variant;
  readonly closed: boolean;

  /**
   * Calls a method; returns its result or throws CouponKitError. The request
   * is typed by the method: an unknown method or member does not compile. A
   * string request is sent as is.
   */
  invoke<M extends MethodName>(method: M, request?: Methods[M]["request"] | string): Methods[M]["result"];
  /** Calls any method by name with any request (no compile-time checks). */
  invokeUntyped(method: string, request?: unknown): unknown;
  /** Calls a method with JSON text; returns the envelope text, never throwing for method errors. */
  invokeRaw(method: string, requestJSON: string): string;
  /** Every method name, sorted. */
  methods(): MethodName[];
  /** Releases the module's JS functions and ends its Go program; resolves when it has exited. */
  close(): Promise<void>;

  /**
   * Registers credentials once. `transport` (proxy, rootCAs, …) is refused
   * with INVALID_ARGUMENT "transport": the module has no HTTP transport, so
   * the options would do nothing; send the `*.request` results with fetch.
   */
  openSession(credentials: SessionOpenRequest): Session;
  parseVerifyCouponsResponse(body: string): VerifyCouponsResult;
  parseCouponDiscountResponse(body: string): CouponDiscountResult;
  parseCouponStatusResponse(body: string): CouponStatusResult;
  parseOffCouponResponse(body: string): OffCouponResult;
  parseCouponDetailResponse(body: string): CouponDetailResult;
  parseConsumeResponse(body: string): ConsumeResult;
  parseReverseResponse(body: string): ReverseResult;
  /** allinpay.diagnose without a session: every variant's verdict, content and a conclusion. */
  diagnose(request: DiagnoseRequest): DiagnoseResult;
  parseZvcmsResponse(body: string, action?: string): ZvcmsResult;
  quote(request: QuoteRequest): QuoteResult;
  reconcile(request: ReconcileRequest): ReconcileResult;
  /** Yuan to fen: toFen("0.125", "half-up"); other input throws INVALID_ARGUMENT "yuan". */
  toFen(yuan: DecimalInput, rounding?: Rounding): MoneyResult;
  /** The money.toFen request itself: toFen({ yuan: "0.125", rounding: "half-up" }). */
  toFen(request: ToFenRequest): MoneyResult;
  /** Whole fen to yuan: toYuan("1250"); other input throws INVALID_ARGUMENT "fen". */
  toYuan(fen: IdInput): MoneyResult;
  /** The money.toYuan request itself: toYuan({ fen: "1250" }). */
  toYuan(request: ToYuanRequest): MoneyResult;
}

/** Credentials held in the module (session.open); calls pass only its id. */
export class Session {
  /** "s_…" */
  readonly id: string;
  token(stamp?: ZvcmsStamp): ZvcmsTokenResult;
  verifyCouponsRequest(params: VerifyCouponsParams, stamp?: ZvcmsStamp): ZvcmsRequest;
  couponDiscountRequest(params: CouponDiscountParams, stamp?: ZvcmsStamp): ZvcmsRequest;
  couponStatusRequest(params: CouponStatusParams, stamp?: ZvcmsStamp): ZvcmsRequest;
  offCouponRequest(params: OffCouponParams, stamp?: ZvcmsStamp): ZvcmsRequest;
  couponDetailRequest(params: CouponDetailParams, stamp?: ZvcmsStamp): ZvcmsRequest;
  consumeRequest(params: ConsumeParams, stamp?: ZvcmsStamp): ZvcmsRequest;
  /** Under the session's zvcms.reversalAction; params.bizId is the one the verify's REPLY returned. */
  reverseRequest(params: ReverseParams, stamp?: ZvcmsStamp): ZvcmsRequest;
  zvcmsRequest(action: string, params?: Record<string, unknown>, stamp?: ZvcmsStamp): ZvcmsRequest;
  couponSendRequest(params: CouponSendParams, stamp?: AllinpayStamp): AllinpayRequest;
  allinpayRequest(method: string, params?: Record<string, unknown>, options?: AllinpayStamp & { version?: string }): AllinpayRequest;
  parseCouponSendResponse(body: string): CouponSendResult;
  /** Back office: a stamp {timestamp, nonce, token} for a keyless page (needs the openKey). */
  issueStamp(stamp?: ZvcmsStamp): ZvcmsIssuedStamp;
  /** Back office: the signature of a keyless page's unsigned request: the request, its params, or its signContent (needs the private key). */
  sign(request: AllinpayRequest | FormParam[] | string): AllinpaySignResult;
  /** Keyless page: an unsigned request completed with the back office's sign. */
  attachSign(request: AllinpayRequest, sign: string): AllinpayRequest;
  parseAllinpayResponse(body: string, method?: string): AllinpayResult;
  couponQueryRequest(params: CouponQueryParams, stamp?: AllinpayStamp): AllinpayRequest;
  /** A passwd travels in the body only; repeat with the same orderId after an unknown outcome. */
  couponConsumeRequest(params: CouponConsumeParams, stamp?: AllinpayStamp): AllinpayRequest;
  parseCouponQueryResponse(body: string): CouponQueryResult;
  parseCouponConsumeResponse(body: string): CouponConsumeResult;
  /** allinpay.diagnose with the session's platform keys; request is the form body sent, if known. */
  diagnose(body: string, request?: string): DiagnoseResult;
  /** True if the session was open. */
  close(): boolean;
}
