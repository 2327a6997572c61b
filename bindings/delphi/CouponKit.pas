{ CouponKit.pas: the Delphi binding of couponkit. Add it and CouponKitGen.inc
  (generated from the library's schema: the typed records and calls) to a
  Delphi 7 ... 12 or Free Pascal project, couponkit.dll beside the .exe.
  This unit is the glue: the native calls, the session, ECouponKitError, a
  small JSON reader and writer. All routines are thread-safe. docs/delphi.md
  is the reference, among it what this unit does with text a Delphi 7 string
  cannot hold (TCkText members keep every character; S and AsString raise
  rather than give '?'; string JSON escapes it) and why it leaves the FPU
  alone (the DLL keeps the caller's x87 control word and MXCSR). }
unit CouponKit;

{$IFDEF FPC}
  {$MODE DELPHI}
  {$H+}
  { the string conversions are deliberate (Delphi 7 style) }
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
  CouponKitLib = 'couponkit'; { libcouponkit.so on the library path }
{$ENDIF}
{$DEFINE CK_GEN_CONSTS}{$I CouponKitGen.inc}{$UNDEF CK_GEN_CONSTS}
  { The deepest nesting of arrays and objects TCkJson.Parse reads (the
    library's replies nest far less). }
  CkMaxDepth = 256;

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

  { Every text member of the records: every character kept (see the unit
    header); money and ids are text too. }
{$IFDEF UNICODE}
  TCkText = string;
{$ELSE}
  TCkText = WideString;
{$ENDIF}

  { An error reported by couponkit (Code: a ck* constant). }
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

  { A parsed JSON value: strings kept as UTF-8, numbers as their text. }
  TCkJson = class
  private
    FKind: TCkJsonKind;
    FRaw: TCkRaw;          { a string's UTF-8 bytes; a literal's text }
    FSrc: TCkRaw;          { the whole parsed text (shared) }
    FStart, FLen: Integer; { this value's text in FSrc }
    FNames: TStringList;   { member names, objects = values }
    FItems: TList;         { elements or member values }
    function GetCount: Integer;
    function GetItem(Index: Integer): TCkJson;
    function GetName(Index: Integer): string;
    function Text(const Field: string): string;
  public
    destructor Destroy; override;
    { Parses UTF-8 JSON text (RESPONSE_INVALID when it is not JSON or
      nests deeper than CkMaxDepth). }
    class function Parse(const Utf8: TCkRaw): TCkJson;
    { The member Name of an object, or nil. }
    function Member(const Name: string): TCkJson;
    { Follows a path like 'data.list[0].couponName' (nil when missing). }
    function Path(const APath: string): TCkJson;
    { The value at APath as text (see AsString), '' when missing; raises
      ECouponKitError (RESPONSE_INVALID, Field APath) for text a string
      cannot hold (Delphi 7: a character outside the ANSI code page). }
    function S(const APath: string): string;
    { The value at APath as S gives it, with every character kept (never raises). }
    function W(const APath: string): TCkText;
    { A string decoded, a literal as written, '' for null, else the JSON text (raises as S). }
    function AsString: string;
    { The value's JSON text, native (JsonText: a character a string cannot
      hold as a \uXXXX escape) or UTF-8 (Utf8Text). }
    function JsonText: string;
    function Utf8Text: TCkRaw;
    property Kind: TCkJsonKind read FKind;
    property Count: Integer read GetCount;
    property Items[Index: Integer]: TCkJson read GetItem; default;
    property Names[Index: Integer]: string read GetName;
  end;

{$DEFINE CK_GEN_TYPES}{$I CouponKitGen.inc}{$UNDEF CK_GEN_TYPES}

  { Credentials registered (keys parsed) once: one per shop, shared by the
    threads; Free closes it. }
  TCouponKitSession = class
  private
    FId: string;
    FTransport: TCkTransport;
  public
    constructor Create(const Zvcms: TCkZvcmsCredentials; const Allinpay: TCkAllinpayKeys); overload;
    { With how the one-call methods reach the servers (CkTransport builds
      it): proxy, root CAs as PEM text, pins, trace file, body limit. Bad
      options raise ECouponKitError here (ckInvalidArgument, Field
      'transport.proxy', ...). A call's own Transport overrides them member
      by member. }
    constructor Create(const Zvcms: TCkZvcmsCredentials; const Allinpay: TCkAllinpayKeys;
      const Transport: TCkTransport); overload;
    destructor Destroy; override;
    { Calls any method with "session" added; returns the result JSON text. }
    function Invoke(const Method: string; const RequestJson: TCkWide): string;
    property Id: string read FId;
    { The transport options the session was opened with. }
    property Transport: TCkTransport read FTransport;
{$DEFINE CK_GEN_SESSION}{$I CouponKitGen.inc}{$UNDEF CK_GEN_SESSION}
  end;

{$DEFINE CK_GEN_FUNCS}{$I CouponKitGen.inc}{$UNDEF CK_GEN_FUNCS}

{ Transport options for TCouponKitSession.Create and the one-call methods:
  Proxy '' (the environment's HTTP_PROXY / HTTPS_PROXY), 'none', 'system'
  (Internet Options, Windows) or a URL ('http://user:password@10.0.0.1:3128');
  RootCAs extra root certificates as PEM text ('' none). Set PinSha256,
  TraceFile and MaxBody on the record afterwards. }
function CkTransport(const Proxy: TCkText; const RootCAs: TCkText = ''): TCkTransport;

{ The library version, for example '0.1.0'. }
function CkVersion: string; overload;
{ Calls a method with a JSON request; returns the result JSON text (as
  JsonText) or raises. }
function CkInvoke(const Method: string; const RequestJson: TCkWide): string;
{ As CkInvoke, with the result parsed (the caller frees it). }
function CkInvokeJson(const Method: string; const RequestJson: TCkWide): TCkJson;
{ The whole reply envelope (never raises for a library error). }
function CkInvokeEnvelope(const Method: string; const RequestJson: TCkWide): string;
{ Text <-> UTF-8 (CkFromUtf8 raises as TCkJson.S); S as a JSON string literal. }
function CkToUtf8(const S: TCkWide): TCkRaw;
function CkFromUtf8(const U: TCkRaw): string;
function CkJsonString(const S: TCkWide): TCkWide;
{ For the generated code: "name":"value", "name":json, "name":true ('' when
  empty), objects; J's member Name (or Alias), its text (every character),
  as a string (AsString: numbers and booleans), JSON text (nil-safe). }
function CkPair(const Name, Value: TCkWide): TCkWide;
function CkPairRaw(const Name, Json: TCkWide): TCkWide;
function CkPairBool(const Name: TCkWide; B: Boolean): TCkWide;
function CkObject(const Parts: array of TCkWide): TCkWide;
{ Parts joined by ',' between Open and Close, the empty ones left out ('' for none). }
function CkJoin(const Parts: array of TCkWide; Open, Close: WideChar): TCkWide;
function CkNonEmpty(const Obj: TCkWide): TCkWide;
function CkMember(J: TCkJson; const Name: string; const Alias: string = ''): TCkJson;
function CkText(J: TCkJson): TCkText;
function CkString(J: TCkJson): string;
function CkJsonText(J: TCkJson): TCkText;

{ The raw imports (cdecl, UTF-8); free ck_invoke's replies with ck_free. }
function ck_version: PAnsiChar; cdecl; external CouponKitLib name 'ck_version';
function ck_invoke(Method, RequestJson: PAnsiChar): PAnsiChar; cdecl; external CouponKitLib name 'ck_invoke';
procedure ck_free(P: PAnsiChar); cdecl; external CouponKitLib name 'ck_free';

implementation

{ ---- text ---- }

function IsAscii(const U: TCkRaw): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to Length(U) do
    if Ord(U[I]) >= $80 then Exit;
  Result := True;
end;

function Utf8ToWide(const U: TCkRaw): TCkWide;
var
  I: Integer;
begin
  if IsAscii(U) then
  begin
    { ASCII (most JSON names and values) needs no conversion }
    SetLength(Result, Length(U));
    for I := 1 to Length(U) do Result[I] := WideChar(Ord(U[I]));
    Exit;
  end;
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

{ Whether string (Delphi 7: AnsiString in the ANSI code page) holds W exactly. }
function Holds(const W: TCkWide): Boolean;
var
  S: string;
begin
  S := W;
  Result := TCkWide(S) = W;
end;

{ U (UTF-8) as a string in Text; True when the string holds every character
  of it, else False with U decoded in Wide (only an AnsiString can fall short). }
function TryString(const U: TCkRaw; out Text: string; out Wide: TCkWide): Boolean;
var
  I: Integer;
begin
  Result := True;
  if IsAscii(U) then
  begin
    SetLength(Text, Length(U));
    for I := 1 to Length(U) do Text[I] := Char(U[I]);
    Exit;
  end;
  Wide := Utf8ToWide(U);
  Text := Wide;
  Result := TCkWide(Text) = Wide;
end;

{ The ANSI code page of AnsiString, for messages. }
function AnsiCodePage: Integer;
begin
{$IFDEF MSWINDOWS}
  Result := GetACP;
{$ELSE}
  Result := DefaultSystemCodePage;
{$ENDIF}
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
    'this program''s ANSI code page %d cannot hold in a string; read it with TCkJson.W or a TCkText member',
    [Where, Cp, I, AnsiCodePage]), Field, '', '', '', '');
end;

{ U (UTF-8 JSON text, or a value for a message) as a string; a character
  the string type cannot hold is written as a JSON \uXXXX escape (two for a
  surrogate pair). JSON is ASCII outside its strings, so the text stays the
  same JSON; in a message the escape shows which character it was. }
function FromUtf8Escaped(const U: TCkRaw): string;
const
  Hex: array[0..15] of WideChar = ('0','1','2','3','4','5','6','7','8','9','a','b','c','d','e','f');
var
  Wide, Esc, C: TCkWide;
  I, J, K, N: Integer;
  procedure Put(Ch: WideChar);
  begin
    if K = Length(Esc) then SetLength(Esc, 2 * K); { doubling: linear in Delphi 7 too }
    Inc(K); Esc[K] := Ch;
  end;

begin
  if TryString(U, Result, Wide) then Exit;
  SetLength(Esc, Length(Wide) + 16);
  K := 0;
  I := 1;
  while I <= Length(Wide) do
  begin
    N := CharLen(Wide, I);
    C := Copy(Wide, I, N);
    if (Ord(Wide[I]) < $80) or Holds(C) then
      for J := 1 to N do Put(C[J])
    else
      for J := 1 to N do
      begin
        Put('\'); Put('u'); Put(Hex[Ord(C[J]) shr 12]); Put(Hex[(Ord(C[J]) shr 8) and 15]);
        Put(Hex[(Ord(C[J]) shr 4) and 15]); Put(Hex[Ord(C[J]) and 15]);
      end;
    Inc(I, N);
  end;
  SetLength(Esc, K);
  Result := Esc;
end;

function CkFromUtf8(const U: TCkRaw): string;
begin
  Result := FromUtf8Field(U, '');
end;

function CkJsonString(const S: TCkWide): TCkWide;
const
  Hex: array[0..15] of WideChar = ('0','1','2','3','4','5','6','7','8','9','a','b','c','d','e','f');
var
  I, K: Integer;
  C: WideChar;
  procedure Put(Ch: WideChar); begin Inc(K); Result[K] := Ch; end;

begin
  K := 2; { the exact length first: a large body needs no 6x buffer }
  for I := 1 to Length(S) do
    case Ord(S[I]) of
      Ord('"'), Ord('\'), 9, 10, 13: Inc(K, 2);
      0..8, 11, 12, 14..31: Inc(K, 6);
    else
      Inc(K);
    end;
  SetLength(Result, K);
  K := 0; Put('"');
  for I := 1 to Length(S) do
  begin
    C := S[I];
    case Ord(C) of
      Ord('"'), Ord('\'): begin Put('\'); Put(C); end;
      10: begin Put('\'); Put('n'); end;
      13: begin Put('\'); Put('r'); end;
      9: begin Put('\'); Put('t'); end;
      0..8, 11, 12, 14..31: begin Put('\'); Put('u'); Put('0'); Put('0'); Put(Hex[Ord(C) shr 4]); Put(Hex[Ord(C) and 15]); end;
    else
      Put(C);
    end;
  end;
  Put('"');
end;

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
  FMethod := AMethod; FCode := ACode; FField := AField; FReason := AReason;
  FVendorStatus := AVendorStatus; FVendorCode := AVendorCode; FVendorMessage := AVendorMessage;
end;

{ ---- JSON reader ---- }

type
  TCkParser = class
    Src: TCkRaw;
    P, N, Depth: Integer;
    procedure Bad(const Why: string);
    procedure Ws;
    function Value: TCkJson;
    function Str: TCkRaw;
  end;

procedure TCkParser.Bad(const Why: string);
begin
  raise ECouponKitError.CreateError('', ckResponseInvalid, 'JSON: ' + Why + ' at offset ' + IntToStr(P - 1), '', '', '', '', '');
end;

procedure TCkParser.Ws; begin while (P <= N) and (Src[P] in [' ', #9, #10, #13]) do Inc(P); end;

{ Reads the string at P; returns its UTF-8 bytes, decoded in place into a
  buffer the size of the escaped text (never smaller), through a pointer. }
function TCkParser.Str: TCkRaw;
var
  K, I: Integer;
  Cp, Lo: Cardinal;
  D: PAnsiChar;
const
  Lead: array[1..3] of Cardinal = ($C0, $E0, $F0);

  function Hex4: Cardinal;
  var
    J: Integer;
  begin
    Result := 0;
    if P + 3 > N then Bad('short \u escape');
    for J := 1 to 4 do
    begin
      case Src[P] of
        '0'..'9': Result := Result * 16 + Cardinal(Ord(Src[P]) - Ord('0'));
        'a'..'f': Result := Result * 16 + Cardinal(Ord(Src[P]) - Ord('a') + 10);
        'A'..'F': Result := Result * 16 + Cardinal(Ord(Src[P]) - Ord('A') + 10);
      else
        Bad('bad \u escape');
      end;
      Inc(P);
    end;
  end;

begin
  K := P + 1; { size the buffer to the escaped text up to the closing quote }
  while (K <= N) and (Src[K] <> '"') do
    if Src[K] = '\' then Inc(K, 2) else Inc(K);
  Result := Copy(Src, P, K - P); { same code page; overwritten below }
  UniqueString(Result);
  D := PAnsiChar(Result);
  K := 0;
  Inc(P);
  while True do
  begin
    if P > N then Bad('unterminated string');
    if Src[P] = '"' then begin Inc(P); SetLength(Result, K); Exit; end;
    if Src[P] <> '\' then begin D[K] := Src[P]; Inc(K); Inc(P); Continue; end;
    Inc(P);
    if P > N then Bad('unterminated string');
    case Src[P] of
      '"', '\', '/': D[K] := Src[P];
      'b': D[K] := #8;
      'f': D[K] := #12;
      'n': D[K] := #10;
      'r': D[K] := #13;
      't': D[K] := #9;
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
          { UTF-8: 1 to 4 bytes }
          if Cp < $80 then begin D[K] := AnsiChar(Cp); Inc(K); end
          else
          begin
            if Cp < $800 then I := 1 else if Cp < $10000 then I := 2 else I := 3;
            D[K] := AnsiChar(Lead[I] or (Cp shr (6 * I)));
            while I > 0 do begin Dec(I); Inc(K); D[K] := AnsiChar($80 or ((Cp shr (6 * I)) and $3F)); end;
            Inc(K);
          end;
          Continue;
        end;
    else
      Bad('bad escape');
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
  Close: AnsiChar;
begin
  Ws;
  if P > N then Bad('value expected');
  Start := P;
  Result := TCkJson.Create;
  try
    case Src[P] of
      '{', '[':
        begin
          Inc(Depth); { bounded, so that no text can overflow the stack }
          if Depth > CkMaxDepth then Bad('nested more than ' + IntToStr(CkMaxDepth) + ' levels');
          if Src[P] = '{' then begin Result.FKind := jkObject; Result.FNames := TStringList.Create; Close := '}'; end
          else begin Result.FKind := jkArray; Close := ']'; end;
          Result.FItems := TList.Create;
          Inc(P);
          Ws;
          if (P <= N) and (Src[P] = Close) then Inc(P)
          else
            while True do
            begin
              Ws;
              if Close = '}' then
              begin
                if (P > N) or (Src[P] <> '"') then Bad('member name expected');
                Name := Str;
                Ws;
                if (P > N) or (Src[P] <> ':') then Bad('":" expected');
                Inc(P);
              end;
              Child := Value;
              Result.FItems.Add(Child);
              if Close = '}' then Result.FNames.AddObject(FromUtf8Escaped(Name), Child);
              Ws;
              if (P <= N) and (Src[P] = ',') then begin Inc(P); Continue; end;
              if (P <= N) and (Src[P] = Close) then begin Inc(P); Break; end;
              Bad('"," or "' + string(Close) + '" expected');
            end;
          Dec(Depth);
        end;
      '"': begin Result.FKind := jkString; Result.FRaw := Str; end;
    else
      while (P <= N) and (Src[P] in ['-', '+', '.', '0'..'9', 'a'..'z', 'E']) do Inc(P);
      Result.FRaw := Copy(Src, Start, P - Start);
      if Result.FRaw = 'null' then Result.FKind := jkNull
      else if (Result.FRaw = 'true') or (Result.FRaw = 'false') then Result.FKind := jkBool
      else if (Result.FRaw <> '') and (Result.FRaw[1] in ['-', '0'..'9']) then Result.FKind := jkNumber
      else begin P := Start; Bad('value expected'); end;
    end;
    Result.FSrc := Src; Result.FStart := Start; Result.FLen := P - Start; { a reference, not a copy }
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
    Parser.Src := Utf8; Parser.P := 1; Parser.N := Length(Utf8);
    Result := Parser.Value;
    Parser.Ws;
    if Parser.P <= Parser.N then
    begin
      Result.Free;
      Parser.Bad('trailing text');
    end;
  finally
    Parser.Free;
  end;
end;

destructor TCkJson.Destroy;
var
  I: Integer;
begin
  for I := 0 to Count - 1 do Items[I].Free;
  FItems.Free;
  FNames.Free;
  inherited;
end;

function TCkJson.GetCount: Integer; begin if FItems = nil then Result := 0 else Result := FItems.Count; end;
function TCkJson.GetItem(Index: Integer): TCkJson; begin Result := TCkJson(FItems[Index]); end;
function TCkJson.GetName(Index: Integer): string; begin Result := FNames[Index]; end;
function TCkJson.W(const APath: string): TCkText; begin Result := CkText(Path(APath)); end;
function TCkJson.AsString: string; begin Result := Text(''); end;
function TCkJson.Utf8Text: TCkRaw; begin Result := Copy(FSrc, FStart, FLen); end;
function TCkJson.JsonText: string; begin Result := FromUtf8Escaped(Utf8Text); end;

function TCkJson.S(const APath: string): string;
var
  V: TCkJson;
begin
  V := Path(APath);
  if V = nil then Result := '' else Result := V.Text(APath);
end;

function TCkJson.Member(const Name: string): TCkJson;
var
  I: Integer;
begin
  Result := nil;
  if FKind = jkObject then
    for I := 0 to FNames.Count - 1 do
      if FNames[I] = Name then begin Result := TCkJson(FNames.Objects[I]); Exit; end;
end;

function TCkJson.Path(const APath: string): TCkJson;
var
  I, J, Idx: Integer;
begin
  Result := Self;
  I := 1;
  while (Result <> nil) and (I <= Length(APath)) do
    if APath[I] = '[' then
    begin
      J := I + 1;
      while (J <= Length(APath)) and (APath[J] <> ']') do Inc(J);
      Idx := StrToIntDef(Copy(APath, I + 1, J - I - 1), -1);
      if (Result.FKind = jkArray) and (Idx >= 0) and (Idx < Result.Count) then Result := Result.Items[Idx] else Result := nil;
      I := J + 1;
    end
    else
    begin
      if APath[I] = '.' then Inc(I);
      J := I;
      while (J <= Length(APath)) and (APath[J] <> '.') and (APath[J] <> '[') do Inc(J);
      Result := Result.Member(Copy(APath, I, J - I));
      I := J;
    end;
end;

{ The value as text (see AsString); Field names it in an error. }
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

function CkMember(J: TCkJson; const Name, Alias: string): TCkJson;
begin
  Result := nil;
  if J <> nil then Result := J.Member(Name);
  if (Result = nil) and (J <> nil) and (Alias <> '') then Result := J.Member(Alias);
end;

function CkString(J: TCkJson): string; begin if J = nil then Result := '' else Result := J.AsString; end;
function CkJsonText(J: TCkJson): TCkText; begin if (J = nil) or (J.Kind = jkNull) then Result := '' else Result := Utf8ToWide(J.Utf8Text); end;

function CkText(J: TCkJson): TCkText;
begin
  if (J = nil) or (J.FKind = jkNull) then Result := ''
  else if J.FKind = jkString then Result := Utf8ToWide(J.FRaw)
  else Result := Utf8ToWide(J.Utf8Text);
end;

{ ---- JSON writing ---- }

function CkPairRaw(const Name, Json: TCkWide): TCkWide;
begin
  if Json = '' then Result := '' else Result := CkJsonString(Name) + ':' + Json;
end;

function CkPair(const Name, Value: TCkWide): TCkWide; begin if Value = '' then Result := '' else Result := CkPairRaw(Name, CkJsonString(Value)); end;
function CkPairBool(const Name: TCkWide; B: Boolean): TCkWide; begin if B then Result := CkPairRaw(Name, 'true') else Result := ''; end;
function CkNonEmpty(const Obj: TCkWide): TCkWide; begin if Obj = '{}' then Result := '' else Result := Obj; end;
function RawOf(P: PAnsiChar): TCkRaw; begin SetString(Result, P, StrLen(P)); end;
function CkToUtf8(const S: TCkWide): TCkRaw; begin Result := UTF8Encode(S); end;
function CkVersion: string; begin Result := string(RawOf(ck_version)); { static: never freed } end;

function CkObject(const Parts: array of TCkWide): TCkWide;
begin
  Result := CkJoin(Parts, '{', '}');
  if Result = '' then Result := '{}';
end;

function CkJoin(const Parts: array of TCkWide; Open, Close: WideChar): TCkWide;
var
  I, K, N: Integer;
begin
  N := 0; { the length first: Delphi 7 copies a WideString on every append }
  for I := Low(Parts) to High(Parts) do
    if Parts[I] <> '' then Inc(N, Length(Parts[I]) + 1);
  Result := '';
  if N = 0 then Exit;
  SetLength(Result, N + 1);
  Result[1] := Open;
  K := 1;
  for I := Low(Parts) to High(Parts) do
    if Parts[I] <> '' then
    begin
      if K > 1 then begin Inc(K); Result[K] := ','; end;
      Move(PWideChar(Parts[I])^, Result[K + 1], Length(Parts[I]) * SizeOf(WideChar));
      Inc(K, Length(Parts[I]));
    end;
  Result[K + 1] := Close;
end;

{ ---- calls ---- }

{ No FPU handling here: every export of the library saves the caller's x87
  control word and MXCSR, runs with the state its Go code needs and restores
  both exactly (see the unit header). Masking exceptions here instead, with
  SetExceptionMask or Set8087CW, would be worse: those rewrite the
  process-wide Default8087CW that new threads start with, and restore only
  the mask bits, not the precision Go changed. }
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

function CkInvokeEnvelope(const Method: string; const RequestJson: TCkWide): string;
begin
  Result := FromUtf8Escaped(InvokeRaw(Method, RequestJson));
end;

{ An error detail (message, vendor message, ...) as S gives it, with a
  character a string cannot hold as a \uXXXX escape: such a character never
  hides the error itself. }
function Detail(E: TCkJson; const Name: string): string;
var
  V: TCkJson;
begin
  V := E.Member(Name);
  if (V <> nil) and (V.FKind = jkString) then Result := FromUtf8Escaped(V.FRaw) else Result := CkString(V);
end;

function CkInvokeJson(const Method: string; const RequestJson: TCkWide): TCkJson;
var
  Env, E: TCkJson;
begin
  Env := TCkJson.Parse(InvokeRaw(Method, RequestJson));
  try
    Result := Env.Member('result');
    if (Env.S('ok') = 'true') and (Result <> nil) then
    begin
      Env.FItems.Remove(Result); { detached, so that the envelope can be freed }
      Exit;
    end;
    E := Env.Member('error');
    if E = nil then
      raise ECouponKitError.CreateError(Method, ckInternal, 'couponkit: reply is not an envelope', '', '', '', '', '');
    raise ECouponKitError.CreateError(Method, Detail(E, 'code'), Detail(E, 'message'), Detail(E, 'field'),
      Detail(E, 'vendorStatus'), Detail(E, 'vendorCode'), Detail(E, 'vendorMessage'), Detail(E, 'reason'));
  finally
    Env.Free;
  end;
end;

function CkInvoke(const Method: string; const RequestJson: TCkWide): string;
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

{ ---- session ---- }

constructor TCouponKitSession.Create(const Zvcms: TCkZvcmsCredentials; const Allinpay: TCkAllinpayKeys);
var
  T: TCkTransport;
begin
  FillChar(T, SizeOf(T), 0);
  Create(Zvcms, Allinpay, T);
end;

constructor TCouponKitSession.Create(const Zvcms: TCkZvcmsCredentials; const Allinpay: TCkAllinpayKeys;
  const Transport: TCkTransport);
var
  R: TCkSessionOpenRequest;
begin
  inherited Create;
  R.Zvcms := Zvcms; R.Allinpay := Allinpay; R.Transport := Transport;
  FId := string(CkSessionOpen(R).Session); { ASCII, made by the library }
  FTransport := Transport;
end;

function CkTransport(const Proxy: TCkText; const RootCAs: TCkText): TCkTransport;
begin
  Finalize(Result);
  FillChar(Result, SizeOf(Result), 0);
  Result.Proxy := Proxy;
  Result.RootCAs := RootCAs;
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

function TCouponKitSession.Invoke(const Method: string; const RequestJson: TCkWide): string;
var
  T: TCkWide;
  A, B: Integer;
begin
  T := RequestJson; A := 1; B := Length(T);
  while (A <= B) and (Ord(T[A]) <= 32) do Inc(A);
  while (B >= A) and (Ord(T[B]) <= 32) do Dec(B);
  if (B - A < 1) or (T[A] <> '{') or (T[B] <> '}') then
    raise ECouponKitError.CreateError(Method, ckInvalidArgument, 'the request must be a JSON object', 'request_json', '', '', '', '');
  T := Copy(T, A + 1, B - A - 1); A := 1; { the members }
  while (A <= Length(T)) and (Ord(T[A]) <= 32) do Inc(A);
  if A <= Length(T) then T := ',' + T;
  Result := CkInvoke(Method, '{' + CkPair('session', FId) + T + '}');
end;

{$DEFINE CK_GEN_IMPL}{$I CouponKitGen.inc}

{$IFDEF FPC}
var
  HeapPin: Pointer;

initialization
  { Free Pascal's heap (Delphi's is another) gives an empty OS chunk back to
    the system when it already keeps MaxKeptOSChunks (4) empty ones, and
    maps a new chunk rather than reuse a kept one until it keeps that many. A
    call frees every block it takes, so calls mapped and unmapped a chunk
    each time, most of a typed call's cost on Linux (docs/testing.md). One
    medium block kept for the program's life (the main thread's, where most
    POS programs call from) and up to 16 empty chunks kept stop that. A
    program that wants another value sets MaxKeptOSChunks after this. }
  if MaxKeptOSChunks < 16 then MaxKeptOSChunks := 16;
  GetMem(HeapPin, 2048);

finalization
  FreeMem(HeapPin);
{$ENDIF}
end.
