// relstore/attribute.h — attribute definitions and records of values.
//
// What it is: `Attribute` declares one column of a model (its type and
// constraints), in the order of Sequelize's attribute options. `Field` and
// `Record` carry values by attribute name into `create`, `update` and `where`.
//
// When to use it: with `Store::define`, and whenever values are written.
//
//   auto players = store.define("Player", {
//       {.name = "name", .type = Type::Text, .allowNull = false, .unique = true},
//       {.name = "level", .type = Type::Int, .defaultValue = 1},
//       {.name = "gold", .type = Type::Real, .index = true,
//        .validate = [](const Value& v) {
//          if (v.asReal() < 0) throw ValidationError("gold must not be negative");
//        }},
//   });
//   players.create({{"name", "Ann"}, {"gold", 10.5}});
//
// Rules: a model without a `primaryKey` attribute gets `id` (Int, not null,
// auto-increment). A primary key must be Int. `validate` runs on non-null
// values only and refuses by throwing `ValidationError`. `defaultValue` is
// written when a create does not name the attribute (an explicit null stays
// null). `unique` allows any number of nulls. `unique` and `index` attributes
// get hash indices that `where` uses for `==` and `in`.
//
// Every member has a default member initializer, so designated initializers
// that leave members out compile cleanly under -Wextra
// (-Wmissing-field-initializers) in users' builds; the same holds for
// FindOptions, Include and Order.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "relstore/value.h"

namespace relstore {

struct Attribute {
  std::string name{};
  Type type = Type::Text;
  bool allowNull = true;
  bool unique = false;
  bool index = false;  // secondary hash index
  std::optional<Value> defaultValue{};
  bool primaryKey = false;  // Int only; default pk is "id"
  bool autoIncrement = false;
  std::function<void(const Value&)> validate{};  // throw ValidationError to refuse
};

// One named value: {"name", "John"}.
struct Field {
  std::string name{};
  Value value{};
};

// Values by attribute name: {{"name", "John"}, {"level", 3}}. A name may appear
// once; order does not matter.
using Record = std::vector<Field>;

}  // namespace relstore
