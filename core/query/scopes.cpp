#include "query/scopes.h"

#include <algorithm>

#include "query/eager_loading.h"
#include "store_impl.h"

namespace relstore::detail {

namespace {

std::vector<std::string> unionOf(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  std::vector<std::string> out = a;
  for (const std::string& s : b) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  return out;
}

std::vector<Include> mergeIncludes(const StoreImpl& store, const ModelImpl& model, std::vector<Include> base,
                                   const std::vector<Include>& later) {
  for (const Include& inc : later) {
    const std::uint32_t id = resolveAssociation(store, model, inc);
    auto same = std::find_if(base.begin(), base.end(),
                             [&](const Include& b) { return resolveAssociation(store, model, b) == id; });
    const ModelImpl& target = store.model(store.association(id).target);
    if (same == base.end()) {
      base.push_back(inc);
      base.back().include = mergeIncludes(store, target, {}, inc.include);  // its own repeats merged too
      continue;
    }
    Include& m = *same;
    m.where = m.where && inc.where;
    m.throughWhere = m.throughWhere && inc.throughWhere;
    if (inc.required) m.required = inc.required;
    if (inc.model.scopes()) m.model = inc.model;  // a later scoped (or unscoped()) handle picks the target's scope
    m.attributes = unionOf(m.attributes, inc.attributes);
    if (!inc.order.empty()) m.order = inc.order;
    if (inc.limit) m.limit = inc.limit;
    m.include = mergeIncludes(store, target, std::move(m.include), inc.include);
  }
  return base;
}

}  // namespace

FindOptions mergeOptions(const StoreImpl& store, const ModelImpl& model, FindOptions base, const FindOptions& later) {
  base.where = base.where && later.where;
  // The base's own repeats (a scope may list one association twice, at any
  // depth) merge too.
  if (!base.include.empty()) base.include = mergeIncludes(store, model, {}, base.include);
  base.include = mergeIncludes(store, model, std::move(base.include), later.include);
  if (!later.order.empty()) base.order = later.order;
  if (later.limit) base.limit = later.limit;
  if (later.offset != 0) base.offset = later.offset;
  base.attributes = unionOf(base.attributes, later.attributes);
  return base;
}

Include includeWithScope(const StoreImpl& store, const ModelImpl& model, const FindOptions& scope, Include inc) {
  inc.include = mergeIncludes(store, model, mergeIncludes(store, model, {}, scope.include), inc.include);
  inc.attributes = unionOf(scope.attributes, inc.attributes);
  if (inc.order.empty()) inc.order = scope.order;
  if (!inc.limit) inc.limit = scope.limit;
  return inc;
}

FindOptions resolveScopes(const StoreImpl& store, const ModelImpl& model, const std::vector<ScopeCall>& calls) {
  FindOptions merged;
  for (const ScopeCall& call : calls) {
    auto noArguments = [&] {
      throw SchemaError("Scope " + call.name + " of " + model.name() + " takes no arguments (it is not a function scope)");
    };
    if (call.name == "defaultScope") {
      if (!call.args.empty()) noArguments();
      if (model.defaultScope()) merged = mergeOptions(store, model, std::move(merged), *model.defaultScope());
      continue;
    }
    const ScopeDef* def = model.findScope(call.name);
    if (!def) throw SchemaError("Invalid scope " + call.name + " called.");
    if (def->fixed && !call.args.empty()) noArguments();
    const FindOptions options = def->fixed ? *def->fixed : def->function(call.args);
    merged = mergeOptions(store, model, std::move(merged), options);
  }
  return merged;
}

const FindOptions* targetScope(const ModelImpl& model, const std::shared_ptr<const ScopeState>& handle) {
  if (handle) return &handle->options;
  return model.defaultScope() ? &*model.defaultScope() : nullptr;
}

}  // namespace relstore::detail
