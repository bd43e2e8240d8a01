// Core store suites (issue: core store): create, findByPk, findAll on an
// indexed attribute, a range scan on a non-indexed Real attribute, and memory
// per row — each for relstore, SQLite :memory: (prepared statements, one
// transaction for inserts, the same indexes) and a hand-written baseline
// (tsl::robin_map id → row over plain vectors).
//
// The model: Player {id, name Text unique, guild Int index, score Real, active Bool}.
#include <benchmark/benchmark.h>

#include <memory>
#include <optional>
#include <string>

#include <tsl/robin_map.h>

#include <relstore/relstore.h>

#include "support/bench_support.h"

namespace {

using namespace relstore;

constexpr std::int64_t kGuilds = 1000;

std::string nameOf(std::size_t i) { return "player" + std::to_string(i); }
std::int64_t guildOf(std::size_t i) { return static_cast<std::int64_t>(i % kGuilds); }
double scoreOf(std::size_t i) { return static_cast<double>((i * 7919) % 100000) / 100.0; }  // [0, 1000)
bool activeOf(std::size_t i) { return i % 2 == 0; }

using bench::MixHash;

// ---- the three implementations --------------------------------------------------

Model definePlayers(Store& store) {
  return store.define("Player", {{.name = "name", .type = Type::Text, .allowNull = false, .unique = true},
                                 {.name = "guild", .type = Type::Int, .index = true},
                                 {.name = "score", .type = Type::Real},
                                 {.name = "active", .type = Type::Bool}});
}

void createRelstore(Model& players, std::size_t n) {
  for (std::size_t i = 1; i <= n; ++i) {
    players.create({{"name", nameOf(i)}, {"guild", guildOf(i)}, {"score", scoreOf(i)}, {"active", activeOf(i)}});
  }
}

void defineSqlite(bench::SqliteDb& db) {
  db.exec("CREATE TABLE player(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, guild INTEGER, score REAL, active INTEGER)");
  db.exec("CREATE INDEX player_guild ON player(guild)");
}

void createSqlite(bench::SqliteDb& db, std::size_t n) {
  bench::Statement insert(db, "INSERT INTO player(name, guild, score, active) VALUES (?, ?, ?, ?)");
  db.exec("BEGIN");
  for (std::size_t i = 1; i <= n; ++i) {
    const std::string name = nameOf(i);
    sqlite3_bind_text(insert.get(), 1, name.data(), static_cast<int>(name.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(insert.get(), 2, guildOf(i));
    sqlite3_bind_double(insert.get(), 3, scoreOf(i));
    sqlite3_bind_int(insert.get(), 4, activeOf(i));
    insert.run();
  }
  db.exec("COMMIT");
}

// What a careful programmer writes by hand: columns as vectors, robin_map
// indices for the id, the unique name and the guild.
struct Baseline {
  std::vector<std::int64_t> id, guild;
  std::vector<std::string> name;
  std::vector<double> score;
  std::vector<std::uint8_t> active;
  tsl::robin_map<std::int64_t, std::uint32_t, MixHash> byId;
  tsl::robin_map<std::string, std::uint32_t> byName;
  tsl::robin_map<std::int64_t, std::vector<std::uint32_t>, MixHash> byGuild;
  std::int64_t counter = 0;

  void insert(std::string n, std::int64_t g, double s, bool a) {
    if (byName.count(n)) throw std::runtime_error("duplicate name");
    const auto row = static_cast<std::uint32_t>(id.size());
    id.push_back(++counter);
    byName.emplace(n, row);
    name.push_back(std::move(n));
    guild.push_back(g);
    score.push_back(s);
    active.push_back(a);
    byId.emplace(counter, row);
    byGuild[g].push_back(row);
  }
  std::size_t memoryUsage() const {
    std::size_t bytes = id.capacity() * 8 + guild.capacity() * 8 + score.capacity() * 8 + active.capacity() +
                        name.capacity() * sizeof(std::string) + byId.bucket_count() * 24 +
                        byName.bucket_count() * 48 + byGuild.bucket_count() * 40;
    for (const auto& [g, rows] : byGuild) bytes += rows.capacity() * 4;
    return bytes;
  }
};

void createBaseline(Baseline& b, std::size_t n) {
  for (std::size_t i = 1; i <= n; ++i) b.insert(nameOf(i), guildOf(i), scoreOf(i), activeOf(i));
}

// ---- one shared populated dataset for the read benchmarks --------------------------

struct Dataset {
  std::size_t n = bench::rows();
  Store store;
  Model players = definePlayers(store);
  bench::SqliteDb db;
  Baseline baseline;

  Dataset() {
    createRelstore(players, n);
    const auto before = sqlite3_memory_used();
    defineSqlite(db);
    createSqlite(db, n);
    const auto sqliteBytes = sqlite3_memory_used() - before;
    createBaseline(baseline, n);
    char line[256];
    std::snprintf(line, sizeof line,
                  "\nMemory per row (%zu rows): relstore %.1f B (memoryUsage), SQLite %.1f B (sqlite3_memory_used), "
                  "baseline %.1f B; relstore ÷ SQLite = %.2f×",
                  n, static_cast<double>(store.memoryUsage()) / n, static_cast<double>(sqliteBytes) / n,
                  static_cast<double>(baseline.memoryUsage()) / n,
                  static_cast<double>(store.memoryUsage()) / static_cast<double>(sqliteBytes));
    bench::addNote(line);
  }
};

Dataset& data() {
  static Dataset d;
  return d;
}

// ---- create ------------------------------------------------------------------------

void createRelstoreBench(benchmark::State& state) {
  const std::size_t n = bench::rows();
  for (auto _ : state) {
    auto store = std::make_unique<Store>();
    Model players = definePlayers(*store);
    createRelstore(players, n);
    state.PauseTiming();
    store.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

void createSqliteBench(benchmark::State& state) {
  const std::size_t n = bench::rows();
  for (auto _ : state) {
    auto db = std::make_unique<bench::SqliteDb>();
    defineSqlite(*db);
    createSqlite(*db, n);
    state.PauseTiming();
    db.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

void createBaselineBench(benchmark::State& state) {
  const std::size_t n = bench::rows();
  for (auto _ : state) {
    auto b = std::make_unique<Baseline>();
    createBaseline(*b, n);
    state.PauseTiming();
    b.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

// ---- findByPk: random ids; the handle alone, then reading one attribute -------------

const std::vector<std::int64_t>& lookupIds() {
  static const auto ids = bench::randomIds(bench::rows(), 1 << 16);
  return ids;
}

// `ReadAttribute`: also read `guild` of the row found (relstore through
// Instance::get, SQLite as a selected column, the baseline from its vector).
template <bool ReadAttribute>
void findByPkRelstore(benchmark::State& state) {
  Dataset& d = data();
  const auto& ids = lookupIds();
  std::size_t i = 0;
  for (auto _ : state) {
    auto p = d.players.findByPk(ids[i++ & 0xffff]);
    if constexpr (ReadAttribute) {
      benchmark::DoNotOptimize(p->get<std::int64_t>("guild"));
    } else {
      benchmark::DoNotOptimize(p->id());
    }
  }
  state.SetItemsProcessed(state.iterations());
}

template <bool ReadAttribute>
void findByPkSqlite(benchmark::State& state) {
  Dataset& d = data();
  const auto& ids = lookupIds();
  bench::Statement select(d.db, ReadAttribute ? "SELECT guild FROM player WHERE id = ?" : "SELECT id FROM player WHERE id = ?");
  std::size_t i = 0;
  for (auto _ : state) {
    sqlite3_bind_int64(select.get(), 1, ids[i++ & 0xffff]);
    if (sqlite3_step(select.get()) != SQLITE_ROW) state.SkipWithError("row not found");
    benchmark::DoNotOptimize(sqlite3_column_int64(select.get(), 0));
    sqlite3_reset(select.get());
  }
  state.SetItemsProcessed(state.iterations());
}

template <bool ReadAttribute>
void findByPkBaseline(benchmark::State& state) {
  Dataset& d = data();
  const auto& ids = lookupIds();
  std::size_t i = 0;
  for (auto _ : state) {
    auto it = d.baseline.byId.find(ids[i++ & 0xffff]);
    if constexpr (ReadAttribute) {
      benchmark::DoNotOptimize(d.baseline.guild[it->second]);
    } else {
      benchmark::DoNotOptimize(d.baseline.id[it->second]);
    }
  }
  state.SetItemsProcessed(state.iterations());
}

// ---- findAll guild == g (indexed): rows returned, reading each row's id --------------

void findIndexedRelstore(benchmark::State& state) {
  Dataset& d = data();
  std::int64_t g = 0, rows = 0;
  for (auto _ : state) {
    auto found = d.players.findAll({.where = col("guild") == (g++ % kGuilds)});
    for (const Instance& p : found) benchmark::DoNotOptimize(p.id());
    rows += static_cast<std::int64_t>(found.size());
  }
  state.SetItemsProcessed(rows);
}

void findIndexedSqlite(benchmark::State& state) {
  Dataset& d = data();
  bench::Statement select(d.db, "SELECT id FROM player WHERE guild = ?");
  std::int64_t g = 0, rows = 0;
  for (auto _ : state) {
    sqlite3_bind_int64(select.get(), 1, g++ % kGuilds);
    while (sqlite3_step(select.get()) == SQLITE_ROW) {
      benchmark::DoNotOptimize(sqlite3_column_int64(select.get(), 0));
      ++rows;
    }
    sqlite3_reset(select.get());
  }
  state.SetItemsProcessed(rows);
}

void findIndexedBaseline(benchmark::State& state) {
  Dataset& d = data();
  std::int64_t g = 0, rows = 0;
  for (auto _ : state) {
    auto it = d.baseline.byGuild.find(g++ % kGuilds);
    std::vector<std::int64_t> ids;  // materialized, as the other two return rows
    ids.reserve(it->second.size());
    for (std::uint32_t r : it->second) ids.push_back(d.baseline.id[r]);
    benchmark::DoNotOptimize(ids.data());
    rows += static_cast<std::int64_t>(ids.size());
  }
  state.SetItemsProcessed(rows);
}

// ---- range scan on score (not indexed): rows scanned per second ----------------------

void scanRelstore(benchmark::State& state) {
  Dataset& d = data();
  for (auto _ : state) {
    auto found = d.players.findAll({.where = col("score") >= 100.0 && col("score") < 110.0});
    benchmark::DoNotOptimize(found.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.n));
}

void scanSqlite(benchmark::State& state) {
  Dataset& d = data();
  bench::Statement select(d.db, "SELECT id FROM player WHERE score >= 100.0 AND score < 110.0");
  for (auto _ : state) {
    while (sqlite3_step(select.get()) == SQLITE_ROW) benchmark::DoNotOptimize(sqlite3_column_int64(select.get(), 0));
    sqlite3_reset(select.get());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.n));
}

void scanBaseline(benchmark::State& state) {
  Dataset& d = data();
  for (auto _ : state) {
    std::vector<std::int64_t> ids;
    const auto& score = d.baseline.score;
    for (std::size_t r = 0; r < score.size(); ++r) {
      if (score[r] >= 100.0 && score[r] < 110.0) ids.push_back(d.baseline.id[r]);
    }
    benchmark::DoNotOptimize(ids.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.n));
}

// ---- the same writes inside transactions (commit every 1000) -----------------------
// What a transaction adds to a write: recording what it replaces. The plain
// "create" suite above is the same work outside transactions.

constexpr std::size_t kPerTransaction = 1000;

void createInTransactionsRelstore(benchmark::State& state) {
  const std::size_t n = bench::rows();
  for (auto _ : state) {
    auto store = std::make_unique<Store>();
    Model players = definePlayers(*store);
    for (std::size_t i = 1; i <= n; i += kPerTransaction) {
      store->transaction([&] {
        for (std::size_t k = i; k < std::min(n + 1, i + kPerTransaction); ++k) {
          players.create({{"name", nameOf(k)}, {"guild", guildOf(k)}, {"score", scoreOf(k)}, {"active", activeOf(k)}});
        }
      });
    }
    state.PauseTiming();
    store.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

void createInTransactionsSqlite(benchmark::State& state) {
  const std::size_t n = bench::rows();
  for (auto _ : state) {
    auto db = std::make_unique<bench::SqliteDb>();
    defineSqlite(*db);
    {
      bench::Statement insert(*db, "INSERT INTO player(name, guild, score, active) VALUES (?, ?, ?, ?)");
      for (std::size_t i = 1; i <= n; ++i) {
        if (i % kPerTransaction == 1) db->exec("BEGIN");
        const std::string name = nameOf(i);
        sqlite3_bind_text(insert.get(), 1, name.data(), static_cast<int>(name.size()), SQLITE_TRANSIENT);
        sqlite3_bind_int64(insert.get(), 2, guildOf(i));
        sqlite3_bind_double(insert.get(), 3, scoreOf(i));
        sqlite3_bind_int(insert.get(), 4, activeOf(i));
        insert.run();
        if (i % kPerTransaction == 0 || i == n) db->exec("COMMIT");
      }
    }  // the statement is finalized before the database closes
    state.PauseTiming();
    db.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

const std::vector<std::int64_t>& updateIds() {
  static const auto ids = bench::randomIds(bench::rows(), 1 << 14, 11);
  return ids;
}

template <bool InTransactions>
void updateRelstore(benchmark::State& state) {
  Dataset& d = data();
  std::size_t i = 0;
  std::optional<Transaction> tx;
  for (auto _ : state) {
    if (InTransactions && i % kPerTransaction == 0) {
      if (tx) tx->commit();
      tx.emplace(d.store.begin());
    }
    const std::int64_t id = updateIds()[i++ & 0x3fff];
    Instance(&d.store.impl(), d.players.index(), id).update({{"score", static_cast<double>(i % 1000)}});
  }
  if (tx) tx->commit();
  state.SetItemsProcessed(state.iterations());
}

template <bool InTransactions>
void updateSqlite(benchmark::State& state) {
  Dataset& d = data();
  bench::Statement update(d.db, "UPDATE player SET score = ? WHERE id = ?");
  std::size_t i = 0;
  bool open = false;
  for (auto _ : state) {
    if (InTransactions && i % kPerTransaction == 0) {
      if (open) d.db.exec("COMMIT");
      d.db.exec("BEGIN");
      open = true;
    }
    const std::int64_t id = updateIds()[i++ & 0x3fff];
    sqlite3_bind_double(update.get(), 1, static_cast<double>(i % 1000));
    sqlite3_bind_int64(update.get(), 2, id);
    update.run();
  }
  if (open) d.db.exec("COMMIT");
  state.SetItemsProcessed(state.iterations());
}

void updateBaseline(benchmark::State& state) {
  Dataset& d = data();
  std::size_t i = 0;
  for (auto _ : state) {
    const std::int64_t id = updateIds()[i++ & 0x3fff];
    d.baseline.score[d.baseline.byId.find(id)->second] = static_cast<double>(i % 1000);
  }
  benchmark::DoNotOptimize(d.baseline.score.data());
  state.SetItemsProcessed(state.iterations());
}

// Creates run once per repetition (each is a million rows); reads repeat.
using bench::Entry;

void registerAll() {
  const int reps = 5;
  const Entry creates[] = {{"create/relstore", createRelstoreBench}, {"create/sqlite", createSqliteBench},
                           {"create/baseline", createBaselineBench}};
  for (const Entry& e : creates) {
    benchmark::RegisterBenchmark(e.name, e.fn)->Iterations(1)->Repetitions(reps)->Unit(benchmark::kMillisecond);
  }
  const Entry reads[] = {{"findByPk/relstore", findByPkRelstore<false>},
                         {"findByPk/sqlite", findByPkSqlite<false>},
                         {"findByPk/baseline", findByPkBaseline<false>},
                         {"findByPk + get attribute/relstore", findByPkRelstore<true>},
                         {"findByPk + get attribute/sqlite", findByPkSqlite<true>},
                         {"findByPk + get attribute/baseline", findByPkBaseline<true>},
                         {"findAll indexed ==/relstore", findIndexedRelstore},
                         {"findAll indexed ==/sqlite", findIndexedSqlite},
                         {"findAll indexed ==/baseline", findIndexedBaseline},
                         {"findAll Real range scan/relstore", scanRelstore},
                         {"findAll Real range scan/sqlite", scanSqlite},
                         {"findAll Real range scan/baseline", scanBaseline}};
  for (const Entry& e : reads) {
    benchmark::RegisterBenchmark(e.name, e.fn)->Repetitions(reps);
  }
  const Entry transactionCreates[] = {{"create, transactions of 1000/relstore", createInTransactionsRelstore},
                                      {"create, transactions of 1000/sqlite", createInTransactionsSqlite}};
  for (const Entry& e : transactionCreates) {
    benchmark::RegisterBenchmark(e.name, e.fn)->Iterations(1)->Repetitions(reps)->Unit(benchmark::kMillisecond);
  }
  const Entry updates[] = {{"update by id/relstore", updateRelstore<false>},
                           {"update by id/sqlite", updateSqlite<false>},
                           {"update by id/baseline", updateBaseline},
                           {"update by id, transactions of 1000/relstore", updateRelstore<true>},
                           {"update by id, transactions of 1000/sqlite", updateSqlite<true>}};
  for (const Entry& e : updates) benchmark::RegisterBenchmark(e.name, e.fn)->Repetitions(reps);
}

const int registered = (registerAll(), 0);

}  // namespace
