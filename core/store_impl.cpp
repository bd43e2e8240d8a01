#include "store_impl.h"

#include <algorithm>

namespace relstore::detail {

namespace {

std::vector<ColumnSpec> specsOf(const std::vector<Attribute>& attributes) {
  std::vector<ColumnSpec> specs;
  specs.reserve(attributes.size());
  for (const Attribute& a : attributes) specs.push_back({a.type, a.unique, a.index});
  return specs;
}

}  // namespace

ModelImpl::ModelImpl(std::string name, std::vector<Attribute> attributes, std::uint32_t pk, std::uint32_t index,
                     UndoLog* const* undo, StoreImpl* store)
    : name_(std::move(name)), index_(index), attributes_(std::move(attributes)), pk_(pk), undo_(undo),
      store_(store) {
  for (std::uint32_t i = 0; i < attributes_.size(); ++i) {
    names_.push_back(attributes_[i].name);
    byName_.emplace(attributes_[i].name, i);
  }
  indexNamesByLength();
  table_ = std::make_unique<Table>(specsOf(attributes_), pk_);
  table_->attachUndo(undo_);
  columns_.reserve(attributes_.size());
  pointAtColumns();
  for (auto& list : hooks_) list = std::make_shared<const std::vector<HookEntry>>();
}

void ModelImpl::indexNamesByLength() {
  firstOfLength_ = {};
  nextOfLength_ = {};
  shortNames_ = {};
  if (names_.size() > kScannedAttributes) return;
  // Built from the last attribute down, so each list is in definition order.
  for (auto i = static_cast<std::uint32_t>(names_.size()); i-- > 0;) {
    const std::size_t length = names_[i].size();
    if (length > kShortName) continue;
    std::copy_n(names_[i].data(), length, shortNames_[i].data());
    nextOfLength_[i] = firstOfLength_[length];
    firstOfLength_[length] = static_cast<std::uint8_t>(i + 1);
  }
}

void ModelImpl::pointAtColumns() noexcept {
  columns_.resize(table_->columnCount());  // within the capacity reserved: no allocation
  for (std::uint32_t c = 0; c < columns_.size(); ++c) columns_[c] = &table_->column(c);
  textChunks_.fill(nullptr);
  for (std::uint32_t c = 0; c < columns_.size() && c < kScannedAttributes; ++c) {
    if (columns_[c]->type() == Type::Text) textChunks_[c] = &columns_[c]->textChunkTable();
  }
  hintEpoch_ = &table_->hintEpochHolder();
}

int ModelImpl::findAttributeHashed(std::string_view name) const {
  auto it = byName_.find(name);
  return it == byName_.end() ? -1 : static_cast<int>(it->second);
}

std::uint32_t ModelImpl::requireAttribute(std::string_view name, std::string_view context) const {
  const int i = findAttribute(name);
  if (i < 0) {
    throw SchemaError("Model \"" + name_ + "\" has no attribute \"" + std::string(name) + "\"" +
                      (context.empty() ? "" : " (in " + std::string(context) + ")"));
  }
  return static_cast<std::uint32_t>(i);
}

std::uint32_t ModelImpl::addAttribute(Attribute attribute) {
  const Value fill = attribute.defaultValue ? *attribute.defaultValue : Value();
  columns_.reserve(attributes_.size() + 1);  // before the column: pointAtColumns cannot fail
  table_->addColumn({attribute.type, attribute.unique, attribute.index}, fill);
  pointAtColumns();
  const auto i = static_cast<std::uint32_t>(attributes_.size());
  names_.push_back(attribute.name);
  byName_.emplace(attribute.name, i);
  indexNamesByLength();
  attributes_.push_back(std::move(attribute));
  return i;
}

void ModelImpl::renameAttribute(std::uint32_t attribute, std::string name) {
  byName_.erase(names_[attribute]);
  byName_.emplace(name, attribute);
  names_[attribute] = name;
  indexNamesByLength();
  attributes_[attribute].name = std::move(name);
}

void ModelImpl::addHook(Hook hook, HookEntry entry) {
  auto& list = hooks_[static_cast<int>(hook)];
  auto copy = std::make_shared<std::vector<HookEntry>>(*list);
  copy->push_back(std::move(entry));
  list = std::move(copy);
}

bool ModelImpl::removeHook(HookId id) {
  for (auto& list : hooks_) {
    auto it = std::find_if(list->begin(), list->end(), [&](const HookEntry& e) { return e.id == id; });
    if (it == list->end()) continue;
    auto copy = std::make_shared<std::vector<HookEntry>>(*list);
    copy->erase(copy->begin() + (it - list->begin()));
    list = std::move(copy);
    return true;
  }
  return false;
}

std::uint32_t StoreImpl::addAssociation(AssociationDef def) {
  associations_.push_back(std::make_unique<AssociationDef>(std::move(def)));
  const auto id = static_cast<std::uint32_t>(associations_.size() - 1);
  models_[associations_.back()->source]->addAssociation(id);
  return id;
}

std::uint32_t StoreImpl::addForeignKey(ForeignKey fk) {
  foreignKeys_.push_back(fk);
  const auto id = static_cast<std::uint32_t>(foreignKeys_.size() - 1);
  models_[fk.child]->addChildKey(id);
  models_[fk.parent]->addParentKey(id);
  return id;
}

std::optional<std::uint32_t> StoreImpl::findForeignKey(std::uint32_t child, std::uint32_t column,
                                                      std::uint32_t parent) const {
  for (std::uint32_t i : models_[child]->childKeys()) {
    if (foreignKeys_[i].column == column && foreignKeys_[i].parent == parent) return i;
  }
  return std::nullopt;
}

ModelImpl* StoreImpl::find(std::string_view name) const {
  auto it = byName_.find(name);
  return it == byName_.end() ? nullptr : models_[it->second].get();
}

ModelImpl& StoreImpl::define(std::string name, std::vector<Attribute> attributes) {
  requireNoSchemaChange("define(\"" + name + "\")");
  if (name.empty()) throw SchemaError("A model needs a non-empty name");
  if (find(name)) throw SchemaError("Model \"" + name + "\" is already defined");

  int pk = -1;
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    const Attribute& a = attributes[i];
    if (a.name.empty()) throw SchemaError("Model \"" + name + "\": attribute " + std::to_string(i) + " has no name");
    for (std::size_t j = 0; j < i; ++j) {
      if (attributes[j].name == a.name) {
        throw SchemaError("Model \"" + name + "\" defines attribute \"" + a.name + "\" twice");
      }
    }
    if (a.primaryKey) {
      if (pk >= 0) {
        throw SchemaError("Model \"" + name + "\" has two primary keys (\"" + attributes[pk].name + "\" and \"" +
                          a.name + "\"); composite keys are not supported");
      }
      if (a.type != Type::Int) {
        throw SchemaError("Primary key " + name + "." + a.name + " must be Int, not " + std::string(typeName(a.type)));
      }
      pk = static_cast<int>(i);
    } else if (a.autoIncrement) {
      throw SchemaError(name + "." + a.name + ": autoIncrement applies to the primary key only");
    }
    if (a.defaultValue && !a.defaultValue->isNull()) {
      const Type given = a.defaultValue->type();
      const bool ok = given == a.type || (a.type == Type::Real && given == Type::Int);
      if (!ok) {
        throw SchemaError("Default value of " + name + "." + a.name + " is " + std::string(typeName(given)) +
                          ", expected " + std::string(typeName(a.type)));
      }
    }
  }
  if (pk < 0) {
    for (const Attribute& a : attributes) {
      if (a.name == kDefaultPrimaryKey) {
        throw SchemaError("Model \"" + name + "\" has an attribute \"id\" that is not marked primaryKey; mark it "
                          "primaryKey or rename it");
      }
    }
    Attribute id{
        .name = kDefaultPrimaryKey, .type = Type::Int, .allowNull = false, .primaryKey = true, .autoIncrement = true};
    attributes.insert(attributes.begin(), std::move(id));
    pk = 0;
  }
  Attribute& key = attributes[pk];
  key.allowNull = false;
  key.unique = true;
  // Widen Int defaults of Real attributes once, so writes never re-check them.
  for (Attribute& a : attributes) {
    if (a.defaultValue && !a.defaultValue->isNull() && a.type == Type::Real && a.defaultValue->type() == Type::Int) {
      const double widened = static_cast<double>(a.defaultValue->asInt());
      a.defaultValue.emplace(widened);  // (emplace: GCC 12 misreads the variant move as uninitialized)
    }
  }

  const auto index = static_cast<std::uint32_t>(models_.size());
  auto model = std::make_unique<ModelImpl>(name, std::move(attributes), static_cast<std::uint32_t>(pk), index, &active_,
                                           this);
  models_.push_back(std::move(model));
  byName_.emplace(std::move(name), index);
  return *models_.back();
}

}  // namespace relstore::detail
