// belongsTo: the foreign key lives on the source and references the target's
// targetKey. set() writes only that key (other staged values of the caller's
// handle stay staged: it writes through a handle of its own).
#include "associations/links.h"
#include "store_impl.h"
#include "write/writes.h"

namespace relstore::detail {

namespace {
const ForeignKey& keyOf(const Bound& b) { return b.store.foreignKey(b.def.foreignKey); }

std::optional<std::uint32_t> parentRow(const Bound& b, std::uint32_t srcRow) {
  const Value key = b.source.table().column(keyOf(b).column).get(srcRow);
  if (key.isNull()) return std::nullopt;
  const Table& t = b.target.table();
  if (b.def.targetKey == b.target.pk()) return t.rowOf(key.asInt());
  return t.uniqueRow(b.def.targetKey, key);
}
}  // namespace

std::vector<std::uint32_t> belongsToRows(const Bound& b, std::uint32_t srcRow) {
  auto row = parentRow(b, srcRow);
  if (!row || !scopeMatches(b, *row)) return {};
  return {*row};
}

void belongsToSet(const Bound& b, const Instance& src, const std::optional<Instance>& target) {
  const Value key =
      target ? linkKey(b, b.target, targetRow(b, *target), b.def.targetKey, "target", "targetKey") : Value();
  writeRow(b.store, b.source.index(), src.id(), {{b.source.attribute(keyOf(b).column).name, key}});
}

Instance belongsToCreate(const Bound& b, const Instance& src, const Record& values) {
  Instance parent = createRow(b.store, b.target, withValues(values, scopeFields(b)));
  belongsToSet(b, src, parent);
  return parent;
}

std::span<const Id> belongsToIds(const Bound& b, Id src) {
  auto srcRow = b.source.table().rowOf(src);
  if (!srcRow) return {};
  auto row = parentRow(b, *srcRow);
  if (!row) return {};
  return std::span<const Id>(b.target.table().column(b.target.pk()).intAddress(*row), 1);
}

}  // namespace relstore::detail
