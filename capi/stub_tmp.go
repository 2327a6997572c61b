package main

import "github.com/couponkit/couponkit/core/errs"

func errsUnknown(m string) error { return errs.New(errs.UnknownMethod, "method", "no method %q", m) }
