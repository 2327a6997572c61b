{ Quickstart.dpr: price a coupon and redeem it against the local sandbox
  with the Delphi / Free Pascal binding (CouponKit.pas, CouponKitGen.inc) and
  the library's HTTP transport (couponkit.dll / libcouponkit.so):

    ./Quickstart http://127.0.0.1:8080

  It prints the discount the sandbox gives and the redemption's bizId. }
program Quickstart;

{$IFDEF FPC}
  {$MODE DELPHI}
  {$H+}
{$ENDIF}
{$APPTYPE CONSOLE}

uses
{$IFDEF UNIX}
  cthreads, cwstring, { Free Pascal on Linux: threads, and UTF-8 text (else vendor messages print as ??????) }
{$ENDIF}
  SysUtils, CouponKit;

var
  BaseUrl: string;
  Zv: TCkZvcmsCredentials;
  NoKeys: TCkAllinpayKeys;
  S: TCouponKitSession;
  DP: TCkCouponDiscountParams;
  VP: TCkVerifyCouponsParams;
  Priced: TCkCouponDiscountResult;
  Redeemed: TCkVerifyCouponsResult;
begin
  BaseUrl := 'http://127.0.0.1:8080'; { the sandbox: make sandbox-run }
  if ParamCount > 0 then BaseUrl := ParamStr(1);
  Zv.OpenId := '6dc05b4ac175cf316d226252b05cf685'; { the sandbox's test credentials }
  Zv.GrantCode := '782c281f62';
  Zv.OpenKey := 'sandbox-open-key-TEST-ONLY';
  Zv.BaseUrl := TCkText(BaseUrl + '/api/v2');
  NoKeys.AppId := ''; { no Allinpay keys }
  try
    S := TCouponKitSession.Create(Zv, NoKeys);
    try
      { 1. What does the coupon take off two teas at 12.50 yuan? }
      DP.UserCouponId := '390962138708451328';
      DP.UserId := '383933091455959041';
      SetLength(DP.Items, 1);
      DP.Items[0].Num := '2'; DP.Items[0].TradeMark := '6901234567001'; DP.Items[0].Price := '12.50';
      Priced := S.CouponDiscount(DP);
      WriteLn('discount ', Priced.CouponDiscountYuan, ' yuan');

      { 2. Redeem it (核销); amounts in fen. Keep the reply's bizId: a reversal (冲正) needs it. }
      VP.BizId := 'quickstart-1';
      VP.CustomerId := DP.UserId;
      SetLength(VP.CouponsCardList, 1);
      VP.CouponsCardList[0] := DP.UserCouponId;
      VP.Amount := Priced.CouponDiscountFen;
      VP.OrderAmount := '2500';
      Redeemed := S.VerifyCoupons(VP);
      WriteLn('verified bizId ', Redeemed.BizId, ', coupon ', Redeemed.CardIdList[0]);
    finally
      S.Free;
    end;
  except
    on E: ECouponKitError do { Code, Field, VendorCode, VendorMessage }
    begin
      WriteLn(ErrOutput, 'quickstart: ', E.Message);
      Halt(1);
    end;
  end;
end.
