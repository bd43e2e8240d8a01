// relstore/transaction.h — all-or-nothing groups of writes.
//
// What it is: a transaction records every change made to the store while it
// is open — rows, every index (association indices and junction rows
// included), id counters, cascades, and whatever hooks write — and undoes
// all of it on rollback, down to the order of each association's links and
// of each indexed value's rows (what get(), ids() and an indexed findAll
// return without `order`). A transaction begun while another is open is a
// savepoint: rolling it back undoes only what happened since it began.
//
// When to use it: a trade between two players (move items, update gold, log
// the trade) must apply entirely or not at all. Prefer Store::transaction,
// which commits when its body returns and rolls back when an exception
// escapes it:
//
//   store.transaction([&] {
//     item.update({{"ownerId", buyer.id()}});
//     buyer.update({{"gold", buyerGold - price}});
//     trades.create({{"itemId", item.id()}, {"price", price}});
//   });                              // any throw above: nothing happened, and the throw goes on
//
// or the explicit form, rolled back by its destructor unless committed:
//
//   relstore::Transaction tx = store.begin();
//   ... writes ...
//   tx.commit();
//
// Every single operation (a create, a cascade, a bulkCreate) is atomic by
// itself, transaction or not; that includes the writes its own hooks make:
// when a before-hook throws, the writes of the hooks that ran before it in
// that operation are undone too. An after-hook that throws leaves its
// operation applied (as Sequelize does) unless a surrounding transaction
// rolls everything back. (Attribute validators are checks, not hooks, and
// should not write: whether what one writes survives the failure of its
// operation depends on the operation and on an open transaction.)
//
// Rules: transactions end in the reverse order they began (commit() of one
// with a savepoint still open above it throws Error; destroying or rolling
// back one rolls back the savepoints above it too). A transaction begun in
// a hook must end in that hook (otherwise the operation fails with Error);
// a hook's or validator's commit() or rollback() of a transaction open when
// it began throws Error and ends nothing. While one is open the
// schema cannot change (define, associations: SchemaError) and snapshots
// are refused (SnapshotError): a snapshot only ever holds committed state.
// Handles (Model, Instance) stay valid across rollbacks and name rows by id:
// an Instance whose row a rollback removed reads as destroyed, and one whose
// primary key it changed inside the rolled-back part keeps the new id (take
// a fresh handle with findByPk). Values an Instance staged with set() and
// not saved are not store changes: a rollback leaves them staged. Not thread-safe: like every
// write, a transaction needs the store to itself.
//
// Cost: outside transactions, nothing (one branch per table write). Inside,
// each change records what it replaces (a destroyed row keeps a copy of
// its values) until the outermost transaction ends; a rollback costs about
// what the writes did. The outermost commit compacts tables that destroys
// inside it left mostly free (see model.h).
#pragma once

#include <cstddef>
#include <cstdint>

namespace relstore {

namespace detail {
class StoreImpl;
}

class Transaction {
 public:
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  // Rolls back if neither commit() nor rollback() was called.
  ~Transaction();

  // Keeps the changes (a savepoint's go to the transaction around it).
  // Throws Error if it is not open, a savepoint above it still is, or a
  // hook that began after it calls this.
  void commit();
  // Undoes every change since it began, savepoints above it included.
  // Throws Error if it is not open or a hook that began after it calls this.
  void rollback();
  // Whether it is still open: neither committed nor rolled back, by itself
  // or by the rollback of a transaction around it.
  bool active() const noexcept;

 private:
  friend class Store;
  Transaction(detail::StoreImpl* store, std::size_t depth, std::uint64_t id) noexcept
      : store_(store), depth_(depth), id_(id) {}
  detail::StoreImpl* store_;
  std::size_t depth_;
  std::uint64_t id_;
};

}  // namespace relstore
