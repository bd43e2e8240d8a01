// Instance::destroy and Model::destroy.
#include <memory>

#include "query/find.h"
#include "store_impl.h"
#include "write/validation.h"
#include "write/writes.h"

namespace relstore::detail {

namespace {

std::shared_ptr<const std::vector<Value>> valuesAt(const ModelImpl& m, std::uint32_t row) {
  auto values = std::make_shared<std::vector<Value>>();
  values->reserve(m.attributes().size());
  for (std::uint32_t a = 0; a < m.attributes().size(); ++a) values->push_back(m.table().column(a).get(row));
  return values;
}

// Removes the rows of `instances` (ids); before-hooks have run. AfterDestroy
// hooks, when `hooks`, read the values the rows had.
void removeAndNotify(ModelImpl& m, const std::vector<Instance*>& instances, bool hooks) {
  const bool after = hooks && m.hasHooks(Hook::AfterDestroy);
  Table& table = m.table();
  for (Instance* inst : instances) {
    auto row = table.rowOf(inst->id());
    if (!row) continue;  // a before-hook destroyed it already
    if (after) inst->mutableState().lastValues = valuesAt(m, *row);
    if (inst->state()) inst->state()->staged.clear();
    table.erase(*row);
  }
  if (!after) return;
  for (Instance* inst : instances) runHooks(m, Hook::AfterDestroy, *inst);
}

}  // namespace

void destroyInstance(Instance& inst) {
  ModelImpl& m = inst.storeImpl()->model(inst.modelIndex());
  if (!m.table().rowOf(inst.id())) {
    throw NotFoundError("Cannot destroy " + m.name() + " with " + m.attribute(m.pk()).name + " " +
                        std::to_string(inst.id()) + ": it does not exist");
  }
  runHooks(m, Hook::BeforeDestroy, inst);
  removeAndNotify(m, {&inst}, true);
}

std::size_t destroyWhere(StoreImpl& store, ModelImpl& m, const Where& where, const DestroyOptions& options) {
  const std::vector<std::uint32_t> rows = selectRows(m, where);
  std::vector<Instance> instances;
  instances.reserve(rows.size());
  for (std::uint32_t r : rows) instances.emplace_back(&store, m.index(), m.table().idAt(r));
  const bool hooks = options.individualHooks;
  if (hooks && m.hasHooks(Hook::BeforeDestroy)) {
    for (Instance& inst : instances) runHooks(m, Hook::BeforeDestroy, inst);
  }
  std::vector<Instance*> targets;
  targets.reserve(instances.size());
  for (Instance& inst : instances) targets.push_back(&inst);
  removeAndNotify(m, targets, hooks);
  return instances.size();
}

}  // namespace relstore::detail
