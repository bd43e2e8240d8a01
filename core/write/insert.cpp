// create and bulkCreate.
#include <optional>
#include <string>
#include <unordered_set>

#include "store_impl.h"
#include "write/validation.h"
#include "write/writes.h"

namespace relstore::detail {

namespace {

bool hasCreateHooks(const ModelImpl& m) {
  for (Hook h : {Hook::BeforeValidate, Hook::AfterValidate, Hook::BeforeCreate, Hook::BeforeSave,
                 Hook::AfterCreate, Hook::AfterSave}) {
    if (m.hasHooks(h)) return true;
  }
  return false;
}

// A row on its way in: its values live in `values`, or — while hooks may see
// it — in the pending state of `instance`.
struct NewRow {
  std::vector<Value> values;
  std::optional<Instance> instance;
  Id id = 0;
  std::vector<Value>& row() { return instance ? instance->mutableState().pendingRow : values; }
};

void prepare(StoreImpl& store, ModelImpl& m, NewRow& r, bool hooked) {
  if (!hooked) {
    validateRow(m, r.values);
    return;
  }
  const Value& pk = r.values[m.pk()];
  const Id given = !pk.isNull() && pk.type() == Type::Int ? pk.asInt() : 0;
  r.instance.emplace(&store, m.index(), given);
  InstanceState& st = r.instance->mutableState();
  st.pending = true;
  st.pendingRow = std::move(r.values);
  Instance& inst = *r.instance;
  runHooks(m, Hook::BeforeValidate, inst);
  validateRow(m, st.pendingRow);
  runHooks(m, Hook::AfterValidate, inst);
  st.touched = false;
  runHooks(m, Hook::BeforeCreate, inst);
  runHooks(m, Hook::BeforeSave, inst);
  if (st.touched) validateRow(m, st.pendingRow);  // hooks changed values: check them again
}

std::string batchKey(const Value& v) {
  if (v.type() == Type::Text) return "t" + v.asText();
  return "n" + v.toString();
}

// Assigns ids and checks unique constraints against the table and the batch.
void assignAndCheck(ModelImpl& m, std::vector<NewRow>& rows, bool batch) {
  const Table& table = m.table();
  Id counter = m.idCounter();
  std::unordered_set<Id> ids;
  std::vector<std::unordered_set<std::string>> seen(m.attributes().size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    try {
      std::vector<Value>& row = rows[i].row();
      Value& pk = row[m.pk()];
      Id id;
      if (pk.isNull()) {
        // validateRow let it through: the key auto-increments.
        id = ++counter;
      } else {
        id = pk.asInt();
        if (id > counter) counter = id;
      }
      if (table.rowOf(id) || (batch && !ids.insert(id).second)) uniqueViolation(m, m.pk(), Value(id));
      for (std::uint32_t a = 0; a < row.size(); ++a) {
        if (a == m.pk() || !m.attribute(a).unique || row[a].isNull()) continue;
        if (table.uniqueRow(a, row[a]) || (batch && !seen[a].insert(batchKey(row[a])).second)) {
          uniqueViolation(m, a, row[a]);
        }
      }
      rows[i].id = id;
    } catch (...) {
      if (batch) rethrowWithContext("bulkCreate row " + std::to_string(i) + ": ");
      throw;
    }
  }
}

}  // namespace

std::vector<Instance> createRows(StoreImpl& store, ModelImpl& m, const std::vector<const Record*>& records) {
  const bool hooked = hasCreateHooks(m);
  const bool batch = records.size() != 1;
  std::vector<NewRow> rows(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    try {
      rows[i].values = rowFromRecord(m, *records[i]);
      prepare(store, m, rows[i], hooked);
    } catch (...) {
      if (batch) rethrowWithContext("bulkCreate row " + std::to_string(i) + ": ");
      throw;
    }
  }
  assignAndCheck(m, rows, batch);

  Table& table = m.table();
  if (batch) table.reserve(table.rowCount() + rows.size());
  for (NewRow& r : rows) {
    std::vector<Value>& row = r.row();
    row[m.pk()] = Value(r.id);
    table.insert(row);
    m.advanceCounter(r.id);
  }

  std::vector<Instance> out;
  out.reserve(rows.size());
  for (NewRow& r : rows) {
    if (!r.instance) {
      out.emplace_back(&store, m.index(), r.id);
      continue;
    }
    Instance& inst = *r.instance;
    InstanceState& st = inst.mutableState();
    st.pending = false;
    st.pendingRow.clear();
    inst.setIdInternal(r.id);
    out.push_back(std::move(inst));
  }
  if (hooked) {
    for (Instance& inst : out) {
      runHooks(m, Hook::AfterCreate, inst);
      runHooks(m, Hook::AfterSave, inst);
    }
  }
  return out;
}

}  // namespace relstore::detail
