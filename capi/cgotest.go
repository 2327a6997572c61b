package main

/*
#include <stdlib.h>
#include "couponkit.h"
*/
import "C"

// The tests call the library through its C exports (capi/exports.c), the
// entry points every caller uses; test files cannot use cgo themselves, so
// these functions do it for them.

// ck_version calls the C export ck_version.
func ck_version() *C.char { return (*C.char)(C.ck_version()) }

// ck_invoke calls the C export ck_invoke.
func ck_invoke(method, request *C.char) *C.char { return C.ck_invoke(method, request) }

// ck_invoke_gbk calls the C export ck_invoke_gbk.
func ck_invoke_gbk(method, request *C.char) *C.char { return C.ck_invoke_gbk(method, request) }

// ck_free calls the C export ck_free.
func ck_free(p *C.char) { C.ck_free(p) }

// fromC copies a C string into Go; the tests use it to read replies.
func fromC(p *C.char) string { return C.GoString(p) }

// cString is a malloc'd C copy of *s (free with ck_free), NULL for nil; the
// tests use it to pass arguments.
func cString(s *string) *C.char {
	if s == nil {
		return nil
	}
	return toC([]byte(*s))
}
