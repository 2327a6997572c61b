{ TransportTests: the Delphi binding's transport options against the real
  library and the sandbox, compiled with Free Pascal in Delphi mode and run
  by `make test-delphi` under examples/sandbox/with-sandbox.sh, which serves
  the sandbox over HTTP and HTTPS (a certificate from a CA made at start:
  SANDBOX_CA_FILE) and runs a proxy that counts what it relays
  (SANDBOX_PROXY_URL, GET /counts). A session opened with an explicit proxy
  sends a verification through it; one given the CA as PEM reaches the
  HTTPS sandbox, which one without it cannot; both together go through a
  CONNECT tunnel. Delphi 7 syntax. Prints one line per failure and
  "N passed, N failed"; exit code 1 on failure. }
program TransportTests;

{$IFDEF FPC}
  {$MODE DELPHI}
  {$H+}
  { string to TCkText is exact; TCkText to string (4105) stays a warning }
  {$WARN 4104 OFF}
{$ENDIF}

uses
{$IFDEF UNIX}
  cthreads, cwstring,
{$ENDIF}
  SysUtils, Classes, CouponKit;

const
  BizId = 'DL-TRANSPORT-1';

var
  Passed, Failed: Integer;
  PlainUrl, TlsUrl, ProxyUrl, CaPem: string;

procedure Check(Ok: Boolean; const What: TCkText);
begin
  if Ok then Inc(Passed)
  else
  begin
    Inc(Failed);
    WriteLn('FAIL: ', What);
  end;
end;

function Env(const Name: string): string;
begin
  Result := GetEnvironmentVariable(Name);
  if Result = '' then
  begin
    WriteLn('FAIL: ', Name, ' is not set; run under examples/sandbox/with-sandbox.sh (make test-delphi does)');
    Halt(2);
  end;
  while (Result <> '') and (Result[Length(Result)] = '/') do SetLength(Result, Length(Result) - 1);
end;

{ A text file (the CA certificate, PEM: ASCII). }
function ReadText(const Path: string): string;
var
  L: TStringList;
begin
  L := TStringList.Create;
  try
    L.LoadFromFile(Path);
    Result := L.Text;
  finally
    L.Free;
  end;
end;

function Zv(const BaseUrl: string): TCkZvcmsCredentials;
begin
  Finalize(Result);
  FillChar(Result, SizeOf(Result), 0);
  Result.OpenId := '6dc05b4ac175cf316d226252b05cf685';
  Result.GrantCode := '782c281f62';
  Result.OpenKey := 'sandbox-open-key-TEST-ONLY';
  Result.BaseUrl := BaseUrl + '/api/v2';
end;

function NoKeys: TCkAllinpayKeys;
begin
  Finalize(Result);
  FillChar(Result, SizeOf(Result), 0);
end;

function Verify: TCkVerifyCouponsParams;
begin
  Finalize(Result);
  FillChar(Result, SizeOf(Result), 0);
  Result.BizId := BizId;
  Result.CustomerId := '383933091455959041';
  SetLength(Result.CouponsCardList, 1);
  Result.CouponsCardList[0] := '390962138708451328';
  Result.Amount := '500';
  Result.OrderAmount := '2800';
end;

function Get(const Url: string): TCkHTTPSendRequest;
begin
  Finalize(Result);
  FillChar(Result, SizeOf(Result), 0);
  Result.Method := 'GET';
  Result.Url := Url;
  Result.Idempotent := True;
end;

{ What the proxy relayed so far, asked directly (proxy 'none'). }
procedure Counts(out Forwarded, Tunnels: Integer);
var
  R: TCkHTTPSendRequest;
  Res: TCkHTTPSendResult;
  J: TCkJson;
begin
  R := Get(ProxyUrl + '/counts');
  R.Transport.Proxy := 'none';
  Res := CkHttpSend(R);
  Check((Res.Status = 200) and (Res.BodyEncoding = 'utf8'), 'counts reply: ' + IntToStr(Res.Status));
  J := TCkJson.Parse(CkToUtf8(TCkWide(Res.Body)));
  try
    Forwarded := StrToInt(J.S('forwarded'));
    Tunnels := StrToInt(J.S('tunnels'));
  finally
    J.Free;
  end;
end;

var
  F0, T0: Integer;

procedure Mark;
begin
  Counts(F0, T0);
end;

procedure Moved(const What: string; Forwarded, Tunnels: Integer);
var
  F, T: Integer;
begin
  Counts(F, T);
  Check((F - F0 = Forwarded) and (T - T0 = Tunnels), What + ': the proxy relayed ' + IntToStr(F - F0) + ' requests and ' +
    IntToStr(T - T0) + ' tunnels, want ' + IntToStr(Forwarded) + ' and ' + IntToStr(Tunnels));
end;

{ A session on BaseUrl with Transport; verifies BizId and checks the reply. }
procedure VerifyVia(const What, BaseUrl: string; const Transport: TCkTransport);
var
  S: TCouponKitSession;
  V: TCkVerifyCouponsResult;
begin
  S := TCouponKitSession.Create(Zv(BaseUrl), NoKeys, Transport);
  try
    Check((S.Transport.Proxy = Transport.Proxy) and (S.Transport.RootCAs = Transport.RootCAs), What + ': Transport kept');
    V := S.VerifyCoupons(Verify);
    Check((V.BizId = BizId) and (Length(V.CardIdList) = 1) and (V.CardIdList[0] = '390962138708451328'), What + ': ' + V.BizId);
  finally
    S.Free;
  end;
end;

{ Runs a session open with Transport, which must fail with Code and Field. }
procedure Refused(const Field: string; const Transport: TCkTransport);
var
  S: TCouponKitSession;
begin
  try
    S := TCouponKitSession.Create(Zv(PlainUrl), NoKeys, Transport);
    S.Free;
    Check(False, Field + ': the session opened');
  except
    on E: ECouponKitError do
      Check((E.Code = ckInvalidArgument) and (E.Field = Field) and (Pos('pw@', E.Message) = 0), Field + ': ' + E.Code + ' ' + E.Field + ' ' + E.Message);
  end;
end;

var
  T: TCkTransport;
  S: TCouponKitSession;
  R: TCkHTTPSendRequest;
  H: TCkHTTPSendResult;
begin
  PlainUrl := Env('SANDBOX_URL');
  TlsUrl := Env('SANDBOX_TLS_URL');
  ProxyUrl := Env('SANDBOX_PROXY_URL');
  CaPem := ReadText(Env('SANDBOX_CA_FILE'));

  { 1. An explicit proxy: the verification goes through it and is redeemed. }
  Mark;
  VerifyVia('verify through the proxy', PlainUrl, CkTransport(ProxyUrl));
  Moved('verify through the proxy', 1, 0);

  { http.send with the session's proxy, and with an inline 'none' overriding it. }
  S := TCouponKitSession.Create(Zv(PlainUrl), NoKeys, CkTransport(ProxyUrl));
  try
    Mark;
    H := S.HttpSend(Get(PlainUrl + '/health'));
    Check((H.Status = 200) and (H.Body = 'ok'#10), 'HttpSend through the proxy: ' + IntToStr(H.Status) + ' ' + H.Body);
    Moved('HttpSend through the session''s proxy', 1, 0);
    Mark;
    R := Get(PlainUrl + '/health');
    R.Transport.Proxy := 'none';
    H := S.HttpSend(R);
    Check(H.Status = 200, 'HttpSend with proxy none: ' + IntToStr(H.Status));
    Moved('an inline proxy none overrides the session''s', 0, 0);
  finally
    S.Free;
  end;

  { 2. The private CA as PEM: the HTTPS sandbox is reached (the same bizId
    again gives the original result). }
  Mark;
  VerifyVia('verify over HTTPS with the private CA', TlsUrl, CkTransport('', CaPem));
  Moved('HTTPS without a proxy', 0, 0);

  { 3. Without the CA the same server is refused, naming why. }
  S := TCouponKitSession.Create(Zv(TlsUrl), NoKeys);
  try
    try
      S.VerifyCoupons(Verify);
      Check(False, 'verify over HTTPS without the CA: no error');
    except
      on E: ECouponKitError do
        Check((E.Code = ckTransportError) and (E.Reason = 'tls') and (Pos('unknown authority', E.Message) > 0),
          'without the CA: ' + E.Code + ' ' + E.Reason + ' ' + E.Message);
    end;
  finally
    S.Free;
  end;

  { 4. Proxy and CA together: a CONNECT tunnel to the HTTPS sandbox. }
  Mark;
  VerifyVia('verify through a CONNECT tunnel', TlsUrl, CkTransport(ProxyUrl, CaPem));
  Moved('verify through a CONNECT tunnel', 0, 1);

  { 5. Bad options are refused when the session is opened, naming the
    member; a body limit applies. }
  Refused('transport.proxy', CkTransport('ftp://till:pw@10.0.0.1:21'));
  Refused('transport.rootCAs', CkTransport('', 'not PEM'));
  T := CkTransport('');
  SetLength(T.PinSha256, 1);
  T.PinSha256[0] := 'short';
  Refused('transport.pinSha256[0]', T);
  T := CkTransport('');
  T.MaxBody := '0';
  Refused('transport.maxBody', T);
  T := CkTransport('');
  T.MaxBody := '2';
  S := TCouponKitSession.Create(Zv(PlainUrl), NoKeys, T);
  try
    try
      S.HttpSend(Get(PlainUrl + '/health'));
      Check(False, 'a reply over maxBody: no error');
    except
      on E: ECouponKitError do
        Check((E.Code = ckTransportError) and (E.Reason = 'too_large'), 'maxBody 2: ' + E.Code + ' ' + E.Reason);
    end;
  finally
    S.Free;
  end;

  WriteLn('Delphi transport tests: ', Passed, ' passed, ', Failed, ' failed');
  if Failed > 0 then Halt(1);
end.
