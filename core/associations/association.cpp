// The public Association handle and the helpers every association type uses.
#include "relstore/association.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "associations/links.h"
#include "query/eager_loading.h"
#include "query/find.h"
#include "query/scopes.h"
#include "relstore/model.h"
#include "store_impl.h"
#include "write/operation.h"
#include "write/writes.h"

namespace relstore {

namespace detail {

std::string Bound::name() const { return source.name() + "." + def.as; }

Bound bind(StoreImpl& store, std::uint32_t association) {
  const AssociationDef& def = store.association(association);
  return Bound{store, def, store.model(def.source), store.model(def.target)};
}

void misuse(const Bound& b, const std::string& what) { throw AssociationError("Association " + b.name() + ": " + what); }

namespace {
void requireModel(const Bound& b, const Instance& inst, const ModelImpl& expected, const char* role) {
  if (inst.modelImpl() != &expected) {  // a model of this store, and the expected one
    const std::string given = inst.storeImpl() == &b.store ? inst.storeImpl()->model(inst.modelIndex()).name()
                                                           : std::string("a model of another store");
    misuse(b, std::string("the ") + role + " must be a " + expected.name() + ", not " + given);
  }
}

std::uint32_t liveRow(const Bound& b, const Instance& inst, const ModelImpl& expected, const char* role) {
  requireModel(b, inst, expected, role);
  auto row = expected.table().rowOf(inst.id(), inst.rowHint());
  if (!row) {
    misuse(b, std::string("the ") + role + " " + expected.name() + " with id " + std::to_string(inst.id()) +
                  " does not exist (destroyed?)");
  }
  return *row;
}
}  // namespace

std::uint32_t sourceRow(const Bound& b, const Instance& src) { return liveRow(b, src, b.source, "source"); }
std::uint32_t targetRow(const Bound& b, const Instance& t) { return liveRow(b, t, b.target, "target"); }
std::optional<std::uint32_t> targetRowIfLive(const Bound& b, const Instance& t) {
  requireModel(b, t, b.target, "target");
  return b.target.table().rowOf(t.id(), t.rowHint());
}

Value linkKey(const Bound& b, const ModelImpl& m, std::uint32_t row, std::uint32_t column, const char* role,
              const char* option) {
  Value key = m.table().column(column).get(row);
  if (key.isNull()) {
    misuse(b, std::string("the ") + role + " " + m.name() + " with id " + std::to_string(m.table().idAt(row)) +
                  " has a null " + m.attribute(column).name + " (the " + option + "), so nothing can link to it");
  }
  return key;
}

bool scopeMatches(const Bound& b, std::uint32_t row) {
  for (const auto& [a, v] : b.def.scope) {
    if (!b.target.table().column(a).equals(row, v)) return false;
  }
  return true;
}

std::vector<std::pair<std::string, Value>> scopeFields(const Bound& b) {
  std::vector<std::pair<std::string, Value>> out;
  for (const auto& [a, v] : b.def.scope) out.emplace_back(b.target.attribute(a).name, v);
  return out;
}

Record withValues(const Record& values, const std::vector<std::pair<std::string, Value>>& extra) {
  Record out;
  for (const Field& f : values) {
    if (std::none_of(extra.begin(), extra.end(), [&](const auto& e) { return e.first == f.name; })) out.push_back(f);
  }
  for (const auto& [name, v] : extra) out.push_back({name, v});
  return out;
}

void writeRow(StoreImpl& store, std::uint32_t model, Id id, const std::vector<std::pair<std::string, Value>>& values) {
  Instance handle(&store, model, id);
  for (const auto& [name, v] : values) handle.set(name, v);
  saveInstance(handle);
}

}  // namespace detail

using detail::Bound;

namespace {


std::vector<std::uint32_t> linkedRows(const Bound& b, std::uint32_t srcRow) {
  switch (b.def.type) {
    case AssociationType::HasOne: return detail::hasOneRows(b, srcRow);
    case AssociationType::BelongsTo: return detail::belongsToRows(b, srcRow);
    case AssociationType::HasMany: return detail::hasManyRows(b, srcRow);
    case AssociationType::BelongsToMany: {
      std::vector<std::uint32_t> rows;
      for (const auto& [target, junction] : detail::belongsToManyLinks(b, srcRow)) rows.push_back(target);
      return rows;
    }
  }
  return {};
}

// The rows a read (get, count) starts from: the linked rows; for a hasOne
// every row holding the key, so that the read's filters pick among them.
std::vector<std::uint32_t> readCandidates(const Bound& b, std::uint32_t srcRow) {
  if (b.def.type == AssociationType::HasOne) return detail::hasOneCandidates(b, srcRow);
  return linkedRows(b, srcRow);
}

}  // namespace

AssociationType Association::type() const { return store_->association(index_).type; }
Model Association::source() const { return Model(store_, store_->association(index_).source); }
Model Association::target() const { return Model(store_, store_->association(index_).target); }
const std::string& Association::as() const { return store_->association(index_).as; }
const std::string& Association::foreignKey() const { return store_->association(index_).foreignKeyName; }
const std::string& Association::otherKey() const { return store_->association(index_).otherKeyName; }
std::optional<Model> Association::through() const {
  const auto& def = store_->association(index_);
  if (!def.through) return std::nullopt;
  return Model(store_, *def.through);
}

namespace {
// The options an association read runs with: the target's scope (the scoped
// handle it was defined with, else the target's default scope), then the call's.
FindOptions readOptions(const Bound& b, const FindOptions& options) {
  const FindOptions* scope = detail::targetScope(b.target, b.def.targetScopes);
  if (scope) return detail::mergeOptions(b.store, b.target, *scope, options);
  // Includes of one association merge with or without a scope around them.
  return options.include.empty() ? options : detail::mergeOptions(b.store, b.target, FindOptions{}, options);
}
}  // namespace

namespace {

// A method that writes several rows (each an operation of its own, with its
// hooks) is one unit: when a later write fails — a check, a before-hook, an
// after-hook — the rows written before it are restored, so the association
// is exactly as before. Single writes need no unit: they are atomic alone.
class MethodUnit {
 public:
  explicit MethodUnit(detail::StoreImpl& store) : operation_(store, /*hooked=*/true) {}
  void done() { operation_.applied(); }

 private:
  detail::OperationScope operation_;
};

bool plain(const FindOptions& o) {
  return o.where.empty() && o.include.empty() && o.order.empty() && !o.limit && o.offset == 0 && o.attributes.empty();
}

// Iterates over the handles make(0), ..., make(n - 1), for the vector's
// range constructor: it sizes the vector once and constructs in place, with
// no capacity check or end pointer written per handle as emplace_back has.
// Only what that constructor uses of an iterator is here (its reference is
// a prvalue handle, which the constructor moves into place).
template <class MakeHandle>
class HandleMaker {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = Instance;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = Instance;

  HandleMaker(const MakeHandle& make, std::size_t i) : make_(&make), i_(i) {}
  Instance operator*() const { return (*make_)(i_); }
  HandleMaker& operator++() {
    ++i_;
    return *this;
  }
  HandleMaker operator++(int) {
    HandleMaker old = *this;
    ++i_;
    return old;
  }
  friend difference_type operator-(const HandleMaker& a, const HandleMaker& b) {
    return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
  }
  friend bool operator==(const HandleMaker& a, const HandleMaker& b) { return a.i_ == b.i_; }

 private:
  const MakeHandle* make_;
  std::size_t i_;
};

template <class MakeHandle>
std::vector<Instance> makeHandles(std::size_t n, const MakeHandle& make) {
  return std::vector<Instance>(HandleMaker<MakeHandle>(make, 0), HandleMaker<MakeHandle>(make, n));
}

// Sets `out` to one handle per hasMany target, from a link bucket's ids and
// rows (the targets' slots in `targets`). A function of its own so that the
// loop keeps its invariants in registers: inlined into plainGet, GCC 12
// spilled them and reloaded half a dozen per handle.
[[gnu::noinline]] void fillTargets(std::vector<Instance>& out, const detail::ModelImpl& model,
                                   const detail::Table& targets, std::span<const Id> ids,
                                   std::span<const std::uint32_t> rows) {
  const std::uint64_t epoch = targets.hintEpoch();
  out = makeHandles(ids.size(), [&](std::size_t i) {
    return Instance(model, ids[i], nullptr, 0, detail::RowHint{rows[i], epoch});
  });
}

// The same for a belongsToMany: `ids` are the other keys of the junction
// rows `rows` (of model `junctionModel`, column `otherKey`) and
// `junctionIds` their ids; each target remembers the junction row that
// linked it.
[[gnu::noinline]] void fillThroughTargets(std::vector<Instance>& out, const detail::ModelImpl& model,
                                          const detail::Table& targets, std::uint32_t junctionModel,
                                          const detail::Column& otherKey, std::span<const Id> ids,
                                          std::span<const std::uint32_t> rows, std::span<const Id> junctionIds) {
  // A null or dangling other key (constraints: false) links nothing. The
  // payload of a null key is 0, so only a 0 needs the null bitmap's word.
  const detail::PkIndex::Lookup slots = targets.slotLookup();
  const auto targetSlot = [&](std::size_t i) {
    return ids[i] == 0 && otherKey.isNull(rows[i]) ? detail::Table::kNoSlot : slots.slotOf(ids[i]);
  };
  bool linksNothing = false;
  out = makeHandles(ids.size(), [&](std::size_t i) {
    const std::uint32_t target = targetSlot(i);
    Instance handle(model, ids[i], nullptr, 0, targets.hintFor(target));
    if (target == detail::Table::kNoSlot) [[unlikely]] {
      linksNothing = true;
    } else {
      handle.setThroughInternal(junctionModel, junctionIds[i]);
    }
    return handle;
  });
  if (!linksNothing) [[likely]] return;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (targetSlot(i) == detail::Table::kNoSlot) continue;
    if (kept != i) out[kept] = std::move(out[i]);
    ++kept;
  }
  out.erase(out.begin() + static_cast<std::ptrdiff_t>(kept), out.end());
}

// get() without options, scopes or unusual keys — the common read, and a hot
// one: handles straight from the link index's payload (the targets' ids),
// no intermediate row lists. Returns false (nothing done) for any other case.
// Inline into Association::get with nothing bound: every other path is a
// call, so get() keeps a small frame and a handful of saved registers.
[[gnu::always_inline]] inline bool plainGet(detail::StoreImpl& store, std::uint32_t index, const Instance& src,
                                            const FindOptions* given, std::vector<Instance>& out) {
  const detail::AssociationDef& def = store.association(index);
  const bool many = def.type == AssociationType::HasMany;
  const bool btm = def.type == AssociationType::BelongsToMany;
  if (!many && !btm) return false;
  const detail::ModelImpl& source = store.model(def.source);
  const detail::ModelImpl& target = store.model(def.target);
  // No target scope either (detail::targetScope's two sources).
  if ((btm && def.targetKey != target.pk()) || (given && !plain(*given)) || !def.scope.empty() ||
      def.sourceKey != source.pk() || def.targetScopes != nullptr || target.defaultScope()) {
    return false;
  }
  const detail::ForeignKey& fk = store.foreignKey(def.foreignKey);
  const detail::Table& holder = store.model(fk.child).table();
  if (holder.column(fk.column).type() != Type::Int) return false;
  // The index carries what the association that made it needed: the holder's
  // ids, or a junction's other key. Another association sharing the key
  // (a junction model also reached by hasMany) reads rows instead.
  std::uint32_t other = 0;
  if (btm) {
    other = store.foreignKey(*def.otherKey).column;
    if (holder.linkPayloadColumn(fk.column) != other || !holder.linksKeepRowIds(fk.column) ||
        holder.column(other).type() != Type::Int) {
      return false;
    }
  } else if (!holder.linksCarryIds(fk.column)) {
    return false;
  }
  // A live source of the right model, or AssociationError (sourceRow says which).
  if (src.modelImpl() != &source || source.table().slotOf(src.id(), src.rowHint()) == detail::Table::kNoSlot)
      [[unlikely]] {
    detail::sourceRow(detail::bind(store, index), src);
  }
  // The key is the source's primary key: its id, without reading its row.
  const detail::LinkBucket* bucket = holder.intLinks(fk.column, src.id());
  if (!bucket) return true;
  if (!btm) {
    fillTargets(out, target, holder, bucket->payload(), bucket->rows());
  } else {
    fillThroughTargets(out, target, target.table(), fk.child, holder.column(other), bucket->payload(),
                         bucket->rows(), bucket->rowIds());
  }
  return true;
}

// Every get() plainGet does not take: options, scopes, other keys.
[[gnu::noinline]] std::vector<Instance> getGenerally(detail::StoreImpl& store, std::uint32_t index,
                                                     const Instance& src, const FindOptions& given) {
  const Bound b = detail::bind(store, index);
  const FindOptions options = readOptions(b, given);
  const std::uint32_t srcRow = detail::sourceRow(b, src);
  const auto includes = detail::resolveIncludes(store, b.target, options.include);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> links;  // (target row, junction row)
  std::vector<std::uint32_t> rows;
  if (b.def.type == AssociationType::BelongsToMany) {
    links = detail::belongsToManyLinks(b, srcRow);
    for (const auto& link : links) rows.push_back(link.first);
  } else {
    rows = readCandidates(b, srcRow);
  }
  rows = detail::filterRows(b.target, std::move(rows), options, false);  // where
  const auto shape = detail::shapeFor(b.target, options.attributes);
  // With unique: false a target linked twice appears once per link, each
  // occurrence taking the next of its links in link order; an offset skips
  // occurrences, so the window is selected from the start and cut below,
  // after the links are handed out.
  const bool linksRepeat = b.def.type == AssociationType::BelongsToMany && !b.def.throughUnique && options.offset > 0;
  FindOptions window = options;
  if (linksRepeat) {
    window.offset = 0;
    if (window.limit) window.limit = *options.limit + options.offset;
  }
  detail::Selected selected =
      detail::selectIncluding(store, b.target, std::move(rows), window, includes, shape.get());
  if (b.def.type == AssociationType::HasOne && selected.rows.size() > 1) {  // the first that passed
    // erase, not resize(1): GCC 12 warns (-Warray-bounds) on resize's
    // inlined growth path, which a shrink never takes.
    selected.rows.erase(selected.rows.begin() + 1, selected.rows.end());
    selected.slots.erase(selected.slots.begin() + 1, selected.slots.end());
  }
  std::vector<Instance> out;
  out.reserve(selected.rows.size());
  for (std::size_t i = 0; i < selected.rows.size(); ++i) {
    out.emplace_back(b.target, b.target.table().idAt(selected.rows[i]),
                     includes.empty() ? shape : selected.shape, selected.slots[i],
                     b.target.table().hintFor(selected.rows[i]));
  }
  if (b.def.type != AssociationType::BelongsToMany) return out;
  // Give each target one of its links (a target linked twice, with a
  // non-unique junction, appears twice and takes each link once).
  const std::uint32_t junction = *b.def.through;
  const detail::Table& jt = b.store.model(junction).table();
  bool lineUp = selected.rows.size() == links.size();
  for (std::size_t i = 0; i < out.size() && lineUp; ++i) lineUp = selected.rows[i] == links[i].first;
  if (lineUp) {  // nothing filtered or reordered: the common case, no map
    for (std::size_t i = 0; i < out.size(); ++i) out[i].setThroughInternal(junction, jt.idAt(links[i].second));
  } else {
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> junctionsOf;
    for (auto it = links.rbegin(); it != links.rend(); ++it) junctionsOf[it->first].push_back(it->second);
    for (std::size_t i = 0; i < out.size(); ++i) {
      auto& pending = junctionsOf[selected.rows[i]];
      out[i].setThroughInternal(junction, jt.idAt(pending.back()));
      pending.pop_back();
    }
  }
  if (linksRepeat) out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(std::min(options.offset, out.size())));
  return out;
}

// getGenerally into `out`, out of line: the caller's frame stays as small as
// its common path needs (no FindOptions, no vector of handles to destroy).
[[gnu::noinline]] void getGenerallyInto(detail::StoreImpl& store, std::uint32_t index, const Instance& src,
                                        const FindOptions* given, std::vector<Instance>& out) {
  out = getGenerally(store, index, src, given ? *given : FindOptions{});
}

}  // namespace

std::vector<Instance> Association::get(const Instance& src) const {
  std::vector<Instance> out;
  if (!plainGet(*store_, index_, src, nullptr, out)) getGenerallyInto(*store_, index_, src, nullptr, out);
  return out;
}

std::vector<Instance> Association::get(const Instance& src, const FindOptions& given) const {
  std::vector<Instance> out;
  if (!plainGet(*store_, index_, src, &given, out)) getGenerallyInto(*store_, index_, src, &given, out);
  return out;
}

std::optional<Instance> Association::getOne(const Instance& src) const {
  auto rows = get(src, FindOptions{.limit = 1});
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::size_t Association::count(const Instance& src, const FindOptions& given) const {
  const Bound b = detail::bind(*store_, index_);
  const FindOptions options = readOptions(b, given);
  auto rows = detail::filterRows(b.target, readCandidates(b, detail::sourceRow(b, src)), options, false);
  const auto includes = detail::resolveIncludes(*store_, b.target, options.include);
  const std::size_t atMost = b.def.type == AssociationType::HasOne ? 1 : rows.size();  // a hasOne reads one
  if (!detail::anyRequired(includes)) return std::min(rows.size(), atMost);
  FindOptions unlimited = options;
  unlimited.limit.reset();
  unlimited.offset = 0;
  return std::min(detail::selectIncluding(*store_, b.target, std::move(rows), unlimited, includes, nullptr).rows.size(),
                  atMost);
}

namespace {
bool hasAll(const Bound& b, const Instance& src, std::span<const Instance> targets) {
  const auto rows = linkedRows(b, detail::sourceRow(b, src));
  for (const Instance& t : targets) {
    const auto row = detail::targetRowIfLive(b, t);  // a destroyed target is linked to nothing
    if (!row || std::find(rows.begin(), rows.end(), *row) == rows.end()) return false;
  }
  return true;
}
}  // namespace

bool Association::has(const Instance& src, const Instance& target) const {
  return hasAll(detail::bind(*store_, index_), src, std::span<const Instance>(&target, 1));
}

bool Association::has(const Instance& src, const std::vector<Instance>& targets) const {
  return hasAll(detail::bind(*store_, index_), src, targets);
}

Instance Association::create(const Instance& src, const Record& values, const Record& through) {
  const Bound b = detail::bind(*store_, index_);
  detail::sourceRow(b, src);
  if (!through.empty() && b.def.type != AssociationType::BelongsToMany) {
    detail::misuse(b, "a through record applies to belongsToMany only");
  }
  if (b.def.type == AssociationType::HasOne || b.def.type == AssociationType::HasMany) {
    return detail::hasManyCreate(b, src, values);  // one row, its key written in: the same for both
  }
  MethodUnit unit(*store_);  // the target, then the source's key or a junction row
  Instance created = b.def.type == AssociationType::BelongsTo ? detail::belongsToCreate(b, src, values)
                                                               : detail::belongsToManyCreate(b, src, values, through);
  unit.done();
  return created;
}

void Association::set(const Instance& src, std::optional<Instance> target) {
  const Bound b = detail::bind(*store_, index_);
  if (!detail::isToOne(b.def.type)) {
    // To-many with one target (or none): the whole set becomes that.
    std::vector<Instance> targets;
    if (target) targets.push_back(*target);
    return set(src, targets);
  }
  detail::sourceRow(b, src);
  if (target) detail::targetRow(b, *target);
  if (b.def.type == AssociationType::BelongsTo) return detail::belongsToSet(b, src, target);  // one write
  MethodUnit unit(*store_);  // the previous target unlinked, the new one linked
  detail::hasOneSet(b, src, target);
  unit.done();
}

void Association::set(const Instance& src, const std::vector<Instance>& targets, const Record& through) {
  const Bound b = detail::bind(*store_, index_);
  if (detail::isToOne(b.def.type)) {
    if (targets.size() > 1) detail::misuse(b, "set() of a to-one association takes one target");
    return set(src, targets.empty() ? std::nullopt : std::optional<Instance>(targets.front()));
  }
  detail::sourceRow(b, src);
  for (const Instance& t : targets) detail::targetRow(b, t);
  if (b.def.type == AssociationType::HasMany && !through.empty()) {
    detail::misuse(b, "a through record applies to belongsToMany only");
  }
  MethodUnit unit(*store_);  // obsolete links removed, new ones added
  if (b.def.type == AssociationType::HasMany) {
    detail::hasManySet(b, src, targets);
  } else {
    detail::belongsToManySet(b, src, targets, through);
  }
  unit.done();
}

void Association::add(const Instance& src, const Instance& target, const Record& through) {
  add(src, std::vector<Instance>{target}, through);
}

void Association::add(const Instance& src, const std::vector<Instance>& targets, const Record& through) {
  const Bound b = detail::bind(*store_, index_);
  if (detail::isToOne(b.def.type)) detail::misuse(b, "add() applies to hasMany and belongsToMany only; use set()");
  detail::sourceRow(b, src);
  for (const Instance& t : targets) detail::targetRow(b, t);
  if (b.def.type == AssociationType::HasMany && !through.empty()) {
    detail::misuse(b, "a through record applies to belongsToMany only");
  }
  std::optional<MethodUnit> unit;  // one write per target: a unit from two on
  if (targets.size() > 1) unit.emplace(*store_);
  for (const Instance& t : targets) {
    if (b.def.type == AssociationType::HasMany) {
      detail::hasManyAdd(b, src, t);
    } else {
      detail::belongsToManyAdd(b, src, t, through);
    }
  }
  if (unit) unit->done();
}

std::size_t Association::remove(const Instance& src, const Instance& target) {
  return remove(src, std::vector<Instance>{target});
}

std::size_t Association::remove(const Instance& src, const std::vector<Instance>& targets) {
  const Bound b = detail::bind(*store_, index_);
  if (detail::isToOne(b.def.type)) detail::misuse(b, "remove() applies to hasMany and belongsToMany only; use set(nullopt)");
  detail::sourceRow(b, src);
  for (const Instance& t : targets) detail::targetRow(b, t);
  std::optional<MethodUnit> unit;  // a unit from two targets on (one may remove several junction rows too)
  if (targets.size() > 1 || b.def.type == AssociationType::BelongsToMany) unit.emplace(*store_);
  // Unlinking a target may destroy it (a NOT NULL key) and its cascade
  // other targets of the call: those links are gone too, and count when
  // they were links before the call.
  std::unordered_set<Id> linkedBefore;  // a hasMany links a target at most once
  if (b.def.type == AssociationType::HasMany && targets.size() > 1) {
    for (std::uint32_t r : linkedRows(b, detail::sourceRow(b, src))) linkedBefore.insert(b.target.table().idAt(r));
  }
  const auto countOnce = [&](Id id) { return linkedBefore.erase(id) > 0; };
  std::size_t removed = 0;
  for (const Instance& t : targets) {
    if (!b.target.table().rowOf(t.id())) {
      removed += countOnce(t.id());
      continue;
    }
    const std::size_t n = b.def.type == AssociationType::HasMany ? detail::hasManyRemove(b, src, t)
                                                                  : detail::belongsToManyRemove(b, src, t);
    if (n > 0) countOnce(t.id());
    removed += n;
  }
  if (unit) unit->done();
  return removed;
}

Model BoundAssociation::source() const { return association_.source(); }
Model BoundAssociation::target() const { return association_.target(); }
std::optional<Model> BoundAssociation::through() const { return association_.through(); }

std::span<const Id> Association::ids(Id src) const {
  // The usual case first, in as few instructions as possible (callers loop
  // over many sources, and a short path lets the CPU overlap their cache
  // misses): hasMany/hasOne keyed by the source's Int primary key.
  const detail::AssociationDef& def = store_->association(index_);
  if ((def.type == AssociationType::HasMany || def.type == AssociationType::HasOne) && def.scope.empty() &&
      def.sourceKey == store_->model(def.source).pk()) {
    const detail::ForeignKey& fk = store_->foreignKey(def.foreignKey);
    const detail::Table& holder = store_->model(fk.child).table();
    if (holder.column(fk.column).type() == Type::Int && holder.linksCarryIds(fk.column)) {
      const detail::LinkBucket* bucket = holder.intLinks(fk.column, src);
      if (!bucket) return {};
      return def.type == AssociationType::HasOne ? detail::hasOneId(bucket->payload()) : bucket->payload();
    }
  }
  const Bound b = detail::bind(*store_, index_);
  if (!b.def.scope.empty()) {
    detail::misuse(b, "ids() lists every link without copying, so it cannot apply an association scope; use get()");
  }
  if (b.def.type == AssociationType::BelongsTo) return detail::belongsToIds(b, src);
  return detail::keyedIds(b, src);
}

}  // namespace relstore
