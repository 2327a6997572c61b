package transport

import (
	"errors"
	"net"
	"net/url"
	"strings"
)

// systemSettings are the Windows system proxy settings (Internet Options,
// the registry values ProxyEnable, ProxyServer and ProxyOverride under
// HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Internet
// Settings), parsed.
type systemSettings struct {
	http, https, socks *url.URL
	bypass             []string // lower-case patterns, '*' matching any run
	bypassLocal        bool     // "<local>": host names without a dot
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
		s.bypass = append(s.bypass, p)
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
		if glob(p, host) || glob(p, hostPort) {
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

// glob matches s against pattern, where '*' matches any run of bytes.
func glob(pattern, s string) bool {
	star := strings.IndexByte(pattern, '*')
	if star < 0 {
		return pattern == s
	}
	prefix, rest := pattern[:star], pattern[star+1:]
	if !strings.HasPrefix(s, prefix) {
		return false
	}
	s = s[len(prefix):]
	for i := 0; i <= len(s); i++ {
		if glob(rest, s[i:]) {
			return true
		}
	}
	return false
}
