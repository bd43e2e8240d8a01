// Checks shared by every write: value types, nulls, user validators, unique
// constraints, hooks — and rethrowing an error with the position of the row
// that caused it.
#pragma once

#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "relstore/attribute.h"
#include "relstore/hooks.h"
#include "relstore/instance.h"

namespace relstore::detail {

class ModelImpl;
class StoreImpl;

// `value` checked for attribute `attribute`: null refused when !allowNull,
// Int widened for a Real attribute, any other type mismatch refused.
// Returns the value to store. Throws ValidationError naming model,
// attribute, expected and given type.
Value checkValue(const ModelImpl& model, std::uint32_t attribute, Value value);

// Runs the attribute's `validate` on a non-null value. A ValidationError it
// throws is rethrown with the model and attribute named.
void runValidator(const ModelImpl& model, std::uint32_t attribute, const Value& value);

// checkValue + runValidator over a full row; a null auto-increment primary
// key is left null (assigned later).
void validateRow(const ModelImpl& model, std::vector<Value>& row);

// Throws UniqueConstraintError naming model, attribute and value.
[[noreturn]] void uniqueViolation(const ModelImpl& model, std::uint32_t attribute, const Value& value);

// A non-null value as a string key for batch duplicate checks (a Text value
// never equals the key of a number).
std::string batchKey(const Value& value);

// Runs the model's hooks for `hook`, in registration order.
void runHooks(const ModelImpl& model, Hook hook, Instance& instance);

// Rethrows the exception in flight with `prefix` before its message when it is
// a relstore::Error (same type); anything else is rethrown as is.
[[noreturn]] void rethrowWithContext(const std::string& prefix);

// Field name → attribute values of a full new row, written into `row`:
// defaults for attributes not given. SchemaError for an unknown name or a
// name given twice.
void fillRow(const ModelImpl& model, const Record& record, std::vector<Value>& row);

// Field name → (attribute, value) for an update. SchemaError likewise.
std::vector<std::pair<std::uint32_t, Value>> changesFromRecord(const ModelImpl& model, const Record& record);

}  // namespace relstore::detail
