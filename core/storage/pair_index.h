// A unique constraint over two columns: the pair set of a belongsToMany
// junction (one link per (source, target) unless `unique: false`).
//
// It stores nothing of its own. Both columns carry link indices (the
// junction's two foreign keys), so the rows holding a pair (a, b) are in
// both the bucket of a and the bucket of b: a lookup scans the smaller of
// the two, comparing the other key (the bucket's payload when it carries that
// column). A junction bucket is one source's or one target's links — a
// player's quests, a quest's players — and the smaller side is short in
// practice; the cost is O(min(links of a, links of b)) with no hashing, no
// memory and nothing to maintain on writes. Rows with a null in either column
// are not constrained (SQL: nulls never collide).
#pragma once

#include <cstdint>

namespace relstore::detail {

class PairIndex {
 public:
  PairIndex(std::uint32_t a, std::uint32_t b) : a_(a), b_(b) {}

  std::uint32_t first() const noexcept { return a_; }
  std::uint32_t second() const noexcept { return b_; }
  bool covers(std::uint32_t column) const noexcept { return column == a_ || column == b_; }

 private:
  std::uint32_t a_, b_;
};

}  // namespace relstore::detail
