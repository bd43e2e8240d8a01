// Eager loading suites (issue: eager loading and scopes): include trees over
// 100k users x 10 posts x 5 comments, batches of 1000 random users, beside
// SQLite's best plan (one JOIN with an IN list, same indexes) and a
// hand-written baseline (vectors of children per parent), and a floor (the
// least work the binding API allows, see Floor). Every row returned has one
// attribute read. RELSTORE_BENCH_ROWS scales it: users = rows / 10.
#include <benchmark/benchmark.h>

#include <string>

#include <relstore/relstore.h>

#include "support/bench_support.h"

namespace {

using namespace relstore;

constexpr int kPosts = 10;
constexpr int kComments = 5;
constexpr std::size_t kBatch = 1000;

std::size_t users() { return std::max<std::size_t>(bench::rows() / 10, 2 * kBatch); }

struct World {
  std::size_t n = users();
  Store store;
  Model userModel = store.define("User", {{.name = "name", .type = Type::Text}});
  Model postModel = store.define("Post", {{.name = "title", .type = Type::Text}, {.name = "status", .type = Type::Text}});
  Model commentModel = store.define("Comment", {{.name = "body", .type = Type::Text}});
  bench::SqliteDb db;
  // Baseline: children per parent (0-based indexes), attributes in vectors.
  std::vector<std::vector<std::uint32_t>> postsOf, commentsOf;
  std::vector<std::string> userName, postTitle, postStatus, commentBody;
  std::vector<std::uint32_t> postUser;
  std::vector<std::vector<Value>> batches;
  std::vector<std::vector<std::int64_t>> batchIds;

  World() {
    userModel.hasMany(postModel, {.foreignKey = "userId", .as = "posts"});
    postModel.belongsTo(userModel, {.foreignKey = "userId", .as = "author"});
    postModel.hasMany(commentModel, {.foreignKey = "postId", .as = "comments"});
    postModel.addScope("withAuthor", {.include = {{.as = "author"}}});
    db.exec("CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT)");
    db.exec("CREATE TABLE posts(id INTEGER PRIMARY KEY, title TEXT, status TEXT, userId INTEGER REFERENCES users(id))");
    db.exec("CREATE TABLE comments(id INTEGER PRIMARY KEY, body TEXT, postId INTEGER REFERENCES posts(id))");
    db.exec("CREATE INDEX posts_user ON posts(userId)");
    db.exec("CREATE INDEX comments_post ON comments(postId)");
    db.exec("BEGIN");
    bench::Statement iu(db, "INSERT INTO users(id, name) VALUES(?, ?)");
    bench::Statement ip(db, "INSERT INTO posts(id, title, status, userId) VALUES(?, ?, ?, ?)");
    bench::Statement ic(db, "INSERT INTO comments(id, body, postId) VALUES(?, ?, ?)");
    std::int64_t post = 0, comment = 0;
    postsOf.resize(n);
    for (std::size_t u = 1; u <= n; ++u) {
      const std::string name = "user" + std::to_string(u);
      userModel.create({{"name", name}});
      sqlite3_bind_int64(iu.get(), 1, static_cast<std::int64_t>(u));
      sqlite3_bind_text(iu.get(), 2, name.c_str(), -1, SQLITE_TRANSIENT);
      iu.run();
      userName.push_back(name);
      for (int k = 0; k < kPosts; ++k) {
        ++post;
        const std::string title = "post" + std::to_string(k);
        const char* status = k % 2 == 0 ? "published" : "draft";
        postModel.create({{"title", title}, {"status", status}, {"userId", static_cast<Id>(u)}});
        sqlite3_bind_int64(ip.get(), 1, post);
        sqlite3_bind_text(ip.get(), 2, title.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ip.get(), 3, status, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ip.get(), 4, static_cast<std::int64_t>(u));
        ip.run();
        postsOf[u - 1].push_back(static_cast<std::uint32_t>(post - 1));
        postTitle.push_back(title);
        postStatus.push_back(status);
        postUser.push_back(static_cast<std::uint32_t>(u - 1));
        commentsOf.emplace_back();
        for (int c = 0; c < kComments; ++c) {
          ++comment;
          const std::string body = "comment" + std::to_string(c);
          commentModel.create({{"body", body}, {"postId", post}});
          sqlite3_bind_int64(ic.get(), 1, comment);
          sqlite3_bind_text(ic.get(), 2, body.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64(ic.get(), 3, post);
          ic.run();
          commentsOf.back().push_back(static_cast<std::uint32_t>(comment - 1));
          commentBody.push_back(body);
        }
      }
    }
    db.exec("COMMIT");
    for (int b = 0; b < 16; ++b) {
      const auto ids = bench::randomIds(n, kBatch, 100 + static_cast<std::uint64_t>(b));
      batchIds.push_back(ids);
      batches.emplace_back(ids.begin(), ids.end());
    }
  }
};

World& world() {
  static World w;
  return w;
}

// The floor of these suites: the least work the binding API allows for them,
// hand-written over the layout that makes it cheapest, so that README can
// say how far a ratio to SQLite can go on the machine at hand. Children are
// compressed adjacency arrays (a parent's range found through one offset
// array indexed by its slot; users' slots are their ids - 1), attributes
// 16-byte cells by slot (up to 15 bytes inline, as relstore's); a query
// returns a handle per user, each with its own vector of handles of the
// posts that passed (`included()` hands out a `const std::vector<Instance>&`
// per parent), and a vector of comment handles per post when nested; then
// every title and body is copied into a std::string. Users come in the
// batch's order (no sort), nothing is checked.
struct Floor {
  using Cell = bench::FloorCell;
  using Handle = bench::FloorHandle;
  struct Post {
    Handle handle;
    std::vector<Handle> comments;
  };
  struct User {
    Handle handle;
    std::vector<Post> posts;
  };
  std::vector<std::uint32_t> postsStart, commentsStart;  // slot s's children are [start[s], start[s + 1])
  std::vector<Cell> status, title, body;                 // by slot
  Cell published = Cell::of("published");

  explicit Floor(const World& w) {
    postsStart.push_back(0);
    for (const auto& posts : w.postsOf) postsStart.push_back(postsStart.back() + static_cast<std::uint32_t>(posts.size()));
    commentsStart.push_back(0);
    for (const auto& comments : w.commentsOf) {
      commentsStart.push_back(commentsStart.back() + static_cast<std::uint32_t>(comments.size()));
    }
    for (const std::string& t : w.postTitle) title.push_back(Cell::of(t));
    for (const std::string& t : w.postStatus) status.push_back(Cell::of(t));
    for (const std::string& t : w.commentBody) body.push_back(Cell::of(t));
  }
};

const Floor& floor() {
  static const Floor f(world());
  return f;
}

std::string inList(std::size_t count) {
  std::string s = "(";
  for (std::size_t i = 0; i < count; ++i) s += i ? ",?" : "?";
  return s + ")";
}

// ---- users in a batch with their published posts ----------------------------------------

template <bool Nested>
void includeRelstore(benchmark::State& state) {
  World& w = world();
  std::size_t b = 0, bytes = 0;
  for (auto _ : state) {
    Include posts{.as = "posts", .where = col("status") == "published"};
    if (Nested) posts.include = {{.as = "comments"}};
    const auto found = w.userModel.findAll({.where = col("id").in(w.batches[b++ & 15]), .include = {posts}});
    for (const Instance& u : found) {
      for (const Instance& p : u.included("posts")) {
        bytes += p.get<std::string>("title").size();
        if constexpr (Nested) {
          for (const Instance& c : p.included("comments")) bytes += c.get<std::string>("body").size();
        }
      }
    }
  }
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
}

template <bool Nested>
void includeSqlite(benchmark::State& state) {
  World& w = world();
  const std::string sql =
      Nested ? "SELECT u.id, p.title, c.body FROM users u JOIN posts p ON p.userId = u.id JOIN comments c ON c.postId = p.id "
               "WHERE p.status = 'published' AND u.id IN " + inList(kBatch)
             : "SELECT u.id, p.title FROM users u JOIN posts p ON p.userId = u.id WHERE p.status = 'published' AND u.id IN " +
                   inList(kBatch);
  bench::Statement q(w.db, sql);
  std::size_t b = 0, bytes = 0;
  for (auto _ : state) {
    const auto& ids = w.batchIds[b++ & 15];
    for (std::size_t i = 0; i < ids.size(); ++i) sqlite3_bind_int64(q.get(), static_cast<int>(i + 1), ids[i]);
    while (sqlite3_step(q.get()) == SQLITE_ROW) {
      bytes += std::string(reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 1))).size();
      if constexpr (Nested) bytes += std::string(reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 2))).size();
    }
    sqlite3_reset(q.get());
  }
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
}

template <bool Nested>
void includeBaseline(benchmark::State& state) {
  World& w = world();
  std::size_t b = 0, bytes = 0;
  for (auto _ : state) {
    for (std::int64_t id : w.batchIds[b++ & 15]) {
      for (std::uint32_t p : w.postsOf[static_cast<std::size_t>(id - 1)]) {
        if (w.postStatus[p] != "published") continue;
        bytes += std::string(w.postTitle[p]).size();
        if constexpr (Nested) {
          for (std::uint32_t c : w.commentsOf[p]) bytes += std::string(w.commentBody[c]).size();
        }
      }
    }
  }
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
}

template <bool Nested>
void includeFloor(benchmark::State& state) {
  World& w = world();
  const Floor& f = floor();
  const void* store = &w.store;
  std::size_t b = 0, bytes = 0;
  for (auto _ : state) {
    std::vector<Floor::User> found;
    const auto& ids = w.batchIds[b++ & 15];
    found.reserve(ids.size());
    for (const std::int64_t id : ids) {
      const auto user = static_cast<std::uint32_t>(id - 1);
      Floor::User& u = found.emplace_back(Floor::User{{store, 0, user, id}, {}});
      for (std::uint32_t p = f.postsStart[user]; p < f.postsStart[user + 1]; ++p) {
        if (!(f.status[p] == f.published)) continue;
        Floor::Post& post = u.posts.emplace_back(Floor::Post{{store, 1, p, static_cast<std::int64_t>(p) + 1}, {}});
        if constexpr (Nested) {
          post.comments.reserve(f.commentsStart[p + 1] - f.commentsStart[p]);
          for (std::uint32_t c = f.commentsStart[p]; c < f.commentsStart[p + 1]; ++c) {
            post.comments.push_back({store, 2, c, static_cast<std::int64_t>(c) + 1});
          }
        }
      }
    }
    benchmark::DoNotOptimize(found.data());
    for (const Floor::User& u : found) {
      for (const Floor::Post& p : u.posts) {
        bytes += f.title[p.handle.slot].read().size();
        if constexpr (Nested) {
          for (const Floor::Handle& c : p.comments) bytes += f.body[c.slot].read().size();
        }
      }
    }
  }
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
}

// ---- Post.scope("withAuthor").findAll({limit: 1000}) --------------------------------------

void scopeRelstore(benchmark::State& state) {
  World& w = world();
  std::size_t bytes = 0;
  for (auto _ : state) {
    for (const Instance& p : w.postModel.scope("withAuthor").findAll({.limit = kBatch})) {
      bytes += p.includedOne("author")->get<std::string>("name").size();
    }
  }
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
}

void scopeSqlite(benchmark::State& state) {
  World& w = world();
  bench::Statement q(w.db, "SELECT p.id, u.name FROM posts p JOIN users u ON u.id = p.userId LIMIT 1000");
  std::size_t bytes = 0;
  for (auto _ : state) {
    while (sqlite3_step(q.get()) == SQLITE_ROW) bytes += std::string(reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 1))).size();
    sqlite3_reset(q.get());
  }
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
}

void scopeBaseline(benchmark::State& state) {
  World& w = world();
  std::size_t bytes = 0;
  for (auto _ : state) {
    for (std::size_t p = 0; p < kBatch; ++p) bytes += std::string(w.userName[w.postUser[p]]).size();
  }
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
}

using bench::Entry;

void registerAll() {
  const Entry entries[] = {
      {"include published posts, 1000 users/relstore", includeRelstore<false>},
      {"include published posts, 1000 users/sqlite", includeSqlite<false>},
      {"include published posts, 1000 users/baseline", includeBaseline<false>},
      {"include posts + comments (3 levels), 1000 users/relstore", includeRelstore<true>},
      {"include posts + comments (3 levels), 1000 users/sqlite", includeSqlite<true>},
      {"include posts + comments (3 levels), 1000 users/baseline", includeBaseline<true>},
      {"include published posts, 1000 users/floor", includeFloor<false>},
      {"include posts + comments (3 levels), 1000 users/floor", includeFloor<true>},
      {"Post.scope(withAuthor).findAll limit 1000/relstore", scopeRelstore},
      {"Post.scope(withAuthor).findAll limit 1000/sqlite", scopeSqlite},
      {"Post.scope(withAuthor).findAll limit 1000/baseline", scopeBaseline},
  };
  for (const Entry& e : entries) benchmark::RegisterBenchmark(e.name, e.fn)->Repetitions(5);
}

const int registered = (registerAll(), 0);

}  // namespace
