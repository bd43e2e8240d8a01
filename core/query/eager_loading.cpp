#include "query/eager_loading.h"

#include <algorithm>
#include <functional>
#include <unordered_map>

#include "associations/links.h"
#include "query/find.h"
#include "query/scopes.h"
#include "query/where_compiler.h"
#include "storage/prefetch.h"
#include "store_impl.h"

namespace relstore::detail {

std::uint32_t resolveAssociation(const StoreImpl& store, const ModelImpl& source, const Include& inc) {
  std::optional<std::uint32_t> targetModel;
  std::string targetName;
  if (inc.model.storeImpl() != nullptr) {
    if (inc.model.storeImpl() != &store) {
      throw EagerLoadingError("An include of " + source.name() + " names a model of another store" +
                              (inc.as.empty() ? std::string() : " (as \"" + inc.as + "\")"));
    }
    targetModel = inc.model.modelIndex();
    targetName = store.model(*targetModel).name();
  } else if (!inc.model.name().empty()) {
    targetName = inc.model.name();
    if (const ModelImpl* m = store.find(targetName)) targetModel = m->index();
  }
  if (!inc.as.empty()) {
    for (std::uint32_t id : source.associationIds()) {
      const AssociationDef& d = store.association(id);
      if (d.as != inc.as) continue;
      if (targetModel && d.target != *targetModel) {
        throw EagerLoadingError("Association with alias \"" + inc.as + "\" on " + source.name() + " targets " +
                                store.model(d.target).name() + ", not " + targetName);
      }
      return id;
    }
    throw EagerLoadingError("Association with alias \"" + inc.as + "\" does not exist on " + source.name());
  }
  if (targetName.empty()) throw EagerLoadingError("An include of " + source.name() + " names neither a model nor an alias");
  std::vector<std::uint32_t> toTarget;
  for (std::uint32_t id : source.associationIds()) {
    if (targetModel && store.association(id).target == *targetModel) toTarget.push_back(id);
  }
  for (std::uint32_t id : toTarget) {
    if (!store.association(id).aliased) return id;  // at most one: two would share the default alias
  }
  if (toTarget.empty()) throw EagerLoadingError(targetName + " is not associated to " + source.name() + "!");
  if (toTarget.size() == 1) {
    throw EagerLoadingError(targetName + " is associated to " + source.name() +
                            " using an alias. You must use the 'as' keyword to specify the alias within your include "
                            "statement.");
  }
  throw EagerLoadingError(targetName + " is associated to " + source.name() +
                          " multiple times. To identify the correct association, you must use the 'as' keyword to "
                          "specify the alias of the association you want to include.");
}

namespace {

// A linked row of one parent: the target row, the junction row
// (belongsToMany), the row's slot in the next level (nested includes), and
// its id when the link index carried it (appendHasManyLinks).
struct Link {
  std::uint32_t row;
  std::uint32_t junction;
  std::uint32_t slot = 0;
  Id id = 0;
};

// Appends the links of every parent of a hasMany to `flat`, parent p's from
// start[p]. In passes over all parents rather than parent by parent: the
// bucket lookups, then the buckets' contents, are independent memory reads
// that the processor can overlap, and `flat` is sized once. Returns whether
// the links carry the children's ids (the index's payload is their primary
// key), so that handles need not read every child's id cell again.
bool appendHasManyLinks(const Bound& b, const std::vector<std::uint32_t>& parents, std::vector<Link>& flat,
                        std::vector<std::size_t>& start) {
  const Table& children = b.target.table();
  const std::uint32_t fkColumn = b.store.foreignKey(b.def.foreignKey).column;
  const Table& sources = b.source.table();
  const Column& keys = sources.column(b.def.sourceKey);
  std::vector<const LinkBucket*> buckets(parents.size());
  // Parents lie apart: their key cells are requested two strides ahead, their
  // buckets one stride ahead (the key cell has arrived by then).
  constexpr std::size_t kStride = 8;
  for (std::size_t p = 0; p < parents.size(); ++p) {
    if (p + 2 * kStride < parents.size()) keys.prefetch(parents[p + 2 * kStride]);
    if (p + kStride < parents.size()) children.prefetchLinksOfCell(fkColumn, keys, parents[p + kStride]);
    buckets[p] = children.linksOfCell(fkColumn, sources, b.def.sourceKey, parents[p]);
  }
  std::size_t total = 0;
  for (const LinkBucket* bucket : buckets) total += bucket ? bucket->size() : 0;
  flat.resize(total);
  // Each bucket's block is requested a few parents ahead of its turn.
  constexpr std::size_t kAhead = 8;
  std::size_t filled = 0;
  for (std::size_t p = 0; p < parents.size(); ++p) {
    if (p + kAhead < parents.size() && buckets[p + kAhead]) {
      prefetchLine(buckets[p + kAhead]->payload().data());
      prefetchLine(buckets[p + kAhead]->rows().data());
    }
    start[p] = filled;
    if (!buckets[p]) continue;
    const auto rows = buckets[p]->rows();
    const auto ids = buckets[p]->payload();
    for (std::size_t k = 0; k < rows.size(); ++k) {
      if (b.def.scope.empty() || scopeMatches(b, rows[k])) flat[filled++] = {rows[k], 0, 0, ids[k]};
    }
  }
  flat.resize(filled);
  return children.linksCarryIds(fkColumn);
}

// Appends the links of one parent to `out` (no allocation per parent for
// the key-based kinds).
void appendLinks(const Bound& b, std::uint32_t parentRow, std::vector<Link>& out) {
  switch (b.def.type) {
    case AssociationType::HasMany:  // all parents at once: appendHasManyLinks
      return;
    case AssociationType::HasOne:  // every candidate: the first that passes the filters is the one
      for (std::uint32_t r : hasOneCandidates(b, parentRow)) out.push_back({r, 0});
      return;
    case AssociationType::BelongsTo: {
      const Value key = b.source.table().column(b.store.foreignKey(b.def.foreignKey).column).get(parentRow);
      if (key.isNull()) return;
      const Table& t = b.target.table();
      const auto row = b.def.targetKey == b.target.pk() ? t.rowOf(key.asInt()) : t.uniqueRow(b.def.targetKey, key);
      if (row && (b.def.scope.empty() || scopeMatches(b, *row))) out.push_back({*row, 0});
      return;
    }
    case AssociationType::BelongsToMany:
      for (const auto& [r, j] : belongsToManyLinks(b, parentRow)) out.push_back({r, j});
      return;
  }
}

}  // namespace

namespace {

// A scope that added includes on the way down to a level: the model and the
// scope's options (scope definitions live as long as their model, and a
// scoped handle inside a scope's include is part of that scope, so the same
// scope reached again is the same object).
struct Expansion {
  std::uint32_t model;
  const FindOptions* scope;
};

// What loading an include checks, checked when it is resolved: a count,
// which loads no include unless one is required, refuses the options a
// findAll refuses (unknown attributes in where — its own or the target
// scope's — or order, a throughWhere off a junction), and so does a findAll
// that finds no parents.
void checkIncludeOptions(const StoreImpl& store, const AssociationDef& def, const ModelImpl& target,
                         const Include& spec, const FindOptions* scope) {
  compileWhere(target, scope ? spec.where && scope->where : spec.where);  // as loading filters
  if (!spec.throughWhere.empty()) {
    if (!def.through) {
      throw EagerLoadingError("throughWhere applies to belongsToMany only; " + store.model(def.source).name() + "." +
                              def.as + " is not one");
    }
    compileWhere(store.model(*def.through), spec.throughWhere);
  }
  for (const Order& o : spec.order) target.requireAttribute(o.attribute, "order");
}

// One level of resolveIncludes. `given`: the includes the caller wrote for
// this level (the options' include tree, finite), or null below it; an
// include is the caller's when `given` names its association, else a scope
// brought it. `expanding`: the scopes that brought includes on the way down
// since the caller's last include; one of them bringing its includes again
// below itself would nest without end. The same scope again under an
// include of the caller's is no loop (the caller's tree ends), nor is the
// same model with another scope (there are finitely many scopes).
std::vector<ResolvedInclude> resolveLevel(const StoreImpl& store, const ModelImpl& model,
                                          const std::vector<Include>& includes, const std::vector<Include>* given,
                                          const std::vector<Expansion>& expanding) {
  std::vector<ResolvedInclude> out;
  for (const Include& inc : includes) {
    ResolvedInclude r;
    r.association = resolveAssociation(store, model, inc);
    r.spec = &inc;
    r.required = inc.required.value_or(!inc.where.empty());
    const AssociationDef& def = store.association(r.association);
    const ModelImpl& target = store.model(def.target);
    const Include* caller = given == &includes ? &inc : nullptr;  // the top level: every include is the caller's
    if (given && !caller) {
      for (const Include& g : *given) {
        if (resolveAssociation(store, model, g) == r.association) caller = &g;
      }
    }
    const auto& handleScopes = inc.model.scopes() ? inc.model.scopes() : def.targetScopes;
    const FindOptions* scope = targetScope(target, handleScopes);
    r.scope = scope;
    r.offset = scope ? scope->offset : 0;
    const bool expands = scope && !scope->include.empty();
    if (scope && (expands || !scope->attributes.empty() || !scope->order.empty() || scope->limit)) {
      if (expands && !caller &&
          std::any_of(expanding.begin(), expanding.end(), [&](const Expansion& e) { return e.scope == scope; })) {
        std::string chain;
        for (const Expansion& e : expanding) chain += store.model(e.model).name() + " -> ";
        throw EagerLoadingError("The scopes of " + chain + target.name() +
                                " include each other without end: include " + model.name() + "." + def.as +
                                " with an unscoped() model, or change a scope");
      }
      r.merged = std::make_shared<const Include>(includeWithScope(store, target, *scope, inc));
      r.spec = r.merged.get();
    }
    r.shape = shapeFor(target, r.spec->attributes);
    checkIncludeOptions(store, def, target, *r.spec, r.scope);
    std::vector<Expansion> below = caller ? std::vector<Expansion>{} : expanding;
    if (expands) below.push_back({target.index(), scope});
    r.children = resolveLevel(store, target, r.spec->include, caller ? &caller->include : nullptr, below);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

std::vector<ResolvedInclude> resolveIncludes(const StoreImpl& store, const ModelImpl& model,
                                             const std::vector<Include>& includes) {
  return resolveLevel(store, model, includes, &includes, {});
}

bool anyRequired(const std::vector<ResolvedInclude>& includes) {
  return std::any_of(includes.begin(), includes.end(), [](const ResolvedInclude& r) { return r.required; });
}

LoadedLevel loadIncludes(StoreImpl& store, const ModelImpl& model, const std::vector<std::uint32_t>& parents,
                         const std::vector<ResolvedInclude>& includes, const ResultShape* attributes) {
  (void)model;
  LoadedLevel level;
  level.keep.assign(parents.size(), true);
  if (includes.empty()) return level;  // the caller's shape serves
  level.shape = ShapeRef::make();
  ResultShape& shape = level.shape.edit();
  if (attributes) shape.attributes = attributes->attributes;
  bool anyToOne = false, anyToMany = false;
  for (const ResolvedInclude& inc : includes) {
    shape.included.push_back(inc.association);
    (isToOne(store.association(inc.association).type) ? anyToOne : anyToMany) = true;
  }
  // One array per kind for every (parent, include): no allocation per parent
  // but the to-many lists that have rows.
  if (anyToMany) shape.many.resize(parents.size() * includes.size());
  if (anyToOne) shape.one.assign(parents.size() * includes.size(), Instance(nullptr, 0, 0));
  for (std::size_t i = 0; i < includes.size(); ++i) {
    const ResolvedInclude& inc = includes[i];
    const AssociationDef& def = store.association(inc.association);
    const ModelImpl& target = store.model(def.target);
    // The include's own where, and the target's scope's where (which filters
    // but, unlike the include's own, never makes the include required).
    Where filter = inc.spec->where;
    if (inc.scope) filter = filter && inc.scope->where;
    const CompiledWhere where = compileWhere(target, filter);
    std::optional<CompiledWhere> throughWhere;  // on a junction: checked by checkIncludeOptions
    if (!inc.spec->throughWhere.empty()) throughWhere = compileWhere(store.model(*def.through), inc.spec->throughWhere);
    // This level's links, for every parent at once, in one flat array.
    const Bound bound = bind(store, inc.association);
    std::vector<Link> flat;
    std::vector<std::size_t> start(parents.size() + 1, 0);
    std::vector<std::uint32_t> childRows;
    bool idsInLinks = false;  // the links carry the rows' ids
    if (def.type == AssociationType::HasMany) {
      idsInLinks = appendHasManyLinks(bound, parents, flat, start);
    } else {
      for (std::size_t p = 0; p < parents.size(); ++p) {
        start[p] = flat.size();
        appendLinks(bound, parents[p], flat);
      }
    }
    start[parents.size()] = flat.size();
    if (where.predicate || (throughWhere && throughWhere->predicate)) {
      // Filter in place, each parent's range moving down with it.
      std::size_t keepTo = 0;
      for (std::size_t p = 0; p < parents.size(); ++p) {
        const std::size_t from = start[p];
        start[p] = keepTo;
        for (std::size_t k = from; k < start[p + 1]; ++k) {
          const Link& l = flat[k];
          // The links of consecutive parents lie apart: read a few ahead.
          if (where.predicate && k + Predicate::kPrefetchAhead < flat.size()) {
            where.predicate->prefetch(flat[k + Predicate::kPrefetchAhead].row);
          }
          if (where.predicate && !where.predicate->matches(l.row)) continue;
          if (throughWhere && throughWhere->predicate && !throughWhere->predicate->matches(l.junction)) continue;
          flat[keepTo++] = l;
        }
      }
      start[parents.size()] = keepTo;
      flat.resize(keepTo);
    }
    // The next level, once for the union of this level's rows; its handles
    // share the nested level's shape, each at its row's slot.
    ShapeRef childShape = inc.shape;
    LoadedLevel nested;
    if (!inc.children.empty()) {
      // One sort of (row, link) gives the distinct rows and every link's slot.
      std::vector<std::uint64_t> byRow(flat.size());
      for (std::size_t k = 0; k < flat.size(); ++k) byRow[k] = std::uint64_t{flat[k].row} << 32 | k;
      std::sort(byRow.begin(), byRow.end());
      for (std::uint64_t e : byRow) {
        const auto row = static_cast<std::uint32_t>(e >> 32);
        if (childRows.empty() || childRows.back() != row) childRows.push_back(row);
        flat[static_cast<std::uint32_t>(e)].slot = static_cast<std::uint32_t>(childRows.size() - 1);
      }
      nested = loadIncludes(store, target, childRows, inc.children, inc.shape.get());
      childShape = nested.shape;
    }
    const std::uint32_t junctionModel = def.through.value_or(0);
    const Table* junctionTable = def.through ? &store.model(junctionModel).table() : nullptr;
    const bool toOne = isToOne(def.type);
    std::vector<Link> links;  // one parent's links; its capacity is reused across parents
    for (std::size_t p = 0; p < parents.size(); ++p) {
      links.assign(flat.begin() + static_cast<std::ptrdiff_t>(start[p]),
                   flat.begin() + static_cast<std::ptrdiff_t>(start[p + 1]));
      if (!inc.children.empty()) std::erase_if(links, [&](const Link& l) { return !nested.keep[l.slot]; });
      if (!inc.spec->order.empty()) {
        // Order this parent's rows, then its links by their row's rank (a row
        // linked twice keeps both links, side by side).
        std::vector<std::uint32_t> rows;
        for (const Link& l : links) rows.push_back(l.row);
        std::sort(rows.begin(), rows.end());
        rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
        orderRows(target, rows, inc.spec->order, rows.size());
        std::unordered_map<std::uint32_t, std::size_t> rank;
        for (std::size_t k = 0; k < rows.size(); ++k) rank.emplace(rows[k], k);
        std::stable_sort(links.begin(), links.end(),
                         [&](const Link& x, const Link& y) { return rank[x.row] < rank[y.row]; });
      }
      if (inc.offset) links.erase(links.begin(), links.begin() + static_cast<std::ptrdiff_t>(std::min(inc.offset, links.size())));
      if (inc.spec->limit && links.size() > *inc.spec->limit) links.resize(*inc.spec->limit);
      if (inc.required && links.empty()) level.keep[p] = false;
      const std::size_t at = shape.at(static_cast<std::uint32_t>(p), i);
      auto handle = [&](const Link& l) {
        Instance h(target, idsInLinks ? l.id : target.table().idAt(l.row), childShape, l.slot,
                   target.table().hintFor(l.row));
        if (junctionTable) h.setThroughInternal(junctionModel, junctionTable->idAt(l.junction));
        return h;
      };
      if (toOne) {
        if (!links.empty()) shape.one[at] = handle(links.front());
        continue;
      }
      std::vector<Instance>& list = shape.many[at];
      list.reserve(links.size());
      for (const Link& l : links) list.push_back(handle(l));
    }
  }
  return level;
}

Selected selectIncluding(StoreImpl& store, const ModelImpl& model, std::vector<std::uint32_t> rows,
                         const FindOptions& options, const std::vector<ResolvedInclude>& includes,
                         const ResultShape* attributes) {
  FindOptions ordering;  // what filterRows applies here: order, limit, offset
  ordering.order = options.order;
  ordering.limit = options.limit;
  ordering.offset = options.offset;
  const bool required = anyRequired(includes);
  // Rows in increasing slot order that no order, limit or offset moves (an
  // index plan over ascending ids, a scan) are their own sorted set: each
  // row's slot is its position, without a search per row.
  const bool keepsPositions = ordering.order.empty() && !ordering.limit && ordering.offset == 0 &&
                              std::adjacent_find(rows.begin(), rows.end(), std::greater_equal<>()) == rows.end();
  if (keepsPositions) {
    LoadedLevel loaded = loadIncludes(store, model, rows, includes, attributes);
    Selected out;
    out.rows.reserve(rows.size());
    out.slots.reserve(rows.size());
    for (std::uint32_t i = 0; i < rows.size(); ++i) {
      if (required && !loaded.keep[i]) continue;
      out.rows.push_back(rows[i]);
      out.slots.push_back(i);
    }
    out.shape = std::move(loaded.shape);
    return out;
  }
  if (!required) rows = filterRows(model, std::move(rows), ordering);  // limit first: load only what is returned
  std::vector<std::uint32_t> unique = rows;
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  LoadedLevel loaded = loadIncludes(store, model, unique, includes, attributes);
  auto indexOf = [&](std::uint32_t row) {
    return static_cast<std::uint32_t>(std::lower_bound(unique.begin(), unique.end(), row) - unique.begin());
  };
  if (required) {
    std::erase_if(rows, [&](std::uint32_t r) { return !loaded.keep[indexOf(r)]; });
    rows = filterRows(model, std::move(rows), ordering);
  }
  Selected out;
  out.slots.reserve(rows.size());
  for (std::uint32_t r : rows) out.slots.push_back(indexOf(r));
  out.rows = std::move(rows);
  out.shape = std::move(loaded.shape);
  return out;
}

}  // namespace relstore::detail
