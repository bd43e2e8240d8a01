// Differential test: the same random operations against relstore and against
// SQLite :memory: with PRAGMA foreign_keys = ON, over a schema that covers
// every referential action on delete and on update, a NOT NULL key, a
// grandchild, a self-reference, a unique junction and a unique foreign key
// that is referenced in turn (actions on it reach its own children). After every operation
// both must agree on success or failure and on the full contents of every
// table, and checkIntegrity() must pass.
#include <gtest/gtest.h>

#include <memory>
#include <sqlite3.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "relstore/relstore.h"
#include "support/seed_blocks.h"

using namespace relstore;
using relstore::testing_support::forEachSeed;
using relstore::testing_support::SeedBlock;
using relstore::testing_support::seedBlockName;
using relstore::testing_support::seedBlocks;

namespace {

constexpr int kSeeds = 1000;
constexpr int kOps = 200;

struct ColumnSpec {
  std::string name;
  std::string references;  // table name, or empty for a plain Int
  bool notNull = false;
  std::optional<std::int64_t> defaultValue;
  std::string referencedColumn = "id";  // a unique column of `references`
  bool unique = false;
};

struct TableSpec {
  std::string name;
  std::vector<ColumnSpec> columns;
  bool autoIds;  // ids handed out by the store (else always explicit)
};

const std::vector<TableSpec> kTables = {
    {"P", {{"v"}}, false},
    {"Q", {{"v"}}, true},
    {"C1", {{"pid", "P"}}, true},                     // CASCADE / CASCADE
    {"C2", {{"pid", "P"}}, true},                     // SET NULL / SET NULL
    {"C3", {{"pid", "P", false, 1}}, true},           // SET DEFAULT / SET DEFAULT
    {"C4", {{"pid", "P"}}, true},                     // RESTRICT / RESTRICT
    {"C5", {{"pid", "P"}}, true},                     // NO ACTION / NO ACTION
    {"C6", {{"pid", "P", true}}, true},               // NOT NULL key: CASCADE by default
    {"G", {{"cid", "C1"}}, true},                     // grandchild: CASCADE
    {"S", {{"parent", "S"}}, false},                  // self-reference: CASCADE
    {"J", {{"pid", "P", true}, {"qid", "Q", true}}, true},  // unique junction
    // A key that is itself referenced: K.pcode (unique) references P.id and
    // KK.kcode references K.pcode, so actions on K's key reach KK.
    {"K", {{.name = "pcode", .references = "P", .unique = true}}, true},  // SET NULL / CASCADE
    {"KK", {{.name = "kcode", .references = "K", .referencedColumn = "pcode"}}, true},  // CASCADE / CASCADE
};

const char* kDdl = R"(
PRAGMA foreign_keys = ON;
CREATE TABLE P(id INTEGER PRIMARY KEY, v INT);
CREATE TABLE Q(id INTEGER PRIMARY KEY AUTOINCREMENT, v INT);
CREATE TABLE C1(id INTEGER PRIMARY KEY AUTOINCREMENT, pid INT REFERENCES P(id) ON DELETE CASCADE ON UPDATE CASCADE);
CREATE TABLE C2(id INTEGER PRIMARY KEY AUTOINCREMENT, pid INT REFERENCES P(id) ON DELETE SET NULL ON UPDATE SET NULL);
CREATE TABLE C3(id INTEGER PRIMARY KEY AUTOINCREMENT, pid INT DEFAULT 1 REFERENCES P(id) ON DELETE SET DEFAULT ON UPDATE SET DEFAULT);
CREATE TABLE C4(id INTEGER PRIMARY KEY AUTOINCREMENT, pid INT REFERENCES P(id) ON DELETE RESTRICT ON UPDATE RESTRICT);
CREATE TABLE C5(id INTEGER PRIMARY KEY AUTOINCREMENT, pid INT REFERENCES P(id) ON DELETE NO ACTION ON UPDATE NO ACTION);
CREATE TABLE C6(id INTEGER PRIMARY KEY AUTOINCREMENT, pid INT NOT NULL REFERENCES P(id) ON DELETE CASCADE ON UPDATE CASCADE);
CREATE TABLE G(id INTEGER PRIMARY KEY AUTOINCREMENT, cid INT REFERENCES C1(id) ON DELETE CASCADE ON UPDATE CASCADE);
CREATE TABLE S(id INTEGER PRIMARY KEY, parent INT REFERENCES S(id) ON DELETE CASCADE ON UPDATE CASCADE);
CREATE TABLE J(id INTEGER PRIMARY KEY AUTOINCREMENT, pid INT NOT NULL REFERENCES P(id) ON DELETE CASCADE ON UPDATE CASCADE,
               qid INT NOT NULL REFERENCES Q(id) ON DELETE CASCADE ON UPDATE CASCADE, UNIQUE(pid, qid));
CREATE TABLE K(id INTEGER PRIMARY KEY AUTOINCREMENT, pcode INT UNIQUE REFERENCES P(id) ON DELETE SET NULL ON UPDATE CASCADE);
CREATE TABLE KK(id INTEGER PRIMARY KEY AUTOINCREMENT, kcode INT REFERENCES K(pcode) ON DELETE CASCADE ON UPDATE CASCADE);
)";

void defineRelstore(Store& store) {
  std::vector<Model> m;
  for (const TableSpec& t : kTables) {
    std::vector<Attribute> attrs;
    for (const ColumnSpec& c : t.columns) {
      Attribute a{.name = c.name, .type = Type::Int, .allowNull = !c.notNull, .unique = c.unique};
      if (c.defaultValue) a.defaultValue = Value(*c.defaultValue);
      attrs.push_back(a);
    }
    m.push_back(store.define(t.name, attrs));
  }
  Model p = store.model("P"), q = store.model("Q");
  const Action actions[] = {Action::Cascade, Action::SetNull, Action::SetDefault, Action::Restrict, Action::NoAction};
  for (int i = 0; i < 5; ++i) {
    const std::string child = "C" + std::to_string(i + 1);
    p.hasMany(store.model(child), {.foreignKey = "pid", .as = child, .onDelete = actions[i], .onUpdate = actions[i]});
  }
  p.hasMany(store.model("C6"), {.foreignKey = "pid", .as = "C6"});  // NOT NULL: CASCADE by default
  store.model("C1").hasMany(store.model("G"), {.foreignKey = "cid", .as = "G", .onDelete = Action::Cascade});
  Model s = store.model("S");
  s.hasMany(s, {.foreignKey = "parent", .as = "children", .onDelete = Action::Cascade});
  p.belongsToMany(q, {.through = {"J"}, .foreignKey = "pid", .otherKey = "qid"});
  p.hasMany(store.model("K"), {.foreignKey = "pcode", .as = "K", .onDelete = Action::SetNull, .onUpdate = Action::Cascade});
  store.model("K").hasMany(store.model("KK"), {.foreignKey = "kcode", .as = "KK", .sourceKey = "pcode",
                                               .onDelete = Action::Cascade, .onUpdate = Action::Cascade});
}

class Harness {
 public:
  explicit Harness(std::uint64_t seed) : rng_(seed) {
    defineRelstore(store_);
    sqlite3_open(":memory:", &db_);
    char* err = nullptr;
    if (sqlite3_exec(db_, kDdl, nullptr, nullptr, &err) != SQLITE_OK) throw std::runtime_error(err ? err : "ddl");
  }
  ~Harness() { sqlite3_close(db_); }

  int pick(int n) { return static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }
  bool chance(int percent) { return pick(100) < percent; }

  // Runs one SQL statement with bound values; true on success.
  bool sql(const std::string& text, const std::vector<Value>& binds = {}) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, text.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      throw std::runtime_error("prepare: " + text + ": " + sqlite3_errmsg(db_));
    }
    for (std::size_t i = 0; i < binds.size(); ++i) {
      if (binds[i].isNull()) sqlite3_bind_null(st, static_cast<int>(i + 1));
      else sqlite3_bind_int64(st, static_cast<int>(i + 1), binds[i].asInt());
    }
    const int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE;
  }

  std::vector<std::vector<Value>> sqliteRows(const TableSpec& t) {
    std::vector<std::vector<Value>> rows;
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_, ("SELECT * FROM " + t.name + " ORDER BY id").c_str(), -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::vector<Value> row;
      for (int c = 0; c <= static_cast<int>(t.columns.size()); ++c) {
        row.push_back(sqlite3_column_type(st, c) == SQLITE_NULL ? Value() : Value(sqlite3_column_int64(st, c)));
      }
      rows.push_back(row);
    }
    sqlite3_finalize(st);
    return rows;
  }

  std::vector<Id> ids(const std::string& table) {
    std::vector<Id> out;
    for (const auto& row : sqliteRows(spec(table))) out.push_back(row[0].asInt());
    return out;
  }
  // The non-null values of `column` ("id" or one of the table's columns).
  std::vector<Id> valuesOf(const std::string& table, const std::string& column) {
    if (column == "id") return ids(table);
    const TableSpec& t = spec(table);
    std::size_t at = 0;
    while (t.columns[at].name != column) ++at;
    std::vector<Id> out;
    for (const auto& row : sqliteRows(t)) {
      if (!row[at + 1].isNull()) out.push_back(row[at + 1].asInt());
    }
    return out;
  }
  const TableSpec& spec(const std::string& name) {
    for (const TableSpec& t : kTables) {
      if (t.name == name) return t;
    }
    throw std::logic_error(name);
  }

  // An existing key of `c`'s referenced column (most of the time), null, or a dangling one.
  Value keyInto(const ColumnSpec& c, bool allowNull) {
    const auto existing = valuesOf(c.references, c.referencedColumn);
    if (!existing.empty() && chance(75)) return Value(existing[static_cast<std::size_t>(pick(static_cast<int>(existing.size())))]);
    if (allowNull && chance(50)) return Value();
    return Value(static_cast<std::int64_t>(pick(8) + 1));  // may or may not exist
  }

  template <class F>
  static bool ok(F&& f) {
    try {
      f();
      return true;
    } catch (const Error&) {
      return false;
    }
  }

  // Opens, commits or rolls back a transaction on both sides (SAVEPOINTs
  // when nested, up to 3 deep); returns a description.
  std::string transactionStep() {
    const int op = pick(3);
    if (txs_.empty() || (op == 0 && txs_.size() < 3)) {
      const std::string name = "s" + std::to_string(txs_.size());
      sql(txs_.empty() ? "BEGIN" : "SAVEPOINT " + name);
      txs_.push_back(std::make_unique<Transaction>(store_.begin()));
      return txs_.size() == 1 ? "BEGIN" : "SAVEPOINT " + name;
    }
    const std::string name = "s" + std::to_string(txs_.size() - 1);
    if (op == 1) {
      txs_.back()->commit();
      sql(txs_.size() == 1 ? "COMMIT" : "RELEASE " + name);
      txs_.pop_back();
      return txs_.empty() ? "COMMIT" : "RELEASE " + name;
    }
    txs_.back()->rollback();
    if (txs_.size() == 1) {
      sql("ROLLBACK");
    } else {
      sql("ROLLBACK TO " + name);
      sql("RELEASE " + name);
    }
    txs_.pop_back();
    return txs_.empty() ? "ROLLBACK" : "ROLLBACK TO " + name;
  }

  // One random operation on both sides; returns a description.
  std::string step() {
    if (chance(8)) return transactionStep();
    const TableSpec& t = kTables[static_cast<std::size_t>(pick(static_cast<int>(kTables.size())))];
    Model m = store_.model(t.name);
    const int op = pick(100);
    std::string what;
    bool mine = false, theirs = false;
    if (op < 40) {  // insert
      Record rec;
      std::vector<std::string> cols;
      std::vector<Value> vals;
      if (!t.autoIds || chance(10)) {
        const Id id = pick(30) + 1;
        rec.push_back({"id", id});
        cols.push_back("id");
        vals.push_back(Value(id));
      }
      for (const ColumnSpec& c : t.columns) {
        if (c.defaultValue && chance(30)) continue;  // let the default apply
        Value v = c.references.empty() ? Value(static_cast<std::int64_t>(pick(5))) : keyInto(c, true);
        if (c.references == "S" && chance(20) && !vals.empty() && cols[0] == "id") v = vals[0];  // itself
        rec.push_back({c.name, v});
        cols.push_back(c.name);
        vals.push_back(v);
      }
      std::string text = "INSERT INTO " + t.name;
      if (cols.empty()) {
        text += " DEFAULT VALUES";
      } else {
        text += "(";
        for (std::size_t i = 0; i < cols.size(); ++i) text += (i ? "," : "") + cols[i];
        text += ") VALUES(";
        for (std::size_t i = 0; i < cols.size(); ++i) text += i ? ",?" : "?";
        text += ")";
      }
      what = text;
      mine = ok([&] { m.create(rec); });
      theirs = sql(text, vals);
    } else if (op < 60) {  // update one row: a key, or the id of P / S
      const auto existing = ids(t.name);
      if (existing.empty()) return "skip";
      const Id id = existing[static_cast<std::size_t>(pick(static_cast<int>(existing.size())))];
      std::string column;
      Value v;
      if ((t.name == "P" || t.name == "S") && chance(50)) {
        column = "id";
        v = Value(static_cast<std::int64_t>(pick(30) + 1));
      } else {
        const ColumnSpec& c = t.columns[static_cast<std::size_t>(pick(static_cast<int>(t.columns.size())))];
        column = c.name;
        v = c.references.empty() ? Value(static_cast<std::int64_t>(pick(5))) : keyInto(c, true);
      }
      Record sets = {{column, v}};
      if (t.name == "S" && column == "id" && chance(30)) {  // the id and the row's own reference at once
        const ColumnSpec& parent = t.columns.front();
        sets.push_back({parent.name, chance(50) ? v : keyInto(parent, true)});
      }
      std::string assignments, shown;
      std::vector<Value> params;
      for (const Field& f : sets) {
        assignments += (assignments.empty() ? "" : ", ") + f.name + "=?";
        shown += (shown.empty() ? "" : ", ") + f.name + "=" + f.value.toString();
        params.push_back(f.value);
      }
      what = "UPDATE " + t.name + " SET " + shown + " WHERE id=" + std::to_string(id);
      params.push_back(Value(id));
      mine = ok([&] { m.findByPk(id)->update(sets); });
      theirs = sql("UPDATE " + t.name + " SET " + assignments + " WHERE id=?", params);
    } else if (op < 80) {  // destroy one row
      const auto existing = ids(t.name);
      if (existing.empty()) return "skip";
      const Id id = existing[static_cast<std::size_t>(pick(static_cast<int>(existing.size())))];
      what = "DELETE FROM " + t.name + " WHERE id=" + std::to_string(id);
      mine = ok([&] { m.findByPk(id)->destroy(); });
      theirs = sql("DELETE FROM " + t.name + " WHERE id=?", {Value(id)});
    } else if (op < 88) {  // destroy / update where the first column equals a value
      const ColumnSpec& c = t.columns.front();
      const Value w = c.references.empty() ? Value(static_cast<std::int64_t>(pick(5))) : keyInto(c, false);
      if (chance(50)) {
        what = "DELETE FROM " + t.name + " WHERE " + c.name + "=" + w.toString();
        mine = ok([&] { m.destroy(col(c.name) == w); });
        theirs = sql("DELETE FROM " + t.name + " WHERE " + c.name + "=?", {w});
      } else {
        const Value v = c.references.empty() ? Value(static_cast<std::int64_t>(pick(5))) : keyInto(c, true);
        what = "UPDATE " + t.name + " SET " + c.name + "=" + v.toString() + " WHERE " + c.name + "=" + w.toString();
        mine = ok([&] { m.update({{c.name, v}}, col(c.name) == w); });
        theirs = sql("UPDATE " + t.name + " SET " + c.name + "=? WHERE " + c.name + "=?", {v, w});
      }
    } else {  // association methods on existing rows: P-Q through J, and P-C2
      const auto ps = ids("P");
      if (ps.empty()) return "skip";
      const Id pid = ps[static_cast<std::size_t>(pick(static_cast<int>(ps.size())))];
      Instance src = *store_.model("P").findByPk(pid);
      const bool junction = chance(60);
      const std::string target = junction ? "Q" : "C2";
      std::vector<Id> pool = ids(target);
      std::vector<Instance> targets;
      std::vector<Id> chosen;
      for (int k = pick(3); k > 0 && !pool.empty(); --k) {
        const Id id = pool[static_cast<std::size_t>(pick(static_cast<int>(pool.size())))];
        if (std::find(chosen.begin(), chosen.end(), id) != chosen.end()) continue;
        chosen.push_back(id);
        targets.push_back(*store_.model(target).findByPk(id));
      }
      const int kind = pick(3);  // add, remove, set
      const std::string as = junction ? "Qs" : "C2";
      what = std::string(kind == 0 ? "add" : kind == 1 ? "remove" : "set") + " " + as + " of P " + std::to_string(pid);
      mine = ok([&] {
        if (kind == 0) src.assoc(as).add(targets);
        else if (kind == 1) src.assoc(as).remove(targets);
        else src.assoc(as).set(targets);
      });
      sql("SAVEPOINT op");
      theirs = true;
      auto run = [&](const std::string& text, const std::vector<Value>& binds) { theirs = theirs && sql(text, binds); };
      if (junction) {
        if (kind == 2) {
          std::string keep = "-1";
          for (Id id : chosen) keep += "," + std::to_string(id);
          run("DELETE FROM J WHERE pid=? AND qid NOT IN (" + keep + ")", {Value(pid)});
        }
        for (Id id : chosen) {
          if (kind == 1) run("DELETE FROM J WHERE pid=? AND qid=?", {Value(pid), Value(id)});
          else run("INSERT INTO J(pid, qid) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM J WHERE pid=?1 AND qid=?2)",
                   {Value(pid), Value(id)});
        }
      } else {
        if (kind == 2) {
          std::string keep = "-1";
          for (Id id : chosen) keep += "," + std::to_string(id);
          run("UPDATE C2 SET pid=NULL WHERE pid=? AND id NOT IN (" + keep + ")", {Value(pid)});
        }
        for (Id id : chosen) {
          if (kind == 1) run("UPDATE C2 SET pid=NULL WHERE pid=? AND id=?", {Value(pid), Value(id)});
          else run("UPDATE C2 SET pid=? WHERE id=?", {Value(pid), Value(id)});
        }
      }
      sql(theirs ? "RELEASE op" : "ROLLBACK TO op");
      if (!theirs) sql("RELEASE op");
    }
    if (mine != theirs) {
      ADD_FAILURE() << what << ": relstore " << (mine ? "succeeded" : "failed") << ", SQLite "
                    << (theirs ? "succeeded" : "failed");
    }
    return what;
  }

  void compare(const std::string& context) {
    for (const TableSpec& t : kTables) {
      const auto want = sqliteRows(t);
      const auto got = store_.model(t.name).findAll({.order = {{"id"}}});
      ASSERT_EQ(got.size(), want.size()) << context << ": row count of " << t.name;
      for (std::size_t r = 0; r < got.size(); ++r) {
        ASSERT_EQ(Value(got[r].id()), want[r][0]) << context << ": " << t.name << " row " << r;
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
          const Value g = got[r].get(t.columns[c].name);
          const Value& w = want[r][c + 1];
          ASSERT_TRUE(g.isNull() == w.isNull() && (g.isNull() || g == w))
              << context << ": " << t.name << "." << t.columns[c].name << " of id " << got[r].id() << " is "
              << g.toString() << ", SQLite has " << w.toString();
        }
      }
    }
  }

  Store& store() { return store_; }

 private:
  std::mt19937_64 rng_;
  Store store_;
  std::vector<std::unique_ptr<Transaction>> txs_;  // open ones, innermost last (destroyed before store_)
  sqlite3* db_ = nullptr;
};

void agreesWithSqliteAfterEveryOperation(int seed) {
  Harness h(static_cast<std::uint64_t>(seed) * 104729 + 7);
  for (int i = 0; i < kOps; ++i) {
    const std::string what = h.step();
    const std::string context = "seed " + std::to_string(seed) + " op " + std::to_string(i) + " (" + what + ")";
    ASSERT_FALSE(::testing::Test::HasFailure()) << context;
    ASSERT_NO_THROW(h.store().checkIntegrity()) << context;
    h.compare(context);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

class SqliteDifferential : public ::testing::TestWithParam<SeedBlock> {};

TEST_P(SqliteDifferential, AgreesWithSqliteAfterEveryOperation) {
  forEachSeed(GetParam(), agreesWithSqliteAfterEveryOperation);
}

INSTANTIATE_TEST_SUITE_P(Seeds, SqliteDifferential, ::testing::ValuesIn(seedBlocks(kSeeds, 20)), seedBlockName);

}  // namespace
