#include "restore.h"

#include <algorithm>
#include <memory>

#include "associations/references.h"
#include "parallel.h"
#include "relstore/errors.h"
#include "store_impl.h"

namespace relstore::detail {
namespace {

[[noreturn]] void refuse(const std::string& what) { throw SnapshotError("Snapshot refused: " + what); }

ModelData* findModel(SnapshotData& data, const std::string& name) {
  for (ModelData& m : data.models) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

int findAttribute(const ModelData& m, const std::string& name) {
  for (std::size_t a = 0; a < m.attributes.size(); ++a) {
    if (m.attributes[a].name == name) return static_cast<int>(a);
  }
  return -1;
}

Column filled(Type type, std::uint32_t rows, const Value& v) {
  Column c(type);
  c.reserve(rows);
  for (std::uint32_t r = 0; r < rows; ++r) c.push(v);
  return c;
}

Column widened(const Column& ints) {
  Column c(Type::Real);
  c.reserve(ints.size());
  for (std::uint32_t r = 0; r < ints.size(); ++r) {
    c.push(ints.isNull(r) ? Value() : Value(static_cast<double>(ints.intAt(r))));
  }
  return c;
}

// The columns of live model `model` from file model `fm`, attribute by attribute.
std::vector<Column> migrate(const ModelImpl& model, ModelData& fm, const SnapshotOptions& options,
                            LoadReport& report) {
  for (const Attribute& a : fm.attributes) {
    if (model.findAttribute(a.name) >= 0) continue;
    if (!options.allowDrop) {
      refuse("the snapshot has attribute " + fm.name + "." + a.name +
             ", which the code does not define (load with allowDrop to drop it)");
    }
    report.droppedAttributes.push_back(fm.name + "." + a.name);
  }
  std::vector<Column> columns;
  columns.reserve(model.attributes().size());
  for (std::uint32_t c = 0; c < model.attributes().size(); ++c) {
    const Attribute& live = model.attribute(c);
    const int f = findAttribute(fm, live.name);
    if (f < 0) {
      if (fm.rows > 0 && !live.allowNull && !live.defaultValue) {
        refuse(model.qualified(c) + " is NOT NULL without a default and the snapshot has no values for it");
      }
      report.addedAttributes.push_back(model.qualified(c));
      columns.push_back(filled(live.type, fm.rows, live.defaultValue.value_or(Value())));
      continue;
    }
    Column& stored = fm.owned[static_cast<std::size_t>(f)];
    const Type was = fm.attributes[static_cast<std::size_t>(f)].type;
    if (was != live.type && !(was == Type::Int && live.type == Type::Real)) {
      refuse(model.qualified(c) + " was " + std::string(typeName(was)) + " in the snapshot and is " + std::string(typeName(live.type)) +
             " in the code (only Int to Real widens)");
    }
    if (!live.allowNull) {
      for (std::uint32_t r = 0; r < stored.size(); ++r) {
        if (stored.isNull(r)) refuse(model.qualified(c) + " is NOT NULL but row " + std::to_string(r) + " holds null");
      }
    }
    columns.push_back(was == live.type ? std::move(stored) : widened(stored));
  }
  return columns;
}

void checkCounter(const ModelImpl& model, const Table& table, Id counter) {
  for (std::uint32_t r = 0; r < table.rowCount(); ++r) {
    if (table.idAt(r) > counter) {
      refuse(model.name() + ": id counter " + std::to_string(counter) + " is below id " +
             std::to_string(table.idAt(r)));
    }
  }
}

void describeDuplicate(const ModelImpl& model, const Table& table, const Table::Duplicate& d) {
  if (d.pair) {
    const PairIndex& p = table.pairIndex(d.index);
    refuse(model.name() + ": the pair (" + model.attribute(p.first()).name + " " +
           shownKey(table.column(p.first()).get(d.row)) + ", " + model.attribute(p.second()).name + " " +
           shownKey(table.column(p.second()).get(d.row)) + ") appears twice");
  }
  refuse(model.qualified(d.index) + " = " + shownKey(table.column(d.index).get(d.row)) + " appears twice" +
         (d.index == model.pk() ? " (duplicate primary key)" : " (unique)"));
}

// Every constrained, non-null key of `tables` has its parent in `tables`.
void checkForeignKeys(const StoreImpl& store, const std::vector<std::unique_ptr<Table>>& tables) {
  for (std::uint32_t k = 0; k < store.foreignKeyCount(); ++k) {
    const ForeignKey& fk = store.foreignKey(k);
    if (!fk.constraints) continue;
    const ModelImpl& child = store.model(fk.child);
    const ModelImpl& parent = store.model(fk.parent);
    const Table& rows = *tables[fk.child];
    const Table& parents = *tables[fk.parent];
    const auto r = firstDanglingRow(fk, parent.pk(), rows, parents);
    if (!r) continue;
    refuse("dangling key: " + child.qualified(fk.column) + " = " + shownKey(rows.column(fk.column).get(*r)) +
           " (row id " + std::to_string(rows.idAt(*r)) + ") references no " + parent.qualified(fk.parentKey));
  }
}

}  // namespace

LoadReport restoreInto(StoreImpl& store, SnapshotData data, const SnapshotOptions& options) {
  LoadReport report;
  for (const ModelData& fm : data.models) {
    if (store.find(fm.name)) continue;
    if (!options.allowDrop) {
      refuse("the snapshot has model " + fm.name + ", which the code does not define (load with allowDrop to drop it)");
    }
    report.droppedModels.push_back(fm.name);
  }

  std::vector<std::unique_ptr<Table>> tables;
  std::vector<Id> counters;
  for (std::uint32_t i = 0; i < store.modelCount(); ++i) {
    const ModelImpl& model = store.model(i);
    tables.push_back(model.table().emptyCopy());
    Id counter = 0;
    if (ModelData* found = findModel(data, model.name())) {
      ModelData& fm = *found;  // its columns move into the new table
      tables.back()->adoptColumns(migrate(model, fm, options, report));
      counter = fm.idCounter;
      report.rows += fm.rows;
    }
    checkCounter(model, *tables.back(), counter);
    counters.push_back(counter);
  }
  // Every index of every table at once, on every core: the bulk of a load.
  std::vector<std::function<void()>> jobs;
  std::vector<std::vector<std::optional<Table::Duplicate>>> found(tables.size());
  for (std::size_t i = 0; i < tables.size(); ++i) tables[i]->indexJobs(jobs, found[i]);
  runInParallel(jobs);
  for (std::uint32_t i = 0; i < tables.size(); ++i) {
    for (const auto& duplicate : found[i]) {
      if (duplicate) describeDuplicate(store.model(i), *tables[i], *duplicate);
    }
  }
  checkForeignKeys(store, tables);

  // Everything checked: swap every model's contents in (cannot fail).
  for (std::uint32_t i = 0; i < store.modelCount(); ++i) store.model(i).swapContents(tables[i], counters[i]);
  // The replaced contents go in parallel too (freeing a large world takes a while).
  jobs.clear();
  for (auto& old : tables) jobs.emplace_back([&old] { old.reset(); });
  runInParallel(jobs);
  return report;
}

void defineSchema(StoreImpl& store, const SnapshotData& data) {
  for (const ModelData& m : data.models) {
    for (std::size_t a = 0; a < m.attributes.size(); ++a) {
      if (m.attributes[a].primaryKey != (a == m.pk)) {
        refuse(m.name + "." + m.attributes[a].name + (a == m.pk ? " is the primary key but not marked so"
                                                                 : " is marked primary key but is not the one"));
      }
    }
    try {
      store.define(m.name, m.attributes);
    } catch (const SchemaError& e) {
      refuse(std::string("bad schema: ") + e.what());
    }
  }
  const auto attribute = [&](std::uint32_t model, std::uint32_t a) { return store.model(model).qualified(a); };
  for (const ForeignKey& fk : data.foreignKeys) {
    const ModelImpl& child = store.model(fk.child);
    const ModelImpl& parent = store.model(fk.parent);
    if (child.attribute(fk.column).type != parent.attribute(fk.parentKey).type) {
      refuse("foreign key " + attribute(fk.child, fk.column) + " and the key it references, " +
             attribute(fk.parent, fk.parentKey) + ", differ in type");
    }
    if (fk.column == child.pk()) refuse("foreign key " + attribute(fk.child, fk.column) + " is a primary key");
    if (fk.parentKey != parent.pk() && !parent.attribute(fk.parentKey).unique) {
      refuse("foreign key " + attribute(fk.child, fk.column) + " references " + attribute(fk.parent, fk.parentKey) +
             ", which is neither the primary key nor unique");
    }
    for (const auto& [a, v] : fk.scope) {
      if (!v.isNull() && v.type() != child.attribute(a).type) refuse("scope value of " + attribute(fk.child, a) + " has the wrong type");
    }
    ForeignKey key = fk;
    // Which association asked for its actions is not in the file: their scope is the one it holds.
    key.askedScope = fk.onDeleteExplicit || fk.onUpdateExplicit ? std::optional(fk.scope) : std::nullopt;
    store.addForeignKey(std::move(key));
  }
  for (const AssociationDef& a : data.associations) {
    const ForeignKey& fk = store.foreignKey(a.foreignKey);
    const std::string name = store.model(a.source).name() + "." + a.as;
    const bool btm = a.type == AssociationType::BelongsToMany;
    bool joins = false;
    if (a.type == AssociationType::BelongsTo) {
      joins = fk.child == a.source && fk.parent == a.target && fk.parentKey == a.targetKey;
    } else if (!btm) {
      joins = fk.child == a.target && fk.parent == a.source && fk.parentKey == a.sourceKey;
    } else if (a.through && a.otherKey) {
      const ForeignKey& other = store.foreignKey(*a.otherKey);
      joins = fk.junction && other.junction && fk.child == *a.through && other.child == *a.through &&
              fk.parent == a.source && other.parent == a.target && fk.parentKey == a.sourceKey &&
              other.parentKey == a.targetKey && fk.column != other.column;
    }
    if (!joins || (!btm && (a.through || a.otherKey))) refuse("association " + name + " does not join its models");
    // The rules defining it would have applied (a file from another writer may break them).
    const ModelImpl& source = store.model(a.source);
    if (source.findAttribute(a.as) >= 0) refuse("association " + name + " has the name of an attribute of " + source.name());
    for (std::uint32_t id : source.associationIds()) {
      if (store.association(id).as == a.as) refuse("association " + name + " repeats an alias of " + source.name());
    }
    if (!a.aliased && a.as != defaultAlias(a.type, store.model(a.target).name())) {
      refuse("association " + name + " has an alias other than the default one but is marked as defined without one");
    }
    if (a.foreignKeyName != store.model(fk.child).attribute(fk.column).name ||
        (btm && a.otherKeyName != store.model(store.foreignKey(*a.otherKey).child)
                                      .attribute(store.foreignKey(*a.otherKey).column)
                                      .name)) {
      refuse("association " + name + " names a key other than the column it uses");
    }
    for (const auto& [attr, v] : a.scope) {
      if (!v.isNull() && v.type() != store.model(a.target).attribute(attr).type) {
        refuse("scope value of " + attribute(a.target, attr) + " in " + name + " has the wrong type");
      }
    }
    store.addAssociation(a);
  }
  // Every key belongs to an association (a junction key to a belongsToMany),
  // and one column references several models only without constraints.
  for (std::uint32_t k = 0; k < store.foreignKeyCount(); ++k) {
    const ForeignKey& fk = store.foreignKey(k);
    bool used = false, byJunction = false;
    for (const AssociationDef& a : data.associations) {
      const bool btm = a.type == AssociationType::BelongsToMany;
      if (a.foreignKey == k || (btm && a.otherKey == k)) {
        used = true;
        byJunction = byJunction || btm;
      }
    }
    if (!used) refuse("foreign key " + attribute(fk.child, fk.column) + " belongs to no association");
    if (fk.junction && !byJunction) refuse("foreign key " + attribute(fk.child, fk.column) + " is marked a junction key but no belongsToMany uses it");
    for (std::uint32_t other = 0; other < k; ++other) {
      const ForeignKey& o = store.foreignKey(other);
      if (o.child != fk.child || o.column != fk.column) continue;
      if (o.parent == fk.parent) refuse("foreign key " + attribute(fk.child, fk.column) + " is listed twice");
      if (o.constraints || fk.constraints) {
        refuse("foreign key " + attribute(fk.child, fk.column) + " references several models with constraints on");
      }
    }
  }
  // One junction, one pair constraint or none: every belongsToMany over it
  // agrees on unique.
  for (const AssociationDef& a : data.associations) {
    if (a.type != AssociationType::BelongsToMany) continue;
    const std::string name = store.model(a.source).name() + "." + a.as;
    for (const AssociationDef& b : data.associations) {
      if (b.type == AssociationType::BelongsToMany && b.through == a.through && b.throughUnique != a.throughUnique) {
        refuse("belongsToManys " + name + " and " + store.model(b.source).name() + "." + b.as + " over junction " +
               store.model(*a.through).name() + " disagree on unique");
      }
    }
  }
  // A key's scope (which rows its actions reach without constraints) is
  // every row's, or the scope of a hasOne/hasMany over it.
  for (std::uint32_t k = 0; k < store.foreignKeyCount(); ++k) {
    const ForeignKey& fk = store.foreignKey(k);
    if (fk.scope.empty()) continue;
    const bool owned = std::any_of(data.associations.begin(), data.associations.end(), [&](const AssociationDef& a) {
      return a.foreignKey == k && (a.type == AssociationType::HasOne || a.type == AssociationType::HasMany) &&
             a.scope == fk.scope;
    });
    if (!owned) refuse("foreign key " + attribute(fk.child, fk.column) + " has a scope no association over it has");
  }
  // Association indices, as defining the associations built them: in
  // definition order, so a key two associations share (a junction key a
  // hasMany made first) carries the payload of the one that made its index.
  for (const AssociationDef& a : data.associations) {
    const ForeignKey& fk = store.foreignKey(a.foreignKey);
    if (a.type != AssociationType::BelongsToMany) {
      store.model(fk.child).table().addLinkIndex(fk.column, store.model(fk.child).pk());
      continue;
    }
    Table& junction = store.model(*a.through).table();
    const std::uint32_t mine = fk.column;
    const std::uint32_t other = store.foreignKey(*a.otherKey).column;
    junction.addLinkIndex(mine, other);
    junction.addLinkIndex(other, mine);
    if (!a.throughUnique) continue;
    bool present = false;
    for (std::size_t p = 0; p < junction.pairIndexCount(); ++p) {
      const PairIndex& pair = junction.pairIndex(p);
      present |= (pair.first() == mine && pair.second() == other) || (pair.first() == other && pair.second() == mine);
    }
    if (!present) junction.addPairIndex(mine, other);
  }
  // Every key has an index (a file's key no association made still needs
  // one: cascades and checks find its rows through it).
  for (std::uint32_t k = 0; k < store.foreignKeyCount(); ++k) {
    const ForeignKey& fk = store.foreignKey(k);
    store.model(fk.child).table().addLinkIndex(fk.column, store.model(fk.child).pk());
  }
}

}  // namespace relstore::detail
