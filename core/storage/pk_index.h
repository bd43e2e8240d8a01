// The primary-key index: id → row slot.
//
// Ids are usually handed out by auto-increment, so most tables hold a dense
// run 1..n. Those ids map through a plain array (4 bytes per id, one memory
// access per lookup, appends in order); any id the array does not cover
// (explicit far-away ids, negative ids) goes to a hashed `SlotIndex`. The
// array grows only while it stays at least half full, so a few huge explicit
// ids cannot blow it up; when it grows over ids held by the hashed part,
// they move into the array, so every id lives in exactly one place.
//
// The index also has an epoch: a number, unique across every PkIndex of the
// process, that changes whenever an id loses its slot (erase) and that a new
// index starts afresh. While the epoch is unchanged, every id → slot answer
// given under it still holds, so a handle that kept (slot, epoch) can skip
// the lookup (see RowHint in table.h).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "storage/indexes.h"
#include "storage/large_blocks.h"
#include "storage/prefetch.h"

namespace relstore::detail {

// Epochs never handed out before in this process: the first of a block of
// kEpochBlock consecutive ones (0 never is). An index takes a block and
// renews its epoch within it with a plain increment: a locked add on every
// erase waited for the cascade's pending stores (6% of a destroy's profile).
inline constexpr std::uint64_t kEpochBlock = std::uint64_t{1} << 20;
inline std::uint64_t reserveEpochs() noexcept {
  static std::atomic<std::uint64_t> used{0};
  return used.fetch_add(kEpochBlock, std::memory_order_relaxed) + 1;
}

class PkIndex {
 public:
  explicit PkIndex(const Column* column) : column_(column), sparse_(column) {}
  // Moves only: a copy would share the epoch while its slots drift apart.
  PkIndex(PkIndex&&) noexcept = default;
  PkIndex& operator=(PkIndex&&) noexcept = default;
  PkIndex(const PkIndex&) = delete;
  PkIndex& operator=(const PkIndex&) = delete;

  // Changes whenever an id may have lost its slot; see the file comment.
  std::uint64_t epoch() const noexcept { return epoch_; }
  // Where the epoch is kept, for readers that hold its address (ModelHead);
  // stays valid, and current, while this index lives.
  const std::uint64_t& epochHolder() const noexcept { return epoch_; }

  // What slotOf() answers for an id without a row.
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

  std::optional<std::uint32_t> find(Id id) const {
    const std::uint32_t row = slotOf(id);
    if (row == kNone) return std::nullopt;
    return row;
  }
  // find() without the optional: the slot, or kNone. For hot loops: GCC 12
  // merges find()'s two paths into an optional on the stack, written in two
  // parts and read back whole, and the reload waits on a failed store
  // forward (a quarter of a belongsToMany get's time went there).
  std::uint32_t slotOf(Id id) const { return Lookup(*this).slotOf(id); }

  // slotOf for loops that look up many ids while writing elsewhere: the
  // array's bounds are read once, into the view, instead of once per id (the
  // loop's stores could alias them, so the compiler reloads them otherwise).
  // slotOf() is one lookup through it. Valid until the next insert or erase.
  class Lookup {
   public:
    explicit Lookup(const PkIndex& index) noexcept
        : slots_(index.dense_.data()), size_(index.dense_.size()), index_(&index) {}
    std::uint32_t slotOf(Id id) const {
      // One unsigned comparison covers id < 1 too.
      if (static_cast<std::uint64_t>(id) - 1 < size_) [[likely]] return slots_[static_cast<std::size_t>(id - 1)];
      return index_->findSparse(id);
    }

   private:
    const std::uint32_t* slots_;
    std::uint64_t size_;
    const PkIndex* index_;
  };

  // Starts loading the entry of `id` (a hint: changes nothing).
  void prefetch(Id id) const noexcept {
    if (inDense(id)) prefetchLine(&dense_[static_cast<std::size_t>(id - 1)]);
  }

  // Adds `row` (its id already written). False if the id is taken.
  bool insert(std::uint32_t row) {
    const Id id = column_->intAt(row);
    if (!inDense(id)) growFor(id);
    if (inDense(id)) {
      std::uint32_t& slot = dense_[static_cast<std::size_t>(id - 1)];
      if (slot != kNone) return false;
      slot = row;
      ++denseCount_;
      return true;
    }
    return sparse_.insert(row);
  }

  // Indexes rows [0, rows) of an empty index in one go (snapshot loads):
  // when the ids form a dense enough run from 1, one array write per row.
  // Returns the first row whose id repeats an earlier one's, if any.
  std::optional<std::uint32_t> build(std::uint32_t rows) {
    std::int64_t lo = 1, hi = 0;
    column_->forEachIntChunk([&](std::span<const std::int64_t> ids, std::size_t) {
      for (std::int64_t id : ids) {
        lo = std::min(lo, id);
        hi = std::max(hi, id);
      }
    });
    if (lo >= 1 && static_cast<std::uint64_t>(hi) <= 2 * (static_cast<std::uint64_t>(rows) + 1) + 64) {
      dense_.assign(static_cast<std::size_t>(hi), kNone);
      std::optional<std::uint32_t> repeated;
      column_->forEachIntChunk([&](std::span<const std::int64_t> ids, std::size_t first) {
        for (std::size_t i = 0; i < ids.size() && !repeated; ++i) {
          std::uint32_t& slot = dense_[static_cast<std::size_t>(ids[i] - 1)];
          if (slot != kNone) repeated = static_cast<std::uint32_t>(first + i);
          slot = static_cast<std::uint32_t>(first + i);
        }
      });
      if (repeated) return repeated;
      denseCount_ = rows;
      return std::nullopt;
    }
    reserve(rows);
    for (std::uint32_t r = 0; r < rows; ++r) {
      if (!insert(r)) return r;
    }
    return std::nullopt;
  }

  // Removes the entry of `id` (before its column value changes).
  void erase(Id id) {
    renewEpoch();
    if (inDense(id)) {
      std::uint32_t& slot = dense_[static_cast<std::size_t>(id - 1)];
      if (slot != kNone) {
        slot = kNone;
        --denseCount_;
      }
      return;
    }
    sparse_.erase(id);
  }

  std::size_t size() const noexcept { return denseCount_ + sparse_.size(); }
  void reserve(std::size_t n) { dense_.reserve(n); }
  std::size_t memoryUsage() const { return dense_.capacity() * sizeof(std::uint32_t) + sparse_.memoryUsage(); }

 private:
  void renewEpoch() noexcept {
    if (++epoch_ == epochsEnd_) {
      epoch_ = reserveEpochs();
      epochsEnd_ = epoch_ + kEpochBlock;
    }
  }
  // Ids the array does not cover (rare): kept out of line so that find()'s
  // array path inlines into its callers.
  [[gnu::noinline]] std::uint32_t findSparse(Id id) const {
    const auto row = sparse_.find(id);
    return row ? *row : kNone;
  }

  bool inDense(Id id) const noexcept { return id >= 1 && static_cast<std::uint64_t>(id) <= dense_.size(); }

  // Extends the array to cover `id` if it then stays at least half full.
  void growFor(Id id) {
    if (id < 1) return;
    const auto wanted = static_cast<std::uint64_t>(id);
    if (wanted > 2 * (size() + 1) + 64) return;
    const std::size_t old = dense_.size();
    dense_.resize(static_cast<std::size_t>(wanted), kNone);
    for (std::size_t i = old; i < dense_.size(); ++i) {
      const Id covered = static_cast<Id>(i + 1);
      if (auto row = sparse_.find(covered)) {
        sparse_.erase(covered);
        dense_[i] = *row;
        ++denseCount_;
      }
    }
  }

  const Column* column_;
  std::uint64_t epoch_ = reserveEpochs();
  std::uint64_t epochsEnd_ = epoch_ + kEpochBlock;  // this index's block: [.., epochsEnd_)
  LargeVector<std::uint32_t> dense_;  // dense_[id - 1] = row, or kNone
  std::size_t denseCount_ = 0;
  SlotIndex<NumericKeys> sparse_;
};

}  // namespace relstore::detail
