//go:build !unix

package hardening

import "time"

// cpuTime is unavailable here; the bound is then judged on wall time alone.
func cpuTime() time.Duration { return 1 << 62 }
