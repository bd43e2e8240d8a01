// hasMany: the foreign key lives on the target and references the source's
// sourceKey. Its link index (shared with a paired belongsTo) gives the
// children of a source row directly.
#include <algorithm>

#include "associations/links.h"
#include "store_impl.h"
#include "write/writes.h"

namespace relstore::detail {

namespace {

const ForeignKey& keyOf(const Bound& b) { return b.store.foreignKey(b.def.foreignKey); }

Value sourceKeyValue(const Bound& b, std::uint32_t srcRow) { return b.source.table().column(b.def.sourceKey).get(srcRow); }
// The key a new link is written with: never null.
Value linkingKey(const Bound& b, std::uint32_t srcRow) {
  return linkKey(b, b.source, srcRow, b.def.sourceKey, "source", "sourceKey");
}

}  // namespace

std::vector<std::uint32_t> hasManyRows(const Bound& b, std::uint32_t srcRow) {
  const Value key = sourceKeyValue(b, srcRow);
  std::vector<std::uint32_t> rows;
  if (key.isNull()) return rows;
  if (const LinkBucket* bucket = b.target.table().links(keyOf(b).column, key)) {
    rows.reserve(bucket->size());
    for (std::uint32_t r : bucket->rows()) {
      if (scopeMatches(b, r)) rows.push_back(r);
    }
  }
  return rows;
}

std::vector<std::uint32_t> hasOneCandidates(const Bound& b, std::uint32_t srcRow) {
  auto rows = hasManyRows(b, srcRow);
  const Table& t = b.target.table();
  std::sort(rows.begin(), rows.end(), [&](std::uint32_t x, std::uint32_t y) { return t.idAt(x) < t.idAt(y); });
  return rows;
}

std::vector<std::uint32_t> hasOneRows(const Bound& b, std::uint32_t srcRow) {
  // The first linked, by primary key, is "the" one (the key does not forbid more).
  auto rows = hasOneCandidates(b, srcRow);
  // erase, not resize(1): GCC 12 warns (-Warray-bounds) on resize's inlined
  // growth path, which a shrink never takes.
  if (rows.size() > 1) rows.erase(rows.begin() + 1, rows.end());
  return rows;
}

std::span<const Id> hasOneId(std::span<const Id> ids) {
  if (ids.empty()) return {};
  return {&*std::min_element(ids.begin(), ids.end()), 1};
}

void hasManyAdd(const Bound& b, const Instance& src, const Instance& target) {
  auto values = scopeFields(b);
  values.emplace_back(b.target.attribute(keyOf(b).column).name, linkingKey(b, sourceRow(b, src)));
  writeRow(b.store, b.target.index(), target.id(), values);
}

// Unlinks one target: its key goes null, or the target goes when the key
// cannot be null.
void unlink(const Bound& b, Id target) {
  const ForeignKey& fk = keyOf(b);
  if (b.target.attribute(fk.column).allowNull) {
    writeRow(b.store, b.target.index(), target, {{b.target.attribute(fk.column).name, Value()}});
  } else {
    Instance handle(&b.store, b.target.index(), target);
    destroyInstance(handle);
  }
}

std::size_t hasManyRemove(const Bound& b, const Instance& src, const Instance& target) {
  const auto rows = hasManyRows(b, sourceRow(b, src));
  const std::uint32_t row = targetRow(b, target);
  if (std::find(rows.begin(), rows.end(), row) == rows.end()) return 0;
  unlink(b, target.id());
  return 1;
}

void hasManySet(const Bound& b, const Instance& src, const std::vector<Instance>& targets) {
  if (!targets.empty()) linkingKey(b, sourceRow(b, src));  // refused before anything is unlinked
  std::vector<Id> keep;
  for (const Instance& t : targets) keep.push_back(t.id());
  std::vector<Id> obsolete;
  for (std::uint32_t r : hasManyRows(b, sourceRow(b, src))) {
    const Id id = b.target.table().idAt(r);
    if (std::find(keep.begin(), keep.end(), id) == keep.end()) obsolete.push_back(id);
  }
  for (Id id : obsolete) {
    if (b.target.table().rowOf(id)) unlink(b, id);  // an earlier unlink's cascade may have destroyed it
  }
  for (const Instance& t : targets) {
    if (t.exists()) hasManyAdd(b, src, t);  // unlinking an old target may have destroyed a new one by cascade
  }
}

Instance hasManyCreate(const Bound& b, const Instance& src, const Record& values) {
  auto extra = scopeFields(b);
  extra.emplace_back(b.target.attribute(keyOf(b).column).name, linkingKey(b, sourceRow(b, src)));
  const Record record = withValues(values, extra);
  return createRow(b.store, b.target, record);
}

std::span<const Id> keyedIds(const Bound& b, Id src) {
  Value key;
  if (b.def.sourceKey == b.source.pk()) {
    key = Value(src);  // the usual case: the link key is the id itself
  } else {
    auto row = b.source.table().rowOf(src);
    if (!row) return {};
    key = sourceKeyValue(b, *row);
    if (key.isNull()) return {};
  }
  const ForeignKey& fk = keyOf(b);
  const ModelImpl& holder = b.store.model(fk.child);
  if (b.def.type == AssociationType::BelongsToMany) {
    if (b.def.targetKey != b.target.pk()) misuse(b, "ids() needs the target's primary key as targetKey; use get()");
    // The junction's target keys are the ids: they must name live targets.
    const ForeignKey& other = b.store.foreignKey(*b.def.otherKey);
    if (!other.constraints || holder.attribute(other.column).allowNull) {
      misuse(b, "ids() lists the junction's " + holder.attribute(other.column).name +
                    " values as stored, and without constraints or with null allowed they may name no " +
                    b.target.name() + "; use get()");
    }
  }
  // The index's payload is one column: the holder's ids, or a junction's
  // other key, whichever the association that made the index needed.
  const bool served = b.def.type == AssociationType::BelongsToMany
                          ? holder.table().linkPayloadColumn(fk.column) == b.store.foreignKey(*b.def.otherKey).column
                          : holder.table().linksCarryIds(fk.column);
  if (!served) {
    misuse(b, "ids() reads the index of " + holder.qualified(fk.column) + ", which carries " +
                  holder.attribute(holder.table().linkPayloadColumn(fk.column)).name +
                  " for another association of that key; use get()");
  }
  const LinkBucket* bucket = holder.table().links(fk.column, key);
  if (!bucket) return {};
  if (b.def.type == AssociationType::HasOne) return hasOneId(bucket->payload());
  return bucket->payload();
}

}  // namespace relstore::detail
