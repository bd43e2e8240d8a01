// Randomized eager loading: random data and random include trees — sibling
// includes, nesting up to three levels, all four association types, random
// where / required / order / limit per include, throughWhere on the
// belongsToMany, and a random top-level where / limit / offset — evaluated by
// findAll and by a naive nested-loop evaluator that scans every table for
// every parent; the nested results must agree, and count must count the
// parents the evaluator keeps.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
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

struct Rng {
  std::mt19937_64 g;
  int pick(int n) { return static_cast<int>(g() % static_cast<std::uint64_t>(n)); }
  bool chance(int p) { return pick(100) < p; }
};

// A random condition on `v` (Int, nullable) and its naive evaluation.
struct Cond {
  Where where;
  int op = -1;  // -1: none
  std::int64_t k = 0;
  bool test(const Value& v) const {
    if (op < 0) return true;
    if (v.isNull()) return false;
    const auto x = v.asInt();
    return op == 0 ? x == k : op == 1 ? x < k : x >= k;
  }
};

Cond randomCond(Rng& r, const char* column = "v") {
  Cond c;
  if (r.chance(50)) return c;
  c.op = r.pick(3);
  c.k = r.pick(5);
  c.where = c.op == 0 ? col(column) == c.k : c.op == 1 ? col(column) < c.k : col(column) >= c.k;
  return c;
}

// The schema's associations: A -bs-> B (hasMany), A -ds-> D (belongsToMany
// through J), A -e-> E (hasOne), B -cs-> C (hasMany), B -a-> A (belongsTo),
// C -b-> B (belongsTo).
struct Edge {
  const char* source;
  const char* as;
  const char* target;
  bool toOne;
};
const std::vector<Edge> kEdges = {
    {"A", "bs", "B", false}, {"A", "ds", "D", false}, {"A", "e", "E", true},
    {"B", "cs", "C", false}, {"B", "a", "A", true},   {"C", "b", "B", true},
};

// One include of a random tree.
struct Node {
  const Edge* edge;
  Cond cond;
  std::optional<bool> required;
  bool orderByV = false;
  bool orderById = false;
  std::optional<std::size_t> limit;
  Cond through;  // belongsToMany only
  std::vector<Node> children;
  bool requiredEffective() const { return required.value_or(cond.op >= 0); }
};

std::vector<Node> randomIncludes(Rng& r, const std::string& model, int depth) {
  std::vector<Node> out;
  if (depth == 0) return out;
  for (const Edge& e : kEdges) {
    if (e.source != model || !r.chance(depth == 3 ? 55 : 35)) continue;
    Node n{.edge = &e};
    n.cond = randomCond(r);
    if (r.chance(40)) n.required = r.chance(50);
    if (!e.toOne) {
      n.orderByV = r.chance(50);
      if (r.chance(30)) n.limit = static_cast<std::size_t>(r.pick(3));
      n.orderById = !n.orderByV && n.limit.has_value();  // which rows a limit keeps needs an order
    }
    if (std::string(e.as) == "ds" && r.chance(50)) n.through = randomCond(r, "w");
    n.children = randomIncludes(r, e.target, depth - 1);
    out.push_back(std::move(n));
  }
  return out;
}

std::vector<Include> toIncludes(const std::vector<Node>& nodes) {
  std::vector<Include> out;
  for (const Node& n : nodes) {
    Include inc{.as = n.edge->as, .where = n.cond.where, .required = n.required, .include = toIncludes(n.children)};
    if (n.orderByV) inc.order = {{"v"}};
    if (n.orderById) inc.order = {{"id"}};
    inc.limit = n.limit;
    inc.throughWhere = n.through.where;
    out.push_back(std::move(inc));
  }
  return out;
}

std::string describe(const std::vector<Node>& nodes) {
  std::string s;
  for (const Node& n : nodes) {
    s += std::string(n.edge->as) + "(op" + std::to_string(n.cond.op) + " k" + std::to_string(n.cond.k) + " req" +
         (n.required ? std::to_string(*n.required) : std::string("-")) + " lim" +
         (n.limit ? std::to_string(*n.limit) : std::string("-")) + " through" + std::to_string(n.through.op) + " " +
         describe(n.children) + ") ";
  }
  return s;
}

// The result's includes as text: "id{as:[child,child];as:(child)}". To-many
// lists without an order compare in id order (their order is not promised).
std::string render(const Instance& i, const std::vector<Node>& nodes) {
  std::string s = std::to_string(i.id()) + "{";
  for (const Node& n : nodes) {
    s += std::string(n.edge->as) + ":";
    if (n.edge->toOne) {
      const auto one = i.includedOne(n.edge->as);
      s += "(" + (one ? render(*one, n.children) : std::string()) + ")";
    } else {
      std::vector<Instance> kids = i.included(n.edge->as);
      if (!n.orderByV) {
        std::sort(kids.begin(), kids.end(), [](const Instance& x, const Instance& y) { return x.id() < y.id(); });
      }
      s += "[";
      for (const Instance& k : kids) s += render(k, n.children) + ",";
      s += "]";
    }
    s += ";";
  }
  return s + "}";
}

void findAllAgreesWithANaiveNestedLoopEvaluator(int seed) {
  Rng r{std::mt19937_64(static_cast<std::uint64_t>(seed) * 31337 + 11)};
  Store store;
  Model a = store.define("A", {{.name = "v", .type = Type::Int}});
  Model b = store.define("B", {{.name = "v", .type = Type::Int}});
  Model c = store.define("C", {{.name = "v", .type = Type::Int}});
  Model d = store.define("D", {{.name = "v", .type = Type::Int}});
  Model e = store.define("E", {{.name = "v", .type = Type::Int}});
  Model j = store.define("J", {{.name = "w", .type = Type::Int}});
  a.hasMany(b, {.foreignKey = "aId", .as = "bs"});
  b.hasMany(c, {.foreignKey = "bId", .as = "cs"});
  b.belongsTo(a, {.foreignKey = "aId", .as = "a"});
  c.belongsTo(b, {.foreignKey = "bId", .as = "b"});
  a.hasOne(e, {.foreignKey = "aId", .as = "e"});
  a.belongsToMany(d, {.through = {.model = j}, .foreignKey = "aId", .otherKey = "dId", .as = "ds"});
  auto val = [&] { return r.chance(10) ? Value() : Value(r.pick(5)); };
  auto key = [&](int n) { return r.chance(10) ? Value() : Value(r.pick(n) + 1); };
  for (int i = 0; i < 12; ++i) a.create({{"v", val()}});
  for (int i = 0; i < 30; ++i) b.create({{"v", val()}, {"aId", key(12)}});
  for (int i = 0; i < 60; ++i) c.create({{"v", val()}, {"bId", key(30)}});
  for (int i = 0; i < 8; ++i) d.create({{"v", val()}});
  for (int i = 0; i < 9; ++i) e.create({{"v", val()}, {"aId", key(12)}});  // some A hold two: a hasOne picks among them
  for (int i = 0; i < 30; ++i) {
    const Id ai = r.pick(12) + 1, di = r.pick(8) + 1;
    if (!a.findByPk(ai)->assoc("ds").has(*d.findByPk(di))) j.create({{"aId", ai}, {"dId", di}, {"w", r.pick(5)}});
  }
  auto model = [&](const std::string& name) { return store.model(name); };

  // The naive evaluator: the rows `n` links to `parent` (of n's source) by
  // scanning, each with its own includes rendered, or nullopt when a
  // required include of the row finds nothing.
  std::function<std::optional<std::string>(const Instance&, const std::vector<Node>&)> evaluate;
  auto linked = [&](const Node& n, const Instance& parent) {
    std::vector<std::pair<Instance, std::string>> kids;
    const std::string as = n.edge->as;
    for (const Instance& k : model(n.edge->target).findAll({.order = {{"id"}}})) {
      bool link = false;
      if (as == "ds") {
        for (const Instance& jr : j.findAll()) {
          link = link || (jr.get("aId") == Value(parent.id()) && jr.get("dId") == Value(k.id()) && n.through.test(jr.get("w")));
        }
      } else if (as == "bs" || as == "e") {
        link = k.get("aId") == Value(parent.id());
      } else if (as == "cs") {
        link = k.get("bId") == Value(parent.id());
      } else if (as == "a") {
        link = parent.get("aId") == Value(k.id());
      } else {  // "b"
        link = parent.get("bId") == Value(k.id());
      }
      if (!link) continue;
      if (n.cond.test(k.get("v"))) {
        if (auto text = evaluate(k, n.children)) kids.emplace_back(k, *text);
      }
      // hasOne: the linked row with the smallest id among those that pass the
      // include's where and required includes (Sequelize: findOne with them).
      if (as == "e" && !kids.empty()) break;
    }
    if (n.orderByV) {
      std::stable_sort(kids.begin(), kids.end(), [](const auto& x, const auto& y) {
        const Value vx = x.first.get("v"), vy = y.first.get("v");
        if (vx.isNull() != vy.isNull()) return vx.isNull();  // nulls first
        if (!vx.isNull() && vx != vy) return vx < vy;
        return x.first.id() < y.first.id();
      });
    }
    if (n.limit && kids.size() > *n.limit) kids.erase(kids.begin() + static_cast<std::ptrdiff_t>(*n.limit), kids.end());
    return kids;
  };
  evaluate = [&](const Instance& row, const std::vector<Node>& nodes) -> std::optional<std::string> {
    std::string s = std::to_string(row.id()) + "{";
    for (const Node& n : nodes) {
      const auto kids = linked(n, row);
      if (n.requiredEffective() && kids.empty()) return std::nullopt;
      s += std::string(n.edge->as) + ":";
      if (n.edge->toOne) {
        s += "(" + (kids.empty() ? std::string() : kids.front().second) + ")";
      } else {
        s += "[";
        for (const auto& [k, text] : kids) s += text + ",";
        s += "]";
      }
      s += ";";
    }
    return s + "}";
  };

  for (int query = 0; query < 40; ++query) {
    const std::vector<Node> tree = randomIncludes(r, "A", 3);
    const Cond top = randomCond(r);
    std::optional<std::size_t> limit;
    if (r.chance(30)) limit = static_cast<std::size_t>(r.pick(6));
    const std::size_t offset = r.chance(30) ? static_cast<std::size_t>(r.pick(4)) : 0;
    const std::vector<Include> includes = toIncludes(tree);
    const auto got = a.findAll({.where = top.where, .include = includes, .order = {{"id"}}, .limit = limit, .offset = offset});

    std::vector<std::string> want;
    for (const Instance& p : a.findAll({.order = {{"id"}}})) {
      if (!top.test(p.get("v"))) continue;
      if (auto s = evaluate(p, tree)) want.push_back(*s);
    }
    const std::size_t kept = want.size();
    want.erase(want.begin(), want.begin() + static_cast<std::ptrdiff_t>(std::min(offset, want.size())));
    if (limit && want.size() > *limit) want.resize(*limit);
    std::vector<std::string> have;
    for (const Instance& p : got) have.push_back(render(p, tree));
    const std::string context = "seed " + std::to_string(seed) + " query " + std::to_string(query) + ": top op" +
                                std::to_string(top.op) + " k" + std::to_string(top.k) + "; " + describe(tree);
    ASSERT_EQ(have, want) << context;
    ASSERT_EQ(a.count({.where = top.where, .include = includes}), kept) << context;
  }
}

class RandomizedInclude : public ::testing::TestWithParam<SeedBlock> {};

TEST_P(RandomizedInclude, FindAllAgreesWithANaiveNestedLoopEvaluator) {
  forEachSeed(GetParam(), findAllAgreesWithANaiveNestedLoopEvaluator);
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomizedInclude, ::testing::ValuesIn(seedBlocks(100, 10)), seedBlockName);

}  // namespace
