// Referential checks on writes: a non-null foreign key must name a live
// parent (unless its association has `constraints: false`), and a junction
// pair must be unique.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "relstore/value.h"

namespace relstore::detail {

class ModelImpl;
class StoreImpl;
class Table;
struct ForeignKey;

// Whether a key value counts as present although the table does not hold it
// yet (rows of the same batch): (parent model, parent key column, value).
using PendingKey = std::function<bool(std::uint32_t, std::uint32_t, const Value&)>;

// Throws ForeignKeyConstraintError naming model, attribute and value if a
// constrained, non-null key of `row` (a full row of `model`) has no parent.
// `only`, when not empty, limits the check to those attributes. A row may
// reference itself (its own key value).
void checkReferences(const StoreImpl& store, const ModelImpl& model, const std::vector<Value>& row,
                     const std::vector<std::uint32_t>& only = {}, const PendingKey& pending = {});
// Starts loading what an insert of `row` (validated) will read and write in
// the indices: the parents' primary-key entries its keys name and its
// association buckets, so that those misses overlap with the work before
// them. A hint: changes nothing. O(columns + foreign keys).
void prefetchInsertOf(const StoreImpl& store, const ModelImpl& model, const std::vector<Value>& row) noexcept;

// A key value as messages show it: text in double quotes, others as written.
std::string shownKey(const Value& v);

// Whether any live row of `parent` holds `value` in `column`.
bool keyExists(const ModelImpl& parent, std::uint32_t column, const Value& value);

// The first live row of `children` (the rows of fk.child) whose non-null key
// `fk.column` names no row of `parents` (the rows of fk.parent) in
// fk.parentKey, if any; whatever fk.constraints says. The tables are passed
// in so that a snapshot load can check the tables it is about to install.
// A key referencing a primary key through a link index is checked once per
// distinct value; otherwise row by row. O(rows).
std::optional<std::uint32_t> firstDanglingRow(const ForeignKey& fk, std::uint32_t parentPk, const Table& children,
                                              const Table& parents);

// Throws UniqueConstraintError for pair constraint `pair` of `model`.
[[noreturn]] void pairViolation(const ModelImpl& model, std::size_t pair, const std::vector<Value>& row);

}  // namespace relstore::detail
