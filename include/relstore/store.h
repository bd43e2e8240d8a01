// relstore/store.h — the store: a set of models held in memory.
//
// What it is: the owner of every table, index and hook. Everything else
// (Model, Instance) is a handle into a Store.
//
// When to use it: one per world (a game server usually has one).
//
//   relstore::Store store;
//   auto players = store.define("Player", {{.name = "name", .allowNull = false}});
//   players.create({{"name", "Ann"}});
//   store.checkIntegrity();                 // throws IntegrityError if an index lies
//
// Threads: a Store is not internally locked (a game tick owns it). Any number
// of threads may read concurrently while none writes; every write (including
// hooks that write) needs external exclusion from all other access.
//
// Invalidation: Model and Instance handles point into the store's
// implementation, which a move transfers: handles stay valid across
// `Store` moves and become dangling when the store that owns them is destroyed.
//
// Cost: define O(attributes); model() O(1) average; checkIntegrity
// O(rows × (indices + foreign keys)); memoryUsage O(models × attributes).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "relstore/attribute.h"
#include "relstore/model.h"
#include "relstore/transaction.h"

namespace relstore {

class Store {
 public:
  Store();
  ~Store();
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Defines model `name` with `attributes`; returns its handle. Without a
  // `primaryKey` attribute the model gets `id` (Int, auto-increment) first.
  // Throws SchemaError for an empty or duplicate model name, an empty or
  // duplicate attribute name, a non-Int or second primary key, an attribute
  // named "id" that is not the primary key when another one is, a
  // defaultValue of the wrong type, or a call inside a transaction, a hook or
  // a validator; nothing is defined then.
  Model define(std::string name, std::vector<Attribute> attributes);
  // The model named `name`; SchemaError if there is none. O(1) average.
  Model model(std::string_view name) const;
  bool hasModel(std::string_view name) const;
  // Every model, in definition order.
  std::vector<Model> models() const;

  // Runs `body()` (no arguments) in a transaction (relstore/transaction.h):
  // returns what it returns and commits; if an exception escapes it, every
  // change made inside (rows, indices, id counters, hook writes) is undone
  // and the exception is rethrown as is. Inside another transaction it is a
  // savepoint. Cost: the body's, plus recording what each change replaces.
  template <class F>
  decltype(auto) transaction(F&& body) {
    using Result = std::invoke_result_t<F&&>;
    Transaction tx = begin();
    if constexpr (std::is_void_v<Result>) {
      std::forward<F>(body)();
      tx.commit();
    } else {
      Result result = std::forward<F>(body)();
      tx.commit();
      if constexpr (std::is_rvalue_reference_v<Result>) {
        return static_cast<Result>(result);
      } else {
        return result;
      }
    }
  }
  // Opens a transaction (a savepoint inside another); see relstore/transaction.h.
  // The returned object rolls back when destroyed unless committed. O(1).
  Transaction begin();

  // A Graphviz (dot) diagram: every model with its attributes, one edge per
  // association labelled with its type, alias and onDelete action.
  std::string toDot() const;

  // Recomputes every index from the columns and compares, and checks that
  // every constrained, non-null foreign key names a live parent; throws
  // IntegrityError naming the model, index or key, and row on the first
  // difference. O(rows × (indices + foreign keys)).
  void checkIntegrity() const;
  // Bytes held by tables and indices (capacity, not just size), an estimate
  // of the heap the data occupies. O(models × attributes).
  std::size_t memoryUsage() const;

  // Internal.
  detail::StoreImpl& impl() const noexcept { return *impl_; }

 private:
  std::unique_ptr<detail::StoreImpl> impl_;
};

}  // namespace relstore
