#include "snapshot_data.h"

#include <cstring>

#include "parallel.h"
#include "store_impl.h"

namespace relstore::detail {

namespace {

// Fills empty `data` from the store: schema always; columns referenced in
// place, or (copyColumns) copied.
void fill(SnapshotData& data, const StoreImpl& store, bool copyColumns) {
  data.models.resize(store.modelCount());  // no reallocation below: the copy jobs point into it
  std::vector<std::function<void()>> copies;
  for (std::uint32_t i = 0; i < store.modelCount(); ++i) {
    const ModelImpl& model = store.model(i);
    ModelData& m = data.models[i];
    m.name = model.name();
    m.pk = model.pk();
    m.idCounter = model.idCounter();
    m.rows = model.table().rowCount();
    for (const Attribute& a : model.attributes()) {
      Attribute copy = a;
      copy.validate = nullptr;
      m.attributes.push_back(std::move(copy));
    }
    const Table& table = model.table();
    if (table.hasFreeSlots() && !copyColumns) {
      // A snapshot holds rows, not free slots: the live rows, compacted. (An
      // asynchronous save copies the columns as they are and compacts the
      // copies on its worker: compactCopies.)
      m.owned = table.liveColumns();
      for (const Column& column : m.owned) m.columns.push_back(&column);
      continue;
    }
    m.freeSlots = table.hasFreeSlots();
    if (!copyColumns) {
      for (std::uint32_t c = 0; c < table.columnCount(); ++c) m.columns.push_back(&table.column(c));
      continue;
    }
    // Copies share the columns' chunks: cheap, but the null bitmaps are
    // copied, so all columns of all models go at once.
    m.owned.reserve(table.columnCount());  // no reallocation: columns point into it
    for (std::uint32_t c = 0; c < table.columnCount(); ++c) {
      const Column& column = table.column(c);
      Column& slot = m.owned.emplace_back(column.type());
      m.columns.push_back(&slot);
      copies.emplace_back([&slot, &column] { slot = column; });
    }
  }
  runInParallel(copies);  // the caller's share of an async save: as short as the cores allow
  for (std::uint32_t i = 0; i < store.foreignKeyCount(); ++i) data.foreignKeys.push_back(store.foreignKey(i));
  for (std::uint32_t i = 0; i < store.associationCount(); ++i) {
    AssociationDef def = store.association(i);
    def.targetScopes = nullptr;
    data.associations.push_back(std::move(def));
  }
}

}  // namespace

void compactCopies(SnapshotData& data) {
  for (ModelData& m : data.models) {
    if (!m.freeSlots) continue;
    m.owned = Table::liveRowsOf(m.columns, m.pk);
    m.columns.clear();
    for (const Column& column : m.owned) m.columns.push_back(&column);
    m.freeSlots = false;
  }
}

SnapshotData describe(const StoreImpl& store, bool copyColumns) {
  SnapshotData data;
  fill(data, store, copyColumns);
  return data;
}

}  // namespace relstore::detail
