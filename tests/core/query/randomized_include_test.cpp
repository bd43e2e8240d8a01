// Randomized eager loading: random data and random include trees (random
// where / required / order / limit per level, belongsToMany with
// throughWhere) evaluated by findAll and by a naive nested-loop evaluator
// that scans every table for every parent; the nested results must agree.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string>

#include "relstore/relstore.h"

using namespace relstore;

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

struct Level {
  std::string as;
  Cond cond;
  std::optional<bool> required;
  bool orderByV = false;
  bool orderById = false;
  std::optional<std::size_t> limit;
  Cond through;  // belongsToMany only
  bool requiredEffective() const { return required.value_or(cond.op >= 0); }
};

// The nested result as text: "id[child,child(...)]", comparable across both sides.
// Levels without an order are compared in id order (their order is not promised).
std::string render(const Instance& i, const std::vector<std::string>& aliases, const std::vector<bool>& ordered,
                   std::size_t depth) {
  std::string s = std::to_string(i.id());
  if (depth < aliases.size()) {
    s += "[";
    std::vector<Instance> kids = i.included(aliases[depth]);
    if (!ordered[depth]) std::sort(kids.begin(), kids.end(), [](const Instance& x, const Instance& y) { return x.id() < y.id(); });
    for (const Instance& c : kids) s += render(c, aliases, ordered, depth + 1) + ",";
    s += "]";
  }
  return s;
}

class RandomizedInclude : public ::testing::TestWithParam<int> {};

TEST_P(RandomizedInclude, FindAllAgreesWithANaiveNestedLoopEvaluator) {
  Rng r{std::mt19937_64(static_cast<std::uint64_t>(GetParam()) * 31337 + 11)};
  Store store;
  Model a = store.define("A", {{.name = "v", .type = Type::Int}});
  Model b = store.define("B", {{.name = "v", .type = Type::Int}});
  Model c = store.define("C", {{.name = "v", .type = Type::Int}});
  Model d = store.define("D", {{.name = "v", .type = Type::Int}});
  Model j = store.define("J", {{.name = "w", .type = Type::Int}});
  a.hasMany(b, {.foreignKey = "aId", .as = "bs"});
  b.hasMany(c, {.foreignKey = "bId", .as = "cs"});
  b.belongsTo(a, {.foreignKey = "aId", .as = "a"});
  a.belongsToMany(d, {.through = {.model = j}, .foreignKey = "aId", .otherKey = "dId", .as = "ds"});
  auto val = [&] { return r.chance(10) ? Value() : Value(r.pick(5)); };
  for (int i = 0; i < 12; ++i) a.create({{"v", val()}});
  for (int i = 0; i < 30; ++i) b.create({{"v", val()}, {"aId", r.chance(10) ? Value() : Value(r.pick(12) + 1)}});
  for (int i = 0; i < 60; ++i) c.create({{"v", val()}, {"bId", r.chance(10) ? Value() : Value(r.pick(30) + 1)}});
  for (int i = 0; i < 8; ++i) d.create({{"v", val()}});
  for (int i = 0; i < 30; ++i) {
    const Id ai = r.pick(12) + 1, di = r.pick(8) + 1;
    if (!a.findByPk(ai)->assoc("ds").has(*d.findByPk(di))) j.create({{"aId", ai}, {"dId", di}, {"w", r.pick(5)}});
  }

  for (int query = 0; query < 40; ++query) {
    // A chain A -> bs -> cs, or A -> ds (with throughWhere).
    const bool viaJunction = r.chance(30);
    std::vector<Level> levels;
    const std::size_t depth = viaJunction ? 1 : static_cast<std::size_t>(1 + r.pick(2));
    for (std::size_t l = 0; l < depth; ++l) {
      Level lv;
      lv.as = viaJunction ? "ds" : (l == 0 ? "bs" : "cs");
      lv.cond = randomCond(r);
      if (r.chance(40)) lv.required = r.chance(50);
      lv.orderByV = r.chance(50);
      if (r.chance(30)) lv.limit = static_cast<std::size_t>(r.pick(3));
      lv.orderById = !lv.orderByV && lv.limit.has_value();  // which rows a limit keeps needs an order
      if (viaJunction && r.chance(50)) lv.through = randomCond(r, "w");
      levels.push_back(lv);
    }
    // Build the Include tree, innermost first.
    std::vector<Include> inner;
    for (std::size_t l = levels.size(); l-- > 0;) {
      const Level& lv = levels[l];
      Include inc{.as = lv.as, .where = lv.cond.where, .required = lv.required, .include = inner};
      if (lv.orderByV) inc.order = {{"v"}};
      if (lv.orderById) inc.order = {{"id"}};
      inc.limit = lv.limit;
      inc.throughWhere = lv.through.where;
      inner = {inc};
    }
    const auto got = a.findAll({.include = inner, .order = {{"id"}}});

    // The naive evaluator: scans for every parent; returns (kept, rendering).
    std::function<std::optional<std::string>(Id, std::size_t)> naive = [&](Id parent, std::size_t l) -> std::optional<std::string> {
      if (l == levels.size()) return std::to_string(parent);
      const Level& lv = levels[l];
      Model child = lv.as == "bs" ? b : lv.as == "cs" ? c : d;
      std::vector<std::pair<Instance, std::string>> kids;
      for (const Instance& k : child.findAll({.order = {{"id"}}})) {
        bool linked;
        if (lv.as == "ds") {
          linked = false;
          for (const Instance& jr : j.findAll()) {
            if (jr.get("aId") == Value(parent) && jr.get("dId") == Value(k.id()) && lv.through.test(jr.get("w"))) linked = true;
          }
        } else {
          const Value key = k.get(lv.as == "bs" ? "aId" : "bId");
          linked = !key.isNull() && key.asInt() == parent;
        }
        if (!linked || !lv.cond.test(k.get("v"))) continue;
        auto sub = naive(k.id(), l + 1);
        if (!sub) continue;
        kids.emplace_back(k, *sub);
      }
      if (lv.orderByV) {
        std::stable_sort(kids.begin(), kids.end(), [](const auto& x, const auto& y) {
          const Value vx = x.first.get("v"), vy = y.first.get("v");
          if (vx.isNull() != vy.isNull()) return vx.isNull();  // nulls first
          if (!vx.isNull() && vx != vy) return vx < vy;
          return x.first.id() < y.first.id();
        });
      }
      if (lv.limit && kids.size() > *lv.limit) kids.erase(kids.begin() + static_cast<std::ptrdiff_t>(*lv.limit), kids.end());
      if (lv.requiredEffective() && kids.empty()) return std::nullopt;
      std::string s = std::to_string(parent) + "[";
      for (const auto& [k, text] : kids) s += text + ",";
      return s + "]";
    };
    std::vector<std::string> want, have;
    for (const Instance& p : a.findAll({.order = {{"id"}}})) {
      if (auto s = naive(p.id(), 0)) want.push_back(*s);
    }
    std::vector<std::string> aliases;
    std::vector<bool> ordered;
    for (const Level& lv : levels) {
      aliases.push_back(lv.as);
      ordered.push_back(lv.orderByV);
    }
    for (const Instance& p : got) {
      have.push_back(render(p, aliases, ordered, 0));
    }
    std::string shape;
    for (const Level& lv : levels) {
      shape += lv.as + " op" + std::to_string(lv.cond.op) + " k" + std::to_string(lv.cond.k) + " req" +
               (lv.required ? std::to_string(*lv.required) : std::string("-")) + " lim" +
               (lv.limit ? std::to_string(*lv.limit) : std::string("-")) + " through" + std::to_string(lv.through.op) + "; ";
    }
    ASSERT_EQ(have.size(), want.size()) << "seed " << GetParam() << " query " << query << ": " << shape;
    for (std::size_t i = 0; i < have.size(); ++i) {
      ASSERT_EQ(have[i], want[i]) << "seed " << GetParam() << " query " << query;
    }
    ASSERT_EQ(a.count({.include = inner}), want.size());
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomizedInclude, ::testing::Range(0, 100));

}  // namespace
