#include "storage/table.h"

#include <algorithm>
#include <type_traits>
#include <unordered_map>

#include "relstore/errors.h"
#include "storage/overload.h"

namespace relstore::detail {

Table::Table(const std::vector<ColumnSpec>& specs, std::uint32_t pkColumn)
    : pkColumn_(pkColumn), pkIndex_(nullptr) {
  columns_.reserve(specs.size());
  indexes_.resize(specs.size());
  links_.resize(specs.size());
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

namespace {
// The visits of index maintenance, out of line: what remains of indexInsert
// and the others is the test for a column with no index (most columns),
// which then inlines into the loops over a row's columns.
template <class Indexes>
[[gnu::noinline]] void insertRow(Indexes& index, std::uint32_t row) {
  std::visit(Overload{[](std::monostate) {}, [&](auto& i) { i.insert(row); }}, index);
}
template <class Links>
[[gnu::noinline]] void eraseLinkRow(Links& links, std::uint32_t row) {
  std::visit(Overload{[](std::monostate) {}, [&](auto& link) { link.erase(row); }}, links);
}
template <class Indexes>
[[gnu::noinline]] void eraseIndexRow(Indexes& index, const Column& col, std::uint32_t row) {
  std::visit(Overload{[](std::monostate) {},
                      [&](SlotIndex<NumericKeys>& unique) { unique.erase(NumericKeys::at(col, row)); },
                      [&](SlotIndex<TextKeys>& unique) { unique.erase(TextKeys::at(col, row)); },
                      [&](auto& multi) { multi.erase(row); }},
             index);
}
}  // namespace

// Each tests first whether the column has the index at all: that is known
// before the cell's null bit.
[[gnu::always_inline]] inline void Table::indexInsert(std::uint32_t column, std::uint32_t row) {
  if (std::holds_alternative<std::monostate>(indexes_[column]) || columns_[column]->isNull(row)) return;
  insertRow(indexes_[column], row);
}

[[gnu::always_inline]] inline void Table::indexErase(std::uint32_t column, std::uint32_t row) {
  if (std::holds_alternative<std::monostate>(indexes_[column]) || columns_[column]->isNull(row)) return;
  eraseIndexRow(indexes_[column], *columns_[column], row);
}

[[gnu::always_inline]] inline void Table::linkInsert(std::uint32_t column, std::uint32_t row) {
  if (std::holds_alternative<std::monostate>(links_[column]) || columns_[column]->isNull(row)) return;
  insertRow(links_[column], row);
}

[[gnu::always_inline]] inline void Table::linkErase(std::uint32_t column, std::uint32_t row) {
  if (std::holds_alternative<std::monostate>(links_[column]) || columns_[column]->isNull(row)) return;
  eraseLinkRow(links_[column], row);
}

[[gnu::always_inline]] inline void Table::unindexCell(std::uint32_t column, std::uint32_t row) {
  if (column == pkColumn_) pkIndex_.erase(idAt(row)); else indexErase(column, row);
  linkErase(column, row);
}

[[gnu::always_inline]] inline void Table::indexCell(std::uint32_t column, std::uint32_t row) {
  if (column == pkColumn_) pkIndex_.insert(row); else indexInsert(column, row);
  linkInsert(column, row);
}

void Table::refreshPayloads(std::uint32_t column, std::uint32_t row) {
  const Column* changed = columns_[column].get();
  for (std::uint32_t c = 0; c < links_.size(); ++c) {
    if (columns_[c]->isNull(row)) continue;
    std::visit(Overload{[](std::monostate) {},
                        [&](auto& link) {
                          if (link.payloadColumn() == changed) link.refreshPayload(row);
                          if (link.rowIdColumn() == changed) link.refreshRowId(row);
                        }},
               links_[c]);
  }
}

std::uint32_t Table::placeRow(const std::vector<Value>& values) {
  if (free_.empty()) {
    for (std::uint32_t c = 0; c < columns_.size(); ++c) columns_[c]->push(values[c]);
    return slotCount() - 1;
  }
  const std::uint32_t row = free_.back();
  free_.pop_back();
  for (std::uint32_t c = 0; c < columns_.size(); ++c) columns_[c]->set(row, values[c]);
  return row;
}

void Table::releaseSlot(std::uint32_t row, bool leaveFree) {
  if (!leaveFree) {
    popSlot();
    return;
  }
  for (auto& col : columns_) col->set(row, Value());
  free_.push_back(row);
}

void Table::popSlot() {
  for (auto& col : columns_) col->popBack();
  const std::uint32_t slots = slotCount();
  for (auto& index : indexes_) {
    if (std::holds_alternative<std::monostate>(index)) continue;  // most columns: no call
    std::visit(Overload{[](std::monostate) {}, [](SlotIndex<NumericKeys>&) {}, [](SlotIndex<TextKeys>&) {},
                        [&](auto& multi) { multi.truncate(slots); }},
               index);
  }
  for (auto& link : links_) {
    if (std::holds_alternative<std::monostate>(link)) continue;
    std::visit(Overload{[](std::monostate) {}, [&](auto& l) { l.truncate(slots); }}, link);
  }
}

void Table::indexRow(std::uint32_t row) {
  pkIndex_.insert(row);
  for (std::uint32_t c = 0; c < columns_.size(); ++c) {
    indexInsert(c, row);
    linkInsert(c, row);
  }
}

void Table::unindexRow(std::uint32_t row) {
  pkIndex_.erase(idAt(row));
  for (std::uint32_t c = 0; c < columns_.size(); ++c) {
    indexErase(c, row);
    linkErase(c, row);
  }
}

std::uint32_t Table::insert(const std::vector<Value>& values) {
  const bool reused = !free_.empty();
  const std::uint32_t row = placeRow(values);
  indexRow(row);
  if (UndoLog* l = log()) l->inserted(*this, row, reused);
  return row;
}

std::vector<Value> Table::rowValues(std::uint32_t row) const {
  std::vector<Value> values;
  values.reserve(columns_.size());
  for (const auto& c : columns_) values.push_back(c->get(row));
  return values;
}

void Table::reinsertAt(std::uint32_t row, const std::vector<Value>& values, const std::vector<BucketPlace>& places) {
  if (row == slotCount()) {  // the erase shrank the table
    for (std::uint32_t c = 0; c < columns_.size(); ++c) columns_[c]->push(values[c]);
  } else {
    // Undo runs newest first, so the slot is the one the erase freed last.
    if (free_.empty() || free_.back() != row) throw std::logic_error("reinsertAt: the slot is not the last freed");
    free_.pop_back();
    for (std::uint32_t c = 0; c < columns_.size(); ++c) columns_[c]->set(row, values[c]);
  }
  indexRow(row);
  restorePlaces(places);
}

void Table::restoreCell(std::uint32_t row, std::uint32_t column, const Value& old,
                        const std::vector<BucketPlace>& places) {
  set(row, column, old);
  restorePlaces(places);
}

void Table::restoreCells(std::uint32_t column, const std::vector<std::pair<std::uint32_t, Value>>& old,
                         const std::vector<BucketPlace>& places) {
  // setMany's steps inverted, newest first: its inserts (each row then the
  // last of its bucket), its writes, then its erases (each row appended and
  // swapped back to where it was).
  for (auto it = old.rbegin(); it != old.rend(); ++it) unindexCell(column, it->first);
  for (const auto& [row, value] : old) columns_[column]->set(row, value);
  std::size_t end = places.size();  // each row's places: the last run not yet used
  for (auto it = old.rbegin(); it != old.rend(); ++it) {
    const std::uint32_t row = it->first;
    indexCell(column, row);
    std::size_t begin = end;
    while (begin > 0 && places[begin - 1].row == row) --begin;
    restorePlaces(std::span<const BucketPlace>(places.data() + begin, end - begin));
    end = begin;
  }
  for (const auto& [row, value] : old) refreshPayloads(column, row);
}

void Table::appendBucketPlaces(std::uint32_t row, std::uint32_t column, std::vector<BucketPlace>& out) const {
  if (columns_[column]->isNull(row)) return;
  std::visit(Overload{[](std::monostate) {}, [](const SlotIndex<NumericKeys>&) {}, [](const SlotIndex<TextKeys>&) {},
                      [&](const auto& multi) { out.push_back({row, column, multi.positionOf(row), false}); }},
             indexes_[column]);
  std::visit(Overload{[](std::monostate) {}, [&](const auto& link) { out.push_back({row, column, link.positionOf(row), true}); }},
             links_[column]);
}

std::vector<BucketPlace> Table::bucketPlaces(std::uint32_t row) const {
  std::vector<BucketPlace> places;
  for (std::uint32_t c = 0; c < columns_.size(); ++c) appendBucketPlaces(row, c, places);
  return places;
}

void Table::restorePlaces(std::span<const BucketPlace> places) {
  for (const BucketPlace& p : places) {
    if (p.link) {
      std::visit(Overload{[](std::monostate) {}, [&](auto& link) { link.moveTo(p.row, p.position); }}, links_[p.column]);
    } else {
      std::visit(Overload{[](std::monostate) {}, [](SlotIndex<NumericKeys>&) {}, [](SlotIndex<TextKeys>&) {},
                          [&](auto& multi) { multi.moveTo(p.row, p.position); }},
                 indexes_[p.column]);
    }
  }
}

void Table::retractInsert(std::uint32_t row, bool reusedSlot) {
  unindexRow(row);
  releaseSlot(row, reusedSlot);
}

std::vector<Column> Table::liveColumns() const {
  std::vector<const Column*> all;
  all.reserve(columns_.size());
  for (const auto& col : columns_) all.push_back(col.get());
  return liveRowsOf(all, pkColumn_);
}

std::vector<Column> Table::liveRowsOf(const std::vector<const Column*>& columns, std::uint32_t pkColumn) {
  const Column& pk = *columns[pkColumn];
  std::vector<std::uint32_t> live;
  live.reserve(pk.size());
  for (std::uint32_t r = 0; r < pk.size(); ++r) {
    if (!pk.isNull(r)) live.push_back(r);
  }
  std::vector<Column> out;
  out.reserve(columns.size());
  for (const Column* col : columns) out.push_back(col->gather(live));
  return out;
}

void Table::addPairIndex(std::uint32_t a, std::uint32_t b) {
  // Lookups go through both columns' link indices (a junction has them already).
  addLinkIndex(a, b);
  addLinkIndex(b, a);
  pairs_.emplace_back(a, b);
}

namespace {

// The first row of `rows` other than `except` whose `other` cell equals
// non-null `want` (of the column's type); `payload`, when given, holds the
// Int values of `other` beside the rows (0 for null).
std::optional<std::uint32_t> pairIn(std::span<const std::uint32_t> rows, std::span<const Id> payload,
                                    const Column& other, const Value& want, std::optional<std::uint32_t> except) {
  if (!payload.empty()) {
    const Id key = want.asInt();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (payload[i] == key && rows[i] != except && !other.isNull(rows[i])) return rows[i];
    }
    return std::nullopt;
  }
  for (std::uint32_t r : rows) {
    if (r != except && other.equals(r, want)) return r;
  }
  return std::nullopt;
}

// A row of `rows` whose `other` cell (non-null) repeats an earlier one's, if
// any; `payload`, when given, holds the Int values of `other` beside the rows.
template <class Keys>
std::optional<std::uint32_t> repeatIn(std::span<const std::uint32_t> rows, std::span<const Id> payload,
                                      const Column& other) {
  if (rows.size() <= 16 && !payload.empty()) {  // the usual junction bucket: pairwise on the payload
    for (std::size_t i = 1; i < rows.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (payload[i] == payload[j] && !other.isNull(rows[i]) && !other.isNull(rows[j])) return rows[i];
      }
    }
    return std::nullopt;
  }
  if (rows.size() <= 16) {  // pairwise on the cells, no allocation
    for (std::size_t i = 1; i < rows.size(); ++i) {
      if (other.isNull(rows[i])) continue;
      for (std::size_t j = 0; j < i; ++j) {
        if (!other.isNull(rows[j]) && Keys::at(other, rows[i]) == Keys::at(other, rows[j])) return rows[i];
      }
    }
    return std::nullopt;
  }
  std::vector<std::pair<typename Keys::Probe, std::uint32_t>> keyed;
  keyed.reserve(rows.size());
  for (std::uint32_t r : rows) {
    if (!other.isNull(r)) keyed.emplace_back(Keys::at(other, r), r);
  }
  std::sort(keyed.begin(), keyed.end());
  for (std::size_t i = 1; i < keyed.size(); ++i) {
    if (keyed[i].first == keyed[i - 1].first) return keyed[i].second;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::uint32_t> Table::pairRow(std::size_t pair, const Value& va, const Value& vb,
                                            std::optional<std::uint32_t> except) const {
  const PairIndex& p = pairs_[pair];
  const LinkBucket* ba = links(p.first(), va);
  if (!ba) return std::nullopt;
  const LinkBucket* bb = links(p.second(), vb);
  if (!bb) return std::nullopt;
  const bool viaFirst = ba->size() <= bb->size();
  const std::uint32_t scanned = viaFirst ? p.first() : p.second();
  const std::uint32_t other = viaFirst ? p.second() : p.first();
  const LinkBucket& bucket = viaFirst ? *ba : *bb;
  const bool payloadIsOther = linkPayloads_[scanned] == other && columns_[other]->type() == Type::Int;
  return pairIn(bucket.rows(), payloadIsOther ? bucket.payload() : std::span<const Id>(), *columns_[other],
                viaFirst ? vb : va, except);
}

bool Table::forEachLinkKey(std::uint32_t column, const std::function<void(std::int64_t)>& f) const {
  const auto* link = std::get_if<LinkIndex<NumericKeys>>(&links_[column]);
  if (!link || columns_[column]->type() != Type::Int) return false;
  link->forEach([&](std::int64_t key, const LinkBucket&) { f(key); });
  return true;
}

std::optional<std::uint32_t> Table::repeatedPair(std::size_t pair) const {
  const PairIndex& p = pairs_[pair];
  const Column& other = *columns_[p.second()];
  const bool payloadIsOther = linkPayloads_[p.first()] == p.second() && other.type() == Type::Int;
  std::optional<std::uint32_t> found;
  std::visit(Overload{[](std::monostate) {},
                      [&](const auto& link) {
                        link.forEach([&](const auto&, const LinkBucket& bucket) {
                          if (found) return;
                          const auto payload = payloadIsOther ? bucket.payload() : std::span<const Id>();
                          found = other.type() == Type::Text ? repeatIn<TextKeys>(bucket.rows(), payload, other)
                                                             : repeatIn<NumericKeys>(bucket.rows(), payload, other);
                        });
                      }},
             links_[p.first()]);
  return found;
}

std::optional<std::size_t> Table::pairConflict(const std::vector<Value>& values) const {
  for (std::size_t i = 0; i < pairs_.size(); ++i) {
    const Value& va = values[pairs_[i].first()];
    const Value& vb = values[pairs_[i].second()];
    if (!va.isNull() && !vb.isNull() && pairRow(i, va, vb)) return i;
  }
  return std::nullopt;
}

void Table::addColumn(const ColumnSpec& spec, const Value& fill) {
  const std::uint32_t rows = slotCount();
  auto column = std::make_unique<Column>(spec.type);
  column->reserve(rows);
  for (std::uint32_t r = 0; r < rows; ++r) column->push(isLive(r) ? fill : Value());  // free slots stay all-null
  columns_.push_back(std::move(column));
  indexes_.emplace_back();
  links_.emplace_back();
  const auto c = static_cast<std::uint32_t>(columns_.size() - 1);
  const Column* col = columns_[c].get();
  const bool text = spec.type == Type::Text;
  if (spec.unique) {
    if (text) indexes_[c].emplace<SlotIndex<TextKeys>>(col); else indexes_[c].emplace<SlotIndex<NumericKeys>>(col);
  } else if (spec.index) {
    if (text) indexes_[c].emplace<MultiIndex<TextKeys>>(col); else indexes_[c].emplace<MultiIndex<NumericKeys>>(col);
  }
  for (std::uint32_t r = 0; r < rows; ++r) indexInsert(c, r);
}

void Table::addLinkIndex(std::uint32_t column, std::uint32_t payloadColumn) {
  if (hasLinkIndex(column)) return;
  const Column* col = columns_[column].get();
  const Column* payload = columns_[payloadColumn].get();
  if (linkPayloads_.size() < columns_.size()) linkPayloads_.resize(columns_.size());
  linkPayloads_[column] = payloadColumn;
  if (col->type() == Type::Text) {
    links_[column].emplace<LinkIndex<TextKeys>>(col, payload, linkRowIdColumn(column));
  } else {
    links_[column].emplace<LinkIndex<NumericKeys>>(col, payload, linkRowIdColumn(column));
  }
  for (std::uint32_t r = 0; r < slotCount(); ++r) linkInsert(column, r);  // free slots: null, skipped
}

std::unique_ptr<Table> Table::emptyCopy() const {
  std::vector<ColumnSpec> specs;
  specs.reserve(columns_.size());
  for (std::uint32_t c = 0; c < columns_.size(); ++c) {
    const bool unique = c != pkColumn_ && (std::holds_alternative<SlotIndex<NumericKeys>>(indexes_[c]) ||
                                           std::holds_alternative<SlotIndex<TextKeys>>(indexes_[c]));
    const bool multi = std::holds_alternative<MultiIndex<NumericKeys>>(indexes_[c]) ||
                       std::holds_alternative<MultiIndex<TextKeys>>(indexes_[c]);
    specs.push_back({columns_[c]->type(), unique, multi});
  }
  auto copy = std::make_unique<Table>(specs, pkColumn_);
  for (std::uint32_t c = 0; c < columns_.size(); ++c) {
    if (hasLinkIndex(c)) copy->addLinkIndex(c, linkPayloads_[c]);
  }
  for (const PairIndex& p : pairs_) copy->addPairIndex(p.first(), p.second());
  return copy;
}

void Table::adoptColumns(std::vector<Column> columns) {
  if (slotCount() != 0 || columns.size() != columns_.size()) {
    throw std::logic_error("adoptColumns needs an empty table and one column per column");
  }
  for (std::uint32_t c = 0; c < columns_.size(); ++c) {
    if (columns[c].type() != columns_[c]->type() || columns[c].size() != columns[0].size()) {
      throw std::logic_error("adoptColumns: column types or sizes differ");
    }
  }
  // Move into the existing Column objects: the indices hold their addresses.
  for (std::uint32_t c = 0; c < columns_.size(); ++c) *columns_[c] = std::move(columns[c]);
}

void Table::indexJobs(std::vector<std::function<void()>>& jobs, std::vector<std::optional<Duplicate>>& found,
                      const std::vector<std::vector<std::uint32_t>>* linkOrder) {
  const std::uint32_t rows = slotCount();  // adopted columns: no free slots
  // `found` may grow below: jobs find their slot by index, not by address.
  auto add = [&](auto job) {
    const std::size_t slot = found.size();
    found.emplace_back();
    jobs.emplace_back([&found, slot, job] { found[slot] = job(); });
  };
  add([this, rows]() -> std::optional<Duplicate> {
    if (auto row = pkIndex_.build(rows)) return Duplicate{false, pkColumn_, *row};
    return std::nullopt;
  });
  for (std::uint32_t c = 0; c < columns_.size(); ++c) {
    if (!std::holds_alternative<std::monostate>(indexes_[c])) {
      add([this, c, rows]() -> std::optional<Duplicate> {
        const Column& col = *columns_[c];
        std::optional<Duplicate> dup;
        std::visit(Overload{[](std::monostate) {},
                            [&](auto& index) {
                              using I = std::decay_t<decltype(index)>;
                              constexpr bool unique = std::is_same_v<I, SlotIndex<NumericKeys>> ||
                                                      std::is_same_v<I, SlotIndex<TextKeys>>;
                              if constexpr (unique) index.reserve(rows);
                              for (std::uint32_t r = 0; r < rows && !dup; ++r) {
                                if (col.isNull(r)) continue;
                                if constexpr (unique) {
                                  if (!index.insert(r)) dup = Duplicate{false, c, r};
                                } else {
                                  index.insert(r);
                                }
                              }
                            }},
                   indexes_[c]);
        return dup;
      });
    }
    if (hasLinkIndex(c)) {
      // A pair constraint is checked in the job that builds its first
      // column's link index, bucket by bucket, once the index is complete.
      add([this, c, rows, linkOrder]() -> std::optional<Duplicate> {
        std::visit(Overload{[](std::monostate) {},
                            [&](auto& link) {
                              if (!linkOrder) return link.build(rows);
                              for (std::uint32_t row : (*linkOrder)[c]) link.insert(row);
                            }},
                   links_[c]);
        for (std::uint32_t p = 0; p < pairs_.size(); ++p) {
          if (pairs_[p].first() != c) continue;
          if (auto row = repeatedPair(p)) return Duplicate{true, p, *row};
        }
        return std::nullopt;
      });
    }
  }
}

bool Table::hasLinkIndex(std::uint32_t column) const noexcept {
  return !std::holds_alternative<std::monostate>(links_[column]);
}

const LinkBucket* Table::linksOfCell(std::uint32_t column, const Table& keyTable, std::uint32_t keyColumn,
                                     std::uint32_t keyRow) const {
  const Column& key = keyTable.column(keyColumn);
  if (key.isNull(keyRow)) return nullptr;
  if (auto* l = std::get_if<LinkIndex<NumericKeys>>(&links_[column])) return l->find(NumericKeys::at(key, keyRow));
  if (auto* l = std::get_if<LinkIndex<TextKeys>>(&links_[column])) return l->find(TextKeys::at(key, keyRow));
  return nullptr;
}

const LinkBucket* Table::links(std::uint32_t column, const Value& key) const {
  const Column& col = *columns_[column];
  if (auto* l = std::get_if<LinkIndex<NumericKeys>>(&links_[column])) return l->find(NumericKeys::of(col, key));
  if (auto* l = std::get_if<LinkIndex<TextKeys>>(&links_[column])) return l->find(TextKeys::of(col, key));
  return nullptr;
}

template <class F>
void Table::forEachIntLinkKey(const std::vector<Value>& values, F&& f) const noexcept {
  for (std::uint32_t c = 0; c < links_.size(); ++c) {
    const auto* l = std::get_if<LinkIndex<NumericKeys>>(&links_[c]);
    if (l && !values[c].isNull() && values[c].type() == Type::Int) f(*l, values[c].asInt());
  }
}

void Table::prefetchLinksFor(const std::vector<Value>& values) const noexcept {
  forEachIntLinkKey(values, [](const LinkIndex<NumericKeys>& l, std::int64_t key) { l.prefetchBucket(key); });
}

std::optional<std::uint32_t> Table::insertIfUnique(const std::vector<Value>& values) {
  // The buckets' next entries load while the row and the other indices are written.
  forEachIntLinkKey(values, [](const LinkIndex<NumericKeys>& l, std::int64_t key) { l.prefetchFreeEntry(key); });
  const bool reused = !free_.empty();
  const std::uint32_t row = placeRow(values);
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
    releaseSlot(row, reused);
    return conflict;
  }
  for (std::uint32_t c = 0; c < columns_.size(); ++c) {
    if (columns_[c]->isNull(row)) continue;
    if (auto* m = std::get_if<MultiIndex<NumericKeys>>(&indexes_[c])) m->insert(row);
    if (auto* m = std::get_if<MultiIndex<TextKeys>>(&indexes_[c])) m->insert(row);
    linkInsert(c, row);
  }
  if (UndoLog* l = log()) l->inserted(*this, row, reused);
  return std::nullopt;
}

void Table::set(std::uint32_t row, std::uint32_t column, const Value& value) {
  if (UndoLog* l = log()) {
    std::vector<BucketPlace> places;
    appendBucketPlaces(row, column, places);
    l->setting(*this, row, column, columns_[column]->get(row), std::move(places));
  }
  unindexCell(column, row);
  columns_[column]->set(row, value);
  indexCell(column, row);
  refreshPayloads(column, row);
}

void Table::setMany(std::uint32_t column, const std::vector<std::pair<std::uint32_t, Value>>& cells) {
  if (cells.size() == 1) return set(cells.front().first, column, cells.front().second);
  // Each row's places as its erase finds them: an earlier erase of the batch
  // may have moved it (restoreCells undoes the erases in reverse).
  std::vector<BucketPlace>* places = nullptr;
  if (UndoLog* l = log()) {
    std::vector<std::pair<std::uint32_t, Value>> old;
    old.reserve(cells.size());
    for (const auto& [row, value] : cells) old.emplace_back(row, columns_[column]->get(row));
    // Room for every place (a row is in at most two buckets of a column)
    // before anything changes: the erase loop below must not throw.
    std::vector<BucketPlace> room;
    room.reserve(2 * cells.size());
    places = &l->settingMany(*this, column, std::move(old), std::move(room));
  }
  for (const auto& [row, value] : cells) {
    if (places) appendBucketPlaces(row, column, *places);
    unindexCell(column, row);
  }
  for (const auto& [row, value] : cells) columns_[column]->set(row, value);
  for (const auto& [row, value] : cells) {
    indexCell(column, row);
    refreshPayloads(column, row);
  }
}

void Table::erase(std::uint32_t row) {
  if (UndoLog* l = log()) l->erasing(*this, row, rowValues(row), bucketPlaces(row));
  unindexRow(row);
  // The last slot goes (a table emptied from its end, as cascades remove
  // rows, keeps no free slots); any other becomes free.
  releaseSlot(row, row + 1 != slotCount());
}

bool Table::compactIfSparse() {
  if (log() || free_.size() < kCompactionFreeSlots || free_.size() * 2 < slotCount()) return false;
  // Each association bucket keeps its order (what ids() and get() show):
  // its rows, in order, by the slots they move to (live rows keep theirs).
  std::vector<std::uint32_t> movedTo(slotCount(), 0);
  for (std::uint32_t r = 0, next = 0; r < slotCount(); ++r) {
    if (isLive(r)) movedTo[r] = next++;
  }
  std::vector<std::vector<std::uint32_t>> bucketOrder(columns_.size());
  for (std::uint32_t c = 0; c < columns_.size(); ++c) {
    std::visit(Overload{[](std::monostate) {},
                        [&](const auto& link) {
                          link.forEach([&](const auto&, const LinkBucket& bucket) {
                            for (std::uint32_t row : bucket.rows()) bucketOrder[c].push_back(movedTo[row]);
                          });
                        }},
               links_[c]);
  }
  std::vector<Column> live = liveColumns();
  // Into the existing Column objects: the indices hold their addresses.
  for (std::uint32_t c = 0; c < columns_.size(); ++c) *columns_[c] = std::move(live[c]);
  free_.clear();
  free_.shrink_to_fit();
  resetIndexes();
  std::vector<std::function<void()>> jobs;
  std::vector<std::optional<Duplicate>> found;  // none: the rows were unique before
  indexJobs(jobs, found, &bucketOrder);
  for (auto& job : jobs) job();
  return true;
}

void Table::resetIndexes() {
  pkIndex_ = PkIndex(columns_[pkColumn_].get());
  for (std::uint32_t c = 0; c < columns_.size(); ++c) {
    const Column* col = columns_[c].get();
    Index index = std::visit(
        [&](const auto& old) -> Index {
          using I = std::decay_t<decltype(old)>;
          if constexpr (std::is_same_v<I, std::monostate>) return std::monostate{}; else return I(col);
        },
        indexes_[c]);
    indexes_[c] = std::move(index);
    Link link = std::visit(
        [&](const auto& old) -> Link {
          using L = std::decay_t<decltype(old)>;
          if constexpr (std::is_same_v<L, std::monostate>) {
            return std::monostate{};
          } else {
            return L(col, columns_[linkPayloads_[c]].get(), linkRowIdColumn(c));
          }
        },
        links_[c]);
    links_[c] = std::move(link);
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
  return column == pkColumn_ || !std::holds_alternative<std::monostate>(indexes_[column]) || hasLinkIndex(column);
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
  else if (auto* m = std::get_if<MultiIndex<TextKeys>>(&indexes_[column])) rows = m->find(TextKeys::of(col, value));
  else if (const LinkBucket* b = links(column, value)) rows = b->rows();
  out.insert(out.end(), rows.begin(), rows.end());
}

std::size_t Table::lookupSize(std::uint32_t column, const Value& value) const {
  const Column& col = *columns_[column];
  if (isUniqueIndexed(column)) return uniqueRow(column, value) ? 1 : 0;
  if (auto* m = std::get_if<MultiIndex<NumericKeys>>(&indexes_[column])) return m->find(NumericKeys::of(col, value)).size();
  if (auto* m = std::get_if<MultiIndex<TextKeys>>(&indexes_[column])) return m->find(TextKeys::of(col, value)).size();
  if (const LinkBucket* b = links(column, value)) return b->size();
  return 0;
}

std::size_t Table::memoryUsage() const {
  std::size_t bytes = pkIndex_.memoryUsage() + columns_.capacity() * sizeof(void*) + indexes_.capacity() * sizeof(Index);
  for (const auto& col : columns_) bytes += sizeof(Column) + col->memoryUsage();
  for (const auto& index : indexes_) {
    std::visit(Overload{[](std::monostate) {}, [&](const auto& i) { bytes += i.memoryUsage(); }}, index);
  }
  for (const auto& link : links_) {
    std::visit(Overload{[](std::monostate) {}, [&](const auto& l) { bytes += l.memoryUsage(); }}, link);
  }
  return bytes;
}

}  // namespace relstore::detail
