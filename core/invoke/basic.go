package invoke

import (
	"strings"

	"github.com/couponkit/couponkit/core/errs"
	"github.com/couponkit/couponkit/core/money"
	"github.com/couponkit/couponkit/core/version"
)

// registerCore registers "version".
func (r *Registry) registerCore() {
	r.register("version", nil, func(c *call) error {
		c.out.str("version", version.Version)
		return nil
	})
}

// registerMoney registers "money.toFen" and "money.toYuan".
func (r *Registry) registerMoney() {
	r.register("money.toFen", []string{"yuan", "rounding", "signed"}, func(c *call) error {
		mode, err := money.ParseRounding("rounding", c.in.str("rounding"), money.Exact)
		c.setErr(err)
		signed := c.in.boolean("signed", false)
		s := c.in.need("yuan")
		if err := c.fail(); err != nil {
			return err
		}
		parse := money.ParseYuan
		if signed {
			parse = money.ParseSignedYuan
		}
		f, err := parse("yuan", s, mode)
		if err != nil {
			return err
		}
		c.out.str("fen", f.String())
		c.out.str("yuan", f.Yuan())
		return nil
	})
	r.register("money.toYuan", []string{"fen"}, func(c *call) error {
		s := c.in.need("fen")
		if err := c.fail(); err != nil {
			return err
		}
		neg := strings.HasPrefix(s, "-")
		f, err := money.ParseFen("fen", strings.TrimPrefix(s, "-"))
		if err != nil {
			return err
		}
		if neg {
			if f == 0 {
				return errs.Invalid("fen", "-0 is not an amount")
			}
			f = -f
		}
		c.out.str("yuan", f.Yuan())
		c.out.str("fen", f.String())
		return nil
	})
}
