// hasOne: like hasMany (the key on the target references the source), with
// at most one target: setting a new one unlinks the previous one (its key
// goes null, or it is destroyed when the key cannot be null).
#include "associations/links.h"
#include "store_impl.h"
#include "write/writes.h"

namespace relstore::detail {

void hasOneSet(const Bound& b, const Instance& src, const std::optional<Instance>& target) {
  const auto rows = hasOneRows(b, sourceRow(b, src));
  if (target) linkKey(b, b.source, sourceRow(b, src), b.def.sourceKey, "source", "sourceKey");  // before any unlink
  const std::optional<Id> current = rows.empty() ? std::nullopt : std::optional<Id>(b.target.table().idAt(rows[0]));
  if (target && current && *current == target->id()) return;  // the same target again: nothing changes
  // Every other row linked now goes (the key allows more than one; hasOne
  // keeps one): a target already among them is not unlinked first, which with
  // a NOT NULL key would destroy it.
  std::vector<Instance> linked;
  for (std::uint32_t r : hasManyRows(b, sourceRow(b, src))) {
    const Id id = b.target.table().idAt(r);
    if (!target || id != target->id()) linked.emplace_back(&b.store, b.target.index(), id);  // the new one stays
  }
  for (const Instance& old : linked) {
    if (old.exists()) hasManyRemove(b, src, old);  // an earlier unlink's cascade may have destroyed it
  }
  if (target && target->exists()) hasManyAdd(b, src, *target);  // an unlink's cascade may have destroyed it
}

}  // namespace relstore::detail
