package hardening

import (
	"strings"
	"sync"
	"testing"
)

// TestSessionStress opens, uses and closes sessions from many goroutines at
// once through one registry (make test runs it under the race detector):
// every call gives a valid envelope of the expected outcome; a session
// closed while other goroutines use it gives them either a result or
// INVALID_ARGUMENT at "session", never anything else.
func TestSessionStress(t *testing.T) {
	r, e := newEnv(t, nil)
	good, err := e.GoodRequests()
	if err != nil {
		t.Fatal(err)
	}
	byMethod := map[string]string{}
	for _, g := range good {
		byMethod[g.Method] = g.Body
	}
	ap := mustCreds(t, e)
	const goroutines, rounds = 16, 12
	uses := []string{"zvcms.token", "zvcms.verifyCoupons.request", "zvcms.request", "allinpay.request", "allinpay.response", "discount.quote"}
	var wg sync.WaitGroup
	errc := make(chan string, goroutines*rounds*10)
	report := func(format string, reply []byte) {
		select {
		case errc <- format + ": " + clipReply(reply):
		default:
		}
	}
	// A shared session, closed half-way by one goroutine while the others
	// keep using it.
	shared := mustOK(t, r.Invoke("session.open", []byte(`{"zvcms":`+e.ZvcmsCreds()+`}`))).Get("session").Str
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				both := (g+i)%2 == 0
				req := `{"zvcms":` + e.ZvcmsCreds() + `}`
				if both {
					req = `{"zvcms":` + e.ZvcmsCreds() + `,"allinpay":` + ap + `}`
				}
				reply := r.Invoke("session.open", []byte(req))
				v, err := envelope(reply)
				if err != nil || !v.Get("ok").Bool() {
					report("session.open", reply)
					return
				}
				id := v.Get("result.session").Str
				for _, m := range uses {
					if strings.HasPrefix(m, "allinpay") && !both {
						continue
					}
					body := strings.Replace(byMethod[m], e.Session, id, 1)
					if msg := judge(r.Invoke(m, []byte(body)), "OK", nil); msg != "" {
						report(m+" "+msg, nil)
					}
				}
				// the shared session: a result or, once closed, refused
				reply = r.Invoke("zvcms.token", []byte(`{"session":"`+shared+`"}`))
				if judge(reply, "OK", nil) != "" && judge(reply, "INVALID_ARGUMENT", strPtr("session")) != "" {
					report("shared session", reply)
				}
				if g == 0 && i == rounds/2 {
					mustOK(t, r.Invoke("session.close", []byte(`{"session":"`+shared+`"}`)))
				}
				reply = r.Invoke("session.close", []byte(`{"session":"`+id+`"}`))
				if v, err := envelope(reply); err != nil || !v.Get("result.closed").Bool() {
					report("session.close", reply)
				}
				body := strings.Replace(byMethod["zvcms.token"], e.Session, id, 1)
				if msg := judge(r.Invoke("zvcms.token", []byte(body)), "INVALID_ARGUMENT", strPtr("session")); msg != "" {
					report("after close "+msg, nil)
				}
			}
		}(g)
	}
	wg.Wait()
	close(errc)
	for msg := range errc {
		t.Error(msg)
	}
	if msg := judge(r.Invoke("zvcms.token", []byte(`{"session":"`+shared+`"}`)), "INVALID_ARGUMENT", strPtr("session")); msg != "" {
		t.Errorf("shared session after close: %s", msg)
	}
}
