{ Win32Tests: what a Delphi program on Windows depends on beyond the calls
  themselves, tested against the real library (make test-delphi-win32 runs
  it as a Win32 program under 32-bit Wine, code page 936, in the Delphi 7 and
  Delphi 2009+ modes; it also compiles and runs on Linux).

  1. The floating-point state the program set survives every call: the x87
     control word (Delphi 7's Default8087CW $1332: invalid, zero-divide and
     overflow exceptions unmasked, 64-bit precision), MXCSR (Delphi XE2+'s
     $1900), the process-wide Default8087CW that new threads start with; so
     1.0/0.0 still raises EZeroDivide and Extended keeps its 64-bit
     precision, in the main thread and in TThreads.
  2. Text the string type cannot hold (an emoji in a Delphi 7 GBK
     AnsiString) is never replaced by '?' and never fails a call: the typed
     records hold it whole in their TCkText members (WideString in Delphi 7),
     requests carry it, a coupon redeemed for a member whose nickname holds
     one is reported redeemed (twice, as a till repeating the verify gets
     it), through the sandbox at $SANDBOX_URL; reading it explicitly as a
     string (TCkJson.S) raises ECouponKitError (RESPONSE_INVALID) naming its
     JSON path, TCkJson.W reads it whole, JSON text and error details carry
     it as a \uXXXX escape.

  Prints one line per failure and "N passed, N failed"; exit code 1 on failure. }
program Win32Tests;

{$IFDEF FPC}
  {$MODE DELPHI}
  {$H+}
  {$CODEPAGE UTF8}
  { comparisons of TCkText members with string are deliberate }
  {$WARN 4104 OFF}
  {$WARN 4105 OFF}
{$ENDIF}

uses
{$IFDEF UNIX}
  cthreads, cwstring,
{$ENDIF}
  SysUtils, Classes, CouponKit;

var
  Passed, Failed: Integer;

procedure Check(Ok: Boolean; const What: string);
begin
  if Ok then Inc(Passed)
  else
  begin
    Inc(Failed);
    WriteLn('FAIL: ', What);
  end;
end;

function Hex(V: Cardinal): string;
begin
  Result := '$' + IntToHex(V, 4);
end;

{ ---- 1. floating point ---- }

type
  TFpu = record
    CW: Word;
    MX: Cardinal;
  end;

function FpuNow: TFpu;
begin
  Result.CW := Get8087CW;
{$IF Declared(GetMXCSR)}
  Result.MX := GetMXCSR;
{$ELSE}
  Result.MX := 0; { Delphi 7 has no SSE support }
{$IFEND}
end;

function FpuText(const F: TFpu): string;
begin
  Result := 'CW ' + Hex(F.CW) + ' MXCSR ' + Hex(F.MX);
end;

var
  Zero: Double = 0.0; { a variable, so the compiler cannot fold 1/0 }
  Tiny: Extended;

{ The x87 state a Delphi 7 program relies on, checked by using it. }
procedure CheckFpuWorks(const What: string);
var
  X: Double;
  E: Extended;
begin
  try
    X := 1.0 / Zero;
    Check(False, What + ': 1.0/0.0 gave ' + FloatToStr(X) + ' instead of raising EZeroDivide');
  except
    on EZeroDivide do Check(True, What);
    on Ex: Exception do Check(False, What + ': 1.0/0.0 raised ' + Ex.ClassName + ', not EZeroDivide');
  end;
{$IFDEF CPU386}
  { 64-bit precision: 1 + 2^-60 differs from 1 (at 53 bits it would not) }
  E := 1.0 + Tiny;
  Check(E <> 1.0, What + ': Extended arithmetic lost its 64-bit precision');
{$ELSE}
  E := 0;
  Check(E = 0, What);
{$ENDIF}
end;

{ The calls of every kind a POS makes, each followed by a check that the
  state is what the program set. }
procedure CallsKeepFpu(const What: string; const Want: TFpu; Rounds: Integer; var Bad: Integer; var First: string);
var
  I: Integer;
  S: TCouponKitSession;
  Zv: TCkZvcmsCredentials;
  NoAp: TCkAllinpayKeys;
  P: TCkVerifyCouponsParams;
  Q: TCkQuoteRequest;

  procedure After(const Call: string);
  var
    Now: TFpu;
    D: Word;
  begin
    Now := FpuNow;
    if (Now.CW <> Want.CW) or (Now.MX <> Want.MX) then
    begin
      if Bad = 0 then First := What + ': after ' + Call + ': ' + FpuText(Now) + ', want ' + FpuText(Want);
      Inc(Bad);
      D := Default8087CW; { set the state again without touching the default }
      Set8087CW(Want.CW);
      Default8087CW := D;
    end;
  end;

begin
  Zv.OpenId := 'oid123'; Zv.GrantCode := 'gc456'; Zv.OpenKey := 'secret789'; Zv.BaseUrl := '';
  Finalize(NoAp);
  FillChar(NoAp, SizeOf(NoAp), 0);
  Finalize(P);
  FillChar(P, SizeOf(P), 0);
  P.BizId := 'fpu-1'; P.CustomerId := '383933091455959041'; P.Amount := '500'; P.OrderAmount := '2600';
  SetLength(P.CouponsCardList, 1);
  P.CouponsCardList[0] := '390962138708451328';
  Finalize(Q);
  FillChar(Q, SizeOf(Q), 0);
  Q.Rounding := 'half-even';
  SetLength(Q.Lines, 1);
  FillChar(Q.Lines[0], SizeOf(TCkQuoteLine), 0);
  Q.Lines[0].Id := 'A'; Q.Lines[0].Quantity := '3'; Q.Lines[0].UnitPriceYuan := '12.99';
  SetLength(Q.Coupons, 1);
  FillChar(Q.Coupons[0], SizeOf(TCkQuoteCoupon), 0);
  Q.Coupons[0].Id := 'r85'; Q.Coupons[0].Kind := 'rate'; Q.Coupons[0].Rate := '8.5';
  for I := 1 to Rounds do
  begin
    CkVersion; After('CkVersion (ck_version)');
    CkInvoke('money.toFen', '{"yuan":12.345,"rounding":"half-up"}'); After('CkInvoke money.toFen (ck_invoke, ck_free)');
    CkQuote(Q); After('CkQuote');
    try
      CkInvoke('money.toFen', '{"yuan":1.234}');
    except
      on ECouponKitError do ;
    end;
    After('an error reply');
    S := TCouponKitSession.Create(Zv, NoAp);
    try
      After('session.open');
      S.VerifyCouponsRequest(P, '1700000000', '123455'); After('VerifyCouponsRequest');
    finally
      S.Free;
    end;
    After('session.close');
  end;
end;

type
  TFpuThread = class(TThread)
  public
    Want: TFpu;
    StartState: TFpu;
    Bad: Integer;
    First: string;
    ZeroDivideRaised: Boolean;
    procedure Execute; override;
  end;

procedure TFpuThread.Execute;
var
  X: Double;
begin
  { a new thread starts as Delphi's RTL starts one: FLDCW Default8087CW (and
    LDMXCSR DefaultMXCSR in XE2+); Free Pascal's Win32 RTL leaves Windows'
    $027F, so do it here. That Default8087CW is still the program's after
    the calls is what is tested. }
  Set8087CW(Default8087CW);
{$IF Declared(SetMXCSR)}
  SetMXCSR(DefaultMXCSR);
{$IFEND}
  StartState := FpuNow;
  CallsKeepFpu('thread', StartState, 20, Bad, First);
  try
    X := 1.0 / Zero;
    ZeroDivideRaised := X <> X; { not reached when it raises }
  except
    on EZeroDivide do ZeroDivideRaised := True;
  end;
end;

procedure TestFpu(const Mode: string; CW: Word; MX: Cardinal);
var
  Want: TFpu;
  Bad, I: Integer;
  First: string;
  T: array[0..3] of TFpuThread;
begin
  Set8087CW(CW); { also Default8087CW, as in the RTL of every Delphi }
{$IF Declared(SetMXCSR)}
  if MX <> 0 then SetMXCSR(MX);
{$IFEND}
  Want := FpuNow;
  WriteLn('fpu ', Mode, ': ', FpuText(Want), ', Default8087CW ', Hex(Default8087CW));
  CheckFpuWorks(Mode + ', before any call');
  Bad := 0;
  First := '';
  CallsKeepFpu(Mode + ' main thread', Want, 50, Bad, First);
  Check(Bad = 0, Mode + ', main thread: the state changed after ' + IntToStr(Bad) + ' of 350 calls; first: ' + First);
  Check(Default8087CW = CW, Mode + ': Default8087CW is ' + Hex(Default8087CW) + ' after the calls, want ' + Hex(CW));
  CheckFpuWorks(Mode + ', after 350 calls');
  for I := 0 to High(T) do
  begin
    T[I] := TFpuThread.Create(True);
    T[I].Start;
  end;
  for I := 0 to High(T) do
  begin
    T[I].WaitFor;
    Check(T[I].StartState.CW = Want.CW, Mode + ', thread ' + IntToStr(I) + ' started with ' + FpuText(T[I].StartState));
    Check(T[I].Bad = 0, Mode + ', thread ' + IntToStr(I) + ': the state changed after ' + IntToStr(T[I].Bad) +
      ' of 140 calls; first: ' + T[I].First);
    Check(T[I].ZeroDivideRaised, Mode + ', thread ' + IntToStr(I) + ': 1.0/0.0 did not raise EZeroDivide after the calls');
    T[I].Free;
  end;
end;

{ ---- 2. text the string type cannot hold ---- }

const
  EmojiW: array[0..1] of WideChar = (#$D83D, #$DE00); { U+1F600 }

function Emoji: TCkText;
begin
  SetLength(Result, 2);
  Result[1] := EmojiW[0];
  Result[2] := EmojiW[1];
end;

{ Whether string (AnsiString in the system code page, or UnicodeString)
  holds the emoji. }
function StringHoldsEmoji: Boolean;
var
  S: string;
begin
  S := Emoji;
  Result := TCkWide(S) = Emoji;
end;

procedure ExpectLost(const What, Field: string; E: ECouponKitError);
begin
  Check(E.Code = ckResponseInvalid, What + ': code ' + E.Code);
  Check(E.Field = Field, What + ': field [' + E.Field + '], want [' + Field + ']');
  Check(Pos('U+1F600', E.Message) > 0, What + ': the message names the character: ' + E.Message);
end;

function ZvTest(const BaseUrl, OpenKey: string): TCkZvcmsCredentials;
begin
  Finalize(Result);
  FillChar(Result, SizeOf(Result), 0);
  Result.OpenId := '6dc05b4ac175cf316d226252b05cf685';
  Result.GrantCode := '782c281f62';
  Result.OpenKey := OpenKey;
  Result.BaseUrl := BaseUrl;
end;

function NoKeys: TCkAllinpayKeys;
begin
  Finalize(Result);
  FillChar(Result, SizeOf(Result), 0);
end;

{ The typed records: their TCkText members keep every character, in a reply
  and in a request, whatever string holds. }
procedure TestTypedText;
const
  Reply = '{"status":true,"code":"0","message":"核销成功","data":{"bizId":"b1",' +
    '"cardIdList":"[390962138708451328]","userInfo":{"customer_id":"1","username":"小明","nickname":"小明\ud83d\ude00"}}}';
var
  V: TCkVerifyCouponsResult;
  S: TCouponKitSession;
  P: TCkVerifyCouponsParams;
  R: TCkZvcmsRequest;
  J: TCkJson;
  I: Integer;
  Body: TCkWide;
begin
  { a reply: a nickname with an emoji never fails the parse, and is whole
    (twice: the same reply again, as a till repeating a verify gets it) }
  for I := 1 to 2 do
  begin
    V := CkParseVerifyCouponsResponse(Reply);
    Check(V.Status, 'typed reply: status');
    Check(V.UserInfo.Nickname = '小明' + Emoji, 'typed reply: the nickname keeps its emoji: ' +
      string(UTF8Encode(V.UserInfo.Nickname)));
    Check(V.UserInfo.Username = '小明', 'typed reply: username');
    Check((Length(V.CardIdList) = 1) and (V.CardIdList[0] = '390962138708451328'), 'typed reply: cardIdList');
  end;

  { a request: the emoji reaches the signed body, and comes back whole }
  S := TCouponKitSession.Create(ZvTest('', 'k'), NoKeys);
  try
    Finalize(P);
    FillChar(P, SizeOf(P), 0);
    P.BizId := '店' + Emoji + '-1';
    P.CustomerId := '383933091455959041';
    SetLength(P.CouponsCardList, 1);
    P.CouponsCardList[0] := '390962138708451328';
    R := S.VerifyCouponsRequest(P, '1700000000', '123455');
    J := TCkJson.Parse(CkToUtf8(R.Body));
    try
      Check(J.W('Params.bizId') = P.BizId, 'typed request: the bizId keeps its emoji in the signed body: ' +
        string(UTF8Encode(R.Body)));
    finally
      J.Free;
    end;
    { a JSON request (Invoke, CkInvoke) takes wide text too: the emoji as a
      character, not an escape }
    Body := '{"params":{"bizId":"店' + Emoji + '-2","customerId":"383933091455959041",' +
      '"couponsCardList":["390962138708451328"]}}';
    J := TCkJson.Parse(CkToUtf8(S.Invoke('zvcms.verifyCoupons.request', Body)));
    try
      Check(Pos(TCkText('"bizId":"店') + Emoji + '-2"', J.W('body')) > 0, 'wide JSON request: the emoji in the signed body: ' +
        string(UTF8Encode(J.W('body'))));
    finally
      J.Free;
    end;
  finally
    S.Free;
  end;
end;

{ Reading as string explicitly: S raises naming the path, W reads it whole,
  JSON text and error details carry an escape. }
procedure TestExplicitText;
var
  J, K: TCkJson;
  Holds: Boolean;
  R, T: string;
begin
  Holds := StringHoldsEmoji;
  WriteLn('text: string holds U+1F600: ', Holds);
  J := TCkJson.Parse(CkToUtf8('{"name":"x\ud83d\ude00y","cn":"中文","list":[{"deep":"a\ud83d\ude00"}]}'));
  try
    Check(J.S('cn') = '中文', 'Chinese text reads as a string');
    Check(J.W('name') = 'x' + Emoji + 'y', 'W keeps the emoji');
    Check(J.W('list[0].deep') = 'a' + Emoji, 'W keeps the emoji (nested)');
    if Holds then
    begin
      Check(J.S('name') = 'x' + Emoji + 'y', 'S keeps the emoji where string holds it');
      Check(J.Path('list[0].deep').AsString = 'a' + Emoji, 'AsString keeps the emoji where string holds it');
    end
    else
    begin
      try
        R := J.S('name');
        Check(False, 'S of an emoji gave [' + R + '] instead of raising');
      except
        on E: ECouponKitError do ExpectLost('S(name)', 'name', E);
      end;
      try
        R := J.S('list[0].deep');
        Check(False, 'S of a nested emoji gave [' + R + '] instead of raising');
      except
        on E: ECouponKitError do ExpectLost('S(list[0].deep)', 'list[0].deep', E);
      end;
      { JSON text: the emoji as an escape, the same JSON }
      T := J.JsonText;
      Check(Pos('x\ud83d\ude00y', T) > 0, 'JsonText escapes the emoji: ' + T);
      Check(Pos('中文', T) > 0, 'JsonText keeps the Chinese text: ' + T);
    end;
  finally
    J.Free;
  end;
  { the same JSON text parses back to the same value }
  K := TCkJson.Parse(CkToUtf8('{"a":"\ud83d\ude00中"}'));
  try
    J := TCkJson.Parse(CkToUtf8(K.JsonText));
    try
      Check(J.W('a') = Emoji + '中', 'JsonText round trip keeps the emoji');
    finally
      J.Free;
    end;
  finally
    K.Free;
  end;

  { CkInvoke's JSON text (a string): the emoji the library returns is an
    escape there, W reads it back whole, S refuses it by name }
  R := CkInvoke('zvcms.verifyCoupons.request', '{"zvcms":{"openId":"o","grantCode":"g","openKey":"k"},' +
    '"timestamp":"1700000000","nonce":"1","params":{"bizId":"店\ud83d\ude00","customerId":"383933091455959041",' +
    '"couponsCardList":["390962138708451328"]}}');
  J := TCkJson.Parse(CkToUtf8(R));
  try
    Check(Pos('店' + Emoji, J.W('body')) > 0, 'the library returns the emoji; W reads it from CkInvoke''s JSON text: ' +
      string(UTF8Encode(J.W('body'))));
    if not Holds then
      try
        J.S('body');
        Check(False, 'S(body) with an emoji did not raise');
      except
        on E: ECouponKitError do ExpectLost('S(body)', 'body', E);
      end;
  finally
    J.Free;
  end;

  { an error whose vendor message cannot be held: the error itself is kept }
  try
    CkParseVerifyCouponsResponse('{"status":"true","code":1001,"message":"券已用完\ud83d\ude00","data":""}');
    Check(False, 'no API_ERROR');
  except
    on E: ECouponKitError do
    begin
      Check(E.Code = ckApiError, 'the vendor error stays API_ERROR: ' + E.Code);
      if Holds then Check(E.VendorMessage = '券已用完' + Emoji, 'vendor message: ' + E.VendorMessage)
      else Check(E.VendorMessage = '券已用完\ud83d\ude00', 'vendor message with the emoji escaped: ' + E.VendorMessage);
    end;
  end;
end;

{ What a till meets: a coupon redeemed for a member whose WeChat nickname
  holds an emoji, through the typed VerifyCoupons and the library's HTTP
  transport against the sandbox ($SANDBOX_URL; its seed, made by
  mk/windows.mk, adds the member and her coupon). The redemption is reported
  with the nickname whole, and so is the same reply again when the till
  repeats the verify with the same bizId: no exception turns a committed
  redemption into an unknown outcome, in Delphi 7 as in 2009+. }
procedure TestSandboxVerify;
const
  Member = '383933091455959042';
  Coupon = '390962138708451340';
var
  Url: string;
  S: TCouponKitSession;
  P: TCkVerifyCouponsParams;
  V: array[1..2] of TCkVerifyCouponsResult;
  I: Integer;
begin
  Url := GetEnvironmentVariable('SANDBOX_URL');
  if Url = '' then
  begin
    Check(False, 'SANDBOX_URL is not set: run this program through examples/sandbox/with-sandbox.sh with ' +
      'the seed mk/windows.mk makes (make test-delphi-win32 does)');
    Exit;
  end;
  S := TCouponKitSession.Create(ZvTest(Url + '/api/v2', 'sandbox-open-key-TEST-ONLY'), NoKeys);
  try
    Finalize(P);
    FillChar(P, SizeOf(P), 0);
    P.BizId := 'W32-EMOJI-0001';
    P.CustomerId := Member;
    SetLength(P.CouponsCardList, 1);
    P.CouponsCardList[0] := Coupon;
    P.Amount := '500';
    P.OrderAmount := '2600';
    for I := 1 to 2 do
    begin
      V[I] := S.VerifyCoupons(P);
      Check(V[I].Status and (V[I].Code = '0'), Format('verify %d: redeemed', [I]));
      Check((Length(V[I].CardIdList) = 1) and (V[I].CardIdList[0] = Coupon), Format('verify %d: the coupon', [I]));
      Check(V[I].UserInfo.Nickname = '小明' + Emoji, Format('verify %d: the nickname is whole: %s',
        [I, string(UTF8Encode(V[I].UserInfo.Nickname))]));
      Check(V[I].UserInfo.CustomerId = Member, Format('verify %d: the member', [I]));
    end;
    Check(V[2].BizId = V[1].BizId, 'the repeated verify gets the same reply');
  finally
    S.Free;
  end;
end;

procedure Run(const Name: string; P: TProcedure);
var
  F0: Integer;
begin
  F0 := Failed;
  try
    P;
  except
    on E: Exception do
    begin
      Inc(Failed);
      WriteLn('FAIL: ', Name, ': unexpected ', E.ClassName, ': ', E.Message);
    end;
  end;
  if Failed = F0 then WriteLn('ok   ', Name) else WriteLn('FAIL ', Name);
end;

procedure TestDelphi7;
begin
  TestFpu('Delphi 7 ($1332)', $1332, 0);
end;

procedure TestDelphiXE2;
begin
  TestFpu('Delphi XE2+ ($1332, MXCSR $1900)', $1332, $1900);
end;

var
  I: Integer;
begin
  Tiny := 1.0;
  for I := 1 to 60 do Tiny := Tiny / 2;
  Run('fpu: Delphi 7 state', TestDelphi7);
  Run('fpu: Delphi XE2+ state', TestDelphiXE2);
  Run('text the string type cannot hold: typed records', TestTypedText);
  Run('text the string type cannot hold: explicit reading', TestExplicitText);
  Run('text the string type cannot hold: a redemption through the sandbox', TestSandboxVerify);
  WriteLn(Passed, ' passed, ', Failed, ' failed');
  if Failed > 0 then Halt(1);
end.
