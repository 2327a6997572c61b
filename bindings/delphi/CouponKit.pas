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

  Errors reported by the library raise ECouponKitError (Code, Field,
  VendorCode, VendorMessage, VendorStatus, Reason). Every reply pointer is
  released with ck_free. All routines are safe to call from many threads. }
unit CouponKit;

{$IFDEF FPC}
  {$MODE DELPHI}
  {$H+}
{$ENDIF}

interface

uses
  SysUtils, Classes;

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
    FText: TCkRaw;     { the value's JSON text (UTF-8) }
    FNames: TStringList; { object member names, objects = values }
    FItems: TList;     { array items, or object values in order }
    function GetCount: Integer;
    function GetItem(Index: Integer): TCkJson;
    function GetName(Index: Integer): string;
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
    { The value as text (see S). }
    function AsString: string;
    { The value's JSON text as a native string. }
    function JsonText: string;
    property Kind: TCkJsonKind read FKind;
    property Count: Integer read GetCount;
    property Items[Index: Integer]: TCkJson read GetItem; default;
    property Names[Index: Integer]: string read GetName;
    property Utf8Text: TCkRaw read FText;
  end;

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

{ Text <-> UTF-8. }
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

function CkFromUtf8(const U: TCkRaw): string;
begin
{$IFDEF UNICODE}
  Result := UTF8ToString(U);
{$ELSE}
  Result := UTF8Decode(U);
{$ENDIF}
end;

function RawOf(P: PAnsiChar): TCkRaw;
begin
  SetString(Result, P, StrLen(P));
end;

function CkQuote(const S: TCkWide): TCkWide;
const
  Hex: array[0..15] of WideChar = ('0','1','2','3','4','5','6','7','8','9','a','b','c','d','e','f');
var
  I: Integer;
  C: WideChar;
begin
  Result := '"';
  for I := 1 to Length(S) do
  begin
    C := S[I];
    case Ord(C) of
      Ord('"'): Result := Result + '\"';
      Ord('\'): Result := Result + '\\';
      10: Result := Result + '\n';
      13: Result := Result + '\r';
      9: Result := Result + '\t';
      0..8, 11, 12, 14..31:
        Result := Result + '\u00' + Hex[Ord(C) shr 4] + Hex[Ord(C) and 15];
    else
      Result := Result + C;
    end;
  end;
  Result := Result + '"';
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

{ Writes code point Cp as UTF-8 into Buf at K (advancing K). }
procedure PutUtf8(var Buf: TCkRaw; var K: Integer; Cp: Cardinal);
begin
  if Cp < $80 then
  begin
    Buf[K] := AnsiChar(Cp); Inc(K);
  end
  else if Cp < $800 then
  begin
    Buf[K] := AnsiChar($C0 or (Cp shr 6)); Buf[K + 1] := AnsiChar($80 or (Cp and $3F)); Inc(K, 2);
  end
  else if Cp < $10000 then
  begin
    Buf[K] := AnsiChar($E0 or (Cp shr 12)); Buf[K + 1] := AnsiChar($80 or ((Cp shr 6) and $3F));
    Buf[K + 2] := AnsiChar($80 or (Cp and $3F)); Inc(K, 3);
  end
  else
  begin
    Buf[K] := AnsiChar($F0 or (Cp shr 18)); Buf[K + 1] := AnsiChar($80 or ((Cp shr 12) and $3F));
    Buf[K + 2] := AnsiChar($80 or ((Cp shr 6) and $3F)); Buf[K + 3] := AnsiChar($80 or (Cp and $3F));
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
  Result := Src; { same code page; overwritten below }
  SetLength(Result, N - P + 1);
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
      Result[K] := Src[P];
      Inc(K);
      Inc(P);
      Continue;
    end;
    Inc(P); { backslash }
    if P > N then BadJson('unterminated string', P);
    case Src[P] of
      '"', '\', '/': Result[K] := Src[P];
      'b': Result[K] := #8;
      'f': Result[K] := #12;
      'n': Result[K] := #10;
      'r': Result[K] := #13;
      't': Result[K] := #9;
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
          PutUtf8(Result, K, Cp);
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
              Result.FNames.AddObject(CkFromUtf8(Name), Child);
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
    Result.FText := Copy(Src, Start, P - Start);
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
  if V = nil then Result := '' else Result := V.AsString;
end;

function TCkJson.AsString: string;
begin
  case FKind of
    jkNull: Result := '';
    jkString: Result := CkFromUtf8(FRaw);
    jkBool, jkNumber: Result := string(FRaw);
  else
    Result := JsonText;
  end;
end;

function TCkJson.JsonText: string;
begin
  Result := CkFromUtf8(FText);
end;

{ ---- calls ---- }

function CkVersion: string;
begin
  Result := string(RawOf(ck_version)); { static: never freed }
end;

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
  Result := CkFromUtf8(InvokeRaw(Method, RequestJson));
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
  raise ECouponKitError.CreateError(Method, E.S('code'), E.S('message'), E.S('field'),
    E.S('vendorStatus'), E.S('vendorCode'), E.S('vendorMessage'), E.S('reason'));
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

end.
