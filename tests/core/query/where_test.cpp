#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "query/where_compiler.h"
#include "store_impl.h"
#include "relstore/relstore.h"

using namespace relstore;

namespace {

class WhereTest : public ::testing::Test {
 protected:
  void SetUp() override {
    items.create({{"name", "sword"}, {"level", 3}, {"weight", 2.5}, {"magic", false}, {"code", "S1"}});
    items.create({{"name", "Shield"}, {"level", 1}, {"weight", 6.0}, {"magic", true}, {"code", "S2"}});
    items.create({{"name", "staff"}, {"level", 7}, {"weight", 1.25}, {"magic", true}});
    items.create({{"name", nullptr}, {"level", nullptr}, {"weight", nullptr}, {"magic", nullptr}});
    items.create({{"name", "s_x%"}, {"level", 3}, {"weight", 0.0}, {"magic", false}, {"code", "Q"}});
  }

  std::vector<Id> ids(const Where& where) {
    std::vector<Id> out;
    for (const Instance& i : items.findAll({.where = where})) out.push_back(i.id());
    std::sort(out.begin(), out.end());
    return out;
  }

  Store store;
  Model items = store.define("Item", {
      {.name = "name", .type = Type::Text},
      {.name = "level", .type = Type::Int, .index = true},
      {.name = "weight", .type = Type::Real},
      {.name = "magic", .type = Type::Bool},
      {.name = "code", .type = Type::Text, .unique = true},
  });
};

using Ids = std::vector<Id>;

TEST_F(WhereTest, EmptyWhereMatchesEveryRow) { EXPECT_EQ(ids(Where{}), (Ids{1, 2, 3, 4, 5})); }

TEST_F(WhereTest, ComparisonOperatorsOnEachType) {
  EXPECT_EQ(ids(col("level") == 3), (Ids{1, 5}));
  EXPECT_EQ(ids(col("level") != 3), (Ids{2, 3}));
  EXPECT_EQ(ids(col("level") < 3), (Ids{2}));
  EXPECT_EQ(ids(col("level") <= 3), (Ids{1, 2, 5}));
  EXPECT_EQ(ids(col("level") > 3), (Ids{3}));
  EXPECT_EQ(ids(col("level") >= 3), (Ids{1, 3, 5}));
  EXPECT_EQ(ids(col("weight") > 2), (Ids{1, 2}));
  EXPECT_EQ(ids(col("weight") == 0.0), (Ids{5}));
  EXPECT_EQ(ids(col("magic") == true), (Ids{2, 3}));
  EXPECT_EQ(ids(col("name") < "staff"), (Ids{2, 5}));  // bytewise: "S" < "s", "s_" < "st"
}

TEST_F(WhereTest, IntAttributeAgainstRealOperandComparesNumerically) {
  EXPECT_EQ(ids(col("level") > 2.5), (Ids{1, 3, 5}));
  EXPECT_EQ(ids(col("level") == 3.0), (Ids{1, 5}));
  EXPECT_EQ(ids(col("level") == 3.5), Ids{});
  EXPECT_EQ(ids(col("level").in({1.0, 7.5})), (Ids{2}));
}

TEST_F(WhereTest, EqualityListFormIsAndedEqualities) {
  EXPECT_EQ(ids(Where{{"level", 3}, {"magic", false}}), (Ids{1, 5}));
  EXPECT_EQ(ids(Where{{"level", 3}, {"name", "sword"}}), (Ids{1}));
  EXPECT_EQ(ids(Where{{"name", nullptr}}), (Ids{4}));
}

TEST_F(WhereTest, NullOperandsFollowSql) {
  EXPECT_EQ(ids(col("name") == nullptr), (Ids{4}));
  EXPECT_EQ(ids(col("name") != nullptr), (Ids{1, 2, 3, 5}));
  EXPECT_EQ(ids(col("level") > nullptr), Ids{});
  EXPECT_EQ(ids(col("level").isNull()), (Ids{4}));
  EXPECT_EQ(ids(col("level").isNotNull()), (Ids{1, 2, 3, 5}));
}

TEST_F(WhereTest, NullRowValuesAreUnknownEvenUnderNot) {
  EXPECT_EQ(ids(!(col("level") == 3)), (Ids{2, 3}));  // row 4 (null level) stays out
  EXPECT_EQ(ids(col("level") == 3 || col("level") != 3), (Ids{1, 2, 3, 5}));
  EXPECT_EQ(ids(!(col("level") == 3) || col("name") == nullptr), (Ids{2, 3, 4}));
}

TEST_F(WhereTest, InAndNotIn) {
  EXPECT_EQ(ids(col("level").in({1, 7, 99})), (Ids{2, 3}));
  EXPECT_EQ(ids(col("level").notIn({1, 7})), (Ids{1, 5}));
  EXPECT_EQ(ids(col("name").in({"sword", "staff"})), (Ids{1, 3}));
  EXPECT_EQ(ids(col("level").in({})), Ids{});
  EXPECT_EQ(ids(col("level").notIn({})), (Ids{1, 2, 3, 4, 5}));  // SQL: x NOT IN () is true, even for null
  EXPECT_EQ(ids(col("level").in({1, nullptr})), (Ids{2}));
  EXPECT_EQ(ids(col("level").notIn({1, nullptr})), Ids{});
}

TEST_F(WhereTest, LikeIsCaseSensitiveWithPercentAndUnderscore) {
  EXPECT_EQ(ids(col("name").like("s%")), (Ids{1, 3, 5}));
  EXPECT_EQ(ids(col("name").like("S%")), (Ids{2}));
  EXPECT_EQ(ids(col("name").like("st_ff")), (Ids{3}));
  EXPECT_EQ(ids(col("name").like("%o%")), (Ids{1}));
  EXPECT_EQ(ids(col("name").like("%")), (Ids{1, 2, 3, 5}));
  EXPECT_EQ(ids(col("name").notLike("s%")), (Ids{2}));
}

TEST_F(WhereTest, BetweenIsInclusive) {
  EXPECT_EQ(ids(col("level").between(1, 3)), (Ids{1, 2, 5}));
  EXPECT_EQ(ids(col("weight").between(1.25, 2.5)), (Ids{1, 3}));
}

TEST_F(WhereTest, AndOrNotCombine) {
  EXPECT_EQ(ids(col("level") == 3 && col("weight") > 1), (Ids{1}));
  EXPECT_EQ(ids(col("level") == 1 || col("code") == "Q"), (Ids{2, 5}));
  EXPECT_EQ(ids(!(col("magic") == true)), (Ids{1, 5}));
  EXPECT_EQ(ids(!Where{}), Ids{});
  EXPECT_EQ(ids(Where{} && col("level") == 7), (Ids{3}));
  EXPECT_EQ(ids(Where{} || col("level") == 7), (Ids{1, 2, 3, 4, 5}));
}

TEST_F(WhereTest, IndexedEqualityGivesTheSameRowsAsAScan) {
  EXPECT_EQ(ids(col("code") == "S2"), (Ids{2}));
  EXPECT_EQ(ids(col("code").in({"S1", "Q", "nope"})), (Ids{1, 5}));
  EXPECT_EQ(ids(col("id") == 3), (Ids{3}));
  EXPECT_EQ(ids(col("id").in({5, 1, 1, 42})), (Ids{1, 5}));
  EXPECT_EQ(ids(col("level") == 3 && col("name") == "s_x%"), (Ids{5}));
}

TEST_F(WhereTest, IndexPlanIsChosenForIndexedEqualities) {
  const auto& m = store.impl().model(items.index());
  auto compiled = detail::compileWhere(m, col("weight") > 1 && col("level") == 3);
  ASSERT_TRUE(compiled.plan.has_value());
  EXPECT_EQ(m.attribute(compiled.plan->column).name, "level");
  EXPECT_FALSE(detail::compileWhere(m, col("weight") > 1).plan.has_value());
  EXPECT_FALSE(detail::compileWhere(m, col("level") == 3 || col("weight") > 1).plan.has_value());
}

TEST_F(WhereTest, InListsOnIndexedIntegersTakeIntegralRealsSkipNullsAndComeBackInKeyOrder) {
  const auto& m = store.impl().model(items.index());
  // Integral reals are keys; 2.5 and null equal nothing; duplicates count once.
  auto compiled = detail::compileWhere(m, col("id").in({5, 3.0, nullptr, 2.5, 5, 1}));
  ASSERT_TRUE(compiled.plan.has_value());
  ASSERT_EQ(compiled.plan->keys.size(), 3u);
  EXPECT_EQ(compiled.plan->keys[0].asInt(), 1);
  EXPECT_EQ(compiled.plan->keys[1].asInt(), 3);
  EXPECT_EQ(compiled.plan->keys[2].asInt(), 5);
  std::vector<Id> inOrder;
  for (const Instance& i : items.findAll({.where = col("id").in({5, 3.0, nullptr, 2.5, 5, 1})})) inOrder.push_back(i.id());
  EXPECT_EQ(inOrder, (Ids{1, 3, 5}));
  // In a conjunction the plan's keys and the filter agree.
  EXPECT_EQ(ids(col("level").in({7.0, 3, 2.5}) && col("weight") < 2), (Ids{3, 5}));
  EXPECT_EQ(ids(col("level").notIn({7.0, 3}) && col("weight") > 0), (Ids{2}));
  EXPECT_THROW(ids(col("id").in({1, "two"})), TypeError);
}

TEST_F(WhereTest, LongInListsOfAnySignAndSizeSortIntoTheirKeyOrder) {
  // Long enough for the radix sort; negatives, extremes and duplicates.
  std::vector<Value> listed;
  std::vector<std::int64_t> expected;
  std::uint64_t x = 88172645463325252u;
  for (int i = 0; i < 500; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    const auto k = static_cast<std::int64_t>(i % 3 == 0 ? x : x % 5000) - (i % 2 ? 2500 : 0);
    listed.emplace_back(k);
    expected.push_back(k);
  }
  for (std::int64_t k : {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
                         std::int64_t{-1}, std::int64_t{0}, std::int64_t{3}, std::int64_t{7}, std::int64_t{3}}) {
    listed.emplace_back(k);
    expected.push_back(k);
  }
  std::sort(expected.begin(), expected.end());
  expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
  const auto& m = store.impl().model(items.index());
  const auto compiled = detail::compileWhere(m, col("level").in(listed));
  ASSERT_TRUE(compiled.plan.has_value());
  std::vector<std::int64_t> planned;
  for (const Value& k : compiled.plan->keys) planned.push_back(k.asInt());
  EXPECT_EQ(planned, expected);
  EXPECT_EQ(ids(col("level").in(listed)), (Ids{1, 3, 5}));
  EXPECT_EQ(ids(col("level").in(listed) && col("weight") >= 0), (Ids{1, 3, 5}));
  EXPECT_EQ(ids(col("level").notIn(listed)), (Ids{2}));
}

TEST_F(WhereTest, UnknownAttributeIsASchemaErrorNamingModelAndAttribute) {
  try {
    ids(col("colour") == "red");
    FAIL();
  } catch (const SchemaError& e) {
    EXPECT_NE(std::string(e.what()).find("Item"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("colour"), std::string::npos);
  }
}

TEST_F(WhereTest, TypeMismatchIsATypeErrorNamingTheAttribute) {
  try {
    ids(col("level") == "three");
    FAIL();
  } catch (const TypeError& e) {
    EXPECT_NE(std::string(e.what()).find("Item.level"), std::string::npos);
  }
  EXPECT_THROW(ids(col("magic") == 1), TypeError);
  EXPECT_THROW(ids(col("level").like("3%")), TypeError);
  EXPECT_THROW(ids(col("name").in({"a", 1})), TypeError);
}

TEST(LikeMatch, UnderscoreAndPercentStepByUtf8CharactersAsSqliteDoes) {
  using detail::likeMatch;
  EXPECT_TRUE(likeMatch("\xC3\xA9", "_"));             // é: one character, two bytes
  EXPECT_TRUE(likeMatch("a\xC3\xA9" "b", "a_b"));
  EXPECT_FALSE(likeMatch("\xC3\xA9", "__"));
  EXPECT_TRUE(likeMatch("x\xE2\x82\xAC" "y", "%_y"));  // €: three bytes
  EXPECT_FALSE(likeMatch("\xE2\x82\xAC", "%__"));
  EXPECT_TRUE(likeMatch("\xF0\x9F\x8E\xB2" "z", "_z"));  // four bytes
  EXPECT_TRUE(likeMatch("\xC3\xA9t\xC3\xA9", "%t_"));
}

// Int against Real compares the exact values, as SQLite does (not the Int
// rounded to a double), and an index on the attribute changes nothing.
TEST(IntAgainstReal, ComparesExactlyBeyondTwoToTheFiftyThreeWithOrWithoutAnIndex) {
  constexpr std::int64_t two53 = std::int64_t{1} << 53;
  constexpr double two53d = 9007199254740992.0, two63d = 9223372036854775808.0;
  for (const bool indexed : {false, true}) {
    SCOPED_TRACE(indexed ? "indexed" : "not indexed");
    Store store;
    Model m = store.define("M", {{.name = "n", .type = Type::Int, .index = indexed},
                                 {.name = "r", .type = Type::Real, .index = indexed}});
    m.create({{"n", two53}, {"r", two53d}});                                         // 1
    m.create({{"n", two53 + 1}, {"r", 1.5}});                                        // 2
    m.create({{"n", std::numeric_limits<std::int64_t>::max()}, {"r", -two63d}});     // 3
    m.create({{"n", std::numeric_limits<std::int64_t>::min()}, {"r", nullptr}});     // 4
    auto ids = [&](const Where& w) {
      std::vector<Id> out;
      for (const Instance& i : m.findAll({.where = w})) out.push_back(i.id());
      std::sort(out.begin(), out.end());
      return out;
    };
    EXPECT_EQ(ids(col("n") == two53d), (Ids{1}));
    EXPECT_EQ(ids(col("n").in({two53d})), (Ids{1}));
    EXPECT_EQ(ids(col("n") > two53d), (Ids{2, 3}));
    EXPECT_EQ(ids(col("n") == two63d), Ids{});
    EXPECT_EQ(ids(col("n") >= two63d), Ids{});
    EXPECT_EQ(ids(col("n") < two63d), (Ids{1, 2, 3, 4}));
    EXPECT_EQ(ids(col("n") == -two63d), (Ids{4}));
    EXPECT_EQ(ids(col("n") < -two63d), Ids{});
    EXPECT_EQ(ids(col("n").between(two53d, two53d + 2.0)), (Ids{1, 2}));
    EXPECT_EQ(m.count({.where = col("n") == two53d}), 1u);

    EXPECT_EQ(ids(col("r") == two53 + 1), Ids{});
    EXPECT_EQ(ids(col("r").in({two53 + 1})), Ids{});
    EXPECT_EQ(ids(col("r") == two53), (Ids{1}));
    EXPECT_EQ(ids(col("r") < two53 + 1), (Ids{1, 2, 3}));
    EXPECT_EQ(ids(col("r") > two53 - 1), (Ids{1}));
    EXPECT_EQ(ids(col("r") == std::numeric_limits<std::int64_t>::min()), (Ids{3}));
    EXPECT_EQ(ids(col("r") >= 2), (Ids{1}));
    EXPECT_EQ(ids(col("r") <= 1), (Ids{3}));

    // The same rows reach update and destroy.
    EXPECT_EQ(m.update({{"r", 7.0}}, col("n") == two53d), 1u);
    EXPECT_EQ(m.destroy(col("n") == two53d), 1u);
    EXPECT_EQ(m.count(), 3u);
  }
}

TEST(LikeMatch, HandlesBacktrackingAndEdgeCases) {
  using detail::likeMatch;
  EXPECT_TRUE(likeMatch("", ""));
  EXPECT_TRUE(likeMatch("", "%"));
  EXPECT_FALSE(likeMatch("", "_"));
  EXPECT_TRUE(likeMatch("abcabd", "%abd"));
  EXPECT_TRUE(likeMatch("aaa", "a%a"));
  EXPECT_FALSE(likeMatch("ab", "a%c"));
  EXPECT_TRUE(likeMatch("mississippi", "m%iss%pi"));
  EXPECT_FALSE(likeMatch("abc", "ABC"));
}

}  // namespace

// == and != against a text of up to 15 bytes compare whole 16-byte cells:
// texts sharing a prefix, of every length around the limit, with NUL bytes,
// and cells rewritten from long to short all compare by their bytes alone.
TEST(TextEquality, ShortAndLongTextsEqualExactlyThemselves) {
  Store store;
  Model m = store.define("Tag", {{.name = "text", .type = Type::Text}});
  std::vector<std::string> texts = {"", std::string(1, '\0'), std::string("a\0", 2), "published", "publishe",
                                    "publishedX"};
  for (std::size_t n = 13; n <= 18; ++n) {
    texts.push_back(std::string(n, 'p'));
    texts.push_back(std::string(n - 1, 'p').append(1, '\0'));
  }
  std::vector<Instance> rows;
  for (std::size_t i = 0; i < texts.size(); ++i) rows.push_back(m.create({{"text", std::string(40, 'z')}}));
  for (std::size_t i = 0; i < texts.size(); ++i) rows[i].update({{"text", texts[i]}});  // long cells made short
  m.create({{"text", nullptr}});
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::vector<Instance> equal = m.findAll({.where = col("text") == texts[i]});
    ASSERT_EQ(equal.size(), 1u) << i;
    EXPECT_EQ(equal[0].id(), rows[i].id()) << i;
    EXPECT_EQ(m.count({.where = col("text") != texts[i]}), texts.size() - 1) << i;  // the null is neither
  }
  EXPECT_EQ(m.count({.where = col("text") == std::string(40, 'z')}), 0u);
}

// NaN: after every number in an order (a total order, as sorting needs: with
// IEEE comparisons a NaN ties with every number and the sort's comparison is
// inconsistent), and equal to nothing in ==/in, with or without an index.
TEST(NaN, SortsAfterEveryNumberAndEqualsNothing) {
  for (const bool indexed : {false, true}) {
    Store store;
    Model m = store.define("Score", {{.name = "score", .type = Type::Real, .index = indexed}});
    std::vector<Id> numbers, nans;
    for (int i = 0; i < 40; ++i) {
      const bool nan = i % 3 == 0;
      const double value = nan ? std::nan("") : 100.0 - i;
      (nan ? nans : numbers).push_back(m.create({{"score", value}}).id());
    }
    m.create({});  // a null: first ascending
    std::vector<Id> expected = {41};
    expected.insert(expected.end(), numbers.rbegin(), numbers.rend());  // 100 - i: the later, the smaller
    expected.insert(expected.end(), nans.begin(), nans.end());          // ties keep primary-key order
    std::vector<Id> got;
    for (const Instance& r : m.findAll({.order = {{"score"}}})) got.push_back(r.id());
    EXPECT_EQ(got, expected);
    got.clear();
    for (const Instance& r : m.findAll({.order = {{"score"}}, .limit = 5})) got.push_back(r.id());
    EXPECT_EQ(got, std::vector<Id>(expected.begin(), expected.begin() + 5));
    EXPECT_EQ(m.count({.where = col("score") == std::nan("")}), 0u);
    EXPECT_EQ(m.count({.where = col("score").in({std::nan(""), 99.0})}), 1u);
    EXPECT_EQ(m.count({.where = col("score").notIn({std::nan("")})}), 40u);  // a NaN is not NaN either
  }
}
