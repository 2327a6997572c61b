package discount

import (
	"math/rand"
	"strconv"
	"testing"
)

// TestIDIndex checks the partitioned index against a Go map: the first
// repeated id in basket order with its earlier line, and every look-up.
func TestIDIndex(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for _, n := range []int{0, 1, 2, 7, 600, 5000, 40_000} {
		for rep := 0; rep < 4; rep++ {
			lines := make([]Line, n)
			for i := range lines {
				lines[i].ID = "id-" + strconv.Itoa(i)
				if rep > 0 && r.Intn(n/rep+1) == 0 {
					lines[i].ID = "id-" + strconv.Itoa(r.Intn(n)) // maybe a repeat
				}
			}
			seen := map[string]int{}
			wantDup, wantFirst := -1, -1
			for i, l := range lines {
				if j, ok := seen[l.ID]; ok {
					if wantDup < 0 {
						wantDup, wantFirst = i, j
					}
					continue
				}
				seen[l.ID] = i
			}
			x, dup, first := buildIDIndex(lines)
			if dup != wantDup || first != wantFirst {
				t.Fatalf("n=%d rep=%d: dup %d of %d, want %d of %d", n, rep, dup, first, wantDup, wantFirst)
			}
			var probe []string
			for k := 0; k < 3000; k++ {
				probe = append(probe, "id-"+strconv.Itoa(r.Intn(2*n+1)))
			}
			probe = append(probe, "", "id-0")
			got := map[int]int{}
			x.findAll(probe, func(i int) { got[i]++ })
			want := map[int]int{}
			for _, id := range probe {
				if i, ok := seen[id]; ok {
					want[i]++
				}
			}
			if len(got) != len(want) {
				t.Fatalf("n=%d: found %d lines, want %d", n, len(got), len(want))
			}
			for i, c := range want {
				if got[i] != c {
					t.Fatalf("n=%d: line %d found %d times, want %d", n, i, got[i], c)
				}
			}
		}
	}
}

// TestIDIndexHashCollision drives findAll's fallback: a full-hash match
// whose id differs (here because the line's id changed after indexing, as a
// 64-bit collision would look) is settled by string comparison.
func TestIDIndexHashCollision(t *testing.T) {
	lines := []Line{{ID: "a"}, {ID: "b"}}
	x, dup, _ := buildIDIndex(lines)
	if dup >= 0 {
		t.Fatal("no duplicates expected")
	}
	lines[0].ID = "c"
	var got []int
	x.findAll([]string{"a", "b", "c"}, func(i int) { got = append(got, i) })
	if len(got) != 1 || got[0] != 1 {
		t.Fatalf("found %v, want [1]", got)
	}
}
