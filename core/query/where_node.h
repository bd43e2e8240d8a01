// The condition tree behind a public `Where`: what the user wrote, unresolved
// (attribute names as strings). `where_compiler.h` turns it into typed
// predicates over one model's columns.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "relstore/value.h"

namespace relstore::detail {

enum class WhereKind : std::uint8_t {
  None,  // matches no row (what `!Where{}` becomes)
  Eq, Ne, Lt, Le, Gt, Ge,
  In, NotIn, Like, NotLike, Between, IsNull, IsNotNull,
  And, Or, Not
};

struct WhereNode {
  WhereKind kind = WhereKind::None;
  std::string attribute;       // leaves
  std::vector<Value> values;   // operands: 1 for comparisons/like, 2 for between, n for in
  std::vector<std::shared_ptr<const WhereNode>> children;  // And, Or, Not
};

}  // namespace relstore::detail
