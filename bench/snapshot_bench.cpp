// Snapshot suites (issue: snapshots): save and load of 100k users, 1M posts
// and a 1M-row junction, beside SQLite's backup API on the same data
// (:memory: → file for a save, file → :memory: for a load; SQLite's default
// synchronous=FULL fsyncs, as relstore's save does) and a hand-written
// baseline that writes the same number of bytes raw (write, fsync, rename:
// the I/O floor). Also the time saveSnapshotAsync blocks its caller.
//
// Files go to $RELSTORE_BENCH_DIR (default: the system temp folder).
// RELSTORE_BENCH_ROWS scales the data: users = rows / 10.
#include <benchmark/benchmark.h>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <relstore/relstore.h>
#include <relstore/snapshot.h>

#include "support/bench_support.h"

namespace {

using namespace relstore;

constexpr int kPostsPerUser = 10;
constexpr int kRoles = 100;
constexpr int kRolesPerUser = 10;

std::filesystem::path benchDir() {
  const char* dir = std::getenv("RELSTORE_BENCH_DIR");
  return dir ? std::filesystem::path(dir) : std::filesystem::temp_directory_path();
}

void defineSchema(Store& store) {
  Model users = store.define("User", {{.name = "name"}, {.name = "gold", .type = Type::Int}});
  Model posts = store.define("Post", {{.name = "title"}, {.name = "score", .type = Type::Real}});
  Model roles = store.define("Role", {{.name = "label"}});
  users.hasMany(posts, {.foreignKey = "userId", .onDelete = Action::Cascade});
  users.belongsToMany(roles, {.through = {"UserRole"}});
}

void backup(sqlite3* from, const std::filesystem::path& to) {
  sqlite3* dest = nullptr;
  if (sqlite3_open(to.c_str(), &dest) != SQLITE_OK) throw std::runtime_error("sqlite open failed");
  sqlite3_backup* b = sqlite3_backup_init(dest, "main", from, "main");
  if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE) throw std::runtime_error("sqlite backup failed");
  sqlite3_backup_finish(b);
  sqlite3_close(dest);
}

struct SnapshotWorld {
  std::size_t users = std::max<std::size_t>(bench::rows() / 10, 100);
  Store store;
  bench::SqliteDb db;
  std::filesystem::path dir = benchDir();
  std::filesystem::path binary = dir / "relstore-bench.relsnap";
  std::filesystem::path json = dir / "relstore-bench.json.relsnap";
  std::filesystem::path sqliteFile = dir / "relstore-bench.sqlite";
  std::uintmax_t binaryBytes = 0, jsonBytes = 0;

  SnapshotWorld() {
    defineSchema(store);
    std::vector<Record> rows;
    rows.reserve(users);
    for (std::size_t u = 1; u <= users; ++u) {
      rows.push_back({{"name", "user" + std::to_string(u)}, {"gold", static_cast<Id>(u * 3)}});
    }
    store.model("User").bulkCreate(rows);
    rows.clear();
    for (int r = 1; r <= kRoles; ++r) rows.push_back({{"label", "role" + std::to_string(r)}});
    store.model("Role").bulkCreate(rows);
    rows.clear();
    rows.reserve(users * kPostsPerUser);
    for (std::size_t u = 1; u <= users; ++u) {
      for (int k = 0; k < kPostsPerUser; ++k) {
        rows.push_back({{"title", "post number " + std::to_string(k)}, {"score", 0.5 * k}, {"userId", static_cast<Id>(u)}});
      }
    }
    store.model("Post").bulkCreate(rows);
    rows.clear();
    for (std::size_t u = 1; u <= users; ++u) {
      for (int k = 0; k < kRolesPerUser; ++k) {
        rows.push_back({{"UserId", static_cast<Id>(u)}, {"RoleId", static_cast<Id>((u * 7 + k * 13) % kRoles + 1)}});
      }
    }
    store.model("UserRole").bulkCreate(rows);

    db.exec("CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT, gold INTEGER)");
    db.exec("CREATE TABLE posts(id INTEGER PRIMARY KEY, title TEXT, score REAL, userId INTEGER REFERENCES users(id))");
    db.exec("CREATE INDEX posts_user ON posts(userId)");
    db.exec("CREATE TABLE roles(id INTEGER PRIMARY KEY, label TEXT)");
    db.exec("CREATE TABLE user_roles(id INTEGER PRIMARY KEY, userId INTEGER NOT NULL, roleId INTEGER NOT NULL, "
            "UNIQUE(userId, roleId))");
    db.exec("CREATE INDEX user_roles_role ON user_roles(roleId)");
    db.exec("BEGIN");
    {
      bench::Statement iu(db, "INSERT INTO users(id, name, gold) VALUES(?, ?, ?)");
      bench::Statement ip(db, "INSERT INTO posts(title, score, userId) VALUES(?, ?, ?)");
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
        sqlite3_bind_int64(iu.get(), 3, static_cast<std::int64_t>(u * 3));
        iu.run();
        for (int k = 0; k < kPostsPerUser; ++k) {
          const std::string title = "post number " + std::to_string(k);
          sqlite3_bind_text(ip.get(), 1, title.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_double(ip.get(), 2, 0.5 * k);
          sqlite3_bind_int64(ip.get(), 3, static_cast<std::int64_t>(u));
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

    saveSnapshot(store, binary);
    saveSnapshot(store, json, {.format = SnapshotFormat::Json});
    binaryBytes = std::filesystem::file_size(binary);
    jsonBytes = std::filesystem::file_size(json);
    backup(db.handle(), sqliteFile);
    char line[320];
    std::snprintf(line, sizeof line,
                  "\nSnapshot data: %zu users, %zu posts, %zu junction rows; relstore binary file %.1f MiB, JSON "
                  "file %.1f MiB; SQLite database file %.1f MiB",
                  users, users * kPostsPerUser, users * kRolesPerUser, binaryBytes / 1048576.0, jsonBytes / 1048576.0,
                  std::filesystem::file_size(sqliteFile) / 1048576.0);
    bench::addNote(line);
  }
  ~SnapshotWorld() {
    std::error_code ec;
    for (const auto& p : {binary, json, sqliteFile}) std::filesystem::remove(p, ec);
  }
};

SnapshotWorld& world() {
  static SnapshotWorld w;
  return w;
}

void reportBytes(benchmark::State& state, std::uintmax_t bytes) {
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

// ---- save --------------------------------------------------------------------------

void saveRelstore(benchmark::State& state) {
  SnapshotWorld& w = world();
  for (auto _ : state) saveSnapshot(w.store, w.binary);
  reportBytes(state, w.binaryBytes);
}

void saveJsonRelstore(benchmark::State& state) {
  SnapshotWorld& w = world();
  for (auto _ : state) saveSnapshot(w.store, w.json, {.format = SnapshotFormat::Json});
  reportBytes(state, w.jsonBytes);
}

void saveSqlite(benchmark::State& state) {
  SnapshotWorld& w = world();
  for (auto _ : state) {
    std::filesystem::remove(w.sqliteFile);
    backup(w.db.handle(), w.sqliteFile);
  }
  reportBytes(state, std::filesystem::file_size(w.sqliteFile));
}

// The I/O floor: the binary snapshot's number of bytes written raw to a
// temporary file, fsync'ed and renamed into place.
void saveBaseline(benchmark::State& state) {
  SnapshotWorld& w = world();
  const std::string bytes(w.binaryBytes, 'x');
  const std::string temp = (w.dir / "relstore-bench.raw.tmp").string();
  const std::string target = (w.dir / "relstore-bench.raw").string();
  for (auto _ : state) {
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::size_t done = 0;
    while (done < bytes.size()) done += static_cast<std::size_t>(::write(fd, bytes.data() + done, bytes.size() - done));
    ::fsync(fd);
    ::close(fd);
    std::rename(temp.c_str(), target.c_str());
  }
  std::filesystem::remove(target);
  reportBytes(state, w.binaryBytes);
}

// ---- load --------------------------------------------------------------------------

// A server start: the code's schema, empty, then the load. (Freeing the
// loaded world afterwards is not part of it: timing is paused.)
void loadInto(benchmark::State& state, const std::filesystem::path& file, std::uintmax_t bytes) {
  SnapshotWorld& w = world();
  for (auto _ : state) {
    state.PauseTiming();
    auto target = std::make_unique<Store>();
    defineSchema(*target);
    state.ResumeTiming();
    loadSnapshot(*target, file);
    state.PauseTiming();
    if (target->model("Post").count() != w.users * kPostsPerUser) state.SkipWithError("load lost rows");
    target.reset();
    state.ResumeTiming();
  }
  reportBytes(state, bytes);
}

void loadRelstore(benchmark::State& state) { loadInto(state, world().binary, world().binaryBytes); }
void loadJsonRelstore(benchmark::State& state) { loadInto(state, world().json, world().jsonBytes); }

void loadSqlite(benchmark::State& state) {
  SnapshotWorld& w = world();
  if (!std::filesystem::exists(w.sqliteFile)) backup(w.db.handle(), w.sqliteFile);
  for (auto _ : state) {
    sqlite3* file = nullptr;
    sqlite3_open_v2(w.sqliteFile.c_str(), &file, SQLITE_OPEN_READONLY, nullptr);
    bench::SqliteDb memory;
    sqlite3_backup* b = sqlite3_backup_init(memory.handle(), "main", file, "main");
    sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    sqlite3_close(file);
  }
  reportBytes(state, std::filesystem::file_size(w.sqliteFile));
}

// The hand-written floor of a load: reading the file's bytes into memory.
void loadBaseline(benchmark::State& state) {
  SnapshotWorld& w = world();
  std::string bytes(w.binaryBytes, '\0');
  for (auto _ : state) {
    const int fd = ::open(w.binary.c_str(), O_RDONLY);
    std::size_t done = 0;
    while (done < bytes.size()) done += static_cast<std::size_t>(::read(fd, bytes.data() + done, bytes.size() - done));
    ::close(fd);
    benchmark::DoNotOptimize(bytes.data());
  }
  reportBytes(state, w.binaryBytes);
}

// ---- the caller's share of an asynchronous save ---------------------------------

void asyncBlockingRelstore(benchmark::State& state) {
  SnapshotWorld& w = world();
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    std::future<void> pending = saveSnapshotAsync(w.store, w.binary);
    const auto blocked = std::chrono::steady_clock::now() - start;
    pending.get();  // not the caller's time: excluded below
    state.SetIterationTime(std::chrono::duration<double>(blocked).count());
  }
  reportBytes(state, w.binaryBytes);
}

using bench::Entry;

void registerAll() {
  const Entry entries[] = {
      {"snapshot save (binary)/relstore", saveRelstore}, {"snapshot save (binary)/sqlite", saveSqlite},
      {"snapshot save (binary)/baseline", saveBaseline}, {"snapshot load (binary)/relstore", loadRelstore},
      {"snapshot load (binary)/sqlite", loadSqlite},     {"snapshot load (binary)/baseline", loadBaseline},
      {"snapshot save (JSON)/relstore", saveJsonRelstore}, {"snapshot load (JSON)/relstore", loadJsonRelstore},
  };
  for (const Entry& e : entries) {
    benchmark::RegisterBenchmark(e.name, e.fn)->Iterations(2)->Repetitions(5)->Unit(benchmark::kMillisecond);
  }
  benchmark::RegisterBenchmark("snapshot saveSnapshotAsync: caller blocked/relstore", asyncBlockingRelstore)
      ->UseManualTime()
      ->Iterations(2)
      ->Repetitions(5)
      ->Unit(benchmark::kMillisecond);
}

const int registered = (registerAll(), 0);

}  // namespace
