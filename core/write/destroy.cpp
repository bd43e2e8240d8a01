// Instance::destroy and Model::destroy: the cascade planner computes every
// row the destroy reaches, then applies it (see associations/cascade_planner.h).
#include "associations/cascade_planner.h"
#include "query/find.h"
#include "store_impl.h"
#include "write/writes.h"

namespace relstore::detail {

namespace {

// Destroys leave free slots; once the operation is over, a table mostly made
// of them is compacted (Table::compactIfSparse: never inside a transaction).
void compactTablesOfPlan(StoreImpl& store, const CascadePlan& plan) {
  std::uint32_t previous = ~std::uint32_t{0};
  for (const DoomedRow& d : plan.destroys) {
    if (d.model == previous) continue;  // a call per run of one model; cheap when nothing is due
    previous = d.model;
    store.model(d.model).table().compactIfSparse();  // refuses while a transaction is open
  }
}

}  // namespace

void destroyInstance(Instance& inst) {
  StoreImpl& store = *inst.storeImpl();
  ModelImpl& m = store.model(inst.modelIndex());
  if (!m.table().rowOf(inst.id())) {
    throw NotFoundError("Cannot destroy " + m.name() + " with " + m.attribute(m.pk()).name + " " +
                        std::to_string(inst.id()) + ": it does not exist");
  }
  const CascadePlan plan = planDestroy(store, m.index(), {inst.id()}, true);
  applyPlan(store, plan, {&inst});
  compactTablesOfPlan(store, plan);
}

std::size_t destroyWhere(StoreImpl& store, ModelImpl& m, const Where& where, const DestroyOptions& options) {
  const std::vector<std::uint32_t> rows = selectRows(m, where);
  std::vector<Id> ids;
  ids.reserve(rows.size());
  for (std::uint32_t r : rows) ids.push_back(m.table().idAt(r));
  const CascadePlan plan = planDestroy(store, m.index(), ids, options.individualHooks);
  applyPlan(store, plan);
  compactTablesOfPlan(store, plan);
  return ids.size();
}

}  // namespace relstore::detail
