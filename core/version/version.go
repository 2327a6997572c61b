// Package version holds couponkit's release version, reported by ck_version,
// the invoke method "version", the wasm module and the Windows DLL resource.
package version

// Version is the couponkit release version (semantic versioning).
const Version = "0.1.0"
