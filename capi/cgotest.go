package main

import "C"

// fromC copies a C string into Go; the tests use it to read replies (test
// files cannot use cgo themselves).
func fromC(p *C.char) string { return C.GoString(p) }

// cString is a malloc'd C copy of *s (free with ck_free), NULL for nil; the
// tests use it to pass arguments.
func cString(s *string) *C.char {
	if s == nil {
		return nil
	}
	return toC([]byte(*s))
}
