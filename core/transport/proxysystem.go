package transport

import (
	"errors"
	"net"
	"net/url"
	"regexp"
	"strings"
)

// systemSettings are the Windows system proxy settings (Internet Options,
// the registry values ProxyEnable, ProxyServer and ProxyOverride under
// HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Internet
// Settings), parsed.
type systemSettings struct {
	http, https, socks *url.URL
	bypass             []*regexp.Regexp // the lower-case patterns, '*' matching any run
	bypassLocal        bool             // "<local>": host names without a dot
}

// parseSystemProxy parses the settings. server is "host:port" (every
// protocol) or "http=host:port;https=host:port;socks=host:port" (ftp and
// other entries are ignored); an entry may carry a scheme
// ("http://host:port"); "socks" means SOCKS5. override is a list of host
// patterns separated by ";" (or spaces, commas) with "*" wildcards, and
// "<local>" for names without a dot. With enabled false there is no proxy.
func parseSystemProxy(enabled bool, server, override string) (*systemSettings, error) {
	s := &systemSettings{}
	server = strings.TrimSpace(server)
	if !enabled || server == "" {
		return s, nil
	}
	parse := func(v, scheme string) (*url.URL, error) {
		v = strings.TrimSpace(v)
		if !strings.Contains(v, "://") {
			v = scheme + "://" + v
		}
		u, err := url.Parse(v)
		if err != nil || u.Hostname() == "" || (u.Path != "" && u.Path != "/") {
			return nil, errors.New("the system proxy setting (ProxyServer) is not host:port")
		}
		return u, nil
	}
	if !strings.Contains(server, "=") {
		u, err := parse(server, "http")
		if err != nil {
			return nil, err
		}
		s.http, s.https = u, u
	} else {
		for _, entry := range strings.Split(server, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(entry), "=")
			if !ok || strings.TrimSpace(v) == "" {
				continue
			}
			var err error
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "http":
				s.http, err = parse(v, "http")
			case "https":
				s.https, err = parse(v, "http")
			case "socks":
				s.socks, err = parse(v, "socks5")
			}
			if err != nil {
				return nil, err
			}
		}
	}
	for _, p := range strings.FieldsFunc(override, func(r rune) bool { return r == ';' || r == ',' || r == ' ' || r == '\t' }) {
		p = strings.ToLower(p)
		if p == "<local>" {
			s.bypassLocal = true
			continue
		}
		if i := strings.Index(p, "://"); i >= 0 {
			p = p[i+3:]
		}
		re, err := globRegexp(p)
		if err != nil {
			return nil, errors.New("the system proxy setting (ProxyOverride) has a pattern that cannot be matched")
		}
		s.bypass = append(s.bypass, re)
	}
	return s, nil
}

// proxyFor returns the proxy for a request to u, nil for a direct
// connection. Loopback addresses and localhost always go direct, as with
// the environment's settings.
func (s *systemSettings) proxyFor(u *url.URL) *url.URL {
	host := strings.ToLower(u.Hostname())
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	if s.bypassLocal && !strings.Contains(host, ".") && net.ParseIP(host) == nil {
		return nil
	}
	hostPort := strings.ToLower(u.Host)
	for _, p := range s.bypass {
		if p.MatchString(host) || p.MatchString(hostPort) {
			return nil
		}
	}
	p := s.http
	if u.Scheme == "https" {
		p = s.https
	}
	if p == nil {
		p = s.socks
	}
	return p
}

// globRegexp compiles pattern, where '*' matches any run of bytes and every
// other byte itself, to a regular expression matching the whole string. A
// regular expression takes time linear in the string whatever the pattern
// (matching '*' by trying every split took time exponential in the stars).
func globRegexp(pattern string) (*regexp.Regexp, error) {
	parts := strings.Split(pattern, "*")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.Compile(`^(?s:` + strings.Join(parts, ".*") + `)$`)
}
