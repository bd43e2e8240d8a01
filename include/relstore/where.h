// relstore/where.h — conditions on attributes: `col("level") >= 10`.
//
// What it is: a `Where` is a condition tree over a model's attributes, built
// with `col(name)` and the operators below, or with the Sequelize-style
// equality list `{{"status", "published"}, {"level", 3}}` (ANDed). An empty
// `Where` matches every row. It is a cheap immutable value (shared tree) that
// can be stored and reused across queries and models.
//
// When to use it: in `FindOptions::where`, `Model::update`, `Model::destroy`.
//
//   auto rich = players.findAll({.where = col("gold") > 1000 && !(col("name").like("bot%"))});
//   players.update({{"banned", true}}, {{"name", "cheater"}});
//
// Semantics (SQL's three-valued logic, as SQLite): a comparison with a null
// attribute value is unknown, and unknown never matches — also under `!`.
// `== nullptr` / `{{"a", nullptr}}` match null and `!= nullptr` non-null; any
// other comparison with a null operand matches nothing. `in` with a null
// element matches the non-null elements only; `notIn` with a null element
// matches nothing. `like` is case-sensitive: `%` any run, `_` one character
// (of UTF-8 text). Int and Real compare by exact value (2^53 + 1 is above
// 9007199254740992.0), not by the Int rounded to a double, with or without an
// index; Text compares bytewise; Bool only with
// Bool. A type mismatch (e.g. Text against an Int attribute) is a TypeError
// when the query runs, naming the model and attribute; an unknown attribute is
// a SchemaError.
//
// Cost: when a query runs, the tree is compiled once into typed predicates
// over the columns (no per-row boxing). An `==` or `in` on the primary key or
// on a `unique`/`index` attribute, at the top level of an AND chain, is
// answered from its hash index; everything else scans the table.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "relstore/attribute.h"
#include "relstore/value.h"

namespace relstore {

namespace detail {
struct WhereNode;
}

class Where;

// A reference to an attribute, the left side of a condition.
class Col {
 public:
  explicit Col(std::string attribute) : attribute_(std::move(attribute)) {}

  Where operator==(Value) const;
  Where operator!=(Value) const;
  Where operator<(Value) const;
  Where operator<=(Value) const;
  Where operator>(Value) const;
  Where operator>=(Value) const;
  Where in(std::vector<Value>) const;
  Where notIn(std::vector<Value>) const;
  Where like(std::string pattern) const;
  Where notLike(std::string pattern) const;
  Where between(Value lo, Value hi) const;  // lo <= x <= hi
  Where isNull() const;
  Where isNotNull() const;

  const std::string& attribute() const noexcept { return attribute_; }

 private:
  std::string attribute_;
};

// Returns a reference to the attribute `attribute` (checked when a query runs).
Col col(std::string attribute);

class Where {
 public:
  Where() = default;  // matches all rows
  // Equalities, ANDed: {{"status", "published"}}; a null value matches null.
  Where(std::initializer_list<Field> equalities);
  bool empty() const noexcept { return node_ == nullptr; }

  // Internal: the condition tree (null when empty), read by the query compiler.
  const std::shared_ptr<const detail::WhereNode>& node() const noexcept { return node_; }
  explicit Where(std::shared_ptr<const detail::WhereNode> node) noexcept : node_(std::move(node)) {}

 private:
  std::shared_ptr<const detail::WhereNode> node_;
};

// Conjunction, disjunction and negation. An empty operand of && is ignored
// (it matches all); `a || Where{}` matches all; `!Where{}` matches none.
Where operator&&(Where a, Where b);
Where operator||(Where a, Where b);
Where operator!(Where a);

}  // namespace relstore
