// What an association is inside the store: its definition, and the foreign
// key it rides on.
//
// A ForeignKey belongs to a column (child model, attribute): both sides of a
// pair (User.hasMany(Post) and Post.belongsTo(User) on one key) share it, and
// with it the column's link index and its referential actions. Associations
// refer to foreign keys by index.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "relstore/association.h"
#include "relstore/value.h"

namespace relstore::detail {

struct ScopeState;

struct ForeignKey {
  std::uint32_t child;      // model holding the key column
  std::uint32_t column;     // its attribute index
  std::uint32_t parent;     // model referenced
  std::uint32_t parentKey;  // attribute referenced (pk or unique)
  Action onDelete = Action::SetNull;
  Action onUpdate = Action::Cascade;
  bool onDeleteExplicit = false;
  bool onUpdateExplicit = false;
  bool constraints = true;  // existence check and default actions
  bool hooks = false;       // cascaded destroys run destroy hooks
  bool junction = false;    // a key of a belongsToMany junction
  // Child attribute values a row must carry for this key's actions to reach
  // it (the association scope of the polymorphic hasMany/hasOne over it; see
  // define.cpp's rescope; empty: every row): others are
  // left alone. Applies only with constraints off; with constraints every
  // row holding the key follows its parent.
  std::vector<std::pair<std::uint32_t, Value>> scope;
  // The scope of the hasOne/hasMany associations that asked for an action
  // (onDelete/onUpdate), once one has: later associations that ask for none
  // leave `scope` alone. Kept in memory only: a snapshot load sets it from
  // `scope` when the key has explicit actions.
  std::optional<std::vector<std::pair<std::uint32_t, Value>>> askedScope;

  // The action that runs when the parent goes (or its key changes); nullopt:
  // none (constraints off and no explicit action).
  std::optional<Action> deleteAction() const {
    if (!constraints && !onDeleteExplicit) return std::nullopt;
    return onDelete;
  }
  std::optional<Action> updateAction() const {
    if (!constraints && !onUpdateExplicit) return std::nullopt;
    return onUpdate;
  }
};

// hasOne and belongsTo: at most one target per source.
inline bool isToOne(AssociationType t) { return t == AssociationType::HasOne || t == AssociationType::BelongsTo; }

struct AssociationDef {
  AssociationType type;
  std::uint32_t source;
  std::uint32_t target;
  std::string as;
  // Whether `as` was given (even if equal to the default alias): an include
  // by model alone names only an association defined without one.
  bool aliased = false;
  std::uint32_t foreignKey;                // index of the ForeignKey (belongsToMany: junction → source)
  std::optional<std::uint32_t> otherKey;   // belongsToMany: junction → target
  std::optional<std::uint32_t> through;    // belongsToMany: the junction model
  bool throughUnique = true;
  std::uint32_t sourceKey;                 // attribute of source the link goes through
  std::uint32_t targetKey;                 // attribute of target the link goes through
  bool hooks = false;
  std::vector<std::pair<std::uint32_t, Value>> scope;  // target attribute → fixed value
  // Names as exposed by the accessors (kept in sync when a pair renames a key).
  std::string foreignKeyName;
  std::string otherKeyName;
  bool foreignKeyExplicit = false;
  bool otherKeyExplicit = false;
  // The scopes of the target handle the association was defined with (null:
  // the target's default scope applies to reads).
  std::shared_ptr<const ScopeState> targetScopes;
};

// "hasOne", "belongsTo", "hasMany" or "belongsToMany", for messages and diagrams.
const char* associationTypeName(AssociationType type) noexcept;

// Simple English plural and singular, as sequelize-associations.md says.
std::string pluralize(const std::string& word);
std::string singularize(const std::string& word);
std::string upperFirst(std::string word);
// The alias an association of `type` to model `targetName` takes when `as`
// is not given: the target's name, plural for hasMany and belongsToMany.
std::string defaultAlias(AssociationType type, const std::string& targetName);

}  // namespace relstore::detail
