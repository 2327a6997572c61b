// Types for couponkit's JavaScript binding. Ids (18-digit coupon, user and
// card ids) and money are strings in every result; requests accept strings,
// safe integers or BigInt. Field names are the vendors' own (camelCase for
// zvcms verification and Allinpay, snake_case for user.user-by-coupon).

/** A decimal integer as text ("390962138708451328"), or a safe number, or a BigInt. */
export type IdInput = string | number | bigint;
/** Yuan as text with up to two decimals ("12.50"), or a safe number. */
export type YuanInput = string | number;
/** Fen as a whole number ("1250"). */
export type FenInput = string | number | bigint;
/** Yuan as the engine formats it: always two decimals ("12.50"). */
export type Yuan = string;
/** Fen as a decimal string ("1250"). */
export type Fen = string;
export type Rounding = "exact" | "half-up" | "down" | "half-even";

/** The closed set of error codes. */
export type ErrorCode =
  | "INVALID_JSON" | "INVALID_ARGUMENT" | "UNKNOWN_METHOD" | "KEY_ERROR" | "SIGNATURE_INVALID"
  | "RESPONSE_INVALID" | "API_ERROR" | "SYSTEM_ERROR" | "TRANSPORT_ERROR" | "TOO_LARGE" | "INTERNAL";

/** The error object of a failed reply envelope. */
export interface ErrorDetail {
  code: ErrorCode;
  message: string;
  field?: string;
  vendorStatus?: string;
  vendorCode?: string;
  vendorMessage?: string;
  reason?: string;
}

/** Every failed call throws this. */
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

/** Loads and starts the module (default: the package's dist/couponkit.wasm). */
export function load(wasmSource?: WasmSource): Promise<CouponKit>;

/** Serializes a request (BigInt → string; unsafe integers throw INVALID_ARGUMENT). */
export function toRequestJSON(request: unknown): string;
/** Parses a reply envelope: the result, or throws CouponKitError. */
export function unwrap<T = unknown>(method: string, replyJSON: string): T;

// ---- credentials ----

export interface ZvcmsCredentials {
  openId: string;
  grantCode: string;
  /** The secret; never echoed in any reply or error. */
  openKey: string;
  /** Default http://openapi.zvcms.com/api/v2 */
  baseUrl?: string;
  tokenKeyStyle?: "lowerCamel" | "capitalized";
  couponListStyle?: "array" | "string";
}

export interface AllinpayKeys {
  appId: string;
  /** Merchant private key: PEM or bare Base64 DER (PKCS#8, PKCS#1, SEC1). */
  privateKey: string;
  /** The platform's public key that verifies replies (not the merchant's own). */
  platformPublicKey: string;
  signType?: "RSA2" | "RSA" | "SM2";
  signerId?: string;
  gatewayUrl: string;
  version?: string;
  verifyMode?: "raw" | "sorted" | "skip";
}

export interface SessionOpenRequest { zvcms?: ZvcmsCredentials; allinpay?: AllinpayKeys }
export interface SessionOpenResult { session: string; zvcms: boolean; allinpay: boolean }
export interface SessionCloseResult { closed: boolean }

/** zvcms timestamp (Unix seconds) and nonce; absent: the clock and a random nonce. */
export interface ZvcmsStamp { timestamp?: string | number; nonce?: string | number }
/** Allinpay timestamp: "yyyy-MM-dd HH:mm:ss" (China time) or Unix seconds. */
export interface AllinpayStamp { timestamp?: string | number }

type Creds<T> = { session: string } | T;

// ---- zvcms ----

export interface TokenResult { token: string; timestamp: string; nonce: string; signContent: string }

export interface ZvcmsRequest {
  url: string;
  contentType: string;
  /** The JSON body to POST to url. */
  body: string;
  token: string;
  timestamp: string;
  nonce: string;
  action: string;
}

/** communal.user.coupons-vertify (核销) parameters; amounts in fen. */
export interface VerifyCouponsParams {
  bizId: string;
  /** Required unless type is 1 (scanned codes). */
  customerId?: IdInput;
  couponsCardList: IdInput[];
  channel?: string;
  groupId?: IdInput;
  type?: number | string;
  /** A counted (次券) redemption: exactly one coupon. */
  useCount?: number | string;
  tradeMarks?: string[];
  ext?: {
    channelType?: number | string;
    multiStoreId?: IdInput;
    multiStoreMark?: string;
    orderNo?: string;
    reason?: string;
  };
  /** Verified amount, fen. */
  amount?: FenInput;
  /** Order amount, fen. */
  orderAmount?: FenInput;
}

/** user.user-by-coupon parameters; prices in yuan. */
export interface CouponDiscountParams {
  user_coupon_id?: IdInput;
  user_id?: IdInput;
  items: { num: number | string; trade_mark: string; price: YuanInput }[];
  multi_mark?: string;
  coupon_id?: IdInput;
  type_cate?: number | string;
  discount_price?: YuanInput;
  type?: number | string;
  coupon_code?: string;
  usage_scenarios?: number | string;
}

export interface ZvcmsUserInfo {
  customer_id: string; groupId: string; username: string; nickname: string; avatar: string; phone: string;
  gender: string; birthday: string; province: string; city: string; district: string;
}

/** A zvcms reply envelope; data holds the raw data with every number as a string. */
export interface ZvcmsResponse {
  status: boolean;
  code: string;
  message: string;
  data?: unknown;
}

export interface VerifyCouponsResult extends ZvcmsResponse {
  /** The bizId to use for a reversal (冲正): the returned one, not the one sent. */
  bizId: string;
  cardIdList: string[];
  userInfo: ZvcmsUserInfo;
}

export interface CouponDiscountResult extends ZvcmsResponse {
  type_cate: string;
  multi_mark: string;
  coupon_discount: Yuan;
  coupon_discount_fen: Fen;
  user_coupon_name: string;
  user_coupon_id: string;
  finance_payment: Yuan;
  finance_payment_fen: Fen;
  userInfo: ZvcmsUserInfo;
  amount: string;
  coupon_type: string;
  goods_item: { trade_mark: string; coupon_minus: Yuan; coupon_minus_fen: Fen }[];
}

// ---- Allinpay ----

export interface AllinpayRequest {
  url: string;
  contentType: string;
  /** The form body to POST to url. */
  body: string;
  /** Every form parameter in the order sent. */
  params: { key: string; value: string }[];
  signedFields: string[];
  /** Exactly what was signed: compare it when the gateway says 验签失败. */
  signContent: string;
  sign: string;
}

/** allinpay.shopoint.couponService.couponSend parameters (seed 002). */
export interface CouponSendParams {
  shopId?: string;
  shopCode?: string;
  operUserId: string;
  couponType: string;
  num: string | number;
  couponTemplateId: string;
  orderId: string;
  idType?: string;
  memberId?: string;
  sourceType?: string;
  sourceValue?: string;
  remark?: string;
  extendInfo?: Record<string, unknown>;
  buyerMobile?: string;
}

export interface AllinpayResponse {
  code: string;
  verified: boolean;
  msg?: string;
  data?: unknown;
  reqSeq: string;
  respSeq: string;
}

export interface CouponSendResult {
  code: string;
  verified: boolean;
  tranNo: string;
  shopName: string | null;
  /** "yyyy-MM-dd HH:mm:ss" (UTC+8). */
  tranDateTime: string;
  instruction: string;
  list: { templateId: string; couponName: string; couponNo: string | null; qrCodeContext: string | null }[];
  reqSeq: string;
  respSeq: string;
}

// ---- discount engine ----

export interface QuoteLine {
  id: string;
  /** Up to 3 decimals. */
  quantity: string | number;
  unitPrice: YuanInput;
  priorDiscount?: YuanInput;
}

export interface QuoteCoupon {
  id?: string;
  kind: "fixed" | "rate";
  /** Yuan off (fixed). */
  value?: YuanInput;
  /** 折 (rate): "8.5" pays 85%. */
  rate?: string | number;
  threshold?: YuanInput;
  cap?: YuanInput;
  include?: string[];
  exclude?: string[];
}

export interface QuoteRequest {
  lines: QuoteLine[];
  coupons?: QuoteCoupon[];
  rounding?: Rounding;
  /** Adds each whole-quantity line's per-unit split (baskets of at most 1,000 lines; more is TOO_LARGE on "units"). */
  units?: boolean;
}

export interface Run { from: number; to: number; amountFen: Fen; amount: Yuan }

export interface QuoteLineResult {
  id: string;
  quantity: string;
  unitPriceFen: Fen; unitPrice: Yuan;
  grossFen: Fen; gross: Yuan;
  priorDiscountFen: Fen; priorDiscount: Yuan;
  amountFen: Fen; amount: Yuan;
  /** This line's share of each coupon, in coupon order. */
  sharesFen: Fen[]; shares: Yuan[];
  discountFen: Fen; discount: Yuan;
  payableFen: Fen; payable: Yuan;
  units?: { prior: Run[]; shares: Run[][]; discount: Run[]; payable: Run[] };
}

export interface QuoteCouponResult {
  id: string;
  kind: "fixed" | "rate";
  applied: boolean;
  reason: "" | "threshold_not_met" | "no_eligible_line" | "nothing_left" | "rounded_to_zero";
  eligibleFen: Fen; eligible: Yuan;
  discountFen: Fen; discount: Yuan;
}

export interface QuoteResult {
  rounding: Rounding;
  grossFen: Fen; gross: Yuan;
  priorDiscountFen: Fen; priorDiscount: Yuan;
  amountFen: Fen; amount: Yuan;
  discountFen: Fen; discount: Yuan;
  payableFen: Fen; payable: Yuan;
  coupons: QuoteCouponResult[];
  lines: QuoteLineResult[];
}

export interface ReconcileRequest extends QuoteRequest {
  /** Index in coupons of the coupon the vendor priced. */
  coupon?: number;
  /** The raw user.user-by-coupon reply ... */
  body?: string;
  /** ... or the vendor's figures (yuan). */
  server?: { couponDiscount: YuanInput; goodsItems: { tradeMark: string; couponMinus: YuanInput }[] };
}

export interface ReconcileResult {
  consistent: boolean;
  source: "server" | "local";
  /** What to send as amount to verifyCoupons. */
  amountFen: Fen; amount: Yuan;
  /** What to send as orderAmount. */
  orderAmountFen: Fen; orderAmount: Yuan;
  allocation: { id: string; amountFen: Fen; amount: Yuan }[];
  discrepancies: {
    kind: string; field: string; tradeMark: string; line: number;
    serverFen: Fen; server: Yuan; localFen: Fen; local: Yuan;
  }[];
}

export interface MoneyResult { fen: Fen; yuan: Yuan }

// ---- the method table ----

/** Every method's request and result. */
export interface Methods {
  "version": { request: Record<string, never>; result: { version: string } };
  "session.open": { request: SessionOpenRequest; result: SessionOpenResult };
  "session.close": { request: { session: string }; result: SessionCloseResult };
  "money.toFen": { request: { yuan: YuanInput; rounding?: Rounding; signed?: boolean }; result: MoneyResult };
  "money.toYuan": { request: { fen: FenInput }; result: MoneyResult };
  "zvcms.token": { request: Creds<{ zvcms: ZvcmsCredentials }> & ZvcmsStamp; result: TokenResult };
  "zvcms.request": { request: Creds<{ zvcms: ZvcmsCredentials }> & ZvcmsStamp & { action: string; params?: Record<string, unknown> }; result: ZvcmsRequest };
  "zvcms.verifyCoupons.request": { request: Creds<{ zvcms: ZvcmsCredentials }> & ZvcmsStamp & { params: VerifyCouponsParams }; result: ZvcmsRequest };
  "zvcms.couponDiscount.request": { request: Creds<{ zvcms: ZvcmsCredentials }> & ZvcmsStamp & { params: CouponDiscountParams }; result: ZvcmsRequest };
  "zvcms.response": { request: { body: string; action?: string }; result: ZvcmsResponse | VerifyCouponsResult | CouponDiscountResult };
  "allinpay.request": { request: Creds<{ allinpay: AllinpayKeys }> & AllinpayStamp & { method: string; version?: string; params?: Record<string, unknown> }; result: AllinpayRequest };
  "allinpay.couponSend.request": { request: Creds<{ allinpay: AllinpayKeys }> & AllinpayStamp & { params: CouponSendParams }; result: AllinpayRequest };
  "allinpay.response": { request: Creds<{ allinpay: AllinpayKeys }> & { body: string; method?: string }; result: AllinpayResponse | CouponSendResult };
  "discount.quote": { request: QuoteRequest; result: QuoteResult };
  "discount.reconcile": { request: ReconcileRequest; result: ReconcileResult };
  /** Sending methods: no transport in the module, always TRANSPORT_ERROR; post the *.request result with fetch. */
  "zvcms.verifyCoupons": { request: Record<string, unknown>; result: never };
  "zvcms.couponDiscount": { request: Record<string, unknown>; result: never };
  "zvcms.call": { request: Record<string, unknown>; result: never };
  "allinpay.couponSend": { request: Record<string, unknown>; result: never };
  "allinpay.call": { request: Record<string, unknown>; result: never };
  "http.send": { request: Record<string, unknown>; result: never };
}

export type MethodName = keyof Methods;

/** A loaded module. */
export class CouponKit {
  /** The couponkit release version. */
  readonly version: string;
  /** The Go release that built the module. */
  readonly goVersion: string;
  readonly closed: boolean;

  /** Calls a method; returns its result or throws CouponKitError. A string request is sent as is. */
  invoke<M extends MethodName>(method: M, request?: Methods[M]["request"] | string): Methods[M]["result"];
  invoke(method: string, request?: unknown): unknown;
  /** Calls a method with JSON text; returns the envelope text, never throwing for method errors. */
  invokeRaw(method: string, requestJSON: string): string;
  /** Every method name, sorted. */
  methods(): MethodName[];
  /** Releases the module's JS functions and ends its Go program; resolves when it has exited. */
  close(): Promise<void>;

  openSession(credentials: SessionOpenRequest): Session;
  parseVerifyCouponsResponse(body: string): VerifyCouponsResult;
  parseCouponDiscountResponse(body: string): CouponDiscountResult;
  parseZvcmsResponse(body: string, action?: string): ZvcmsResponse;
  quote(request: QuoteRequest): QuoteResult;
  reconcile(request: ReconcileRequest): ReconcileResult;
  toFen(yuan: YuanInput, rounding?: Rounding): MoneyResult;
  toYuan(fen: FenInput): MoneyResult;
}

/** Credentials held in the module (session.open); calls pass only its id. */
export class Session {
  /** "s_…" */
  readonly id: string;
  token(stamp?: ZvcmsStamp): TokenResult;
  verifyCouponsRequest(params: VerifyCouponsParams, stamp?: ZvcmsStamp): ZvcmsRequest;
  couponDiscountRequest(params: CouponDiscountParams, stamp?: ZvcmsStamp): ZvcmsRequest;
  zvcmsRequest(action: string, params?: Record<string, unknown>, stamp?: ZvcmsStamp): ZvcmsRequest;
  couponSendRequest(params: CouponSendParams, stamp?: AllinpayStamp): AllinpayRequest;
  allinpayRequest(method: string, params?: Record<string, unknown>, options?: AllinpayStamp & { version?: string }): AllinpayRequest;
  parseCouponSendResponse(body: string): CouponSendResult;
  parseAllinpayResponse(body: string, method?: string): AllinpayResponse;
  /** True if the session was open. */
  close(): boolean;
}
