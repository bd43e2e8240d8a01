// Helpers shared by the association methods of every type: argument checks,
// key values, the association scope, and building result handles.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "associations/association_def.h"
#include "relstore/association.h"
#include "relstore/find_options.h"
#include "relstore/instance.h"

namespace relstore::detail {

class ModelImpl;
class StoreImpl;

struct Bound {
  StoreImpl& store;
  const AssociationDef& def;
  ModelImpl& source;
  ModelImpl& target;
  std::string name() const;  // "User.articles", for messages
};

Bound bind(StoreImpl& store, std::uint32_t association);

[[noreturn]] void misuse(const Bound& b, const std::string& what);
// The row of `src`, which must be a live row of the source model.
std::uint32_t sourceRow(const Bound& b, const Instance& src);
// The row of `t`, which must be a live row of the target model.
std::uint32_t targetRow(const Bound& b, const Instance& t);
// The row of `t`, a target-model instance (AssociationError otherwise), if it is live.
std::optional<std::uint32_t> targetRowIfLive(const Bound& b, const Instance& t);
// The value of key `column` in `row` of the source or target (`role`) that
// a link is written with: the sourceKey or targetKey (`option`). A null one
// would write null, linking nothing, so it is an AssociationError naming the
// row and the key. O(1).
Value linkKey(const Bound& b, const ModelImpl& m, std::uint32_t row, std::uint32_t column, const char* role,
              const char* option);
// Whether target row `row` carries every association scope value.
bool scopeMatches(const Bound& b, std::uint32_t row);
// `values` with the association scope values (and `extra`) set, replacing any given.
Record withValues(const Record& values, const std::vector<std::pair<std::string, Value>>& extra);
std::vector<std::pair<std::string, Value>> scopeFields(const Bound& b);
// Writes `values` into row `id` of `model` through an Instance (hooks,
// validation, constraints run); returns nothing, throws what save throws.
void writeRow(StoreImpl& store, std::uint32_t model, Id id, const std::vector<std::pair<std::string, Value>>& values);

// ---- per type (has_one.cpp, belongs_to.cpp, has_many.cpp, belongs_to_many.cpp)
// Target rows linked to source row `srcRow`, association scope applied.
std::vector<std::uint32_t> hasManyRows(const Bound& b, std::uint32_t srcRow);
std::vector<std::uint32_t> hasOneRows(const Bound& b, std::uint32_t srcRow);
// Every row holding a hasOne's key (association scope applied), smallest id
// first. A read with filters (a where, the target's scope, a required
// include) names the first of these that passes them, as Sequelize's
// findOne does, not the smallest one filtered out afterwards.
std::vector<std::uint32_t> hasOneCandidates(const Bound& b, std::uint32_t srcRow);
// A hasOne's ids() out of the ids of every row holding the key: the
// smallest, as hasOneRows picks (the key does not forbid more than one).
// Points into `ids`; empty when `ids` is. O(ids).
std::span<const Id> hasOneId(std::span<const Id> ids);
std::vector<std::uint32_t> belongsToRows(const Bound& b, std::uint32_t srcRow);
// belongsToMany: (target row, junction row) per link.
std::vector<std::pair<std::uint32_t, std::uint32_t>> belongsToManyLinks(const Bound& b, std::uint32_t srcRow);

void hasManyAdd(const Bound& b, const Instance& src, const Instance& target);
std::size_t hasManyRemove(const Bound& b, const Instance& src, const Instance& target);
void hasManySet(const Bound& b, const Instance& src, const std::vector<Instance>& targets);
Instance hasManyCreate(const Bound& b, const Instance& src, const Record& values);
void hasOneSet(const Bound& b, const Instance& src, const std::optional<Instance>& target);
void belongsToSet(const Bound& b, const Instance& src, const std::optional<Instance>& target);
Instance belongsToCreate(const Bound& b, const Instance& src, const Record& values);
void belongsToManyAdd(const Bound& b, const Instance& src, const Instance& target, const Record& through);
std::size_t belongsToManyRemove(const Bound& b, const Instance& src, const Instance& target);
void belongsToManySet(const Bound& b, const Instance& src, const std::vector<Instance>& targets, const Record& through);
Instance belongsToManyCreate(const Bound& b, const Instance& src, const Record& values, const Record& through);
std::span<const Id> keyedIds(const Bound& b, Id src);  // hasOne/hasMany/belongsToMany
std::span<const Id> belongsToIds(const Bound& b, Id src);

}  // namespace relstore::detail
