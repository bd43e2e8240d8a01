// relstore/errors.h — the exception hierarchy.
//
// What it is: every failure relstore reports is an exception derived from
// `relstore::Error` (itself a `std::runtime_error`). The subclass says what kind
// of failure it was; the message names the model, attribute or alias at fault.
//
// When to use it: catch `relstore::Error` to handle any relstore failure, or a
// subclass to react to one kind (e.g. `UniqueConstraintError` on a duplicate
// player name).
//
//   try {
//     players.create({{"name", "Ann"}});
//   } catch (const relstore::UniqueConstraintError& e) {
//     // e.what(): Player.name must be unique: value "Ann" is already taken
//   }
//
// Guarantee: an operation that throws changed nothing (strong guarantee), unless
// the exception came from an after-hook, which runs once the change is made.
#pragma once

#include <stdexcept>
#include <string>

namespace relstore {

// Base of every relstore exception.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// A definition or a name is wrong: unknown model or attribute, duplicate
// definition, an option that does not apply.
class SchemaError : public Error {
 public:
  using Error::Error;
};

// A `Value` was read as a type it does not hold, or compared with an attribute
// of an incompatible type.
class TypeError : public Error {
 public:
  using Error::Error;
};

// A value refused on write: wrong type, null into `allowNull = false`, or an
// attribute's `validate` function refusing it.
class ValidationError : public Error {
 public:
  using Error::Error;
};

// A duplicate value in a `unique` attribute or a duplicate primary key.
class UniqueConstraintError : public Error {
 public:
  using Error::Error;
};

// A foreign key that references no row, or a referential action that refuses.
class ForeignKeyConstraintError : public Error {
 public:
  using Error::Error;
};

// A row that does not exist (destroyed, or never created) was read or written.
class NotFoundError : public Error {
 public:
  using Error::Error;
};

// An association was misused (unknown alias, wrong model, wrong arity).
class AssociationError : public Error {
 public:
  using Error::Error;
};

// An `include` names no association of the model, or names it ambiguously.
class EagerLoadingError : public Error {
 public:
  using Error::Error;
};

// `Store::checkIntegrity()` found an index that disagrees with the columns, or
// a constrained foreign key naming no parent.
class IntegrityError : public Error {
 public:
  using Error::Error;
};

// A snapshot could not be written or read.
class SnapshotError : public Error {
 public:
  using Error::Error;
};

}  // namespace relstore
