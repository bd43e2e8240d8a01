// Table::checkIntegrity: every index recomputed from the columns and
// compared, and the free slots checked (see table.h).
#include <string>
#include <vector>

#include "relstore/errors.h"
#include "storage/overload.h"
#include "storage/table.h"

namespace relstore::detail {

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

template <class Keys>
void checkLinkIndex(const LinkIndex<Keys>& index, const Column& col, const std::string& model,
                    const std::string& name) {
  std::size_t entries = 0;
  index.forEach([&](const auto& key, const LinkBucket& bucket) {
    if (bucket.empty()) {
      corrupt(model, name, "association index keeps an empty bucket");
    }
    if (index.find(typename Keys::Probe(key)) != &bucket) {
      corrupt(model, name, "association index keeps a key where lookups do not find it");
    }
    for (std::uint32_t pos = 0; pos < bucket.size(); ++pos) {
      const std::uint32_t row = bucket.rows()[pos];
      if (row >= col.size() || col.isNull(row) || !typename Keys::Eq{}(Keys::at(col, row), typename Keys::Probe(key))) {
        corrupt(model, name, "association index lists row " + std::to_string(row) + " under a key it does not hold");
      }
      if (index.positionOf(row) != pos) corrupt(model, name, "row " + std::to_string(row) + " has a stale link position");
      if (bucket.payload()[pos] != index.payloadAt(row)) {
        corrupt(model, name, "association index holds a stale id for row " + std::to_string(row));
      }
      if (index.keepsRowIds() && bucket.rowIds()[pos] != index.rowIdColumn()->intAt(row)) {
        corrupt(model, name, "association index holds a stale row id for row " + std::to_string(row));
      }
    }
    entries += bucket.size();
  });
  std::size_t nonNull = 0;
  for (std::uint32_t row = 0; row < col.size(); ++row) nonNull += !col.isNull(row);
  if (entries != nonNull) {
    corrupt(model, name, "association index holds " + std::to_string(entries) + " links for " +
                             std::to_string(nonNull) + " non-null keys");
  }
}

}  // namespace

void Table::checkIntegrity(const std::string& model, const std::vector<std::string>& names) const {
  const std::uint32_t slots = slotCount();
  for (std::uint32_t c = 0; c < columns_.size(); ++c) {
    if (columns_[c]->size() != slots) corrupt(model, names[c], "column length differs from the slot count");
  }
  // Free slots: each below the slot count, listed once, all cells null; every
  // other slot holds a row with a primary key.
  std::vector<bool> isFree(slots, false);
  for (std::uint32_t row : free_) {
    if (row >= slots || isFree[row]) {
      corrupt(model, names[pkColumn_], "free slot " + std::to_string(row) + " is out of range or listed twice");
    }
    isFree[row] = true;
  }
  for (std::uint32_t row = 0; row < slots; ++row) {
    if (!isFree[row]) {
      if (pk().isNull(row)) corrupt(model, names[pkColumn_], "row " + std::to_string(row) + " has a null primary key");
      continue;
    }
    for (std::uint32_t c = 0; c < columns_.size(); ++c) {
      if (!columns_[c]->isNull(row)) corrupt(model, names[c], "free slot " + std::to_string(row) + " holds a value");
    }
  }
  // A null text cell holds the empty placeholder: get<std::string> takes a
  // non-empty cell for a non-null one without reading the null bit.
  for (std::uint32_t c = 0; c < columns_.size(); ++c) {
    const Column& col = *columns_[c];
    if (col.type() != Type::Text) continue;
    for (std::uint32_t row = 0; row < slots; ++row) {
      if (col.isNull(row) && !col.textAt(row).empty()) {
        corrupt(model, names[c], "null row " + std::to_string(row) + " holds a text");
      }
    }
  }
  checkSlotIndex<NumericKeys>(pkIndex_, pk(), model, names[pkColumn_]);
  for (std::uint32_t c = 0; c < columns_.size(); ++c) {
    std::visit(Overload{[](std::monostate) {},
                        [&](const SlotIndex<NumericKeys>& u) { checkSlotIndex<NumericKeys>(u, *columns_[c], model, names[c]); },
                        [&](const SlotIndex<TextKeys>& u) { checkSlotIndex<TextKeys>(u, *columns_[c], model, names[c]); },
                        [&](const MultiIndex<NumericKeys>& m) { checkMultiIndex(m, *columns_[c], model, names[c]); },
                        [&](const MultiIndex<TextKeys>& m) { checkMultiIndex(m, *columns_[c], model, names[c]); }},
               indexes_[c]);
    std::visit(Overload{[](std::monostate) {},
                        [&](const LinkIndex<NumericKeys>& l) { checkLinkIndex(l, *columns_[c], model, names[c]); },
                        [&](const LinkIndex<TextKeys>& l) { checkLinkIndex(l, *columns_[c], model, names[c]); }},
               links_[c]);
  }
  for (std::size_t p = 0; p < pairs_.size(); ++p) {
    if (!hasLinkIndex(pairs_[p].first()) || !hasLinkIndex(pairs_[p].second())) {
      corrupt(model, names[pairs_[p].first()] + "+" + names[pairs_[p].second()], "pair constraint without link indices");
    }
    if (auto row = repeatedPair(p)) {
      corrupt(model, names[pairs_[p].first()] + "+" + names[pairs_[p].second()],
              "row " + std::to_string(*row) + " repeats a pair");
    }
  }
}

}  // namespace relstore::detail
