package invoke

// The schema: every method's request and result type (these types ARE the
// surface; the bindings and docs/methods.md are generated from them, with
// these doc comments), one file per domain, and each method's adapter.
//
// Conventions, decided once for every method:
//
//   - Members that are the library's own are lowerCamel ("timeoutMs",
//     "couponDiscountFen"). Members the vendor defines (the params objects
//     sent to the vendor, the raw vendor "data") keep the vendor's spelling,
//     camelCase or snake_case as the vendor writes it, and the reference
//     says so and states their unit.
//   - Money is a string with its unit in the member's name: "…Fen" is whole
//     fen ("1250"), "…Yuan" exact yuan text ("12.50", always two decimals in
//     results). Results give every amount both ways. Money is never a
//     floating-point number: a request may send a JSON number, and its text
//     is read as written.
//   - Ids (18-digit coupon, member and card ids) are strings in results;
//     requests may send strings or numbers, read from their text.
//   - Small integers (counts, indexes, the HTTP status) are JSON numbers.
//   - One word for one thing across both vendors: "message" is the vendor's
//     message (zvcms message, Allinpay msg), "data" the raw vendor data.
//   - An error's field is the JSON path of the request as the caller wrote
//     it ("params.items[2].price", "lines[0].unitPrice").
//   - Booleans accept true, false, "true" and "false"; an absent member is
//     its zero value (false, 0, "", empty).
//
// Adding a method: its request and result types and its adapter (a
// function whose doc comment describes the method) in the domain's schema
// file, one add call in that file's init, and tests; then make generate.

import (
	"errors"
	"reflect"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/internal/wire"
	"github.com/couponkit/couponkit/core/money"
	"github.com/couponkit/couponkit/core/version"
)

func init() {
	add("version", versionOf)
	add("methods", methodList)
	add("session.open", sessionOpen)
	add("session.close", sessionClose)
	add("money.toFen", moneyToFen)
	add("money.toYuan", moneyToYuan)
}

// ID is an id or other decimal integer sent as text: a JSON string, or a
// JSON number read from its text (so an 18-digit id keeps every digit).
type ID string

// Decimal is a decimal number sent as text (yuan, a quantity, a rate): a
// JSON string, or a JSON number read from its text, never as a float.
type Decimal string

// Money is an amount in a result, written as a pair of members: name+"Fen"
// (whole fen) and name+"Yuan" (two decimals).
type Money = money.Fen

// The member types with a form of their own (see core/internal/wire).
type (
	RawObject    = wire.RawObject    // a request's JSON object kept as text, sent byte for byte
	RawJSON      = wire.RawJSON      // a vendor's JSON kept as text, its numbers as strings
	Headers      = wire.Headers      // request headers: {"X-Trace": "t1"}, or a list of values
	HeaderValues = wire.HeaderValues // reply headers: each name's values in order
	TextList     = wire.TextList     // ids or codes: an array of strings or numbers, or the vendors' "[id,id]"
	Fen          = wire.Fen          // a vendor amount in whole fen, sent as text or a number
	Bytes        = wire.Bytes        // a result's text held as bytes
	FieldInfo    = wire.Field        // a member of a schema type, for generators
)

// Fields returns the members of schema type t, for generators.
func Fields(t reflect.Type) []FieldInfo { return wire.Fields(t) }

// Empty is the request of a method that takes no members.
type Empty struct{}

// VersionResult is the library version.
type VersionResult struct {
	Version string `json:"version"` // the release, e.g. "0.1.0"
}

// versionOf returns the library's version.
func versionOf(*Call, *Empty) (*VersionResult, error) {
	return &VersionResult{Version: version.Version}, nil
}

// MethodsResult lists the registered methods.
type MethodsResult struct {
	Methods []MethodEntry `json:"methods"` // every method, sorted by name
}

// MethodEntry is one method and its schema types.
type MethodEntry struct {
	Name    string `json:"name"`    // the method name ("zvcms.verifyCoupons.request")
	Request string `json:"request"` // its request type (the C# class, TypeScript interface and docs/methods.md section)
	Result  string `json:"result"`  // its result type
}

// methodList lists every method with the names of its request and result
// types, as docs/methods.md documents them.
func methodList(c *Call, _ *Empty) (*MethodsResult, error) {
	out := &MethodsResult{}
	for _, name := range c.r.Methods() {
		m := c.r.methods[name]
		out.Methods = append(out.Methods, MethodEntry{name, m.Request.Name(), m.Result.Name()})
	}
	return out, nil
}

// SessionOpenRequest registers credentials once, so keys are parsed once and
// later calls pass only the session id.
type SessionOpenRequest struct {
	Zvcms     *ZvcmsCredentials `json:"zvcms"`     // zvcms credentials
	Allinpay  *AllinpayKeys     `json:"allinpay"`  // Allinpay keys
	Transport *Transport        `json:"transport"` // how the one-call methods reach the servers (default: the environment's proxy, the system roots)
}

// SessionOpenResult names the new session.
type SessionOpenResult struct {
	Session  string `json:"session"`  // the session id ("s_" and 32 hex digits), passed as "session"
	Zvcms    bool   `json:"zvcms"`    // whether it holds zvcms credentials
	Allinpay bool   `json:"allinpay"` // whether it holds Allinpay keys
}

// sessionOpen registers zvcms credentials, Allinpay keys or both (and
// optionally transport options) and returns a session id. Keys are parsed
// here: a bad key is KEY_ERROR now, not at the first call; transport options
// too (INVALID_ARGUMENT on the transport member). Where there is no
// transport (the WebAssembly module, a library built without it) giving
// transport options at all is INVALID_ARGUMENT "transport": they would do
// nothing. At most
// MaxSessions (10,000) sessions are open at once (TOO_LARGE beyond).
func sessionOpen(c *Call, r *SessionOpenRequest) (*SessionOpenResult, error) {
	wire.Own(r) // kept past the call
	s := &session{tr: r.Transport}
	if err := c.checkTransport(r.Transport); err != nil {
		return nil, err
	}
	var err error
	if r.Zvcms != nil {
		if s.zv, err = c.zvcmsClient(r.Zvcms); err != nil {
			return nil, err
		}
	}
	if r.Allinpay != nil {
		if s.ap, err = c.allinpayClient(r.Allinpay); err != nil {
			return nil, err
		}
	}
	if s.zv == nil && s.ap == nil {
		return nil, errs.Invalid("zvcms", "give zvcms credentials, allinpay keys or both")
	}
	id, err := c.r.open(s)
	if err != nil {
		return nil, err
	}
	return &SessionOpenResult{Session: id, Zvcms: s.zv != nil, Allinpay: s.ap != nil}, nil
}

// checkTransport checks a session's transport options now, as keys are:
// refused in a build without a transport (they would do nothing), maxBody
// out of range, and what Options.CheckTransport refuses.
func (c *Call) checkTransport(t *Transport) error {
	if t == nil {
		return nil
	}
	if c.r.opts.Send == nil {
		return errs.Invalid("transport", "this build has no HTTP transport (the WebAssembly module, or a library built with couponkit_notransport), so transport options would do nothing: "+
			"send the *.request results with your own HTTP client (fetch), whose proxy and certificate settings apply, and parse the replies with the *.response methods")
	}
	if err := t.check(); err != nil {
		return err
	}
	if c.r.opts.CheckTransport == nil {
		return nil
	}
	var o TransportOptions
	t.over(&o)
	return c.r.opts.CheckTransport(o)
}

// SessionCloseRequest names the session to close.
type SessionCloseRequest struct {
	Session string `json:"session" ck:"required"` // the session id
}

// SessionCloseResult says whether the session was open.
type SessionCloseResult struct {
	Closed bool `json:"closed"` // true if the session was open (closing twice is harmless)
}

// sessionClose forgets a session and its keys.
func sessionClose(c *Call, r *SessionCloseRequest) (*SessionCloseResult, error) {
	c.r.mu.Lock()
	_, ok := c.r.sessions[r.Session]
	delete(c.r.sessions, r.Session)
	c.r.mu.Unlock()
	return &SessionCloseResult{Closed: ok}, nil
}

// ToFenRequest is an amount in yuan to convert.
type ToFenRequest struct {
	Yuan     Decimal `json:"yuan" ck:"required"` // yuan text ("12.5"); a JSON number is read from its text
	Rounding string  `json:"rounding"`           // beyond two decimals: exact (default: refuse), half-up, down or half-even
	Signed   bool    `json:"signed"`             // accept a negative amount
}

// ToYuanRequest is an amount in fen to convert.
type ToYuanRequest struct {
	Fen ID `json:"fen" ck:"required"` // whole fen, optionally negative ("-5")
}

// MoneyResult is one amount both ways.
type MoneyResult struct {
	Fen  string `json:"fen"`  // whole fen ("1250")
	Yuan string `json:"yuan"` // yuan with two decimals ("12.50")
}

// moneyToFen converts yuan text to fen, exactly or with the rounding named.
func moneyToFen(_ *Call, r *ToFenRequest) (*MoneyResult, error) {
	mode, err := money.ParseRounding("rounding", r.Rounding, money.Exact)
	if err != nil {
		return nil, err
	}
	parse := money.ParseYuan
	if r.Signed {
		parse = money.ParseSignedYuan
	}
	f, err := parse("yuan", string(r.Yuan), mode)
	var e *errs.Error
	if errors.Is(err, money.ErrSubFen) && errors.As(err, &e) {
		c := *e
		c.Message += "; give rounding (half-up, down or half-even) to round it"
		return nil, &c
	}
	if err != nil {
		return nil, err
	}
	return &MoneyResult{Fen: f.String(), Yuan: f.Yuan()}, nil
}

// moneyToYuan converts whole fen to yuan with two decimals.
func moneyToYuan(_ *Call, r *ToYuanRequest) (*MoneyResult, error) {
	f, err := money.ParseSignedFen("fen", string(r.Fen))
	if err != nil {
		return nil, err
	}
	return &MoneyResult{Fen: f.String(), Yuan: f.Yuan()}, nil
}
