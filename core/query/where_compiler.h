// Compiles a `Where` tree against one model into typed predicates over its
// columns, plus an index plan when the condition pins an indexed attribute.
//
// Leaves read the column's own vector (int64, double, bool or string) and
// compare with an operand converted once to the column's domain, so the inner
// loop never boxes a value. Evaluation follows SQL's three-valued logic:
// comparisons with null are Unknown, Unknown never matches, NOT Unknown stays
// Unknown.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "relstore/where.h"

namespace relstore::detail {

class ModelImpl;

enum class Tri : std::uint8_t { False = 0, True = 1, Unknown = 2 };

class Predicate {
 public:
  virtual ~Predicate() = default;
  virtual Tri eval(std::uint32_t row) const = 0;
  // Starts loading the cells eval(row) may read (Column::prefetch; every
  // part of an And/Or, though eval may stop early).
  virtual void prefetch(std::uint32_t row) const noexcept = 0;
  bool matches(std::uint32_t row) const { return eval(row) == Tri::True; }
  // Keeps the rows that match, in order. Reads a few rows ahead, so that
  // scattered rows (an index's or association's) cost overlapping cache
  // misses rather than one after another. O(rows).
  void keepMatching(std::vector<std::uint32_t>& rows) const;
  // How many rows ahead loops over scattered rows prefetch.
  static constexpr std::size_t kPrefetchAhead = 16;
};

// Rows can be fetched from `column`'s index for each key (already in the
// column's type, duplicates removed) instead of scanning.
struct IndexPlan {
  std::uint32_t column;
  std::vector<Value> keys;
};

struct CompiledWhere {
  std::unique_ptr<Predicate> predicate;  // null: every row matches
  std::optional<IndexPlan> plan;         // candidate rows
  // The plan is the whole condition (a lone `==`/`in`): its rows need no
  // further filtering by the predicate.
  bool planIsExact = false;
};

// Compiles `where` for `model`. Throws SchemaError for an unknown attribute
// and TypeError for an operand whose type cannot compare with the attribute
// (both naming the model and attribute).
CompiledWhere compileWhere(const ModelImpl& model, const Where& where);

// SQL LIKE, case-sensitive: `%` any run (also empty), `_` one character
// (a UTF-8 sequence), as SQLite counts them.
bool likeMatch(std::string_view text, std::string_view pattern) noexcept;

}  // namespace relstore::detail
