package main

import "C"

// fromC copies a C string into Go; the tests use it to read replies (test
// files cannot use cgo themselves).
func fromC(p *C.char) string { return C.GoString(p) }
