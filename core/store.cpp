// Store: owner of the models (see relstore/store.h).
#include "relstore/store.h"

#include "associations/references.h"
#include "store_impl.h"

namespace relstore {

Store::Store() : impl_(std::make_unique<detail::StoreImpl>()) {}
Store::~Store() = default;
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;

Model Store::define(std::string name, std::vector<Attribute> attributes) {
  detail::ModelImpl& m = impl_->define(std::move(name), std::move(attributes));
  return Model(impl_.get(), m.index());
}

Model Store::model(std::string_view name) const {
  detail::ModelImpl* m = impl_->find(name);
  if (!m) throw SchemaError("Model \"" + std::string(name) + "\" is not defined");
  return Model(impl_.get(), m->index());
}

bool Store::hasModel(std::string_view name) const { return impl_->find(name) != nullptr; }

std::vector<Model> Store::models() const {
  std::vector<Model> out;
  for (std::uint32_t i = 0; i < impl_->modelCount(); ++i) out.emplace_back(impl_.get(), i);
  return out;
}

void Store::checkIntegrity() const {
  for (std::uint32_t i = 0; i < impl_->modelCount(); ++i) {
    const detail::ModelImpl& m = impl_->model(i);
    const detail::Table& table = m.table();
    table.checkIntegrity(m.name(), m.attributeNames());
    for (std::uint32_t row = 0; row < table.slotCount(); ++row) {
      if (table.isLive(row) && table.idAt(row) > m.idCounter()) {
        throw IntegrityError("Integrity check failed on " + m.name() + ": id " + std::to_string(table.idAt(row)) +
                             " is above the id counter " + std::to_string(m.idCounter()));
      }
    }
  }
  // Writes refuse a dangling constrained key, and a snapshot holding one
  // cannot be loaded: one here is a bug, named like the other findings.
  for (std::uint32_t k = 0; k < impl_->foreignKeyCount(); ++k) {
    const detail::ForeignKey& fk = impl_->foreignKey(k);
    if (!fk.constraints) continue;
    const detail::ModelImpl& child = impl_->model(fk.child);
    const detail::ModelImpl& parent = impl_->model(fk.parent);
    if (auto row = detail::firstDanglingRow(fk, parent.pk(), child.table(), parent.table())) {
      throw IntegrityError("Integrity check failed on " + child.qualified(fk.column) + ": row id " +
                           std::to_string(child.table().idAt(*row)) + " holds " +
                           child.table().column(fk.column).get(*row).toString() + ", which references no " +
                           parent.qualified(fk.parentKey));
    }
  }
}

std::size_t Store::memoryUsage() const {
  std::size_t bytes = 0;
  for (std::uint32_t i = 0; i < impl_->modelCount(); ++i) bytes += impl_->model(i).table().memoryUsage();
  return bytes;
}

}  // namespace relstore
