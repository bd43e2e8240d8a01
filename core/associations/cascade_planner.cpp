#include "associations/cascade_planner.h"

#include <algorithm>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <tsl/robin_set.h>

#include "associations/references.h"
#include "store_impl.h"
#include "write/operation.h"
#include "write/validation.h"

namespace relstore::detail {

namespace {

std::string shown(const Value& v) { return v.type() == Type::Text ? "\"" + v.asText() + "\"" : v.toString(); }

[[noreturn]] void refuse(const StoreImpl& store, const ForeignKey& fk, Action action, const Value& key,
                         const char* what) {
  const ModelImpl& parent = store.model(fk.parent);
  const ModelImpl& child = store.model(fk.child);
  const char* name = action == Action::Restrict ? "RESTRICT" : "NO ACTION";
  throw ForeignKeyConstraintError("Cannot " + std::string(what) + " " + parent.name() + " with " +
                                  parent.attribute(fk.parentKey).name + " " + shown(key) + ": " +
                                  child.qualified(fk.column) + " references it (" + name + ")");
}

struct Pending {
  const StoreImpl& store;
  std::vector<tsl::robin_set<Id, IntHash>> doomed;  // per model
  // Surviving rows that must not be referencing anything doomed at the end.
  struct Blocker {
    std::uint32_t fk;
    Action action;
    std::uint32_t model;
    Id id;
    Value key;
  };
  std::vector<Blocker> blockers;
  // Writes by (model, id, column), later ones replacing earlier ones.
  std::vector<KeyWrite> writes;
  // Referenced keys changing in this statement: old values stop existing.
  const std::vector<KeyChange>* changes = nullptr;

  explicit Pending(const StoreImpl& s) : store(s), doomed(s.modelCount()) {}
  // Whether `value` of (model, column) is a key that goes away / comes into being.
  bool keyLeaves(std::uint32_t model, std::uint32_t column, const Value& value) const {
    if (!changes) return false;
    bool leaves = false;
    for (const KeyChange& c : *changes) {
      if (c.model != model || c.column != column) continue;
      if (c.after == value) return false;
      if (c.before == value) leaves = true;
    }
    return leaves;
  }
  bool keyArrives(std::uint32_t model, std::uint32_t column, const Value& value) const {
    if (!changes) return false;
    for (const KeyChange& c : *changes) {
      if (c.model == model && c.column == column && c.after == value) return true;
    }
    return false;
  }
  bool isDoomed(std::uint32_t model, Id id) const { return doomed[model].count(id) != 0; }
};

// What happens to the rows referencing `key` through `fk` when the key goes
// (or, for updates, becomes `replacement`). Cascade children are pushed to
// `queue` (destroys) or become key writes (updates).
void visitChildren(Pending& p, std::uint32_t fkId, const Value& key, bool updating, const Value& replacement,
                   std::deque<DoomedRow>* queue, CascadePlan& plan, const char* what) {
  const StoreImpl& store = p.store;
  const ForeignKey& fk = store.foreignKey(fkId);
  const auto action = updating ? fk.updateAction() : fk.deleteAction();
  if (!action) return;
  const ModelImpl& child = store.model(fk.child);
  const LinkBucket* bucket = child.table().links(fk.column, key);
  if (!bucket) return;
  for (std::uint32_t row : bucket->rows()) {  // planning only reads: the bucket stays valid
    bool inScope = true;
    for (const auto& [a, v] : fk.scope) inScope = inScope && child.table().column(a).equals(row, v);
    if (!inScope) continue;
    const Id childId = child.table().idAt(row);
    if (p.isDoomed(fk.child, childId)) continue;
    switch (*action) {
      case Action::Cascade:
        if (updating) {
          p.writes.push_back({fk.child, childId, fk.column, replacement});
        } else {
          p.doomed[fk.child].insert(childId);
          const bool hooked = fk.hooks && (child.hasHooks(Hook::BeforeDestroy) || child.hasHooks(Hook::AfterDestroy));
          queue->push_back({fk.child, childId, hooked});
          plan.destroys.push_back({fk.child, childId, hooked});
        }
        break;
      case Action::SetNull:
        if (!child.attribute(fk.column).allowNull) {
          throw ForeignKeyConstraintError("Cannot " + std::string(what) + " " + store.model(fk.parent).name() +
                                          " with " + store.model(fk.parent).attribute(fk.parentKey).name + " " +
                                          shown(key) + ": SET NULL on " + child.qualified(fk.column) +
                                          ", which cannot be null");
        }
        p.writes.push_back({fk.child, childId, fk.column, Value()});
        break;
      case Action::SetDefault: {
        const auto& def = child.attribute(fk.column).defaultValue;
        const Value v = def ? *def : Value();
        if (v.isNull() && !child.attribute(fk.column).allowNull) {
          throw ForeignKeyConstraintError("Cannot " + std::string(what) + " " + store.model(fk.parent).name() +
                                          ": SET DEFAULT on " + child.qualified(fk.column) +
                                          " writes null, which it cannot hold");
        }
        p.writes.push_back({fk.child, childId, fk.column, v, true});
        break;
      }
      case Action::Restrict:
      case Action::NoAction:
        p.blockers.push_back({fkId, *action, fk.child, childId, key});
        break;
    }
  }
}

// Final checks once the closure is known; drops writes to doomed rows.
void finish(Pending& p, CascadePlan& plan, const char* what) {
  const StoreImpl& store = p.store;
  for (const auto& b : p.blockers) {
    if (!p.isDoomed(b.model, b.id)) refuse(store, store.foreignKey(b.fk), b.action, b.key, what);
  }
  for (const KeyWrite& w : p.writes) {
    if (p.isDoomed(w.model, w.id)) continue;
    if (w.verify && !w.value.isNull()) {
      // A SetDefault (or cascaded new key) must reference a surviving parent.
      for (std::uint32_t fkId : store.model(w.model).childKeys()) {
        const ForeignKey& fk = store.foreignKey(fkId);
        if (fk.column != w.column || !fk.constraints) continue;
        const ModelImpl& parent = store.model(fk.parent);
        bool alive = false;
        const Table& pt = parent.table();
        if (fk.parentKey == parent.pk()) {
          alive = pt.rowOf(w.value.asInt()) && !p.isDoomed(fk.parent, w.value.asInt());
        } else if (auto r = pt.uniqueRow(fk.parentKey, w.value)) {
          alive = !p.isDoomed(fk.parent, pt.idAt(*r));
        }
        if (p.keyLeaves(fk.parent, fk.parentKey, w.value)) alive = false;
        if (p.keyArrives(fk.parent, fk.parentKey, w.value)) alive = true;
        if (!alive) {
          throw ForeignKeyConstraintError("Cannot " + std::string(what) + ": " + store.model(w.model).qualified(w.column) +
                                          " would be set to " + shown(w.value) + ", which references no surviving " +
                                          parent.name());
        }
      }
    }
    plan.writes.push_back(w);
  }
}

}  // namespace

CascadePlan planDestroy(const StoreImpl& store, std::uint32_t model, const std::vector<Id>& roots, bool rootHooks) {
  CascadePlan plan;
  Pending p(store);
  std::deque<DoomedRow> queue;
  const ModelImpl& root = store.model(model);
  const bool rootHooked = rootHooks && (root.hasHooks(Hook::BeforeDestroy) || root.hasHooks(Hook::AfterDestroy));
  for (Id id : roots) {
    if (!p.doomed[model].insert(id).second) continue;
    queue.push_back({model, id, rootHooked});
    plan.destroys.push_back({model, id, rootHooked});
  }
  while (!queue.empty()) {
    const DoomedRow d = queue.front();
    queue.pop_front();
    const ModelImpl& m = store.model(d.model);
    if (m.parentKeys().empty()) continue;
    const auto row = m.table().rowOf(d.id);
    if (!row) continue;
    for (std::uint32_t fkId : m.parentKeys()) {
      const Value key = m.table().column(store.foreignKey(fkId).parentKey).get(*row);
      if (key.isNull()) continue;
      visitChildren(p, fkId, key, false, Value(), &queue, plan, "destroy");
    }
  }
  finish(p, plan, "destroy");
  return plan;
}

CascadePlan planKeyChanges(const StoreImpl& store, const std::vector<KeyChange>& changes) {
  CascadePlan plan;
  Pending p(store);
  p.changes = &changes;
  for (const KeyChange& c : changes) {
    if (c.before.isNull() || c.before == c.after) continue;
    for (std::uint32_t fkId : store.model(c.model).parentKeys()) {
      if (store.foreignKey(fkId).parentKey != c.column) continue;
      visitChildren(p, fkId, c.before, true, c.after, nullptr, plan, "change the key of");
    }
  }
  finish(p, plan, "change the key of");
  return plan;
}

void applyPlan(StoreImpl& store, const CascadePlan& plan, const std::vector<Instance*>& roots) {
  // Handles for hooked rows: the caller's own for roots, fresh ones otherwise.
  std::vector<std::unique_ptr<Instance>> owned;
  std::vector<Instance*> handles(plan.destroys.size(), nullptr);
  for (std::size_t i = 0; i < plan.destroys.size(); ++i) {
    if (!plan.destroys[i].hooked) continue;
    if (i < roots.size() && roots[i]) {
      handles[i] = roots[i];
    } else {
      owned.push_back(std::make_unique<Instance>(&store, plan.destroys[i].model, plan.destroys[i].id));
      handles[i] = owned.back().get();
    }
  }
  const bool hooked = std::any_of(handles.begin(), handles.end(), [](const Instance* h) { return h != nullptr; });
  OperationScope operation(store, hooked);  // a failure undoes the before-hooks' writes
  for (std::size_t i = 0; i < plan.destroys.size(); ++i) {
    if (handles[i]) runHooks(store.model(plan.destroys[i].model), Hook::BeforeDestroy, *handles[i]);
  }
  for (const KeyWrite& w : plan.writes) {
    Table& t = store.model(w.model).table();
    if (auto row = t.rowOf(w.id)) t.set(*row, w.column, w.value);
  }
  for (std::size_t i = 0; i < plan.destroys.size(); ++i) {
    ModelImpl& m = store.model(plan.destroys[i].model);
    Table& t = m.table();
    auto row = t.rowOf(plan.destroys[i].id);
    if (!row) continue;
    if (handles[i]) {
      auto values = std::make_shared<std::vector<Value>>();
      for (std::uint32_t a = 0; a < m.attributes().size(); ++a) values->push_back(t.column(a).get(*row));
      InstanceState& st = handles[i]->mutableState();
      st.lastValues = std::move(values);
      st.staged.clear();
    }
    t.erase(*row);
  }
  operation.applied();
  for (std::size_t i = plan.destroys.size(); i-- > 0;) {
    if (handles[i]) runHooks(store.model(plan.destroys[i].model), Hook::AfterDestroy, *handles[i]);
  }
}

}  // namespace relstore::detail
