// relstore/model.h — a model (a table) and the operations on its rows.
//
// What it is: a `Model` is a cheap handle (a pointer and an index) to one
// table of the store, obtained from `Store::define` or `Store::model`. Copy it
// freely; all copies name the same table.
//
// When to use it: to create, find, update and destroy rows, and to register
// hooks.
//
//   Model players = store.define("Player", {{.name = "name", .unique = true},
//                                           {.name = "level", .type = Type::Int}});
//   Instance ann = players.create({{"name", "Ann"}, {"level", 3}});
//   auto strong = players.findAll({.where = col("level") > 2, .order = {{"level", Direction::Desc}}});
//   std::size_t n = players.update({{"level", 4}}, {{"name", "Ann"}});   // rows matched
//   players.destroy(col("level") < 2);
//
// Complexity (n rows in the table, k rows matched): create O(attributes);
// findByPk O(1); find with `==`/`in` on the primary key or an indexed
// attribute O(k), otherwise O(n) scan; `order` adds O(k log k) (O(k log limit)
// with a limit); update/destroy O(k) plus the find. A scan is O(n + free
// slots): a destroyed row leaves its slot free for the next create, and a
// table left mostly free (at least 1024 slots and half of all) is compacted
// after the destroy, or at the outermost commit of a transaction around it —
// O(n) then, amortized O(1) per destroyed row.
//
// Invalidation: handles live as long as the store. Instances returned are live
// handles (see instance.h).
#pragma once

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "relstore/association.h"
#include "relstore/attribute.h"
#include "relstore/find_options.h"
#include "relstore/hooks.h"
#include "relstore/instance.h"

namespace relstore {

class Model {
 public:
  // A handle where a Through is expected names the junction model, as
  // Sequelize's `through: UserProject`: `{.through = userProject}` is
  // `{.through = {.model = userProject}}`. Never throws.
  operator Through() const { return Through{.model = *this}; }

  // The model's name. Never throws.
  const std::string& name() const;
  // Every attribute in definition order, the primary key included.
  const std::vector<Attribute>& attributes() const;

  // Creates one row. Attributes not named get their defaultValue (or null).
  // Returns a handle to it. Throws SchemaError (unknown attribute),
  // ValidationError (type, null, validate), UniqueConstraintError, or what a
  // before-hook throws — with nothing written and no id consumed. O(attributes).
  Instance create(const Record& values);
  // Creates every row or none: if any row fails, none of them is kept and the
  // error of the first failing row propagates (its message names the row's
  // position). Hooks run per row. Returns the handles in input order.
  std::vector<Instance> bulkCreate(const std::vector<Record>& rows);

  // The row with primary key `id`, or none. `options.where` further filters;
  // order, limit and offset do not apply. O(1) (plus the where).
  std::optional<Instance> findByPk(Id id, const FindOptions& options = {}) const;
  // The first row matching (in `order` when given), or none.
  std::optional<Instance> findOne(const FindOptions& options = {}) const;
  // Every row matching, ordered, offset then limited.
  std::vector<Instance> findAll(const FindOptions& options = {}) const;
  // How many rows match `options.where` (limit, offset and order ignored).
  std::size_t count(const FindOptions& options = {}) const;
  struct CountedRows {
    std::size_t count;
    std::vector<Instance> rows;
  };
  // The rows of findAll and the count of count(): count ignores limit/offset.
  CountedRows findAndCountAll(const FindOptions& options = {}) const;

  // Writes `values` into every row matching `where`, running each row's
  // Validate/Update/Save hooks; all rows or none. Returns the rows matched.
  // Values are checked (type, null, validate, unique, keys) for the rows
  // they are written to: when no row matches, nothing is checked, as in SQL;
  // unknown attribute names are a SchemaError regardless. Throws like
  // Instance::save, plus ForeignKeyConstraintError from onUpdate actions.
  std::size_t update(const Record& values, const Where& where);
  // Destroys every row matching `where`; returns how many. Destroy hooks run
  // only with `options.individualHooks` (all before-hooks first; if one throws
  // nothing is destroyed).
  std::size_t destroy(const Where& where, const DestroyOptions& options = {});

  // Associations (see association.h). Each defines the association on this
  // model (the source), adding the foreign-key column (and for belongsToMany
  // an auto-defined junction model) when missing, and returns it. Throws
  // SchemaError for bad options (alias clash, unknown sourceKey/targetKey,
  // options that do not apply, conflicting explicit actions between the two
  // sides of a pair, rows already there that a constrained key or a unique
  // junction would not accept, a call inside a transaction, a hook or a
  // validator); a failed definition changes nothing.
  Association hasOne(const Model& target, const AssociationOptions& options = {});
  Association belongsTo(const Model& target, const AssociationOptions& options = {});
  Association hasMany(const Model& target, const AssociationOptions& options = {});
  Association belongsToMany(const Model& target, const AssociationOptions& options = {});
  // The association with alias `as`; AssociationError if there is none.
  Association association(std::string_view as) const;
  // Every association of this model as source, in definition order.
  std::vector<Association> associations() const;

  // Scopes: named, reusable query options (see scopes in
  // sequelize-associations.md). addScope throws SchemaError for a name in use;
  // addScope("defaultScope", options) sets the default scope while none is
  // set (as Sequelize's), and a function one throws. Arguments given to a
  // scope that is not a function scope: SchemaError.
  // The default scope applies to every read of a handle that has no scope
  // of its own, and to association reads and includes of this model as
  // target. scope(...) returns a handle carrying exactly the named scopes,
  // merged left to right (the default scope only if named "defaultScope");
  // unknown names: SchemaError "Invalid scope <name> called.". unscoped()
  // carries none. A handle's scopes apply to findAll/findOne/findByPk/count/
  // findAndCountAll (the call's own options merged last) and their where to
  // update/destroy. An include of this model takes the whole scope (of the
  // include's model handle, else the default): its includes merged with the
  // include's own, attributes united, its order and limit (per parent) unless
  // the include sets them, its offset (per parent: an include has none of its
  // own), and its where as a filter that does not make the include required. Scopes whose includes reach each other without end
  // make such reads throw EagerLoadingError naming the loop.
  // O(options) per call; definitions never change by use.
  void addScope(std::string name, FindOptions options);
  void addScope(std::string name, std::function<FindOptions(const std::vector<Value>&)> scope);
  void setDefaultScope(FindOptions options);
  Model scope(std::string_view name, std::vector<Value> args = {}) const;
  Model scope(std::initializer_list<ScopeCall> scopes) const;
  Model scope(const std::vector<ScopeCall>& scopes) const;
  Model unscoped() const;

  // Registers `fn` for `hook`; hooks of one event run in registration order.
  // Returns an id for removeHook. O(1).
  HookId addHook(Hook hook, std::function<void(Instance&)> fn);
  // Unregisters a hook; an id that is not registered on this model: SchemaError.
  void removeHook(HookId id);

  friend bool operator==(const Model& a, const Model& b) noexcept {
    return a.store_ == b.store_ && a.index_ == b.index_;
  }

  // Internal: made by the store.
  Model(detail::StoreImpl* store, std::uint32_t index, std::shared_ptr<const detail::ScopeState> scopes = nullptr) noexcept
      : store_(store), index_(index), scopes_(std::move(scopes)) {}
  detail::StoreImpl* storeImpl() const noexcept { return store_; }
  std::uint32_t index() const noexcept { return index_; }
  const std::shared_ptr<const detail::ScopeState>& scopes() const noexcept { return scopes_; }

 private:
  // The options this handle's scope calls add to every read (see scopes.h).
  FindOptions scoped(const FindOptions& options) const;

  detail::StoreImpl* store_;
  std::uint32_t index_;
  std::shared_ptr<const detail::ScopeState> scopes_;  // null: the default scope applies
};

}  // namespace relstore
