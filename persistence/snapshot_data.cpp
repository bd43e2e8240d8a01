#include "snapshot_data.h"

#include <cstring>

#include "parallel.h"
#include "store_impl.h"

namespace relstore::detail {

PackedText packText(const Column& column) {
  PackedText p;
  p.nulls = column.nullWords();
  const std::vector<std::string>& texts = column.texts();
  p.lengths.resize(texts.size());
  std::size_t total = 0;
  for (std::size_t r = 0; r < texts.size(); ++r) total += p.lengths[r] = texts[r].size();
  p.bytes.resize(total);
  char* out = p.bytes.data();
  for (const std::string& t : texts) {
    if (!t.empty()) std::memcpy(out, t.data(), t.size());
    out += t.size();
  }
  return p;
}

SnapshotData describe(const StoreImpl& store, bool copyColumns) {
  SnapshotData data;
  data.models.reserve(store.modelCount());  // no reallocation: the copy jobs point into it
  std::vector<std::function<void()>> copies;
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
      // Slots first (owned never reallocates afterwards: columns point into
      // it), the copies below, all columns of all models at once.
      m.owned.reserve(table.columnCount());
      m.packed.resize(table.columnCount());
      for (std::uint32_t c = 0; c < table.columnCount(); ++c) {
        const Column& column = table.column(c);
        if (column.type() == Type::Text) {
          m.columns.push_back(nullptr);
          copies.emplace_back([&m, &column, c] { m.packed[c] = packText(column); });
        } else {
          Column& slot = m.owned.emplace_back(column.type());
          m.columns.push_back(&slot);
          copies.emplace_back([&slot, &column] { slot = column; });
        }
      }
    } else {
      for (std::uint32_t c = 0; c < table.columnCount(); ++c) m.columns.push_back(&table.column(c));
    }
  }
  runInParallel(copies);  // the caller's share of an async save: as short as the cores allow
  for (std::uint32_t i = 0; i < store.foreignKeyCount(); ++i) data.foreignKeys.push_back(store.foreignKey(i));
  for (std::uint32_t i = 0; i < store.associationCount(); ++i) {
    AssociationDef def = store.association(i);
    def.targetScopes = nullptr;
    data.associations.push_back(std::move(def));
  }
  return data;
}

}  // namespace relstore::detail
