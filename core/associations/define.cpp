// Defining associations: options checked, names inferred, foreign-key
// columns and junction models created, pairs joined. Every check runs before
// the first change, so a failed definition changes nothing.
#include <algorithm>
#include <optional>

#include "associations/define.h"
#include "associations/references.h"
#include "store_impl.h"
#include "write/validation.h"

namespace relstore::detail {

namespace {

[[noreturn]] void fail(const ModelImpl& source, AssociationType t, const ModelImpl& target, const std::string& what) {
  throw SchemaError(source.name() + "." + associationTypeName(t) + "(" + target.name() + "): " + what);
}

// sourceKey / targetKey: the pk by default, else a unique attribute.
std::uint32_t resolveKey(const ModelImpl& m, const std::string& name, const char* option) {
  if (name.empty()) return m.pk();
  // Sequelize's one message for both: a key that is not unique is, for it,
  // no usable attribute.
  const int a = m.findAttribute(name);
  if (a < 0 || !(m.attribute(static_cast<std::uint32_t>(a)).primaryKey || m.attribute(static_cast<std::uint32_t>(a)).unique)) {
    throw SchemaError("Unknown attribute \"" + name + "\" passed as " + option + ", define this attribute on model \"" +
                      m.name() + "\" first" + (a < 0 ? "" : " (it exists but is not unique)"));
  }
  return static_cast<std::uint32_t>(a);
}

// A key column to find or add on `holder`, typed like the key it references.
struct KeyColumn {
  std::string name;
  int existing = -1;   // attribute index if the holder has it
  Type type;
  bool allowNull = true;
};

KeyColumn planKeyColumn(const ModelImpl& holder, std::string name, Type type, bool allowNull,
                        const std::string& context) {
  KeyColumn k{std::move(name), -1, type, allowNull};
  k.existing = holder.findAttribute(k.name);
  if (k.existing >= 0 && holder.attribute(static_cast<std::uint32_t>(k.existing)).type != type) {
    throw SchemaError(context + ": foreign key " + holder.qualified(static_cast<std::uint32_t>(k.existing)) + " is " +
                      std::string(relstore::typeName(holder.attribute(static_cast<std::uint32_t>(k.existing)).type)) +
                      " but references a " + std::string(relstore::typeName(type)) + " key");
  }
  return k;
}

std::uint32_t materialize(ModelImpl& holder, const KeyColumn& k) {
  if (k.existing >= 0) return static_cast<std::uint32_t>(k.existing);
  return holder.addAttribute(Attribute{.name = k.name, .type = k.type, .allowNull = k.allowNull});
}

// The actions a new side asks for, merged into an existing foreign key.
void checkPairActions(const ForeignKey& fk, const AssociationOptions& o, const std::string& context) {
  if (o.onDelete && fk.onDeleteExplicit && *o.onDelete != fk.onDelete) {
    throw SchemaError(context + ": onDelete conflicts with the other side of the pair");
  }
  if (o.onUpdate && fk.onUpdateExplicit && *o.onUpdate != fk.onUpdate) {
    throw SchemaError(context + ": onUpdate conflicts with the other side of the pair");
  }
}

// `parentSide`: the association is defined on the referenced model (hasOne,
// hasMany, belongsToMany); only such a side's `hooks` decides whether the
// parent's cascades run the children's destroy hooks (a belongsTo's has no
// say, as in Sequelize).
void mergeActions(ForeignKey& fk, const AssociationOptions& o, bool parentSide = true) {
  if (o.onDelete) {
    fk.onDelete = *o.onDelete;
    fk.onDeleteExplicit = true;
  }
  if (o.onUpdate) {
    fk.onUpdate = *o.onUpdate;
    fk.onUpdateExplicit = true;
  }
  if (!o.constraints) fk.constraints = false;
  if (parentSide) fk.hooks = fk.hooks || o.hooks;
}

using Scope = std::vector<std::pair<std::uint32_t, Value>>;

// The scope a key's actions keep to without constraints (rows outside it are
// left alone, as the rows of other models behind a polymorphic key must be).
// The hasOne/hasMany associations over the key decide; a belongsTo owns no
// rows and has no say. Once one of them asked for an action, the scope is
// that of the askers (askers with different scopes are refused before this,
// see askedScopeConflict; a belongsToMany's junction key, not checked there,
// then reaches every row); until then, the scope all of them share (none
// when they differ).
// `scope`: the new association's, null for a belongsTo; `asks`: whether it
// gave onDelete or onUpdate.
void rescope(StoreImpl& store, std::uint32_t fkId, const Scope* scope, bool asks) {
  if (!scope) return;
  ForeignKey& fk = store.foreignKey(fkId);
  if (asks) {
    if (!fk.askedScope || *fk.askedScope == *scope) {
      fk.askedScope = *scope;
    } else {
      fk.askedScope = Scope{};
    }
    fk.scope = *fk.askedScope;
    return;
  }
  if (fk.askedScope) return;
  Scope common = *scope;
  for (std::uint32_t id = 0; id < store.associationCount() && !common.empty(); ++id) {
    const AssociationDef& d = store.association(id);
    if ((d.foreignKey != fkId && d.otherKey != fkId) || d.type == AssociationType::BelongsTo) continue;
    if (d.type == AssociationType::BelongsToMany || d.scope != common) common.clear();
  }
  fk.scope = std::move(common);
}

// Why an association asking for an action with association scope `scope`
// cannot join key (holder, column) → parent: another asked with a different
// scope. One key keeps one scope for onDelete and onUpdate alike, and
// widening it to every row would let one association's action reach rows
// the other's scope keeps out.
std::optional<std::string> askedScopeConflict(const StoreImpl& store, std::uint32_t holder, int column,
                                              std::uint32_t parent, const Scope& scope, bool asks, bool constraints) {
  if (!asks || column < 0) return std::nullopt;
  const auto fkId = store.findForeignKey(holder, static_cast<std::uint32_t>(column), parent);
  if (!fkId) return std::nullopt;
  const ForeignKey& fk = store.foreignKey(*fkId);
  // With constraints the scope narrows nothing: every row follows its parent.
  if (fk.constraints && constraints) return std::nullopt;
  if (!fk.askedScope || *fk.askedScope == scope) return std::nullopt;
  return "another association over " + store.model(holder).qualified(fk.column) +
         " asked for onDelete/onUpdate with a different scope; one key keeps its actions to one scope";
}

// Finds or creates the foreign key on (holder, column) → (parent, parentKey).
// `parentSide`: see mergeActions; `scope`: the association scope of a side
// that owns rows through the key (a belongsTo owns none: null).
std::uint32_t attachForeignKey(StoreImpl& store, std::uint32_t holder, std::uint32_t column, std::uint32_t parent,
                               std::uint32_t parentKey, const AssociationOptions& o, bool junction, bool parentSide,
                               const std::vector<std::pair<std::uint32_t, Value>>* scope) {
  ModelImpl& h = store.model(holder);
  if (auto existing = store.findForeignKey(holder, column, parent)) {
    ForeignKey& fk = store.foreignKey(*existing);
    if (junction && !fk.junction) {
      // A junction's key first made by a hasMany (Sequelize's "super
      // many-to-many"): junction links cascade unless an action was given.
      fk.junction = true;
      if (!fk.onDeleteExplicit) fk.onDelete = Action::Cascade;
    }
    mergeActions(fk, o, parentSide);
    rescope(store, *existing, scope, o.onDelete || o.onUpdate);
    return *existing;
  }
  ForeignKey fk{.child = holder, .column = column, .parent = parent, .parentKey = parentKey};
  if (scope) {
    fk.scope = *scope;
    if (o.onDelete || o.onUpdate) fk.askedScope = *scope;
  }
  const bool nullable = h.attribute(column).allowNull;
  fk.onDelete = junction || !nullable ? Action::Cascade : Action::SetNull;
  fk.junction = junction;
  mergeActions(fk, o, parentSide);
  const std::uint32_t id = store.addForeignKey(fk);
  return id;
}

// Checks an existing foreign key on the same column agrees with a new side.
void checkExistingKey(const StoreImpl& store, std::uint32_t holder, int column, std::uint32_t parent,
                      std::uint32_t parentKey, const AssociationOptions& o, const std::string& context) {
  if (column < 0) return;
  const auto c = static_cast<std::uint32_t>(column);
  for (std::uint32_t id : store.model(holder).childKeys()) {
    const ForeignKey& fk = store.foreignKey(id);
    if (fk.column != c) continue;
    if (fk.parent == parent) {
      if (fk.parentKey != parentKey) {
        throw SchemaError(context + ": " + store.model(holder).qualified(c) + " already references " +
                          store.model(fk.parent).qualified(fk.parentKey));
      }
      checkPairActions(fk, o, context);
    } else if (fk.constraints || o.constraints) {
      // One column pointing at several models (polymorphic) cannot be checked
      // against any one of them.
      throw SchemaError(context + ": " + store.model(holder).qualified(c) + " already references " +
                        store.model(fk.parent).name() + "; a key shared by several models needs constraints: false " +
                        "on each association");
    }
  }
}

// Why rows already in `column` of `holder` cannot take a new constrained key
// to (parent, parentKey): the first that names no parent row; none when
// they can. A key already constrained on the column kept its rows right
// since it came; one without constraints keeps the column unconstrained
// (mergeActions). Without this, the store would hold a dangling key that
// its own snapshot could not load.
std::optional<std::string> danglingRows(const StoreImpl& store, const ModelImpl& holder, int column,
                                        const ModelImpl& parent, std::uint32_t parentKey, bool constraints) {
  if (column < 0 || !constraints || holder.table().rowCount() == 0) return std::nullopt;
  const auto c = static_cast<std::uint32_t>(column);
  if (store.findForeignKey(holder.index(), c, parent.index())) return std::nullopt;
  const ForeignKey probe{.child = holder.index(), .column = c, .parent = parent.index(), .parentKey = parentKey};
  const auto row = firstDanglingRow(probe, parent.pk(), holder.table(), parent.table());
  if (!row) return std::nullopt;
  const Value v = holder.table().column(c).get(*row);
  return holder.qualified(c) + " = " + shownKey(v) +
         " (row id " + std::to_string(holder.table().idAt(*row)) + ") references no " + parent.qualified(parentKey) +
         "; with constraints every row already there must reference one (or give constraints: false)";
}

// Why the rows already in a junction cannot take a pair constraint on
// (first, second): the first pair two live rows share; none when they can.
std::optional<std::string> repeatedPairs(const ModelImpl& junction, std::uint32_t first, std::uint32_t second) {
  const Table& t = junction.table();
  std::vector<std::pair<std::pair<Value, Value>, Id>> pairs;  // ((first, second), row id)
  for (std::uint32_t r = 0; r < t.slotCount(); ++r) {
    if (!t.isLive(r) || t.column(first).isNull(r) || t.column(second).isNull(r)) continue;
    pairs.push_back({{t.column(first).get(r), t.column(second).get(r)}, t.idAt(r)});
  }
  std::sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) {
    if (auto c = a.first.first <=> b.first.first; c != 0) return c < 0;
    if (auto c = a.first.second <=> b.first.second; c != 0) return c < 0;
    return a.second < b.second;
  });
  for (std::size_t i = 1; i < pairs.size(); ++i) {
    if (pairs[i].first == pairs[i - 1].first) {
      return junction.name() + " rows " + std::to_string(pairs[i - 1].second) + " and " +
             std::to_string(pairs[i].second) + " hold the same pair (" + junction.attribute(first).name + " " +
             pairs[i].first.first.toString() + ", " + junction.attribute(second).name + " " +
             pairs[i].first.second.toString() + "); a unique junction needs each pair once (or give unique: false)";
    }
  }
  return std::nullopt;
}

// Fails when a key column about to be added to `holder` as `name` would take
// the name of one of `holder`'s aliases (Sequelize's naming collision).
// `ownAlias`: the alias being defined, when it is `holder`'s too.
void checkKeyNameFree(const StoreImpl& store, const ModelImpl& source, AssociationType type, const ModelImpl& target,
                      const ModelImpl& holder, const std::string& name, const std::string* ownAlias) {
  bool taken = ownAlias && *ownAlias == name;
  for (std::uint32_t id : holder.associationIds()) taken = taken || store.association(id).as == name;
  if (!taken) return;
  fail(source, type, target, "Naming collision between attribute '" + name + "' and association '" + name +
                                 "' on model " + holder.name() +
                                 ". To remedy this, change either foreignKey or as in your association definition");
}

std::uint32_t junctionOf(StoreImpl& store, const ModelRef& ref, const std::string& context, bool& create,
                         std::string& name) {
  create = false;
  if (ref.storeImpl() != nullptr) {
    if (ref.storeImpl() != &store) throw SchemaError(context + ": the through model belongs to another store");
    return ref.modelIndex();
  }
  name = ref.name();
  if (ModelImpl* m = store.find(name)) return m->index();
  create = true;
  return 0;
}

}  // namespace

std::uint32_t defineAssociation(StoreImpl& store, AssociationType type, std::uint32_t sourceIndex,
                                const ModelRef& targetRef, const AssociationOptions& o) {
  if (targetRef.storeImpl() != &store) throw SchemaError("An association's target must be a model of the same store");
  ModelImpl& source = store.model(sourceIndex);
  store.requireNoSchemaChange(std::string(associationTypeName(type)) + " on " + source.name());
  ModelImpl& target = store.model(targetRef.modelIndex());
  const std::uint32_t targetIndex = target.index();
  const std::string context = source.name() + "." + associationTypeName(type) + "(" + target.name() + ")";
  const bool btm = type == AssociationType::BelongsToMany;

  // Options that do not apply to this type.
  if (!btm && !o.through.model.empty()) fail(source, type, target, "'through' applies to belongsToMany only");
  if (!btm && !o.otherKey.empty()) fail(source, type, target, "'otherKey' applies to belongsToMany only");
  if (type == AssociationType::BelongsTo && !o.sourceKey.empty()) {
    fail(source, type, target, "'sourceKey' does not apply to belongsTo (use targetKey)");
  }
  if ((type == AssociationType::HasOne || type == AssociationType::HasMany) && !o.targetKey.empty()) {
    fail(source, type, target, "'targetKey' does not apply to " + std::string(associationTypeName(type)) + " (use sourceKey)");
  }
  if (btm && o.through.model.empty()) fail(source, type, target, "belongsToMany needs 'through'");
  if (btm && sourceIndex == targetIndex && o.as.empty()) {
    fail(source, type, target, "a self-association belongsToMany needs 'as'");
  }

  // Alias.
  const std::string as = !o.as.empty() ? o.as : defaultAlias(type, target.name());
  if (source.findAttribute(as) >= 0) {
    fail(source, type, target, "Naming collision between attribute '" + as + "' and association '" + as + "' on model " +
                                   source.name() + ". To remedy this, change the \"as\" option in your association definition");
  }
  for (std::uint32_t id : source.associationIds()) {
    if (store.association(id).as == as) {
      fail(source, type, target, "alias \"" + as + "\" is already used by another association of " + source.name());
    }
  }

  const std::uint32_t sourceKey = resolveKey(source, o.sourceKey, "sourceKey");
  const std::uint32_t targetKey = resolveKey(target, o.targetKey, "targetKey");

  // Association scope: fixed values on the target.
  std::vector<std::pair<std::uint32_t, Value>> scope;
  for (const Field& f : o.scope) {
    const int a = target.findAttribute(f.name);
    if (a < 0) fail(source, type, target, "scope names unknown attribute " + target.name() + "." + f.name);
    try {
      scope.emplace_back(static_cast<std::uint32_t>(a), checkValue(target, static_cast<std::uint32_t>(a), f.value));
    } catch (const ValidationError& e) {
      fail(source, type, target, std::string("bad scope value: ") + e.what());
    }
  }

  // In attribute order: two scopes naming the same values in another order are one scope.
  std::stable_sort(scope.begin(), scope.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  AssociationDef def{.type = type, .source = sourceIndex, .target = targetIndex, .as = as, .aliased = !o.as.empty()};
  def.hooks = o.hooks;
  def.scope = std::move(scope);
  def.targetScopes = targetRef.scopes();
  def.sourceKey = sourceKey;
  def.targetKey = targetKey;

  if (!btm) {
    // hasOne / hasMany: the key on the target references source.sourceKey;
    // belongsTo: the key on the source references target.targetKey.
    const bool onSource = type == AssociationType::BelongsTo;
    ModelImpl& holder = onSource ? source : target;
    ModelImpl& parent = onSource ? target : source;
    const std::uint32_t parentKey = onSource ? targetKey : sourceKey;
    const std::string pkName = upperFirst(parent.attribute(parent.pk()).name);
    const std::string fkName = !o.foreignKey.empty() ? o.foreignKey
                               : onSource            ? (o.as.empty() ? target.name() : o.as) + pkName
                                                     : source.name() + pkName;
    const KeyColumn key = planKeyColumn(holder, fkName, parent.attribute(parentKey).type, true, context);
    checkExistingKey(store, holder.index(), key.existing, parent.index(), parentKey, o, context);
    if (key.existing >= 0 && static_cast<std::uint32_t>(key.existing) == holder.pk()) {
      fail(source, type, target, "the foreign key cannot be the primary key of " + holder.name());
    }
    if (key.existing < 0) {  // a new attribute of the holder (belongsTo, self-association: the source)
      checkKeyNameFree(store, source, type, target, holder, fkName, &holder == &source ? &as : nullptr);
    }
    if (auto why = danglingRows(store, holder, key.existing, parent, parentKey, o.constraints)) {
      fail(source, type, target, *why);
    }
    if (!onSource) {
      if (auto why = askedScopeConflict(store, holder.index(), key.existing, parent.index(), def.scope,
                                        o.onDelete || o.onUpdate, o.constraints)) {
        fail(source, type, target, *why);
      }
    }
    // --- no more checks below: apply.
    const std::uint32_t column = materialize(holder, key);
    def.foreignKeyExplicit = !o.foreignKey.empty();
    // The key's scope (polymorphic associations) limits which children its actions reach.
    def.foreignKey = attachForeignKey(store, holder.index(), column, parent.index(), parentKey, o, false,
                                      /*parentSide=*/!onSource, onSource ? nullptr : &def.scope);
    def.foreignKeyName = holder.attribute(column).name;
    holder.table().addLinkIndex(column, holder.pk());
    return store.addAssociation(std::move(def));
  }

  // belongsToMany: a junction with a key to each side.
  bool createJunction = false;
  std::string junctionName;
  std::uint32_t junction = junctionOf(store, o.through.model, context, createJunction, junctionName);
  const std::string sourcePk = upperFirst(source.attribute(source.pk()).name);
  const std::string targetPk = upperFirst(target.attribute(target.pk()).name);
  std::string fkName = o.foreignKey.empty() ? source.name() + sourcePk : o.foreignKey;
  std::string otherName = o.otherKey.empty()
                              ? (sourceIndex == targetIndex ? singularize(as) : target.name()) + targetPk
                              : o.otherKey;
  if (fkName == otherName) fail(source, type, target, "foreignKey and otherKey are both \"" + fkName + "\"");

  // The reverse side already defined over the same junction: share its keys.
  const AssociationDef* pair = nullptr;
  std::uint32_t pairId = 0;
  if (!createJunction) {
    for (std::uint32_t id = 0; id < store.associationCount(); ++id) {
      const AssociationDef& d = store.association(id);
      if (d.type == AssociationType::BelongsToMany && d.through == junction && d.source == targetIndex &&
          d.target == sourceIndex) {
        pair = &d;
        pairId = id;
        break;
      }
    }
  }
  // Renames of the pair's inferred key columns this side asks for.
  std::optional<std::pair<std::uint32_t, std::string>> renameOther, renameFk;
  if (pair) {
    const ForeignKey& pairFk = store.foreignKey(pair->foreignKey);   // junction → target (= pair's source)
    const ForeignKey& pairOther = store.foreignKey(*pair->otherKey);  // junction → source (= pair's target)
    const ModelImpl& j = store.model(junction);
    // This side's foreignKey is the pair's otherKey, and the other way round.
    const std::string& pairOtherName = j.attribute(pairOther.column).name;
    const std::string& pairFkName = j.attribute(pairFk.column).name;
    // A key the first side only inferred gives way to the one this side
    // names (a rename of the junction column); two explicit names that differ
    // conflict.
    auto reconcile = [&](bool named, std::string& mine, const std::string& theirs, bool theirsExplicit,
                         std::uint32_t column, const char* myOption,
                         const char* theirOption) -> std::optional<std::pair<std::uint32_t, std::string>> {
      if (!named) {
        mine = theirs;
        return std::nullopt;
      }
      if (mine == theirs) return std::nullopt;
      if (theirsExplicit) {
        fail(source, type, target, std::string(myOption) + " \"" + mine + "\" conflicts with " + theirOption + " \"" +
                                       theirs + "\" of the other side");
      }
      if (j.findAttribute(mine) >= 0) {
        fail(source, type, target, "junction " + j.name() + " already has an attribute \"" + mine + "\"");
      }
      return std::make_pair(column, mine);
    };
    renameOther = reconcile(!o.foreignKey.empty(), fkName, pairOtherName, pair->otherKeyExplicit, pairOther.column,
                            "foreignKey", "otherKey");
    renameFk = reconcile(!o.otherKey.empty(), otherName, pairFkName, pair->foreignKeyExplicit, pairFk.column,
                         "otherKey", "foreignKey");
    checkPairActions(pairOther, o, context);
    // The shared junction columns already reference keys: this side's
    // sourceKey/targetKey must be those (a pair of hasMany/belongsTo gets the
    // same check from checkExistingKey).
    if (pairOther.parentKey != sourceKey) {
      fail(source, type, target, "sourceKey " + source.qualified(sourceKey) + " differs from " +
                                     source.qualified(pairOther.parentKey) + ", which junction column " +
                                     j.qualified(pairOther.column) + " of the other side references");
    }
    if (pairFk.parentKey != targetKey) {
      fail(source, type, target, "targetKey " + target.qualified(targetKey) + " differs from " +
                                     target.qualified(pairFk.parentKey) + ", which junction column " +
                                     j.qualified(pairFk.column) + " of the other side references");
    }
  }

  // Key columns on the junction (checked now, made below).
  KeyColumn fkCol{fkName, -1, source.attribute(sourceKey).type, false};
  KeyColumn otherCol{otherName, -1, target.attribute(targetKey).type, false};
  if (!createJunction && !pair) {
    const ModelImpl& j = store.model(junction);
    fkCol = planKeyColumn(j, fkName, source.attribute(sourceKey).type, false, context);
    otherCol = planKeyColumn(j, otherName, target.attribute(targetKey).type, false, context);
    if ((fkCol.existing < 0 || otherCol.existing < 0) && j.table().rowCount() > 0) {
      fail(source, type, target, "junction " + j.name() + " has rows but lacks the key columns");
    }
    checkExistingKey(store, junction, fkCol.existing, sourceIndex, sourceKey, o, context);
    // This side's actions govern its own key only: the other column's are the target side's business.
    checkExistingKey(store, junction, otherCol.existing, targetIndex, targetKey,
                     AssociationOptions{.constraints = o.constraints}, context);
    for (const KeyColumn* k : {&fkCol, &otherCol}) {
      if (k->existing >= 0 && static_cast<std::uint32_t>(k->existing) == j.pk()) {
        fail(source, type, target, "the junction key \"" + k->name + "\" cannot be the primary key of " + j.name());
      }
    }
    auto why = danglingRows(store, j, fkCol.existing, source, sourceKey, o.constraints);
    if (!why) why = danglingRows(store, j, otherCol.existing, target, targetKey, o.constraints);
    if (!why && o.through.unique && fkCol.existing >= 0 && otherCol.existing >= 0) {
      why = repeatedPairs(j, static_cast<std::uint32_t>(fkCol.existing), static_cast<std::uint32_t>(otherCol.existing));
    }
    if (why) fail(source, type, target, *why);
  }
  if (createJunction && (junctionName.empty())) fail(source, type, target, "'through' names no model");
  if (createJunction) {
    for (const std::string* k : {&fkName, &otherName}) {
      if (*k == kDefaultPrimaryKey) {
        fail(source, type, target, "the junction key \"" + *k + "\" cannot be the primary key of " + junctionName);
      }
    }
  }
  // A junction column this definition adds (or renames) may not take the
  // name of one of the junction model's aliases (Sequelize's naming collision).
  if (!createJunction) {
    const ModelImpl& j = store.model(junction);
    std::vector<std::string> added;
    if (pair) {
      if (renameOther) added.push_back(renameOther->second);
      if (renameFk) added.push_back(renameFk->second);
    } else {
      if (j.findAttribute(fkName) < 0) added.push_back(fkName);
      if (j.findAttribute(otherName) < 0) added.push_back(otherName);
    }
    for (const std::string& name : added) checkKeyNameFree(store, source, type, target, j, name, nullptr);
  }
  if (pair && store.foreignKey(pair->foreignKey).constraints != o.constraints) {
    // constraints: false lets junction rows outlive either side: both sides say so, or neither.
    fail(source, type, target,
         std::string("the other side over junction ") + store.model(junction).name() + " has constraints: " +
             (o.constraints ? "false" : "true") + "; give both sides the same constraints");
  }
  if (!createJunction) {
    // One junction has one pair constraint or none: every belongsToMany over
    // it agrees on unique (the paired side's message below says which).
    for (std::uint32_t id = 0; id < store.associationCount() && !pair; ++id) {
      const AssociationDef& d = store.association(id);
      if (d.type == AssociationType::BelongsToMany && d.through == junction && d.throughUnique != o.through.unique) {
        fail(source, type, target,
             "belongsToMany " + store.model(d.source).name() + "." + d.as + " over junction " +
                 store.model(junction).name() + " is " + (d.throughUnique ? "unique on the pair" : "unique: false") +
                 "; give both the same unique");
      }
    }
  }
  if (pair && pair->throughUnique != o.through.unique) {
    // One junction has one pair constraint or none: the sides must agree.
    fail(source, type, target,
         "the other side's junction " + store.model(junction).name() + " is " +
             (pair->throughUnique ? "unique on the pair" : "unique: false") + "; give both sides the same unique");
  }

  // --- no more checks below: apply.
  if (createJunction) {
    junction = store.define(junctionName, {}).index();
  }
  ModelImpl& j = store.model(junction);
  def.through = junction;
  def.throughUnique = o.through.unique;
  def.foreignKeyExplicit = !o.foreignKey.empty();
  def.otherKeyExplicit = !o.otherKey.empty();
  if (pair) {
    if (renameOther) j.renameAttribute(renameOther->first, renameOther->second);
    if (renameFk) j.renameAttribute(renameFk->first, renameFk->second);
    AssociationDef& p = store.association(pairId);
    if (!o.foreignKey.empty()) p.otherKeyExplicit = true;
    if (!o.otherKey.empty()) p.foreignKeyExplicit = true;
    def.foreignKey = *p.otherKey;
    def.otherKey = p.foreignKey;
    mergeActions(store.foreignKey(def.foreignKey), o);
    if (renameOther || renameFk) {
      // Every association over a renamed column names it anew (a hasMany or
      // belongsTo sharing a junction key too, not only the pair).
      for (std::uint32_t id = 0; id < store.associationCount(); ++id) {
        AssociationDef& d = store.association(id);
        const ForeignKey& fk = store.foreignKey(d.foreignKey);
        d.foreignKeyName = store.model(fk.child).attribute(fk.column).name;
        if (d.otherKey) {
          const ForeignKey& other = store.foreignKey(*d.otherKey);
          d.otherKeyName = store.model(other.child).attribute(other.column).name;
        }
      }
    }
  } else {
    if (createJunction) {
      fkCol.existing = j.findAttribute(fkCol.name);
      otherCol.existing = j.findAttribute(otherCol.name);
    }
    const std::uint32_t fkColumn = materialize(j, fkCol);
    const std::uint32_t otherColumn = materialize(j, otherCol);
    static const std::vector<std::pair<std::uint32_t, Value>> unscoped;  // junction rows: the scope filters targets
    def.foreignKey = attachForeignKey(store, junction, fkColumn, sourceIndex, sourceKey, o, true, true, &unscoped);
    // The target side's actions are its own definition's business: defaults here.
    def.otherKey = attachForeignKey(store, junction, otherColumn, targetIndex, targetKey,
                                    AssociationOptions{.constraints = o.constraints}, true, true, &unscoped);
    j.table().addLinkIndex(fkColumn, otherColumn);
    j.table().addLinkIndex(otherColumn, fkColumn);
    if (o.through.unique) j.table().addPairIndex(fkColumn, otherColumn);
  }
  def.foreignKeyName = j.attribute(store.foreignKey(def.foreignKey).column).name;
  def.otherKeyName = j.attribute(store.foreignKey(*def.otherKey).column).name;
  return store.addAssociation(std::move(def));
}

}  // namespace relstore::detail
