{ CouponKit.pas: the Delphi binding of couponkit (couponkit.dll).

  One unit, no other library: add it to a Delphi 7 ... Delphi 12 project (or
  Free Pascal / Lazarus) and put couponkit.dll of the same bitness as the
  .exe next to it. See the README section "Delphi".

  Everything goes through the C ABI's one generic entry point,
  ck_invoke(method, json): CkInvoke(method, json) reaches every method and
  returns the "result" JSON text; TCouponKitSession adds typed helpers that
  build the request JSON and read the reply with the small JSON reader below
  (TCkJson). Ids (18 digits) and money are strings everywhere.

  Strings: the same source compiles in Delphi 7 (string = AnsiString in the
  system code page) and Delphi 2009+ (string = UnicodeString); text crosses
  the boundary as UTF-8 both ways (UTF8Encode/UTF8Decode in Delphi 7,
  UTF8String/UTF8ToString in 2009+), and JSON is built and escaped on wide
  strings, so GBK text in Delphi 7 is never split inside a character.
  In Delphi 7 a reply may hold characters the ANSI code page cannot (an
  emoji in a GBK AnsiString): nothing is replaced by '?' silently. Reading
  such a value (TCkJson.S, the typed results) raises ECouponKitError
  (RESPONSE_INVALID, Field = its JSON path); TCkJson.W reads it as a wide
  string; JSON text (CkInvoke, JsonText) and error messages carry it as a
  JSON \uXXXX escape, which keeps the JSON's meaning.

  Floating point: the library keeps the caller's x87 control word and MXCSR
  on every call (it saves them, runs its Go code with the state Go needs and
  restores them exactly before returning), so this unit does not touch the
  FPU: a Delphi program keeps its Default8087CW ($1332) with its
  EZeroDivide / EInvalidOp, in every thread. Use the DLL of the same
  release: the 0.1.0 DLLs left the control word at $027F.

  Errors reported by the library raise ECouponKitError (Code, Field,
  VendorCode, VendorMessage, VendorStatus, Reason). Every reply pointer is
  released with ck_free. All routines are safe to call from many threads. }
unit CouponKit;

{$IFDEF FPC}
  {$MODE DELPHI}
  {$H+}
  { string <-> wide string conversions below are deliberate (Delphi 7 style) }
  {$WARN 4104 OFF}
  {$WARN 4105 OFF}
{$ENDIF}

interface

uses
  {$IFDEF MSWINDOWS}Windows,{$ENDIF} SysUtils, Classes;

const
{$IFDEF MSWINDOWS}
  CouponKitLib = 'couponkit.dll';
{$ELSE}
  CouponKitLib = 'couponkit'; { libcouponkit.so, found through the library path }
{$ENDIF}

  { The closed set of error codes (ECouponKitError.Code). }
  ckInvalidJson = 'INVALID_JSON';
  ckInvalidArgument = 'INVALID_ARGUMENT';
  ckUnknownMethod = 'UNKNOWN_METHOD';
  ckKeyError = 'KEY_ERROR';
  ckSignatureInvalid = 'SIGNATURE_INVALID';
  ckResponseInvalid = 'RESPONSE_INVALID';
  ckApiError = 'API_ERROR';
  ckSystemError = 'SYSTEM_ERROR';
  ckTransportError = 'TRANSPORT_ERROR';
  ckTooLarge = 'TOO_LARGE';
  ckInternal = 'INTERNAL';

type
  { Text as UTF-8 bytes, kept out of every code page conversion. }
{$IFDEF FPC}
  TCkRaw = RawByteString;
  TCkWide = UnicodeString;
{$ELSE}
  {$IFDEF UNICODE}
  TCkRaw = RawByteString;
  TCkWide = string;
  {$ELSE}
  TCkRaw = AnsiString;
  TCkWide = WideString;
  {$ENDIF}
{$ENDIF}

  { An error reported by couponkit. Code is one of the ck* constants; Field
    names the offending request value; for API_ERROR and SYSTEM_ERROR,
    VendorCode and VendorMessage are the vendor's own, ready for a cashier. }
  ECouponKitError = class(Exception)
  private
    FMethod, FCode, FField, FVendorStatus, FVendorCode, FVendorMessage, FReason: string;
  public
    constructor CreateError(const AMethod, ACode, AMessage, AField, AVendorStatus,
      AVendorCode, AVendorMessage, AReason: string);
    property Method: string read FMethod;
    property Code: string read FCode;
    property Field: string read FField;
    property VendorStatus: string read FVendorStatus;
    property VendorCode: string read FVendorCode;
    property VendorMessage: string read FVendorMessage;
    property Reason: string read FReason;
  end;

  TCkJsonKind = (jkNull, jkBool, jkNumber, jkString, jkArray, jkObject);

  { A parsed JSON value (a small reader that needs no other library).
    Strings are kept as UTF-8 and decoded when read; numbers keep their
    text, so an 18-digit id never passes through a floating-point value. }
  TCkJson = class
  private
    FKind: TCkJsonKind;
    FRaw: TCkRaw;      { string: its UTF-8 bytes; number, true, false: the literal }
    FSrc: TCkRaw;      { the whole parsed text (shared, not copied) }
    FStart, FLen: Integer; { where this value's JSON text is in FSrc }
    FNames: TStringList; { object member names, objects = values }
    FItems: TList;     { array items, or object values in order }
    function GetCount: Integer;
    function GetItem(Index: Integer): TCkJson;
    function GetName(Index: Integer): string;
    function Text(const Field: string): string;
  public
    destructor Destroy; override;
    { Parses UTF-8 JSON text; raises ECouponKitError (RESPONSE_INVALID) when it is not JSON. }
    class function Parse(const Utf8: TCkRaw): TCkJson;
    { The member Name of an object, or nil. }
    function Member(const Name: string): TCkJson;
    { Follows a path like 'data.list[0].couponName'; nil when any step is missing. }
    function Path(const APath: string): TCkJson;
    { The value at APath as text: a string decoded, a number or boolean as
      written, '' for null or missing. }
    function S(const APath: string): string;
    { The value at APath as a wide string, every character kept (S raises
      for text a Delphi 7 string cannot hold; this never does). }
    function W(const APath: string): TCkWide;
    { The value as text (see S). }
    function AsString: string;
    { The value's JSON text as a native string. }
    function JsonText: string;
    property Kind: TCkJsonKind read FKind;
    property Count: Integer read GetCount;
    property Items[Index: Integer]: TCkJson read GetItem; default;
    property Names[Index: Integer]: string read GetName;
    { The value's JSON text (UTF-8). }
    function Utf8Text: TCkRaw;
  end;

  TCkStrings = array of string;

  { zvcms credentials (OpenId empty: none). }
  TCkZvcmsCredentials = record
    OpenId, GrantCode, OpenKey, BaseUrl: string;
  end;

  { Allinpay keys, PEM or Base64 DER (AppId empty: none). VerifyMode: raw
    (default), sorted, or skip (explicit opt-out). }
  TCkAllinpayKeys = record
    AppId, PrivateKey, PlatformPublicKey, SignType, GatewayUrl, VerifyMode: string;
  end;

  { Params of communal.user.coupons-vertify (seed 000); amounts in fen. }
  TCkVerifyParams = record
    BizId, Channel, CustomerId, GroupId, CouponType, UseCount, Amount, OrderAmount: string;
    CouponIds: TCkStrings;  { couponsCardList: 18-digit ids as text }
    TradeMarks: TCkStrings;
    ChannelType, MultiStoreId, MultiStoreMark, OrderNo, Reason: string; { ext }
  end;

  TCkGoods = record
    Num, TradeMark, Price: string; { price in yuan }
  end;

  { Params of user.user-by-coupon (seed 001); money in yuan. }
  TCkDiscountParams = record
    UserCouponId, UserId, MultiMark, CouponId, TypeCate, DiscountPrice,
    CouponType, CouponCode, UsageScenarios: string;
    Items: array of TCkGoods;
  end;

  { Params of Allinpay couponSend (seed 002). }
  TCkCouponSendParams = record
    ShopId, ShopCode, OperUserId, CouponType, Num, CouponTemplateId, IdType,
    MemberId, OrderId, SourceType, SourceValue, Remark, BuyerMobile: string;
  end;

  { A built, signed request: POST Body to Url with ContentType. }
  TCkRequest = record
    Url, ContentType, Body: string;
    Token, Timestamp, Nonce, Action: string; { zvcms }
    SignContent, Sign: string;               { Allinpay }
  end;

  TCkUserInfo = record
    CustomerId, GroupId, Username, Nickname, Avatar, Phone, Gender, Birthday,
    Province, City, District: string;
  end;

  { A parsed verify reply: reverse with this BizId, not the one sent. }
  TCkVerifyResult = record
    Status: Boolean;
    Code, Message, BizId: string;
    CardIds: TCkStrings;
    UserInfo: TCkUserInfo;
  end;

  TCkGoodsShare = record
    TradeMark, CouponMinus, CouponMinusFen: string;
  end;

  { A parsed user.user-by-coupon reply: money as yuan and fen text. }
  TCkDiscountResult = record
    Status: Boolean;
    Code, Message, TypeCate, MultiMark, CouponDiscount, CouponDiscountFen,
    UserCouponName, UserCouponId, FinancePayment, FinancePaymentFen, Amount,
    CouponType: string;
    UserInfo: TCkUserInfo;
    Goods: array of TCkGoodsShare;
  end;

  TCkSentCoupon = record
    TemplateId, CouponName, CouponNo, QrCodeContext: string; { '' for null }
  end;

  { A verified, parsed couponSend reply. }
  TCkCouponSendResult = record
    Verified: Boolean;
    TranNo, ShopName, TranDateTime, Instruction, ReqSeq, RespSeq: string;
    Coupons: array of TCkSentCoupon;
  end;

  { discount.quote input: yuan text, rate in zhe ('8.5' pays 85%). }
  TCkQuoteLine = record
    Id, Quantity, UnitPrice, PriorDiscount: string;
  end;

  TCkQuoteCoupon = record
    Id, Kind, Value, Rate, Threshold, Cap: string; { Kind: fixed or rate }
    Include, Exclude: TCkStrings;
  end;

  TCkQuoteCouponResult = record
    Id, Kind, Reason, Eligible, EligibleFen, Discount, DiscountFen: string;
    Applied: Boolean;
  end;

  TCkQuoteLineResult = record
    Id, Quantity, Gross, GrossFen, Amount, AmountFen, Discount, DiscountFen,
    Payable, PayableFen: string;
    Shares, SharesFen: TCkStrings;
  end;

  { A quote: every amount as yuan text and fen text. }
  TCkQuoteResult = record
    Rounding, Gross, GrossFen, Amount, AmountFen, Discount, DiscountFen, Payable, PayableFen: string;
    Coupons: array of TCkQuoteCouponResult;
    Lines: array of TCkQuoteLineResult;
  end;

  { A session: credentials registered once in the library (keys parsed once,
    never passed again). Create one per shop at start-up and share it between
    threads; Free closes it. }
  TCouponKitSession = class
  private
    FId: string;
    function Call(const Method: string; const Obj: TCkWide): TCkJson;
  public
    constructor Create(const Zvcms: TCkZvcmsCredentials; const Allinpay: TCkAllinpayKeys);
    destructor Destroy; override;
    { Calls any method with this session ("session" is added); returns the result JSON text. }
    function Invoke(const Method, RequestJson: string): string;
    { Signed zvcms verify request; Timestamp (Unix seconds) and Nonce: '' for now and random. }
    function VerifyCouponsRequest(const P: TCkVerifyParams; const Timestamp: string = '';
      const Nonce: string = ''): TCkRequest;
    { Signed zvcms coupon discount request. }
    function CouponDiscountRequest(const P: TCkDiscountParams; const Timestamp: string = '';
      const Nonce: string = ''): TCkRequest;
    { Signed Allinpay couponSend request; Timestamp 'yyyy-MM-dd HH:mm:ss' (China time) or '' for now. }
    function CouponSendRequest(const P: TCkCouponSendParams; const Timestamp: string = ''): TCkRequest;
    { Verifies (platform public key) and parses a couponSend reply body. }
    function ParseCouponSendResponse(const Body: string): TCkCouponSendResult;
    { One call each: build, POST with the library's HTTP transport, verify and
      parse. Failures raise: TRANSPORT_ERROR (Reason says how), API_ERROR /
      SYSTEM_ERROR with the vendor's code and message. A verify is never
      retried (a retry could redeem twice). }
    function VerifyCoupons(const P: TCkVerifyParams): TCkVerifyResult;
    function CouponDiscount(const P: TCkDiscountParams): TCkDiscountResult;
    function CouponSend(const P: TCkCouponSendParams): TCkCouponSendResult;
    property Id: string read FId;
  end;

{ Parses a zvcms verify reply body; a vendor error raises ECouponKitError
  (API_ERROR / SYSTEM_ERROR with VendorCode and VendorMessage). }
function CkParseVerifyResponse(const Body: string): TCkVerifyResult;
{ Parses a zvcms user.user-by-coupon reply body. }
function CkParseDiscountResponse(const Body: string): TCkDiscountResult;
{ Quotes a basket with a stack of coupons, exact to the fen. Rounding: ''
  (half-up), down, half-even or exact. }
function CkQuoteBasket(const Lines: array of TCkQuoteLine; const Coupons: array of TCkQuoteCoupon;
  const Rounding: string = ''): TCkQuoteResult;

{ JSON building: "name":"value" (or '' when Value is ''), objects and arrays
  of such parts (empty parts skipped). }
function CkPair(const Name, Value: TCkWide): TCkWide;
function CkPairRaw(const Name, Json: TCkWide): TCkWide;
function CkObject(const Parts: array of TCkWide): TCkWide;
function CkStrArray(const Items: TCkStrings): TCkWide;

{ The library version, for example '0.1.0'. }
function CkVersion: string;
{ Calls one method with a JSON request (an empty object when it takes none) and returns
  the "result" JSON text; an error reply raises ECouponKitError. }
function CkInvoke(const Method, RequestJson: string): string;
{ As CkInvoke, with the result parsed (the caller frees it). }
function CkInvokeJson(const Method: string; const RequestJson: TCkWide): TCkJson;
{ Calls one method and returns the whole reply envelope (never raises for an
  error the library reports). }
function CkInvokeEnvelope(const Method, RequestJson: string): string;

{ Text <-> UTF-8. CkFromUtf8 raises ECouponKitError (RESPONSE_INVALID) when
  the text holds a character the string type cannot hold (Delphi 7: one
  outside the ANSI code page). }
function CkToUtf8(const S: TCkWide): TCkRaw;
function CkFromUtf8(const U: TCkRaw): string;
{ S as a JSON string literal (quoted and escaped). }
function CkQuote(const S: TCkWide): TCkWide;

{ The raw imports (cdecl, UTF-8 PAnsiChar). Free every ck_invoke reply with
  ck_free; never free ck_version's. }
function ck_version: PAnsiChar; cdecl; external CouponKitLib name 'ck_version';
function ck_invoke(Method, RequestJson: PAnsiChar): PAnsiChar; cdecl; external CouponKitLib name 'ck_invoke';
procedure ck_free(P: PAnsiChar); cdecl; external CouponKitLib name 'ck_free';

implementation

{ ---- UTF-8 ---- }

function CkToUtf8(const S: TCkWide): TCkRaw;
begin
  Result := UTF8Encode(S);
end;

function IsAscii(const U: TCkRaw): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to Length(U) do
    if Ord(U[I]) >= $80 then Exit;
  Result := True;
end;

function AsciiText(const U: TCkRaw): string;
var
  I: Integer;
begin
  SetLength(Result, Length(U));
  for I := 1 to Length(U) do Result[I] := Char(U[I]);
end;

function Utf8ToWide(const U: TCkRaw): TCkWide;
begin
{$IFDEF UNICODE}
  Result := UTF8ToString(U);
{$ELSE}
  Result := UTF8Decode(U);
{$ENDIF}
end;

{ The length of the character at W[I]: 2 for a surrogate pair, else 1. }
function CharLen(const W: TCkWide; I: Integer): Integer;
begin
  if (Ord(W[I]) >= $D800) and (Ord(W[I]) < $DC00) and (I < Length(W)) then Result := 2 else Result := 1;
end;

{ Whether string (Delphi 7: AnsiString in the system code page) holds W
  exactly. }
function Holds(const W: TCkWide): Boolean;
var
  S: string;
begin
  S := W;
  Result := TCkWide(S) = W;
end;

{ The system code page of AnsiString, for messages. }
function AnsiCodePage: Integer;
begin
{$IFDEF MSWINDOWS}
  Result := GetACP;
{$ELSE}
  Result := DefaultSystemCodePage;
{$ENDIF}
end;

{ U (UTF-8) as a string in Text; True when the string holds every character
  of it, else False with U decoded in Wide (only Delphi 7's AnsiString can
  fall short). }
function TryString(const U: TCkRaw; out Text: string; out Wide: TCkWide): Boolean;
begin
  Result := True;
  { ASCII (most JSON names and values) needs no conversion: copy it as is }
  if IsAscii(U) then
  begin
    Text := AsciiText(U);
    Exit;
  end;
  Wide := Utf8ToWide(U);
  Text := Wide;
  Result := TCkWide(Text) = Wide;
end;

{ U (UTF-8) as a string, or ECouponKitError naming Field when the string
  type cannot hold a character of it. }
function FromUtf8Field(const U: TCkRaw; const Field: string): string;
var
  Wide: TCkWide;
  I: Integer;
  Cp: Cardinal;
  Where: string;
begin
  if TryString(U, Result, Wide) then Exit;
  I := 1;
  while (I <= Length(Wide)) and Holds(Copy(Wide, I, CharLen(Wide, I))) do Inc(I, CharLen(Wide, I));
  Cp := Ord(Wide[I]);
  if CharLen(Wide, I) = 2 then Cp := $10000 + ((Cp - $D800) shl 10) + (Cardinal(Ord(Wide[I + 1])) - $DC00);
  if Field = '' then Where := 'the text' else Where := Field;
  raise ECouponKitError.CreateError('', ckResponseInvalid, Format('%s holds U+%.4X (character %d), which ' +
    'this program''s ANSI code page %d cannot hold in a string; read it with TCkJson.W (wide string) ' +
    'or as JSON text', [Where, Cp, I, AnsiCodePage]), Field, '', '', '', '');
end;

{ U (UTF-8 JSON text, or a value for a message) as a string; a character
  the string type cannot hold is written as a JSON \uXXXX escape (two for a
  surrogate pair). JSON is ASCII outside its strings, so the text stays the
  same JSON; in a message the escape shows which character it was. }
function FromUtf8Escaped(const U: TCkRaw): string;
const
  Hex: array[0..15] of WideChar = ('0','1','2','3','4','5','6','7','8','9','a','b','c','d','e','f');
var
  Wide, Out, C: TCkWide;
  I, J, N: Integer;
begin
  if TryString(U, Result, Wide) then Exit;
  Out := '';
  I := 1;
  while I <= Length(Wide) do
  begin
    N := CharLen(Wide, I);
    C := Copy(Wide, I, N);
    if (Ord(Wide[I]) < $80) or Holds(C) then Out := Out + C
    else
      for J := 1 to N do
        Out := Out + '\u' + Hex[Ord(C[J]) shr 12] + Hex[(Ord(C[J]) shr 8) and 15] +
          Hex[(Ord(C[J]) shr 4) and 15] + Hex[Ord(C[J]) and 15];
    Inc(I, N);
  end;
  Result := Out;
end;

function CkFromUtf8(const U: TCkRaw): string;
begin
  Result := FromUtf8Field(U, '');
end;

function RawOf(P: PAnsiChar): TCkRaw;
begin
  SetString(Result, P, StrLen(P));
end;

function CkQuote(const S: TCkWide): TCkWide;
const
  Hex: array[0..15] of WideChar = ('0','1','2','3','4','5','6','7','8','9','a','b','c','d','e','f');
var
  I, K: Integer;
  C: WideChar;

  procedure Put(Ch: WideChar);
  begin
    Inc(K);
    Result[K] := Ch;
  end;

begin
  SetLength(Result, Length(S) * 6 + 2); { the longest escape is 6 characters }
  K := 0;
  Put('"');
  for I := 1 to Length(S) do
  begin
    C := S[I];
    case Ord(C) of
      Ord('"'), Ord('\'): begin Put('\'); Put(C); end;
      10: begin Put('\'); Put('n'); end;
      13: begin Put('\'); Put('r'); end;
      9: begin Put('\'); Put('t'); end;
      0..8, 11, 12, 14..31:
        begin
          Put('\'); Put('u'); Put('0'); Put('0');
          Put(Hex[Ord(C) shr 4]); Put(Hex[Ord(C) and 15]);
        end;
    else
      Put(C);
    end;
  end;
  Put('"');
  SetLength(Result, K);
end;

{ ---- errors ---- }

constructor ECouponKitError.CreateError(const AMethod, ACode, AMessage, AField,
  AVendorStatus, AVendorCode, AVendorMessage, AReason: string);
var
  Msg: string;
begin
  Msg := ACode;
  if AField <> '' then Msg := Msg + ' ' + AField;
  if AMessage <> '' then Msg := Msg + ': ' + AMessage;
  if (AVendorCode <> '') or (AVendorMessage <> '') then
    Msg := Msg + ' (vendor code ' + AVendorCode + ', message ' + AVendorMessage + ')';
  inherited Create(Msg);
  FMethod := AMethod;
  FCode := ACode;
  FField := AField;
  FVendorStatus := AVendorStatus;
  FVendorCode := AVendorCode;
  FVendorMessage := AVendorMessage;
  FReason := AReason;
end;

procedure BadJson(const Why: string; Pos: Integer);
begin
  raise ECouponKitError.CreateError('', ckResponseInvalid,
    'JSON: ' + Why + ' at offset ' + IntToStr(Pos - 1), '', '', '', '', '');
end;

{ ---- JSON reader ---- }

type
  TCkParser = class
    Src: TCkRaw;
    P, N: Integer;
    procedure Ws;
    function Value: TCkJson;
    function Str: TCkRaw;
  end;

procedure TCkParser.Ws;
begin
  while (P <= N) and (Src[P] in [' ', #9, #10, #13]) do Inc(P);
end;

{ Writes code point Cp as UTF-8 into Buf at K (1-based, advancing K). }
procedure PutUtf8(Buf: PAnsiChar; var K: Integer; Cp: Cardinal);
begin
  if Cp < $80 then
  begin
    Buf[K - 1] := AnsiChar(Cp); Inc(K);
  end
  else if Cp < $800 then
  begin
    Buf[K - 1] := AnsiChar($C0 or (Cp shr 6)); Buf[K + 0] := AnsiChar($80 or (Cp and $3F)); Inc(K, 2);
  end
  else if Cp < $10000 then
  begin
    Buf[K - 1] := AnsiChar($E0 or (Cp shr 12)); Buf[K + 0] := AnsiChar($80 or ((Cp shr 6) and $3F));
    Buf[K + 1] := AnsiChar($80 or (Cp and $3F)); Inc(K, 3);
  end
  else
  begin
    Buf[K - 1] := AnsiChar($F0 or (Cp shr 18)); Buf[K + 0] := AnsiChar($80 or ((Cp shr 12) and $3F));
    Buf[K + 1] := AnsiChar($80 or ((Cp shr 6) and $3F)); Buf[K + 2] := AnsiChar($80 or (Cp and $3F));
    Inc(K, 4);
  end;
end;

{ Reads the string starting at the opening quote at P; returns its UTF-8
  bytes. The decoded bytes are never more than the escaped source, so they
  are written in place into one buffer (no code page conversion anywhere). }
function TCkParser.Str: TCkRaw;
var
  K: Integer;
  Cp, Lo: Cardinal;
  D: PAnsiChar; { writes go through a pointer: no uniqueness check per byte }

  function Hex4: Cardinal;
  var
    I: Integer;
    C: AnsiChar;
  begin
    Result := 0;
    if P + 3 > N then BadJson('short \u escape', P);
    for I := 1 to 4 do
    begin
      C := Src[P];
      Inc(P);
      case C of
        '0'..'9': Result := Result * 16 + Cardinal(Ord(C) - Ord('0'));
        'a'..'f': Result := Result * 16 + Cardinal(Ord(C) - Ord('a') + 10);
        'A'..'F': Result := Result * 16 + Cardinal(Ord(C) - Ord('A') + 10);
      else
        BadJson('bad \u escape', P - 1);
      end;
    end;
  end;

begin
  { size the buffer to the escaped text up to the closing quote }
  K := P + 1;
  while (K <= N) and (Src[K] <> '"') do
    if Src[K] = '\' then Inc(K, 2) else Inc(K);
  Result := Copy(Src, P, K - P); { at least the quote; same code page; overwritten below }
  UniqueString(Result);
  D := PAnsiChar(Result);
  K := 1;
  Inc(P); { opening quote }
  while True do
  begin
    if P > N then BadJson('unterminated string', P);
    if Src[P] = '"' then
    begin
      Inc(P);
      SetLength(Result, K - 1);
      Exit;
    end;
    if Src[P] <> '\' then
    begin
      D[K - 1] := Src[P];
      Inc(K);
      Inc(P);
      Continue;
    end;
    Inc(P); { backslash }
    if P > N then BadJson('unterminated string', P);
    case Src[P] of
      '"', '\', '/': D[K - 1] := Src[P];
      'b': D[K - 1] := #8;
      'f': D[K - 1] := #12;
      'n': D[K - 1] := #10;
      'r': D[K - 1] := #13;
      't': D[K - 1] := #9;
      'u':
        begin
          Inc(P);
          Cp := Hex4;
          if (Cp >= $D800) and (Cp < $DC00) and (P + 1 <= N) and (Src[P] = '\') and (Src[P + 1] = 'u') then
          begin
            Inc(P, 2);
            Lo := Hex4;
            Cp := $10000 + ((Cp - $D800) shl 10) + (Lo - $DC00);
          end;
          PutUtf8(D, K, Cp);
          Continue;
        end;
    else
      BadJson('bad escape', P);
    end;
    Inc(K);
    Inc(P);
  end;
end;

function TCkParser.Value: TCkJson;
var
  Start: Integer;
  Name: TCkRaw;
  Child: TCkJson;
begin
  Ws;
  if P > N then BadJson('value expected', P);
  Start := P;
  Result := TCkJson.Create;
  try
    case Src[P] of
      '{':
        begin
          Result.FKind := jkObject;
          Result.FNames := TStringList.Create;
          Result.FItems := TList.Create;
          Inc(P);
          Ws;
          if (P <= N) and (Src[P] = '}') then Inc(P)
          else
            while True do
            begin
              Ws;
              if (P > N) or (Src[P] <> '"') then BadJson('member name expected', P);
              Name := Str;
              Ws;
              if (P > N) or (Src[P] <> ':') then BadJson('":" expected', P);
              Inc(P);
              Child := Value;
              Result.FItems.Add(Child);
              Result.FNames.AddObject(FromUtf8Escaped(Name), Child);
              Ws;
              if (P <= N) and (Src[P] = ',') then begin Inc(P); Continue; end;
              if (P <= N) and (Src[P] = '}') then begin Inc(P); Break; end;
              BadJson('"," or "}" expected', P);
            end;
        end;
      '[':
        begin
          Result.FKind := jkArray;
          Result.FItems := TList.Create;
          Inc(P);
          Ws;
          if (P <= N) and (Src[P] = ']') then Inc(P)
          else
            while True do
            begin
              Result.FItems.Add(Value);
              Ws;
              if (P <= N) and (Src[P] = ',') then begin Inc(P); Continue; end;
              if (P <= N) and (Src[P] = ']') then begin Inc(P); Break; end;
              BadJson('"," or "]" expected', P);
            end;
        end;
      '"':
        begin
          Result.FKind := jkString;
          Result.FRaw := Str;
        end;
    else
      while (P <= N) and (Src[P] in ['-', '+', '.', '0'..'9', 'a'..'z', 'E']) do Inc(P);
      Result.FRaw := Copy(Src, Start, P - Start);
      if Result.FRaw = 'null' then Result.FKind := jkNull
      else if (Result.FRaw = 'true') or (Result.FRaw = 'false') then Result.FKind := jkBool
      else if (Result.FRaw <> '') and (Result.FRaw[1] in ['-', '0'..'9']) then Result.FKind := jkNumber
      else BadJson('value expected', Start);
    end;
    Result.FSrc := Src; { a reference, not a copy }
    Result.FStart := Start;
    Result.FLen := P - Start;
  except
    Result.Free;
    raise;
  end;
end;

class function TCkJson.Parse(const Utf8: TCkRaw): TCkJson;
var
  Parser: TCkParser;
begin
  Parser := TCkParser.Create;
  try
    Parser.Src := Utf8;
    Parser.P := 1;
    Parser.N := Length(Utf8);
    Result := Parser.Value;
    Parser.Ws;
    if Parser.P <= Parser.N then
    begin
      Result.Free;
      BadJson('trailing text', Parser.P);
    end;
  finally
    Parser.Free;
  end;
end;

destructor TCkJson.Destroy;
var
  I: Integer;
begin
  if FItems <> nil then
  begin
    for I := 0 to FItems.Count - 1 do TCkJson(FItems[I]).Free;
    FItems.Free;
  end;
  FNames.Free;
  inherited;
end;

function TCkJson.GetCount: Integer;
begin
  if FItems = nil then Result := 0 else Result := FItems.Count;
end;

function TCkJson.GetItem(Index: Integer): TCkJson;
begin
  Result := TCkJson(FItems[Index]);
end;

function TCkJson.GetName(Index: Integer): string;
begin
  Result := FNames[Index];
end;

function TCkJson.Member(const Name: string): TCkJson;
var
  I: Integer;
begin
  Result := nil;
  if FKind <> jkObject then Exit;
  for I := 0 to FNames.Count - 1 do
    if FNames[I] = Name then
    begin
      Result := TCkJson(FNames.Objects[I]);
      Exit;
    end;
end;

function TCkJson.Path(const APath: string): TCkJson;
var
  I, J, Idx: Integer;
  Part: string;
begin
  Result := Self;
  I := 1;
  while (Result <> nil) and (I <= Length(APath)) do
  begin
    if APath[I] = '[' then
    begin
      J := I + 1;
      while (J <= Length(APath)) and (APath[J] <> ']') do Inc(J);
      Idx := StrToIntDef(Copy(APath, I + 1, J - I - 1), -1);
      if (Result.FKind = jkArray) and (Idx >= 0) and (Idx < Result.Count) then
        Result := Result.Items[Idx]
      else
        Result := nil;
      I := J + 1;
    end
    else
    begin
      if APath[I] = '.' then Inc(I);
      J := I;
      while (J <= Length(APath)) and (APath[J] <> '.') and (APath[J] <> '[') do Inc(J);
      Part := Copy(APath, I, J - I);
      Result := Result.Member(Part);
      I := J;
    end;
  end;
end;

function TCkJson.S(const APath: string): string;
var
  V: TCkJson;
begin
  V := Path(APath);
  if V = nil then Result := '' else Result := V.Text(APath);
end;

function TCkJson.W(const APath: string): TCkWide;
var
  V: TCkJson;
begin
  V := Path(APath);
  if (V = nil) or (V.FKind = jkNull) then Result := ''
  else if V.FKind = jkString then Result := Utf8ToWide(V.FRaw)
  else Result := Utf8ToWide(V.Utf8Text);
end;

{ The value as text (see S); Field names it in an error. }
function TCkJson.Text(const Field: string): string;
begin
  case FKind of
    jkNull: Result := '';
    jkString: Result := FromUtf8Field(FRaw, Field);
    jkBool, jkNumber: Result := string(FRaw);
  else
    Result := JsonText;
  end;
end;

function TCkJson.AsString: string;
begin
  Result := Text('');
end;

function TCkJson.Utf8Text: TCkRaw;
begin
  Result := Copy(FSrc, FStart, FLen);
end;

function TCkJson.JsonText: string;
begin
  Result := FromUtf8Escaped(Utf8Text);
end;

{ ---- calls ---- }

function CkVersion: string;
begin
  Result := string(RawOf(ck_version)); { static: never freed }
end;

{ No FPU handling here: every export of the library saves the caller's x87
  control word and MXCSR, runs with the state its Go code needs and restores
  both exactly (see the unit header). Masking exceptions here instead, with
  SetExceptionMask or Set8087CW, would be worse: those rewrite the
  process-wide Default8087CW that new threads start with. }
function InvokeRaw(const Method: string; const RequestJson: TCkWide): TCkRaw;
var
  M, R: TCkRaw;
  Reply: PAnsiChar;
begin
  M := CkToUtf8(Method);
  R := CkToUtf8(RequestJson);
  Reply := ck_invoke(PAnsiChar(M), PAnsiChar(R));
  if Reply = nil then raise EOutOfMemory.Create('couponkit: ck_invoke returned NULL (out of memory)');
  try
    Result := RawOf(Reply);
  finally
    ck_free(Reply);
  end;
end;

function CkInvokeEnvelope(const Method, RequestJson: string): string;
begin
  Result := FromUtf8Escaped(InvokeRaw(Method, RequestJson));
end;

{ An error detail (message, vendor message, ...): text as S gives it, with a
  character the string type cannot hold as a \uXXXX escape, so that such a
  character never hides the error itself. }
function Detail(E: TCkJson; const APath: string): string;
var
  V: TCkJson;
begin
  V := E.Path(APath);
  if (V <> nil) and (V.Kind = jkString) then Result := FromUtf8Escaped(V.FRaw)
  else if V <> nil then Result := V.AsString
  else Result := '';
end;

{ Returns the envelope's result (the caller frees Env), or raises. }
function EnvelopeResult(const Method: string; Env: TCkJson): TCkJson;
var
  E: TCkJson;
begin
  if (Env.Kind = jkObject) and (Env.S('ok') = 'true') then
  begin
    Result := Env.Member('result');
    if Result <> nil then Exit;
  end;
  E := Env.Member('error');
  if (Env.Kind <> jkObject) or (E = nil) then
    raise ECouponKitError.CreateError(Method, ckInternal, 'couponkit: reply is not an envelope', '', '', '', '', '');
  raise ECouponKitError.CreateError(Method, Detail(E, 'code'), Detail(E, 'message'), Detail(E, 'field'),
    Detail(E, 'vendorStatus'), Detail(E, 'vendorCode'), Detail(E, 'vendorMessage'), Detail(E, 'reason'));
end;

function CkInvokeJson(const Method: string; const RequestJson: TCkWide): TCkJson;
var
  Env, R: TCkJson;
  I: Integer;
begin
  Env := TCkJson.Parse(InvokeRaw(Method, RequestJson));
  try
    R := EnvelopeResult(Method, Env);
    { detach the result from the envelope so the envelope can be freed }
    I := Env.FItems.IndexOf(R);
    Env.FItems.Delete(I);
    Env.FNames.Delete(Env.FNames.IndexOfObject(R));
    Result := R;
  finally
    Env.Free;
  end;
end;

function CkInvoke(const Method, RequestJson: string): string;
var
  R: TCkJson;
begin
  R := CkInvokeJson(Method, RequestJson);
  try
    Result := R.JsonText;
  finally
    R.Free;
  end;
end;

{ ---- JSON building ---- }

function CkPair(const Name, Value: TCkWide): TCkWide;
begin
  if Value = '' then Result := ''
  else Result := CkQuote(Name) + ':' + CkQuote(Value);
end;

function CkPairRaw(const Name, Json: TCkWide): TCkWide;
begin
  if Json = '' then Result := ''
  else Result := CkQuote(Name) + ':' + Json;
end;

function CkObject(const Parts: array of TCkWide): TCkWide;
var
  I: Integer;
begin
  Result := '';
  for I := Low(Parts) to High(Parts) do
    if Parts[I] <> '' then
    begin
      if Result <> '' then Result := Result + ',';
      Result := Result + Parts[I];
    end;
  Result := '{' + Result + '}';
end;

function CkStrArray(const Items: TCkStrings): TCkWide;
var
  I: Integer;
begin
  if Length(Items) = 0 then
  begin
    Result := '';
    Exit;
  end;
  Result := '[';
  for I := 0 to High(Items) do
  begin
    if I > 0 then Result := Result + ',';
    Result := Result + CkQuote(Items[I]);
  end;
  Result := Result + ']';
end;

{ Non-empty object text, or '' for an empty object (so CkPairRaw skips it). }
function NonEmpty(const Obj: TCkWide): TCkWide;
begin
  if Obj = '{}' then Result := '' else Result := Obj;
end;

function StrList(J: TCkJson): TCkStrings;
var
  I: Integer;
begin
  Result := nil;
  if (J = nil) or (J.Kind <> jkArray) then Exit;
  SetLength(Result, J.Count);
  for I := 0 to J.Count - 1 do Result[I] := J[I].AsString;
end;

function ReadUserInfo(J: TCkJson): TCkUserInfo;
begin
  Result.CustomerId := J.S('userInfo.customer_id');
  Result.GroupId := J.S('userInfo.groupId');
  Result.Username := J.S('userInfo.username');
  Result.Nickname := J.S('userInfo.nickname');
  Result.Avatar := J.S('userInfo.avatar');
  Result.Phone := J.S('userInfo.phone');
  Result.Gender := J.S('userInfo.gender');
  Result.Birthday := J.S('userInfo.birthday');
  Result.Province := J.S('userInfo.province');
  Result.City := J.S('userInfo.city');
  Result.District := J.S('userInfo.district');
end;

function ReadRequest(J: TCkJson): TCkRequest;
begin
  Result.Url := J.S('url');
  Result.ContentType := J.S('contentType');
  Result.Body := J.S('body');
  Result.Token := J.S('token');
  Result.Timestamp := J.S('timestamp');
  Result.Nonce := J.S('nonce');
  Result.Action := J.S('action');
  Result.SignContent := J.S('signContent');
  Result.Sign := J.S('sign');
end;

{ ---- session ---- }

constructor TCouponKitSession.Create(const Zvcms: TCkZvcmsCredentials; const Allinpay: TCkAllinpayKeys);
var
  R: TCkJson;
begin
  inherited Create;
  R := CkInvokeJson('session.open', CkObject([
    CkPairRaw('zvcms', NonEmpty(CkObject([CkPair('openId', Zvcms.OpenId), CkPair('grantCode', Zvcms.GrantCode),
      CkPair('openKey', Zvcms.OpenKey), CkPair('baseUrl', Zvcms.BaseUrl)]))),
    CkPairRaw('allinpay', NonEmpty(CkObject([CkPair('appId', Allinpay.AppId), CkPair('privateKey', Allinpay.PrivateKey),
      CkPair('platformPublicKey', Allinpay.PlatformPublicKey), CkPair('signType', Allinpay.SignType),
      CkPair('gatewayUrl', Allinpay.GatewayUrl), CkPair('verifyMode', Allinpay.VerifyMode)])))]));
  try
    FId := R.S('session');
  finally
    R.Free;
  end;
end;

destructor TCouponKitSession.Destroy;
begin
  if FId <> '' then
    try
      { the reply is not checked: the session is gone either way }
      InvokeRaw('session.close', CkObject([CkPair('session', FId)]));
    except
      on EOutOfMemory do ;
    end;
  inherited;
end;

{ S without leading and trailing white space (no code page conversion). }
function WideTrim(const S: TCkWide): TCkWide;
var
  A, B: Integer;
begin
  A := 1;
  B := Length(S);
  while (A <= B) and (Ord(S[A]) <= 32) do Inc(A);
  while (B >= A) and (Ord(S[B]) <= 32) do Dec(B);
  Result := Copy(S, A, B - A + 1);
end;

{ Calls Method with Obj (a JSON object's text) plus "session". }
function TCouponKitSession.Call(const Method: string; const Obj: TCkWide): TCkJson;
var
  Rest: TCkWide;
begin
  Rest := WideTrim(Copy(Obj, 2, Length(Obj) - 2)); { the members }
  if Rest = '' then
    Result := CkInvokeJson(Method, CkObject([CkPair('session', FId)]))
  else
    Result := CkInvokeJson(Method, '{' + CkPair('session', FId) + ',' + Rest + '}');
end;

function TCouponKitSession.Invoke(const Method, RequestJson: string): string;
var
  T: TCkWide;
  R: TCkJson;
begin
  T := WideTrim(RequestJson);
  if (Length(T) < 2) or (T[1] <> '{') or (T[Length(T)] <> '}') then
    raise ECouponKitError.CreateError(Method, ckInvalidArgument, 'the request must be a JSON object', 'request_json', '', '', '', '');
  R := Call(Method, T);
  try
    Result := R.JsonText;
  finally
    R.Free;
  end;
end;

function VerifyJson(const P: TCkVerifyParams; const Timestamp, Nonce: string): TCkWide;
begin
  Result := CkObject([CkPair('timestamp', Timestamp), CkPair('nonce', Nonce),
    CkPairRaw('params', CkObject([CkPair('bizId', P.BizId), CkPair('channel', P.Channel),
      CkPair('customerId', P.CustomerId), CkPair('groupId', P.GroupId),
      CkPairRaw('couponsCardList', CkStrArray(P.CouponIds)), CkPair('type', P.CouponType),
      CkPairRaw('ext', NonEmpty(CkObject([CkPair('channelType', P.ChannelType), CkPair('multiStoreId', P.MultiStoreId),
        CkPair('multiStoreMark', P.MultiStoreMark), CkPair('orderNo', P.OrderNo), CkPair('reason', P.Reason)]))),
      CkPair('useCount', P.UseCount), CkPairRaw('tradeMarks', CkStrArray(P.TradeMarks)),
      CkPair('amount', P.Amount), CkPair('orderAmount', P.OrderAmount)]))]);
end;

function DiscountJson(const P: TCkDiscountParams; const Timestamp, Nonce: string): TCkWide;
var
  Items: TCkWide;
  I: Integer;
begin
  Items := '';
  for I := 0 to High(P.Items) do
  begin
    if I > 0 then Items := Items + ',';
    Items := Items + CkObject([CkPair('num', P.Items[I].Num), CkPair('trade_mark', P.Items[I].TradeMark),
      CkPair('price', P.Items[I].Price)]);
  end;
  if Length(P.Items) > 0 then Items := '[' + Items + ']';
  Result := CkObject([CkPair('timestamp', Timestamp), CkPair('nonce', Nonce),
    CkPairRaw('params', CkObject([CkPair('user_coupon_id', P.UserCouponId), CkPair('user_id', P.UserId),
      CkPairRaw('items', Items), CkPair('multi_mark', P.MultiMark), CkPair('coupon_id', P.CouponId),
      CkPair('type_cate', P.TypeCate), CkPair('discount_price', P.DiscountPrice), CkPair('type', P.CouponType),
      CkPair('coupon_code', P.CouponCode), CkPair('usage_scenarios', P.UsageScenarios)]))]);
end;

function CouponSendJson(const P: TCkCouponSendParams; const Timestamp: string): TCkWide;
begin
  Result := CkObject([CkPair('timestamp', Timestamp),
    CkPairRaw('params', CkObject([CkPair('shopId', P.ShopId), CkPair('shopCode', P.ShopCode),
      CkPair('operUserId', P.OperUserId), CkPair('couponType', P.CouponType), CkPair('num', P.Num),
      CkPair('couponTemplateId', P.CouponTemplateId), CkPair('idType', P.IdType), CkPair('memberId', P.MemberId),
      CkPair('orderId', P.OrderId), CkPair('sourceType', P.SourceType), CkPair('sourceValue', P.SourceValue),
      CkPair('remark', P.Remark), CkPair('buyerMobile', P.BuyerMobile)]))]);
end;

{ Reads a parsed verify reply (zvcms.response / zvcms.verifyCoupons) and frees R. }
function TakeVerify(R: TCkJson): TCkVerifyResult;
begin
  try
    Result.Status := R.S('status') = 'true';
    Result.Code := R.S('code');
    Result.Message := R.S('message');
    Result.BizId := R.S('bizId');
    Result.CardIds := StrList(R.Member('cardIdList'));
    Result.UserInfo := ReadUserInfo(R);
  finally
    R.Free;
  end;
end;

{ Reads a parsed user.user-by-coupon reply and frees R. }
function TakeDiscount(R: TCkJson): TCkDiscountResult;
var
  G: TCkJson;
  I: Integer;
begin
  try
    Result.Status := R.S('status') = 'true';
    Result.Code := R.S('code');
    Result.Message := R.S('message');
    Result.TypeCate := R.S('type_cate');
    Result.MultiMark := R.S('multi_mark');
    Result.CouponDiscount := R.S('coupon_discount');
    Result.CouponDiscountFen := R.S('coupon_discount_fen');
    Result.UserCouponName := R.S('user_coupon_name');
    Result.UserCouponId := R.S('user_coupon_id');
    Result.FinancePayment := R.S('finance_payment');
    Result.FinancePaymentFen := R.S('finance_payment_fen');
    Result.Amount := R.S('amount');
    Result.CouponType := R.S('coupon_type');
    Result.UserInfo := ReadUserInfo(R);
    G := R.Member('goods_item');
    Result.Goods := nil;
    if G <> nil then
    begin
      SetLength(Result.Goods, G.Count);
      for I := 0 to G.Count - 1 do
      begin
        Result.Goods[I].TradeMark := G[I].S('trade_mark');
        Result.Goods[I].CouponMinus := G[I].S('coupon_minus');
        Result.Goods[I].CouponMinusFen := G[I].S('coupon_minus_fen');
      end;
    end;
  finally
    R.Free;
  end;
end;

{ Reads a parsed couponSend reply and frees R. }
function TakeCouponSend(R: TCkJson): TCkCouponSendResult;
var
  L: TCkJson;
  I: Integer;
begin
  try
    Result.Verified := R.S('verified') = 'true';
    Result.TranNo := R.S('tranNo');
    Result.ShopName := R.S('shopName');
    Result.TranDateTime := R.S('tranDateTime');
    Result.Instruction := R.S('instruction');
    Result.ReqSeq := R.S('reqSeq');
    Result.RespSeq := R.S('respSeq');
    L := R.Member('list');
    Result.Coupons := nil;
    if L <> nil then
    begin
      SetLength(Result.Coupons, L.Count);
      for I := 0 to L.Count - 1 do
      begin
        Result.Coupons[I].TemplateId := L[I].S('templateId');
        Result.Coupons[I].CouponName := L[I].S('couponName');
        Result.Coupons[I].CouponNo := L[I].S('couponNo');
        Result.Coupons[I].QrCodeContext := L[I].S('qrCodeContext');
      end;
    end;
  finally
    R.Free;
  end;
end;

{ Reads a built request and frees R. }
function TakeRequest(R: TCkJson): TCkRequest;
begin
  try
    Result := ReadRequest(R);
  finally
    R.Free;
  end;
end;

function TCouponKitSession.VerifyCouponsRequest(const P: TCkVerifyParams; const Timestamp, Nonce: string): TCkRequest;
begin
  Result := TakeRequest(Call('zvcms.verifyCoupons.request', VerifyJson(P, Timestamp, Nonce)));
end;

function TCouponKitSession.CouponDiscountRequest(const P: TCkDiscountParams; const Timestamp, Nonce: string): TCkRequest;
begin
  Result := TakeRequest(Call('zvcms.couponDiscount.request', DiscountJson(P, Timestamp, Nonce)));
end;

function TCouponKitSession.CouponSendRequest(const P: TCkCouponSendParams; const Timestamp: string): TCkRequest;
begin
  Result := TakeRequest(Call('allinpay.couponSend.request', CouponSendJson(P, Timestamp)));
end;

function TCouponKitSession.ParseCouponSendResponse(const Body: string): TCkCouponSendResult;
begin
  Result := TakeCouponSend(Call('allinpay.response', CkObject([CkPair('method', 'couponSend'), CkPair('body', Body)])));
end;

function TCouponKitSession.VerifyCoupons(const P: TCkVerifyParams): TCkVerifyResult;
begin
  Result := TakeVerify(Call('zvcms.verifyCoupons', VerifyJson(P, '', '')));
end;

function TCouponKitSession.CouponDiscount(const P: TCkDiscountParams): TCkDiscountResult;
begin
  Result := TakeDiscount(Call('zvcms.couponDiscount', DiscountJson(P, '', '')));
end;

function TCouponKitSession.CouponSend(const P: TCkCouponSendParams): TCkCouponSendResult;
begin
  Result := TakeCouponSend(Call('allinpay.couponSend', CouponSendJson(P, '')));
end;

{ ---- calls without a session ---- }

function ZvcmsResponse(const Action, Body: string): TCkJson;
begin
  Result := CkInvokeJson('zvcms.response', CkObject([CkPair('action', Action), CkPair('body', Body)]));
end;

function CkParseVerifyResponse(const Body: string): TCkVerifyResult;
begin
  Result := TakeVerify(ZvcmsResponse('communal.user.coupons-vertify', Body));
end;

function CkParseDiscountResponse(const Body: string): TCkDiscountResult;
begin
  Result := TakeDiscount(ZvcmsResponse('user.user-by-coupon', Body));
end;

function CkQuoteBasket(const Lines: array of TCkQuoteLine; const Coupons: array of TCkQuoteCoupon;
  const Rounding: string): TCkQuoteResult;
var
  L, C: TCkWide;
  I: Integer;
  R, A: TCkJson;
begin
  L := '';
  for I := Low(Lines) to High(Lines) do
  begin
    if L <> '' then L := L + ',';
    L := L + CkObject([CkPair('id', Lines[I].Id), CkPair('quantity', Lines[I].Quantity),
      CkPair('unitPrice', Lines[I].UnitPrice), CkPair('priorDiscount', Lines[I].PriorDiscount)]);
  end;
  C := '';
  for I := Low(Coupons) to High(Coupons) do
  begin
    if C <> '' then C := C + ',';
    C := C + CkObject([CkPair('id', Coupons[I].Id), CkPair('kind', Coupons[I].Kind), CkPair('value', Coupons[I].Value),
      CkPair('rate', Coupons[I].Rate), CkPair('threshold', Coupons[I].Threshold), CkPair('cap', Coupons[I].Cap),
      CkPairRaw('include', CkStrArray(Coupons[I].Include)), CkPairRaw('exclude', CkStrArray(Coupons[I].Exclude))]);
  end;
  R := CkInvokeJson('discount.quote', CkObject([CkPair('rounding', Rounding),
    CkPairRaw('lines', '[' + L + ']'), CkPairRaw('coupons', '[' + C + ']')]));
  try
    Result.Rounding := R.S('rounding');
    Result.Gross := R.S('gross');
    Result.GrossFen := R.S('grossFen');
    Result.Amount := R.S('amount');
    Result.AmountFen := R.S('amountFen');
    Result.Discount := R.S('discount');
    Result.DiscountFen := R.S('discountFen');
    Result.Payable := R.S('payable');
    Result.PayableFen := R.S('payableFen');
    A := R.Member('coupons');
    SetLength(Result.Coupons, A.Count);
    for I := 0 to A.Count - 1 do
    begin
      Result.Coupons[I].Id := A[I].S('id');
      Result.Coupons[I].Kind := A[I].S('kind');
      Result.Coupons[I].Applied := A[I].S('applied') = 'true';
      Result.Coupons[I].Reason := A[I].S('reason');
      Result.Coupons[I].Eligible := A[I].S('eligible');
      Result.Coupons[I].EligibleFen := A[I].S('eligibleFen');
      Result.Coupons[I].Discount := A[I].S('discount');
      Result.Coupons[I].DiscountFen := A[I].S('discountFen');
    end;
    A := R.Member('lines');
    SetLength(Result.Lines, A.Count);
    for I := 0 to A.Count - 1 do
    begin
      Result.Lines[I].Id := A[I].S('id');
      Result.Lines[I].Quantity := A[I].S('quantity');
      Result.Lines[I].Gross := A[I].S('gross');
      Result.Lines[I].GrossFen := A[I].S('grossFen');
      Result.Lines[I].Amount := A[I].S('amount');
      Result.Lines[I].AmountFen := A[I].S('amountFen');
      Result.Lines[I].Discount := A[I].S('discount');
      Result.Lines[I].DiscountFen := A[I].S('discountFen');
      Result.Lines[I].Payable := A[I].S('payable');
      Result.Lines[I].PayableFen := A[I].S('payableFen');
      Result.Lines[I].Shares := StrList(A[I].Member('shares'));
      Result.Lines[I].SharesFen := StrList(A[I].Member('sharesFen'));
    end;
  finally
    R.Free;
  end;
end;

end.
