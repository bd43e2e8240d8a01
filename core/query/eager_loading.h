// Eager loading: `include` trees resolved against associations and loaded
// one batch per level through the link indices (never a scan per parent).
//
// Resolution follows sequelize-associations.md: by alias, by model (the one
// association to that model without an explicit alias), or both, with its
// exact EagerLoadingError messages. Loading a level takes every parent row
// of that level at once, collects their linked rows (filtered by the
// include's where and, for belongsToMany, throughWhere on the junction row),
// loads the next level for the union of those rows, drops rows whose required
// nested includes found nothing, then orders and limits per parent. A
// required include with nothing left drops its parent.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "relstore/find_options.h"
#include "relstore/instance.h"

namespace relstore::detail {

class ModelImpl;
class StoreImpl;
struct ResultShape;

struct ResolvedInclude {
  std::uint32_t association;
  const Include* spec;  // the caller's include, or `merged`
  // The include with its target's scope merged in (includeWithScope), when
  // that scope adds includes, attributes, an order or a limit (its offset:
  // `offset` below).
  std::shared_ptr<const Include> merged;
  // The target's scope the include applies (its model handle's, else the
  // target's default scope), or null; valid while the include is.
  const FindOptions* scope = nullptr;
  // Links each parent skips first, after ordering: the target scope's
  // offset (an Include has none of its own), as association get() skips.
  std::size_t offset = 0;
  bool required;
  ShapeRef shape;
  std::vector<ResolvedInclude> children;
};

// The association an include of `model` names; throws EagerLoadingError.
std::uint32_t resolveAssociation(const StoreImpl& store, const ModelImpl& model, const Include& include);

// Resolves `includes` of `model` (recursively), each with its target's scope
// merged in; throws EagerLoadingError, also when targets' scopes include each
// other without end.
std::vector<ResolvedInclude> resolveIncludes(const StoreImpl& store, const ModelImpl& model,
                                             const std::vector<Include>& includes);
bool anyRequired(const std::vector<ResolvedInclude>& includes);

// What one level of loading found for its parents.
struct LoadedLevel {
  std::vector<bool> keep;  // per parent: every required include found something
  // The parents' shape: the attributes they show and, at slot = the parent's
  // index in `parents`, the instances loaded for each include.
  ShapeRef shape;
};

// Loads `includes` for the rows `parents` of `model` (sorted, distinct).
// `attributes` is what the parents show (null: every attribute).
LoadedLevel loadIncludes(StoreImpl& store, const ModelImpl& model, const std::vector<std::uint32_t>& parents,
                         const std::vector<ResolvedInclude>& includes, const ResultShape* attributes);

// Rows of `model` (already filtered by where) with `includes` loaded: a
// required include drops the rows it finds nothing for, then `options`'
// order, offset and limit apply to what is left. The handle of rows[k] is
// made with `shape` and slots[k].
struct Selected {
  std::vector<std::uint32_t> rows;
  std::vector<std::uint32_t> slots;
  ShapeRef shape;
};
Selected selectIncluding(StoreImpl& store, const ModelImpl& model, std::vector<std::uint32_t> rows,
                         const FindOptions& options, const std::vector<ResolvedInclude>& includes,
                         const ResultShape* attributes);

}  // namespace relstore::detail
