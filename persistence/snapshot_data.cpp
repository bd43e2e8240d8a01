#include "snapshot_data.h"

#include "store_impl.h"

namespace relstore::detail {

std::uint64_t SnapshotData::rowCount() const {
  std::uint64_t rows = 0;
  for (const ModelData& m : models) rows += m.rows;
  return rows;
}

SnapshotData describe(const StoreImpl& store, bool copyColumns) {
  SnapshotData data;
  data.models.reserve(store.modelCount());
  for (std::uint32_t i = 0; i < store.modelCount(); ++i) {
    const ModelImpl& model = store.model(i);
    ModelData& m = data.models.emplace_back();
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
    if (copyColumns) {
      m.owned.reserve(table.columnCount());
      for (std::uint32_t c = 0; c < table.columnCount(); ++c) m.owned.push_back(table.column(c));
      for (const Column& c : m.owned) m.columns.push_back(&c);
    } else {
      for (std::uint32_t c = 0; c < table.columnCount(); ++c) m.columns.push_back(&table.column(c));
    }
  }
  for (std::uint32_t i = 0; i < store.foreignKeyCount(); ++i) data.foreignKeys.push_back(store.foreignKey(i));
  for (std::uint32_t i = 0; i < store.associationCount(); ++i) {
    AssociationDef def = store.association(i);
    def.targetScopes = nullptr;
    data.associations.push_back(std::move(def));
  }
  return data;
}

}  // namespace relstore::detail
