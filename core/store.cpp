// Store: owner of the models (see relstore/store.h).
#include "relstore/store.h"

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
}

std::size_t Store::memoryUsage() const {
  std::size_t bytes = 0;
  for (std::uint32_t i = 0; i < impl_->modelCount(); ++i) bytes += impl_->model(i).table().memoryUsage();
  return bytes;
}

}  // namespace relstore
