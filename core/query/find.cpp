#include "query/find.h"

#include <algorithm>
#include <cmath>

#include "query/where_compiler.h"
#include "store_impl.h"

namespace relstore::detail {

std::vector<std::uint32_t> selectRows(const ModelImpl& model, const Where& where, std::size_t stopAfter) {
  const CompiledWhere compiled = compileWhere(model, where);
  const Table& table = model.table();
  std::vector<std::uint32_t> rows;
  if (stopAfter == 0) return rows;
  if (compiled.plan) {
    for (const Value& key : compiled.plan->keys) table.lookup(compiled.plan->column, key, rows);
    if (compiled.predicate && !compiled.planIsExact) compiled.predicate->keepMatching(rows);
    if (rows.size() > stopAfter) rows.resize(stopAfter);
    return rows;
  }
  const std::uint32_t n = table.slotCount();
  if (!compiled.predicate) {
    const std::uint32_t take = static_cast<std::uint32_t>(std::min<std::size_t>(table.rowCount(), stopAfter));
    rows.reserve(take);
    if (!table.hasFreeSlots()) {
      rows.resize(take);
      for (std::uint32_t r = 0; r < take; ++r) rows[r] = r;
      return rows;
    }
    for (std::uint32_t r = 0; r < n && rows.size() < take; ++r) {
      if (table.isLive(r)) rows.push_back(r);
    }
    return rows;
  }
  const Predicate& p = *compiled.predicate;
  const bool holes = table.hasFreeSlots();  // a free slot's null cells could match `IS NULL`
  for (std::uint32_t r = 0; r < n; ++r) {
    if (holes && !table.isLive(r)) continue;
    if (p.matches(r)) {
      rows.push_back(r);
      if (rows.size() == stopAfter) break;
    }
  }
  return rows;
}

namespace {

struct SortKey {
  const Column* column;
  bool descending;
};

// Three-way compare of two non-null cells of one column.
int compareCells(const Column& c, std::uint32_t a, std::uint32_t b) {
  switch (c.type()) {
    case Type::Int: return c.intAt(a) < c.intAt(b) ? -1 : c.intAt(a) > c.intAt(b);
    case Type::Real: {
      // NaN sorts after every number (as in PostgreSQL): a total order, as
      // std::sort needs, where IEEE's comparisons would tie NaN with all.
      const double x = c.realAt(a), y = c.realAt(b);
      const bool nx = std::isnan(x), ny = std::isnan(y);
      if (nx || ny) return static_cast<int>(nx) - static_cast<int>(ny);
      return x < y ? -1 : x > y;
    }
    case Type::Bool: return static_cast<int>(c.boolAt(a)) - static_cast<int>(c.boolAt(b));
    case Type::Text: {
      const int r = c.textAt(a).compare(c.textAt(b));
      return r < 0 ? -1 : r > 0;
    }
  }
  return 0;
}

}  // namespace

void orderRows(const ModelImpl& model, std::vector<std::uint32_t>& rows, const std::vector<Order>& order,
               std::size_t keep) {
  if (order.empty()) return;
  std::vector<SortKey> keys;
  for (const Order& o : order) {
    const std::uint32_t a = model.requireAttribute(o.attribute, "order");
    keys.push_back({&model.table().column(a), o.direction == Direction::Desc});
  }
  const Table& table = model.table();
  auto less = [&](std::uint32_t a, std::uint32_t b) {
    for (const SortKey& k : keys) {
      const bool na = k.column->isNull(a), nb = k.column->isNull(b);
      int c = na || nb ? static_cast<int>(nb) - static_cast<int>(na) : compareCells(*k.column, a, b);
      if (k.descending) c = -c;  // nulls are the smallest: first ascending, last descending
      if (c != 0) return c < 0;
    }
    return table.idAt(a) < table.idAt(b);
  };
  if (keep < rows.size()) {
    std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(keep), rows.end(), less);
    rows.resize(keep);
  } else {
    std::sort(rows.begin(), rows.end(), less);
  }
}

std::vector<std::uint32_t> filterRows(const ModelImpl& model, std::vector<std::uint32_t> rows,
                                      const FindOptions& options, bool applyLimit) {
  const CompiledWhere compiled = compileWhere(model, options.where);
  if (compiled.predicate) compiled.predicate->keepMatching(rows);
  if (!applyLimit) return rows;
  constexpr std::size_t all = std::numeric_limits<std::size_t>::max();
  const std::size_t wanted = options.limit ? options.offset + *options.limit : all;
  const std::size_t want = wanted < options.offset ? all : wanted;
  orderRows(model, rows, options.order, want);
  if (rows.size() > want) rows.resize(want);
  if (options.offset >= rows.size()) return {};
  rows.erase(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(options.offset));
  return rows;
}

std::vector<std::uint32_t> findRows(const ModelImpl& model, const FindOptions& options) {
  constexpr std::size_t all = std::numeric_limits<std::size_t>::max();
  const std::size_t wanted = options.limit ? options.offset + *options.limit : all;
  const std::size_t want = wanted < options.offset ? all : wanted;  // overflow guard
  std::vector<std::uint32_t> rows;
  if (options.order.empty()) {
    rows = selectRows(model, options.where, want);
  } else {
    rows = selectRows(model, options.where);
    orderRows(model, rows, options.order, want);
  }
  if (options.offset >= rows.size()) return {};
  rows.erase(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(options.offset));
  return rows;
}

ShapeRef shapeFor(const ModelImpl& model, const std::vector<std::string>& attributes) {
  if (attributes.empty()) return nullptr;
  ShapeRef shape = ShapeRef::make();
  std::vector<std::uint32_t>& shown = shape.edit().attributes;
  for (const std::string& name : attributes) {
    const std::uint32_t a = model.requireAttribute(name, "attributes");
    if (std::find(shown.begin(), shown.end(), a) == shown.end()) shown.push_back(a);
  }
  std::sort(shown.begin(), shown.end());
  return shape;
}

}  // namespace relstore::detail
