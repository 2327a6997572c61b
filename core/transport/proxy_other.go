//go:build !windows

package transport

import (
	"net/http"
	"net/url"
)

// systemProxy is the environment's proxy outside Windows, where HTTP_PROXY,
// HTTPS_PROXY and NO_PROXY are the system settings.
func systemProxy(r *http.Request) (*url.URL, error) { return http.ProxyFromEnvironment(r) }
