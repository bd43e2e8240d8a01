// belongsToMany: links are rows of a junction model with a key to each side.
// The junction's link index on the source key gives a source row's links;
// each link's other key finds its target. With a unique junction a pair is
// linked once (a pair index refuses duplicates); without, every junction row
// is a link of its own.
#include <algorithm>

#include "associations/links.h"
#include "store_impl.h"
#include "write/writes.h"

namespace relstore::detail {

namespace {

ModelImpl& junctionOf(const Bound& b) { return b.store.model(*b.def.through); }
const ForeignKey& sourceKeyOf(const Bound& b) { return b.store.foreignKey(b.def.foreignKey); }
const ForeignKey& targetKeyOf(const Bound& b) { return b.store.foreignKey(*b.def.otherKey); }

Value sourceKeyValue(const Bound& b, std::uint32_t srcRow) { return b.source.table().column(b.def.sourceKey).get(srcRow); }
Value targetKeyValue(const Bound& b, std::uint32_t row) { return b.target.table().column(b.def.targetKey).get(row); }

std::optional<std::uint32_t> targetRowByKey(const Bound& b, const Value& key) {
  const Table& t = b.target.table();
  if (b.def.targetKey == b.target.pk()) return t.rowOf(key.asInt());
  return t.uniqueRow(b.def.targetKey, key);
}

// Junction rows linking `src` and `target` (ids).
std::vector<Id> linksBetween(const Bound& b, std::uint32_t srcRow, std::uint32_t row) {
  const ModelImpl& j = junctionOf(b);
  const Value key = sourceKeyValue(b, srcRow);
  const Value other = targetKeyValue(b, row);
  std::vector<Id> out;
  if (key.isNull() || other.isNull()) return out;
  const LinkBucket* bucket = j.table().links(sourceKeyOf(b).column, key);
  if (!bucket) return out;
  const Column& otherColumn = j.table().column(targetKeyOf(b).column);
  for (std::uint32_t jr : bucket->rows()) {
    if (otherColumn.equals(jr, other)) out.push_back(j.table().idAt(jr));
  }
  return out;
}

std::vector<std::pair<std::string, Value>> throughFields(const Record& through) {
  std::vector<std::pair<std::string, Value>> out;
  for (const Field& f : through) out.emplace_back(f.name, f.value);
  return out;
}

}  // namespace

std::vector<std::pair<std::uint32_t, std::uint32_t>> belongsToManyLinks(const Bound& b, std::uint32_t srcRow) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  const Value key = sourceKeyValue(b, srcRow);
  if (key.isNull()) return out;
  const ModelImpl& j = junctionOf(b);
  const LinkBucket* bucket = j.table().links(sourceKeyOf(b).column, key);
  if (!bucket) return out;
  out.reserve(bucket->size());
  const Column& otherColumn = j.table().column(targetKeyOf(b).column);
  for (std::uint32_t jr : bucket->rows()) {
    if (otherColumn.isNull(jr)) continue;
    auto row = targetRowByKey(b, otherColumn.get(jr));
    if (row && scopeMatches(b, *row)) out.emplace_back(*row, jr);  // a dangling key (constraints: false) finds nothing
  }
  return out;
}

void belongsToManyAdd(const Bound& b, const Instance& src, const Instance& target, const Record& through) {
  const std::uint32_t srcRow = sourceRow(b, src);
  const std::uint32_t row = targetRow(b, target);
  const Value key = linkKey(b, b.source, srcRow, b.def.sourceKey, "source", "sourceKey");
  const Value other = linkKey(b, b.target, row, b.def.targetKey, "target", "targetKey");
  ModelImpl& j = junctionOf(b);
  if (b.def.throughUnique) {
    const auto existing = linksBetween(b, srcRow, row);
    if (!existing.empty()) {
      // An existing pair is never duplicated; given attributes update it.
      if (!through.empty()) writeRow(b.store, j.index(), existing.front(), throughFields(through));
      return;
    }
  }
  const std::vector<std::pair<std::string, Value>> keys = {
      {j.attribute(sourceKeyOf(b).column).name, key}, {j.attribute(targetKeyOf(b).column).name, other}};
  createRow(b.store, j, withValues(through, keys));
}

std::size_t belongsToManyRemove(const Bound& b, const Instance& src, const Instance& target) {
  const auto links = linksBetween(b, sourceRow(b, src), targetRow(b, target));
  ModelImpl& j = junctionOf(b);
  for (Id id : links) {
    Instance handle(&b.store, j.index(), id);
    destroyInstance(handle);
  }
  return links.size();
}

void belongsToManySet(const Bound& b, const Instance& src, const std::vector<Instance>& targets, const Record& through) {
  const std::uint32_t srcRow = sourceRow(b, src);
  std::vector<std::uint32_t> keep;
  for (const Instance& t : targets) keep.push_back(targetRow(b, t));
  if (!targets.empty()) linkKey(b, b.source, srcRow, b.def.sourceKey, "source", "sourceKey");  // refused before any
  for (std::uint32_t row : keep) linkKey(b, b.target, row, b.def.targetKey, "target", "targetKey");  // link goes
  // Links to targets outside the new set go; only links whose target matches
  // this association's scope are this association's to remove.
  ModelImpl& j = junctionOf(b);
  std::vector<Id> obsolete;
  for (const auto& [row, jr] : belongsToManyLinks(b, srcRow)) {
    if (std::find(keep.begin(), keep.end(), row) == keep.end()) obsolete.push_back(j.table().idAt(jr));
  }
  for (Id id : obsolete) {
    Instance handle(&b.store, j.index(), id);
    destroyInstance(handle);
  }
  for (const Instance& t : targets) {
    const auto existing = linksBetween(b, sourceRow(b, src), targetRow(b, t));
    if (existing.empty()) {
      belongsToManyAdd(b, src, t, through);
    } else if (!through.empty()) {
      for (Id id : existing) writeRow(b.store, j.index(), id, throughFields(through));
    }
  }
}

Instance belongsToManyCreate(const Bound& b, const Instance& src, const Record& values, const Record& through) {
  linkKey(b, b.source, sourceRow(b, src), b.def.sourceKey, "source", "sourceKey");  // before the target is created
  Instance created = createRow(b.store, b.target, withValues(values, scopeFields(b)));
  belongsToManyAdd(b, src, created, through);
  return created;
}

}  // namespace relstore::detail
