package zvcms

import "github.com/tidwall/gjson"

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
func tooDeep(b []byte) bool {
	d := 0
	in := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if in {
			switch c {
			case '\\':
				i++
			case '"':
				in = false
			}
			continue
		}
		switch c {
		case '"':
			in = true
		case '{', '[':
			if d++; d > maxDepth {
				return true
			}
		case '}', ']':
			d--
		}
	}
	return false
}
