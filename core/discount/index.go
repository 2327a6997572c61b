package discount

import "hash/maphash"

// idIndex finds a line by id. It is an open-addressing hash table of line
// indexes, smaller and more cache-friendly than a Go map for 10^5 lines.
// The hash seed is random per table; it only affects the layout, never a
// result.
type idIndex struct {
	seed  maphash.Seed
	mask  uint64
	slots []uint64 // hash's top 32 bits << 32 | line index + 1; 0 = empty
	lines []Line
}

// newIDIndex returns an empty index sized for lines.
func newIDIndex(lines []Line) *idIndex {
	size := uint64(8)
	for size < 2*uint64(len(lines)) {
		size <<= 1
	}
	return &idIndex{seed: maphash.MakeSeed(), mask: size - 1, slots: make([]uint64, size), lines: lines}
}

// add inserts line i; it returns the index of an earlier line with the same
// id and false when there is one.
func (x *idIndex) add(i int) (int, bool) {
	id := x.lines[i].ID
	h := maphash.String(x.seed, id)
	tag := h >> 32 << 32
	for p := h & x.mask; ; p = (p + 1) & x.mask {
		s := x.slots[p]
		if s == 0 {
			x.slots[p] = tag | uint64(i+1)
			return 0, true
		}
		if s>>32<<32 == tag {
			if j := int(s&0xffffffff) - 1; x.lines[j].ID == id {
				return j, false
			}
		}
	}
}

// find returns the index of the line with this id, or -1.
func (x *idIndex) find(id string) int {
	h := maphash.String(x.seed, id)
	tag := h >> 32 << 32
	for p := h & x.mask; ; p = (p + 1) & x.mask {
		s := x.slots[p]
		if s == 0 {
			return -1
		}
		if s>>32<<32 == tag {
			if j := int(s&0xffffffff) - 1; x.lines[j].ID == id {
				return j
			}
		}
	}
}
