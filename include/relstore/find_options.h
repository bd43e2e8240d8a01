// relstore/find_options.h — what a query asks for: where, order, limit, ...
//
// What it is: the options of `findAll`, `findOne`, `findByPk`, `count` and
// `findAndCountAll`, written with designated initializers in declaration order
// as in Sequelize:
//
//   auto top = players.findAll({
//       .where = col("level") >= 10,
//       .order = {{"gold", Direction::Desc}, {"name"}},
//       .limit = 20,
//       .offset = 40,
//       .attributes = {"name", "gold"},   // what toJSON() shows
//   });
//
// Semantics: `order` sorts by several keys; nulls come first ascending and last
// descending, a Real NaN after every number; ties keep primary-key order. A
// NaN equals nothing in a where (==, in), itself included. Without `order` rows come in no
// promised order. `offset` skips rows, then `limit` caps them. `attributes`
// limits what `Instance::toJSON()` shows (an empty list means all); `get()`
// still reads any attribute of the live row. Unknown attribute names (in
// where, order or attributes) are a SchemaError naming the model.
//
// `include` (eager loading) names associations of the model; an include that
// names none is an EagerLoadingError.
//
// Cost: see `Model::findAll`.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "relstore/model_ref.h"
#include "relstore/where.h"

namespace relstore {

enum class Direction { Asc, Desc };

struct Order {
  std::string attribute{};
  Direction direction = Direction::Asc;
};

// Eager loading of an association: by `model`, by alias (`as`), or both.
struct Include {
  ModelRef model{};
  std::string as{};
  Where where{};
  std::optional<bool> required{};  // default: true iff where is set
  std::vector<Include> include{};  // nested
  std::vector<std::string> attributes{};  // empty = all
  std::vector<Order> order{};
  std::optional<std::size_t> limit{};  // per parent
  Where throughWhere{};  // belongsToMany: filter on junction attributes
};

struct FindOptions {
  Where where{};
  std::vector<Include> include{};
  std::vector<Order> order{};
  std::optional<std::size_t> limit{};
  std::size_t offset = 0;
  std::vector<std::string> attributes{};  // empty = all
};

// One scope in a scope() call: a name, and arguments for a function scope.
//   posts.scope({"withAuthor", {"byStatus", {"published"}}})
struct ScopeCall {
  ScopeCall(const char* scopeName) : name(scopeName) {}
  ScopeCall(std::string scopeName) : name(std::move(scopeName)) {}
  ScopeCall(std::string scopeName, std::vector<Value> scopeArgs) : name(std::move(scopeName)), args(std::move(scopeArgs)) {}
  std::string name;
  std::vector<Value> args;
};

struct DestroyOptions {
  // Run each destroyed row's BeforeDestroy/AfterDestroy hooks (Sequelize's
  // `individualHooks`). Off by default, as in Sequelize.
  bool individualHooks = false;
};

}  // namespace relstore
