// Hash indices over one column of a table.
//
// `SlotIndex` is a unique index (also used for the primary key): a set of row
// slots, hashed and compared through the column itself, so a key is never
// stored twice (8 bytes per bucket). Lookups pass the key value
// (heterogeneous lookup); the row slot comes back without a second probe.
// Because entries are found through the column, a row must be erased from
// the index *before* its column value changes or moves, and inserted after.
//
// `MultiIndex` (for `index: true`) maps a key to the rows holding it, with
// each row's position in its bucket kept beside, so removing one row is O(1)
// whatever the bucket's size.
//
// Null values are never indexed.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <tsl/robin_map.h>
#include <tsl/robin_set.h>

#include "storage/keys.h"
#include "storage/large_blocks.h"

namespace relstore::detail {

struct RowSlot {
  std::uint32_t row;
};

// Approximate bytes per bucket of a tsl robin table holding `T`: the value
// plus its probe-distance bookkeeping, aligned.
template <class T>
constexpr std::size_t robinBucketBytes() {
  return ((sizeof(T) + sizeof(std::int16_t) + 1 + alignof(T) - 1) / alignof(T)) * alignof(T);
}

template <class Keys>
class SlotIndex {
 public:
  explicit SlotIndex(const Column* column)
      : set_(0, Hash{column}, Eq{column}) {
    set_.max_load_factor(0.8f);
  }

  // The row holding `key`, if any. O(1).
  std::optional<std::uint32_t> find(typename Keys::Probe key) const {
    auto it = set_.find(key);
    if (it == set_.end()) return std::nullopt;
    return it->row;
  }
  // Adds `row` (its column value already written). False if the key is taken.
  bool insert(std::uint32_t row) { return set_.insert(RowSlot{row}).second; }
  // Removes the entry of `key` (before its column value changes).
  void erase(typename Keys::Probe key) { set_.erase(key); }
  std::size_t size() const noexcept { return set_.size(); }
  void reserve(std::size_t n) { set_.reserve(n); }
  std::size_t memoryUsage() const {
    return set_.bucket_count() * (robinBucketBytes<RowSlot>() + (kStoreHash ? sizeof(std::uint32_t) : 0));
  }

 private:
  struct Hash {
    using is_transparent = void;
    const Column* column;
    std::size_t operator()(RowSlot s) const noexcept { return typename Keys::Hash{}(Keys::at(*column, s.row)); }
    std::size_t operator()(typename Keys::Probe k) const noexcept { return typename Keys::Hash{}(k); }
  };
  struct Eq {
    using is_transparent = void;
    const Column* column;
    bool operator()(RowSlot a, RowSlot b) const noexcept {
      return typename Keys::Eq{}(Keys::at(*column, a.row), Keys::at(*column, b.row));
    }
    bool operator()(RowSlot a, typename Keys::Probe k) const noexcept {
      return typename Keys::Eq{}(Keys::at(*column, a.row), k);
    }
    bool operator()(typename Keys::Probe k, RowSlot a) const noexcept { return (*this)(a, k); }
  };
  // Text keys store their hash in the bucket: probes skip non-matching
  // entries and rehashes never read the column (a cache miss per string).
  static constexpr bool kStoreHash = std::is_same_v<typename Keys::Key, std::string>;
  tsl::robin_set<RowSlot, Hash, Eq, std::allocator<RowSlot>, kStoreHash> set_;
};

template <class Keys>
class MultiIndex {
 public:
  explicit MultiIndex(const Column* column) : column_(column) { map_.max_load_factor(0.8f); }

  // Rows holding `key` (empty if none); valid until the next write. O(1).
  std::span<const std::uint32_t> find(typename Keys::Probe key) const {
    auto it = map_.find(key);
    if (it == map_.end()) return {};
    return it->second;
  }
  // Adds non-null `row` (its value already written). O(1) amortized.
  void insert(std::uint32_t row) {
    auto& bucket = map_[typename Keys::Key(Keys::at(*column_, row))];
    if (positions_.size() <= row) positions_.resize(row + 1);
    positions_[row] = static_cast<std::uint32_t>(bucket.size());
    bucket.push_back(row);
  }
  // Removes non-null `row` (before its value changes). O(1).
  void erase(std::uint32_t row) {
    auto it = map_.find(Keys::at(*column_, row));
    auto& bucket = it.value();
    const std::uint32_t pos = positions_[row];
    const std::uint32_t last = bucket.back();
    bucket[pos] = last;
    positions_[last] = pos;
    bucket.pop_back();
    if (bucket.empty()) map_.erase(it);
  }
  void truncate(std::uint32_t rows) {
    // erase, not resize: a shrink that inlines (the table drops its last
    // slot on every erase of it, as cascades do).
    if (positions_.size() > rows) positions_.erase(positions_.begin() + rows, positions_.end());
  }
  std::size_t memoryUsage() const {
    std::size_t bytes = map_.bucket_count() * robinBucketBytes<typename Map::value_type>() +
                        positions_.capacity() * sizeof(std::uint32_t);
    for (const auto& [key, rows] : map_) {
      bytes += rows.capacity() * sizeof(std::uint32_t);
      if constexpr (std::is_same_v<typename Keys::Key, std::string>) {
        if (key.capacity() > std::string().capacity()) bytes += key.capacity() + 1;
      }
    }
    return bytes;
  }
  template <class F>
  void forEach(F&& f) const {
    for (const auto& [key, rows] : map_) f(key, rows);
  }
  std::uint32_t positionOf(std::uint32_t row) const { return positions_[row]; }
  // Swaps non-null `row` with the entry at `position` of its bucket: the
  // inverse of erase()'s move of the last entry into the hole, once the row
  // is back at the end (the undo log's exact rollback). O(1).
  void moveTo(std::uint32_t row, std::uint32_t position) {
    auto& bucket = map_.find(Keys::at(*column_, row)).value();
    const std::uint32_t from = positions_[row];
    const std::uint32_t other = bucket[position];
    std::swap(bucket[from], bucket[position]);
    positions_[other] = from;
    positions_[row] = position;
  }

 private:
  using Map = tsl::robin_map<typename Keys::Key, std::vector<std::uint32_t>, typename Keys::Hash, typename Keys::Eq>;
  const Column* column_;
  Map map_;
  LargeVector<std::uint32_t> positions_;
};

}  // namespace relstore::detail
