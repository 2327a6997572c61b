package money

import (
	"errors"
	"math/big"
	"math/rand"
	"testing"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseYuanExact(t *testing.T) {
	cases := map[string]Fen{
		"0": 0, "12.5": 1250, "12.50": 1250, "0.01": 1, "3.1": 310, "007.00": 700,
		"99999999999.99": 9999999999999, "9999999999999.99": 999999999999999,
	}
	for in, want := range cases {
		got, err := ParseYuan("p", in, Exact)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
}

func TestParseYuanRounding(t *testing.T) {
	cases := []struct {
		in   string
		mode Rounding
		want Fen
	}{
		{"0.125", HalfUp, 13}, {"0.125", Down, 12}, {"0.125", HalfEven, 12},
		{"0.135", HalfEven, 14}, {"0.1251", HalfEven, 13}, {"0.005", HalfUp, 1},
		{"0.0049999", HalfUp, 0}, {"1.999", Down, 199}, {"2.675", HalfUp, 268},
	}
	for _, c := range cases {
		got, err := ParseYuan("p", c.in, c.mode)
		require.NoError(t, err)
		assert.Equal(t, c.want, got, "%s %s", c.in, c.mode)
	}
	neg, err := ParseSignedYuan("p", "-0.125", HalfUp)
	require.NoError(t, err)
	assert.Equal(t, Fen(-13), neg)
	neg, err = ParseSignedYuan("p", "-0.129", Down)
	require.NoError(t, err)
	assert.Equal(t, Fen(-12), neg)
}

func TestParseYuanErrors(t *testing.T) {
	bad := []string{"", "-1", "-0", "1e2", "1E2", "+1", " 1", "1 ", "NaN", "Inf", "-Inf",
		"0x10", ".5", "5.", "1.2.3", "1,5", "１２", "0.125", "10000000000000.00", "99999999999999999999999"}
	for _, in := range bad {
		_, err := ParseYuan("Params.items[2].price", in, Exact)
		require.Error(t, err, in)
		assert.True(t, errors.Is(err, errs.InvalidArgument), in)
		var e *errs.Error
		require.True(t, errors.As(err, &e))
		assert.Equal(t, "Params.items[2].price", e.Field, in)
	}
}

func TestFloatTrapsStayExact(t *testing.T) {
	// 0.1 + 0.2 style values: exact in fen, never 0.30000000000000004.
	a, _ := ParseYuan("a", "0.1", Exact)
	b, _ := ParseYuan("b", "0.2", Exact)
	assert.Equal(t, "0.30", (a + b).Yuan())
	// 1.005 is 1.00499999999999989... as a float64; exactly it rounds half up.
	v, err := ParseYuan("p", "1.005", HalfUp)
	require.NoError(t, err)
	assert.Equal(t, Fen(101), v)
	v, err = ParseYuan("p", "9999999999999.99", Exact)
	require.NoError(t, err)
	assert.Equal(t, "9999999999999.99", v.Yuan())
}

func TestYuanFormat(t *testing.T) {
	assert.Equal(t, "0.00", Fen(0).Yuan())
	assert.Equal(t, "0.05", Fen(5).Yuan())
	assert.Equal(t, "-0.05", Fen(-5).Yuan())
	assert.Equal(t, "12.50", Fen(1250).Yuan())
	assert.Equal(t, "9999999999999.99", MaxFen.Yuan())
}

// TestRoundTripProperty checks Yuan and ParseYuan are inverse over random fen,
// and that the text agrees with an independent big.Rat rendering.
func TestRoundTripProperty(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		f := Fen(r.Int63n(int64(MaxFen) + 1))
		if i%2 == 0 {
			f = Fen(r.Int63n(100000))
		}
		s := f.Yuan()
		back, err := ParseYuan("p", s, Exact)
		require.NoError(t, err)
		require.Equal(t, f, back)
		want := new(big.Rat).SetFrac64(int64(f), 100).FloatString(2)
		require.Equal(t, want, s)
	}
}

func TestParseFen(t *testing.T) {
	_, err := ParseFen("amount", "9007199254740993")
	require.Error(t, err) // above MaxFen
	v, err := ParseFen("amount", "1250")
	require.NoError(t, err)
	assert.Equal(t, Fen(1250), v)
	for _, in := range []string{"", "-1", "1.0", "1e3", "abc"} {
		_, err := ParseFen("amount", in)
		assert.True(t, errors.Is(err, errs.InvalidArgument), in)
	}
	assert.Error(t, Check("x", -1))
	assert.Error(t, Check("x", MaxFen+1))
	assert.NoError(t, Check("x", MaxFen))
}

func TestParseRounding(t *testing.T) {
	for _, m := range []Rounding{Exact, HalfUp, Down, HalfEven} {
		got, err := ParseRounding("r", m.String(), Exact)
		require.NoError(t, err)
		assert.Equal(t, m, got)
	}
	got, err := ParseRounding("r", "", HalfUp)
	require.NoError(t, err)
	assert.Equal(t, HalfUp, got)
	_, err = ParseRounding("basket.rounding", "up", HalfUp)
	var e *errs.Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, "basket.rounding", e.Field)
}

// More than two decimals under Exact says so without a hint to round (most
// amounts have no rounding option); ErrSubFen lets a caller that has one
// add it.
func TestSubFenMessage(t *testing.T) {
	for _, s := range []string{"1.005", "-0.001"} {
		_, err := ParseSignedYuan("items[0].price", s, Exact)
		var e *errs.Error
		require.True(t, errors.As(err, &e), s)
		assert.Equal(t, "INVALID_ARGUMENT items[0].price: amount "+s+" has more than two decimals, not a whole number of fen", e.Error())
		assert.ErrorIs(t, err, ErrSubFen)
		assert.ErrorIs(t, err, errs.InvalidArgument)
	}
	_, err := ParseYuan("price", "1.0x", Exact)
	assert.NotErrorIs(t, err, ErrSubFen)
	_, err = ParseYuan("price", "1.005", HalfUp)
	assert.NoError(t, err)
}

// ParseSignedFen is ParseFen with one leading minus: the same refusals, and
// "-0" refused; its values round-trip through String.
func TestParseSignedFen(t *testing.T) {
	for s, want := range map[string]Fen{"0": 0, "5": 5, "-5": -5, "-1250": -1250, "999999999999999": MaxFen, "-999999999999999": -MaxFen} {
		got, err := ParseSignedFen("fen", s)
		require.NoError(t, err, s)
		assert.Equal(t, want, got, s)
		assert.Equal(t, s, got.String())
	}
	for _, s := range []string{"", "-", "-0", "--5", "+5", "12.5", "-12.5", "1e3", " 5", "1000000000000000", "-1000000000000000"} {
		_, err := ParseSignedFen("fen", s)
		var e *errs.Error
		require.True(t, errors.As(err, &e), s)
		assert.Equal(t, errs.InvalidArgument, e.Kind, s)
		assert.Equal(t, "fen", e.Field, s)
		if _, perr := ParseFen("fen", s); s != "-0" && len(s) > 0 && s[0] != '-' {
			assert.Equal(t, perr.Error(), err.Error(), s) // the same refusal as ParseFen
		}
	}
}
