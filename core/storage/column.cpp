#include "storage/column.h"

namespace relstore::detail {

Value Column::get(std::uint32_t row) const {
  if (isNull(row)) return Value();
  switch (type_) {
    case Type::Int: return Value(ints_[row]);
    case Type::Real: return Value(reals_[row]);
    case Type::Bool: return Value(bools_[row] != 0);
    case Type::Text: return Value(texts_[row]);
  }
  return Value();
}

void Column::writeRaw(std::uint32_t row, const Value& v) {
  const bool null = v.isNull();
  setNullBit(row, null);
  switch (type_) {
    case Type::Int: ints_[row] = null ? 0 : v.asInt(); break;
    case Type::Real: reals_[row] = null ? 0.0 : v.asReal(); break;
    case Type::Bool: bools_[row] = null ? 0 : v.asBool(); break;
    case Type::Text:
      if (null) texts_[row].clear(); else texts_[row] = v.asText();
      break;
  }
}

void Column::push(const Value& v) {
  const std::uint32_t row = size_;
  if ((row >> 6) >= nulls_.size()) nulls_.push_back(0);
  switch (type_) {
    case Type::Int: ints_.emplace_back(); break;
    case Type::Real: reals_.emplace_back(); break;
    case Type::Bool: bools_.emplace_back(); break;
    case Type::Text: texts_.emplace_back(); break;
  }
  ++size_;
  writeRaw(row, v);
}

void Column::set(std::uint32_t row, const Value& v) { writeRaw(row, v); }

void Column::moveRow(std::uint32_t from, std::uint32_t to) {
  setNullBit(to, isNull(from));
  switch (type_) {
    case Type::Int: ints_[to] = ints_[from]; break;
    case Type::Real: reals_[to] = reals_[from]; break;
    case Type::Bool: bools_[to] = bools_[from]; break;
    case Type::Text: texts_[to] = std::move(texts_[from]); break;
  }
}

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
  nulls_.reserve((rows + 63) / 64);
  switch (type_) {
    case Type::Int: ints_.reserve(rows); break;
    case Type::Real: reals_.reserve(rows); break;
    case Type::Bool: bools_.reserve(rows); break;
    case Type::Text: texts_.reserve(rows); break;
  }
}

std::size_t Column::memoryUsage() const {
  std::size_t bytes = nulls_.capacity() * sizeof(std::uint64_t) + ints_.capacity() * sizeof(std::int64_t) +
                      reals_.capacity() * sizeof(double) + bools_.capacity() + texts_.capacity() * sizeof(std::string);
  const std::string empty;
  for (const std::string& s : texts_) {
    if (s.capacity() > empty.capacity()) bytes += s.capacity() + 1;  // out of the small-string buffer
  }
  return bytes;
}

}  // namespace relstore::detail
