#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "relstore/relstore.h"

using namespace relstore;

namespace {

class ModelTest : public ::testing::Test {
 protected:
  Store store;
  Model players = store.define("Player", {
      {.name = "name", .type = Type::Text, .allowNull = false, .unique = true},
      {.name = "level", .type = Type::Int, .index = true, .defaultValue = 1},
      {.name = "gold", .type = Type::Real},
      {.name = "online", .type = Type::Bool, .defaultValue = false},
  });

  std::vector<std::string> names(const std::vector<Instance>& rows) {
    std::vector<std::string> out;
    for (const Instance& r : rows) out.push_back(r.get<std::string>("name"));
    return out;
  }
  std::vector<std::string> sortedNames(const std::vector<Instance>& rows) {
    auto out = names(rows);
    std::sort(out.begin(), out.end());
    return out;
  }
  void seed() {
    players.create({{"name", "ann"}, {"level", 5}, {"gold", 10.0}});
    players.create({{"name", "bob"}, {"level", 3}, {"gold", nullptr}});
    players.create({{"name", "cid"}, {"level", 5}, {"gold", 2.5}, {"online", true}});
    players.create({{"name", "dee"}, {"level", 1}, {"gold", 99.0}});
    players.create({{"name", "eve"}, {"level", 3}, {"gold", nullptr}, {"online", true}});
  }
  using Names = std::vector<std::string>;
};

// Attribute names of up to 16 bytes compare by whole words (store_impl.h's
// sameBytes), longer ones are hashed: names of every length up to 20 that
// differ in one byte only each find their own attribute. At most 15 names a model (with `id`, 16: models of more are
// looked up by hash): every place up to 15 bytes, then the first seven and
// the last eight places.
TEST(AttributeNames, NamesDifferingInOneByteAnywhereFindTheirOwnAttribute) {
  for (std::size_t length = 1; length <= 20; ++length) {
    Store store;
    std::vector<Attribute> attributes;
    std::vector<std::string> names;
    for (std::size_t at = 0; at < length; ++at) {
      if (length > 15 && at >= 7 && at < length - 8) continue;
      std::string name(length, 'n');
      name[at] = 'x';
      names.push_back(name);
      attributes.push_back({.name = name, .type = Type::Int});
    }
    Model m = store.define("M" + std::to_string(length), attributes);
    Record record;
    for (std::size_t k = 0; k < names.size(); ++k) record.push_back({names[k], static_cast<std::int64_t>(k)});
    const Instance row = m.create(record);
    for (std::size_t k = 0; k < names.size(); ++k) EXPECT_EQ(row.get<std::int64_t>(names[k]), static_cast<std::int64_t>(k));
    EXPECT_THROW(row.get<std::int64_t>(std::string(length, 'n')), SchemaError) << length;
  }
}

// The lookup by length is rebuilt whenever the names change: a foreign key
// added by an association (here taking a model past the 16 attributes that
// are looked up without hashing) and a junction's key renamed by its pair.
TEST(AttributeNames, NamesAddedOrRenamedByAssociationsAreFound) {
  Store store;
  std::vector<Attribute> attributes;
  for (int i = 0; i < 15; ++i) attributes.push_back({.name = "t" + std::to_string(i), .type = Type::Text});
  Model wide = store.define("Wide", attributes);  // with id: 16 attributes
  Model owner = store.define("Owner", {{.name = "name", .type = Type::Text}});
  Model tag = store.define("Tag", {{.name = "label", .type = Type::Text}});
  owner.hasMany(wide);  // adds OwnerId: 17
  const Instance o = owner.create({{"name", "o"}});
  const Instance w = wide.create({{"t14", "last"}, {"OwnerId", o.id()}});
  EXPECT_EQ(wide.findAll().at(0).get<std::string>("t14"), "last");
  EXPECT_EQ(wide.findAll().at(0).get<std::int64_t>("OwnerId"), o.id());
  EXPECT_THROW(w.get<std::string>("t0"), TypeError);  // null
  EXPECT_THROW(w.get<std::string>("t15"), SchemaError);

  owner.belongsToMany(tag, {.through = {"OwnerTag"}});
  tag.belongsToMany(owner, {.through = {"OwnerTag"}, .foreignKey = "tagRef"});  // renames OwnerTag.TagId
  const Instance t = tag.create({{"label", "x"}});
  owner.association("Tags").add(o, t);
  const std::optional<Instance> link = owner.association("Tags").get(o).at(0).through();
  ASSERT_TRUE(link.has_value());
  EXPECT_EQ(link->get<std::int64_t>("tagRef"), t.id());
  EXPECT_EQ(link->get<std::int64_t>("OwnerId"), o.id());
  EXPECT_THROW(link->get<std::int64_t>("TagId"), SchemaError);
}

TEST_F(ModelTest, CreateFillsDefaultsAndKeepsExplicitNull) {
  Instance p = players.create({{"name", "ann"}});
  EXPECT_EQ(p.get<std::int64_t>("level"), 1);
  EXPECT_EQ(p.get<bool>("online"), false);
  EXPECT_TRUE(p.get("gold").isNull());
  Instance q = players.create({{"name", "bob"}, {"level", nullptr}});
  EXPECT_TRUE(q.get("level").isNull());
}

TEST_F(ModelTest, IntIsWidenedForRealAttributes) {
  Instance p = players.create({{"name", "ann"}, {"gold", 3}});
  EXPECT_EQ(p.get("gold").type(), Type::Real);
  EXPECT_EQ(p.get<double>("gold"), 3.0);
}

TEST_F(ModelTest, ExplicitIdsAreAcceptedAndAdvanceTheCounter) {
  EXPECT_EQ(players.create({{"name", "a"}}).id(), 1);
  EXPECT_EQ(players.create({{"id", 10}, {"name", "b"}}).id(), 10);
  EXPECT_EQ(players.create({{"name", "c"}}).id(), 11);
  EXPECT_EQ(players.create({{"id", 5}, {"name", "d"}}).id(), 5);
  EXPECT_EQ(players.create({{"name", "e"}}).id(), 12);
}

TEST_F(ModelTest, FailedCreatesDoNotConsumeIdsAndDestroyedIdsAreNeverReused) {
  players.create({{"name", "a"}});
  EXPECT_THROW(players.create({{"name", "a"}}), UniqueConstraintError);
  EXPECT_THROW(players.create({{"name", nullptr}}), ValidationError);
  Instance b = players.create({{"name", "b"}});
  EXPECT_EQ(b.id(), 2);
  b.destroy();
  EXPECT_EQ(players.create({{"name", "c"}}).id(), 3);
}

TEST_F(ModelTest, DuplicateExplicitIdIsAUniqueConstraintError) {
  players.create({{"id", 4}, {"name", "a"}});
  try {
    players.create({{"id", 4}, {"name", "b"}});
    FAIL();
  } catch (const UniqueConstraintError& e) {
    EXPECT_NE(std::string(e.what()).find("Player.id"), std::string::npos);
  }
  EXPECT_EQ(players.count(), 1u);
}

TEST_F(ModelTest, ErrorsNameModelAttributeAndValue) {
  players.create({{"name", "ann"}});
  auto message = [&](const Record& r) -> std::string {
    try {
      players.create(r);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(message({{"name", "ann"}}).find("Player.name must be unique: value \"ann\""), std::string::npos);
  EXPECT_NE(message({{"name", nullptr}}).find("Player.name cannot be null"), std::string::npos);
  const std::string wrong = message({{"name", "x"}, {"level", "high"}});
  EXPECT_NE(wrong.find("Player.level"), std::string::npos);
  EXPECT_NE(wrong.find("Int"), std::string::npos);
  EXPECT_NE(wrong.find("Text"), std::string::npos);
  EXPECT_NE(message({{"name", "x"}, {"colour", "red"}}).find("\"colour\""), std::string::npos);
  EXPECT_THROW(players.create({{"name", "x"}, {"colour", "red"}}), SchemaError);
  EXPECT_THROW(players.create({{"name", "x"}, {"level", "high"}}), ValidationError);
  EXPECT_THROW(players.create({{"name", "x"}, {"name", "y"}}), SchemaError);
  EXPECT_THROW(players.create({{"name", "x"}, {"online", 1}}), ValidationError);
  EXPECT_EQ(players.count(), 1u);
}

TEST_F(ModelTest, AnyNumberOfNullsMayShareAUniqueAttribute) {
  Model m = store.define("Tag", {{.name = "slug", .unique = true}});
  m.create({});
  m.create({{"slug", nullptr}});
  m.create({{"slug", "a"}});
  EXPECT_EQ(m.count(), 3u);
  EXPECT_THROW(m.create({{"slug", "a"}}), UniqueConstraintError);
}

TEST_F(ModelTest, ValidateRefusesWithAValidationErrorNamingTheAttribute) {
  Model m = store.define("Account", {{.name = "balance", .type = Type::Real, .validate = [](const Value& v) {
                                        if (v.asReal() < 0) throw ValidationError("must not be negative");
                                      }}});
  m.create({{"balance", 1.0}});
  m.create({{"balance", nullptr}});  // validators skip null
  try {
    m.create({{"balance", -1.0}});
    FAIL();
  } catch (const ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("Account.balance"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("must not be negative"), std::string::npos);
  }
  Instance a = m.findOne({.where = col("balance") == 1.0}).value();
  EXPECT_THROW(a.update({{"balance", -5.0}}), ValidationError);
  EXPECT_EQ(a.get<double>("balance"), -5.0);  // still staged
  a.reload();
  EXPECT_EQ(a.get<double>("balance"), 1.0);
  EXPECT_EQ(m.count(), 2u);
}

TEST_F(ModelTest, BulkCreateIsAllOrNothing) {
  std::vector<Record> rows;
  for (int i = 0; i < 1000; ++i) rows.push_back({{"name", "p" + std::to_string(i)}, {"level", i}});
  rows[899] = {{"name", "p3"}};  // duplicates row 3
  try {
    players.bulkCreate(rows);
    FAIL();
  } catch (const UniqueConstraintError& e) {
    EXPECT_NE(std::string(e.what()).find("row 899"), std::string::npos);
  }
  EXPECT_EQ(players.count(), 0u);
  store.checkIntegrity();
  rows[899] = {{"name", "p899"}, {"level", "bad"}};
  EXPECT_THROW(players.bulkCreate(rows), ValidationError);
  EXPECT_EQ(players.count(), 0u);
  rows[899] = {{"name", "p899"}};
  auto created = players.bulkCreate(rows);
  ASSERT_EQ(created.size(), 1000u);
  EXPECT_EQ(created.front().id(), 1);  // failed bulkCreates consumed no ids
  EXPECT_EQ(created[899].get<std::string>("name"), "p899");
  EXPECT_EQ(players.count(), 1000u);
  store.checkIntegrity();
}

TEST_F(ModelTest, BulkCreateRejectsDuplicateIdsWithinTheBatch) {
  EXPECT_THROW(players.bulkCreate({{{"name", "a"}}, {{"id", 1}, {"name", "b"}}}), UniqueConstraintError);
  EXPECT_EQ(players.count(), 0u);
  auto rows = players.bulkCreate({{{"id", 5}, {"name", "a"}}, {{"name", "b"}}});
  EXPECT_EQ(rows[1].id(), 6);
}

TEST_F(ModelTest, FindByPkFindOneFindAll) {
  seed();
  EXPECT_EQ(players.findByPk(3)->get<std::string>("name"), "cid");
  EXPECT_FALSE(players.findByPk(42).has_value());
  EXPECT_FALSE(players.findByPk(3, {.where = col("level") == 1}).has_value());
  EXPECT_EQ(players.findOne({.where = {{"name", "dee"}}})->id(), 4);
  EXPECT_FALSE(players.findOne({.where = {{"name", "zed"}}}).has_value());
  EXPECT_EQ(sortedNames(players.findAll({.where = col("level") == 3})), (Names{"bob", "eve"}));
  EXPECT_EQ(players.findAll().size(), 5u);
}

TEST_F(ModelTest, OrderByseveralKeysWithNullsFirstAscendingAndLastDescending) {
  seed();
  EXPECT_EQ(names(players.findAll({.order = {{"gold"}}})), (Names{"bob", "eve", "cid", "ann", "dee"}));
  EXPECT_EQ(names(players.findAll({.order = {{"gold", Direction::Desc}}})), (Names{"dee", "ann", "cid", "bob", "eve"}));
  EXPECT_EQ(names(players.findAll({.order = {{"level", Direction::Desc}, {"name", Direction::Desc}}})),
            (Names{"cid", "ann", "eve", "bob", "dee"}));
  EXPECT_EQ(names(players.findAll({.order = {{"online"}, {"level"}}})), (Names{"dee", "bob", "ann", "eve", "cid"}));
}

TEST_F(ModelTest, TiesKeepPrimaryKeyOrder) {
  seed();
  EXPECT_EQ(names(players.findAll({.order = {{"level"}}})), (Names{"dee", "bob", "eve", "ann", "cid"}));
  EXPECT_EQ(names(players.findAll({.order = {{"level", Direction::Desc}}})), (Names{"ann", "cid", "bob", "eve", "dee"}));
}

TEST_F(ModelTest, LimitAndOffset) {
  seed();
  EXPECT_EQ(names(players.findAll({.order = {{"name"}}, .limit = 2})), (Names{"ann", "bob"}));
  EXPECT_EQ(names(players.findAll({.order = {{"name"}}, .limit = 2, .offset = 2})), (Names{"cid", "dee"}));
  EXPECT_EQ(names(players.findAll({.order = {{"name"}}, .offset = 4})), (Names{"eve"}));
  EXPECT_TRUE(players.findAll({.order = {{"name"}}, .offset = 9}).empty());
  EXPECT_EQ(players.findAll({.limit = 3}).size(), 3u);
  EXPECT_EQ(players.findAll({.limit = 0}).size(), 0u);
  EXPECT_EQ(players.findOne({.order = {{"gold", Direction::Desc}}})->get<std::string>("name"), "dee");
}

TEST_F(ModelTest, CountAndFindAndCountAll) {
  seed();
  EXPECT_EQ(players.count(), 5u);
  EXPECT_EQ(players.count({.where = col("gold").isNull()}), 2u);
  EXPECT_EQ(players.count({.where = col("level") == 5, .limit = 1}), 2u);
  auto counted = players.findAndCountAll({.where = col("level") >= 3, .order = {{"name"}}, .limit = 2, .offset = 1});
  EXPECT_EQ(counted.count, 4u);
  EXPECT_EQ(names(counted.rows), (Names{"bob", "cid"}));
}

TEST_F(ModelTest, AttributesLimitToJsonButNotGet) {
  seed();
  auto rows = players.findAll({.where = {{"name", "ann"}}, .attributes = {"name", "level"}});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].toJSON(), R"({"name":"ann","level":5})");
  EXPECT_EQ(rows[0].get<double>("gold"), 10.0);
  EXPECT_THROW(players.findAll({.attributes = {"nope"}}), SchemaError);
  EXPECT_THROW(players.findAll({.order = {{"nope"}}}), SchemaError);
}

TEST_F(ModelTest, IncludeWithoutAssociationsIsAnEagerLoadingError) {
  seed();
  Model guilds = store.define("Guild", {});
  try {
    players.findAll({.include = {{.model = guilds}}});
    FAIL();
  } catch (const EagerLoadingError& e) {
    EXPECT_EQ(std::string(e.what()), "Guild is not associated to Player!");
  }
  try {
    players.findAll({.include = {{.as = "items"}}});
    FAIL();
  } catch (const EagerLoadingError& e) {
    EXPECT_EQ(std::string(e.what()), "Association with alias \"items\" does not exist on Player");
  }
}

TEST_F(ModelTest, UpdateReturnsRowsMatchedAndWritesAll) {
  seed();
  EXPECT_EQ(players.update({{"online", true}}, col("level") == 3), 2u);
  EXPECT_EQ(players.count({.where = {{"online", true}}}), 3u);
  EXPECT_EQ(players.update({{"online", true}}, col("level") == 3), 2u);  // matched, even if unchanged
  EXPECT_EQ(players.update({{"level", 9}}, col("name") == "zed"), 0u);
  EXPECT_EQ(players.update({{"gold", 0}}, Where{}), 5u);
  EXPECT_EQ(players.count({.where = col("gold") == 0.0}), 5u);
  store.checkIntegrity();
}

TEST_F(ModelTest, UpdateIsAllOrNothing) {
  seed();
  EXPECT_THROW(players.update({{"name", "same"}}, col("level") == 3), UniqueConstraintError);
  EXPECT_EQ(players.count({.where = {{"name", "same"}}}), 0u);
  EXPECT_THROW(players.update({{"level", "x"}}, Where{}), ValidationError);
  EXPECT_THROW(players.update({{"name", "ann"}}, {{"name", "bob"}}), UniqueConstraintError);
  EXPECT_THROW(players.update({{"nope", 1}}, Where{}), SchemaError);
  EXPECT_EQ(players.count({.where = col("level") == 3}), 2u);
  store.checkIntegrity();
}

TEST_F(ModelTest, UpdateMaySwapUniqueValuesBetweenRowsOfOneBatch) {
  Model m = store.define("Slot", {{.name = "pos", .type = Type::Int, .unique = true}});
  m.create({{"pos", 1}});
  m.create({{"pos", 2}});
  m.create({{"pos", 3}});
  // pos -> pos + 1 for pos in {1, 2}: 2 moves to 3 which is taken by a row outside the batch.
  EXPECT_THROW(m.update({{"pos", 3}}, col("pos") == 2), UniqueConstraintError);
  Instance one = *m.findByPk(1);
  one.set("pos", 9);
  one.save();
  Instance two = *m.findByPk(2);
  two.update({{"pos", 1}});
  EXPECT_EQ(m.findOne({.where = {{"pos", 1}}})->id(), 2);
  store.checkIntegrity();
}

TEST_F(ModelTest, DestroyByWhere) {
  seed();
  EXPECT_EQ(players.destroy(col("level") == 3), 2u);
  EXPECT_EQ(players.count(), 3u);
  EXPECT_FALSE(players.findOne({.where = {{"name", "bob"}}}).has_value());
  EXPECT_EQ(players.destroy(col("level") == 3), 0u);
  EXPECT_EQ(players.destroy(Where{}), 3u);
  EXPECT_EQ(players.count(), 0u);
  store.checkIntegrity();
}

TEST_F(ModelTest, IndexedQueriesStayCorrectAcrossDestroysThatMoveRows) {
  for (int i = 0; i < 200; ++i) players.create({{"name", "n" + std::to_string(i)}, {"level", i % 5}});
  players.destroy(col("id").in({1, 2, 3, 50, 199, 200}));
  players.destroy(col("level") == 2);
  store.checkIntegrity();
  for (int level = 0; level < 5; ++level) {
    std::size_t scanned = 0;
    for (const Instance& p : players.findAll()) scanned += p.get<std::int64_t>("level") == level;
    EXPECT_EQ(players.count({.where = col("level") == level}), scanned) << level;
  }
  EXPECT_EQ(players.findOne({.where = {{"name", "n120"}}})->id(), 121);
  EXPECT_FALSE(players.findOne({.where = {{"name", "n49"}}}).has_value());
}

}  // namespace

namespace {

TEST(ModelUniqueReal, NegativeZeroAndZeroAreOneValueInABatchAndInTheTable) {
  Store store;
  Model m = store.define("Point", {{.name = "x", .type = Type::Real, .unique = true}});
  EXPECT_THROW(m.bulkCreate({{{"x", 0.0}}, {{"x", -0.0}}}), UniqueConstraintError);
  EXPECT_EQ(m.count(), 0u);
  m.create({{"x", 0.0}});
  EXPECT_THROW(m.create({{"x", -0.0}}), UniqueConstraintError);
  m.create({{"x", 1.0}});
  EXPECT_THROW(m.update({{"x", -0.0}}, col("x") == 1.0), UniqueConstraintError);
  store.checkIntegrity();
}

}  // namespace
