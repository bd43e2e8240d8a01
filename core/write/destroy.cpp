// Instance::destroy and Model::destroy: the cascade planner computes every
// row the destroy reaches, then applies it (see associations/cascade_planner.h).
#include "associations/cascade_planner.h"
#include "query/find.h"
#include "store_impl.h"
#include "write/writes.h"

namespace relstore::detail {

void destroyInstance(Instance& inst) {
  StoreImpl& store = *inst.storeImpl();
  ModelImpl& m = store.model(inst.modelIndex());
  if (!m.table().rowOf(inst.id())) {
    throw NotFoundError("Cannot destroy " + m.name() + " with " + m.attribute(m.pk()).name + " " +
                        std::to_string(inst.id()) + ": it does not exist");
  }
  const CascadePlan plan = planDestroy(store, m.index(), {inst.id()}, true);
  applyPlan(store, plan, {&inst});
  store.compactSparseTables();  // refused while a transaction is open
}

std::size_t destroyWhere(StoreImpl& store, ModelImpl& m, const Where& where, const DestroyOptions& options) {
  const std::vector<std::uint32_t> rows = selectRows(m, where);
  std::vector<Id> ids;
  ids.reserve(rows.size());
  for (std::uint32_t r : rows) ids.push_back(m.table().idAt(r));
  const CascadePlan plan = planDestroy(store, m.index(), ids, options.individualHooks);
  applyPlan(store, plan);
  store.compactSparseTables();  // refused while a transaction is open
  return ids.size();
}

}  // namespace relstore::detail
