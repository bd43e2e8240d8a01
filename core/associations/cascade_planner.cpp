#include "associations/cascade_planner.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <tuple>
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
  // Cells the updating statement writes itself, with their values (rows of
  // one model); null when none.
  const std::map<StatementCell, Value>* written = nullptr;
  // Whether the statement's rows are rows of `model`.
  bool statementOf(std::uint32_t model) const { return written && std::get<0>(written->begin()->first) == model; }
  // Referenced keys that this plan's own writes change (a written foreign-key
  // column that other rows reference in turn): followed like `changes`, once
  // per (model, row, column).
  std::vector<KeyChange> derived;
  std::set<std::tuple<std::uint32_t, Id, std::uint32_t>> derivedFrom;

  // False when no row can be reached twice (see reachFrom): then nothing
  // is ever doomed twice, written after being doomed or blocked by a doomed
  // row, and the sets are not kept at all.
  bool track = true;

  explicit Pending(const StoreImpl& s) : store(s), doomed(s.modelCount()) {}
  // Whether `value` of (model, column) is a key that goes away / comes into being.
  bool keyLeaves(std::uint32_t model, std::uint32_t column, const Value& value) const {
    bool leaves = false;
    for (const auto* list : {changes, &derived}) {
      if (!list) continue;
      for (const KeyChange& c : *list) {
        if (c.model != model || c.column != column) continue;
        if (c.after == value) return false;
        if (c.before == value) leaves = true;
      }
    }
    return leaves;
  }
  bool keyArrives(std::uint32_t model, std::uint32_t column, const Value& value) const {
    for (const auto* list : {changes, &derived}) {
      if (!list) continue;
      for (const KeyChange& c : *list) {
        if (c.model == model && c.column == column && c.after == value) return true;
      }
    }
    return false;
  }
  // Plans writing `value` into `column` of row `row` (id `id`) of `model`.
  void write(std::uint32_t model, Id id, std::uint32_t row, std::uint32_t column, Value value, bool verify = false) {
    const ModelImpl& m = store.model(model);
    const bool referenced = std::any_of(m.parentKeys().begin(), m.parentKeys().end(),
                                        [&](std::uint32_t fk) { return store.foreignKey(fk).parentKey == column; });
    if (referenced) {
      Value before = m.table().column(column).get(row);
      if (!before.isNull() && before != value && derivedFrom.emplace(model, id, column).second) {
        derived.push_back({model, column, std::move(before), value});
      }
    }
    writes.push_back({model, id, column, std::move(value), verify});
  }
  bool isDoomed(std::uint32_t model, Id id) const { return track && doomed[model].count(id) != 0; }
  std::uint32_t visiting = kNoRow;  // the plan index of the doomed row whose children are being visited
};

// The models a cascade from `root` can reach through keys with an action on
// delete or on update (a planned key write goes on through the latter), in
// breadth-first order. `tree` says whether the cascade reaches every row at
// most once and never asks about a row off its path: those models form a
// tree — no cycle, no model reachable along two keys — and no key on the way
// is SetDefault on delete (whose default may name any parent row, doomed or
// not). Then a child row, which holds one value per key column, has exactly
// one parent in the walk. Cost: O(models + keys).
struct Reach {
  std::vector<std::uint32_t> models;
  bool tree = true;
};
Reach reachFrom(const StoreImpl& store, std::uint32_t root) {
  Reach reach;
  std::vector<std::uint8_t> seen(store.modelCount(), 0);
  reach.models.push_back(root);
  seen[root] = 1;
  for (std::size_t i = 0; i < reach.models.size(); ++i) {
    for (std::uint32_t fkId : store.model(reach.models[i]).parentKeys()) {
      const ForeignKey& fk = store.foreignKey(fkId);
      const auto onDelete = fk.deleteAction();
      if (!onDelete && !fk.updateAction()) continue;
      if (onDelete == Action::SetDefault) reach.tree = false;
      if (seen[fk.child]) {
        reach.tree = false;  // a cycle, or a second way in
        continue;
      }
      seen[fk.child] = 1;
      reach.models.push_back(fk.child);
    }
  }
  return reach;
}

// What happens to the rows referencing `key` through `fk` when the key goes
// (or, for updates, becomes `replacement`). Cascade children are pushed to
// `queue` (destroys) or become key writes (updates).
// `updating` is a template parameter so that a destroy's instance (the hot
// one) carries none of the statement-row handling.
template <bool updating>
void visitChildren(Pending& p, std::uint32_t fkId, const Value& key, const Value& replacement, CascadePlan& plan,
                   const char* what) {
  const StoreImpl& store = p.store;
  const ForeignKey& fk = store.foreignKey(fkId);
  const auto action = updating ? fk.updateAction() : fk.deleteAction();
  if (!action) return;
  const ModelImpl& child = store.model(fk.child);
  const LinkBucket* bucket = child.table().links(fk.column, key);
  if (!bucket && !(updating && p.statementOf(fk.child))) return;  // nothing references the key
  if (bucket && *action == Action::Cascade && !updating && p.track) {
    // Grow once for the whole bucket, doubling (tsl's reserve always rehashes, so only when short).
    auto& doomed = p.doomed[fk.child];
    const std::size_t wanted = doomed.size() + bucket->size();
    if (static_cast<float>(wanted) > static_cast<float>(doomed.bucket_count()) * doomed.max_load_factor()) {
      doomed.reserve(4 * wanted);  // cascades usually fan out further below
    }
  }
  const bool hooked = fk.hooks && (child.hasHooks(Hook::BeforeDestroy) || child.hasHooks(Hook::AfterDestroy));
  // Inlined: a destroy's cascade spends its time in this loop.
  const auto act = [&](std::uint32_t row, Id childId) __attribute__((always_inline)) {
    switch (*action) {
      case Action::Cascade:
        if (updating) {
          if (replacement.isNull() && !child.attribute(fk.column).allowNull) {  // as SQL's NOT NULL refuses it
            throw ForeignKeyConstraintError("Cannot " + std::string(what) + " " + store.model(fk.parent).name() +
                                            " with " + store.model(fk.parent).attribute(fk.parentKey).name + " " +
                                            shown(key) + ": ON UPDATE CASCADE writes null into " +
                                            child.qualified(fk.column) + ", which cannot be null");
          }
          p.write(fk.child, childId, row, fk.column, replacement);
        } else {
          if (p.track) p.doomed[fk.child].insert(childId);
          plan.destroys.push_back(  // also the breadth-first queue
              {.model = fk.child, .row = row, .id = childId, .reachedFrom = p.visiting, .hooked = hooked});
        }
        break;
      case Action::SetNull:
        if (!child.attribute(fk.column).allowNull) {
          throw ForeignKeyConstraintError("Cannot " + std::string(what) + " " + store.model(fk.parent).name() +
                                          " with " + store.model(fk.parent).attribute(fk.parentKey).name + " " +
                                          shown(key) + ": SET NULL on " + child.qualified(fk.column) +
                                          ", which cannot be null");
        }
        p.write(fk.child, childId, row, fk.column, Value());
        break;
      case Action::SetDefault: {
        const auto& def = child.attribute(fk.column).defaultValue;
        const Value v = def ? *def : Value();
        if (v.isNull() && !child.attribute(fk.column).allowNull) {
          throw ForeignKeyConstraintError("Cannot " + std::string(what) + " " + store.model(fk.parent).name() +
                                          ": SET DEFAULT on " + child.qualified(fk.column) +
                                          " writes null, which it cannot hold");
        }
        p.write(fk.child, childId, row, fk.column, v, true);
        break;
      }
      case Action::Restrict:
      case Action::NoAction:
        p.blockers.push_back({fkId, *action, fk.child, childId, key});
        break;
    }
  };
  const auto inScope = [&](std::uint32_t row) {
    for (const auto& [a, v] : fk.scope) {
      if (!child.table().column(a).equals(row, v)) return false;
    }
    return true;
  };
  // A key's scope narrows its actions only without constraints (a
  // polymorphic key): with them every row holding a parent's key must
  // follow it, or it would dangle.
  const bool scoped = !fk.scope.empty() && !fk.constraints;
  // A row the updating statement writes a reference of its own into (a row
  // changing its key and its reference to itself) is a child by the value it
  // writes, as SQL's actions run after the row's own update.
  bool statementRows = false;
  if constexpr (updating) statementRows = p.statementOf(fk.child);
  if (bucket) {
    for (std::uint32_t row : bucket->rows()) {  // planning only reads: the bucket stays valid
      if (scoped && !inScope(row)) continue;
      const Id childId = child.table().idAt(row);
      if (p.isDoomed(fk.child, childId)) continue;
      if constexpr (updating) {
        if (statementRows && p.written->count({fk.child, childId, fk.column})) continue;  // by the value written
      }
      act(row, childId);
    }
  }
  if (updating && statementRows) {
    for (const auto& [cell, value] : *p.written) {
      const auto& [model, childId, column] = cell;
      if (model != fk.child || column != fk.column || value != key) continue;
      const auto row = child.table().rowOf(childId);
      if (row && (!scoped || inScope(*row)) && !p.isDoomed(fk.child, childId)) act(*row, childId);
    }
  }
}

// The cells the plan writes in columns `wanted` accepts, with the values
// they end with: the updating statement's own writes first (checked alone
// by the statement), the plan's replacing them. Empty when the plan writes
// none of those columns.
template <class Wanted>
std::map<StatementCell, const Value*> writtenCells(const Pending& p, const CascadePlan& plan, Wanted wanted) {
  std::map<StatementCell, const Value*> cells;
  const auto planned = [&](const KeyWrite& w) { return wanted(p.store.model(w.model).table(), w.column); };
  if (std::none_of(plan.writes.begin(), plan.writes.end(), planned)) return cells;
  if (p.written) {
    for (const auto& [cell, value] : *p.written) {
      if (wanted(p.store.model(std::get<0>(cell)).table(), std::get<2>(cell))) cells[cell] = &value;
    }
  }
  for (const KeyWrite& w : plan.writes) {
    if (planned(w)) cells[{w.model, w.id, w.column}] = &w.value;
  }
  return cells;
}

// Key writes into a junction's pair constraint, as into a unique column
// below: a written row's pair after the plan (both its columns, written or
// kept; a null in either collides with nothing) must not repeat among the
// written rows nor be held by a surviving row the plan does not rewrite.
void checkPairWrites(const Pending& p, const CascadePlan& plan) {
  const StoreImpl& store = p.store;
  const auto cells = writtenCells(p, plan, [](const Table& t, std::uint32_t column) { return t.inPairIndex(column); });
  if (cells.empty()) return;
  std::set<std::pair<std::uint32_t, Id>> touched;  // (model, row id)
  for (const auto& [cell, value] : cells) touched.insert({std::get<0>(cell), std::get<1>(cell)});
  std::set<std::tuple<std::uint32_t, std::size_t, std::string>> arriving;  // (model, pair, values)
  for (const auto& cell : touched) {
    const std::uint32_t model = cell.first;  // named, not bound: lambdas capture them (clang 14)
    const Id id = cell.second;
    const ModelImpl& m = store.model(model);
    const Table& t = m.table();
    const std::optional<std::uint32_t> row = t.rowOf(id);
    if (!row) continue;
    const auto after = [&](std::uint32_t column) {
      auto it = cells.find({model, id, column});
      return it != cells.end() ? *it->second : t.column(column).get(*row);
    };
    for (std::size_t i = 0; i < t.pairIndexCount(); ++i) {
      const PairIndex& pi = t.pairIndex(i);
      const Value va = after(pi.first()), vb = after(pi.second());
      if (va.isNull() || vb.isNull()) continue;  // nulls never collide
      std::vector<Value> values(m.attributes().size());
      values[pi.first()] = va;
      values[pi.second()] = vb;
      if (!arriving.insert({model, i, batchKey(va) + "|" + batchKey(vb)}).second) pairViolation(m, i, values);
      if (auto holder = t.pairRow(i, va, vb, *row)) {
        const Id holderId = t.idAt(*holder);
        if (!p.isDoomed(model, holderId) && !touched.count({model, holderId})) pairViolation(m, i, values);
      }
    }
  }
}

// Key writes into a unique column (a SetDefault, a cascaded new key, SET
// NULL aside) must leave each value held once, as SQL's UNIQUE refuses it:
// not twice among the written cells (the statement's own included), nor by
// a surviving row whose cell is not rewritten.
void checkUniqueWrites(const Pending& p, const CascadePlan& plan) {
  const StoreImpl& store = p.store;
  const auto cells = writtenCells(p, plan, [](const Table& t, std::uint32_t column) {
    return t.isUniqueIndexed(column);
  });
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::string>> arriving;  // (model, column, value)
  for (const auto& [cell, value] : cells) {
    const auto& [model, id, column] = cell;
    if (value->isNull()) continue;
    const ModelImpl& m = store.model(model);
    if (!arriving.insert({model, column, batchKey(*value)}).second) uniqueViolation(m, column, *value);
    if (auto r = m.table().uniqueRow(column, *value)) {
      const Id holder = m.table().idAt(*r);
      if (holder != id && !p.isDoomed(model, holder) && !cells.count({model, holder, column})) {
        uniqueViolation(m, column, *value);
      }
    }
  }
}

// Final checks once the closure is known; drops writes to doomed rows.
void finish(Pending& p, CascadePlan& plan, const char* what) {
  const StoreImpl& store = p.store;
  // Keys the plan's writes change reach the rows referencing them, with the
  // onUpdate action of their keys, as SQL's actions do; the list grows while
  // it is walked and ends because each row's column enters it once.
  for (std::size_t i = 0; i < p.derived.size(); ++i) {
    const KeyChange c = p.derived[i];  // a copy: visiting appends
    for (std::uint32_t fkId : store.model(c.model).parentKeys()) {
      if (store.foreignKey(fkId).parentKey != c.column) continue;
      visitChildren<true>(p, fkId, c.before, c.after, plan, what);
    }
  }
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
  checkUniqueWrites(p, plan);
  checkPairWrites(p, plan);
}

}  // namespace

CascadePlan planDestroy(const StoreImpl& store, std::uint32_t model, const std::vector<Id>& roots, bool rootHooks) {
  CascadePlan plan;
  Pending p(store);
  const ModelImpl& root = store.model(model);
  const bool rootHooked = rootHooks && (root.hasHooks(Hook::BeforeDestroy) || root.hasHooks(Hook::AfterDestroy));
  p.track = !reachFrom(store, model).tree;
  plan.destroys.reserve(32);  // a destroy usually reaches a few dozen rows: one allocation
  for (Id id : roots) {
    // Roots may repeat: they are always deduplicated (a lone root needs no set
    // unless the walk tracks rows).
    if ((p.track || roots.size() > 1) && !p.doomed[model].insert(id).second) continue;
    plan.destroys.push_back({.model = model, .row = root.table().rowOf(id).value_or(kNoRow), .id = id, .hooked = rootHooked});
  }
  // plan.destroys is the queue: rows are appended as they are found and
  // visited in that order.
  for (std::size_t next = 0; next < plan.destroys.size(); ++next) {
    const DoomedRow d = plan.destroys[next];  // a copy: visiting appends
    const ModelImpl& m = store.model(d.model);
    if (m.parentKeys().empty() || d.row == kNoRow) continue;
    p.visiting = static_cast<std::uint32_t>(next);
    for (std::uint32_t fkId : m.parentKeys()) {
      const Value key = m.table().column(store.foreignKey(fkId).parentKey).get(d.row);
      if (key.isNull()) continue;
      visitChildren<false>(p, fkId, key, Value(), plan, "destroy");
    }
  }
  finish(p, plan, "destroy");
  return plan;
}

CascadePlan planKeyChanges(const StoreImpl& store, const std::vector<KeyChange>& changes,
                           const std::map<StatementCell, Value>& written) {
  CascadePlan plan;
  Pending p(store);
  p.changes = &changes;
  if (!written.empty()) p.written = &written;
  for (const KeyChange& c : changes) {
    if (c.before.isNull() || c.before == c.after) continue;
    for (std::uint32_t fkId : store.model(c.model).parentKeys()) {
      if (store.foreignKey(fkId).parentKey != c.column) continue;
      visitChildren<true>(p, fkId, c.before, c.after, plan, "change the key of");
    }
  }
  finish(p, plan, "change the key of");
  return plan;
}

namespace {

// The plan's rows in depth-first order over the tree of which row reached
// which (roots in plan order, each row's children in plan order): pre-order
// for before-hooks, post-order for after-hooks. Iterative, so any depth is
// fine. O(rows).
struct HookOrder {
  std::vector<std::uint32_t> preOrder;
  std::vector<std::uint32_t> postOrder;
};
HookOrder hookOrder(const std::vector<DoomedRow>& rows) {
  const auto n = static_cast<std::uint32_t>(rows.size());
  // Children of each row, in plan order, as one array (counted first).
  std::vector<std::uint32_t> first(n + 1, 0);
  for (const DoomedRow& d : rows) {
    if (d.reachedFrom != kNoRow) ++first[d.reachedFrom + 1];
  }
  for (std::uint32_t i = 0; i < n; ++i) first[i + 1] += first[i];
  std::vector<std::uint32_t> children(first[n]);
  std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
  std::vector<std::uint32_t> roots;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (rows[i].reachedFrom == kNoRow) {
      roots.push_back(i);
    } else {
      children[fill[rows[i].reachedFrom]++] = i;
    }
  }
  // A stack walk emitting each row when popped: pushing siblings in reverse
  // gives pre-order; pushing them in order gives the mirror image, whose
  // reverse is post-order.
  auto walk = [&](bool reversePushes) {
    std::vector<std::uint32_t> out, stack;
    out.reserve(n);
    auto push = [&](auto begin, auto end) {
      if (reversePushes) {
        for (auto it = end; it != begin;) stack.push_back(*--it);
      } else {
        for (auto it = begin; it != end; ++it) stack.push_back(*it);
      }
    };
    push(roots.begin(), roots.end());
    while (!stack.empty()) {
      const std::uint32_t i = stack.back();
      stack.pop_back();
      out.push_back(i);
      push(children.begin() + first[i], children.begin() + first[i + 1]);
    }
    return out;
  };
  HookOrder order{walk(true), walk(false)};
  std::reverse(order.postOrder.begin(), order.postOrder.end());
  return order;
}

}  // namespace

namespace {

// The handles whose destroy hooks a plan runs: the caller's own for roots,
// fresh ones otherwise, one per row however often the cascade is planned.
class HookHandles {
 public:
  HookHandles(StoreImpl& store, const std::vector<Instance*>& roots) : store_(store), roots_(roots) {}
  // For each row of `plan`, its handle, or null when its hooks do not run.
  std::vector<Instance*> bind(const CascadePlan& plan) {
    std::vector<Instance*> out(plan.destroys.size(), nullptr);
    for (std::size_t i = 0; i < plan.destroys.size(); ++i) {
      const DoomedRow& d = plan.destroys[i];
      if (!d.hooked) continue;
      if (i < roots_.size() && roots_[i]) {  // roots come first, in the caller's order
        out[i] = roots_[i];
        continue;
      }
      auto& handle = byRow_[{d.model, d.id}];
      if (!handle) handle = std::make_unique<Instance>(&store_, d.model, d.id);
      out[i] = handle.get();
    }
    return out;
  }

 private:
  StoreImpl& store_;
  const std::vector<Instance*>& roots_;
  std::map<std::pair<std::uint32_t, Id>, std::unique_ptr<Instance>> byRow_;
};

// `plan` computed again from its roots, over the store as it is now.
CascadePlan replan(const StoreImpl& store, const CascadePlan& plan) {
  std::vector<Id> roots;
  const Table& rootTable = store.model(plan.destroys.front().model).table();
  for (const DoomedRow& d : plan.destroys) {
    // A root a before-hook destroyed (its own destroy ran its hooks) is done.
    if (d.reachedFrom == kNoRow && rootTable.rowOf(d.id)) roots.push_back(d.id);
  }
  if (roots.empty()) return {};
  // A root runs hooks exactly when its destroy asked for them and its model has some.
  return planDestroy(store, plan.destroys.front().model, roots, plan.destroys.front().hooked);
}

// `writes` as cells of the rows that have their ids now, grouped per (model,
// column), a later write to one cell replacing an earlier one. Made before
// the removals (which move no surviving row), so that nothing needs
// allocating between the removals and the writes.
using KeyCells = std::map<std::pair<std::uint32_t, std::uint32_t>, std::vector<std::pair<std::uint32_t, Value>>>;
KeyCells keyCells(const StoreImpl& store, const std::vector<KeyWrite>& writes) {
  KeyCells batches;
  if (writes.empty()) return batches;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::unordered_map<std::uint32_t, std::size_t>> cellAt;
  for (const KeyWrite& w : writes) {
    const auto row = store.model(w.model).table().rowOf(w.id);
    if (!row) continue;
    auto& cells = batches[{w.model, w.column}];
    auto [at, added] = cellAt[{w.model, w.column}].try_emplace(*row, cells.size());
    if (added) {
      cells.emplace_back(*row, w.value);
    } else {
      cells[at->second].second = w.value;
    }
  }
  return batches;
}

}  // namespace

void applyPlan(StoreImpl& store, const CascadePlan& planned, const std::vector<Instance*>& roots) {
  const CascadePlan* plan = &planned;
  std::optional<CascadePlan> replanned;
  HookHandles hookHandles(store, roots);
  std::vector<Instance*> handles = hookHandles.bind(*plan);
  const bool hooked = std::any_of(handles.begin(), handles.end(), [](const Instance* h) { return h != nullptr; });
  OperationScope operation(store, hooked);  // a failure undoes the before-hooks' writes
  HookOrder order;
  if (hooked) {
    // A before-hook that writes where the cascade reaches (a row created
    // under a doomed parent, a key moved away) changes what the cascade
    // must do: the rest runs on a plan made again from the same roots over
    // the store as it is then (a Restrict may refuse it now: everything is
    // undone). Each row's before-hook runs once, rows the new plan reaches
    // included; writes elsewhere (an audit table) plan nothing again.
    const std::vector<std::uint32_t> reachable = reachFrom(store, plan->destroys.front().model).models;
    auto isReachable = [&](const Table& t) {
      return std::any_of(reachable.begin(), reachable.end(), [&](std::uint32_t m) { return &store.model(m).table() == &t; });
    };
    std::unordered_set<const Instance*> ran;
    for (bool again = true; again;) {
      again = false;
      order = hookOrder(plan->destroys);
      for (std::uint32_t i : order.preOrder) {
        if (!handles[i] || !ran.insert(handles[i]).second) continue;
        const std::size_t mark = store.logMark();
        runHooks(store.model(plan->destroys[i].model), Hook::BeforeDestroy, *handles[i]);
        if (store.wroteSince(mark, isReachable)) {
          replanned = replan(store, *plan);
          plan = &*replanned;
          handles = hookHandles.bind(*plan);
          again = true;
          break;
        }
      }
    }  // `order` is the final plan's: the after-hooks follow it
  }
  const KeyCells writes = keyCells(store, plan->writes);  // rows as they are before the removals
  // Removal, table by table, highest slot first: no row moves (a removed
  // row's slot becomes free), and doomed rows at the end of a table (recent
  // rows, the usual victims of a cascade) shrink it instead of leaving free slots.
  // Slots grouped by model, each model's in plan order: counted first, so
  // that one array holds them all.
  std::vector<std::uint32_t> start(store.modelCount() + 1, 0);
  for (const DoomedRow& d : plan->destroys) ++start[d.model + 1];
  for (std::size_t m = 1; m < start.size(); ++m) start[m] += start[m - 1];
  std::vector<std::uint32_t> slots(plan->destroys.size());
  std::vector<std::uint32_t> filled(start.begin(), start.end() - 1);
  for (std::size_t i = 0; i < plan->destroys.size(); ++i) {
    ModelImpl& m = store.model(plan->destroys[i].model);
    const Table& t = m.table();
    std::optional<std::uint32_t> row;
    if (hooked) {
      row = t.rowOf(plan->destroys[i].id);  // before-hooks may have destroyed or created rows
    } else if (plan->destroys[i].row != kNoRow) {
      row = plan->destroys[i].row;
    }
    if (!row) continue;
    if (handles[i]) {
      auto values = std::make_shared<std::vector<Value>>();
      for (std::uint32_t a = 0; a < m.attributes().size(); ++a) values->push_back(t.column(a).get(*row));
      // What it staged stays: a rollback of the destroy leaves it staged.
      handles[i]->mutableState().lastValues = std::move(values);
    }
    slots[filled[plan->destroys[i].model]++] = *row;
  }
  for (std::uint32_t model = 0; model < store.modelCount(); ++model) {
    const std::span<std::uint32_t> rows(slots.data() + start[model], slots.data() + filled[model]);
    if (rows.empty()) continue;
    // Breadth-first order lists each bucket's rows in slot order, usually
    // ascending overall: reversing is then enough, and cheaper than sorting.
    if (std::is_sorted(rows.begin(), rows.end())) {
      std::reverse(rows.begin(), rows.end());
    } else {
      std::sort(rows.begin(), rows.end(), std::greater<>());
    }
    Table& t = store.model(model).table();
    for (std::uint32_t row : rows) t.erase(row);
  }
  // Then the key writes into surviving rows: a unique value a doomed row
  // held is free by now, and values moving between rows of one column (two
  // parents swapping keys) go in one Table::setMany per column, which takes
  // every old index entry out before it puts a new one in.
  for (const auto& [target, cells] : writes) store.model(target.first).table().setMany(target.second, cells);
  operation.applied();
  // The values kept for the after-hooks are theirs only: afterwards a read
  // of a destroyed handle is a NotFoundError, even when an after-hook threw.
  struct ForgetLastValues {
    const std::vector<Instance*>& handles;
    ~ForgetLastValues() {
      for (Instance* h : handles) {
        if (h && h->state()) h->state()->lastValues.reset();
      }
    }
  } forget{handles};
  for (std::uint32_t i : order.postOrder) {
    if (handles[i]) runHooks(store.model(plan->destroys[i].model), Hook::AfterDestroy, *handles[i]);
  }
}

}  // namespace relstore::detail
