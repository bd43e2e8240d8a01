// One typed column of a table: dense values plus a null bitmap.
//
// Values are stored unboxed in the array of the column's type (texts as
// 16-byte cells, text_cell.h), in
// copy-on-write chunks (cow_chunks.h: copying a column, as an asynchronous
// snapshot does, is O(chunks)); a null row
// keeps a zero/empty placeholder there and its bit set in `nulls_`. The
// table frees a row's slot by writing nulls over it, or drops the last slot
// (`popBack`).
//
// Callers hand in values already checked and converted to the column's type
// (see write/validation.h); the column does not re-check.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "relstore/internal/model_head.h"
#include "relstore/value.h"
#include "storage/cow_chunks.h"
#include "storage/prefetch.h"
#include "storage/text_cell.h"

namespace relstore::detail {

class Column {
 public:
  explicit Column(Type type) : type_(type) {}

  Type type() const noexcept { return type_; }
  std::uint32_t size() const noexcept { return size_; }

  bool isNull(std::uint32_t row) const noexcept { return (nulls_[row >> 6] >> (row & 63)) & 1u; }
  std::int64_t intAt(std::uint32_t row) const noexcept { return ints_[row]; }
  double realAt(std::uint32_t row) const noexcept { return reals_[row]; }
  bool boolAt(std::uint32_t row) const noexcept { return bools_[row] != 0; }
  // Valid until the next write to the column.
  std::string_view textAt(std::uint32_t row) const noexcept { return texts_[row].view(); }
  const TextCell& textCellAt(std::uint32_t row) const noexcept { return texts_[row]; }
  // Starts loading the cache lines `row`'s cell and null bit live on, so
  // that reads of scattered rows overlap instead of waiting one by one.
  // Requires row < size(). A hint: reads only the chunk table, changes
  // nothing. O(1).
  void prefetch(std::uint32_t row) const noexcept {
    prefetchLine(&nulls_[row >> 6]);
    switch (type_) {
      case Type::Int: prefetchLine(&ints_[row]); break;
      case Type::Real: prefetchLine(&reals_[row]); break;
      case Type::Bool: prefetchLine(&bools_[row]); break;
      case Type::Text: prefetchLine(&texts_[row]); break;
    }
  }
  // Address of an Int cell, stable until the next write to the table.
  const std::int64_t* intAddress(std::uint32_t row) const noexcept { return &ints_[row]; }
  // Calls f(values, firstRow) for each chunk of an Int column's values, in
  // order: bulk reads (index builds, snapshot writes) at array speed.
  template <class F>
  void forEachIntChunk(F&& f) const { ints_.forEachChunk(f); }

  // The value at `row`, boxed (null when null).
  Value get(std::uint32_t row) const;
  // Whether `row` holds `v` (null or of this column's type); null equals null.
  bool equals(std::uint32_t row, const Value& v) const { return v.isNull() ? isNull(row) : !isNull(row) && get(row) == v; }
  // Whether writing `v` would be a change: not equal, or a Real for an Int
  // column even when the numbers are equal (2.0 for 2: validation refuses
  // it, so it must reach validation).
  bool differs(std::uint32_t row, const Value& v) const {
    return (type_ == Type::Int && !v.isNull() && v.type() == Type::Real) || !equals(row, v);
  }
  // Appends `v` (null or of this column's type).
  void push(const Value& v);
  // Overwrites `row` with `v` (null or of this column's type).
  void set(std::uint32_t row, const Value& v);
  void popBack();
  void reserve(std::size_t rows);

  // A new column holding this column's cells at `rows` (each < size()), in
  // that order, nulls included: typed copies, no boxing. O(rows.size()).
  Column gather(std::span<const std::uint32_t> rows) const;

  // Bytes of heap held: vectors' capacity plus out-of-line text buffers.
  std::size_t memoryUsage() const;

  // The raw parts, for snapshots: the null bitmap (one bit per row, 64 rows
  // a word, (size + 63) / 64 words, bits past size clear) and the values of
  // the column's type (the others are empty), numbers chunk by chunk.
  const std::vector<std::uint64_t>& nullWords() const noexcept { return nulls_; }
  const CowChunks<std::int64_t>& ints() const noexcept { return ints_; }
  const CowChunks<double>& reals() const noexcept { return reals_; }
  const CowChunks<std::uint8_t>& bools() const noexcept { return bools_; }
  const CowChunks<TextCell, 15>& texts() const noexcept { return texts_; }
  // The text cells' chunk table, for ModelHead's inline reads (which hold
  // its address: valid while the column lives, whatever its chunks do).
  const std::vector<TextCell*>& textChunkTable() const noexcept { return texts_.chunkTable(); }
  // A column of `rows` rows from raw parts: `nulls` as above, `data` the
  // vector of `type` holding `rows` values (null rows: zero / empty), the
  // other vectors empty. Throws std::invalid_argument when the sizes do not
  // fit together or a bit past `rows` is set (snapshot loads check first).
  static Column fromParts(Type type, std::uint32_t rows, std::vector<std::uint64_t> nulls,
                          std::vector<std::int64_t> ints, std::vector<double> reals,
                          std::vector<std::uint8_t> bools, std::vector<TextCell> texts);

 private:
  void setNullBit(std::uint32_t row, bool null) noexcept {
    const std::uint64_t bit = std::uint64_t{1} << (row & 63);
    if (null) nulls_[row >> 6] |= bit; else nulls_[row >> 6] &= ~bit;
  }
  void writeRaw(std::uint32_t row, const Value& v);

  Type type_;
  std::uint32_t size_ = 0;
  std::vector<std::uint64_t> nulls_;
  CowChunks<std::int64_t> ints_;
  CowChunks<double> reals_;
  CowChunks<std::uint8_t> bools_;
  CowChunks<TextCell, 15> texts_;  // 32Ki cells (512 KiB) a chunk, as the 8-byte types
};

// Instance's inline text reads (relstore/internal/model_head.h) address the
// cells themselves: the layout they assume is this one.
static_assert(CowChunks<TextCell, 15>::kShift == ModelHead::kTextChunkShift);
static_assert(sizeof(TextCell) == ModelHead::kTextCellBytes && TextCell::kInline == ModelHead::kInlineText);

}  // namespace relstore::detail
