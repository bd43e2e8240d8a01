// Instance::save / Instance::update and Model::update.
#include <algorithm>
#include <optional>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "associations/cascade_planner.h"
#include "associations/references.h"
#include "query/find.h"
#include "store_impl.h"
#include "write/operation.h"
#include "write/validation.h"
#include "write/writes.h"

namespace relstore::detail {

namespace {

using Changes = std::vector<std::pair<std::uint32_t, Value>>;

bool hasUpdateHooks(const ModelImpl& m) {
  for (Hook h : {Hook::BeforeValidate, Hook::AfterValidate, Hook::BeforeUpdate, Hook::BeforeSave,
                 Hook::AfterUpdate, Hook::AfterSave}) {
    if (m.hasHooks(h)) return true;
  }
  return false;
}

[[noreturn]] void gone(const ModelImpl& m, Id id) {
  throw NotFoundError(m.name() + " with " + m.attribute(m.pk()).name + " " + std::to_string(id) +
                      " does not exist (destroyed, or never created)");
}

// Whether `column` of `m` is a foreign key referencing `m` itself.
bool referencesOwnModel(const StoreImpl& store, const ModelImpl& m, std::uint32_t column) {
  return std::any_of(m.childKeys().begin(), m.childKeys().end(), [&](std::uint32_t fk) {
    return store.foreignKey(fk).column == column && store.foreignKey(fk).parent == m.index();
  });
}

std::uint32_t rowOrThrow(const ModelImpl& m, Id id) {
  auto row = m.table().rowOf(id);
  if (!row) gone(m, id);
  return *row;
}

void validateChanges(const ModelImpl& m, Changes& changes) {
  for (auto& [a, v] : changes) {
    v = checkValue(m, a, std::move(v));
    runValidator(m, a, v);
  }
}

// The staged values that differ from the live row (Column::differs).
Changes differing(const ModelImpl& m, std::uint32_t row, const Changes& staged) {
  Changes out;
  for (const auto& [a, v] : staged) {
    if (m.table().column(a).differs(row, v)) out.emplace_back(a, v);
  }
  return out;
}

// Runs the update's before-hooks and validation on the instance's staged values.
void prepare(const ModelImpl& m, Instance& inst, bool hooked) {
  InstanceState& st = inst.mutableState();
  if (hooked) runHooks(m, Hook::BeforeValidate, inst);
  validateChanges(m, st.staged);
  if (!hooked) return;
  st.touched = false;  // from here on, what a hook sets (AfterValidate's too) is checked again
  runHooks(m, Hook::AfterValidate, inst);
  runHooks(m, Hook::BeforeUpdate, inst);
  runHooks(m, Hook::BeforeSave, inst);
  if (st.touched) validateChanges(m, st.staged);
}

struct RowUpdate {
  Id id;
  Changes changes;
  Instance* instance;  // follows a primary-key change; may be null
};

// Checks unique constraints for the whole batch and writes it.
void apply(StoreImpl& store, ModelImpl& m, std::vector<RowUpdate>& updates) {
  Table& table = m.table();
  std::vector<std::uint32_t> rows;
  rows.reserve(updates.size());
  for (const RowUpdate& u : updates) rows.push_back(rowOrThrow(m, u.id));

  // Group cells by column; check every unique column the batch touches.
  std::vector<Changes> byColumn(m.attributes().size());
  for (std::size_t i = 0; i < updates.size(); ++i) {
    for (const auto& [a, v] : updates[i].changes) byColumn[a].emplace_back(rows[i], v);
  }
  for (std::uint32_t a = 0; a < byColumn.size(); ++a) {
    const Changes& cells = byColumn[a];
    if (cells.empty() || !table.isUniqueIndexed(a)) continue;
    std::unordered_set<std::uint32_t> changing;
    std::unordered_set<std::string> seen;
    const bool batch = cells.size() > 1;
    if (batch) {
      for (const auto& cell : cells) changing.insert(cell.first);
    }
    for (const auto& [row, v] : cells) {
      if (v.isNull()) continue;
      if (batch && !seen.insert(batchKey(v)).second) uniqueViolation(m, a, v);
      auto owner = table.uniqueRow(a, v);
      if (owner && *owner != row && (!batch || !changing.count(*owner))) uniqueViolation(m, a, v);
    }
  }

  // The rows as they will be, for the checks that look at whole rows.
  const bool pairs = table.pairIndexCount() > 0;
  const bool references = !m.childKeys().empty();
  const bool referenced = !m.parentKeys().empty();
  std::optional<CascadePlan> plan;
  if (pairs || references || referenced) {
    // Per pair constraint, the batch rows whose pair changes: only those may
    // give up a pair another row of the batch takes.
    std::vector<std::unordered_set<std::uint32_t>> pairMoving(table.pairIndexCount());
    for (std::size_t p = 0; p < table.pairIndexCount(); ++p) {
      for (std::size_t i = 0; i < updates.size(); ++i) {
        const auto& changes = updates[i].changes;
        if (std::any_of(changes.begin(), changes.end(), [&](const auto& c) { return table.pairIndex(p).covers(c.first); })) {
          pairMoving[p].insert(rows[i]);
        }
      }
    }
    std::unordered_set<std::string> pairsSeen;
    std::vector<KeyChange> keyChanges;
    // What the statement writes that the cascade must see: a row's own
    // reference to its model, and values of unique and pair columns.
    std::map<StatementCell, Value> statementCells;
    const auto cascadeSees = [&](std::uint32_t a) {
      if (a == m.pk()) return false;
      return table.isUniqueIndexed(a) || table.inPairIndex(a) || (references && referencesOwnModel(store, m, a));
    };
    for (std::size_t i = 0; i < updates.size(); ++i) {
      std::vector<Value> after;
      after.reserve(m.attributes().size());
      for (std::uint32_t a = 0; a < m.attributes().size(); ++a) after.push_back(table.column(a).get(rows[i]));
      std::vector<std::uint32_t> changed;
      for (const auto& [a, v] : updates[i].changes) {
        if (referenced) keyChanges.push_back({m.index(), a, after[a], v});
        if (referenced && cascadeSees(a)) statementCells.emplace(StatementCell{m.index(), updates[i].id, a}, v);
        after[a] = v;
        changed.push_back(a);
      }
      for (std::size_t p = 0; p < table.pairIndexCount(); ++p) {
        const PairIndex& pi = table.pairIndex(p);
        if (!std::any_of(changed.begin(), changed.end(), [&](std::uint32_t a) { return pi.covers(a); })) continue;
        const Value& va = after[pi.first()];
        const Value& vb = after[pi.second()];
        if (va.isNull() || vb.isNull()) continue;
        auto owner = table.pairRow(p, va, vb);
        const std::string key = std::to_string(p) + ":" + batchKey(va) + "|" + batchKey(vb);
        if ((owner && *owner != rows[i] && !pairMoving[p].count(*owner)) || !pairsSeen.insert(key).second) {
          pairViolation(m, p, after);
        }
      }
      if (references) checkReferences(store, m, after, changed);
    }
    if (referenced) plan = planKeyChanges(store, keyChanges, statementCells);
  }
  for (std::uint32_t a = 0; a < byColumn.size(); ++a) {
    if (!byColumn[a].empty()) table.setMany(a, byColumn[a]);
  }
  if (plan) {
    // Writes aimed at rows of this model whose own primary key just changed
    // (a row referencing itself) follow the row to its new id.
    // Once: a new id may be another row's old one.
    std::unordered_map<Id, Id> newIdOf;
    for (const RowUpdate& u : updates) {
      for (const auto& [a, v] : u.changes) {
        if (a == m.pk()) newIdOf[u.id] = v.asInt();
      }
    }
    for (KeyWrite& w : plan->writes) {
      if (w.model != m.index()) continue;
      if (auto it = newIdOf.find(w.id); it != newIdOf.end()) w.id = it->second;
    }
    applyPlan(store, *plan);
  }
  for (std::size_t i = 0; i < updates.size(); ++i) {
    for (const auto& [a, v] : updates[i].changes) {
      if (a != m.pk()) continue;
      m.advanceCounter(v.asInt());
      if (updates[i].instance) updates[i].instance->setIdInternal(v.asInt());
    }
  }
}

}  // namespace

void saveInstance(Instance& inst) {
  ModelImpl& m = inst.storeImpl()->model(inst.modelIndex());
  InstanceState* st = inst.state();
  const std::uint32_t row = rowOrThrow(m, inst.id());
  if (!st || st->staged.empty()) return;
  if (differing(m, row, st->staged).empty()) {
    st->staged.clear();
    return;
  }
  const bool hooked = hasUpdateHooks(m);
  OperationScope operation(*inst.storeImpl(), hooked);  // a failure undoes the before-hooks' writes
  prepare(m, inst, hooked);
  std::vector<RowUpdate> updates{{inst.id(), differing(m, rowOrThrow(m, inst.id()), st->staged), &inst}};
  apply(*inst.storeImpl(), m, updates);
  st->staged.clear();
  operation.applied();
  if (hooked) {
    runHooks(m, Hook::AfterUpdate, inst);
    runHooks(m, Hook::AfterSave, inst);
  }
}

std::size_t updateWhere(StoreImpl& store, ModelImpl& m, const Record& values, const Where& where) {
  Changes changes = changesFromRecord(m, values);
  const std::vector<std::uint32_t> rows = selectRows(m, where);
  const Table& table = m.table();
  std::vector<Id> ids;
  ids.reserve(rows.size());
  for (std::uint32_t r : rows) ids.push_back(table.idAt(r));

  // Values are checked for the rows they are written to, as SQL checks
  // constraints: when nothing matches, nothing is written and nothing checked.
  if (ids.empty()) return 0;
  const bool hooked = hasUpdateHooks(m);
  OperationScope operation(store, hooked);  // a failure undoes the before-hooks' writes
  std::vector<RowUpdate> updates;
  std::vector<Instance> instances;
  if (!hooked) {
    validateChanges(m, changes);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      // By id again: a validator may have destroyed rows (the last slot goes with its row).
      Changes diff = differing(m, rowOrThrow(m, ids[i]), changes);
      if (!diff.empty()) updates.push_back({ids[i], std::move(diff), nullptr});
    }
  } else {
    instances.reserve(ids.size());
    for (Id id : ids) {
      instances.emplace_back(&store, m.index(), id);
      instances.back().mutableState().staged = changes;
      prepare(m, instances.back(), true);
    }
    for (Instance& inst : instances) {
      Changes diff = differing(m, rowOrThrow(m, inst.id()), inst.state()->staged);
      if (!diff.empty()) updates.push_back({inst.id(), std::move(diff), &inst});
    }
  }
  if (!updates.empty()) apply(store, m, updates);
  operation.applied();
  for (Instance& inst : instances) {
    inst.mutableState().staged.clear();
    runHooks(m, Hook::AfterUpdate, inst);
    runHooks(m, Hook::AfterSave, inst);
  }
  return ids.size();
}

}  // namespace relstore::detail
