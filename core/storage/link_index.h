// The association index of one foreign-key column: parent key → the rows
// that reference it (row slots, for direct reads) and, beside them, a payload
// per row — the row's primary key for hasOne/hasMany, the other key of a
// junction row for belongsToMany — so that `Association::ids(src)` can hand
// out a span without copying.
//
// Both sides of an association pair share one LinkIndex: it belongs to the
// column, not to an association. Removal of one row is O(1) (each row keeps
// its position in its bucket); buckets keep insertion order until a removal
// swaps the last entry into the hole.
#pragma once

#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include <tsl/robin_map.h>

#include "storage/indexes.h"

namespace relstore::detail {

struct LinkBucket {
  std::vector<std::uint32_t> rows;
  std::vector<Id> payload;
};

template <class Keys>
class LinkIndex {
 public:
  LinkIndex(const Column* column, const Column* payload)
      : column_(column), payload_(payload), intPayload_(payload->type() == Type::Int) {
    map_.max_load_factor(0.8f);
  }

  // The rows referencing `key`, or null. Valid until the next write. O(1).
  const LinkBucket* find(typename Keys::Probe key) const {
    auto it = map_.find(key);
    return it == map_.end() ? nullptr : &it->second;
  }
  // Adds non-null `row` (its values already written).
  void insert(std::uint32_t row) {
    auto& bucket = map_[typename Keys::Key(Keys::at(*column_, row))];
    if (positions_.size() <= row) positions_.resize(row + 1);
    positions_[row] = static_cast<std::uint32_t>(bucket.rows.size());
    bucket.rows.push_back(row);
    bucket.payload.push_back(payloadAt(row));
  }
  // Indexes rows [0, rows) of an index that has none yet, in one go: the
  // snapshot load's path. For integer keys in a dense range (foreign keys to
  // auto-increment ids, the usual case) it counts the rows per key first, so
  // every bucket is allocated once at its final size and the map is probed
  // once per key rather than once per row; other keys go row by row.
  void build(std::uint32_t rows) {
    positions_.assign(rows, 0);
    if constexpr (std::is_same_v<typename Keys::Key, std::int64_t>) {
      if (column_->type() == Type::Int && buildDense(rows)) return;
    }
    for (std::uint32_t r = 0; r < rows; ++r) {
      if (!column_->isNull(r)) insert(r);
    }
  }
  // Removes non-null `row` (before its key changes).
  void erase(std::uint32_t row) {
    auto it = map_.find(Keys::at(*column_, row));
    auto& bucket = it.value();
    const std::uint32_t pos = positions_[row];
    const std::uint32_t last = bucket.rows.back();
    bucket.rows[pos] = last;
    bucket.payload[pos] = bucket.payload.back();
    positions_[last] = pos;
    bucket.rows.pop_back();
    bucket.payload.pop_back();
    if (bucket.rows.empty()) map_.erase(it);
  }
  // Row `from` (non-null) now lives at slot `to`: the columns already moved it.
  void relocate(std::uint32_t from, std::uint32_t to) {
    auto it = map_.find(Keys::at(*column_, to));
    const std::uint32_t pos = positions_[from];
    if (positions_.size() <= to) positions_.resize(to + 1);  // an undo moves a row back past the end
    it.value().rows[pos] = to;
    positions_[to] = pos;
  }
  // The payload column of non-null `row` changed: copy its new value in.
  void refreshPayload(std::uint32_t row) {
    auto it = map_.find(Keys::at(*column_, row));
    it.value().payload[positions_[row]] = payloadAt(row);
  }
  void truncate(std::uint32_t rows) {
    if (positions_.size() > rows) positions_.resize(rows);
  }
  const Column* payloadColumn() const noexcept { return payload_; }
  std::size_t memoryUsage() const {
    std::size_t bytes = map_.bucket_count() * robinBucketBytes<typename Map::value_type>() +
                        positions_.capacity() * sizeof(std::uint32_t);
    for (const auto& [key, bucket] : map_) {
      bytes += bucket.rows.capacity() * sizeof(std::uint32_t) + bucket.payload.capacity() * sizeof(Id);
    }
    return bytes;
  }
  template <class F>
  void forEach(F&& f) const {
    for (const auto& [key, bucket] : map_) f(key, bucket);
  }
  std::uint32_t positionOf(std::uint32_t row) const { return positions_[row]; }
  // The payload of `row`: 0 for a null or a non-Int payload column (a
  // junction keyed by a Text attribute; ids() refuses those).
  Id payloadAt(std::uint32_t row) const {
    return !intPayload_ || payload_->isNull(row) ? 0 : payload_->intAt(row);
  }

 private:
  using Map = tsl::robin_map<typename Keys::Key, LinkBucket, typename Keys::Hash, typename Keys::Eq>;

  // build() for Int keys spanning at most a few times the row count; false
  // (nothing done) otherwise.
  bool buildDense(std::uint32_t rows) {
    std::int64_t lo = 0, hi = 0;
    bool any = false;
    for (std::uint32_t r = 0; r < rows; ++r) {
      if (column_->isNull(r)) continue;
      const std::int64_t k = column_->intAt(r);
      if (!any || k < lo) lo = k;
      if (!any || k > hi) hi = k;
      any = true;
    }
    if (!any) return true;
    const auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
    if (span >= 4 * static_cast<std::uint64_t>(rows) + 1024) return false;
    std::vector<std::uint32_t> counts(span + 1, 0);
    for (std::uint32_t r = 0; r < rows; ++r) {
      if (!column_->isNull(r)) ++counts[static_cast<std::size_t>(column_->intAt(r) - lo)];
    }
    std::size_t keys = 0;
    for (std::uint32_t c : counts) keys += c != 0;
    map_.reserve(keys);
    for (std::size_t i = 0; i < counts.size(); ++i) {
      if (counts[i] == 0) continue;
      LinkBucket& bucket = map_[lo + static_cast<std::int64_t>(i)];
      bucket.rows.reserve(counts[i]);
      bucket.payload.reserve(counts[i]);
    }
    // No insertion from here on: bucket addresses are stable.
    std::vector<LinkBucket*> bucketOf(counts.size(), nullptr);
    for (auto it = map_.begin(); it != map_.end(); ++it) bucketOf[static_cast<std::size_t>(it->first - lo)] = &it.value();
    for (std::uint32_t r = 0; r < rows; ++r) {
      if (column_->isNull(r)) continue;
      LinkBucket& bucket = *bucketOf[static_cast<std::size_t>(column_->intAt(r) - lo)];
      positions_[r] = static_cast<std::uint32_t>(bucket.rows.size());
      bucket.rows.push_back(r);
      bucket.payload.push_back(payloadAt(r));
    }
    return true;
  }

  const Column* column_;
  const Column* payload_;  // a column of the same table (ids come from Int ones)
  bool intPayload_;
  Map map_;
  std::vector<std::uint32_t> positions_;
};

}  // namespace relstore::detail
