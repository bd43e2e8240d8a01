// Scopes: named FindOptions (or functions of arguments returning them) and the
// default scope of a model, and how options merge (sequelize-associations.md):
// wheres AND, includes of the same association merge recursively, attribute
// lists union (empty = not set), the later side's order / limit / non-zero
// offset win.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "relstore/find_options.h"

namespace relstore::detail {

class ModelImpl;
class StoreImpl;

// What a scoped Model handle carries: the merged options of its scope calls.
struct ScopeState {
  FindOptions options;
};

struct ScopeDef {
  std::string name;
  std::optional<FindOptions> fixed;
  std::function<FindOptions(const std::vector<Value>&)> function;
};

// `later` merged into `base`, for `model` (includes are matched by the
// association they resolve to).
FindOptions mergeOptions(const StoreImpl& store, const ModelImpl& model, FindOptions base, const FindOptions& later);

// The options of scope calls on `model`, merged left to right. SchemaError
// "Invalid scope <name> called." for an unknown name.
FindOptions resolveScopes(const StoreImpl& store, const ModelImpl& model, const std::vector<ScopeCall>& calls);

// `inc`, an include of target `model`, with `scope` (the target's, see
// targetScope) merged in under it: the scope's includes merged with the
// include's own (recursively, as mergeOptions does), attributes united, and
// the scope's order and limit (per parent) where the include sets none. The
// scope's where is not merged: loading applies it as a filter that, unlike
// the include's own where, never makes the include required.
Include includeWithScope(const StoreImpl& store, const ModelImpl& model, const FindOptions& scope, Include inc);

// The scope that association reads and includes of target `model` apply:
// `handle` (the scoped handle an association or include named) if any, else
// the model's default scope; null when neither.
const FindOptions* targetScope(const ModelImpl& model, const std::shared_ptr<const ScopeState>& handle);

}  // namespace relstore::detail
