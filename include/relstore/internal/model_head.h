// relstore/internal/model_head.h — internal: what an Instance's inline text
// read sees of its model. Not part of the API; users never name it.
//
// What it is: the first base of every model's implementation, holding the
// lookup of short attribute names (by length, then the name's bytes) and,
// per attribute, where a Text column keeps its cells. With it
// `Instance::get<std::string>(name)` reads a short text in the caller's
// code — no call, no load of the model's other parts — and only its other
// cases (staged values, unknown names, long or empty texts, a handle whose
// row hint is stale, models over 16 attributes) call into the library.
//
// Why inline: an association's get() plus one attribute per target is the
// read a game server does most (the posts of a user, the items of a
// player); the calls into the library, their prologues and the lookups an
// opaque model forced were nearly a fifth of it (1425 instructions for a
// get of ten with ten reads; 1151 inline).
//
// Invariants, kept by the model (core/store_impl.cpp): the lists and names
// are rebuilt whenever an attribute is added or renamed; the column
// addresses and the epoch's address whenever the model's table or columns
// change (an association's new key, a snapshot load). A column's chunk
// table is the column's own member, so its address holds while the column
// lives even when its chunks change.
//
// Cost: findShortAttribute loads the list head for the name's length, then
// compares one or two words per name of that length (usually one name);
// shortTextCell then loads the chunk table, the chunk's address and the
// cell, one after the other, and beside them the table's epoch.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace relstore::detail {

class TextCell;  // core/storage/text_cell.h: 16 bytes, byte 15 the tag

// Whether the first and the last sizeof(Word) of the `n` bytes at `a` and
// `b` are equal (sizeof(Word) <= n <= 2 * sizeof(Word): together, all of them).
template <class Word>
bool sameEnds(const char* a, const char* b, std::size_t n) noexcept {
  Word a0, a1, b0, b1;
  std::memcpy(&a0, a, sizeof(Word));
  std::memcpy(&a1, a + n - sizeof(Word), sizeof(Word));
  std::memcpy(&b0, b, sizeof(Word));
  std::memcpy(&b1, b + n - sizeof(Word), sizeof(Word));
  return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

// Whether the `n` bytes at `a` and `b` are equal, for n <= 16 (a short
// attribute name): two (overlapping) words each side, without a call to
// memcmp or a byte loop's branches.
inline bool sameBytes(const char* a, const char* b, std::size_t n) noexcept {
  if (n >= 8) return sameEnds<std::uint64_t>(a, b, n);
  if (n >= 4) return sameEnds<std::uint32_t>(a, b, n);
  return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);  // 1 to 3 bytes
}

class ModelHead {
 public:
  // Names this long or shorter, in models with at most kScannedAttributes
  // attributes, are found without hashing; others take the model's map.
  static constexpr std::size_t kShortName = 16;
  static constexpr std::size_t kScannedAttributes = 16;
  // A text column's cells: 16 bytes each, 2^kTextChunkShift to a chunk
  // (static_asserts in core/storage/column.h hold the column to this).
  static constexpr unsigned kTextChunkShift = 15;
  static constexpr std::size_t kTextCellBytes = 16;
  static constexpr std::size_t kInlineText = 15;  // byte 15, the tag, is the length up to this

  // Index of the attribute named `name` (at most kShortName bytes) in a
  // model of at most kScannedAttributes attributes; -1 for any other.
  int findShortAttribute(std::string_view name) const noexcept {
    for (unsigned k = firstOfLength_[name.size()]; k != 0; k = nextOfLength_[k - 1]) {
      if (sameBytes(shortNames_[k - 1].data(), name.data(), name.size())) return static_cast<int>(k - 1);
    }
    return -1;
  }

  // The cell of Text attribute `name` in row `row`, when `name` is short and
  // known, `epoch` is the table's current one (the row is where the handle
  // last saw it) and the cell holds a non-empty text of at most kInlineText
  // bytes (so it is not null: a null cell holds the empty text); else null.
  const char* shortTextCell(std::string_view name, std::uint32_t row, std::uint64_t epoch) const noexcept {
    if (name.size() > kShortName) return nullptr;
    const int a = findShortAttribute(name);
    if (a < 0) return nullptr;
    const std::vector<TextCell*>* chunks = textChunks_[static_cast<std::size_t>(a)];
    if (chunks == nullptr || epoch != *hintEpoch_) return nullptr;
    const char* cell = reinterpret_cast<const char*>((*chunks)[row >> kTextChunkShift]) +
                       (row & ((1u << kTextChunkShift) - 1)) * kTextCellBytes;
    const auto length = static_cast<std::uint8_t>(cell[kTextCellBytes - 1]);
    return static_cast<std::uint8_t>(length - 1) < kInlineText ? cell : nullptr;
  }

  // The text of an inline cell (tag at most kInlineText; every cell
  // shortTextCell returns): its fixed kInlineText bytes copied (into the
  // string's own buffer, no call), then cut to the length.
  static std::string shortText(const char* cell) {
    // The length read first: once the string's bytes are written the tag
    // could alias them (char), so the compiler would read it again.
    const std::size_t length = static_cast<std::uint8_t>(cell[kTextCellBytes - 1]);
    if (length > kInlineText) __builtin_unreachable();
    std::string text(cell, kInlineText);
    text.resize(length);  // a shrink: sets the length, no call, no check
    return text;
  }

 protected:
  ModelHead() = default;
  ModelHead(const ModelHead&) = delete;
  ModelHead& operator=(const ModelHead&) = delete;

  // findShortAttribute's lists, one per name length: 1 + the first attribute
  // of that length, and 1 + the next of the same length (0 ends a list).
  // All empty when the model has more than kScannedAttributes attributes.
  std::array<std::uint8_t, kShortName + 1> firstOfLength_{};
  std::array<std::uint8_t, kScannedAttributes> nextOfLength_{};
  // The short names' bytes (the lists' entries only; zero past the name).
  std::array<std::array<char, kShortName>, kScannedAttributes> shortNames_{};
  // Per attribute, the chunk table of its column if the column is Text, else null.
  std::array<const std::vector<TextCell*>*, kScannedAttributes> textChunks_{};
  // The model's table's primary-key epoch (see RowHint).
  const std::uint64_t* hintEpoch_ = nullptr;
};

}  // namespace relstore::detail
