{ Cashier: a short cashier flow with the Delphi binding, offline. Compiles
  in Delphi 7, Delphi 2009+ and Free Pascal (make test-delphi builds and runs
  it from the repository root):
    1. open a session (credentials registered once, shared by every thread)
    2. quote a basket with two coupons, exact to the fen
    3. build the signed zvcms discount and verify requests a POS would POST
    4. parse the vendor's replies (the seed examples in testdata/zvcms)
    5. show a vendor error the way a cashier should see it
  With SANDBOX_URL set (make demo-delphi starts the sandbox and sets it), it
  then runs the flow online against the sandbox through the library's HTTP
  transport: price a coupon, redeem it, fail to redeem it twice, issue a
  coupon through Allinpay; then the lifecycle: look the coupon up by its
  code, redeem it, see it verified, reverse it (冲正) with the bizId the reply
  returned (the bizId sent, an unknown one and a second reversal are
  refused), see it unused, redeem it again, and resolve a redemption whose
  reply was lost. Exit code 1 when a step does not give the expected
  result. }
program Cashier;

{$IFDEF FPC}
  {$MODE DELPHI}
  {$H+}
  { string to TCkText is exact; TCkText to string (warning 4105, which
    stays on) is what this program must not do with a vendor's text }
  {$WARN 4104 OFF}
{$ENDIF}
{$APPTYPE CONSOLE}

uses
{$IFDEF UNIX}
  cthreads, cwstring,
{$ENDIF}
  SysUtils, Classes, CouponKit;

{ A UTF-8 file as text, every character kept (the vendor's reply bodies are
  UTF-8; a Delphi 7 string would hold only what the ANSI code page has). }
function ReadUtf8(const Path: string): TCkText;
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
{$IFDEF UNICODE}
  Result := UTF8ToString(Raw);
{$ELSE}
  Result := UTF8Decode(Raw);
{$ENDIF}
end;

const
  Member = '383933091455959041';

{ Raises unless Ok: a step of the flow went wrong. }
procedure Expect(Ok: Boolean; const What: string);
begin
  if not Ok then raise Exception.Create('FAIL: ' + What);
end;

{ Reverses (冲正) BizId and returns '' when it worked, else the vendor's code of the refusal. }
function TryReverse(S: TCouponKitSession; const BizId, Coupon: TCkText): string;
var
  P: TCkReverseParams;
begin
  P.BizId := BizId;
  SetLength(P.CouponsCardList, 1);
  P.CouponsCardList[0] := Coupon;
  P.Extra := '{"reason":"sale voided"}';
  Result := '';
  try
    S.Reverse(P);
  except
    on E: ECouponKitError do
      if E.Code = ckApiError then Result := E.VendorCode else raise;
  end;
end;

{ The coupon's useStatus (user.coupon-new-status). }
function UseStatus(S: TCouponKitSession; const Coupon: TCkText): TCkText;
var
  P: TCkCouponStatusParams;
  R: TCkCouponStatusResult;
begin
  P.CustomerId := Member;
  P.CardId := Coupon;
  R := S.CouponStatus(P);
  Expect(Length(R.Coupons) = 1, 'the status of one coupon');
  Result := R.Coupons[0].UseStatus;
end;

{ Lookup by code, verify, status, the reversal (冲正) and its errors, status,
  verify again, and an in-doubt verify resolved; False when a step went wrong. }
function Lifecycle(S: TCouponKitSession; const Coupon, Qr: TCkText): Boolean;
var
  Own: Boolean;
  OP: TCkOffCouponParams;
  Found: TCkOffCouponResult;
  VP: TCkVerifyCouponsParams;
  Lost: TCkVerifyCouponsCall;
  Redeemed, Again: TCkVerifyCouponsResult;
  Resolved: TCkResolveVerifyResult;
begin
  Result := False;
  { make demo-delphi starts the sandbox with -reply-bizid own: the reply's bizId is never the one sent. }
  Own := Pos('-reply-bizid own', GetEnvironmentVariable('SANDBOX_FLAGS')) > 0;
  try
    OP.Code := Copy(Qr, Pos('code=', Qr) + 5, MaxInt);
    Found := S.OffCoupon(OP);
    Expect((Found.Id = Coupon) and (Found.CouponStatusName = 'unused'), 'lookup by code');
    WriteLn('scanned ', OP.Code, ': coupon ', Found.Id, ' ', Found.Coupon.Title, ', ', Found.Coupon.FaceValue,
      ' yuan off from ', Found.Coupon.MinAmountUse, ', ', Found.CouponStatusName);
    VP.BizId := 'POS02-LC-' + FormatDateTime('yyyymmddhhnnsszzz', Now);
    VP.CustomerId := Member;
    SetLength(VP.CouponsCardList, 1);
    VP.CouponsCardList[0] := Coupon;
    VP.Amount := '500';
    VP.OrderAmount := '2800';
    Redeemed := S.VerifyCoupons(VP);
    if Own then
      Expect((Redeemed.BizId <> VP.BizId) and (Length(Redeemed.BizId) = 18), 'the sandbox''s own bizId')
    else
      Expect(Redeemed.BizId = VP.BizId, 'the bizId sent, echoed');
    Expect(UseStatus(S, Coupon) = '1', 'useStatus 1 after the verify');
    WriteLn('redeemed under bizId ', VP.BizId, '; the reply''s bizId ', Redeemed.BizId, '; useStatus 1');
    if Own then
    begin
      Expect(TryReverse(S, VP.BizId, Coupon) = '40022', 'the bizId sent does not reverse');
      WriteLn('reversal with the bizId sent refused: 40022');
    end;
    Expect(TryReverse(S, '700000000000999999', Coupon) = '40020', 'an unknown bizId does not reverse');
    Expect(TryReverse(S, Redeemed.BizId, Coupon) = '', 'the returned bizId reverses');
    Expect(UseStatus(S, Coupon) = '0', 'useStatus 0 after the reversal');
    WriteLn('reversed ', Redeemed.BizId, ': coupon ', Coupon, ' unused again (useStatus 0)');
    Expect(TryReverse(S, Redeemed.BizId, Coupon) = '40021', 'a second reversal is refused');
    VP.BizId := VP.BizId + '-2';
    Again := S.VerifyCoupons(VP);
    Expect(UseStatus(S, Coupon) = '1', 'verified again');
    WriteLn('redeemed again under a new bizId, the reply''s ', Again.BizId);

    { A redemption whose reply was lost (the sandbox commits, then drops the connection). }
    Expect(TryReverse(S, Again.BizId, Coupon) = '', 'the second redemption reverses');
    VP.BizId := VP.BizId + '-lost';
    Lost.Params := VP;
    SetLength(Lost.Headers, 1);
    Lost.Headers[0].Name := 'X-Sandbox-Fault';
    Lost.Headers[0].Value := 'drop';
    try
      S.VerifyCoupons(Lost);
      Expect(False, 'the dropped verify succeeded');
    except
      on E: ECouponKitError do
      begin
        Expect(E.Code = ckTransportError, 'the dropped verify is a TRANSPORT_ERROR');
        WriteLn('verify ', VP.BizId, ': ', E.Code, ' (', E.Reason, '): outcome unknown');
      end;
    end;
    Resolved := S.ResolveVerify(VP);
    Expect((Resolved.Outcome = 'verified') and Resolved.Repeated and (Resolved.Coupons[0].Status = '1') and
      (Resolved.BizId = Resolved.Verify.BizId), 'resolveVerify finds it verified');
    WriteLn('resolveVerify: ', Resolved.Outcome, ' (', Resolved.Reason, '), reverse with bizId ', Resolved.BizId);
    Result := True;
  except
    on E: Exception do WriteLn(E.Message);
  end;
end;

{ Allinpay: a stored-value coupon looked up (couponQuery) and redeemed
  (couponConsume); the redemption repeated with the same orderId answers the
  first result. False when a step went wrong. }
function AllinpayLifecycle(S: TCouponKitSession): Boolean;
var
  SP: TCkCouponSendParams;
  QP: TCkCouponQueryParams;
  CP: TCkCouponConsumeParams;
  Found: TCkCouponQueryResult;
  Redeemed, Again: TCkCouponConsumeResult;
  Coupon: TCkText;
begin
  Result := False;
  try
    SP.ShopId := '1'; SP.OperUserId := 'cashier02'; SP.CouponType := '1'; SP.Num := '1';
    SP.CouponTemplateId := '953'; SP.IdType := '1'; SP.MemberId := '13800138000';
    SP.OrderId := 'POS02-AP-' + FormatDateTime('yyyymmddhhnnsszzz', Now);
    Coupon := S.CouponSend(SP).List[0].CouponNo;
    QP.CouponNo := Coupon;
    Found := S.CouponQuery(QP);
    Expect((Found.CouponNo = Coupon) and (Found.Balance = '1.00') and (Found.VerifiedBy = 'sdk+md5') and
      (Length(Found.KeyFingerprint) = 64), 'couponQuery: balance 1.00, verified as sdk+md5');
    WriteLn('Allinpay couponQuery ', Coupon, ': ', Found.CouponName, ', balance ', Found.Balance, ' of ',
      Found.InitAmount, ' yuan, verifiedBy ', Found.VerifiedBy);
    CP.ShopId := '1'; CP.OperUserId := 'cashier02';
    CP.OrderId := 'POS02-APC-' + FormatDateTime('yyyymmddhhnnsszzz', Now);
    SetLength(CP.CouponConsumeList, 1);
    CP.CouponConsumeList[0].CouponNo := Coupon;
    CP.CouponConsumeList[0].ConsumeAmount := '1';
    Redeemed := S.CouponConsume(CP);
    Expect((Redeemed.CouponConsumeDetail[0].CouponNo = Coupon) and
      (Redeemed.CouponConsumeDetail[0].FinanceList[0].AccountValue = '1.00'), 'couponConsume redeems it');
    Again := S.CouponConsume(CP);
    Expect(Again.TranNo = Redeemed.TranNo, 'the repeated orderId answers the first result');
    Expect(S.CouponQuery(QP).Balance = '0.00', 'balance 0.00 after');
    WriteLn('couponConsume orderId ', CP.OrderId, ': tranNo ', Redeemed.TranNo, '; repeated: tranNo ', Again.TranNo,
      ' (redeemed once); balance 0.00');
    Result := True;
  except
    on E: Exception do WriteLn('FAIL: ', E.Message);
  end;
end;

{ The flow against the sandbox at Url; False when a step went wrong. }
function Online(const Url: string): Boolean;
var
  Zv: TCkZvcmsCredentials;
  Ap: TCkAllinpayKeys;
  S: TCouponKitSession;
  DP: TCkCouponDiscountParams;
  VP: TCkVerifyCouponsParams;
  SP: TCkCouponSendParams;
  Priced: TCkCouponDiscountResult;
  Redeemed: TCkVerifyCouponsResult;
  Sent: TCkCouponSendResult;
begin
  Result := False;
  WriteLn('== online, sandbox ', Url);
  Zv.OpenId := '6dc05b4ac175cf316d226252b05cf685';
  Zv.GrantCode := '782c281f62';
  Zv.OpenKey := 'sandbox-open-key-TEST-ONLY';
  Zv.BaseUrl := Url + '/api/v2';
  { The sandbox's own reversal Action; the vendor's v2 name is not public:
    set the one of the merchant's contract. }
  Zv.ReversalAction := 'sandbox.coupons-reverse';
  Ap.AppId := 'sandbox-app-0001';
  Ap.GatewayUrl := Url + '/allinpay/gateway';
  Ap.PrivateKey := ReadUtf8('testdata/allinpay/rsa2048_pkcs8.pem');
  SetLength(Ap.PlatformPublicKey, 1);
  Ap.PlatformPublicKey[0] := ReadUtf8('testdata/sandbox/platform_rsa2048_pub_spki.pem');
  S := TCouponKitSession.Create(Zv, Ap);
  try
    DP.UserCouponId := '390962138708451328';
    DP.UserId := '383933091455959041';
    SetLength(DP.Items, 2);
    DP.Items[0].TradeMark := '6901234567001'; DP.Items[0].Num := '2'; DP.Items[0].Price := '12.50';
    DP.Items[1].TradeMark := '6901234567002'; DP.Items[1].Num := '1'; DP.Items[1].Price := '3';
    Priced := S.CouponDiscount(DP);
    WriteLn('sandbox priced coupon ', DP.UserCouponId, ': -', Priced.CouponDiscountYuan, ' yuan');
    VP.BizId := 'POS02-' + FormatDateTime('yyyymmddhhnnsszzz', Now);
    VP.CustomerId := DP.UserId;
    SetLength(VP.CouponsCardList, 1);
    VP.CouponsCardList[0] := DP.UserCouponId;
    VP.Amount := Priced.CouponDiscountFen;
    VP.OrderAmount := '2800';
    Redeemed := S.VerifyCoupons(VP);
    WriteLn('redeemed ', VP.CouponsCardList[0], ' for ', Redeemed.UserInfo.Username, '; reversal bizId ', Redeemed.BizId);
    try
      VP.BizId := VP.BizId + '-again';
      S.VerifyCoupons(VP);
      WriteLn('FAIL: a used coupon was redeemed twice');
      Exit;
    except
      on E: ECouponKitError do
      begin
        if E.Code <> ckApiError then
        begin
          WriteLn('FAIL: ', E.Message);
          Exit;
        end;
        WriteLn('second redemption refused, cashier sees: ', E.VendorMessage);
      end;
    end;
    SP.ShopId := '1'; SP.OperUserId := 'cashier02'; SP.CouponType := '1'; SP.Num := '1';
    SP.CouponTemplateId := '307'; SP.IdType := '1'; SP.MemberId := '13800138000';
    SP.OrderId := 'POS02-SEND-' + FormatDateTime('yyyymmddhhnnsszzz', Now);
    Sent := S.CouponSend(SP);
    WriteLn('Allinpay issued ', Length(Sent.List), ' x ', Sent.List[0].CouponName,
      ' (verified signature: ', Sent.Verified, '), tranNo ', Sent.TranNo);
    Result := Sent.Verified and (Length(Sent.List) = 1) and
      Lifecycle(S, Sent.List[0].CouponNo, Sent.List[0].QrCodeContext) and AllinpayLifecycle(S);
  finally
    S.Free;
  end;
end;

var
  Zv: TCkZvcmsCredentials;
  NoKeys: TCkAllinpayKeys;
  Session: TCouponKitSession;
  Basket: TCkQuoteRequest;
  Quote: TCkQuoteResult;
  DP: TCkCouponDiscountParams;
  VP: TCkVerifyCouponsParams;
  Req: TCkZvcmsRequest;
  Priced: TCkCouponDiscountResult;
  Verified: TCkVerifyCouponsResult;
  I: Integer;
  Note: TCkText;
begin
  WriteLn('couponkit ', CkVersion, ' (Delphi)');
  Zv.OpenId := '6dc05b4ac175cf316d226252b05cf685';
  Zv.GrantCode := '782c281f62';
  Zv.OpenKey := 'demo-open-key';
  Zv.BaseUrl := '';
  NoKeys.AppId := ''; { no Allinpay keys }
  Session := TCouponKitSession.Create(Zv, NoKeys);
  try
    { 2. The basket and the coupons the customer shows. }
    SetLength(Basket.Lines, 3);
    Basket.Lines[0].Id := '201909280011111'; Basket.Lines[0].Quantity := '2'; Basket.Lines[0].UnitPriceYuan := '28.00'; { latte }
    Basket.Lines[1].Id := '201909280011112'; Basket.Lines[1].Quantity := '1'; Basket.Lines[1].UnitPriceYuan := '16.50'; { croissant }
    Basket.Lines[2].Id := '201909280011113'; Basket.Lines[2].Quantity := '1'; Basket.Lines[2].UnitPriceYuan := '3.00';  { water }
    SetLength(Basket.Coupons, 2);
    Basket.Coupons[0].Id := 'full50-10'; Basket.Coupons[0].Kind := 'fixed';
    Basket.Coupons[0].ValueYuan := '10'; Basket.Coupons[0].ThresholdYuan := '50';
    Basket.Coupons[1].Id := 'coffee-8.5'; Basket.Coupons[1].Kind := 'rate'; Basket.Coupons[1].Rate := '8.5';
    SetLength(Basket.Coupons[1].Include, 1);
    Basket.Coupons[1].Include[0] := '201909280011111';
    Quote := CkQuote(Basket);
    WriteLn('basket ', Quote.AmountYuan, ' yuan, coupons -', Quote.DiscountYuan, ', to pay ', Quote.PayableYuan);
    for I := 0 to High(Quote.Coupons) do
    begin
      if Quote.Coupons[I].Applied then Note := '' else Note := ' (' + Quote.Coupons[I].Reason + ')';
      WriteLn('  coupon ', Quote.Coupons[I].Id, ': -', Quote.Coupons[I].DiscountYuan, Note);
    end;
    for I := 0 to High(Quote.Lines) do
      WriteLn('  line ', Quote.Lines[I].Id, ': ', Quote.Lines[I].AmountYuan, ' - ', Quote.Lines[I].DiscountYuan,
        ' = ', Quote.Lines[I].PayableYuan);

    { 3. The vendor's own price for a coupon, then the redemption. }
    DP.UserCouponId := '390913439370321921';
    DP.UserId := '383933091455959041';
    DP.MultiMark := 'aEtGbNNVQ3m1YStlySDB0Q';
    DP.CouponId := '953';
    DP.TypeCate := '1';
    SetLength(DP.Items, Length(Basket.Lines));
    for I := 0 to High(Basket.Lines) do
    begin
      DP.Items[I].TradeMark := Basket.Lines[I].Id;
      DP.Items[I].Num := Basket.Lines[I].Quantity;
      DP.Items[I].Price := Basket.Lines[I].UnitPriceYuan;
    end;
    Req := Session.CouponDiscountRequest(DP);
    WriteLn('POST ', Req.Url, ' (', Req.ContentType, '): action ', Req.Action);
    Priced := CkParseCouponDiscountResponse(ReadUtf8('testdata/zvcms/seed001_response.json'));
    WriteLn('vendor priced ', Priced.UserCouponName, ': -', Priced.CouponDiscountYuan, ' yuan (',
      Priced.CouponDiscountFen, ' fen)');

    VP.BizId := 'POS01-20260101-0001';
    VP.CustomerId := '383933091455959041';
    SetLength(VP.CouponsCardList, 1);
    VP.CouponsCardList[0] := '390962138708451328';
    VP.Amount := Quote.DiscountFen;
    VP.OrderAmount := Quote.AmountFen;
    VP.Ext.ChannelType := '3';
    VP.Ext.MultiStoreMark := 'aEtGbNNVQ3m1YStlySDB0Q';
    VP.Ext.OrderNo := 'POS01-0001';
    Req := Session.VerifyCouponsRequest(VP);
    WriteLn('POST ', Req.Url, ': ', Req.Body);

    { 4. The reply: keep its bizId for a reversal. }
    Verified := CkParseVerifyCouponsResponse(ReadUtf8('testdata/zvcms/seed000_response.json'));
    WriteLn('redeemed ', Verified.CardIdList[0], '; reversal bizId ', Verified.BizId);

    { 5. A vendor error: show VendorMessage to the cashier, log the rest. }
    try
      CkParseVerifyCouponsResponse(ReadUtf8('testdata/zvcms/seed000_error_business.json'));
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
  if GetEnvironmentVariable('SANDBOX_URL') <> '' then
    if not Online(GetEnvironmentVariable('SANDBOX_URL')) then Halt(1);
end.
