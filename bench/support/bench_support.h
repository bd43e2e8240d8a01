// Shared by relstore's benchmark suites: data sizes, random keys, a thin SQLite
// wrapper, and the main() that prints a table of medians and ratios.
#pragma once

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <sqlite3.h>

namespace bench {

// The hash the baselines use for integer keys (a mixing finalizer, as relstore's).
struct MixHash {
  std::size_t operator()(std::int64_t k) const noexcept {
    auto x = static_cast<std::uint64_t>(k);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
  }
};

// One benchmark of a suite: "<suite>/<relstore|sqlite|baseline>" and its function.
struct Entry {
  const char* name;
  void (*fn)(benchmark::State&);
};

// Rows per table: RELSTORE_BENCH_ROWS, default 1,000,000 (test.sh smoke-runs small).
std::size_t rows();

// `count` random ids in [1, n], fixed seed.
std::vector<std::int64_t> randomIds(std::size_t n, std::size_t count, std::uint64_t seed = 1);

// An SQLite `:memory:` database; throws on any error.
class SqliteDb {
 public:
  SqliteDb();
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  void exec(const std::string& sql);
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  Statement(const SqliteDb& db, const std::string& sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() const { return stmt_; }
  // Steps to completion, expecting SQLITE_DONE; then resets.
  void run();
  void reset();

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// Extra lines printed under the table (memory figures and the like).
void addNote(const std::string& line);

// The floors' pieces (hand-written lower bounds: the least work the binding
// API allows, see the suites). A text as a 16-byte cell, up to 15 bytes
// inline as relstore's; compared whole.
struct FloorCell {
  char bytes[15];
  std::uint8_t size;

  static FloorCell of(const std::string& text) {
    FloorCell c{};
    std::memcpy(c.bytes, text.data(), text.size());  // the suites' texts are short
    c.size = static_cast<std::uint8_t>(text.size());
    return c;
  }
  // Copied out for real (DoNotOptimize), as get<std::string> does out of line.
  std::string read() const {
    std::string text(bytes, size);
    benchmark::DoNotOptimize(text);
    return text;
  }
  friend bool operator==(const FloorCell& a, const FloorCell& b) { return std::memcmp(&a, &b, sizeof a) == 0; }
};
// A minimal handle: what any Instance must hold to find its row.
struct FloorHandle {
  const void* store;
  std::uint32_t model;
  std::uint32_t slot;
  std::int64_t id;
};

}  // namespace bench
