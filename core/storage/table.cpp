#include "storage/table.h"

#include <algorithm>
#include <unordered_map>

#include "relstore/errors.h"

namespace relstore::detail {

namespace {
template <class... F>
struct Overload : F... {
  using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;
}  // namespace

Table::Table(const std::vector<ColumnSpec>& specs, std::uint32_t pkColumn)
    : pkColumn_(pkColumn), pkIndex_(nullptr) {
  columns_.reserve(specs.size());
  indexes_.resize(specs.size());
  for (std::uint32_t c = 0; c < specs.size(); ++c) {
    columns_.push_back(std::make_unique<Column>(specs[c].type));
    const Column* col = columns_.back().get();
    if (c == pkColumn) continue;  // the primary key has its own index
    const bool text = specs[c].type == Type::Text;
    if (specs[c].unique) {
      if (text) indexes_[c].emplace<SlotIndex<TextKeys>>(col); else indexes_[c].emplace<SlotIndex<NumericKeys>>(col);
    } else if (specs[c].index) {
      if (text) indexes_[c].emplace<MultiIndex<TextKeys>>(col); else indexes_[c].emplace<MultiIndex<NumericKeys>>(col);
    }
  }
  pkIndex_ = PkIndex(columns_[pkColumn].get());
}

void Table::indexInsert(std::uint32_t column, std::uint32_t row) {
  if (columns_[column]->isNull(row)) return;
  std::visit(Overload{[](std::monostate) {},
                      [&](auto& index) { index.insert(row); }},
             indexes_[column]);
}

void Table::indexErase(std::uint32_t column, std::uint32_t row) {
  const Column& col = *columns_[column];
  if (col.isNull(row)) return;
  std::visit(Overload{[](std::monostate) {},
                      [&](SlotIndex<NumericKeys>& index) { index.erase(NumericKeys::at(col, row)); },
                      [&](SlotIndex<TextKeys>& index) { index.erase(TextKeys::at(col, row)); },
                      [&](auto& multi) { multi.erase(row); }},
             indexes_[column]);
}

std::uint32_t Table::insert(const std::vector<Value>& values) {
  const std::uint32_t row = rowCount();
  for (std::uint32_t c = 0; c < columns_.size(); ++c) columns_[c]->push(values[c]);
  pkIndex_.insert(row);
  for (std::uint32_t c = 0; c < columns_.size(); ++c) indexInsert(c, row);
  return row;
}

std::optional<std::uint32_t> Table::insertIfUnique(const std::vector<Value>& values) {
  const std::uint32_t row = rowCount();
  for (std::uint32_t c = 0; c < columns_.size(); ++c) columns_[c]->push(values[c]);
  std::optional<std::uint32_t> conflict;
  std::uint32_t done = 0;  // unique columns [0, done) are indexed
  if (!pkIndex_.insert(row)) {
    conflict = pkColumn_;
  } else {
    for (; done < columns_.size(); ++done) {
      if (columns_[done]->isNull(row)) continue;
      bool ok = true;
      if (auto* u = std::get_if<SlotIndex<NumericKeys>>(&indexes_[done])) ok = u->insert(row);
      if (auto* u = std::get_if<SlotIndex<TextKeys>>(&indexes_[done])) ok = u->insert(row);
      if (!ok) {
        conflict = done;
        break;
      }
    }
  }
  if (conflict) {
    for (std::uint32_t c = 0; c < done; ++c) {
      if (columns_[c]->isNull(row)) continue;
      if (auto* u = std::get_if<SlotIndex<NumericKeys>>(&indexes_[c])) u->erase(NumericKeys::at(*columns_[c], row));
      if (auto* u = std::get_if<SlotIndex<TextKeys>>(&indexes_[c])) u->erase(TextKeys::at(*columns_[c], row));
    }
    if (*conflict != pkColumn_) pkIndex_.erase(idAt(row));
    for (auto& col : columns_) col->popBack();
    return conflict;
  }
  for (std::uint32_t c = 0; c < columns_.size(); ++c) {
    if (columns_[c]->isNull(row)) continue;
    if (auto* m = std::get_if<MultiIndex<NumericKeys>>(&indexes_[c])) m->insert(row);
    if (auto* m = std::get_if<MultiIndex<TextKeys>>(&indexes_[c])) m->insert(row);
  }
  return std::nullopt;
}

void Table::set(std::uint32_t row, std::uint32_t column, const Value& value) {
  if (column == pkColumn_) {
    pkIndex_.erase(idAt(row));
    columns_[column]->set(row, value);
    pkIndex_.insert(row);
    return;
  }
  indexErase(column, row);
  columns_[column]->set(row, value);
  indexInsert(column, row);
}

void Table::setMany(std::uint32_t column, const std::vector<std::pair<std::uint32_t, Value>>& cells) {
  if (cells.size() == 1) return set(cells.front().first, column, cells.front().second);
  for (const auto& [row, value] : cells) {
    if (column == pkColumn_) pkIndex_.erase(idAt(row)); else indexErase(column, row);
  }
  for (const auto& [row, value] : cells) columns_[column]->set(row, value);
  for (const auto& [row, value] : cells) {
    if (column == pkColumn_) pkIndex_.insert(row); else indexInsert(column, row);
  }
}

void Table::erase(std::uint32_t row) {
  const std::uint32_t last = rowCount() - 1;
  pkIndex_.erase(idAt(row));
  for (std::uint32_t c = 0; c < columns_.size(); ++c) indexErase(c, row);
  if (row != last) {
    // Unique entries of `last` are found through its column value, so take
    // them out before the move and put them back after; multi-index buckets
    // hold slots and are patched in place.
    pkIndex_.erase(idAt(last));
    for (std::uint32_t c = 0; c < columns_.size(); ++c) {
      const Column& col = *columns_[c];
      if (col.isNull(last)) continue;
      if (auto* u = std::get_if<SlotIndex<NumericKeys>>(&indexes_[c])) u->erase(NumericKeys::at(col, last));
      if (auto* u = std::get_if<SlotIndex<TextKeys>>(&indexes_[c])) u->erase(TextKeys::at(col, last));
    }
    for (auto& col : columns_) col->moveRow(last, row);
    pkIndex_.insert(row);
    for (std::uint32_t c = 0; c < columns_.size(); ++c) {
      if (columns_[c]->isNull(row)) continue;
      std::visit(Overload{[](std::monostate) {},
                          [&](SlotIndex<NumericKeys>& u) { u.insert(row); },
                          [&](SlotIndex<TextKeys>& u) { u.insert(row); },
                          [&](auto& multi) { multi.relocate(last, row); }},
                 indexes_[c]);
    }
  }
  for (auto& col : columns_) col->popBack();
  for (auto& index : indexes_) {
    std::visit(Overload{[](std::monostate) {}, [](SlotIndex<NumericKeys>&) {}, [](SlotIndex<TextKeys>&) {},
                        [&](auto& multi) { multi.truncate(last); }},
               index);
  }
}

void Table::reserve(std::size_t rows) {
  for (auto& col : columns_) col->reserve(rows);
  pkIndex_.reserve(rows);
  for (auto& index : indexes_) {
    if (auto* u = std::get_if<SlotIndex<NumericKeys>>(&index)) u->reserve(rows);
    if (auto* u = std::get_if<SlotIndex<TextKeys>>(&index)) u->reserve(rows);
  }
}

bool Table::hasIndex(std::uint32_t column) const noexcept {
  return column == pkColumn_ || !std::holds_alternative<std::monostate>(indexes_[column]);
}

bool Table::isUniqueIndexed(std::uint32_t column) const noexcept {
  return column == pkColumn_ || std::holds_alternative<SlotIndex<NumericKeys>>(indexes_[column]) ||
         std::holds_alternative<SlotIndex<TextKeys>>(indexes_[column]);
}

std::optional<std::uint32_t> Table::uniqueRow(std::uint32_t column, const Value& value) const {
  const Column& col = *columns_[column];
  if (column == pkColumn_) return pkIndex_.find(value.asInt());
  if (auto* u = std::get_if<SlotIndex<NumericKeys>>(&indexes_[column])) return u->find(NumericKeys::of(col, value));
  if (auto* u = std::get_if<SlotIndex<TextKeys>>(&indexes_[column])) return u->find(TextKeys::of(col, value));
  return std::nullopt;
}

void Table::lookup(std::uint32_t column, const Value& value, std::vector<std::uint32_t>& out) const {
  const Column& col = *columns_[column];
  if (isUniqueIndexed(column)) {
    if (auto row = uniqueRow(column, value)) out.push_back(*row);
    return;
  }
  std::span<const std::uint32_t> rows;
  if (auto* m = std::get_if<MultiIndex<NumericKeys>>(&indexes_[column])) rows = m->find(NumericKeys::of(col, value));
  if (auto* m = std::get_if<MultiIndex<TextKeys>>(&indexes_[column])) rows = m->find(TextKeys::of(col, value));
  out.insert(out.end(), rows.begin(), rows.end());
}

std::size_t Table::lookupSize(std::uint32_t column, const Value& value) const {
  const Column& col = *columns_[column];
  if (isUniqueIndexed(column)) return uniqueRow(column, value) ? 1 : 0;
  if (auto* m = std::get_if<MultiIndex<NumericKeys>>(&indexes_[column])) return m->find(NumericKeys::of(col, value)).size();
  if (auto* m = std::get_if<MultiIndex<TextKeys>>(&indexes_[column])) return m->find(TextKeys::of(col, value)).size();
  return 0;
}

namespace {

[[noreturn]] void corrupt(const std::string& model, const std::string& column, const std::string& what) {
  throw IntegrityError("Integrity check failed on " + model + "." + column + ": " + what);
}

// Checks a unique index: exactly the non-null rows, each found at its own slot.
template <class Keys, class Index>
void checkSlotIndex(const Index& index, const Column& col, const std::string& model,
                    const std::string& name) {
  std::size_t nonNull = 0;
  for (std::uint32_t row = 0; row < col.size(); ++row) {
    if (col.isNull(row)) continue;
    ++nonNull;
    auto found = index.find(Keys::at(col, row));
    if (!found || *found != row) {
      corrupt(model, name, "row " + std::to_string(row) + " (value " + col.get(row).toString() +
                               ") is missing from its unique index or maps elsewhere");
    }
  }
  if (nonNull != index.size()) {
    corrupt(model, name, "unique index holds " + std::to_string(index.size()) + " entries for " +
                             std::to_string(nonNull) + " non-null rows");
  }
}

template <class Keys>
void checkMultiIndex(const MultiIndex<Keys>& index, const Column& col, const std::string& model,
                     const std::string& name) {
  std::size_t entries = 0;
  index.forEach([&](const auto& key, const std::vector<std::uint32_t>& rows) {
    if (rows.empty()) corrupt(model, name, "index keeps an empty bucket");
    for (std::uint32_t pos = 0; pos < rows.size(); ++pos) {
      const std::uint32_t row = rows[pos];
      if (row >= col.size() || col.isNull(row) || !typename Keys::Eq{}(Keys::at(col, row), typename Keys::Probe(key))) {
        corrupt(model, name, "index lists row " + std::to_string(row) + " under a value it does not hold");
      }
      if (index.positionOf(row) != pos) corrupt(model, name, "row " + std::to_string(row) + " has a stale bucket position");
    }
    entries += rows.size();
  });
  std::size_t nonNull = 0;
  for (std::uint32_t row = 0; row < col.size(); ++row) nonNull += !col.isNull(row);
  if (entries != nonNull) {
    corrupt(model, name, "index holds " + std::to_string(entries) + " entries for " + std::to_string(nonNull) +
                             " non-null rows");
  }
}

}  // namespace

void Table::checkIntegrity(const std::string& model, const std::vector<std::string>& names) const {
  const std::uint32_t rows = rowCount();
  for (std::uint32_t c = 0; c < columns_.size(); ++c) {
    if (columns_[c]->size() != rows) corrupt(model, names[c], "column length differs from the row count");
  }
  for (std::uint32_t row = 0; row < rows; ++row) {
    if (pk().isNull(row)) corrupt(model, names[pkColumn_], "row " + std::to_string(row) + " has a null primary key");
  }
  checkSlotIndex<NumericKeys>(pkIndex_, pk(), model, names[pkColumn_]);
  for (std::uint32_t c = 0; c < columns_.size(); ++c) {
    std::visit(Overload{[](std::monostate) {},
                        [&](const SlotIndex<NumericKeys>& u) { checkSlotIndex<NumericKeys>(u, *columns_[c], model, names[c]); },
                        [&](const SlotIndex<TextKeys>& u) { checkSlotIndex<TextKeys>(u, *columns_[c], model, names[c]); },
                        [&](const MultiIndex<NumericKeys>& m) { checkMultiIndex(m, *columns_[c], model, names[c]); },
                        [&](const MultiIndex<TextKeys>& m) { checkMultiIndex(m, *columns_[c], model, names[c]); }},
               indexes_[c]);
  }
}

std::size_t Table::memoryUsage() const {
  std::size_t bytes = pkIndex_.memoryUsage() + columns_.capacity() * sizeof(void*) + indexes_.capacity() * sizeof(Index);
  for (const auto& col : columns_) bytes += sizeof(Column) + col->memoryUsage();
  for (const auto& index : indexes_) {
    std::visit(Overload{[](std::monostate) {}, [&](const auto& i) { bytes += i.memoryUsage(); }}, index);
  }
  return bytes;
}

}  // namespace relstore::detail
