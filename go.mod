module github.com/couponkit/couponkit

go 1.20

require (
	github.com/emmansun/gmsm v0.29.7
	github.com/shopspring/decimal v1.4.0
	github.com/stretchr/testify v1.9.0
	github.com/tidwall/gjson v1.18.0
	github.com/tidwall/pretty v1.2.0
	github.com/tidwall/sjson v1.2.5
	golang.org/x/crypto v0.32.0
	golang.org/x/sys v0.29.0
	golang.org/x/text v0.21.0
)

require (
	github.com/davecgh/go-spew v1.1.1 // indirect
	github.com/pmezard/go-difflib v1.0.0 // indirect
	github.com/tidwall/match v1.1.1 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
