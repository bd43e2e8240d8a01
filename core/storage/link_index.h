// The association index of one foreign-key column: parent key → the rows
// that reference it (row slots, for direct reads) and, beside them, a payload
// per row — the row's primary key for hasOne/hasMany, the other key of a
// junction row for belongsToMany — so that `Association::ids(src)` can hand
// out a span without copying.
//
// Integer keys are usually auto-increment ids of the parent, a dense run
// 1..n: their buckets live in a plain array indexed by key (one predictable
// memory access, no probing), as the primary-key index does; keys the array
// does not cover (zero, negative, far away, Real or Text keys) go to a hash
// map. The array grows only while at least half its slots are in use, and
// when it grows over keys held by the map they move into it, so every key
// lives in exactly one place.
//
// An index whose payload is not the rows' primary key (a junction's key,
// whose payload is the other key) keeps the rows' ids too, a third array in
// the bucket's block: a belongsToMany read hands each target its junction
// row's id (Instance::through()) without reading the junction's id column,
// one dependent memory access fewer per target (8 bytes more per link).
//
// Both sides of an association pair share one LinkIndex: it belongs to the
// column, not to an association. Removal of one row is O(1) (each row keeps
// its position in its bucket); buckets keep insertion order until a removal
// swaps the last entry into the hole.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <span>
#include <type_traits>
#include <vector>

#include <tsl/robin_map.h>

#include "storage/indexes.h"
#include "storage/large_blocks.h"
#include "storage/prefetch.h"

namespace relstore::detail {

// The rows referencing one key, and their payloads, in insertion order
// (until a removal swaps the last entry into the hole). Its memory belongs to
// the LinkIndex's pool: a bucket is a plain view that the index grows and frees.
class LinkBucket {
 public:
  std::span<const std::uint32_t> rows() const noexcept { return {rowsData(), size_}; }
  std::span<const Id> payload() const noexcept { return {payload_, size_}; }
  // The rows' own ids, when the index keeps them (LinkIndex::keepsRowIds()).
  std::span<const Id> rowIds() const noexcept { return {rowIdsData(), size_}; }
  std::uint32_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::size_t capacityBytes(bool withRowIds) const noexcept { return blockBytes(capacity_, withRowIds); }

 private:
  template <class>
  friend class LinkIndex;

  void push(std::uint32_t row, Id payload, Id rowId, bool withRowIds, std::pmr::memory_resource& pool) {
    if (size_ == capacity_) grow(withRowIds, pool);
    rowsData()[size_] = row;
    payload_[size_] = payload;
    if (withRowIds) rowIdsData()[size_] = rowId;
    ++size_;
  }
  void grow(bool withRowIds, std::pmr::memory_resource& pool) {
    reserve(capacity_ == 0 ? 2 : 2 * capacity_, withRowIds, pool);
  }
  // Payloads, rows and (when kept) row ids share one block, in that order:
  // a read of a small bucket touches adjacent cache lines, not allocations
  // apart, and the bucket needs no pointer but the first (16 bytes instead
  // of 24 or 32: a parent's bucket is likelier in cache). The rows take a
  // whole number of 8-byte words, so the ids after them stay aligned.
  static std::size_t rowWords(std::uint32_t capacity) noexcept { return (std::size_t{capacity} + 1) / 2; }
  static std::size_t blockBytes(std::uint32_t capacity, bool withRowIds) noexcept {
    return withRowIds ? (2 * std::size_t{capacity} + rowWords(capacity)) * sizeof(Id)
                      : std::size_t{capacity} * (sizeof(Id) + sizeof(std::uint32_t));
  }
  void reserve(std::uint32_t capacity, bool withRowIds, std::pmr::memory_resource& pool) {
    auto* payload = static_cast<Id*>(pool.allocate(blockBytes(capacity, withRowIds), alignof(Id)));
    auto* rows = reinterpret_cast<std::uint32_t*>(payload + capacity);
    std::copy_n(rowsData(), size_, rows);
    std::copy_n(payload_, size_, payload);
    if (withRowIds) std::copy_n(rowIdsData(), size_, payload + capacity + rowWords(capacity));
    release(withRowIds, pool);
    payload_ = payload;
    capacity_ = capacity;
  }
  void release(bool withRowIds, std::pmr::memory_resource& pool) {
    if (capacity_ == 0) return;
    pool.deallocate(payload_, blockBytes(capacity_, withRowIds), alignof(Id));
    payload_ = nullptr;
    capacity_ = 0;
  }

  // The rows, after the capacity's payloads in the same block (null when
  // there is no block); the row ids, after the rows.
  std::uint32_t* rowsData() const noexcept { return reinterpret_cast<std::uint32_t*>(payload_ + capacity_); }
  Id* rowIdsData() const noexcept { return payload_ + capacity_ + rowWords(capacity_); }

  Id* payload_ = nullptr;  // first: ids() reads only this and the size
  std::uint32_t size_ = 0;
  std::uint32_t capacity_ = 0;
};
static_assert(sizeof(LinkBucket) == 16);

template <class Keys>
class LinkIndex {
 public:
  // `rowIds`: the table's primary-key column when `payload` is another
  // column (the index then keeps each row's id too), else null.
  LinkIndex(const Column* column, const Column* payload, const Column* rowIds)
      : column_(column), payload_(payload), rowIds_(rowIds), intPayload_(payload->type() == Type::Int),
        pool_(std::make_unique<std::pmr::unsynchronized_pool_resource>(largeArrayResource())) {
    map_.max_load_factor(0.5f);  // sparse keys only: short probes
  }

  // The rows referencing `key`, or null. Valid until the next write. O(1).
  const LinkBucket* find(typename Keys::Probe key) const {
    if constexpr (kDenseKeys) {
      if (inDense(key)) {
        const LinkBucket& bucket = dense_[static_cast<std::size_t>(key - 1)];
        return bucket.empty() ? nullptr : &bucket;
      }
    }
    auto it = map_.find(key);
    return it == map_.end() ? nullptr : &it->second;
  }
  // Hints (array keys only; they change nothing): the bucket of `key`, for a
  // lookup or an insert to come; then, once that has arrived, the bucket's
  // next free entry, so that an insert's writes find their lines loading.
  void prefetchBucket(std::int64_t key) const noexcept {
    if constexpr (kDenseKeys) {
      if (inDense(key)) prefetchLine(&dense_[static_cast<std::size_t>(key - 1)]);
    }
  }
  void prefetchFreeEntry(std::int64_t key) const noexcept {
    if constexpr (kDenseKeys) {
      if (!inDense(key)) return;
      const LinkBucket& bucket = dense_[static_cast<std::size_t>(key - 1)];
      if (bucket.size_ >= bucket.capacity_) return;
      prefetchLine(bucket.payload_ + bucket.size_);
      prefetchLine(bucket.rowsData() + bucket.size_);
    }
  }
  // Whether buckets keep their rows' ids (LinkBucket::rowIds()).
  bool keepsRowIds() const noexcept { return rowIds_ != nullptr; }
  // Adds non-null `row` (its values already written).
  void insert(std::uint32_t row) {
    LinkBucket& bucket = bucketFor(Keys::at(*column_, row));
    if (positions_.size() <= row) positions_.resize(row + 1);
    positions_[row] = bucket.size_;
    bucket.push(row, payloadAt(row), rowIds_ ? rowIds_->intAt(row) : 0, rowIds_ != nullptr, *pool_);
  }
  // Indexes rows [0, rows) of an index that has none yet, in one go: the
  // snapshot load's path. For integer keys in a dense range (foreign keys to
  // auto-increment ids, the usual case) it counts the rows per key first, so
  // every bucket is allocated once at its final size; other keys go row by row.
  void build(std::uint32_t rows) {
    positions_.assign(rows, 0);
    if constexpr (kDenseKeys) {
      if (column_->type() == Type::Int && buildDense(rows)) return;
    }
    for (std::uint32_t r = 0; r < rows; ++r) {
      if (!column_->isNull(r)) insert(r);
    }
  }
  // Removes non-null `row` (before its key changes).
  void erase(std::uint32_t row) {
    const auto key = Keys::at(*column_, row);
    LinkBucket* bucket = &existing(key);
    const std::uint32_t pos = positions_[row];
    const std::uint32_t end = bucket->size_ - 1;
    std::uint32_t* rows = bucket->rowsData();
    const std::uint32_t last = rows[end];
    rows[pos] = last;
    bucket->payload_[pos] = bucket->payload_[end];
    if (rowIds_) bucket->rowIdsData()[pos] = bucket->rowIdsData()[end];
    positions_[last] = pos;
    bucket->size_ = end;
    if (end != 0) return;
    bucket->release(rowIds_ != nullptr, *pool_);  // gives the memory back
    if constexpr (kDenseKeys) {
      if (inDense(key)) {
        --denseUsed_;
        return;
      }
    }
    map_.erase(key);
  }
  // The payload column of non-null `row` changed: copy its new value in.
  void refreshPayload(std::uint32_t row) {
    existing(Keys::at(*column_, row)).payload_[positions_[row]] = payloadAt(row);
  }
  // The id of non-null `row` changed: copy it in (when ids are kept).
  void refreshRowId(std::uint32_t row) {
    if (rowIds_) existing(Keys::at(*column_, row)).rowIdsData()[positions_[row]] = rowIds_->intAt(row);
  }
  void truncate(std::uint32_t rows) {
    // erase, not resize: a shrink that inlines (the table drops its last
    // slot on every erase of it, as cascades do).
    if (positions_.size() > rows) positions_.erase(positions_.begin() + rows, positions_.end());
  }
  const Column* payloadColumn() const noexcept { return payload_; }
  const Column* rowIdColumn() const noexcept { return rowIds_; }
  std::size_t memoryUsage() const {
    std::size_t bytes = map_.bucket_count() * robinBucketBytes<typename Map::value_type>() +
                        dense_.capacity() * sizeof(LinkBucket) + positions_.capacity() * sizeof(std::uint32_t);
    forEach([&](const auto&, const LinkBucket& bucket) { bytes += bucket.capacityBytes(rowIds_ != nullptr); });
    return bytes;
  }
  // Calls f(key, bucket) for every key that has rows.
  template <class F>
  void forEach(F&& f) const {
    if constexpr (kDenseKeys) {
      for (std::size_t i = 0; i < dense_.size(); ++i) {
        if (!dense_[i].empty()) f(static_cast<typename Keys::Key>(i + 1), dense_[i]);
      }
    }
    for (const auto& [key, bucket] : map_) f(key, bucket);
  }
  std::uint32_t positionOf(std::uint32_t row) const { return positions_[row]; }
  // Swaps non-null `row` with the entry at `position` of its bucket (payload
  // and row id with it): the inverse of erase()'s move of the last entry into
  // the hole, once the row is back at the end (the undo log's exact
  // rollback). O(1).
  void moveTo(std::uint32_t row, std::uint32_t position) {
    LinkBucket& bucket = existing(Keys::at(*column_, row));
    const std::uint32_t from = positions_[row];
    std::uint32_t* rows = bucket.rowsData();
    const std::uint32_t other = rows[position];
    std::swap(rows[from], rows[position]);
    std::swap(bucket.payload_[from], bucket.payload_[position]);
    if (rowIds_) std::swap(bucket.rowIdsData()[from], bucket.rowIdsData()[position]);
    positions_[other] = from;
    positions_[row] = position;
  }
  // The payload of `row`: 0 for a null or a non-Int payload column (a
  // junction keyed by a Text attribute; ids() refuses those).
  Id payloadAt(std::uint32_t row) const {
    return !intPayload_ || payload_->isNull(row) ? 0 : payload_->intAt(row);
  }

 private:
  using Map = tsl::robin_map<typename Keys::Key, LinkBucket, typename Keys::Hash, typename Keys::Eq>;
  static constexpr bool kDenseKeys = std::is_same_v<typename Keys::Key, std::int64_t>;

  // Whether integer key `key` has its bucket in the array.
  bool inDense(std::int64_t key) const noexcept {
    return key >= 1 && static_cast<std::uint64_t>(key) <= dense_.size();
  }
  // The bucket of a key that has rows.
  template <class K>
  LinkBucket& existing(const K& key) {
    if constexpr (kDenseKeys) {
      if (inDense(key)) return dense_[static_cast<std::size_t>(key - 1)];
    }
    return map_.find(key).value();
  }
  // The bucket of `key`, created empty if it has none.
  template <class K>
  LinkBucket& bucketFor(const K& key) {
    if constexpr (kDenseKeys) {
      if (!inDense(key)) growFor(key);
      if (inDense(key)) {
        LinkBucket& bucket = dense_[static_cast<std::size_t>(key - 1)];
        if (bucket.empty()) ++denseUsed_;
        return bucket;
      }
    }
    return map_.try_emplace(typename Keys::Key(key)).first.value();
  }
  // Extends the array to cover `key` if it then stays at least half in use,
  // moving the buckets of keys it now covers out of the map.
  void growFor(std::int64_t key) {
    if (key < 1) return;
    const auto wanted = static_cast<std::uint64_t>(key);
    if (wanted > 2 * (denseUsed_ + map_.size() + 1) + 64) return;
    std::size_t size = std::max<std::size_t>(dense_.size(), 16);
    while (size < wanted) size *= 2;  // doubling: appends in key order stay amortized O(1)
    if (size > 2 * (denseUsed_ + map_.size() + 1) + 64) size = static_cast<std::size_t>(wanted);
    const std::size_t old = dense_.size();
    dense_.resize(size);
    if (map_.empty()) return;
    for (auto it = map_.begin(); it != map_.end();) {
      if (it->first >= 1 && static_cast<std::uint64_t>(it->first) > old && inDense(it->first)) {
        dense_[static_cast<std::size_t>(it->first - 1)] = it.value();  // the view moves, the memory stays
        ++denseUsed_;
        it = map_.erase(it);
      } else {
        ++it;
      }
    }
  }

  // build() for Int keys spanning at most a few times the row count; false
  // (nothing done) otherwise.
  bool buildDense(std::uint32_t rows) {
    // Chunk by chunk over the raw keys: this runs over every row of the
    // largest tables in a load.
    const bool nullable = hasNulls(*column_);
    auto eachKey = [&](auto&& f) {
      column_->forEachIntChunk([&](std::span<const std::int64_t> keys, std::size_t first) {
        for (std::size_t i = 0; i < keys.size(); ++i) {
          const auto r = static_cast<std::uint32_t>(first + i);
          if (!(nullable && column_->isNull(r))) f(r, keys[i]);
        }
      });
    };
    std::int64_t lo = 0, hi = 0;
    bool any = false;
    eachKey([&](std::uint32_t, std::int64_t k) {
      if (!any || k < lo) lo = k;
      if (!any || k > hi) hi = k;
      any = true;
    });
    if (!any) return true;
    if (lo < 1 || static_cast<std::uint64_t>(hi) >= 4 * static_cast<std::uint64_t>(rows) + 1024) return false;
    std::vector<std::uint32_t> counts(static_cast<std::size_t>(hi), 0);
    eachKey([&](std::uint32_t, std::int64_t k) { ++counts[static_cast<std::size_t>(k - 1)]; });
    std::size_t used = 0;
    for (std::uint32_t c : counts) used += c != 0;
    if (static_cast<std::uint64_t>(hi) > 2 * (used + 1) + 64) return false;  // too sparse for the array
    dense_.resize(static_cast<std::size_t>(hi));
    denseUsed_ = used;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      if (counts[i] != 0) dense_[i].reserve(counts[i], rowIds_ != nullptr, *pool_);
    }
    const bool directPayload = intPayload_ && !hasNulls(*payload_);
    eachKey([&](std::uint32_t r, std::int64_t k) {
      LinkBucket& bucket = dense_[static_cast<std::size_t>(k - 1)];
      const std::uint32_t pos = bucket.size_++;  // reserved: no growth
      positions_[r] = pos;
      bucket.rowsData()[pos] = r;
      bucket.payload_[pos] = directPayload ? payload_->intAt(r) : payloadAt(r);
      if (rowIds_) bucket.rowIdsData()[pos] = rowIds_->intAt(r);
    });
    return true;
  }

  static bool hasNulls(const Column& c) {
    const auto& words = c.nullWords();
    return std::any_of(words.begin(), words.end(), [](std::uint64_t w) { return w != 0; });
  }

  const Column* column_;
  const Column* payload_;  // a column of the same table (ids come from Int ones)
  const Column* rowIds_;   // the table's primary key, when payload_ is another column; else null
  bool intPayload_;
  // Every bucket's memory: buckets of one index packed together, apart from
  // everything else, so a read touches few pages (a unique_ptr: the index moves).
  std::unique_ptr<std::pmr::unsynchronized_pool_resource> pool_;
  Map map_;
  LargeVector<LinkBucket> dense_;   // dense_[key - 1]: integer keys 1..size (empty: no rows)
  std::size_t denseUsed_ = 0;       // non-empty buckets in dense_
  LargeVector<std::uint32_t> positions_;
};

}  // namespace relstore::detail
