package allinpay

import "github.com/couponkit/couponkit/core/errs"

// maxCanonicalDepth is the deepest nesting of objects and arrays that
// decodeJSON (the sorted-canonical form) accepts. Decoding and
// re-serializing recurse once per level; json.Valid allows 10,000 levels,
// which under WebAssembly overflow the engine's stack (a thrown RangeError,
// not an error value). Real replies nest a handful of levels.
const maxCanonicalDepth = 64

// checkDepth refuses b when it nests '{' and '[' outside strings deeper than
// maxCanonicalDepth, scanning without recursion.
func checkDepth(b []byte) error {
	d := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			if i = skipString(b, i); i < 0 {
				return nil // not JSON: the decoder reports it
			}
			i--
		case '{', '[':
			if d++; d > maxCanonicalDepth {
				return errs.New(errs.ResponseInvalid, "", "the JSON nests more than %d levels deep", maxCanonicalDepth)
			}
		case '}', ']':
			d--
		}
	}
	return nil
}
