{ Cashier: a short cashier flow with the Delphi binding, offline. Compiles
  in Delphi 7, Delphi 2009+ and Free Pascal (make test-delphi builds and runs
  it from the repository root):
    1. open a session (credentials registered once, shared by every thread)
    2. quote a basket with two coupons, exact to the fen
    3. build the signed zvcms discount and verify requests a POS would POST
    4. parse the vendor's replies (the seed examples in testdata/zvcms)
    5. show a vendor error the way a cashier should see it }
program Cashier;

{$IFDEF FPC}
  {$MODE DELPHI}
  {$H+}
{$ENDIF}
{$APPTYPE CONSOLE}

uses
{$IFDEF UNIX}
  cthreads, cwstring,
{$ENDIF}
  SysUtils, Classes, CouponKit;

{ A UTF-8 file as a string (the vendor's reply bodies are UTF-8). }
function ReadUtf8(const Path: string): string;
var
  F: TFileStream;
  Raw: TCkRaw;
begin
  F := TFileStream.Create(Path, fmOpenRead or fmShareDenyNone);
  try
    SetLength(Raw, F.Size);
    if F.Size > 0 then F.ReadBuffer(Raw[1], F.Size);
  finally
    F.Free;
  end;
  Result := CkFromUtf8(Raw);
end;

var
  Zv: TCkZvcmsCredentials;
  NoKeys: TCkAllinpayKeys;
  Session: TCouponKitSession;
  Lines: array[0..2] of TCkQuoteLine;
  Coupons: array[0..1] of TCkQuoteCoupon;
  Quote: TCkQuoteResult;
  DP: TCkDiscountParams;
  VP: TCkVerifyParams;
  Req: TCkRequest;
  Priced: TCkDiscountResult;
  Verified: TCkVerifyResult;
  I: Integer;
  Note: string;
begin
  WriteLn('couponkit ', CkVersion, ' (Delphi)');
  Zv.OpenId := '6dc05b4ac175cf316d226252b05cf685';
  Zv.GrantCode := '782c281f62';
  Zv.OpenKey := 'demo-open-key';
  Zv.BaseUrl := '';
  Session := TCouponKitSession.Create(Zv, NoKeys); { NoKeys: no Allinpay keys (AppId empty) }
  try
    { 2. The basket and the coupons the customer shows. }
    Lines[0].Id := '201909280011111'; Lines[0].Quantity := '2'; Lines[0].UnitPrice := '28.00'; { latte }
    Lines[1].Id := '201909280011112'; Lines[1].Quantity := '1'; Lines[1].UnitPrice := '16.50'; { croissant }
    Lines[2].Id := '201909280011113'; Lines[2].Quantity := '1'; Lines[2].UnitPrice := '3.00';  { water }
    Coupons[0].Id := 'full50-10'; Coupons[0].Kind := 'fixed'; Coupons[0].Value := '10'; Coupons[0].Threshold := '50';
    Coupons[1].Id := 'coffee-8.5'; Coupons[1].Kind := 'rate'; Coupons[1].Rate := '8.5';
    SetLength(Coupons[1].Include, 1);
    Coupons[1].Include[0] := '201909280011111';
    Quote := CkQuoteBasket(Lines, Coupons);
    WriteLn('basket ', Quote.Amount, ' yuan, coupons -', Quote.Discount, ', to pay ', Quote.Payable);
    for I := 0 to High(Quote.Coupons) do
    begin
      if Quote.Coupons[I].Applied then Note := '' else Note := ' (' + Quote.Coupons[I].Reason + ')';
      WriteLn('  coupon ', Quote.Coupons[I].Id, ': -', Quote.Coupons[I].Discount, Note);
    end;
    for I := 0 to High(Quote.Lines) do
      WriteLn('  line ', Quote.Lines[I].Id, ': ', Quote.Lines[I].Amount, ' - ', Quote.Lines[I].Discount,
        ' = ', Quote.Lines[I].Payable);

    { 3. The vendor's own price for a coupon, then the redemption. }
    DP.UserCouponId := '390913439370321921';
    DP.UserId := '383933091455959041';
    DP.MultiMark := 'aEtGbNNVQ3m1YStlySDB0Q';
    DP.CouponId := '953';
    DP.TypeCate := '1';
    SetLength(DP.Items, Length(Lines));
    for I := 0 to High(Lines) do
    begin
      DP.Items[I].TradeMark := Lines[I].Id;
      DP.Items[I].Num := Lines[I].Quantity;
      DP.Items[I].Price := Lines[I].UnitPrice;
    end;
    Req := Session.CouponDiscountRequest(DP);
    WriteLn('POST ', Req.Url, ' (', Req.ContentType, '): action ', Req.Action);
    Priced := CkParseDiscountResponse(ReadUtf8('testdata/zvcms/seed001_response.json'));
    WriteLn('vendor priced ', Priced.UserCouponName, ': -', Priced.CouponDiscount, ' yuan (',
      Priced.CouponDiscountFen, ' fen)');

    VP.BizId := 'POS01-20260101-0001';
    VP.CustomerId := '383933091455959041';
    SetLength(VP.CouponIds, 1);
    VP.CouponIds[0] := '390962138708451328';
    VP.Amount := Quote.DiscountFen;
    VP.OrderAmount := Quote.AmountFen;
    VP.ChannelType := '3';
    VP.MultiStoreMark := 'aEtGbNNVQ3m1YStlySDB0Q';
    VP.OrderNo := 'POS01-0001';
    Req := Session.VerifyCouponsRequest(VP);
    WriteLn('POST ', Req.Url, ': ', Req.Body);

    { 4. The reply: keep its bizId for a reversal. }
    Verified := CkParseVerifyResponse(ReadUtf8('testdata/zvcms/seed000_response.json'));
    WriteLn('redeemed ', Verified.CardIds[0], '; reversal bizId ', Verified.BizId);

    { 5. A vendor error: show VendorMessage to the cashier, log the rest. }
    try
      CkParseVerifyResponse(ReadUtf8('testdata/zvcms/seed000_error_business.json'));
    except
      on E: ECouponKitError do
      begin
        WriteLn('cashier sees: ', E.VendorMessage);
        WriteLn('log: ', E.Message, ' (code ', E.Code, ', vendor code ', E.VendorCode, ')');
      end;
    end;
  finally
    Session.Free;
  end;
end.
