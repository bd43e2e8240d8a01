// A unique constraint over two columns: the pair set of a belongsToMany
// junction (one link per (source, target) unless `unique: false`).
//
// Like SlotIndex it stores row slots hashed through the columns, so a row
// must leave the index before either of its two values changes and come back
// after. Rows with a null in either column are not indexed (SQL: nulls never
// collide).
#pragma once

#include <cstdint>
#include <optional>

#include <tsl/robin_set.h>

#include "storage/indexes.h"

namespace relstore::detail {

class PairIndex {
 public:
  PairIndex(std::uint32_t a, std::uint32_t b, const Column* columnA, const Column* columnB)
      : a_(a), b_(b), columnA_(columnA), columnB_(columnB), set_(0, Hash{columnA, columnB}, Eq{columnA, columnB}) {
    set_.max_load_factor(0.8f);
  }

  std::uint32_t first() const noexcept { return a_; }
  std::uint32_t second() const noexcept { return b_; }
  bool covers(std::uint32_t column) const noexcept { return column == a_ || column == b_; }

  // The row holding the non-null pair (va, vb), each of its column's type.
  std::optional<std::uint32_t> find(const Value& va, const Value& vb) const {
    auto it = set_.find(Probe{&va, &vb});
    if (it == set_.end()) return std::nullopt;
    return it->row;
  }
  void reserve(std::size_t n) { set_.reserve(n); }
  // Adds `row` if both values are non-null; false if the pair is taken.
  bool insert(std::uint32_t row) {
    if (columnA_->isNull(row) || columnB_->isNull(row)) return true;
    return set_.insert(RowSlot{row}).second;
  }
  // Removes `row` (before either value changes); no-op for a null pair.
  void erase(std::uint32_t row) {
    if (columnA_->isNull(row) || columnB_->isNull(row)) return;
    set_.erase(RowSlot{row});
  }
  std::size_t size() const noexcept { return set_.size(); }
  std::size_t memoryUsage() const { return set_.bucket_count() * (robinBucketBytes<RowSlot>() + 4); }

 private:
  struct Probe {
    const Value* a;
    const Value* b;
  };
  static std::size_t cellHash(const Column& c, std::uint32_t row) {
    return c.type() == Type::Text ? TextHash{}(c.textAt(row)) : IntHash{}(numericKeyAt(c, row));
  }
  static std::size_t valueHash(const Column& c, const Value& v) {
    return c.type() == Type::Text ? TextHash{}(v.asText()) : IntHash{}(numericKeyOf(c.type(), v));
  }
  static bool cellEquals(const Column& c, std::uint32_t row, const Value& v) {
    return c.type() == Type::Text ? c.textAt(row) == v.asText() : numericKeyAt(c, row) == numericKeyOf(c.type(), v);
  }
  static bool cellsEqual(const Column& c, std::uint32_t x, std::uint32_t y) {
    return c.type() == Type::Text ? c.textAt(x) == c.textAt(y) : numericKeyAt(c, x) == numericKeyAt(c, y);
  }
  static std::size_t combine(std::size_t ha, std::size_t hb) { return ha ^ (hb * 0x9e3779b97f4a7c15ULL + (ha << 6)); }

  struct Hash {
    using is_transparent = void;
    const Column* a;
    const Column* b;
    std::size_t operator()(RowSlot s) const { return combine(cellHash(*a, s.row), cellHash(*b, s.row)); }
    std::size_t operator()(const Probe& p) const { return combine(valueHash(*a, *p.a), valueHash(*b, *p.b)); }
  };
  struct Eq {
    using is_transparent = void;
    const Column* a;
    const Column* b;
    bool operator()(RowSlot x, RowSlot y) const { return cellsEqual(*a, x.row, y.row) && cellsEqual(*b, x.row, y.row); }
    bool operator()(RowSlot x, const Probe& p) const { return cellEquals(*a, x.row, *p.a) && cellEquals(*b, x.row, *p.b); }
    bool operator()(const Probe& p, RowSlot x) const { return (*this)(x, p); }
  };

  std::uint32_t a_, b_;
  const Column* columnA_;
  const Column* columnB_;
  tsl::robin_set<RowSlot, Hash, Eq, std::allocator<RowSlot>, true> set_;
};

}  // namespace relstore::detail
