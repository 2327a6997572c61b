package allinpay

import (
	"strconv"
	"time"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/tidwall/gjson"
)

// Readers of a verified reply's data member (gjson over the same body the
// signature was checked on; a reply with repeated members never gets here).
// Every error is errs.ResponseInvalid naming the JSON path.

// dataObject returns the data member, which a successful reply of method
// must carry as an object.
func dataObject(r *Response, method string) (gjson.Result, error) {
	d := gjson.ParseBytes(r.Data)
	if len(r.Data) == 0 || !d.IsObject() {
		return gjson.Result{}, errs.New(errs.ResponseInvalid, "data", "a successful %s reply needs a data object", method)
	}
	return d, nil
}

// objectArray returns the elements of an array of objects (absent or null:
// none). A null element is an empty object.
func objectArray(field string, v gjson.Result) ([]gjson.Result, error) {
	if !v.Exists() || v.Type == gjson.Null {
		return nil, nil
	}
	bad := errs.New(errs.ResponseInvalid, field, "%s must be an array of objects", field)
	if !v.IsArray() {
		return nil, bad
	}
	items := v.Array()
	for i, it := range items {
		switch {
		case it.Type == gjson.Null:
			items[i] = gjson.Parse("{}")
		case !it.IsObject():
			return nil, bad
		}
	}
	return items, nil
}

// nullableString: nil for absent or null, the text of a string (or number).
func nullableString(field string, v gjson.Result) (*string, error) {
	if !v.Exists() || v.Type == gjson.Null {
		return nil, nil
	}
	s, err := scalarText(field, v, true)
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// exactInt parses a JSON integer (or a string of one) exactly into int64.
func exactInt(field string, v gjson.Result) (int64, error) {
	s, err := scalarText(field, v, true)
	if err != nil {
		return 0, err
	}
	n, perr := strconv.ParseInt(s, 10, 64)
	if perr != nil {
		return 0, errs.New(errs.ResponseInvalid, field, "%s must be an integer", field)
	}
	return n, nil
}

// optionalInt is exactInt with nil for absent or null.
func optionalInt(field string, v gjson.Result) (*int64, error) {
	if !v.Exists() || v.Type == gjson.Null {
		return nil, nil
	}
	n, err := exactInt(field, v)
	if err != nil {
		return nil, err
	}
	return &n, nil
}

// decimalText reads an exact decimal (a JSON number, or a string holding
// one) as plain decimal text with its scale: "1.50" stays "1.50", 1.05E+1 is
// "10.5" (see plainDecimal). Absent or null gives "".
func decimalText(field string, v gjson.Result) (string, error) {
	s, err := scalarText(field, v, true)
	if err != nil || s == "" {
		return "", err
	}
	if r, why := parseStrict([]byte(`{"n":` + s + `}`)); why == "" && len(r.root.members) == 1 && r.root.members[0].val.kind == jNumber {
		if p, ok := plainDecimal(s); ok {
			return p, nil
		}
	}
	return "", errs.New(errs.ResponseInvalid, field, "%s must be a decimal number", field)
}

// parseTranDateTime normalizes a date-time to yyyy-MM-dd HH:mm:ss. It
// accepts a Java LocalDateTime array [y,M,d,H,m] with optional seconds and
// nanoseconds, or a string "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss"
// (optional fraction) or "yyyyMMddHHmmss". Absent or null gives "".
func parseTranDateTime(field string, v gjson.Result) (string, error) {
	return parseJavaTime(field, v, false)
}

// parseJavaTime is parseTranDateTime; with dateOK a Java LocalDate
// ([y,M,d] or "yyyy-MM-dd") is accepted too and written yyyy-MM-dd.
func parseJavaTime(field string, v gjson.Result, dateOK bool) (string, error) {
	if !v.Exists() || v.Type == gjson.Null {
		return "", nil
	}
	bad := errs.New(errs.ResponseInvalid, field, "%s is not a date-time (array [y,M,d,H,m,s] or yyyy-MM-dd HH:mm:ss)", field)
	if v.IsArray() {
		// Each part is a JSON number, or a string holding one.
		parts := v.Array()
		min := 5
		if dateOK {
			min = 3
		}
		if len(parts) < min || len(parts) > 7 || len(parts) == 4 {
			return "", bad
		}
		var n [7]int
		for i, p := range parts {
			s, err := scalarText(field, p, true)
			x, perr := strconv.Atoi(s)
			if err != nil || perr != nil || len(s) > 9 || x < 0 {
				return "", bad
			}
			n[i] = x
		}
		t := time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], 0, chinaZone)
		if n[0] < 1 || n[0] > 9999 || int(t.Month()) != n[1] || t.Day() != n[2] || t.Hour() != n[3] ||
			t.Minute() != n[4] || t.Second() != n[5] || n[6] > 999999999 {
			return "", bad
		}
		if len(parts) == 3 {
			return t.Format("2006-01-02"), nil
		}
		return t.Format(TimestampLayout), nil
	}
	s, err := scalarText(field, v, false)
	if err != nil {
		return "", bad
	}
	for _, layout := range []string{TimestampLayout, "2006-01-02T15:04:05.999999999", "20060102150405"} {
		if t, err := time.ParseInLocation(layout, s, chinaZone); err == nil {
			return t.Format(TimestampLayout), nil
		}
	}
	if dateOK {
		if t, err := time.ParseInLocation("2006-01-02", s, chinaZone); err == nil {
			return t.Format("2006-01-02"), nil
		}
	}
	return "", bad
}
