// Package netmsg holds what the messages of a failed HTTP exchange say,
// shared by core/transport and the method surface (core/invoke): the URL as
// it may be shown (no userinfo, no query string) and what to check for an
// HTTP status.
package netmsg

import (
	"net/url"
	"strconv"
)

// Redact returns u as it may appear in a message or a trace: scheme, host
// (with its port) and path, without userinfo, query string or fragment,
// clipped to 200 bytes.
func Redact(u *url.URL) string {
	s := u.Scheme + "://" + u.Host + u.EscapedPath()
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// Where returns "METHOD URL" for a message, the URL redacted; a URL that
// does not parse is "(the URL)".
func Where(method, rawURL string) string {
	if method == "" {
		method = "POST"
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return method + " (the URL)"
	}
	return method + " " + Redact(u)
}

// Status returns the message of a reply whose HTTP status is outside 2xx:
// the status and what to check.
func Status(status int) string {
	s := "the server answered HTTP " + strconv.Itoa(status)
	switch {
	case status == 404 || status == 405:
		return s + "; check the URL's path (the base or gateway URL)"
	case status == 407:
		return s + " (proxy authentication required); give the proxy's user and password in the proxy URL (transport.proxy: http://user:password@host:port)"
	case status == 401 || status == 403:
		return s + "; the server or a proxy on the way refused access: check the URL and the proxy (transport.proxy)"
	case status == 502 || status == 503 || status == 504:
		return s + "; the server or a proxy on the way could not answer: try again later, and check the proxy (transport.proxy)"
	}
	return s
}
