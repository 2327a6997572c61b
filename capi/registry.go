package main

// maxRequestBytes is the largest request ck_invoke accepts (16 MiB).
const maxRequestBytes = 16 << 20

// invoker is the registry surface capi uses.
type invoker interface {
	Invoke(method string, request []byte) []byte
}

// registry is capi's one package-level registry.
var registry invoker = stubRegistry{}

// stubRegistry stands in until core/invoke lands.
type stubRegistry struct{}

func (stubRegistry) Invoke(method string, request []byte) []byte {
	if method == "version" {
		return []byte(`{"ok":true,"result":{"version":"` + "0.1.0" + `"}}`)
	}
	return envelope(errsUnknown(method))
}
