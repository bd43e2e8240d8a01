// Association suites (issue: associations and cascades): zero-copy ids(),
// get() materializing instances, a belongsToMany get, creating a post with
// its key checked, and cascading destroys — beside SQLite :memory: with
// foreign keys on (same indexes) and a hand-written baseline
// (tsl::robin_map<Id, std::vector<Id>> and plain vectors); the get() suites
// also have a floor, the least work the binding API allows (see Floor).
//
// Data: 100k users x 10 posts; 100 roles, each user in 10 (a 1M-row junction).
// RELSTORE_BENCH_ROWS scales it: users = rows / 10.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include <tsl/robin_map.h>

#include <relstore/relstore.h>

#include "support/bench_support.h"

namespace {

using namespace relstore;

constexpr int kPostsPerUser = 10;
constexpr int kRoles = 100;
constexpr int kRolesPerUser = 10;

std::size_t userCount() { return std::max<std::size_t>(bench::rows() / 10, 100); }

using bench::MixHash;

// The floor of get() + one attribute: the least work any implementation of
// the binding API must do, hand-written over the layout that makes it
// cheapest, so that README can say how far a ratio to SQLite can go on the
// machine at hand. An association's targets are a compressed adjacency array
// (each user's range of entries found through one offset array indexed by
// id; an entry holds the target's slot, its id and, for a junction, the
// junction row's id); get() returns a fresh vector of minimal handles (the
// store, the model, the slot, the id and, through a junction, the junction
// row's id: what Instance::through() needs); the attribute is a 16-byte cell
// (up to 15 bytes inline, as relstore's) found by slot and copied into a
// std::string, as get<std::string> returns it. Nothing is checked: no
// attribute lookup by name, no liveness, no hint validation.
struct Floor {
  using Cell = bench::FloorCell;
  using Handle = bench::FloorHandle;
  struct Entry {
    std::uint32_t slot;
    std::int64_t id;
  };
  struct ThroughEntry {
    std::uint32_t slot;
    std::int64_t id;
    std::int64_t junctionId;
  };
  struct ThroughHandle {
    const void* store;
    std::uint32_t model;
    std::uint32_t slot;
    std::int64_t id;
    std::int64_t junctionId;
  };
  std::vector<std::uint32_t> postsStart, rolesStart;  // by user id; user u's range is [start[u-1], start[u])
  std::vector<Entry> posts;
  std::vector<ThroughEntry> roles;
  std::vector<Cell> titles, labels;  // by slot

  // From the baseline's maps (users 1..users; posts and roles by user, titles by post).
  using IdLists = tsl::robin_map<std::int64_t, std::vector<std::int64_t>, MixHash>;
  void build(std::size_t users, const IdLists& postsOf, const IdLists& rolesOf,
             const tsl::robin_map<std::int64_t, std::string, MixHash>& titleOf,
             const std::vector<std::string>& roleLabels) {
    postsStart.push_back(0);
    rolesStart.push_back(0);
    std::int64_t junctionId = 0;
    for (std::size_t u = 1; u <= users; ++u) {
      for (std::int64_t post : postsOf.at(static_cast<std::int64_t>(u))) {
        posts.push_back({static_cast<std::uint32_t>(titles.size()), post});
        titles.push_back(Cell::of(titleOf.at(post)));
      }
      for (std::int64_t role : rolesOf.at(static_cast<std::int64_t>(u))) {
        roles.push_back({static_cast<std::uint32_t>(role - 1), role, ++junctionId});
      }
      postsStart.push_back(static_cast<std::uint32_t>(posts.size()));
      rolesStart.push_back(static_cast<std::uint32_t>(roles.size()));
    }
    for (std::size_t r = 1; r < roleLabels.size(); ++r) labels.push_back(Cell::of(roleLabels[r]));
  }
};

struct World {
  std::size_t users = userCount();
  Store store;
  Model userModel = store.define("User", {{.name = "name", .type = Type::Text}});
  Model postModel = store.define("Post", {{.name = "title", .type = Type::Text}});
  Model roleModel = store.define("Role", {{.name = "label", .type = Type::Text}});
  Association posts = userModel.hasMany(postModel, {.foreignKey = "userId", .onDelete = Action::Cascade});
  Association roles = userModel.belongsToMany(roleModel, {.through = {"UserRole"}});
  bench::SqliteDb db;
  // Baseline: posts and roles by user, titles and labels by id.
  Floor::IdLists postsOf, rolesOf;
  tsl::robin_map<std::int64_t, std::string, MixHash> titleOf;
  std::vector<std::string> labels;
  Floor floor;
  // The next user each destroy benchmark takes (repetitions continue downward).
  Id relstoreVictim = 0, sqliteVictim = 0, baselineVictim = 0;

  World() {
    relstoreVictim = sqliteVictim = baselineVictim = static_cast<Id>(users);
    for (std::size_t u = 1; u <= users; ++u) userModel.create({{"name", "user" + std::to_string(u)}});
    for (int r = 1; r <= kRoles; ++r) roleModel.create({{"label", "role" + std::to_string(r)}});
    std::vector<Record> junction;
    junction.reserve(users * kRolesPerUser);
    for (std::size_t u = 1; u <= users; ++u) {
      for (int k = 0; k < kPostsPerUser; ++k) {
        postModel.create({{"title", "post" + std::to_string(k)}, {"userId", static_cast<Id>(u)}});
      }
      for (int k = 0; k < kRolesPerUser; ++k) {
        junction.push_back({{"UserId", static_cast<Id>(u)}, {"RoleId", static_cast<Id>((u * 7 + k * 13) % kRoles + 1)}});
      }
    }
    store.model("UserRole").bulkCreate(junction);

    db.exec("PRAGMA foreign_keys = ON");
    db.exec("CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT)");
    db.exec("CREATE TABLE posts(id INTEGER PRIMARY KEY, title TEXT, userId INTEGER REFERENCES users(id) ON DELETE CASCADE)");
    db.exec("CREATE INDEX posts_user ON posts(userId)");
    db.exec("CREATE TABLE roles(id INTEGER PRIMARY KEY, label TEXT)");
    db.exec("CREATE TABLE user_roles(id INTEGER PRIMARY KEY, userId INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, "
            "roleId INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE, UNIQUE(userId, roleId))");
    db.exec("CREATE INDEX user_roles_role ON user_roles(roleId)");
    db.exec("BEGIN");
    {
      bench::Statement iu(db, "INSERT INTO users(id, name) VALUES(?, ?)");
      bench::Statement ip(db, "INSERT INTO posts(title, userId) VALUES(?, ?)");
      bench::Statement ir(db, "INSERT INTO roles(id, label) VALUES(?, ?)");
      bench::Statement ij(db, "INSERT INTO user_roles(userId, roleId) VALUES(?, ?)");
      for (int r = 1; r <= kRoles; ++r) {
        const std::string label = "role" + std::to_string(r);
        sqlite3_bind_int64(ir.get(), 1, r);
        sqlite3_bind_text(ir.get(), 2, label.c_str(), -1, SQLITE_TRANSIENT);
        ir.run();
      }
      for (std::size_t u = 1; u <= users; ++u) {
        const std::string name = "user" + std::to_string(u);
        sqlite3_bind_int64(iu.get(), 1, static_cast<std::int64_t>(u));
        sqlite3_bind_text(iu.get(), 2, name.c_str(), -1, SQLITE_TRANSIENT);
        iu.run();
        for (int k = 0; k < kPostsPerUser; ++k) {
          const std::string title = "post" + std::to_string(k);
          sqlite3_bind_text(ip.get(), 1, title.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64(ip.get(), 2, static_cast<std::int64_t>(u));
          ip.run();
        }
        for (int k = 0; k < kRolesPerUser; ++k) {
          sqlite3_bind_int64(ij.get(), 1, static_cast<std::int64_t>(u));
          sqlite3_bind_int64(ij.get(), 2, static_cast<std::int64_t>((u * 7 + k * 13) % kRoles + 1));
          ij.run();
        }
      }
    }
    db.exec("COMMIT");

    Id post = 0;
    for (std::size_t u = 1; u <= users; ++u) {
      auto& list = postsOf[static_cast<std::int64_t>(u)];
      for (int k = 0; k < kPostsPerUser; ++k) {
        list.push_back(++post);
        titleOf[post] = "post" + std::to_string(k);
      }
      auto& rl = rolesOf[static_cast<std::int64_t>(u)];
      for (int k = 0; k < kRolesPerUser; ++k) rl.push_back(static_cast<std::int64_t>((u * 7 + k * 13) % kRoles + 1));
    }
    labels.resize(kRoles + 1);
    for (int r = 1; r <= kRoles; ++r) labels[static_cast<std::size_t>(r)] = "role" + std::to_string(r);
    floor.build(users, postsOf, rolesOf, titleOf, labels);

    const auto edges = static_cast<double>(users * (kPostsPerUser + kRolesPerUser));
    const double total = static_cast<double>(store.memoryUsage());
    char line[256];
    std::snprintf(line, sizeof line,
                  "\nAssociation store (%zu users, %zu posts, %zu junction rows): %.1f MiB in all, %.1f B per "
                  "association edge (rows, columns and every index included)",
                  users, users * kPostsPerUser, users * kRolesPerUser, total / (1024 * 1024), total / edges);
    bench::addNote(line);
  }
};

World& world() {
  static World w;
  return w;
}

// The users are split in bands so that every suite sees the same data in any
// order (e.g. with --benchmark_enable_random_interleaving, or a filter): posts are
// created for users of the lower half only; reads take users of the third
// quarter, which no suite changes; destroys take users from the top down and
// stay within the top quarter, so they see exactly 10 posts per user whatever
// number of posts the create suites added.
const std::vector<std::int64_t>& userIds() {
  static const auto ids = [] {
    auto band = bench::randomIds(userCount() / 4, 1 << 14, 3);
    for (auto& id : band) id += static_cast<std::int64_t>(userCount() / 2);
    return band;
  }();
  return ids;
}

const std::vector<std::int64_t>& lowerHalfIds() {
  static const auto ids = bench::randomIds(userCount() / 2, 1 << 14, 5);
  return ids;
}

// ---- ids(src): hasMany, zero-copy --------------------------------------------------

void idsRelstore(benchmark::State& state) {
  World& w = world();
  std::size_t i = 0;
  std::int64_t sum = 0;
  for (auto _ : state) {
    for (Id id : w.posts.ids(userIds()[i++ & 0x3fff])) sum += id;
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}

void idsSqlite(benchmark::State& state) {
  World& w = world();
  bench::Statement q(w.db, "SELECT id FROM posts WHERE userId = ?");
  std::size_t i = 0;
  std::int64_t sum = 0;
  for (auto _ : state) {
    sqlite3_bind_int64(q.get(), 1, userIds()[i++ & 0x3fff]);
    while (sqlite3_step(q.get()) == SQLITE_ROW) sum += sqlite3_column_int64(q.get(), 0);
    sqlite3_reset(q.get());
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}

void idsBaseline(benchmark::State& state) {
  World& w = world();
  std::size_t i = 0;
  std::int64_t sum = 0;
  for (auto _ : state) {
    for (std::int64_t id : w.postsOf.find(userIds()[i++ & 0x3fff])->second) sum += id;
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}

// ---- get(user) of the hasMany (each post's title) and of the belongsToMany --------------
// (each role's label): instances materialized, one attribute read per row.

template <bool Roles>
void getRelstore(benchmark::State& state) {
  World& w = world();
  const Association& association = Roles ? w.roles : w.posts;
  const char* attribute = Roles ? "label" : "title";
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const Instance user(&w.store.impl(), w.userModel.index(), userIds()[i++ & 0x3fff]);
    for (const Instance& t : association.get(user)) bytes += t.get<std::string>(attribute).size();
  }
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(state.iterations());
}

template <bool Roles>
void getSqlite(benchmark::State& state) {
  World& w = world();
  bench::Statement q(w.db, Roles ? "SELECT r.label FROM user_roles ur JOIN roles r ON r.id = ur.roleId WHERE ur.userId = ?"
                                 : "SELECT title FROM posts WHERE userId = ?");
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    sqlite3_bind_int64(q.get(), 1, userIds()[i++ & 0x3fff]);
    while (sqlite3_step(q.get()) == SQLITE_ROW) {
      bytes += std::string(reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 0))).size();
    }
    sqlite3_reset(q.get());
  }
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(state.iterations());
}

template <bool Roles>
void getBaseline(benchmark::State& state) {
  World& w = world();
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::int64_t user = userIds()[i++ & 0x3fff];
    if constexpr (Roles) {
      for (std::int64_t r : w.rolesOf.find(user)->second) bytes += std::string(w.labels[static_cast<std::size_t>(r)]).size();
    } else {
      for (std::int64_t id : w.postsOf.find(user)->second) bytes += std::string(w.titleOf.find(id)->second).size();
    }
  }
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(state.iterations());
}

template <bool Roles>
void getFloor(benchmark::State& state) {
  World& w = world();
  const Floor& f = w.floor;
  const void* store = &w.store;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const auto user = static_cast<std::size_t>(userIds()[i++ & 0x3fff]);
    if constexpr (Roles) {
      std::vector<Floor::ThroughHandle> handles;
      handles.reserve(f.rolesStart[user] - f.rolesStart[user - 1]);
      for (std::uint32_t e = f.rolesStart[user - 1]; e < f.rolesStart[user]; ++e) {
        const Floor::ThroughEntry& entry = f.roles[e];
        handles.push_back({store, 2, entry.slot, entry.id, entry.junctionId});
      }
      benchmark::DoNotOptimize(handles.data());
      for (const Floor::ThroughHandle& h : handles) bytes += f.labels[h.slot].read().size();
    } else {
      std::vector<Floor::Handle> handles;
      handles.reserve(f.postsStart[user] - f.postsStart[user - 1]);
      for (std::uint32_t e = f.postsStart[user - 1]; e < f.postsStart[user]; ++e) {
        const Floor::Entry& entry = f.posts[e];
        handles.push_back({store, 1, entry.slot, entry.id});
      }
      benchmark::DoNotOptimize(handles.data());
      for (const Floor::Handle& h : handles) bytes += f.titles[h.slot].read().size();
    }
  }
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(state.iterations());
}

// The floor's adjacency and reads, but relstore's handles and
// get<std::string>. The handles are made by id, without a row hint, so each
// read takes get<std::string>'s general path (a primary-key lookup, the
// attribute found again): the cost of reading through handles that did not
// come from a query or an association.
void getFloorWithInstanceReads(benchmark::State& state) {
  World& w = world();
  const Floor& f = w.floor;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const auto user = static_cast<std::size_t>(userIds()[i++ & 0x3fff]);
    std::vector<Instance> handles;
    handles.reserve(f.postsStart[user] - f.postsStart[user - 1]);
    for (std::uint32_t e = f.postsStart[user - 1]; e < f.postsStart[user]; ++e) {
      handles.emplace_back(&w.store.impl(), w.postModel.index(), f.posts[e].id);
    }
    benchmark::DoNotOptimize(handles.data());
    for (const Instance& h : handles) {
      std::string text = h.get<std::string>("title");
      benchmark::DoNotOptimize(text);
      bytes += text.size();
    }
  }
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(state.iterations());
}

// ---- create a post: key checked, indices maintained ------------------------------------

void createPostRelstore(benchmark::State& state) {
  World& w = world();
  std::size_t i = 0;
  for (auto _ : state) w.postModel.create({{"title", "new"}, {"userId", lowerHalfIds()[i++ & 0x3fff]}});
  state.SetItemsProcessed(state.iterations());
}

void createPostSqlite(benchmark::State& state) {
  World& w = world();
  bench::Statement q(w.db, "INSERT INTO posts(title, userId) VALUES('new', ?)");
  std::size_t i = 0;
  w.db.exec("BEGIN");
  for (auto _ : state) {
    sqlite3_bind_int64(q.get(), 1, lowerHalfIds()[i++ & 0x3fff]);
    q.run();
  }
  w.db.exec("COMMIT");
  state.SetItemsProcessed(state.iterations());
}

void createPostBaseline(benchmark::State& state) {
  World& w = world();
  std::size_t i = 0;
  Id next = 1'000'000'000;
  for (auto _ : state) {
    const std::int64_t user = lowerHalfIds()[i++ & 0x3fff];
    auto it = w.postsOf.find(user);  // the key check
    if (it == w.postsOf.end()) state.SkipWithError("no user");
    it.value().push_back(++next);
    w.titleOf.emplace(next, "new");
  }
  state.SetItemsProcessed(state.iterations());
}

// ---- destroy a user and its 10 posts (CASCADE) -----------------------------------------
// Each iteration destroys the next user; the read suites above run first.

void destroyRelstore(benchmark::State& state) {
  World& w = world();
  Id& next = w.relstoreVictim;
  for (auto _ : state) {
    Instance user(&w.store.impl(), w.userModel.index(), next--);
    user.destroy();
  }
  state.SetItemsProcessed(state.iterations());
}

void destroySqlite(benchmark::State& state) {
  World& w = world();
  bench::Statement q(w.db, "DELETE FROM users WHERE id = ?");
  Id& next = w.sqliteVictim;
  w.db.exec("BEGIN");
  for (auto _ : state) {
    sqlite3_bind_int64(q.get(), 1, next--);
    q.run();
  }
  w.db.exec("COMMIT");
  state.SetItemsProcessed(state.iterations());
}

void destroyBaseline(benchmark::State& state) {
  World& w = world();
  Id& next = w.baselineVictim;
  for (auto _ : state) {
    auto it = w.postsOf.find(next--);
    for (std::int64_t post : it->second) w.titleOf.erase(post);
    w.postsOf.erase(it);
    w.rolesOf.erase(next + 1);
  }
  state.SetItemsProcessed(state.iterations());
}

// ---- destroy a user whose cascade covers 1010 rows over 3 levels -----------------------
// user -> 10 posts -> 10 comments each -> 9 reactions each.

constexpr int kDeepUsers = 64;

struct DeepWorld {
  Store store;
  Model users = store.define("User", {});
  Model posts = store.define("Post", {});
  Model comments = store.define("Comment", {});
  Model reactions = store.define("Reaction", {});
  bench::SqliteDb db;
  // Baseline: children lists per level.
  tsl::robin_map<std::int64_t, std::vector<std::int64_t>, MixHash> postsOf, commentsOf, reactionsOf;
  tsl::robin_map<std::int64_t, int, MixHash> reactionRows;
  Id relstoreVictim = kDeepUsers, sqliteVictim = kDeepUsers, baselineVictim = kDeepUsers;

  DeepWorld() {
    users.hasMany(posts, {.foreignKey = "userId", .onDelete = Action::Cascade});
    posts.hasMany(comments, {.foreignKey = "postId", .onDelete = Action::Cascade});
    comments.hasMany(reactions, {.foreignKey = "commentId", .onDelete = Action::Cascade});
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("CREATE TABLE users(id INTEGER PRIMARY KEY)");
    db.exec("CREATE TABLE posts(id INTEGER PRIMARY KEY, userId INTEGER REFERENCES users(id) ON DELETE CASCADE)");
    db.exec("CREATE TABLE comments(id INTEGER PRIMARY KEY, postId INTEGER REFERENCES posts(id) ON DELETE CASCADE)");
    db.exec("CREATE TABLE reactions(id INTEGER PRIMARY KEY, commentId INTEGER REFERENCES comments(id) ON DELETE CASCADE)");
    db.exec("CREATE INDEX p_u ON posts(userId)");
    db.exec("CREATE INDEX c_p ON comments(postId)");
    db.exec("CREATE INDEX r_c ON reactions(commentId)");
    db.exec("BEGIN");
    bench::Statement iu(db, "INSERT INTO users(id) VALUES(?)");
    bench::Statement ip(db, "INSERT INTO posts(id, userId) VALUES(?, ?)");
    bench::Statement ic(db, "INSERT INTO comments(id, postId) VALUES(?, ?)");
    bench::Statement ir(db, "INSERT INTO reactions(id, commentId) VALUES(?, ?)");
    Id post = 0, comment = 0, reaction = 0;
    for (Id u = 1; u <= kDeepUsers; ++u) {
      users.create({{"id", u}});
      sqlite3_bind_int64(iu.get(), 1, u);
      iu.run();
      for (int p = 0; p < 10; ++p) {
        posts.create({{"id", ++post}, {"userId", u}});
        sqlite3_bind_int64(ip.get(), 1, post);
        sqlite3_bind_int64(ip.get(), 2, u);
        ip.run();
        postsOf[u].push_back(post);
        for (int c = 0; c < 10; ++c) {
          comments.create({{"id", ++comment}, {"postId", post}});
          sqlite3_bind_int64(ic.get(), 1, comment);
          sqlite3_bind_int64(ic.get(), 2, post);
          ic.run();
          commentsOf[post].push_back(comment);
          for (int r = 0; r < 9; ++r) {
            reactions.create({{"id", ++reaction}, {"commentId", comment}});
            sqlite3_bind_int64(ir.get(), 1, reaction);
            sqlite3_bind_int64(ir.get(), 2, comment);
            ir.run();
            reactionsOf[comment].push_back(reaction);
            reactionRows[reaction] = 1;
          }
        }
      }
    }
    db.exec("COMMIT");
  }
};

DeepWorld& deep() {
  static DeepWorld d;
  return d;
}

void deepRelstore(benchmark::State& state) {
  DeepWorld& d = deep();
  Id& next = d.relstoreVictim;
  for (auto _ : state) {
    Instance user(&d.store.impl(), d.users.index(), next--);
    user.destroy();
  }
  state.SetItemsProcessed(state.iterations());
}

void deepSqlite(benchmark::State& state) {
  DeepWorld& d = deep();
  bench::Statement q(d.db, "DELETE FROM users WHERE id = ?");
  Id& next = d.sqliteVictim;
  d.db.exec("BEGIN");
  for (auto _ : state) {
    sqlite3_bind_int64(q.get(), 1, next--);
    q.run();
  }
  d.db.exec("COMMIT");
  state.SetItemsProcessed(state.iterations());
}

void deepBaseline(benchmark::State& state) {
  DeepWorld& d = deep();
  Id& next = d.baselineVictim;
  for (auto _ : state) {
    auto pu = d.postsOf.find(next--);
    for (std::int64_t p : pu->second) {
      auto pc = d.commentsOf.find(p);
      for (std::int64_t c : pc->second) {
        auto cr = d.reactionsOf.find(c);
        for (std::int64_t r : cr->second) d.reactionRows.erase(r);
        d.reactionsOf.erase(cr);
      }
      d.commentsOf.erase(pc);
    }
    d.postsOf.erase(pu);
  }
  state.SetItemsProcessed(state.iterations());
}

using bench::Entry;

void registerAll() {
  const Entry reads[] = {
      {"assoc ids(user) hasMany/relstore", idsRelstore},     {"assoc ids(user) hasMany/sqlite", idsSqlite},
      {"assoc ids(user) hasMany/baseline", idsBaseline},     {"assoc get(user) + title/relstore", getRelstore<false>},
      {"assoc get(user) + title/sqlite", getSqlite<false>},         {"assoc get(user) + title/baseline", getBaseline<false>},
      {"belongsToMany get(user) + label/relstore", getRelstore<true>},
      {"belongsToMany get(user) + label/sqlite", getSqlite<true>},
      {"belongsToMany get(user) + label/baseline", getBaseline<true>},
      {"assoc get(user) + title/floor", getFloor<false>},
      {"belongsToMany get(user) + label/floor", getFloor<true>},
      {"assoc get(user) + title/floor, Instance reads", getFloorWithInstanceReads},
      {"create post (key checked)/relstore", createPostRelstore},
      {"create post (key checked)/sqlite", createPostSqlite},
      {"create post (key checked)/baseline", createPostBaseline},
  };
  for (const Entry& e : reads) benchmark::RegisterBenchmark(e.name, e.fn)->Repetitions(5);
  // Destroys consume users: a fixed number of iterations per repetition.
  // Five repetitions stay within the top quarter of the users.
  const auto perRep = static_cast<benchmark::IterationCount>(std::min<std::size_t>(userCount() / 20, 5000));
  const Entry destroys[] = {{"destroy user + 10 posts (CASCADE)/relstore", destroyRelstore},
                            {"destroy user + 10 posts (CASCADE)/sqlite", destroySqlite},
                            {"destroy user + 10 posts (CASCADE)/baseline", destroyBaseline}};
  for (const Entry& e : destroys) benchmark::RegisterBenchmark(e.name, e.fn)->Iterations(perRep)->Repetitions(5);
  const Entry deeps[] = {{"destroy user + 1010 rows, 3 levels/relstore", deepRelstore},
                         {"destroy user + 1010 rows, 3 levels/sqlite", deepSqlite},
                         {"destroy user + 1010 rows, 3 levels/baseline", deepBaseline}};
  for (const Entry& e : deeps) {
    benchmark::RegisterBenchmark(e.name, e.fn)->Iterations(kDeepUsers / 4)->Repetitions(4)->Unit(benchmark::kMicrosecond);
  }
}

const int registered = (registerAll(), 0);

}  // namespace
