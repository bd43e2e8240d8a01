// A model's rows: typed columns, the primary-key index and attribute indices.
//
// Rows live in slots 0..slotCount()-1. Erasing a row leaves its slot free (a
// tombstone: every cell null, the primary key included) instead of moving
// another row into it, so no other row is re-keyed in any index; the next
// insert takes the most recently freed slot. Erasing the last slot shrinks the
// table instead. Scans go over the slots and skip free ones (isLive). Slots
// are stable while a row lives, but ids are the names callers keep.
// The table keeps every index exact on every write; it does not check
// types or constraints — the write path (core/write/) does that first and only
// then calls in here, so these calls cannot fail halfway.
//
// Complexity: insert, set, erase O(columns + indices); rowOf O(1); a scan
// O(slotCount()).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "relstore/instance.h"
#include "relstore/value.h"
#include "storage/column.h"
#include "storage/indexes.h"
#include "storage/link_index.h"
#include "storage/pair_index.h"
#include "storage/pk_index.h"
#include "undo_log.h"

namespace relstore::detail {

struct ColumnSpec {
  Type type;
  bool unique = false;
  bool index = false;
};

class Table {
 public:
  Table(const std::vector<ColumnSpec>& specs, std::uint32_t pkColumn);
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  // Live rows.
  std::uint32_t rowCount() const noexcept { return slotCount() - static_cast<std::uint32_t>(free_.size()); }
  // Slots, live or free: scans run over [0, slotCount()) and skip free ones.
  std::uint32_t slotCount() const noexcept { return pk().size(); }
  // Whether `slot` holds a row (a free slot's primary key is null). O(1).
  bool isLive(std::uint32_t slot) const noexcept { return !pk().isNull(slot); }
  // Whether some slot below slotCount() is free.
  bool hasFreeSlots() const noexcept { return !free_.empty(); }
  // The free slots, the one the next insert takes last.
  std::span<const std::uint32_t> freeSlots() const noexcept { return free_; }
  std::uint32_t columnCount() const noexcept { return static_cast<std::uint32_t>(columns_.size()); }
  std::uint32_t pkColumn() const noexcept { return pkColumn_; }
  const Column& column(std::uint32_t c) const noexcept { return *columns_[c]; }
  Id idAt(std::uint32_t row) const noexcept { return pk().intAt(row); }

  // The slot of the row with primary key `id`, if any. O(1).
  std::optional<std::uint32_t> rowOf(Id id) const { return pkIndex_.find(id); }
  // The same, from a hint taken by hintFor(slot of `id`): the hinted slot
  // while no id has lost its slot since, else the lookup. O(1).
  std::optional<std::uint32_t> rowOf(Id id, RowHint hint) const {
    const std::uint32_t row = slotOf(id, hint);
    if (row == kNoSlot) return std::nullopt;
    return row;
  }
  // rowOf without the optional, for hot loops (see PkIndex::slotOf): the
  // slot, or kNoSlot. O(1).
  static constexpr std::uint32_t kNoSlot = PkIndex::kNone;
  std::uint32_t slotOf(Id id) const { return pkIndex_.slotOf(id); }
  std::uint32_t slotOf(Id id, RowHint hint) const { return hintHolds(hint) ? hint.row : pkIndex_.slotOf(id); }
  // slotOf for loops over many ids (see PkIndex::Lookup). Valid until the
  // next write to the table.
  PkIndex::Lookup slotLookup() const noexcept { return PkIndex::Lookup(pkIndex_); }
  // Starts loading the bucket linksOfCell(column, _, _, keyRow) will read,
  // for an Int key held by `keyRow` of column `key` (a hint: reads the key).
  void prefetchLinksOfCell(std::uint32_t column, const Column& key, std::uint32_t keyRow) const noexcept {
    const auto* l = std::get_if<LinkIndex<NumericKeys>>(&links_[column]);
    if (l && key.type() == Type::Int && !key.isNull(keyRow)) l->prefetchBucket(key.intAt(keyRow));
  }
  // Starts loading the entry of `id` in the primary-key index (a hint).
  void prefetchRowOf(Id id) const noexcept { pkIndex_.prefetch(id); }
  // Starts loading the association buckets an insert of `values` (one per
  // column) will add to: call it as soon as the values are known, and the
  // insert, later, finds them arriving. A hint: changes nothing. O(columns).
  void prefetchLinksFor(const std::vector<Value>& values) const noexcept;
  // A hint for live `row`, for the handle made for it.
  RowHint hintFor(std::uint32_t row) const noexcept { return {row, hintEpoch()}; }
  // The epoch every hint made now carries (for loops that make many).
  std::uint64_t hintEpoch() const noexcept { return pkIndex_.epoch(); }
  // hintEpoch()'s address: valid, and current, while this table lives.
  const std::uint64_t& hintEpochHolder() const noexcept { return pkIndex_.epochHolder(); }
  // Whether `hint` still names its row's slot (no id has lost its slot since).
  bool hintHolds(RowHint hint) const noexcept { return hint.epoch == hintEpoch(); }

  // Adds a row in the most recently freed slot, or a new one at the end, and
  // returns its slot; `values` has one entry per column, each null or of the
  // column's type, the primary key non-null and free, unique values free.
  std::uint32_t insert(const std::vector<Value>& values);
  // Like insert, but checks the primary key and unique values itself: on a
  // duplicate, returns the offending column and leaves the table unchanged
  // (its free slots included). Cheaper than probing each index first and
  // inserting after.
  std::optional<std::uint32_t> insertIfUnique(const std::vector<Value>& values);
  // Overwrites one cell (value checked by the caller; unique/pk value free).
  void set(std::uint32_t row, std::uint32_t column, const Value& value);
  // Overwrites several cells of one column at once, so that values may move
  // between the rows (a swap of unique values): every old index entry goes
  // before any new one comes. Cells name distinct rows.
  void setMany(std::uint32_t column, const std::vector<std::pair<std::uint32_t, Value>>& cells);
  // Removes the row at live slot `row`; no other row moves. The slot becomes
  // free, or the table shrinks by one when it is the last slot.
  void erase(std::uint32_t row);
  // Undoes erase(row) of a row that held `values`: back into the same slot,
  // every index with it (at `places` in the buckets, as it was), the free
  // slots as before the erase. For the undo log only (which makes sure
  // nothing else happened since).
  void reinsertAt(std::uint32_t row, const std::vector<Value>& values, const std::vector<BucketPlace>& places);
  // Undo set(row, column, ...) / setMany(column, ...): the old value(s) back,
  // each row at its `places` in the buckets of `column`'s indices; records
  // nothing. For the undo log only (nothing else happened since).
  void restoreCell(std::uint32_t row, std::uint32_t column, const Value& old, const std::vector<BucketPlace>& places);
  void restoreCells(std::uint32_t column, const std::vector<std::pair<std::uint32_t, Value>>& old,
                    const std::vector<BucketPlace>& places);
  // Undoes the insert that put a row into `row` (`reusedSlot`: it took a free
  // slot rather than appending), free slots included; records nothing. For
  // the undo log and for a create that fails after its insert.
  void retractInsert(std::uint32_t row, bool reusedSlot);
  // When at least kCompactionFreeSlots slots and half of all slots are free,
  // and no undo log is active (it names slots): moves the live rows together,
  // in slot order, and rebuilds every index from them, so that scans and
  // memory follow the live rows again. Returns whether it did. Every slot may
  // change. O(slots x (columns + indices)) when it runs; since it needs as
  // many frees as rows remain, O(columns + indices) amortized per erase.
  bool compactIfSparse();
  static constexpr std::size_t kCompactionFreeSlots = 1024;
  // The live rows, compacted: one column per column of the table (snapshots
  // of a table with free slots). O(slots x columns).
  std::vector<Column> liveColumns() const;
  // The same from columns of a table (or copies of them) whose primary key
  // is `columns[pkColumn]`: rows whose key is null are free slots, left out.
  static std::vector<Column> liveRowsOf(const std::vector<const Column*>& columns, std::uint32_t pkColumn);
  // Where changes are recorded while a transaction is open: `slot` points at
  // the store's active undo log (null when none).
  void attachUndo(UndoLog* const* slot) noexcept { undo_ = slot; }
  void reserve(std::size_t rows);

  // Schema changes (associations add foreign-key columns). addColumn appends
  // a column holding `fill` in every existing row; addLinkIndex gives
  // `column` an association index whose payload is `payloadColumn` (an Int
  // column, usually the primary key), built from the rows present.
  void addColumn(const ColumnSpec& spec, const Value& fill);
  void addLinkIndex(std::uint32_t column, std::uint32_t payloadColumn);
  bool hasLinkIndex(std::uint32_t column) const noexcept;
  // The column whose values a link index carries beside its rows (requires hasLinkIndex).
  std::uint32_t linkPayloadColumn(std::uint32_t column) const noexcept { return linkPayloads_[column]; }
  // Whether that index carries the rows' own ids (a hasMany's or belongsTo's
  // index does; a junction key's first made by a belongsToMany carries the
  // other key instead).
  bool linksCarryIds(std::uint32_t column) const noexcept { return linkPayloads_[column] == pkColumn_; }
  // Whether that index's buckets also keep their rows' ids (LinkBucket::
  // rowIds()): when their payload is another column, a junction's other key.
  bool linksKeepRowIds(std::uint32_t column) const noexcept { return !linksCarryIds(column); }
  // A unique constraint over the pair (a, b) (a belongsToMany junction's pair set).
  void addPairIndex(std::uint32_t a, std::uint32_t b);
  std::size_t pairIndexCount() const noexcept { return pairs_.size(); }
  // Whether a pair constraint covers `column`. O(pair constraints).
  bool inPairIndex(std::uint32_t column) const noexcept {
    return std::any_of(pairs_.begin(), pairs_.end(), [&](const PairIndex& p) { return p.covers(column); });
  }
  const PairIndex& pairIndex(std::size_t i) const noexcept { return pairs_[i]; }
  // The row other than `except` holding the non-null pair (va, vb) of pair
  // constraint `pair` (values of the columns' types), if any.
  // O(min(rows holding va, rows holding vb)).
  std::optional<std::uint32_t> pairRow(std::size_t pair, const Value& va, const Value& vb,
                                       std::optional<std::uint32_t> except = std::nullopt) const;
  // Calls f(key) once per distinct non-null value of Int column `column`, from
  // its link index; false (f not called) when it has none. O(distinct keys).
  bool forEachLinkKey(std::uint32_t column, const std::function<void(std::int64_t)>& f) const;
  // A row whose pair repeats another row's, if any (snapshot loads, checks).
  std::optional<std::uint32_t> repeatedPair(std::size_t pair) const;
  // The first pair constraint a new row of `values` would break, if any.
  // insert/insertIfUnique do not check pairs: callers do, first.
  std::optional<std::size_t> pairConflict(const std::vector<Value>& values) const;
  // The rows whose `column` equals non-null `key` (of the column's type), with
  // their payloads; null if none. Requires hasLinkIndex(column).
  const LinkBucket* links(std::uint32_t column, const Value& key) const;
  // links() for an Int key column and an Int key, with nothing boxed: the
  // hot path of Association::ids(). Null if none or no numeric link index.
  const LinkBucket* intLinks(std::uint32_t column, std::int64_t key) const {
    const auto* l = std::get_if<LinkIndex<NumericKeys>>(&links_[column]);
    return l ? l->find(key) : nullptr;
  }
  // The rows referencing the key held by `keyColumn` of `keyRow` in `keyTable`
  // (same key type as `column`), without boxing the key; null if none or the
  // key is null.
  const LinkBucket* linksOfCell(std::uint32_t column, const Table& keyTable, std::uint32_t keyColumn,
                                std::uint32_t keyRow) const;

  // Index access. hasIndex: `column` has a unique or multi index (the pk too).
  bool hasIndex(std::uint32_t column) const noexcept;
  bool isUniqueIndexed(std::uint32_t column) const noexcept;
  // Rows whose `column` equals non-null `value` (of the column's type), from
  // the index; appends to `out`. Requires hasIndex(column).
  void lookup(std::uint32_t column, const Value& value, std::vector<std::uint32_t>& out) const;
  // How many rows lookup() would append, without appending. O(1).
  std::size_t lookupSize(std::uint32_t column, const Value& value) const;
  // The row holding non-null `value` in unique column `column`, if any.
  std::optional<std::uint32_t> uniqueRow(std::uint32_t column, const Value& value) const;

  // Snapshot loads. emptyCopy: a table with this one's columns, indices,
  // link and pair indices, and no rows. adoptColumns: on a table with no
  // rows, takes `columns` (one per column, same types, equal sizes) as its
  // contents without indexing them; the jobs of indexJobs then build every
  // index. They report
  // returns what stops it — the first column whose unique values (the
  // primary key's included) repeat, or a pair index whose pairs repeat — and
  // leaves the table unusable then (the caller discards it).
  std::unique_ptr<Table> emptyCopy() const;
  void adoptColumns(std::vector<Column> columns);
  struct Duplicate {
    bool pair = false;          // a pair index (number `index`) rather than a column
    std::uint32_t index = 0;    // column, or pair index
    std::uint32_t row = 0;      // the second row holding the value
  };
  // Every index built in independent pieces, one per index, that may run
  // concurrently (each writes only its own index and reads the columns): appends to
  // `jobs` one job per index, each storing into `found` (sized here to the
  // number of jobs added) what it stops at. The caller runs them all, then
  // reports the first duplicate found. `linkOrder`, when given, holds per
  // column the rows of every link bucket in the order to keep (compaction);
  // otherwise buckets follow slot order.
  void indexJobs(std::vector<std::function<void()>>& jobs, std::vector<std::optional<Duplicate>>& found,
                 const std::vector<std::vector<std::uint32_t>>* linkOrder = nullptr);

  // Recomputes every index from the columns; throws IntegrityError naming
  // `model` and the column (by `columnNames`) on the first difference.
  void checkIntegrity(const std::string& model, const std::vector<std::string>& columnNames) const;
  std::size_t memoryUsage() const;

 private:
  // The primary-key column, for a link index of `column` that keeps row ids
  // (its payload is another column); else null.
  const Column* linkRowIdColumn(std::uint32_t column) const noexcept {
    return linksKeepRowIds(column) ? columns_[pkColumn_].get() : nullptr;
  }
  using Index = std::variant<std::monostate, SlotIndex<NumericKeys>, SlotIndex<TextKeys>,
                             MultiIndex<NumericKeys>, MultiIndex<TextKeys>>;
  using Link = std::variant<std::monostate, LinkIndex<NumericKeys>, LinkIndex<TextKeys>>;

  const Column& pk() const noexcept { return *columns_[pkColumn_]; }
  void indexInsert(std::uint32_t column, std::uint32_t row);
  void indexErase(std::uint32_t column, std::uint32_t row);
  void linkInsert(std::uint32_t column, std::uint32_t row);
  void linkErase(std::uint32_t column, std::uint32_t row);
  // A cell's entries in every index of its column (the primary key's, an
  // attribute index, an association index): out before it changes, in after.
  void unindexCell(std::uint32_t column, std::uint32_t row);
  void indexCell(std::uint32_t column, std::uint32_t row);
  // Calls f(link index, key) for each column of `values` (one per column)
  // with a numeric link index and a non-null Int value.
  template <class F>
  void forEachIntLinkKey(const std::vector<Value>& values, F&& f) const noexcept;
  // Replaces every index (pk, attribute, link) by an empty one of its kind.
  void resetIndexes();
  // Where a new row goes: the most recently freed slot (values written over
  // its nulls), or a new slot at the end. The indices are the caller's.
  std::uint32_t placeRow(const std::vector<Value>& values);
  // Takes every index entry of live `row` out (before its cells change).
  void unindexRow(std::uint32_t row);
  // Puts every index entry of `row` in (after its cells were written).
  void indexRow(std::uint32_t row);
  // Empties `row`, whose index entries are already out: the slot becomes
  // free (every cell null) when `leaveFree`, otherwise it must be the last
  // slot and the table shrinks. Undoes placeRow, and ends an erase.
  void releaseSlot(std::uint32_t row, bool leaveFree);
  // Drops the last slot from every column and slot-holding index.
  void popSlot();
  // After `column` of `row` changed: refresh the payloads that copy it.
  void refreshPayloads(std::uint32_t column, std::uint32_t row);
  // Appends where live `row` sits in the buckets of `column`'s non-unique
  // index and association index (those it is in: its cell is non-null).
  void appendBucketPlaces(std::uint32_t row, std::uint32_t column, std::vector<BucketPlace>& out) const;
  // The same for every column of the row.
  std::vector<BucketPlace> bucketPlaces(std::uint32_t row) const;
  // Moves each row of `places`, back at the end of its buckets, to its place.
  void restorePlaces(std::span<const BucketPlace> places);

  std::vector<std::unique_ptr<Column>> columns_;  // stable addresses: indices hash through them
  std::vector<Index> indexes_;                    // per column; monostate when none
  std::vector<Link> links_;                       // per column; monostate when none
  std::vector<std::uint32_t> linkPayloads_;       // per column: the link index's payload column
  std::vector<PairIndex> pairs_;
  std::uint32_t pkColumn_;
  PkIndex pkIndex_;
  // Free slots below slotCount(), most recently freed last (inserts take it).
  std::vector<std::uint32_t> free_;
  UndoLog* const* undo_ = nullptr;
  UndoLog* log() const noexcept { return undo_ ? *undo_ : nullptr; }
  std::vector<Value> rowValues(std::uint32_t row) const;
};

}  // namespace relstore::detail
