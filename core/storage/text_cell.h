// TextCell: one Text cell of a column in 16 bytes — strings of up to 15
// bytes inline, longer ones in a heap buffer of their own.
//
// Why: a std::string is 32 bytes, so a text column's cells filled two to a
// cache line. Reads of a few rows (an association's, an include's) are
// bound by the lines they touch; names, titles, labels and statuses are
// short, and at 16 bytes four cells share a line. A cell is a value: copies
// copy the text (as std::string's do), moves steal the buffer.
//
// Layout (little-endian): byte 15 is the tag. Below 16 it is the length of
// an inline text held in bytes [0, 15), the bytes past it zero (so equal
// short texts have equal cells). Otherwise bytes [0, 8) are the buffer's
// address and bytes [8, 16) the length, with the tag in its top byte
// (lengths stay below 2^56). Instance's inline reads of short texts
// (relstore/internal/model_head.h) read inline cells by this layout.
//
// Costs: view() is a branch and no memory access beyond the cell; assign
// and copy of a long text allocate its length; nothing else allocates.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "relstore/internal/model_head.h"

namespace relstore::detail {

class TextCell {
 public:
  static constexpr std::size_t kInline = 15;  // longest text held in the cell

  TextCell() noexcept { setEmpty(); }
  explicit TextCell(std::string_view text) { init(text); }
  TextCell(const TextCell& other) { init(other.view()); }
  TextCell(TextCell&& other) noexcept {
    std::memcpy(bytes_, other.bytes_, sizeof bytes_);
    other.setEmpty();
  }
  TextCell& operator=(const TextCell& other) {
    if (this != &other) assign(other.view());
    return *this;
  }
  TextCell& operator=(TextCell&& other) noexcept {
    if (this != &other) {
      release();
      std::memcpy(bytes_, other.bytes_, sizeof bytes_);
      other.setEmpty();
    }
    return *this;
  }
  ~TextCell() { release(); }

  // The text; valid until this cell is written or destroyed. O(1).
  std::string_view view() const noexcept {
    const auto tag = static_cast<std::uint8_t>(bytes_[15]);
    if (tag <= kInline) return {bytes_, tag};
    return {farData(), farSize()};
  }
  std::size_t size() const noexcept { return view().size(); }
  // The text copied into a new std::string. An inline text is copied as the
  // cell's whole 15 bytes, a length known at compile time (two moves, no
  // memcpy call), then cut to its length (ModelHead::shortText, which
  // Instance's inline read calls too). Throws std::bad_alloc for a long text.
  std::string toString() const {
    const auto tag = static_cast<std::uint8_t>(bytes_[15]);
    return tag <= kInline ? ModelHead::shortText(bytes_) : std::string(farData(), farSize());
  }
  // Replaces the text (the old buffer is freed after the copy: `text` may
  // point into it). Throws std::bad_alloc for a long text; the cell is
  // unchanged then.
  void assign(std::string_view text) {
    TextCell next(text);
    *this = std::move(next);
  }
  void clear() noexcept {
    release();
    setEmpty();
  }
  // Bytes held outside the cell (0 for an inline text).
  std::size_t heapBytes() const noexcept { return isFar() ? farSize() : 0; }
  // Whether this cell holds the same text as `shortText`, a cell whose text
  // is inline (at most kInline bytes). One 16-byte comparison: an inline
  // cell's unused bytes are always zero, and a longer text's tag equals no
  // inline length.
  bool equalsInline(const TextCell& shortText) const noexcept {
    return std::memcmp(bytes_, shortText.bytes_, sizeof bytes_) == 0;
  }

 private:
  static_assert(std::endian::native == std::endian::little, "TextCell's tag is the length word's top byte");
  static constexpr std::uint64_t kFarTag = std::uint64_t{0x80} << 56;
  static constexpr std::uint64_t kSizeMask = (std::uint64_t{1} << 56) - 1;

  bool isFar() const noexcept { return static_cast<std::uint8_t>(bytes_[15]) > kInline; }
  const char* farData() const noexcept {
    const char* data;
    std::memcpy(&data, bytes_, sizeof data);
    return data;
  }
  std::size_t farSize() const noexcept {
    std::uint64_t word;
    std::memcpy(&word, bytes_ + 8, sizeof word);
    return static_cast<std::size_t>(word & kSizeMask);
  }
  void setEmpty() noexcept { std::memset(bytes_, 0, sizeof bytes_); }
  void init(std::string_view text) {
    if (text.size() <= kInline) {
      setEmpty();
      if (!text.empty()) std::memcpy(bytes_, text.data(), text.size());
      bytes_[15] = static_cast<char>(text.size());
      return;
    }
    char* data = new char[text.size()];
    std::memcpy(data, text.data(), text.size());
    const std::uint64_t word = static_cast<std::uint64_t>(text.size()) | kFarTag;
    std::memcpy(bytes_, &data, sizeof data);
    std::memcpy(bytes_ + 8, &word, sizeof word);
  }
  void release() noexcept {
    if (isFar()) delete[] farData();
  }

  alignas(16) char bytes_[16];  // aligned: four cells to a cache line, none across two
};

static_assert(sizeof(TextCell) == 16);

}  // namespace relstore::detail
