package transport

import (
	"net/http"
	"net/url"

	"golang.org/x/sys/windows/registry"
)

// internetSettings is the registry key of the Internet Options proxy.
const internetSettings = `Software\Microsoft\Windows\CurrentVersion\Internet Settings`

// systemProxy reads the Internet Options proxy of the current user from the
// registry (at each request: a few registry reads) and picks the proxy for
// r. Automatic configuration scripts (AutoConfigURL, WPAD) are not read.
func systemProxy(r *http.Request) (*url.URL, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, internetSettings, registry.QUERY_VALUE)
	if err != nil {
		return nil, nil // no settings: direct
	}
	defer k.Close()
	enable, _, _ := k.GetIntegerValue("ProxyEnable")
	server, _, _ := k.GetStringValue("ProxyServer")
	override, _, _ := k.GetStringValue("ProxyOverride")
	s, err := parseSystemProxy(enable != 0, server, override)
	if err != nil {
		return nil, err
	}
	return s.proxyFor(r.URL), nil
}
