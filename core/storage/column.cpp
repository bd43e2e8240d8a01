#include "storage/column.h"

#include <stdexcept>
#include <type_traits>

namespace relstore::detail {

Value Column::get(std::uint32_t row) const {
  if (isNull(row)) return Value();
  switch (type_) {
    case Type::Int: return Value(ints_[row]);
    case Type::Real: return Value(reals_[row]);
    case Type::Bool: return Value(bools_[row] != 0);
    case Type::Text: return Value(std::string(texts_[row].view()));
  }
  return Value();
}

void Column::writeRaw(std::uint32_t row, const Value& v) {
  const bool null = v.isNull();
  switch (type_) {  // the cell first: a write that throws (a chunk copy, a long text) changes nothing
    case Type::Int: ints_.mutableAt(row) = null ? 0 : v.asInt(); break;
    case Type::Real: reals_.mutableAt(row) = null ? 0.0 : v.asReal(); break;
    case Type::Bool: bools_.mutableAt(row) = null ? 0 : v.asBool(); break;
    case Type::Text:
      if (null) texts_.mutableAt(row).clear(); else texts_.mutableAt(row).assign(v.asText());
      break;
  }
  setNullBit(row, null);
}

void Column::push(const Value& v) {
  const std::uint32_t row = size_;
  if ((row >> 6) >= nulls_.size()) nulls_.push_back(0);
  const bool null = v.isNull();
  setNullBit(row, null);
  switch (type_) {  // the value goes in with the append: one chunk access, not two
    case Type::Int: ints_.push_back(null ? 0 : v.asInt()); break;
    case Type::Real: reals_.push_back(null ? 0.0 : v.asReal()); break;
    case Type::Bool: bools_.push_back(null ? 0 : v.asBool()); break;
    case Type::Text: texts_.push_back(null ? TextCell() : TextCell(v.asText())); break;
  }
  ++size_;
}

Column Column::fromParts(Type type, std::uint32_t rows, std::vector<std::uint64_t> nulls,
                         std::vector<std::int64_t> ints, std::vector<double> reals,
                         std::vector<std::uint8_t> bools, std::vector<TextCell> texts) {
  const std::size_t words = (static_cast<std::size_t>(rows) + 63) / 64;
  auto sized = [&](std::size_t n, Type t) { return n == (type == t ? rows : 0); };
  if (nulls.size() != words || !sized(ints.size(), Type::Int) || !sized(reals.size(), Type::Real) ||
      !sized(bools.size(), Type::Bool) || !sized(texts.size(), Type::Text)) {
    throw std::invalid_argument("column parts do not match the row count");
  }
  if (rows % 64 != 0 && (nulls.back() >> (rows % 64)) != 0) {
    throw std::invalid_argument("null bits set past the last row");
  }
  Column c(type);
  c.size_ = rows;
  c.nulls_ = std::move(nulls);
  c.ints_ = CowChunks<std::int64_t>::adopt(std::move(ints));
  c.reals_ = CowChunks<double>::adopt(std::move(reals));
  c.bools_ = CowChunks<std::uint8_t>::adopt(std::move(bools));
  c.texts_ = CowChunks<TextCell, 15>::adopt(std::move(texts));
  // Null rows keep the zero/empty placeholder the rest of the code expects.
  for (std::uint32_t r = 0; r < rows; ++r) {
    if (c.isNull(r)) c.writeRaw(r, Value());
  }
  for (std::size_t r = 0; r < c.bools_.size(); ++r) {
    if (c.bools_[r] > 1) c.bools_.mutableAt(r) = 1;
  }
  return c;
}

Column Column::gather(std::span<const std::uint32_t> rows) const {
  std::vector<std::uint64_t> nulls((rows.size() + 63) / 64, 0);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (isNull(rows[i])) nulls[i >> 6] |= std::uint64_t{1} << (i & 63);
  }
  auto pick = [&](const auto& from) {
    std::vector<std::remove_cvref_t<decltype(from[0])>> out;
    out.reserve(rows.size());
    for (std::uint32_t r : rows) out.push_back(from[r]);
    return out;
  };
  const auto n = static_cast<std::uint32_t>(rows.size());
  switch (type_) {
    case Type::Int: return fromParts(type_, n, std::move(nulls), pick(ints_), {}, {}, {});
    case Type::Real: return fromParts(type_, n, std::move(nulls), {}, pick(reals_), {}, {});
    case Type::Bool: return fromParts(type_, n, std::move(nulls), {}, {}, pick(bools_), {});
    case Type::Text: return fromParts(type_, n, std::move(nulls), {}, {}, {}, pick(texts_));
  }
  throw std::logic_error("unknown column type");
}

void Column::set(std::uint32_t row, const Value& v) { writeRaw(row, v); }

void Column::popBack() {
  --size_;
  setNullBit(size_, false);
  switch (type_) {
    case Type::Int: ints_.pop_back(); break;
    case Type::Real: reals_.pop_back(); break;
    case Type::Bool: bools_.pop_back(); break;
    case Type::Text: texts_.pop_back(); break;
  }
  if (nulls_.size() > (static_cast<std::size_t>(size_) + 63) / 64) nulls_.pop_back();
}

void Column::reserve(std::size_t rows) {
  nulls_.reserve((rows + 63) / 64);  // values grow by chunks: nothing to reserve
}

std::size_t Column::memoryUsage() const {
  std::size_t bytes = nulls_.capacity() * sizeof(std::uint64_t) + ints_.memoryUsage() + reals_.memoryUsage() +
                      bools_.memoryUsage() + texts_.memoryUsage();
  texts_.forEachChunk([&](std::span<const TextCell> chunk, std::size_t) {
    for (const TextCell& t : chunk) bytes += t.heapBytes();
  });
  return bytes;
}

}  // namespace relstore::detail
