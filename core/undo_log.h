// The undo log of open transactions: every change to a table or an id
// counter, recorded before (or, for an insert, after) it is made, so that a
// rollback can replay the inverse operations newest first.
//
// It exists only while a transaction (or a write operation whose hooks may
// write, see write/operation.h) is open: tables and models reach it through
// a pointer to the store's "active log" slot, null otherwise, so the write
// path outside transactions pays one load and one predictable branch.
//
// Undoing restores contents, every index, the row slots and the free slots
// exactly (a destroyed row goes back to its slot), and the order of rows in
// every bucket of an association index or an attribute's non-unique index
// (what get(), ids() and an indexed findAll show): an erase or a key change
// records where the row sat (BucketPlace), and undoing puts it back there.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "relstore/value.h"

namespace relstore::detail {

class Table;
class ModelImpl;

// Where `row` sat in one bucket: of the association index (`link`) or the
// non-unique attribute index of `column`. A removal moves the bucket's last
// row into the hole; undoing it appends the row again and swaps it back here.
struct BucketPlace {
  std::uint32_t row;
  std::uint32_t column;
  std::uint32_t position;
  bool link;
};

class UndoLog {
 public:
  // Recording (called by Table and ModelImpl while the log is active).
  // `reusedSlot`: the row took a free slot rather than a new one at the end.
  void inserted(Table& table, std::uint32_t row, bool reusedSlot) {
    entries_.push_back({Kind::Insert, &table, nullptr, row, reusedSlot ? 1u : 0u, {}, {}, {}, {}, 0});
  }
  // `places`: where the row sat in each bucket it leaves (Table::bucketPlaces).
  void erasing(Table& table, std::uint32_t row, std::vector<Value> values, std::vector<BucketPlace> places) {
    entries_.push_back({Kind::Erase, &table, nullptr, row, 0, {}, std::move(values), {}, std::move(places), 0});
  }
  void setting(Table& table, std::uint32_t row, std::uint32_t column, Value old, std::vector<BucketPlace> places) {
    entries_.push_back({Kind::Set, &table, nullptr, row, column, std::move(old), {}, {}, std::move(places), 0});
  }
  // Returns the entry's places (`room`: empty, with the capacity they will
  // need), for the caller to append each cell's row's as it takes the row
  // out (in the cells' order).
  std::vector<BucketPlace>& settingMany(Table& table, std::uint32_t column,
                                        std::vector<std::pair<std::uint32_t, Value>> old,
                                        std::vector<BucketPlace> room) {
    entries_.push_back({Kind::SetMany, &table, nullptr, 0, column, {}, {}, std::move(old), std::move(room), 0});
    return entries_.back().places;
  }
  void counter(ModelImpl& model, Id old) {
    entries_.push_back({Kind::Counter, nullptr, &model, 0, 0, {}, {}, {}, {}, old});
  }

  // A position to roll back to.
  std::size_t mark() const noexcept { return entries_.size(); }
  // Whether an entry after `mark` changed a table for which `pred` holds.
  template <class Pred>
  bool changedSince(std::size_t mark, Pred pred) const {
    for (std::size_t i = mark; i < entries_.size(); ++i) {
      if (entries_[i].table && pred(*entries_[i].table)) return true;
    }
    return false;
  }
  // Undoes every entry after `mark`, newest first, and forgets them. The
  // caller makes the log inactive first (undoing must not record). Undo
  // steps restore states that held before, so they cannot break a
  // constraint; only an allocation failure could interrupt them.
  void rollbackTo(std::size_t mark);
  // Forgets every entry (commit of the outermost transaction).
  void clear() noexcept { entries_.clear(); }

 private:
  enum class Kind : std::uint8_t { Insert, Erase, Set, SetMany, Counter };
  struct Entry {
    Kind kind;
    Table* table;
    ModelImpl* model;
    std::uint32_t row;
    std::uint32_t column;                            // Insert: 1 when it reused a free slot
    Value value;                                     // Set: the old value
    std::vector<Value> values;                       // Erase: the row
    std::vector<std::pair<std::uint32_t, Value>> cells;  // SetMany: the old cells
    std::vector<BucketPlace> places;                 // Erase, Set, SetMany: where the rows sat
    Id counter;                                      // Counter: the old counter
  };
  std::vector<Entry> entries_;
};

}  // namespace relstore::detail
