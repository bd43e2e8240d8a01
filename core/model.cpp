// Model: the public operations on one table (see relstore/model.h).
#include "relstore/model.h"

#include <algorithm>

#include "associations/define.h"
#include "query/eager_loading.h"
#include "query/find.h"
#include "query/scopes.h"
#include "relstore/model_ref.h"
#include "store_impl.h"
#include "write/writes.h"

namespace relstore {

ModelRef::ModelRef(const Model& model)
    : store_(model.storeImpl()), index_(model.index()), scopes_(model.scopes()) {}

namespace {
detail::ModelImpl& impl(detail::StoreImpl* store, std::uint32_t index) { return store->model(index); }
}  // namespace

FindOptions Model::scoped(const FindOptions& options) const {
  const detail::ModelImpl& m = impl(store_, index_);
  if (scopes_) return detail::mergeOptions(*store_, m, scopes_->options, options);
  if (m.defaultScope()) return detail::mergeOptions(*store_, m, *m.defaultScope(), options);
  // Includes of one association merge with or without a scope around them.
  if (!options.include.empty()) return detail::mergeOptions(*store_, m, FindOptions{}, options);
  return options;
}

namespace {
// Whether reads through `model` merge any scope (copying options only then).
bool hasScope(const std::shared_ptr<const detail::ScopeState>& scopes, const detail::ModelImpl& m) {
  return scopes != nullptr || m.defaultScope().has_value();
}
// Whether a read's options go through scoped(): a scope to merge, or
// includes whose repeats merge.
bool needsMerge(const std::shared_ptr<const detail::ScopeState>& scopes, const detail::ModelImpl& m,
                const FindOptions& given) {
  return hasScope(scopes, m) || !given.include.empty();
}
}  // namespace

void Model::addScope(std::string name, FindOptions options) {
  detail::ModelImpl& m = impl(store_, index_);
  if (name == "defaultScope") {  // Sequelize: addScope('defaultScope') sets it while none is set
    if (m.defaultScope()) throw SchemaError("Scope defaultScope is already defined on " + m.name());
    m.setDefaultScope(std::move(options));
    return;
  }
  if (m.findScope(name)) throw SchemaError("Scope " + name + " is already defined on " + m.name());
  m.addScope({std::move(name), std::move(options), {}});
}

void Model::addScope(std::string name, std::function<FindOptions(const std::vector<Value>&)> scope) {
  detail::ModelImpl& m = impl(store_, index_);
  if (!scope) throw SchemaError("Scope " + name + " of " + m.name() + " is an empty function");
  if (name == "defaultScope") throw SchemaError("The default scope of " + m.name() + " cannot be a function scope");
  if (m.findScope(name)) throw SchemaError("Scope " + name + " is already defined on " + m.name());
  m.addScope({std::move(name), std::nullopt, std::move(scope)});
}

void Model::setDefaultScope(FindOptions options) { impl(store_, index_).setDefaultScope(std::move(options)); }

Model Model::scope(std::string_view name, std::vector<Value> args) const {
  return scope(std::vector<ScopeCall>{ScopeCall(std::string(name), std::move(args))});
}

Model Model::scope(std::initializer_list<ScopeCall> scopes) const { return scope(std::vector<ScopeCall>(scopes)); }

Model Model::scope(const std::vector<ScopeCall>& scopes) const {
  auto state = std::make_shared<detail::ScopeState>();
  state->options = detail::resolveScopes(*store_, impl(store_, index_), scopes);
  return Model(store_, index_, std::move(state));
}

Model Model::unscoped() const { return Model(store_, index_, std::make_shared<detail::ScopeState>()); }

const std::string& Model::name() const { return impl(store_, index_).name(); }
const std::vector<Attribute>& Model::attributes() const { return impl(store_, index_).attributes(); }

Instance Model::create(const Record& values) {
  return detail::createRow(*store_, impl(store_, index_), values);
}

std::vector<Instance> Model::bulkCreate(const std::vector<Record>& rows) {
  return detail::createRows(*store_, impl(store_, index_), rows);
}

std::optional<Instance> Model::findByPk(Id id, const FindOptions& given) const {
  const detail::ModelImpl& m = impl(store_, index_);
  FindOptions merged;
  const FindOptions& options = needsMerge(scopes_, m, given) ? (merged = scoped(given)) : given;
  if (options.where.empty() && options.include.empty() && options.attributes.empty()) {
    // The common case: one probe of the primary-key index, no query compiled.
    const auto row = m.table().rowOf(id);
    if (!row) return std::nullopt;
    return Instance(m, id, nullptr, 0, m.table().hintFor(*row));
  }
  FindOptions byPk = options;
  byPk.where = col(m.attribute(m.pk()).name) == id && options.where;
  byPk.limit = 1;
  byPk.offset = 0;
  return unscoped().findOne(byPk);  // already merged
}

std::optional<Instance> Model::findOne(const FindOptions& options) const {
  FindOptions one = options;
  one.limit = 1;
  auto rows = findAll(one);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::vector<Instance> Model::findAll(const FindOptions& given) const {
  const detail::ModelImpl& m = impl(store_, index_);
  FindOptions merged;
  const FindOptions& options = needsMerge(scopes_, m, given) ? (merged = scoped(given)) : given;
  auto shape = detail::shapeFor(m, options.attributes);
  const auto includes = detail::resolveIncludes(*store_, m, options.include);
  std::vector<Instance> out;
  if (includes.empty()) {
    const std::vector<std::uint32_t> rows = detail::findRows(m, options);
    out.reserve(rows.size());
    for (std::uint32_t r : rows) out.emplace_back(m, m.table().idAt(r), shape, 0, m.table().hintFor(r));
    return out;
  }
  // Without required includes, order/offset/limit apply first (stopping the
  // scan early) and only the rows returned load their includes.
  detail::Selected selected =
      detail::anyRequired(includes)
          ? detail::selectIncluding(*store_, m, detail::selectRows(m, options.where), options, includes, shape.get())
          : detail::selectIncluding(*store_, m, detail::findRows(m, options), FindOptions{}, includes, shape.get());
  out.reserve(selected.rows.size());
  for (std::size_t i = 0; i < selected.rows.size(); ++i) {
    out.emplace_back(m, m.table().idAt(selected.rows[i]), selected.shape, selected.slots[i],
                     m.table().hintFor(selected.rows[i]));
  }
  return out;
}

std::size_t Model::count(const FindOptions& given) const {
  const detail::ModelImpl& m = impl(store_, index_);
  FindOptions merged;
  const FindOptions& options = needsMerge(scopes_, m, given) ? (merged = scoped(given)) : given;  // order/limit/offset ignored
  detail::shapeFor(m, options.attributes);
  const auto includes = detail::resolveIncludes(*store_, m, options.include);
  if (detail::anyRequired(includes)) {
    // Distinct parents that keep every required include.
    const auto rows = detail::selectRows(m, options.where);
    const auto loaded = detail::loadIncludes(*store_, m, rows, includes, nullptr);
    return static_cast<std::size_t>(std::count(loaded.keep.begin(), loaded.keep.end(), true));
  }
  if (options.where.empty()) return m.table().rowCount();
  return detail::selectRows(m, options.where).size();
}

Model::CountedRows Model::findAndCountAll(const FindOptions& options) const {
  CountedRows result{count(options), findAll(options)};
  return result;
}

std::size_t Model::update(const Record& values, const Where& where) {
  const detail::ModelImpl& m = impl(store_, index_);
  const Where scopedWhere = hasScope(scopes_, m) ? scoped(FindOptions{.where = where}).where : where;
  return detail::updateWhere(*store_, impl(store_, index_), values, scopedWhere);
}

std::size_t Model::destroy(const Where& where, const DestroyOptions& options) {
  const detail::ModelImpl& m = impl(store_, index_);
  const Where scopedWhere = hasScope(scopes_, m) ? scoped(FindOptions{.where = where}).where : where;
  return detail::destroyWhere(*store_, impl(store_, index_), scopedWhere, options);
}

Association Model::hasOne(const Model& target, const AssociationOptions& options) {
  return Association(store_, detail::defineAssociation(*store_, AssociationType::HasOne, index_, target, options));
}
Association Model::belongsTo(const Model& target, const AssociationOptions& options) {
  return Association(store_, detail::defineAssociation(*store_, AssociationType::BelongsTo, index_, target, options));
}
Association Model::hasMany(const Model& target, const AssociationOptions& options) {
  return Association(store_, detail::defineAssociation(*store_, AssociationType::HasMany, index_, target, options));
}
Association Model::belongsToMany(const Model& target, const AssociationOptions& options) {
  return Association(store_, detail::defineAssociation(*store_, AssociationType::BelongsToMany, index_, target, options));
}

Association Model::association(std::string_view as) const {
  for (std::uint32_t id : impl(store_, index_).associationIds()) {
    if (store_->association(id).as == as) return Association(store_, id);
  }
  throw AssociationError("Model " + name() + " has no association with alias \"" + std::string(as) + "\"");
}

std::vector<Association> Model::associations() const {
  std::vector<Association> out;
  for (std::uint32_t id : impl(store_, index_).associationIds()) out.emplace_back(store_, id);
  return out;
}

HookId Model::addHook(Hook hook, std::function<void(Instance&)> fn) {
  if (!fn) throw SchemaError("addHook on " + name() + ": the hook function is empty");
  const HookId id = store_->nextHookId();
  impl(store_, index_).addHook(hook, {id, std::move(fn)});
  return id;
}

void Model::removeHook(HookId id) {
  if (!impl(store_, index_).removeHook(id)) {
    throw SchemaError("removeHook on " + name() + ": hook " + std::to_string(id) + " is not registered on this model");
  }
}

}  // namespace relstore
