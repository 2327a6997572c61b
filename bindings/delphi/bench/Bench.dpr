{ Bench: per-call cost of zvcms.verifyCoupons.request through the Delphi
  binding (Free Pascal, Delphi mode), in the format of examples/c/bench.c:
    BenchmarkDelphi/<name> <calls> <ns> ns/op
  raw    CkInvoke(method, json): UTF-8 conversion, ck_invoke, JSON reader, ck_free
  typed  TCouponKitSession.VerifyCouponsRequest: JSON built from a record
  Usage: Bench REQUEST-FILE   (examples/c/bench_verify.json, the C bench's request) }
program Bench;

{$IFDEF FPC}
  {$MODE DELPHI}
  {$H+}
  { string to TCkWide is exact; TCkText to string (4105) stays a warning }
  {$WARN 4104 OFF}
{$ENDIF}

uses
{$IFDEF UNIX}
  cthreads, cwstring,
{$ENDIF}
  SysUtils, Classes, DateUtils, CouponKit;

type
  TCall = procedure;

var
  Req: string;
  Session: TCouponKitSession;
  Params: TCkVerifyCouponsParams;

procedure Raw;
begin
  CkInvoke('zvcms.verifyCoupons.request', Req);
end;

procedure Typed;
begin
  Session.VerifyCouponsRequest(Params, '1547186244', '658965');
end;

procedure Measure(const Name: string; N: Integer; Call: TCall);
var
  I, Round: Integer;
  T0: TDateTime;
  Ns, Best: Double;
begin
  for I := 1 to N div 10 do Call;
  Best := 1e30;
  for Round := 1 to 3 do
  begin
    T0 := Now;
    for I := 1 to N do Call;
    Ns := MilliSecondSpan(Now, T0) * 1e6 / N;
    if Ns < Best then Best := Ns;
  end;
  WriteLn(Format('BenchmarkDelphi/%s %d %.0f ns/op', [Name, N, Best]));
end;

var
  L: TStringList;
  Zv: TCkZvcmsCredentials;
  NoKeys: TCkAllinpayKeys;
begin
  L := TStringList.Create;
  try
    if ParamCount > 0 then L.LoadFromFile(ParamStr(1)) else L.LoadFromFile('examples/c/bench_verify.json');
    Req := Trim(L.Text);
  finally
    L.Free;
  end;
  Measure('verifyCoupons.request.raw', 20000, Raw);
  Zv.OpenId := '6dc05b4ac175cf316d226252b05cf685';
  Zv.GrantCode := '782c281f62';
  Zv.OpenKey := 'bench-open-key-TEST-ONLY';
  NoKeys.AppId := ''; { no Allinpay keys }
  Session := TCouponKitSession.Create(Zv, NoKeys);
  try
    Params.BizId := 'order-1';
    Params.CustomerId := '383933091455959041';
    SetLength(Params.CouponsCardList, 1);
    Params.CouponsCardList[0] := '390962138708451328';
    Params.Ext.ChannelType := '3';
    Params.Ext.MultiStoreMark := 'SH0001';
    Params.Amount := '500';
    Params.OrderAmount := '2600';
    Measure('verifyCoupons.request.typed', 20000, Typed);
  finally
    Session.Free;
  end;
end.
