{ CouponKitTests: tests of CouponKit.pas against the real library, compiled
  with Free Pascal in Delphi mode (fpc -Mdelphi) and run by `make
  test-delphi` from the repository root in a UTF-8 locale. Prints one line
  per failure and a closing "N passed, N failed"; exit code 1 on failure. }
program CouponKitTests;

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
  SysUtils, Classes, SyncObjs, CouponKit;

const
  OpenId = '6dc05b4ac175cf316d226252b05cf685';
  GrantCode = '782c281f62';
  OpenKey = 'test-open-key';
  CouponId = '390962138708451328';
  CustomerId = '383933091455959041';
  Stamp = '1547186244';
  StampNonce = '658965';
  { The token for OpenId, GrantCode, OpenKey and this stamp, computed
    independently with openssl:
      printf 'grantCode=782c281f62&nonce=658965&openId=6dc05b4ac175cf316d226252b05cf685&timestamp=1547186244' |
        openssl dgst -sha1 -hmac test-open-key -binary | base64    (then URL-encoded) }
  StampToken = 'sVBA7k7%2B4LzSP4Wi8pySv56CYkM%3D';

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

procedure Eq(const What, Want, Got: string);
begin
  Check(Want = Got, What + ': want [' + Want + '], got [' + Got + ']');
end;

function Fixture(const Path: string): string;
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

function Zv: TCkZvcmsCredentials;
begin
  Finalize(Result);
  FillChar(Result, SizeOf(Result), 0);
  Result.OpenId := OpenId;
  Result.GrantCode := GrantCode;
  Result.OpenKey := OpenKey;
  Result.BaseUrl := '';
end;

function NoZv: TCkZvcmsCredentials;
begin
  Finalize(Result);
  FillChar(Result, SizeOf(Result), 0);
end;

function Ap: TCkAllinpayKeys;
begin
  Finalize(Result);
  FillChar(Result, SizeOf(Result), 0);
  Result.AppId := 'test-app-0001';
  Result.PrivateKey := Fixture('testdata/allinpay/rsa2048_pkcs8.pem');
  SetLength(Result.PlatformPublicKey, 1);
  Result.PlatformPublicKey[0] := Fixture('testdata/sandbox/platform_rsa2048_pub_spki.pem');
  Result.SignType := '';
  Result.GatewayUrl := 'http://127.0.0.1:9/gateway';
  Result.VerifyMode := '';
end;

function NoAp: TCkAllinpayKeys;
begin
  Finalize(Result);
  FillChar(Result, SizeOf(Result), 0);
end;

function Verify(const BizId: string): TCkVerifyCouponsParams;
begin
  Finalize(Result);
  FillChar(Result, SizeOf(Result), 0);
  Result.BizId := BizId;
  Result.CustomerId := CustomerId;
  SetLength(Result.CouponsCardList, 1);
  Result.CouponsCardList[0] := CouponId;
  Result.Amount := '500';
  Result.OrderAmount := '2600';
  Result.Ext.ChannelType := '3';
  Result.Ext.MultiStoreMark := 'aEtGbNNVQ3m1YStlySDB0Q';
end;

{ The member at Path of the JSON text Json, every character kept. }
function JW(const Json: TCkText; const Path: string): TCkText;
var
  J: TCkJson;
begin
  J := TCkJson.Parse(CkToUtf8(Json));
  try
    Result := J.W(Path);
  finally
    J.Free;
  end;
end;

{ The member at Path of the JSON text Json, as text. }
function JS(const Json, Path: string): string;
var
  J: TCkJson;
begin
  J := TCkJson.Parse(CkToUtf8(Json));
  try
    Result := J.S(Path);
  finally
    J.Free;
  end;
end;

type
  TProc = procedure;

procedure Run(const Name: string; P: TProc);
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

{ Expects an ECouponKitError from the last call: use as
  try ...; NoError(What) except on E: ECouponKitError do ErrorIs(...) end. }
procedure NoError(const What: string);
begin
  Inc(Failed);
  WriteLn('FAIL: ', What, ': no error raised');
end;

procedure ErrorIs(E: ECouponKitError; const What, Code, Field: string);
begin
  Eq(What + ' code', Code, E.Code);
  if Field <> '' then Eq(What + ' field', Field, E.Field);
  Check(Pos(Code, E.Message) = 1, What + ': message starts with the code: ' + E.Message);
end;

{ ---- tests ---- }

function Nested(N: Integer): TCkRaw;
begin
  Result := StringOfChar('[', N);
end;

procedure TestJsonReader;
var
  J: TCkJson;
  X: TCkWide;
  Strs: TCkStrings;
  Hs: TCkHeaders;
{$IFNDEF UNICODE}{$IFDEF FPC}
  Want: TCkWide;
  T: string;
  I: Integer;
  Cp: TSystemCodePage;
{$ENDIF}{$ENDIF}
begin
  J := TCkJson.Parse(CkToUtf8('{"a":[1,{"b":"x\u4e2d\"y\ud83d\ude00"}],"c":null,"d":"中文","e":390962138708451328,"f":true}'));
  try
    { W: every character (S raises where string cannot hold the emoji; Win32Tests) }
    Check(J.W('a[1].b') = TCkWide('x中"y😀'), 'escapes and surrogate pair');
    Eq('utf-8 text', '中文', J.S('d'));
    Eq('18-digit number kept as text', '390962138708451328', J.S('e'));
    Eq('null', '', J.S('c'));
    Eq('bool', 'true', J.S('f'));
    Eq('raw array text', '[1,{"b":"x\u4e2d\"y\ud83d\ude00"}]', J.Path('a').JsonText);
    Check(J.Path('a[5]') = nil, 'missing index');
    Check(J.Path('zz.y') = nil, 'missing member');
  finally
    J.Free;
  end;
{$IFNDEF UNICODE}{$IFDEF FPC}
  { Delphi 7 on a Western Windows (here an ASCII code page): JsonText writes
    what string cannot hold as escapes, a text of 100,000 of them too }
  Cp := DefaultSystemCodePage;
  DefaultSystemCodePage := 20127;
  SetLength(X, 100000);
  SetLength(Want, 6 * Length(X));
  for I := 1 to Length(X) do
  begin
    X[I] := WideChar($4E2D);
    Move(PWideChar(TCkWide('\u4e2d'))^, Want[6 * I - 5], 12);
  end;
  J := TCkJson.Parse(CkToUtf8('{"a":"x' + X + TCkWide('y😀"}')));
  try
    T := J.JsonText;
    Check(T = '{"a":"x' + string(Want) + 'y\ud83d\ude00"}', 'JsonText escapes in an ASCII code page: ' + Copy(T, 1, 40));
  finally
    J.Free;
    DefaultSystemCodePage := Cp;
  end;
{$ENDIF}{$ENDIF}
  { the joins (one allocation each) and the list and header codecs }
  Check(CkJoin(['', 'x', '', 'yz'], '[', ']') = '[x,yz]', 'CkJoin leaves the empty parts out');
  Check(CkJoin(['', ''], '[', ']') = '', 'CkJoin of none');
  Check(CkObject(['']) = '{}', 'CkObject of none');
  SetLength(Strs, 2); Strs[0] := 'a'; Strs[1] := '中"';
  Check(CkWriteStrings(Strs) = TCkWide('["a","中\""]'), 'CkWriteStrings');
  Check(CkWriteStrings(nil) = '', 'CkWriteStrings of none');
  SetLength(Hs, 3);
  Hs[0].Name := 'A'; Hs[0].Value := '1'; Hs[1].Name := 'B'; Hs[1].Value := '2'; Hs[2].Name := 'A'; Hs[2].Value := '3';
  Check(CkWriteHeaders(Hs) = '{"A":["1","3"],"B":["2"]}', 'CkWriteHeaders groups a name''s values');
  Check(CkWriteHeaders(nil) = '', 'CkWriteHeaders of none');
  J := TCkJson.Parse(CkToUtf8('{"A":["1","3"],"B":"2","C":[]}'));
  try
    Hs := CkReadHeaders(J);
    Check((Length(Hs) = 3) and (Hs[0].Name = 'A') and (Hs[0].Value = '1') and (Hs[1].Name = 'A') and
      (Hs[1].Value = '3') and (Hs[2].Name = 'B') and (Hs[2].Value = '2'), 'CkReadHeaders: a field per value');
  finally
    J.Free;
  end;
  { the writer: each escape class, sized exactly (no slack after the quote) }
  X := TCkWide('a"b\c') + #10#13#9#1#31#127 + TCkWide('中😀');
  Check(CkJsonString(X) = TCkWide('"a\"b\\c\n\r\t\u0001\u001f') + #127 + TCkWide('中😀"'), 'CkJsonString escapes');
  Check(CkJsonString('') = '""', 'CkJsonString empty');
  J := TCkJson.Parse(CkToUtf8('{"v":' + CkJsonString(X) + '}'));
  try
    Check(J.W('v') = X, 'CkJsonString read back');
  finally
    J.Free;
  end;
  try
    TCkJson.Parse('{"a":').Free;
    NoError('truncated JSON');
  except
    on E: ECouponKitError do Eq('truncated JSON', ckResponseInvalid, E.Code);
  end;
  { nesting: CkMaxDepth levels read; one more, or a million, an error (not a
    stack overflow) }
  J := TCkJson.Parse(Nested(CkMaxDepth - 2) + '{"k":[]}' + StringOfChar(']', CkMaxDepth - 2));
  try
    Check(J.Path('[0]') <> nil, 'CkMaxDepth levels read');
  finally
    J.Free;
  end;
  try
    TCkJson.Parse(Nested(CkMaxDepth - 1) + '{"k":[]}' + StringOfChar(']', CkMaxDepth - 1));
    NoError('one level too deep');
  except
    on E: ECouponKitError do
    begin
      ErrorIs(E, 'one level too deep', ckResponseInvalid, '');
      Check(Pos('nested more than 256 levels', E.Message) > 0, 'one level too deep: ' + E.Message);
    end;
  end;
  try
    TCkJson.Parse(Nested(1000000));
    NoError('a million levels');
  except
    on E: ECouponKitError do Check(Pos('nested more than 256 levels', E.Message) > 0, 'a million levels: ' + E.Message);
  end;
end;

procedure TestVersion;
begin
  Check(Length(CkVersion) >= 5, 'version: ' + CkVersion);
  Eq('version method', CkVersion, JS(CkInvoke('version', '{}'), 'version'));
end;

procedure TestVerifyRequest;
var
  S: TCouponKitSession;
  R, R2: TCkZvcmsRequest;
begin
  S := TCouponKitSession.Create(Zv, NoAp);
  try
    R := S.VerifyCouponsRequest(Verify('POS-0001'), Stamp, StampNonce);
    Eq('url', 'http://openapi.zvcms.com/api/v2', R.Url);
    Eq('action', 'communal.user.coupons-vertify', R.Action);
    Eq('timestamp', Stamp, R.Timestamp);
    Eq('token (openssl HMAC-SHA1)', StampToken, R.Token);
    Eq('body Token', R.Token, JS(R.Body, 'Token'));
    Eq('couponsCardList[0] as text', CouponId, JS(R.Body, 'Params.couponsCardList[0]'));
    Eq('customerId', CustomerId, JS(R.Body, 'Params.customerId'));
    Eq('ext.channelType', '3', JS(R.Body, 'Params.ext.channelType'));
    Eq('amount', '500', JS(R.Body, 'Params.amount'));
    { the token depends only on the credentials and the stamp }
    R2 := S.VerifyCouponsRequest(Verify('POS-0002'), Stamp, StampNonce);
    Eq('same stamp, same token', R.Token, R2.Token);
    R2 := S.VerifyCouponsRequest(Verify('POS-0003'));
    Check((Length(R2.Timestamp) = 10) and (R2.Nonce <> ''), 'default stamp');
  finally
    S.Free;
  end;
end;

procedure TestDiscountRequest;
var
  S: TCouponKitSession;
  P: TCkCouponDiscountParams;
  R: TCkZvcmsRequest;
begin
  FillChar(P, SizeOf(P), 0);
  P.UserCouponId := '390913439370321921';
  P.UserId := CustomerId;
  P.MultiMark := 'aEtGbNNVQ3m1YStlySDB0Q';
  P.CouponId := '953';
  P.TypeCate := '1';
  SetLength(P.Items, 2);
  P.Items[0].Num := '1'; P.Items[0].TradeMark := '201909280011111'; P.Items[0].Price := '12.50';
  P.Items[1].Num := '2'; P.Items[1].TradeMark := '201909280011112'; P.Items[1].Price := '3';
  S := TCouponKitSession.Create(Zv, NoAp);
  try
    R := S.CouponDiscountRequest(P, Stamp, StampNonce);
    Eq('action', 'user.user-by-coupon', R.Action);
    Eq('user_coupon_id', '390913439370321921', JS(R.Body, 'Params.user_coupon_id'));
    Eq('items[0].price', '12.50', JS(R.Body, 'Params.items[0].price'));
    Eq('items[1].trade_mark', '201909280011112', JS(R.Body, 'Params.items[1].trade_mark'));
  finally
    S.Free;
  end;
end;

procedure TestCouponSendRequest;
var
  S: TCouponKitSession;
  P: TCkCouponSendParams;
  R: TCkAllinpayRequest;
begin
  FillChar(P, SizeOf(P), 0);
  P.ShopId := '1'; P.OperUserId := '收银员01'; P.CouponType := '1'; P.Num := '10';
  P.CouponTemplateId := '307'; P.OrderId := 'POS-0001';
  S := TCouponKitSession.Create(NoZv, Ap);
  try
    R := S.CouponSendRequest(P, '2020-04-10 16:03:49');
    Eq('url', 'http://127.0.0.1:9/gateway', R.Url);
    Check(Pos('appId=test-app-0001&bizContent={', R.SignContent) = 1, 'sign content: ' + R.SignContent);
    Check(Pos(TCkText('"operUserId":"收银员01"'), R.SignContent) > 0, 'Chinese in the signed bizContent');
    Check(Pos('timestamp=2020-04-10 16:03:49', R.SignContent) > 0, 'timestamp signed');
    Eq('RSA2048 signature Base64 length', '344', IntToStr(Length(R.Sign)));
  finally
    S.Free;
  end;
end;

{ Keyless mode (docs/keyless.md): the back office (a session with the keys)
  issues a zvcms stamp and signs an Allinpay sign content; a keyless session
  (a page's) builds the requests with them, byte for byte the keyed ones. }
procedure TestKeyless;
var
  Office, Page: TCouponKitSession;
  PageZv: TCkZvcmsCredentials;
  PageAp: TCkAllinpayKeys;
  TR: TCkZvcmsTokenRequest;
  St: TCkZvcmsIssuedStamp;
  VB: TCkVerifyCouponsBuild;
  Keyed, Stamped: TCkZvcmsRequest;
  P: TCkCouponSendParams;
  Unsigned, Signed, Attached: TCkAllinpayRequest;
  SR: TCkAllinpaySignRequest;
  Sig: TCkAllinpaySignResult;
  AR: TCkAttachSignRequest;
begin
  PageZv := Zv;
  PageZv.OpenKey := '';
  PageAp := Ap;
  PageAp.PrivateKey := '';
  Office := TCouponKitSession.Create(Zv, Ap);
  Page := TCouponKitSession.Create(PageZv, PageAp);
  try
    Finalize(TR);
    FillChar(TR, SizeOf(TR), 0);
    TR.Timestamp := Stamp;
    TR.Nonce := StampNonce;
    St := Office.Stamp(TR);
    Eq('stamp token (openssl HMAC-SHA1)', StampToken, St.Token);
    Eq('stamp nonce', StampNonce, St.Nonce);
    Keyed := Office.VerifyCouponsRequest(Verify('POS-0001'), Stamp, StampNonce);
    Finalize(VB);
    FillChar(VB, SizeOf(VB), 0);
    VB.Params := Verify('POS-0001');
    VB.Stamp := St;
    Stamped := Page.VerifyCouponsRequest(VB);
    Check(Stamped.Body = Keyed.Body, 'stamped body = keyed body: ' + Stamped.Body);
    try
      Page.VerifyCouponsRequest(Verify('POS-0001'));
      NoError('keyless without a stamp');
    except
      on E: ECouponKitError do ErrorIs(E, 'keyless without a stamp', 'INVALID_ARGUMENT', 'stamp');
    end;

    FillChar(P, SizeOf(P), 0);
    P.ShopId := '1'; P.OperUserId := '收银员01'; P.CouponType := '1'; P.Num := '10';
    P.CouponTemplateId := '307'; P.OrderId := 'POS-0001';
    Unsigned := Page.CouponSendRequest(P, '2020-04-10 16:03:49');
    Check(Unsigned.Unsigned and (Unsigned.Body = '') and (Unsigned.Sign = ''), 'keyless couponSend is unsigned');
    Signed := Office.CouponSendRequest(P, '2020-04-10 16:03:49');
    Check(Unsigned.SignContent = Signed.SignContent, 'same sign content');
    Finalize(SR);
    FillChar(SR, SizeOf(SR), 0);
    SR.SignContent := Unsigned.SignContent;
    Sig := Office.Sign(SR);
    Eq('back-office sign', Signed.Sign, Sig.Sign);
    Finalize(AR);
    FillChar(AR, SizeOf(AR), 0);
    AR.Params := Unsigned.Params;
    AR.Sign := Sig.Sign;
    Attached := Page.AttachSign(AR);
    Check(Attached.Body = Signed.Body, 'attached body = signed body');
    Check(not Attached.Unsigned, 'attached is signed');
    try
      Page.Sign(SR);
      NoError('allinpay.sign keyless');
    except
      on E: ECouponKitError do ErrorIs(E, 'allinpay.sign keyless', 'KEY_ERROR', 'allinpay.privateKey');
    end;
  finally
    Page.Free;
    Office.Free;
  end;
end;

procedure TestReplies;
var
  V: TCkVerifyCouponsResult;
  D: TCkCouponDiscountResult;
  I: Integer;
  Sum: Int64;
begin
  V := CkParseVerifyCouponsResponse(Fixture('testdata/zvcms/seed000_response.json'));
  Check(V.Status, 'status');
  Eq('bizId', 'paywewre121', V.BizId);
  Eq('cardIds', CouponId, V.CardIdList[0]);
  Eq('message', '说明', V.Message);
  V := CkParseVerifyCouponsResponse(Fixture('testdata/zvcms/verify_response_lenient.json'));
  Eq('bizId above 2^53', '9007199254740993', V.BizId);
  Eq('cardIds[1]', '390962138708451329', V.CardIdList[1]);
  Eq('username', '张三', V.UserInfo.Username);
  Eq('customer_id', CustomerId, V.UserInfo.CustomerId);
  D := CkParseCouponDiscountResponse(Fixture('testdata/zvcms/seed001_response.json'));
  Eq('user_coupon_name', '测试优惠券', D.UserCouponName);
  Eq('coupon_discount', '1.00', D.CouponDiscountYuan);
  D := CkParseCouponDiscountResponse(Fixture('testdata/zvcms/discount_response_rate.json'));
  Eq('rate discount', '3.30', D.CouponDiscountYuan);
  Eq('finance_payment_fen', '1870', D.FinancePaymentFen);
  Sum := 0;
  for I := 0 to High(D.GoodsItems) do Sum := Sum + StrToInt64(D.GoodsItems[I].CouponMinusFen);
  Eq('shares add up', D.CouponDiscountFen, IntToStr(Sum));
  Eq('share 2', '0.20', D.GoodsItems[1].CouponMinusYuan);
end;

procedure TestLifecycle;
var
  Z: TCkZvcmsCredentials;
  S: TCouponKitSession;
  SP: TCkCouponStatusParams;
  OP: TCkOffCouponParams;
  CP: TCkConsumeParams;
  RP: TCkReverseParams;
  R: TCkZvcmsRequest;
  St: TCkCouponStatusResult;
  Off: TCkOffCouponResult;
  Con: TCkConsumeResult;
  Rev: TCkReverseResult;
begin
  Z := Zv;
  Z.ReversalAction := 'merchant.coupons-reverse';
  S := TCouponKitSession.Create(Z, NoAp);
  try
    SP.CustomerId := CustomerId; SP.CardId := CouponId; SP.UseStatus := '0';
    R := S.CouponStatusRequest(SP, Stamp, StampNonce);
    Eq('status action', 'user.coupon-new-status', R.Action);
    Eq('status token (openssl HMAC-SHA1)', StampToken, R.Token);
    Check(R.Idempotent, 'a status query is idempotent');
    Eq('status useStatus 0 sent', '0', JS(R.Body, 'Params.useStatus'));
    OP.Code := '20191202089026199489';
    R := S.OffCouponRequest(OP);
    Eq('off-coupon code', '20191202089026199489', JS(R.Body, 'Params.code'));
    CP.BizId := 'POS-0001'; CP.CustomerId := CustomerId; CP.AmountFen := '1250'; CP.PayPassword := '123456';
    SetLength(CP.CouponsCardList, 1); CP.CouponsCardList[0] := CouponId;
    R := S.ConsumeRequest(CP);
    Check(not R.Idempotent, 'a consumption is not idempotent');
    Eq('consume amount: fen sent as yuan', '12.50', JS(R.Body, 'Params.amount'));
    RP.BizId := '700000000000000001'; RP.Extra := '{"reason":"整单撤销"}';
    R := S.ReverseRequest(RP);
    Eq('reversal action from the credentials', 'merchant.coupons-reverse', R.Action);
    Eq('reversal extra param', '整单撤销', JS(R.Body, 'Params.reason'));
    try
      CP.AmountFen := '12.50';
      S.ConsumeRequest(CP);
      NoError('yuan where fen go');
    except
      on E: ECouponKitError do
      begin
        ErrorIs(E, 'yuan where fen go', ckInvalidArgument, 'params.amountFen');
        Check(Pos('123456', E.Message) = 0, 'the password is never quoted');
      end;
    end;
    try
      RP.Extra := '{"bizId":"c"}';
      S.ReverseRequest(RP);
      NoError('extra repeating bizId');
    except
      on E: ECouponKitError do ErrorIs(E, 'extra repeating bizId', ckInvalidArgument, 'params.extra.bizId');
    end;
  finally
    S.Free;
  end;
  S := TCouponKitSession.Create(Zv, NoAp);
  try
    try
      RP.Extra := '';
      S.ReverseRequest(RP);
      NoError('no reversal action');
    except
      on E: ECouponKitError do ErrorIs(E, 'no reversal action', ckInvalidArgument, 'zvcms.reversalAction');
    end;
  finally
    S.Free;
  end;
  St := CkParseCouponStatusResponse(Fixture('testdata/zvcms/status_response_list.json'));
  Check(Length(St.Coupons) >= 2, 'status list');
  Eq('status list: verified', 'verified', St.Coupons[0].UseStatusName);
  Eq('status list: unknown members kept', '{"verifyStoreMark":"SH-01"}', St.Coupons[0].Unknown);
  Off := CkParseOffCouponResponse(Fixture('testdata/zvcms/offcoupon_response.json'));
  Eq('off-coupon verify code, 20 digits', '20191202089026199489', Off.VerifyCode);
  Eq('off-coupon face value', '5.00', Off.Coupon.FaceValue);
  Eq('off-coupon state', 'unused', Off.CouponStatusName);
  Eq('detail order amount (fen)', '2650', CkParseCouponDetailResponse(Fixture('testdata/zvcms/detail_response_lenient.json')).OrderAmountFen);
  Con := CkParseConsumeResponse(Fixture('testdata/zvcms/consume_response.json'));
  Eq('consume bizId', 'paywewre121', Con.BizId);
  Rev := CkParseReverseResponse('{"status":"true","code":"0","data":{"bizId":"7001","cardIdList":"[' + CouponId + ']"}}');
  Eq('reversal coupons', CouponId, Rev.CardIdList[0]);
  try
    CkParseReverseResponse('{"status":true,"code":"40021","message":"该业务已冲正"}');
    NoError('a second reversal');
  except
    on E: ECouponKitError do
    begin
      ErrorIs(E, 'a second reversal', ckApiError, '');
      Eq('vendor code', '40021', E.VendorCode);
      Eq('vendor message', '该业务已冲正', E.VendorMessage);
    end;
  end;
end;

procedure TestCouponSendReply;
var
  S: TCouponKitSession;
  K: TCkAllinpayKeys;
  R: TCkCouponSendResult;
begin
  S := TCouponKitSession.Create(NoZv, Ap);
  try
    R := S.ParseCouponSendResponse(Fixture('build/fixtures/couponsend_signed.json'));
    Check(R.Verified, 'verified (signed by openssl)');
    Eq('tranNo', '50806050005080208145', R.TranNo);
    Eq('tranDateTime', '2020-04-10 16:03:49', R.TranDateTime);
    Eq('shopName', '沙箱门店', R.ShopName);
    Eq('templateId', '307', R.List[0].TemplateId);
    Eq('couponName', '专门测试ZHT', R.List[0].CouponName);
    Eq('couponNo null', '', R.List[0].CouponNo);
    try
      S.ParseCouponSendResponse(Fixture('testdata/allinpay/seed002_response.json'));
      NoError('SIGNATURE_INVALID');
    except
      on E: ECouponKitError do ErrorIs(E, 'SIGNATURE_INVALID', ckSignatureInvalid, '');
    end;
  finally
    S.Free;
  end;
  K := Ap;
  K.VerifyMode := 'skip';
  S := TCouponKitSession.Create(NoZv, K);
  try
    R := S.ParseCouponSendResponse(Fixture('testdata/allinpay/seed002_response.json'));
    Check(not R.Verified, 'skip: not verified');
    Eq('seed tranNo', '50806050005080208145', R.TranNo);
  finally
    S.Free;
  end;
end;

procedure TestAllinpayLifecycle;
var
  S: TCouponKitSession;
  QP: TCkCouponQueryParams;
  CP: TCkCouponConsumeParams;
  Q: TCkAllinpayRequest;
  D: TCkDiagnoseRequest;
  DR: TCkDiagnoseResult;
begin
  S := TCouponKitSession.Create(NoZv, Ap);
  try
    QP.CouponNo := '496996143645800001';
    Q := S.CouponQueryRequest(QP, '2020-04-10 16:03:49');
    Eq('couponQuery profile', 'rules', Q.Profile);
    Eq('couponQuery signedText (rules: the content)', Q.SignContent, Q.SignedText);
    CP.ShopId := '1'; CP.OperUserId := 'c1'; CP.OrderId := 'consume-0001';
    SetLength(CP.CouponConsumeList, 1);
    CP.CouponConsumeList[0].CouponNo := '496996143645800001';
    CP.CouponConsumeList[0].ConsumeAmount := '1';
    CP.CouponConsumeList[0].Passwd := 'cGFzc3dk';
    CP.CouponConsumeList[0].PrincipalAmt := '1.50';
    Q := S.CouponConsumeRequest(CP, '2020-04-10 16:03:49');
    Check((Pos('%22passwd%22%3A%22cGFzc3dk%22', Q.Body) > 0) and (Pos('%22principalAmt%22%3A1.50', Q.Body) > 0),
      'the body carries the passwd and the exact principal');
    Check((Pos('"passwd":"[redacted]"', Q.SignContent) > 0) and (Pos('cGFzc3dk', Q.SignContent) = 0), 'signContent shows the passwd redacted');
    CP.CouponConsumeList[0].ConsumeAmount := '1.5';
    try
      S.CouponConsumeRequest(CP);
      NoError('consumeAmount a decimal');
    except
      on E: ECouponKitError do ErrorIs(E, 'consumeAmount a decimal', ckInvalidArgument, 'params.couponConsumeList[0].consumeAmount');
    end;
    Eq('openssl-signed reply verifiedBy', 'raw+direct', S.ParseCouponSendResponse(Fixture('build/fixtures/couponsend_signed.json')).VerifiedBy);
  finally
    S.Free;
  end;
  { The seed page's reply, whose platform key we do not have. }
  D.Body := Fixture('testdata/allinpay/seed002_response.json');
  DR := CkDiagnose(D);
  Check((not DR.Verified) and (Pos('No platform public key was given', DR.Conclusion) = 1), 'diagnose without a key: ' + DR.Conclusion);
  Eq('variants', '4', IntToStr(Length(DR.Variants)));
  Eq('first variant', 'sdk+md5', DR.Variants[0].Variant);
  Eq('sign looks like', 'RSA-1024', DR.SignLooksLike);
  D.Body := Fixture('build/fixtures/couponsend_signed.json');
  SetLength(D.PlatformPublicKey, 1);
  D.PlatformPublicKey[0] := Fixture('testdata/sandbox/platform_rsa2048_pub_spki.pem');
  DR := CkDiagnose(D);
  Check(DR.Verified and (DR.VerifyMode = 'raw+direct'), 'diagnose with the key: ' + DR.Conclusion);
end;

{ The field a case file's error names, as the typed request sends it: the
  file uses the member names before 0.2, which the typed request writes under
  their new names (CHANGES.md). }
function Renamed(const Field: string): string;
const
  Old: array[0..4] of string = ('unitPrice', 'priorDiscount', 'value', 'threshold', 'cap');
var
  I: Integer;
begin
  Result := Field;
  for I := Low(Old) to High(Old) do
    if Copy(Field, Length(Field) - Length(Old[I]), MaxInt) = '.' + Old[I] then Result := Field + 'Yuan';
end;

procedure TestQuote;
var
  Req: TCkQuoteRequest;
  Q: TCkQuoteResult;
  Cases, C, Inp, W: TCkJson;
  I, J, K, N: Integer;
  What, Shares, Want: string;
begin
  FillChar(Req, SizeOf(Req), 0);
  SetLength(Req.Lines, 2);
  FillChar(Req.Lines[0], SizeOf(TCkQuoteLine) * 2, 0);
  Req.Lines[0].Id := 'A'; Req.Lines[0].Quantity := '2'; Req.Lines[0].UnitPriceYuan := '10.00';
  Req.Lines[1].Id := 'B'; Req.Lines[1].Quantity := '1'; Req.Lines[1].UnitPriceYuan := '5.50';
  SetLength(Req.Coupons, 1);
  FillChar(Req.Coupons[0], SizeOf(TCkQuoteCoupon), 0);
  Req.Coupons[0].Id := '满20减5'; Req.Coupons[0].Kind := 'fixed'; Req.Coupons[0].ValueYuan := '5'; Req.Coupons[0].ThresholdYuan := '20';
  Q := CkQuote(Req);
  Eq('amount', '25.50', Q.AmountYuan);
  Eq('discount', '5.00', Q.DiscountYuan);
  Eq('payable', '20.50', Q.PayableYuan);
  Eq('coupon id round trip', '满20减5', Q.Coupons[0].Id);

  { the worked cases of testdata/discount, each input rebuilt into the typed records }
  Cases := TCkJson.Parse(CkToUtf8(Fixture('testdata/discount/cases.json')));
  try
    for I := 0 to Cases.Path('cases').Count - 1 do
    begin
      C := Cases.Path('cases')[I];
      Inp := C.Member('input');
      What := 'case ' + C.S('name');
      Req.Rounding := Inp.S('rounding');
      SetLength(Req.Lines, Inp.Path('lines').Count);
      for J := 0 to High(Req.Lines) do
      begin
        Req.Lines[J].Id := Inp.S(Format('lines[%d].id', [J]));
        Req.Lines[J].Quantity := Inp.S(Format('lines[%d].quantity', [J]));
        Req.Lines[J].UnitPriceYuan := Inp.S(Format('lines[%d].unitPrice', [J]));
        Req.Lines[J].PriorDiscountYuan := Inp.S(Format('lines[%d].priorDiscount', [J]));
      end;
      if Inp.Member('coupons') = nil then SetLength(Req.Coupons, 0)
      else SetLength(Req.Coupons, Inp.Path('coupons').Count);
      for J := 0 to High(Req.Coupons) do
      begin
        W := Inp.Path(Format('coupons[%d]', [J]));
        Req.Coupons[J].Id := W.S('id'); Req.Coupons[J].Kind := W.S('kind'); Req.Coupons[J].ValueYuan := W.S('value');
        Req.Coupons[J].Rate := W.S('rate'); Req.Coupons[J].ThresholdYuan := W.S('threshold'); Req.Coupons[J].CapYuan := W.S('cap');
        Req.Coupons[J].Include := nil; Req.Coupons[J].Exclude := nil;
        if W.Member('include') <> nil then
        begin
          SetLength(Req.Coupons[J].Include, W.Member('include').Count);
          for K := 0 to W.Member('include').Count - 1 do Req.Coupons[J].Include[K] := W.Member('include')[K].AsString;
        end;
        if W.Member('exclude') <> nil then
        begin
          SetLength(Req.Coupons[J].Exclude, W.Member('exclude').Count);
          for K := 0 to W.Member('exclude').Count - 1 do Req.Coupons[J].Exclude[K] := W.Member('exclude')[K].AsString;
        end;
      end;
      if C.Member('error') <> nil then
      begin
        try
          CkQuote(Req);
          NoError(What);
        except
          on E: ECouponKitError do
          begin
            Eq(What + ' code', C.S('error.kind'), E.Code);
            Eq(What + ' field', Renamed(C.S('error.field')), E.Field);
          end;
        end;
        Continue;
      end;
      try
        Q := CkQuote(Req);
      except
        on E: ECouponKitError do
        begin
          Check(False, What + ': ' + E.Message);
          Continue;
        end;
      end;
      W := C.Member('want');
      Eq(What + ' amount', W.S('amount'), Q.AmountFen);
      Eq(What + ' discount', W.S('discount'), Q.DiscountFen);
      Eq(What + ' payable', W.S('payable'), Q.PayableFen);
      for J := 0 to W.Path('coupons').Count - 1 do
        if W.Path(Format('coupons[%d].discount', [J])) <> nil then
          Eq(What + ' coupon discount', W.S(Format('coupons[%d].discount', [J])), Q.Coupons[J].DiscountFen);
      if W.Member('lines') <> nil then
        for J := 0 to W.Path('lines').Count - 1 do
          if W.Path(Format('lines[%d].shares', [J])) <> nil then
          begin
            Shares := '';
            for N := 0 to W.Path(Format('lines[%d].shares', [J])).Count - 1 do
              Shares := Shares + ',' + W.Path(Format('lines[%d].shares', [J]))[N].AsString;
            Want := '';
            for N := 0 to High(Q.Lines[J].SharesFen) do
              Want := Want + ',' + Q.Lines[J].SharesFen[N];
            Eq(What + ' line shares', Shares, Want);
          end;
    end;
    Check(Cases.Path('cases').Count >= 50, 'worked cases run');
  finally
    Cases.Free;
  end;
end;

procedure TestErrorKinds;
var
  S: TCouponKitSession;
  P: TCkVerifyCouponsParams;
  K: TCkAllinpayKeys;
begin
  try CkInvoke('version', '{"a":'); NoError('INVALID_JSON');
  except on E: ECouponKitError do ErrorIs(E, 'INVALID_JSON', ckInvalidJson, ''); end;
  try CkInvoke('no.such.method', '{}'); NoError('UNKNOWN_METHOD');
  except on E: ECouponKitError do ErrorIs(E, 'UNKNOWN_METHOD', ckUnknownMethod, ''); end;
  S := TCouponKitSession.Create(Zv, NoAp);
  try
    P := Verify('');
    try S.VerifyCouponsRequest(P); NoError('INVALID_ARGUMENT');
    except on E: ECouponKitError do ErrorIs(E, 'INVALID_ARGUMENT', ckInvalidArgument, 'params.bizId'); end;
  finally
    S.Free;
  end;
  K := Ap;
  K.PrivateKey := '-----BEGIN PRIVATE KEY-----'#10'AAAA'#10'-----END PRIVATE KEY-----'#10;
  try TCouponKitSession.Create(NoZv, K).Free; NoError('KEY_ERROR');
  except on E: ECouponKitError do
    begin
      ErrorIs(E, 'KEY_ERROR', ckKeyError, '');
      Check(Pos('privateKey', E.Field) > 0, 'KEY_ERROR names the key: ' + E.Field);
    end;
  end;
  try CkParseVerifyCouponsResponse('<html>502 Bad Gateway</html>'); NoError('RESPONSE_INVALID');
  except on E: ECouponKitError do ErrorIs(E, 'RESPONSE_INVALID', ckResponseInvalid, ''); end;
  try CkParseVerifyCouponsResponse(Fixture('testdata/zvcms/seed000_error_business.json')); NoError('API_ERROR');
  except on E: ECouponKitError do
    begin
      ErrorIs(E, 'API_ERROR', ckApiError, '');
      Eq('API_ERROR vendor code', '异常编码,根据不同的业务返回编码', E.VendorCode);
      Eq('API_ERROR vendor message', '异常说明:查询的信息不存在', E.VendorMessage);
    end;
  end;
  try CkParseCouponDiscountResponse(Fixture('testdata/zvcms/seed001_error_system.json')); NoError('SYSTEM_ERROR');
  except on E: ECouponKitError do
    begin
      ErrorIs(E, 'SYSTEM_ERROR', ckSystemError, '');
      Eq('SYSTEM_ERROR vendor message', '系统错误说明', E.VendorMessage);
    end;
  end;
  try CkInvoke('http.send', '{"method":"POST","url":"http://127.0.0.1:9/","body":"{}","timeoutMs":2000}'); NoError('TRANSPORT_ERROR');
  except on E: ECouponKitError do
    begin
      ErrorIs(E, 'TRANSPORT_ERROR', ckTransportError, '');
      Check(E.Reason <> '', 'TRANSPORT_ERROR reason');
    end;
  end;
  try CkInvoke('version', '{"pad":"' + StringOfChar('x', 16 shl 20) + '"}'); NoError('TOO_LARGE');
  except on E: ECouponKitError do ErrorIs(E, 'TOO_LARGE', ckTooLarge, ''); end;
end;

{ Chinese text and an emoji, which a GBK AnsiString (Delphi 7 on a Chinese
  Windows) cannot hold: the typed records' TCkText members carry both ways
  every character, in every string mode (Win32Tests has the rest). }
procedure TestChinese;
const
  Text = '门店：徐汇一店 收银台#3 “会员日” 满100减20 😀 \ " / end';
  Reply = '{"status":true,"code":"0","message":"核销成功","data":{"bizId":"b1",' +
    '"userInfo":{"customer_id":"1","nickname":"小明\ud83d\ude00"}}}';
var
  S: TCouponKitSession;
  P: TCkVerifyCouponsParams;
  R: TCkZvcmsRequest;
  V: TCkVerifyCouponsResult;
begin
  S := TCouponKitSession.Create(Zv, NoAp);
  try
    P := Verify('');
    P.BizId := Text;
    P.Ext.Reason := '顾客要求：发票抬头 上海某某有限公司'#9'tab';
    R := S.VerifyCouponsRequest(P, Stamp, StampNonce);
    Check(JW(R.Body, 'Params.bizId') = TCkWide(Text), 'bizId with an emoji round trip through the library');
    Check(JW(R.Body, 'Params.ext.reason') = P.Ext.Reason, 'ext.reason round trip');
  finally
    S.Free;
  end;
  Eq('reply message', '核销成功', CkParseVerifyCouponsResponse(Fixture('testdata/zvcms/verify_response_lenient.json')).Message);
  V := CkParseVerifyCouponsResponse(Reply);
  Check(V.UserInfo.Nickname = TCkWide('小明😀'), 'a nickname with an emoji in the typed reply');
end;

procedure TestSession;
var
  S: TCouponKitSession;
  Id, R: string;
  P: TCkCouponSendParams;
begin
  S := TCouponKitSession.Create(Zv, NoAp);
  Id := S.Id;
  Check(Length(Id) > 8, 'session id');
  R := S.Invoke('zvcms.verifyCoupons.request', ' { "params": {"bizId":"g1","customerId":"' + CustomerId +
    '","couponsCardList":["' + CouponId + '"]} }');
  Check(Pos('g1', JS(R, 'body')) > 0, 'generic Invoke with the session');
  FillChar(P, SizeOf(P), 0);
  P.ShopId := '1';
  try S.CouponSendRequest(P); NoError('session without Allinpay keys');
  except on E: ECouponKitError do ErrorIs(E, 'no Allinpay keys', ckInvalidArgument, 'session'); end;
  S.Free;
  try CkInvoke('zvcms.verifyCoupons.request', '{"session":"' + Id + '","params":{"bizId":"x"}}'); NoError('closed session');
  except on E: ECouponKitError do ErrorIs(E, 'closed session', ckInvalidArgument, 'session'); end;
end;

type
  TWorker = class(TThread)
  public
    Session: TCouponKitSession;
    Me, Bad, Done: Integer;
    Token, FirstBad: string;
    procedure Execute; override;
  end;

const
  ThreadCount = 8;
  CallsPerThread = 5000;

procedure TWorker.Execute;
var
  I: Integer;
  Biz: string;
  R: TCkZvcmsRequest;
begin
  for I := 1 to CallsPerThread do
  begin
    Biz := '线程' + IntToStr(Me) + '-' + IntToStr(I);
    try
      R := Session.VerifyCouponsRequest(Verify(Biz), Stamp, StampNonce);
      if (R.Token <> Token) or (Pos('"bizId":"' + Biz + '"', R.Body) = 0) then
        raise Exception.Create('wrong reply for ' + Biz);
      Inc(Done);
    except
      on E: Exception do
      begin
        if Bad = 0 then FirstBad := E.Message;
        Inc(Bad);
      end;
    end;
  end;
end;

procedure TestThreads;
var
  S: TCouponKitSession;
  W: array[0..ThreadCount - 1] of TWorker;
  I, Bad, Done: Integer;
  Token: string;
begin
  S := TCouponKitSession.Create(Zv, NoAp);
  try
    Token := S.VerifyCouponsRequest(Verify('t'), Stamp, StampNonce).Token;
    for I := 0 to ThreadCount - 1 do
    begin
      W[I] := TWorker.Create(True);
      W[I].Session := S;
      W[I].Me := I;
      W[I].Token := Token;
      W[I].Start;
    end;
    Bad := 0;
    Done := 0;
    for I := 0 to ThreadCount - 1 do
    begin
      W[I].WaitFor;
      Inc(Bad, W[I].Bad);
      Inc(Done, W[I].Done);
      if W[I].FirstBad <> '' then WriteLn('  first failure: ', W[I].FirstBad);
      W[I].Free;
    end;
  finally
    S.Free;
  end;
  Eq('8 threads x 5000 calls: failures', '0', IntToStr(Bad));
  Eq('8 threads x 5000 calls: successes', IntToStr(ThreadCount * CallsPerThread), IntToStr(Done));
end;

function RssKiB: Int64;
var
  L: TStringList;
  I: Integer;
  T: string;
begin
  Result := -1;
  L := TStringList.Create;
  try
    L.LoadFromFile('/proc/self/status');
    for I := 0 to L.Count - 1 do
      if Pos('VmRSS:', L[I]) = 1 then
      begin
        T := Trim(Copy(L[I], 7, MaxInt));
        Result := StrToInt64(Copy(T, 1, Pos(' ', T) - 1));
      end;
  finally
    L.Free;
  end;
end;

function HeapUsed: Int64;
begin
{$IFDEF FPC}
  Result := GetFPCHeapStatus.CurrHeapUsed;
{$ELSE}
  Result := GetHeapStatus.TotalAllocated;
{$ENDIF}
end;

procedure TestMemory;
var
  Req: string;
  H0, H1, R0, R1: Int64;

  procedure Loop(N: Integer);
  var
    I: Integer;
  begin
    for I := 1 to N do
    begin
      CkInvoke('zvcms.verifyCoupons.request', Req);
      try
        CkInvoke('zvcms.verifyCoupons.request', '{"params":{}}');
      except
        on ECouponKitError do ;
      end;
    end;
  end;

begin
  Req := '{"zvcms":{"openId":"' + OpenId + '","grantCode":"' + GrantCode + '","openKey":"k"},' +
    '"params":{"bizId":"内存-1","customerId":"' + CustomerId + '","couponsCardList":["' + CouponId + '"],"amount":500}}';
  Loop(10000);
  H0 := HeapUsed;
  R0 := RssKiB;
  Loop(100000);
  H1 := HeapUsed;
  R1 := RssKiB;
  WriteLn('memory: 100000 calls (+100000 errors): Pascal heap ', H0, ' -> ', H1, ' bytes, RSS ', R0, ' -> ', R1, ' KiB');
  Check(H1 - H0 < 64 * 1024, 'Pascal heap stable (grew ' + IntToStr(H1 - H0) + ' bytes)');
  Check(R1 - R0 < 32 * 1024, 'process RSS stable (grew ' + IntToStr(R1 - R0) + ' KiB)');
end;

begin
  Run('json reader', TestJsonReader);
  Run('version', TestVersion);
  Run('verify request', TestVerifyRequest);
  Run('discount request', TestDiscountRequest);
  Run('couponSend request', TestCouponSendRequest);
  Run('keyless (back office and page)', TestKeyless);
  Run('zvcms replies', TestReplies);
  Run('couponSend reply', TestCouponSendReply);
  Run('lifecycle', TestLifecycle);
  Run('allinpay lifecycle and diagnose', TestAllinpayLifecycle);
  Run('quote', TestQuote);
  Run('error kinds', TestErrorKinds);
  Run('chinese', TestChinese);
  Run('session', TestSession);
  Run('threads', TestThreads);
  Run('memory', TestMemory);
  WriteLn(Passed, ' passed, ', Failed, ' failed');
  if Failed > 0 then Halt(1);
end.
