// relstore/association.h — associations between models, and their methods.
//
// What it is: an association says how rows of two models relate, in
// Sequelize's four kinds: `hasOne` and `belongsTo` (one-to-one), `hasMany`
// (one-to-many, the foreign key on the target), `belongsToMany`
// (many-to-many through a junction model). Defining one adds the
// foreign-key column if the model lacks it, an index from parent key to
// referencing rows (shared by both sides of a pair), and the referential
// actions applied in memory when a parent is destroyed or its key changes.
//
// When to use it: define both sides, then read and write related rows
// through the association methods (Sequelize's user.getPosts() & co).
//
//   Model users = store.define("User", {{.name = "name"}});
//   Model posts = store.define("Post", {{.name = "title"}});
//   users.hasMany(posts, {.foreignKey = "authorId", .as = "articles",
//                         .onDelete = Action::Cascade, .hooks = true});
//   posts.belongsTo(users, {.foreignKey = "authorId", .as = "author"});
//   Instance john = users.create({{"name", "John"}});
//   Instance post = john.assoc("articles").create({{"title", "Hello World"}});
//   std::size_t n = john.assoc("articles").count();         // 1
//   std::span<const Id> ids = users.association("articles").ids(john.id());
//
// Names (see sequelize-associations.md): the default alias is the target's
// name (to-one) or its plural (to-many); the default foreign key is
// `<as or Target><Pk>` for belongsTo and `<Source><Pk>` for hasOne/hasMany.
//
// Invalidation: `Association` and `BoundAssociation` are handles valid for
// the store's lifetime. `ids(src)` returns a span into the index, valid until
// the next write to the store.
//
// Complexity: get/count/has of one source O(k) in the k related rows, through
// the index (never a scan); add/remove/set O(targets) plus their hooks;
// ids(src) O(1). A belongsToMany junction's pair check (add, set, create of a
// junction row) is O(min(links of the source, links of the target)): it scans
// the shorter of the two index buckets rather than keeping a pair set.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "relstore/attribute.h"
#include "relstore/find_options.h"
#include "relstore/instance.h"
#include "relstore/model_ref.h"

namespace relstore {

class Model;

enum class Action { Cascade, SetNull, SetDefault, Restrict, NoAction };

// The junction of a belongsToMany: `.through = {"UserRoles"}` (auto-defined
// if no such model exists) or `.through = {.model = userProjects, .unique = false}`.
struct Through {
  ModelRef model{};
  bool unique = true;  // false: the same pair may be linked several times
};

// Options of hasOne/belongsTo/hasMany/belongsToMany, in Sequelize's names.
// Every member has a default member initializer, so designated initializers
// may leave any out.
struct AssociationOptions {
  Through through{};                // belongsToMany only
  std::string foreignKey{};         // default: see above
  std::string otherKey{};           // belongsToMany: the target's key in the junction
  std::string as{};                 // alias; also names the association for include/assoc()
  std::string sourceKey{};          // default: source primary key
  std::string targetKey{};          // default: target primary key
  std::optional<Action> onDelete{};  // default: SetNull if the key allows null, else Cascade; junction: Cascade
  std::optional<Action> onUpdate{};  // default: Cascade
  // Cascaded destroys run each row's destroy hooks: every before-hook first,
  // parents before children (pre-order), then the removals, then after-hooks
  // children first (post-order). Rows a before-hook creates under a doomed
  // row are destroyed too; rows it moves away stay.
  bool hooks = false;
  bool constraints = true;          // false: no key check and no *default* referential action
  Record scope{};                   // association scope: fixed attribute values on the target
};

enum class AssociationType { HasOne, BelongsTo, HasMany, BelongsToMany };

namespace detail {
class StoreImpl;
}

// The association methods, with the source row passed in. Misuse (a to-many
// method on a to-one association, an instance of the wrong model, a
// destroyed instance, a link to make through a null sourceKey or targetKey
// cell, which would link nothing) throws AssociationError naming the
// association.
// Each row a method writes is written as by create/update/destroy, with its
// hooks and checks; a method that writes several rows (to-many set, add or
// remove of several targets, hasOne set, belongsTo and belongsToMany create)
// is all or nothing: when one of its writes throws — a check, a before- or
// after-hook — the rows written before it are restored and the error goes on.
// Reads and writes go by the rows as stored: a key staged on the source
// with Instance::set() and not saved does not count (save it first).
class Association {
 public:
  AssociationType type() const;
  Model source() const;
  Model target() const;
  const std::string& as() const;
  const std::string& foreignKey() const;
  const std::string& otherKey() const;   // empty unless belongsToMany
  std::optional<Model> through() const;  // the junction model of a belongsToMany

  // The associated targets (to-one: zero or one), filtered by the
  // association scope, the target's scope (the scoped handle the association
  // was defined with, else the target's default scope) and `options` (where,
  // order, limit, offset, attributes, include). A hasOne whose key several
  // rows hold reads the one with the smallest id among those the filters
  // keep (first by `options.order` when given), as Sequelize's findOne.
  // Without options (the first overload, so that a call builds and destroys
  // no FindOptions), a hasMany or belongsToMany without scopes reads its
  // targets straight from the link index: O(targets), one allocation.
  std::vector<Instance> get(const Instance& src) const;
  std::vector<Instance> get(const Instance& src, const FindOptions& options) const;
  // The first associated target, or none.
  std::optional<Instance> getOne(const Instance& src) const;
  // How many targets get() would return, ignoring limit and offset.
  std::size_t count(const Instance& src, const FindOptions& options = {}) const;
  // Whether `target` is associated; the list form: all of them (empty → true).
  // The association scope applies; the target's scope does not (default
  // scope or scoped handle, as Sequelize's has ignores it). A hasOne whose
  // key several rows hold has the one with the smallest id. A destroyed
  // target is associated to nothing (false); a target of another model is
  // an AssociationError.
  bool has(const Instance& src, const Instance& target) const;
  bool has(const Instance& src, const std::vector<Instance>& targets) const;
  // Creates a target with the key (and scope values) filled in and links it;
  // for belongsTo creates the parent and points the source at it. Returns it.
  Instance create(const Instance& src, const Record& values, const Record& through = {});
  // To-one: link `target` (nullopt: unlink).
  void set(const Instance& src, std::optional<Instance> target);
  // To-many: afterwards exactly `targets` are associated.
  void set(const Instance& src, const std::vector<Instance>& targets, const Record& through = {});
  // To-many: link one or several targets; an existing pair is never duplicated
  // (unless the junction is not unique) and gets `through` written.
  void add(const Instance& src, const Instance& target, const Record& through = {});
  void add(const Instance& src, const std::vector<Instance>& targets, const Record& through = {});
  // To-many: unlink; returns the links removed (0 for targets not linked).
  std::size_t remove(const Instance& src, const Instance& target);
  std::size_t remove(const Instance& src, const std::vector<Instance>& targets);
  // The ids of the associated targets, in link order: the order the links
  // were made in, except that removing one moves the last into its place (a
  // rollback restores the order exactly; a snapshot load links rows in their
  // table order). The links as the index holds them, so, like has(), the
  // target's scope does not filter them. Zero-copy: valid until the next
  // write to the store. O(1); a hasOne whose key several rows hold gives the
  // smallest id in O(those rows). AssociationError (use get()) for an
  // association with a `scope`, a belongsToMany whose targetKey is not the
  // target's primary key, and a belongsToMany with `constraints: false`
  // (its junction may hold keys of destroyed targets, or null ones).
  std::span<const Id> ids(Id src) const;

  // Internal: made by Model.
  Association(detail::StoreImpl* store, std::uint32_t index) noexcept : store_(store), index_(index) {}
  std::uint32_t index() const noexcept { return index_; }

 private:
  detail::StoreImpl* store_;
  std::uint32_t index_;
};

// The same methods with the source row bound: `user.assoc("articles").count()`.
class BoundAssociation {
 public:
  BoundAssociation(Association association, Instance source)
      : association_(association), source_(std::move(source)) {}
  const Association& association() const noexcept { return association_; }
  // The association's accessors (see Association).
  AssociationType type() const { return association_.type(); }
  Model source() const;
  Model target() const;
  const std::string& as() const { return association_.as(); }
  const std::string& foreignKey() const { return association_.foreignKey(); }
  const std::string& otherKey() const { return association_.otherKey(); }
  std::optional<Model> through() const;

  std::vector<Instance> get() const { return association_.get(source_); }
  std::vector<Instance> get(const FindOptions& options) const { return association_.get(source_, options); }
  std::optional<Instance> getOne() const { return association_.getOne(source_); }
  std::size_t count(const FindOptions& options = {}) const { return association_.count(source_, options); }
  bool has(const Instance& target) const { return association_.has(source_, target); }
  bool has(const std::vector<Instance>& targets) const { return association_.has(source_, targets); }
  Instance create(const Record& values, const Record& through = {}) { return association_.create(source_, values, through); }
  void set(std::optional<Instance> target) { association_.set(source_, std::move(target)); }
  void set(const std::vector<Instance>& targets, const Record& through = {}) { association_.set(source_, targets, through); }
  void add(const Instance& target, const Record& through = {}) { association_.add(source_, target, through); }
  void add(const std::vector<Instance>& targets, const Record& through = {}) { association_.add(source_, targets, through); }
  std::size_t remove(const Instance& target) { return association_.remove(source_, target); }
  std::size_t remove(const std::vector<Instance>& targets) { return association_.remove(source_, targets); }
  std::span<const Id> ids() const { return association_.ids(source_.id()); }

 private:
  Association association_;
  Instance source_;
};

}  // namespace relstore
