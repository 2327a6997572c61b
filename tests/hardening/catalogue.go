// Package hardening holds couponkit's hardening checks that span packages:
// the bad-input catalogue (testdata/badinput) run through core/invoke and,
// expanded by cmd/expand into a line format, through the C ABI from C
// (tests/hardening/c); the concurrency stress of sessions; and the secrets
// sweep.
//
// A catalogue file is {"about": …, "cases": [case, …]}. A case names a method
// and a request, given exactly one way:
//
//   - "request": a JSON value, sent byte for byte as written in the file;
//   - "raw": a JSON string whose content is sent (text that is not JSON);
//   - "hex": bytes in hex (invalid UTF-8 and other bytes a JSON file cannot
//     hold);
//   - "gen": a list of parts {text, times, sep}, each part's text repeated
//     times times (default 1) joined by sep, for big requests that are not
//     committed (20 MB bodies, 10^6-element arrays, deep nesting); "{i}"
//     in a repeated text becomes the repetition's index (unique ids).
//
// and the expected outcome: "code" (an error code, or "OK" for a request the
// library must accept) and optionally "field" (the exact error field, "" for
// none). "cCode" and "cField" override them through the C ABI (which bounds the
// method name and the request before reading them); "goOnly" (a reason) keeps a case off the C run; "reply" {status,
// body} makes the Go runner's transport answer with that HTTP reply (only
// the sending methods use it).
//
// Placeholders, JSON strings in the request text, are replaced before
// sending: "$zvcms" and "$allinpay" by the test credentials objects,
// "$session" (both), "$zvSession" (zvcms only) and "$closed" (a closed
// session) by session ids, and "$op:arg" by derived text (see Env.expand).
package hardening

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit/core/allinpay"
)

// Case is one catalogue entry.
type Case struct {
	// Name identifies the case (unique over the catalogue).
	Name string `json:"name"`
	// Method is the invoke method name.
	Method string `json:"method"`
	// Request, Raw, Hex and Gen give the request (exactly one of them).
	Request json.RawMessage `json:"request"`
	Raw     *string         `json:"raw"`
	Hex     string          `json:"hex"`
	Gen     []Part          `json:"gen"`
	// Code is the expected error code, or "OK".
	Code string `json:"code"`
	// Field is the expected error field when given ("" means none).
	Field *string `json:"field"`
	// CCode and CField override Code and Field through the C ABI.
	CCode  string  `json:"cCode"`
	CField *string `json:"cField"`
	// GoOnly, when set, says why the case is not run through C.
	GoOnly string `json:"goOnly"`
	// Reply is the HTTP reply the Go runner's transport gives.
	Reply *Reply `json:"reply"`
	// File is the catalogue file the case came from.
	File string `json:"-"`
}

// Part is one piece of a generated request.
type Part struct {
	Text  string `json:"text"`
	Times int    `json:"times"`
	Sep   string `json:"sep"`
}

// Reply is a canned HTTP reply for the sending methods.
type Reply struct {
	Status int    `json:"status"`
	Body   string `json:"body"`
}

// Load reads every catalogue file in dir (sorted by name) and checks that
// each case is well formed.
func Load(dir string) ([]Case, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var all []Case
	seen := map[string]bool{}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		var f struct {
			Cases []Case `json:"cases"`
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&struct {
			About string  `json:"about"`
			Cases *[]Case `json:"cases"`
		}{Cases: &f.Cases}); err != nil {
			return nil, fmt.Errorf("%s: %v", n, err)
		}
		for _, c := range f.Cases {
			c.File = filepath.Base(n)
			ways := 0
			for _, given := range []bool{c.Request != nil, c.Raw != nil, c.Hex != "", c.Gen != nil} {
				if given {
					ways++
				}
			}
			switch {
			case c.Name == "" || seen[c.Name]:
				return nil, fmt.Errorf("%s: case name %q empty or repeated", n, c.Name)
			case ways != 1:
				return nil, fmt.Errorf("%s: case %s gives its request %d ways", n, c.Name, ways)
			case c.Code == "":
				return nil, fmt.Errorf("%s: case %s has no code", n, c.Name)
			}
			seen[c.Name] = true
			all = append(all, c)
		}
	}
	return all, nil
}

// Env supplies the placeholder values for one registry.
type Env struct {
	// Root is the repository root (for $file and the keys).
	Root string
	// Session, ZvSession and Closed are session ids (without quotes).
	Session, ZvSession, Closed string
	// Keep leaves the session placeholders in place (for the C expansion:
	// the C program opens its own sessions and substitutes them).
	Keep bool

	platform, merchant *allinpay.PrivateKey
}

// ReadRoot returns a file of the repository as text.
func (e *Env) ReadRoot(rel string) (string, error) {
	b, err := os.ReadFile(filepath.Join(e.Root, filepath.FromSlash(rel)))
	return string(b), err
}

// Key files of the test credentials (the sandbox's, testdata/sandbox).
const (
	MerchantKeyFile = "testdata/allinpay/rsa2048_pkcs8.pem"
	MerchantPubFile = "testdata/allinpay/rsa2048_pub_spki.pem"
	PlatformKeyFile = "testdata/sandbox/platform_rsa2048_pkcs8.pem"
	PlatformPubFile = "testdata/sandbox/platform_rsa2048_pub_spki.pem"
	// OpenKey is the zvcms test openKey (testdata/sandbox/seed.json).
	OpenKey = "sandbox-open-key-TEST-ONLY"
	// PayPassword is the member payment password of the consume requests
	// (zvcms communal.user.consume's payPassword): a secret that only the
	// built body may carry.
	PayPassword = "pw-TEST-7319"
	// Passwd is the card password of the couponConsume requests (Allinpay
	// couponConsumeV1's passwd, pre-encrypted by the caller): a secret that
	// only the built body may carry.
	Passwd = "cGFzc3dkLVRFU1QtNzMxOQ"
)

// ZvcmsCreds returns the inline zvcms credentials object.
func (e *Env) ZvcmsCreds() string {
	return `{"openId":"6dc05b4ac175cf316d226252b05cf685","grantCode":"782c281f62","openKey":"` + OpenKey +
		`","baseUrl":"http://127.0.0.1:9/api/v2"}`
}

// AllinpayCreds returns the inline Allinpay keys object (RSA2).
func (e *Env) AllinpayCreds() (string, error) {
	priv, err := e.ReadRoot(MerchantKeyFile)
	if err != nil {
		return "", err
	}
	pub, err := e.ReadRoot(PlatformPubFile)
	if err != nil {
		return "", err
	}
	return `{"appId":"sandbox-app-0001","signType":"RSA2","privateKey":` + jsonString(priv) +
		`,"platformPublicKey":` + jsonString(pub) + `,"gatewayUrl":"http://127.0.0.1:9/allinpay/gateway"}`, nil
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

var placeholder = regexp.MustCompile(`"\$([a-zA-Z]+)(?::((?:[^"\\]|\\.)*))?"`)

// Body returns the request bytes of c with its placeholders replaced.
func (e *Env) Body(c Case) ([]byte, error) {
	switch {
	case c.Raw != nil:
		return e.expand([]byte(*c.Raw))
	case c.Hex != "":
		b, err := hex.DecodeString(c.Hex)
		if err != nil {
			return nil, fmt.Errorf("case %s: %v", c.Name, err)
		}
		return b, nil
	case c.Gen != nil:
		var out []byte
		for _, p := range c.Gen {
			t, err := e.expand([]byte(p.Text))
			if err != nil {
				return nil, err
			}
			n := p.Times
			if n == 0 {
				n = 1
			}
			if !bytes.Contains(t, []byte("{i}")) {
				out = append(out, bytes.Repeat(append(t, p.Sep...), n)...)
				out = out[:len(out)-len(p.Sep)]
				continue
			}
			for i := 0; i < n; i++ {
				if i > 0 {
					out = append(out, p.Sep...)
				}
				out = append(out, bytes.ReplaceAll(t, []byte("{i}"), []byte(strconv.Itoa(i)))...)
			}
		}
		return out, nil
	}
	return e.expand(c.Request)
}

// expand replaces the placeholders in b.
func (e *Env) expand(b []byte) ([]byte, error) {
	var firstErr error
	out := placeholder.ReplaceAllFunc(b, func(m []byte) []byte {
		sm := placeholder.FindSubmatch(m)
		var arg string
		if len(sm[2]) > 0 {
			if err := json.Unmarshal(append(append([]byte{'"'}, sm[2]...), '"'), &arg); err != nil {
				firstErr = err
				return m
			}
		}
		v, err := e.value(string(sm[1]), arg)
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("placeholder %s: %v", m, err)
		}
		if v == "" {
			return m
		}
		return []byte(v)
	})
	return out, firstErr
}

// value returns the JSON text replacing placeholder op:arg.
//
//	$file:path      the file's text as a JSON string
//	$trunc:path     the first half of the file
//	$flip:path      the file with one Base64 character in its middle changed
//	$signed:T       T (a JSON object) with the platform's valid sign added
//	$wrongKey:T     T signed with the merchant's key instead (wrong key)
//	$badSig:T       T signed, then the sign's first characters altered
//	$swap:A|||B     B carrying A's sign (a tampered body)
func (e *Env) value(op, arg string) (string, error) {
	switch op {
	case "zvcms":
		return e.ZvcmsCreds(), nil
	case "allinpay":
		return e.AllinpayCreds()
	case "session", "zvSession", "closed":
		if e.Keep {
			return "", nil
		}
		return jsonString(map[string]string{"session": e.Session, "zvSession": e.ZvSession, "closed": e.Closed}[op]), nil
	case "file", "trunc", "flip":
		s, err := e.ReadRoot(arg)
		if err != nil {
			return "", err
		}
		switch op {
		case "trunc":
			s = s[:len(s)/2]
		case "flip":
			i := len(s) / 2
			for s[i] == '\n' || s[i] == 'A' {
				i++
			}
			s = s[:i] + "A" + s[i+1:]
		}
		return jsonString(s), nil
	case "signed", "wrongKey", "badSig", "swap":
		if err := e.keys(); err != nil {
			return "", err
		}
		body := arg
		if op == "swap" {
			parts := strings.SplitN(arg, "|||", 2)
			if len(parts) != 2 {
				return "", fmt.Errorf("swap wants A|||B")
			}
			body = parts[0]
		}
		key := e.platform
		if op == "wrongKey" {
			key = e.merchant
		}
		signed, err := allinpay.SignResponse([]byte(body), key, allinpay.RSA2, "", allinpay.RawMinusSign)
		if err != nil {
			return "", err
		}
		_, sign, err := allinpay.ResponseSignContent(signed, allinpay.RawMinusSign)
		if err != nil {
			return "", err
		}
		s := string(signed)
		switch op {
		case "badSig":
			s = strings.Replace(s, sign, "AAAA"+sign[4:], 1)
		case "swap":
			b := strings.SplitN(arg, "|||", 2)[1]
			s = strings.TrimSuffix(strings.TrimSpace(b), "}") + `,"sign":` + jsonString(sign) + "}"
		}
		return jsonString(s), nil
	}
	return "", fmt.Errorf("unknown placeholder $%s", op)
}

// keys parses the platform and merchant private keys once.
func (e *Env) keys() error {
	if e.platform != nil {
		return nil
	}
	for _, k := range []struct {
		file string
		dst  **allinpay.PrivateKey
	}{{PlatformKeyFile, &e.platform}, {MerchantKeyFile, &e.merchant}} {
		s, err := e.ReadRoot(k.file)
		if err != nil {
			return err
		}
		if *k.dst, err = allinpay.ParsePrivateKey("privateKey", s); err != nil {
			return err
		}
	}
	return nil
}
