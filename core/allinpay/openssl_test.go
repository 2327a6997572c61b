package allinpay

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/rand"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// opensslSets is how many random parameter sets each sign type signs and
// verifies in both directions against the openssl command line.
const opensslSets = 200

// customSignerID is an SM2 signer id other than the default, used for every
// tenth raw parameter set.
const customSignerID = "ALICE123@YAHOO.COM"

func needOpenSSL(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("openssl")
	if err != nil {
		t.Fatal("the openssl command line is required: sudo apt-get install openssl (or scripts/ensure-apt.sh openssl:openssl)")
	}
	return p
}

// refSignString is the test's own reading of PROTOCOLS.md §2: drop sign,
// signType and empty values (first occurrence of a key wins), sort keys by
// bytes, join k=v with '&'.
func refSignString(params []Param) string {
	s, _ := refSign(params)
	return s
}

// refSign returns the reference sign string and its keys in order.
func refSign(params []Param) (string, []string) { return refSignProfile(params, false) }

// refSignProfile is refSign; keepEmpty keeps empty values (the SDK profile).
func refSignProfile(params []Param, keepEmpty bool) (string, []string) {
	vals := map[string]string{}
	var keys []string
	for _, p := range params {
		if p.Key == "sign" || p.Key == "signType" || (p.Value == "" && !keepEmpty) {
			continue
		}
		if _, dup := vals[p.Key]; dup {
			continue
		}
		vals[p.Key] = p.Value
		keys = append(keys, p.Key)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + vals[k]
	}
	return strings.Join(parts, "&"), keys
}

var valuePieces = []string{"中文", "券", "通联", "&", "=", "&=", " ", "+", "%", "%20", "\"", "'", "\\", "😀", "abc", "Z", "0", "307", "\n", "\t", "/", "?", "#", "é", "{", "}"}

func randValue(rng *rand.Rand) string {
	if rng.Intn(5) == 0 {
		return ""
	}
	var b strings.Builder
	for n := 1 + rng.Intn(6); n > 0; n-- {
		b.WriteString(valuePieces[rng.Intn(len(valuePieces))])
	}
	return b.String()
}

func randKey(rng *rand.Rand) string {
	const alpha = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
	switch rng.Intn(12) {
	case 0:
		return "sign"
	case 1:
		return "signType"
	}
	b := make([]byte, 1+rng.Intn(10))
	for i := range b {
		b[i] = alpha[rng.Intn(len(alpha))]
	}
	return string(b)
}

// randParams returns a random parameter list with distinct keys.
func randParams(rng *rand.Rand) []Param {
	seen := map[string]bool{}
	var ps []Param
	for n := 1 + rng.Intn(12); n > 0; n-- {
		k := randKey(rng)
		if seen[k] {
			continue
		}
		seen[k] = true
		ps = append(ps, Param{k, randValue(rng)})
	}
	return ps
}

// randBizContent returns a random JSON object of string members.
func randBizContent(rng *rand.Rand) []byte {
	m := map[string]string{}
	for n := rng.Intn(6); n > 0; n-- {
		m[randKey(rng)] = randValue(rng)
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

// TestOpenSSLInterop: for each request profile and sign type, opensslSets
// random parameter sets (half through Client.Build, half raw parameter lists
// through SignContent and Sign) are signed by the core and verified by
// `openssl dgst -verify` over the string the test recomputes itself (the
// SDK profile: over the Base64 of its MD5 digest, which openssl computes:
// `openssl dgst -md5 -binary | openssl base64 -A`); openssl signs the same
// strings and the core verifies those signatures. RSA signatures are
// deterministic, so openssl's must also equal the core's byte for byte. SM2
// runs through openssl's SM2 (SM3withSM2 with the signer id as distid).
func TestOpenSSLInterop(t *testing.T) {
	openssl := needOpenSSL(t)
	for _, profile := range []RequestProfile{ProfileRules, ProfileSDK} {
		for _, ks := range keySets {
			ks, profile := ks, profile
			t.Run(string(profile)+"/"+string(ks.signType), func(t *testing.T) {
				t.Parallel()
				opensslProfile(t, openssl, profile, ks)
			})
		}
	}
}

func opensslProfile(t *testing.T, openssl string, profile RequestProfile, ks keySet) {
	sdk := profile == ProfileSDK
	refString := func(params []Param) string { s, _ := refSignProfile(params, sdk); return s }
	{
		{
			dir := t.TempDir()
			rng := rand.New(rand.NewSource(int64(len(ks.signType)) * 7919))
			c := testClient(t, ks, VerifyAny)
			c.cfg.RequestProfile = profile
			priv, pub := mustPriv(t, ks.priv), mustPub(t, ks.pub)
			contents := make([]string, opensslSets)
			ids := make([]string, opensslSets)
			var jobs strings.Builder
			for i := 0; i < opensslSets; i++ {
				var params []Param
				var sign string
				ids[i] = DefaultSignerID
				if i%2 == 0 {
					version := ""
					if rng.Intn(3) == 0 {
						version = "2." + strconv.Itoa(rng.Intn(10))
					}
					req, err := c.Build("allinpay.shopoint.test.m"+strconv.Itoa(i), version, randBizContent(rng), fixedInstant)
					if err != nil {
						t.Fatal(err)
					}
					checkRequestForm(t, req, pub, ks.signType)
					params, sign = req.Params, req.Sign
					if req.SignContent != refString(params) || req.Profile != profile {
						t.Fatalf("set %d: core signed %q, reference %q", i, req.SignContent, refString(params))
					}
					if st := req.Params[6]; st.Key != "signType" || (sdk && st.Value != ks.signType.JavaName()) || (!sdk && st.Value != string(ks.signType)) {
						t.Fatalf("set %d: signType sent as %q", i, st.Value)
					}
				} else {
					params = randParams(rng)
					if ks.signType == SM2 && i%10 == 9 {
						ids[i] = customSignerID
					}
					content, fields := profile.SignContent(params)
					ref, refFields := refSignProfile(params, sdk)
					if content != ref || strings.Join(fields, ",") != strings.Join(refFields, ",") {
						t.Fatalf("set %d: core content %q %v, reference %q %v", i, content, fields, ref, refFields)
					}
					var err error
					if sign, err = Sign(priv, ks.signType, ids[i], []byte(profile.SignedText(content))); err != nil {
						t.Fatal(err)
					}
				}
				contents[i] = refString(params)
				sig, err := base64.StdEncoding.DecodeString(sign)
				if err != nil {
					t.Fatal(err)
				}
				writeFile(t, dir, "c"+strconv.Itoa(i), []byte(contents[i]))
				writeFile(t, dir, "s"+strconv.Itoa(i), sig)
				fmt.Fprintf(&jobs, "%d %s\n", i, ids[i])
			}
			sigopt := ""
			if ks.signType == SM2 {
				sigopt = `-sigopt "distid:$2"`
			}
			digest := "m=c$i"
			if sdk {
				digest = `%[1]q dgst -md5 -binary c$i | %[1]q base64 -A > m$i; m=m$i`
			}
			script := fmt.Sprintf(`i=$1
`+digest+`
if %[1]q dgst %[2]s -verify %[3]q %[5]s -signature s$i $m >/dev/null 2>&1; then echo "V $i ok"; else echo "V $i FAIL"; fi
%[1]q dgst %[2]s -sign %[4]q %[5]s -out o$i $m >/dev/null 2>&1 || echo "S $i FAIL"
`, openssl, ks.ossl, abs(t, ks.pub), abs(t, ks.priv), sigopt)
			writeFile(t, dir, "run.sh", []byte(script))
			cmd := exec.Command("xargs", "-P", "4", "-n", "2", "sh", "run.sh")
			cmd.Dir = dir
			cmd.Stdin = strings.NewReader(jobs.String())
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("openssl batch: %v\n%s", err, out)
			}
			if ok := strings.Count(string(out), " ok\n"); ok != opensslSets || strings.Contains(string(out), "FAIL") {
				t.Fatalf("openssl verified %d of %d core signatures:\n%s", ok, opensslSets, out)
			}
			for i := 0; i < opensslSets; i++ {
				osig, err := os.ReadFile(filepath.Join(dir, "o"+strconv.Itoa(i)))
				if err != nil {
					t.Fatal(err)
				}
				b64 := base64.StdEncoding.EncodeToString(osig)
				if sdk {
					m, err := os.ReadFile(filepath.Join(dir, "m"+strconv.Itoa(i)))
					if err != nil || string(m) != profile.SignedText(contents[i]) {
						t.Fatalf("set %d: openssl's Base64(MD5) %q, core's %q", i, m, profile.SignedText(contents[i]))
					}
				}
				if err := Verify(pub, ks.signType, ids[i], []byte(profile.SignedText(contents[i])), b64); err != nil {
					t.Fatalf("set %d: core rejects openssl's signature: %v", i, err)
				}
				if ks.signType != SM2 {
					csig, _ := os.ReadFile(filepath.Join(dir, "s"+strconv.Itoa(i)))
					if !bytes.Equal(osig, csig) {
						t.Fatalf("set %d: deterministic RSA signatures differ between openssl and core", i)
					}
				}
				// A different content must not verify.
				if err := Verify(pub, ks.signType, ids[i], []byte(profile.SignedText(contents[i]+"x")), b64); err == nil {
					t.Fatalf("set %d: signature verified over other content", i)
				}
				if ks.signType == SM2 && ids[i] == customSignerID {
					if Verify(pub, SM2, DefaultSignerID, []byte(profile.SignedText(contents[i])), b64) == nil {
						t.Fatalf("set %d: SM2 signature verified with the wrong signer id", i)
					}
				}
			}
		}
	}
}

// checkRequestForm decodes a built body as a server would and checks that it
// round-trips to Params and passes VerifyRequest, and that a changed value
// does not.
func checkRequestForm(t *testing.T, req Request, pub *PublicKey, st SignType) {
	t.Helper()
	form, err := url.ParseQuery(string(req.Body))
	if err != nil {
		t.Fatal(err)
	}
	if len(form) != len(req.Params) {
		t.Fatalf("form has %d keys, Params %d", len(form), len(req.Params))
	}
	for _, p := range req.Params {
		if form.Get(p.Key) != p.Value {
			t.Fatalf("form %s = %q, Params %q", p.Key, form.Get(p.Key), p.Value)
		}
	}
	if err := VerifyRequest(form, pub, st, ""); err != nil {
		t.Fatalf("VerifyRequest: %v", err)
	}
	form.Set("bizContent", form.Get("bizContent")+" ")
	if VerifyRequest(form, pub, st, "") == nil {
		t.Fatal("VerifyRequest accepted a changed bizContent")
	}
}

func writeFile(t *testing.T, dir, name string, b []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func abs(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join(testdataDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFingerprintOpenSSL: PublicKey.Fingerprint equals the SHA-256 of the
// DER SubjectPublicKeyInfo openssl writes for the same key, for RSA and SM2
// public keys, private keys' public halves and certificates.
func TestFingerprintOpenSSL(t *testing.T) {
	openssl := needOpenSSL(t)
	for _, c := range []struct {
		file, cmd string
		private   bool
	}{
		{"rsa2048_pub_spki.pem", "pkey -pubin -in %s -outform DER", false},
		{"rsa1024_pub_spki.pem", "pkey -pubin -in %s -outform DER", false},
		{"sm2_pub_spki.pem", "pkey -pubin -in %s -outform DER", false},
		{"rsa2048_pkcs8.pem", "pkey -in %s -pubout -outform DER", true},
		{"sm2_pkcs8.pem", "pkey -in %s -pubout -outform DER", true},
		{"rsa2048_cert.pem", "x509 -in %s -noout -pubkey", false},
		{"sm2_cert.pem", "x509 -in %s -noout -pubkey", false},
	} {
		args := strings.Fields(fmt.Sprintf(c.cmd, abs(t, c.file)))
		out, err := exec.Command(openssl, args...).Output()
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if strings.HasPrefix(c.cmd, "x509") {
			b, _ := pem.Decode(out)
			out = b.Bytes
		}
		sum := sha256.Sum256(out)
		var k *PublicKey
		if c.private {
			k = mustPriv(t, c.file).Public()
		} else {
			k = mustPub(t, c.file)
		}
		if got := k.Fingerprint(); got != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: fingerprint %s, openssl %x", c.file, got, sum)
		}
	}
}
