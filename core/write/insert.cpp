// create and bulkCreate.
#include <limits>
#include <optional>
#include <string>
#include <unordered_set>

#include "associations/references.h"
#include "store_impl.h"
#include "write/operation.h"
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
  st.touched = false;  // from here on, what a hook sets (AfterValidate's too) is checked again
  runHooks(m, Hook::AfterValidate, inst);
  runHooks(m, Hook::BeforeCreate, inst);
  runHooks(m, Hook::BeforeSave, inst);
  if (st.touched) validateRow(m, st.pendingRow);  // hooks changed values: check them again
}

// Rows of one bulkCreate seen so far, to find duplicates inside the batch.
struct BatchSeen {
  // Ids of the batch in order; hashed only once an explicit id at or below
  // the counter needs checking (auto-increment batches never pay for it).
  std::vector<Id> ids;
  std::unordered_set<Id> idSet;
  bool hashed = false;
  std::vector<std::unordered_set<std::string>> values;  // per attribute

  bool holds(Id id) {
    if (!hashed) {
      idSet.insert(ids.begin(), ids.end());
      hashed = true;
    }
    return idSet.count(id) != 0;
  }
  void add(Id id) {
    ids.push_back(id);
    if (hashed) idSet.insert(id);
  }
};

[[noreturn]] void noIdLeft(const ModelImpl& m) {
  throw ValidationError("Cannot create a " + m.name() + ": its auto-increment counter is at the largest Int (" +
                        std::to_string(std::numeric_limits<Id>::max()) + "); give the id explicitly");
}

// Assigns the row's id (auto-increment from `counter`, which it advances) and
// checks primary-key and unique constraints against the table and, when
// given, the batch. Returns the id; throws UniqueConstraintError.
Id assignAndCheck(const ModelImpl& m, const std::vector<Value>& row, Id& counter, BatchSeen* batch) {
  const Table& table = m.table();
  const Value& pk = row[m.pk()];
  Id id;
  bool fresh;  // above every id the table or the batch holds: no need to probe
  if (pk.isNull()) {
    // validateRow let it through: the key auto-increments.
    if (counter == std::numeric_limits<Id>::max()) noIdLeft(m);
    id = ++counter;
    fresh = true;
  } else {
    id = pk.asInt();
    fresh = id > counter;
    if (fresh) counter = id;
  }
  if (!fresh && (table.rowOf(id) || (batch && batch->holds(id)))) uniqueViolation(m, m.pk(), Value(id));
  if (batch) batch->add(id);
  for (std::uint32_t a = 0; a < row.size(); ++a) {
    if (a == m.pk() || !m.attribute(a).unique || row[a].isNull()) continue;
    if (table.uniqueRow(a, row[a]) || (batch && !batch->values[a].insert(batchKey(row[a])).second)) {
      uniqueViolation(m, a, row[a]);
    }
  }
  return id;
}

// The common create: no hooks, one row, no allocation beyond the table's own
// (the row is built in the model's reusable buffer).
Instance createPlain(StoreImpl& store, ModelImpl& m, const Record& record) {
  ModelImpl::ScratchRow scratch(m);
  std::vector<Value>& row = scratch.row();
  fillRow(m, record, row);
  validateRow(m, row);
  prefetchInsertOf(store, m, row);
  const Value& pk = row[m.pk()];
  if (pk.isNull() && m.idCounter() == std::numeric_limits<Id>::max()) noIdLeft(m);
  const Id id = pk.isNull() ? m.idCounter() + 1 : pk.asInt();  // null: validateRow let an auto-increment key through
  row[m.pk()] = Value(id);
  Table& table = m.table();
  if (table.pairIndexCount() > 0) {
    if (auto pair = table.pairConflict(row)) pairViolation(m, *pair, row);
  }
  if (auto conflict = table.insertIfUnique(row)) uniqueViolation(m, *conflict, row[*conflict]);
  if (!m.childKeys().empty()) {
    // Checked after the unique constraints, as SQL orders them; undone on failure.
    try {
      checkReferences(store, m, row);
    } catch (...) {
      table.erase(*table.rowOf(id));  // its slot and the free slots as they were
      throw;
    }
  }
  m.advanceCounter(id);
  return Instance(&store, m.index(), id);
}

}  // namespace

Instance createRow(StoreImpl& store, ModelImpl& m, const Record& record) {
  if (!hasCreateHooks(m)) return createPlain(store, m, record);
  return std::move(createRows(store, m, std::span<const Record>(&record, 1)).front());
}

std::vector<Instance> createRows(StoreImpl& store, ModelImpl& m, std::span<const Record> records) {
  const bool hooked = hasCreateHooks(m);
  OperationScope operation(store, hooked);  // a failure undoes the before-hooks' writes
  const bool batch = records.size() != 1;
  std::vector<NewRow> rows(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    try {
      fillRow(m, records[i], rows[i].values);
      prepare(store, m, rows[i], hooked);
    } catch (...) {
      if (batch) rethrowWithContext("bulkCreate row " + std::to_string(i) + ": ");
      throw;
    }
  }
  Id counter = m.idCounter();
  BatchSeen seen;
  if (batch) seen.values.resize(m.attributes().size());
  const Table& table = m.table();
  std::unordered_set<std::string> pairsSeen;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    try {
      std::vector<Value>& row = rows[i].row();
      rows[i].id = assignAndCheck(m, row, counter, batch ? &seen : nullptr);
      row[m.pk()] = Value(rows[i].id);
      for (std::size_t p = 0; p < table.pairIndexCount(); ++p) {
        const PairIndex& pi = table.pairIndex(p);
        if (row[pi.first()].isNull() || row[pi.second()].isNull()) continue;
        const std::string key = std::to_string(p) + ":" + batchKey(row[pi.first()]) + "|" + batchKey(row[pi.second()]);
        if (table.pairRow(p, row[pi.first()], row[pi.second()]) || (batch && !pairsSeen.insert(key).second)) {
          pairViolation(m, p, row);
        }
      }
    } catch (...) {
      if (batch) rethrowWithContext("bulkCreate row " + std::to_string(i) + ": ");
      throw;
    }
  }
  if (!m.childKeys().empty()) {
    // Keys may reference rows of the same batch, as within one SQL statement.
    const PendingKey pending = [&](std::uint32_t parent, std::uint32_t column, const Value& v) {
      if (!batch || parent != m.index()) return false;
      if (column == m.pk()) return seen.holds(v.asInt());
      return seen.values[column].count(batchKey(v)) != 0;
    };
    for (std::size_t i = 0; i < rows.size(); ++i) {
      try {
        checkReferences(store, m, rows[i].row(), {}, pending);
      } catch (...) {
        if (batch) rethrowWithContext("bulkCreate row " + std::to_string(i) + ": ");
        throw;
      }
    }
  }

  if (batch) m.table().reserve(m.table().slotCount() + rows.size());
  for (NewRow& r : rows) {
    m.table().insert(r.row());
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
  operation.applied();
  if (hooked) {
    for (Instance& inst : out) {
      runHooks(m, Hook::AfterCreate, inst);
      runHooks(m, Hook::AfterSave, inst);
    }
  }
  return out;
}

}  // namespace relstore::detail
