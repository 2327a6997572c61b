package zvcms

import (
	"github.com/couponkit/couponkit/core/internal/jsontext"
	"github.com/tidwall/gjson"
)

// maxDepth is the deepest nesting of objects and arrays a body may have. The
// JSON parser recurses once per level: a reply nested millions deep would
// overflow the goroutine stack (a fatal error, not a panic), and under
// WebAssembly a few thousand levels already overflow the engine's stack.
// Real bodies nest a handful of levels.
const maxDepth = 64

// validJSON reports whether b is well-formed JSON nested at most maxDepth
// levels; the depth is checked first, without recursion.
func validJSON(b []byte) bool { return !tooDeep(b) && gjson.ValidBytes(b) }

// tooDeep reports whether b nests '{' and '[' outside strings more than
// maxDepth levels deep.
func tooDeep(b []byte) bool { return jsontext.Depth(b, maxDepth) > maxDepth }
