#include "associations/references.h"

#include <algorithm>

#include "store_impl.h"

namespace relstore::detail {

std::string shownKey(const Value& v) { return v.type() == Type::Text ? "\"" + v.asText() + "\"" : v.toString(); }

bool keyExists(const ModelImpl& parent, std::uint32_t column, const Value& value) {
  const Table& t = parent.table();
  if (column == parent.pk()) return t.rowOf(value.asInt()).has_value();
  if (t.isUniqueIndexed(column)) return t.uniqueRow(column, value).has_value();
  return t.lookupSize(column, value) > 0;
}

void prefetchInsertOf(const StoreImpl& store, const ModelImpl& model, const std::vector<Value>& row) noexcept {
  for (std::uint32_t id : model.childKeys()) {
    const ForeignKey& fk = store.foreignKey(id);
    const ModelImpl& parent = store.model(fk.parent);
    const Value& v = row[fk.column];
    if (fk.constraints && fk.parentKey == parent.pk() && !v.isNull() && v.type() == Type::Int) {
      parent.table().prefetchRowOf(v.asInt());
    }
  }
  model.table().prefetchLinksFor(row);
}

void checkReferences(const StoreImpl& store, const ModelImpl& model, const std::vector<Value>& row,
                     const std::vector<std::uint32_t>& only, const PendingKey& pending) {
  for (std::uint32_t id : model.childKeys()) {
    const ForeignKey& fk = store.foreignKey(id);
    if (!fk.constraints) continue;
    if (!only.empty() && std::find(only.begin(), only.end(), fk.column) == only.end()) continue;
    const Value& v = row[fk.column];
    if (v.isNull()) continue;
    if (fk.parent == model.index() && row[fk.parentKey] == v) continue;  // references itself
    const ModelImpl& parent = store.model(fk.parent);
    if (keyExists(parent, fk.parentKey, v)) continue;
    if (pending && pending(fk.parent, fk.parentKey, v)) continue;
    const std::string shown = shownKey(v);
    throw ForeignKeyConstraintError(model.qualified(fk.column) + " = " + shown + " references no " + parent.name() +
                                    " (no row with " + parent.attribute(fk.parentKey).name + " " + shown + ")");
  }
}

std::optional<std::uint32_t> firstDanglingRow(const ForeignKey& fk, std::uint32_t parentPk, const Table& children,
                                              const Table& parents) {
  const Column& key = children.column(fk.column);
  if (fk.parentKey == parentPk) {
    // Each distinct key once, from the key column's link index (a million
    // posts of a hundred thousand users: a hundred thousand lookups); a
    // dangling one is then looked for row by row, to name the row.
    bool dangling = false;
    const bool indexed = key.type() == Type::Int && children.forEachLinkKey(fk.column, [&](std::int64_t k) {
      dangling = dangling || !parents.rowOf(k);
    });
    if (indexed && !dangling) return std::nullopt;
  }
  for (std::uint32_t r = 0; r < children.slotCount(); ++r) {
    if (!children.isLive(r) || key.isNull(r)) continue;
    const bool found = fk.parentKey == parentPk ? key.type() == Type::Int && parents.rowOf(key.intAt(r)).has_value()
                                                : parents.uniqueRow(fk.parentKey, key.get(r)).has_value();
    if (!found) return r;
  }
  return std::nullopt;
}

void pairViolation(const ModelImpl& model, std::size_t pair, const std::vector<Value>& row) {
  const PairIndex& p = model.table().pairIndex(pair);
  throw UniqueConstraintError(model.name() + ": the pair (" + model.attribute(p.first()).name + " " +
                              row[p.first()].toString() + ", " + model.attribute(p.second()).name + " " +
                              row[p.second()].toString() + ") is already linked");
}

}  // namespace relstore::detail
