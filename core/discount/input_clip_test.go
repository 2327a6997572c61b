package discount

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A long Chinese line id quoted in an error stays valid UTF-8.
func TestErrorQuotesLongChineseIDWhole(t *testing.T) {
	id := strings.Repeat("拿铁", 20) // 120 bytes
	_, _, err := QuoteInput{Lines: []LineInput{{ID: id, Quantity: "1", UnitPrice: "1"}, {ID: id, Quantity: "1", UnitPrice: "1"}}}.Parse()
	require.Error(t, err, "duplicate ids")
	assert.True(t, utf8.ValidString(err.Error()), "%q", err.Error())
	assert.NotContains(t, err.Error(), `\x`, "no rune cut in half (quoted as \\x bytes)")
	assert.Contains(t, err.Error(), "…")
}
