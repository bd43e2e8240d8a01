#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "relstore/relstore.h"

using namespace relstore;

namespace {

class InstanceTest : public ::testing::Test {
 protected:
  Store store;
  Model users = store.define("User", {
      {.name = "name", .type = Type::Text, .allowNull = false, .unique = true},
      {.name = "level", .type = Type::Int, .defaultValue = 1},
      {.name = "score", .type = Type::Real},
      {.name = "bio", .type = Type::Text},
  });
};

TEST_F(InstanceTest, ReadsAreLiveAcrossHandles) {
  Instance a = users.create({{"name", "ann"}});
  Instance b = *users.findByPk(a.id());
  EXPECT_EQ(a, b);
  b.update({{"level", 7}});
  EXPECT_EQ(a.get<std::int64_t>("level"), 7);
  users.update({{"level", 8}}, Where{});
  EXPECT_EQ(b.get<std::int64_t>("level"), 8);
  EXPECT_EQ(a.model(), users);
  EXPECT_EQ(a.model().name(), "User");
}

TEST_F(InstanceTest, SetStagesUntilSave) {
  Instance a = users.create({{"name", "ann"}});
  Instance other = *users.findByPk(a.id());
  EXPECT_FALSE(a.changed());
  a.set("level", 4).set("score", 1.5);
  EXPECT_TRUE(a.changed());
  EXPECT_EQ(a.get<std::int64_t>("level"), 4);
  EXPECT_EQ(other.get<std::int64_t>("level"), 1);  // not written yet
  a.save();
  EXPECT_FALSE(a.changed());
  EXPECT_EQ(other.get<std::int64_t>("level"), 4);
  EXPECT_EQ(other.get<double>("score"), 1.5);
}

TEST_F(InstanceTest, SettingTheCurrentValueIsNotAChange) {
  Instance a = users.create({{"name", "ann"}, {"level", 3}});
  a.set("level", 3);
  EXPECT_FALSE(a.changed());
  a.set("bio", nullptr);
  EXPECT_FALSE(a.changed());
  a.set("bio", "");
  EXPECT_TRUE(a.changed());
}

TEST_F(InstanceTest, ReloadDropsStagedValues) {
  Instance a = users.create({{"name", "ann"}});
  a.set("level", 9);
  a.reload();
  EXPECT_FALSE(a.changed());
  EXPECT_EQ(a.get<std::int64_t>("level"), 1);
}

TEST_F(InstanceTest, FailedSaveLeavesValuesStagedAndRowUnchanged) {
  users.create({{"name", "bob"}});
  Instance a = users.create({{"name", "ann"}});
  a.set("name", "bob");
  EXPECT_THROW(a.save(), UniqueConstraintError);
  EXPECT_EQ(a.get<std::string>("name"), "bob");
  EXPECT_TRUE(a.changed());
  EXPECT_EQ(users.findByPk(a.id())->get<std::string>("name"), "ann");
  a.set("name", "cid");
  a.save();
  EXPECT_EQ(users.findByPk(a.id())->get<std::string>("name"), "cid");
  store.checkIntegrity();
}

TEST_F(InstanceTest, DestroyedRowReportsNotExistsAndThrowsOnRead) {
  Instance a = users.create({{"name", "ann"}});
  Instance b = *users.findByPk(a.id());
  a.destroy();
  EXPECT_FALSE(a.exists());
  EXPECT_FALSE(b.exists());
  EXPECT_THROW(b.get("name"), NotFoundError);
  EXPECT_THROW(b.toJSON(), NotFoundError);
  EXPECT_THROW(b.reload(), NotFoundError);
  EXPECT_THROW(b.destroy(), NotFoundError);
  b.set("level", 2);
  EXPECT_THROW(b.save(), NotFoundError);
  EXPECT_EQ(users.count(), 0u);
}

TEST_F(InstanceTest, HandlesFindTheirOwnRowAfterItsSlotIsReusedOrTheTableCompacts) {
  // A handle names its row by id: the slot the row had when the handle was
  // made may later hold another row, or none, and must not be read as its
  // (this guards any caching of slots in handles; a trusted cached slot fails it).
  for (int i = 1; i <= 3000; ++i) users.create({{"name", "u" + std::to_string(i)}, {"level", i}});
  std::vector<Instance> all = users.findAll({.order = {{"id"}}});
  ASSERT_EQ(all.size(), 3000u);
  all[9].destroy();                                      // slot 9 freed...
  Instance reused = users.create({{"name", "new"}, {"level", -1}});  // ...and taken by a new row
  Instance stale = all[9];
  EXPECT_FALSE(stale.exists());
  EXPECT_THROW(stale.get<std::string>("name"), NotFoundError);
  EXPECT_THROW(stale.get("level"), NotFoundError);
  EXPECT_EQ((*users.findByPk(reused.id())).get<std::string>("name"), "new");

  // Two thirds destroyed at once: the table compacts, every survivor moves.
  EXPECT_EQ(users.destroy({.where = col("level") <= 2000 && col("level") >= 0}), 1999u);
  for (int i = 2000; i < 3000; ++i) {
    ASSERT_TRUE(all[i].exists());
    EXPECT_EQ(all[i].get<std::string>("name"), "u" + std::to_string(i + 1));
    EXPECT_EQ(all[i].get<std::int64_t>("level"), i + 1);
  }
  EXPECT_FALSE(all[0].exists());
  EXPECT_THROW(all[1999].get<std::int64_t>("level"), NotFoundError);

  // A free slot reads as key 0 underneath: a row with id 0 must not live on in it.
  users.create({{"id", 0}, {"name", "zero"}, {"level", 5000}});
  users.create({{"name", "after zero"}});  // so that the slot is freed, not cut off the end
  Instance zero = users.findAll({.where = col("level") == 5000}).at(0);
  users.destroy({.where = col("level") == 5000});
  EXPECT_FALSE(zero.exists());
  EXPECT_THROW(zero.get<std::int64_t>("level"), NotFoundError);
  store.checkIntegrity();
}

TEST_F(InstanceTest, HandlesMadeByQueriesFollowTheirIdWhenRowsLeaveTheirSlots) {
  // Handles made by queries and association reads remember their row's slot
  // as a shortcut; every way a row leaves its slot must send them back to the
  // id (a shortcut trusted after that reads another row's values).
  users.create({{"name", "ann"}, {"level", 1}});
  users.create({{"name", "bob"}, {"level", 2}});
  Instance annByQuery = users.findAll({.where = col("name") == "ann"}).at(0);
  Instance annByPk = *users.findByPk(1);
  // ann's key moves away; a new row takes id 1 in another slot, ann's slot keeps ann.
  Instance ann = *users.findByPk(1);
  ann.update({{"id", 100}});
  users.create({{"id", 1}, {"name", "carl"}, {"level", 3}});
  EXPECT_EQ(annByQuery.get<std::string>("name"), "carl");
  EXPECT_EQ(annByPk.get<std::int64_t>("level"), 3);
  EXPECT_EQ(annByPk.get("name").as<std::string>(), "carl");

  // A rolled-back create: its handle must not read the row that takes the slot next.
  Instance dan = [&] {
    Transaction tx = store.begin();
    users.create({{"name", "dan"}, {"level", 4}});
    Instance found = users.findAll({.where = col("name") == "dan"}).at(0);
    tx.rollback();
    return found;
  }();
  EXPECT_FALSE(dan.exists());
  users.create({{"id", 500}, {"name", "eve"}, {"level", 5}});  // the slot dan's row had
  EXPECT_FALSE(dan.exists());
  EXPECT_THROW(dan.get<std::string>("name"), NotFoundError);
  EXPECT_THROW(dan.get("level"), NotFoundError);

  // A destroy, with no other row taking the slot: the handle reads nothing.
  Instance bob = users.findAll({.where = col("name") == "bob"}).at(0);
  users.destroy({.where = col("name") == "bob"});
  EXPECT_FALSE(bob.exists());
  EXPECT_THROW(bob.get<std::int64_t>("level"), NotFoundError);
  store.checkIntegrity();
}

TEST_F(InstanceTest, UnknownAttributeIsASchemaError) {
  Instance a = users.create({{"name", "ann"}});
  EXPECT_THROW(a.get("nope"), SchemaError);
  EXPECT_THROW(a.set("nope", 1), SchemaError);
}

TEST_F(InstanceTest, GetTypedAgreesWithGetForEveryTypeAndEveryError) {
  Model flags = store.define("Flag", {{.name = "on", .type = Type::Bool}, {.name = "label", .type = Type::Text}});
  Instance f = flags.create({{"on", true}, {"label", "x"}});
  EXPECT_TRUE(f.get<bool>("on"));
  EXPECT_EQ(f.get<std::string>("label"), "x");
  EXPECT_THROW(f.get<std::int64_t>("on"), TypeError);  // exact types: Bool is not Int
  Instance a = users.create({{"name", "ann"}, {"level", 7}, {"score", 2.5}});
  EXPECT_EQ(a.get<int>("level"), 7);
  EXPECT_EQ(a.get<std::int64_t>("level"), 7);
  EXPECT_EQ(a.get<double>("score"), 2.5);
  EXPECT_EQ(a.get<std::string>("name"), "ann");
  EXPECT_THROW(a.get<std::string>("level"), TypeError);
  EXPECT_THROW(a.get<bool>("name"), TypeError);
  EXPECT_THROW(a.get<std::string>("bio"), TypeError);  // null
  EXPECT_THROW(a.get<std::int64_t>("nope"), SchemaError);
  a.set("level", 9);  // staged values win
  EXPECT_EQ(a.get<std::int64_t>("level"), 9);
  Instance b = *users.findByPk(a.id());
  b.destroy();
  EXPECT_THROW(b.get<std::string>("name"), NotFoundError);
}

TEST_F(InstanceTest, GetTextReadsTheSameOnItsShortcutAndOnEveryOtherPath) {
  // get<std::string> has a shortcut (nothing staged, at most 16 attributes,
  // a name of at most 16 bytes, a current slot hint, an inline text) and a
  // general path for the rest; handles from findAll carry hints.
  std::vector<Attribute> wide;
  for (int i = 0; i < 20; ++i) wide.push_back({.name = "a" + std::to_string(i), .type = Type::Text});
  wide.push_back({.name = "aVeryLongAttributeName", .type = Type::Text});
  Model big = store.define("Big", wide);
  Model small = store.define("Small", {{.name = "t", .type = Type::Text},
                                       {.name = "aVeryLongAttributeName", .type = Type::Text},
                                       {.name = "n", .type = Type::Int}});
  const std::string longText(40, 'x');
  big.create({{"a19", "short"}, {"aVeryLongAttributeName", longText}});
  small.create({{"t", "fifteen bytes!!"}, {"aVeryLongAttributeName", "sixteen bytes!!!"}, {"n", 3}});
  small.create({{"t", "other"}});
  small.create({{"t", ""}});  // empty, not null
  small.create({});           // t null
  Instance b = big.findAll().at(0);
  EXPECT_EQ(b.get<std::string>("a19"), "short");                      // a model of 21 attributes
  EXPECT_EQ(b.get<std::string>("aVeryLongAttributeName"), longText);  // a long name, a long text
  std::vector<Instance> rows = small.findAll();
  Instance s = rows.at(0);
  EXPECT_EQ(s.get<std::string>("t"), "fifteen bytes!!");                          // the shortcut, 15 bytes
  EXPECT_EQ(s.get<std::string>("aVeryLongAttributeName"), "sixteen bytes!!!");  // 16: on the heap
  EXPECT_THROW(s.get<std::string>("n"), TypeError);
  EXPECT_THROW(rows.at(1).get<std::string>("aVeryLongAttributeName"), TypeError);  // null
  EXPECT_THROW(s.get<std::string>("nope"), SchemaError);
  EXPECT_THROW(s.get<std::string>("noSuchAttributeWithALongName"), SchemaError);
  EXPECT_EQ(rows.at(2).get<std::string>("t"), "");
  EXPECT_THROW(rows.at(3).get<std::string>("t"), TypeError);  // a null cell is empty, and still null
  rows.at(1).destroy();  // every slot hint of Small is now stale
  EXPECT_EQ(s.get<std::string>("t"), "fifteen bytes!!");
  EXPECT_THROW(rows.at(1).get<std::string>("t"), NotFoundError);
  s.set("t", "staged");
  EXPECT_EQ(s.get<std::string>("t"), "staged");
}

// get<std::string> reads a short text in the caller through what the model
// keeps of its columns (relstore/internal/model_head.h): a column added by an
// association and a text column outgrowing its first chunk (its table of
// chunks reallocated) must not leave it reading stale cells.
TEST_F(InstanceTest, GetTextReadsTheRightCellAfterAnAssociationAddsAColumnAndChunksGrow) {
  Model posts = store.define("Post", {{.name = "title", .type = Type::Text}});
  posts.create({{"title", "first"}});
  const Instance early = posts.findAll().at(0);  // hinted: slot 0
  EXPECT_EQ(early.get<std::string>("title"), "first");
  users.hasMany(posts);  // Post gets userId, a column of its own
  std::vector<Record> more;
  for (int i = 1; i < 70000; ++i) more.push_back({{"title", "p" + std::to_string(i)}});  // three chunks of 32Ki
  posts.bulkCreate(more);
  const std::vector<Instance> all = posts.findAll();
  ASSERT_EQ(all.size(), 70000u);
  for (std::size_t i : {std::size_t{1}, std::size_t{32767}, std::size_t{32768}, std::size_t{65536}, std::size_t{69999}}) {
    EXPECT_EQ(all[i].get<std::string>("title"), "p" + std::to_string(i));
  }
  EXPECT_EQ(early.get<std::string>("title"), "first");
  EXPECT_EQ(all[0].get<std::string>("title"), "first");
}

TEST_F(InstanceTest, GetTypedThrowsTypeErrorOnMismatchOrNull) {
  Instance a = users.create({{"name", "ann"}});
  EXPECT_THROW(a.get<double>("level"), TypeError);
  EXPECT_THROW(a.get<double>("score"), TypeError);  // null
  try {
    a.get<double>("level");
    FAIL() << "no error";
  } catch (const TypeError& e) {
    EXPECT_STREQ(e.what(), "User.level of id 1: Value holds Int, not Real");
  }
}

TEST_F(InstanceTest, ToJsonEscapesAndUsesDefinitionOrder) {
  Instance a = users.create({{"name", "a\"n\\n\n\x01"}, {"score", 0.1}, {"bio", nullptr}});
  EXPECT_EQ(a.toJSON(), R"({"id":1,"name":"a\"n\\n\n\u0001","level":1,"score":0.1,"bio":null})");
}

TEST_F(InstanceTest, PrimaryKeyChangeIsFollowedByTheHandleThatMadeIt) {
  Instance a = users.create({{"name", "ann"}});
  Instance old = *users.findByPk(1);
  a.update({{"id", 50}});
  EXPECT_EQ(a.id(), 50);
  EXPECT_EQ(a.get<std::string>("name"), "ann");
  EXPECT_FALSE(old.exists());
  EXPECT_TRUE(users.findByPk(50).has_value());
  EXPECT_EQ(users.create({{"name", "bob"}}).id(), 51);  // explicit ids advance the counter
  Instance bob = *users.findByPk(51);
  EXPECT_THROW(bob.update({{"id", 50}}), UniqueConstraintError);
  EXPECT_EQ(bob.id(), 51);
  store.checkIntegrity();
}

TEST_F(InstanceTest, CopiesHaveTheirOwnStagedValues) {
  Instance a = users.create({{"name", "ann"}});
  a.set("level", 5);
  Instance copy = a;
  copy.set("level", 6);
  EXPECT_EQ(a.get<std::int64_t>("level"), 5);
  EXPECT_EQ(copy.get<std::int64_t>("level"), 6);
}

// A handle is 64 bytes: queries and association reads make them by the thousand.
static_assert(sizeof(Instance) == 64);

TEST_F(InstanceTest, CopiesAndMovesShareEagerLoadedRowsAndCarryStagedValues) {
  Model posts = store.define("Post", {{.name = "title"}});
  users.hasMany(posts, {.foreignKey = "userId"});
  Instance ann = users.create({{"name", "ann"}});
  posts.create({{"title", "p1"}, {"userId", ann.id()}});
  posts.create({{"title", "p2"}, {"userId", ann.id()}});
  auto found = users.findAll({.include = {{.model = posts}}});
  ASSERT_EQ(found.size(), 1u);
  Instance copy = found[0];
  Instance moved = std::move(found[0]);
  found.clear();  // the query's own handles are gone; the shape lives on in copy and moved
  ASSERT_EQ(copy.included("Posts").size(), 2u);
  EXPECT_EQ(moved.included("Posts")[1].get<std::string>("title"), "p2");

  moved.set("level", 7);
  Instance assigned = ann;
  assigned = moved;  // copies the staged value and shares the shape
  moved.set("level", 8);
  EXPECT_EQ(assigned.get<std::int64_t>("level"), 7);
  EXPECT_EQ(assigned.included("Posts").size(), 2u);
  assigned = std::move(moved);  // over a handle holding both: each freed once (ASan checks)
  EXPECT_EQ(assigned.get<std::int64_t>("level"), 8);
  EXPECT_EQ(assigned.included("Posts")[0].get<std::string>("title"), "p1");
  const Instance& same = assigned;
  assigned = same;
  EXPECT_EQ(assigned.get<std::int64_t>("level"), 8);
  EXPECT_EQ(copy.get<std::int64_t>("level"), 1);  // nothing staged on the first copy
  EXPECT_THROW(ann.included("Posts"), AssociationError);  // made by create: nothing loaded
}

}  // namespace

namespace {

TEST(InstanceLifecycle, ValuesAnAfterValidateHookSetsAreValidatedOnCreateAndSave) {
  Store store;
  Model p = store.define("P", {{.name = "score", .type = Type::Int}, {.name = "name", .allowNull = false}});
  Instance kept = p.create({{"score", 1}, {"name", "kept"}});
  std::function<void(Instance&)> hook = [](Instance&) {};
  p.addHook(Hook::AfterValidate, [&](Instance& i) { hook(i); });
  hook = [](Instance& i) { i.set("score", 2.5); };  // a Real for an Int
  EXPECT_THROW(p.create({{"name", "a"}}), ValidationError);
  EXPECT_THROW(kept.update({{"name", "renamed"}}), ValidationError);
  hook = [](Instance& i) { i.set("name", nullptr); };  // null for NOT NULL
  EXPECT_THROW(p.create({{"name", "b"}}), ValidationError);
  EXPECT_EQ(p.count(), 1u);
  EXPECT_EQ(p.findByPk(kept.id())->get<std::string>("name"), "kept");
  store.checkIntegrity();
  hook = [](Instance&) {};
  EXPECT_EQ(p.create({{"name", "c"}}).get<std::string>("name"), "c");  // the table is whole
  store.checkIntegrity();
}

TEST(InstanceLifecycle, ADestroyedRowReadsAsNotFoundWhateverAHandleStaged) {
  Store store;
  Model users = store.define("User", {{.name = "name"}});
  Instance a = users.create({{"name", "ann"}});
  Instance b = a;
  b.set("name", "x");
  a.destroy();
  EXPECT_FALSE(b.exists());
  EXPECT_THROW(b.get("name"), NotFoundError);
  EXPECT_THROW(b.get<std::string>("name"), NotFoundError);
}

TEST(InstanceLifecycle, ARealStagedForAnIntAttributeIsRefusedEvenWhenTheNumbersAreEqual) {
  Store store;
  Model users = store.define("User", {{.name = "level", .type = Type::Int}});
  Instance a = users.create({{"level", 2}});
  a.set("level", 2.0);
  EXPECT_TRUE(a.changed());
  EXPECT_THROW(a.save(), ValidationError);  // as users.update({{"level", 2.0}}, ...) refuses it
  EXPECT_EQ(users.findByPk(a.id())->get("level"), Value(2));
}

}  // namespace
