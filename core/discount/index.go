package discount

import "hash/maphash"

// idIndex finds lines by id. It is a radix-partitioned open-addressing hash
// table: the ids are first grouped by the top bits of their hash (a counting
// sort, sequential in memory), then each group gets a small table of its
// own that stays in cache while it is filled or searched. A plain hash table
// of 10^5 ids would cost a cache miss per id; this keeps the work linear in
// practice as well as in theory. The hash seed is random per index; it only
// affects the layout, never a result.
type idIndex struct {
	seed   maphash.Seed
	shift  uint     // a hash's partition is h >> shift
	start  []int    // partition p's slots are slots[start[p]:start[p+1]]
	slots  []uint64 // hash's top 32 bits << 32 | line index + 1; 0 = empty
	hashes []uint64 // each line's full hash
	lines  []Line
}

// targetPart is the number of ids per partition the index aims for.
const targetPart = 512

// partitionBits returns how many top hash bits split n keys into
// partitions of about targetPart.
func partitionBits(n int) uint {
	b := uint(0)
	for b < 12 && n>>b > targetPart {
		b++
	}
	return b
}

// keyed is a key's hash and position.
type keyed struct {
	h uint64
	i int32
}

// partition groups keys by the top bits of their hashes: it returns the
// keys (hash and position) in partition order, stable within a partition,
// and the partition boundaries (sorted[bound[p]:bound[p+1]] are partition
// p's).
func partition(hashes []uint64, bits uint) (sorted []keyed, bound []int) {
	parts := 1 << bits
	bound = make([]int, parts+1)
	shift := 64 - bits
	for _, h := range hashes {
		bound[partOf(h, shift)+1]++
	}
	for p := 0; p < parts; p++ {
		bound[p+1] += bound[p]
	}
	next := make([]int, parts)
	copy(next, bound[:parts])
	sorted = make([]keyed, len(hashes))
	for i, h := range hashes {
		p := partOf(h, shift)
		sorted[next[p]] = keyed{h, int32(i)}
		next[p]++
	}
	return sorted, bound
}

// partOf returns the partition of hash h.
func partOf(h uint64, shift uint) int {
	if shift >= 64 {
		return 0
	}
	return int(h >> shift)
}

// buildIDIndex indexes the lines' ids. It returns the index, and for a
// repeated id the first line (in basket order) that repeats an earlier one,
// with that earlier line: dup is -1 when every id is unique.
func buildIDIndex(lines []Line) (x *idIndex, dup, first int) {
	bits := partitionBits(len(lines))
	hashes := make([]uint64, len(lines))
	x = &idIndex{seed: maphash.MakeSeed(), shift: 64 - bits, lines: lines, hashes: hashes}
	for i := range lines {
		hashes[i] = maphash.String(x.seed, lines[i].ID)
	}
	sorted, bound := partition(hashes, bits)
	parts := len(bound) - 1
	x.start = make([]int, parts+1)
	for p := 0; p < parts; p++ {
		x.start[p+1] = x.start[p] + tableSize(bound[p+1]-bound[p])
	}
	x.slots = make([]uint64, x.start[parts])
	dup, first = -1, -1
	for p := 0; p < parts; p++ {
		t := x.slots[x.start[p]:x.start[p+1]]
		for _, k := range sorted[bound[p]:bound[p+1]] {
			if j := x.probe(t, k.h, "", int(k.i)); j >= 0 && (dup < 0 || int(k.i) < dup) {
				dup, first = int(k.i), j
			}
		}
	}
	return x, dup, first
}

// tableSize returns the slots for a partition of n ids: a power of two of
// at least 2n.
func tableSize(n int) int {
	s := 4
	for s < 2*n {
		s <<= 1
	}
	return s
}

// probe looks up id (hash h) in table t and returns its line, or -1. With
// insert ≥ 0 it looks up line insert's own id instead and stores that line
// when the id is absent; the id is then read only when a slot's tag
// matches, so inserting touches the lines rarely.
func (x *idIndex) probe(t []uint64, h uint64, id string, insert int) int {
	mask := uint64(len(t) - 1)
	tag := h >> 32 << 32
	for p := h & mask; ; p = (p + 1) & mask {
		s := t[p]
		if s == 0 {
			if insert >= 0 {
				t[p] = tag | uint64(insert+1)
			}
			return -1
		}
		if s>>32<<32 == tag {
			if insert >= 0 {
				id = x.lines[insert].ID
			}
			if j := int(s&0xffffffff) - 1; x.lines[j].ID == id {
				return j
			}
		}
	}
}

// findAll calls found(line) for every id of ids that names a line. The
// look-ups are grouped by partition so that each partition's table is
// searched while it is in cache, and they match full hashes only; the ids
// are then compared with the lines' in the order of ids, where both are
// usually laid out in memory (an include list follows the basket).
func (x *idIndex) findAll(ids []string, found func(line int)) {
	if len(ids) == 0 {
		return
	}
	hashes := make([]uint64, len(ids))
	for k, id := range ids {
		hashes[k] = maphash.String(x.seed, id)
	}
	sorted, _ := partition(hashes, 64-x.shift)
	hit := make([]int32, len(ids)) // line with the same full hash, + 1
	for _, kk := range sorted {
		p := partOf(kk.h, x.shift)
		t := x.slots[x.start[p]:x.start[p+1]]
		mask := uint64(len(t) - 1)
		tag := kk.h >> 32 << 32
		for q := kk.h & mask; t[q] != 0; q = (q + 1) & mask {
			if s := t[q]; s>>32<<32 == tag {
				if j := int32(s & 0xffffffff); x.hashes[j-1] == kk.h {
					hit[kk.i] = j
					break
				}
			}
		}
	}
	for k, j := range hit {
		if j == 0 {
			continue
		}
		if x.lines[j-1].ID == ids[k] {
			found(int(j - 1))
			continue
		}
		// Two ids with one 64-bit hash: search with string comparisons.
		p := partOf(hashes[k], x.shift)
		if j := x.probe(x.slots[x.start[p]:x.start[p+1]], hashes[k], ids[k], -1); j >= 0 {
			found(j)
		}
	}
}
