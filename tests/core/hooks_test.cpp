#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "relstore/relstore.h"
#include "store_impl.h"

using namespace relstore;

namespace {

class HooksTest : public ::testing::Test {
 protected:
  Store store;
  Model users = store.define("User", {
      {.name = "name", .type = Type::Text, .unique = true},
      {.name = "level", .type = Type::Int, .defaultValue = 1},
  });
  std::vector<std::string> log;

  void recordAll() {
    const std::pair<Hook, const char*> all[] = {
        {Hook::BeforeValidate, "beforeValidate"}, {Hook::AfterValidate, "afterValidate"},
        {Hook::BeforeCreate, "beforeCreate"},     {Hook::AfterCreate, "afterCreate"},
        {Hook::BeforeUpdate, "beforeUpdate"},     {Hook::AfterUpdate, "afterUpdate"},
        {Hook::BeforeSave, "beforeSave"},         {Hook::AfterSave, "afterSave"},
        {Hook::BeforeDestroy, "beforeDestroy"},   {Hook::AfterDestroy, "afterDestroy"}};
    for (const auto& [hook, name] : all) {
      users.addHook(hook, [this, name = std::string(name)](Instance&) { log.push_back(name); });
    }
  }
  using Log = std::vector<std::string>;
};

TEST_F(HooksTest, CreateUpdateDestroyRunEveryHookInOrder) {
  recordAll();
  Instance a = users.create({{"name", "ann"}});
  EXPECT_EQ(log, (Log{"beforeValidate", "afterValidate", "beforeCreate", "beforeSave", "afterCreate", "afterSave"}));
  log.clear();
  a.update({{"level", 2}});
  EXPECT_EQ(log, (Log{"beforeValidate", "afterValidate", "beforeUpdate", "beforeSave", "afterUpdate", "afterSave"}));
  log.clear();
  a.update({{"level", 2}});  // nothing changes: no hooks
  EXPECT_TRUE(log.empty());
  a.destroy();
  EXPECT_EQ(log, (Log{"beforeDestroy", "afterDestroy"}));
}

TEST_F(HooksTest, HooksOfOneEventRunInRegistrationOrderAndCanBeRemoved) {
  HookId first = users.addHook(Hook::BeforeCreate, [&](Instance&) { log.push_back("1"); });
  users.addHook(Hook::BeforeCreate, [&](Instance&) { log.push_back("2"); });
  users.addHook(Hook::BeforeCreate, [&](Instance&) { log.push_back("3"); });
  users.create({{"name", "a"}});
  EXPECT_EQ(log, (Log{"1", "2", "3"}));
  users.removeHook(first);
  log.clear();
  users.create({{"name", "b"}});
  EXPECT_EQ(log, (Log{"2", "3"}));
  EXPECT_THROW(users.removeHook(first), SchemaError);
}

TEST_F(HooksTest, BeforeCreateSeesValuesAndMaySetThem) {
  users.addHook(Hook::BeforeCreate, [&](Instance& u) {
    EXPECT_EQ(u.id(), 0);
    EXPECT_FALSE(u.exists());
    EXPECT_EQ(u.get<std::int64_t>("level"), 1);  // default already applied
    u.set("name", u.get<std::string>("name") + "!");
  });
  Instance a = users.create({{"name", "ann"}});
  EXPECT_EQ(a.get<std::string>("name"), "ann!");
  EXPECT_EQ(users.findByPk(a.id())->get<std::string>("name"), "ann!");
}

TEST_F(HooksTest, ValuesSetByAHookAreValidated) {
  users.addHook(Hook::BeforeSave, [](Instance& u) { u.set("level", "not an int"); });
  EXPECT_THROW(users.create({{"name", "ann"}}), ValidationError);
  EXPECT_EQ(users.count(), 0u);
}

TEST_F(HooksTest, ABeforeHookThatThrowsAbortsWithNothingChanged) {
  Instance a = users.create({{"name", "ann"}});
  users.addHook(Hook::BeforeUpdate, [](Instance&) { throw std::runtime_error("no updates today"); });
  users.addHook(Hook::BeforeDestroy, [](Instance&) { throw std::runtime_error("no destroys today"); });
  users.addHook(Hook::BeforeCreate, [](Instance& u) {
    if (u.get<std::string>("name") == "bad") throw std::runtime_error("bad name");
  });
  EXPECT_THROW(a.update({{"level", 5}}), std::runtime_error);
  EXPECT_EQ(users.findByPk(a.id())->get<std::int64_t>("level"), 1);
  EXPECT_THROW(a.destroy(), std::runtime_error);
  EXPECT_TRUE(a.exists());
  EXPECT_THROW(users.bulkCreate({{{"name", "ok"}}, {{"name", "bad"}}}), std::runtime_error);
  EXPECT_EQ(users.count(), 1u);
  EXPECT_THROW(users.update({{"level", 3}}, Where{}), std::runtime_error);
  EXPECT_EQ(users.count({.where = col("level") == 3}), 0u);
  EXPECT_THROW(users.destroy(Where{}, {.individualHooks = true}), std::runtime_error);
  EXPECT_EQ(users.count(), 1u);
  store.checkIntegrity();
}

TEST_F(HooksTest, AnAfterHookThatThrowsPropagatesAfterTheChange) {
  users.addHook(Hook::AfterCreate, [](Instance&) { throw std::runtime_error("after"); });
  EXPECT_THROW(users.create({{"name", "ann"}}), std::runtime_error);
  EXPECT_EQ(users.count(), 1u);
}

TEST_F(HooksTest, AfterDestroyStillReadsTheValuesTheRowHad) {
  std::string seen;
  bool existed = true;
  users.addHook(Hook::AfterDestroy, [&](Instance& u) {
    seen = u.get<std::string>("name");
    existed = u.exists();
  });
  Instance a = users.create({{"name", "ann"}});
  a.destroy();
  EXPECT_EQ(seen, "ann");
  EXPECT_FALSE(existed);
}

TEST_F(HooksTest, BulkCreateAndModelUpdateRunEachRowsHooks) {
  int creates = 0, updates = 0;
  users.addHook(Hook::AfterCreate, [&](Instance&) { ++creates; });
  users.addHook(Hook::BeforeUpdate, [&](Instance& u) {
    ++updates;
    u.set("level", u.get<std::int64_t>("level") * 10);
  });
  users.bulkCreate({{{"name", "a"}, {"level", 1}}, {{"name", "b"}, {"level", 2}}, {{"name", "c"}, {"level", 3}}});
  EXPECT_EQ(creates, 3);
  EXPECT_EQ(users.update({{"level", 4}}, col("level") >= 2), 2u);
  EXPECT_EQ(updates, 2);
  EXPECT_EQ(users.count({.where = col("level") == 40}), 2u);
}

TEST(DestroyHooks, ARootDestroyedByAnotherRootsBeforeHookRunsItsHooksOnce) {
  Store store;
  Model emps = store.define("Employee", {{.name = "name"}});
  Instance a = emps.create({{"name", "a"}});
  Instance b = emps.create({{"name", "b"}});
  std::vector<std::string> log;
  emps.addHook(Hook::BeforeDestroy, [&](Instance& e) {
    const std::string name = e.get<std::string>("name");
    log.push_back("before " + name);
    if (name == "a") emps.findByPk(b.id())->destroy();
  });
  emps.addHook(Hook::AfterDestroy, [&](Instance& e) { log.push_back("after " + e.get<std::string>("name")); });
  EXPECT_EQ(emps.destroy(col("name").in({"a", "b"}), {.individualHooks = true}), 2u);
  EXPECT_EQ(log, (std::vector<std::string>{"before a", "before b", "after b", "after a"}));
  EXPECT_EQ(emps.count(), 0u);
  store.checkIntegrity();
}

TEST_F(HooksTest, ModelDestroyRunsDestroyHooksOnlyWithIndividualHooks) {
  int before = 0, after = 0;
  users.addHook(Hook::BeforeDestroy, [&](Instance&) { ++before; });
  users.addHook(Hook::AfterDestroy, [&](Instance& u) {
    ++after;
    EXPECT_FALSE(u.get("name").isNull());
  });
  users.bulkCreate({{{"name", "a"}}, {{"name", "b"}}, {{"name", "c"}}, {{"name", "d"}}});
  EXPECT_EQ(users.destroy(col("name").in({"a", "b"})), 2u);
  EXPECT_EQ(before + after, 0);
  EXPECT_EQ(users.destroy(Where{}, {.individualHooks = true}), 2u);
  EXPECT_EQ(before, 2);
  EXPECT_EQ(after, 2);
}

// A write in progress holds rows shaped by the schema it began with: hooks
// and validators may not change the schema, whether or not a transaction
// or hooked operation is open around them (before: memory read past a row).
TEST(SchemaChangesFromUserCode, AreRefusedInValidatorsAndAfterHooksWithNothingHalfDone) {
  Store store;
  Model users = store.define("User", {{.name = "name"}});
  Model* postsHandle = nullptr;
  int validated = 0;
  Model posts = store.define("Post", {{.name = "title", .validate = [&](const Value&) {
                                         if (++validated == 2) users.hasMany(*postsHandle);
                                       }}});
  postsHandle = &posts;
  const std::string refused =
      "hasMany on User inside a transaction or a write operation: schema changes are not transactional";
  try {
    posts.bulkCreate({{{"title", "a"}}, {{"title", "b"}}, {{"title", "c"}}});
    FAIL() << "no error";
  } catch (const SchemaError& e) {
    EXPECT_EQ(std::string(e.what()), "bulkCreate row 1: " + refused);
  }
  validated = 1;
  try {
    posts.create({{"title", "plain"}});  // no hooks: no frame is open
    FAIL() << "no error";
  } catch (const SchemaError& e) {
    EXPECT_EQ(std::string(e.what()), refused);
  }
  EXPECT_EQ(posts.count(), 0u);
  EXPECT_TRUE(users.associations().empty());
  EXPECT_EQ(posts.attributes().size(), 2u);  // no UserId column

  validated = 100;
  Instance p = posts.create({{"title", "kept"}});
  posts.addHook(Hook::AfterDestroy, [&](Instance& gone) {
    store.define("Audit", {});  // refused too
    gone.get("title");
  });
  EXPECT_THROW(p.destroy(), SchemaError);  // an after-hook's throw leaves the destroy done
  EXPECT_EQ(posts.count(), 0u);
  EXPECT_FALSE(store.hasModel("Audit"));
  users.hasMany(posts);  // outside user code: fine
  EXPECT_EQ(posts.attributes().size(), 3u);
  store.checkIntegrity();
}

// A validator is user code inside a write too: it cannot end the caller's
// transaction, and its destroys do not compact the table the write is
// walking (update held row slots that compaction moved: reads past them).
TEST(SchemaChangesFromUserCode, ValidatorsCannotEndTransactionsOrMoveTheRowsOfTheWriteAroundThem) {
  Store store;
  Model* self = nullptr;
  std::function<void()> onValidate;
  Model posts = store.define("Post", {{.name = "n", .type = Type::Int, .validate = [&](const Value&) {
                                         if (onValidate) onValidate();
                                       }}});
  self = &posts;
  std::optional<Transaction> outer(store.begin());
  onValidate = [&] { outer->rollback(); };
  EXPECT_THROW(posts.create({{"n", 1}}), Error);
  EXPECT_TRUE(outer->active());
  EXPECT_EQ(posts.count(), 0u);
  outer->commit();

  onValidate = nullptr;
  posts.bulkCreate(std::vector<Record>(2100, Record{{"n", 0}}));
  bool once = true;
  onValidate = [&] {
    if (std::exchange(once, false)) self->destroy(col("id") <= 1500);  // most slots free: would compact
  };
  EXPECT_EQ(posts.update({{"n", 7}}, col("id") > 2000), 100u);
  EXPECT_EQ(posts.count(), 600u);
  EXPECT_EQ(posts.count({.where = {{"n", 7}}}), 100u);
  store.checkIntegrity();
  onValidate = nullptr;
  posts.destroy(col("id") == 2100);  // the next write outside user code compacts
  EXPECT_LT(store.impl().model(posts.index()).table().slotCount(), 1000u);
  store.checkIntegrity();
}

// A validator that destroys the row an update is about to write takes its
// slot with it when it is the table's last (the update read the freed slot).
TEST(SchemaChangesFromUserCode, AnUpdateWhoseValidatorDestroysItsRowFailsCleanly) {
  Store store;
  Model* self = nullptr;
  bool armed = false;
  Model posts = store.define("Post", {{.name = "n", .type = Type::Int, .validate = [&](const Value&) {
                                         if (std::exchange(armed, false)) self->destroy(col("id") == 1);
                                       }}});
  self = &posts;
  posts.create({{"n", 0}});
  armed = true;
  EXPECT_THROW(posts.update({{"n", 7}}, col("id") == 1), NotFoundError);
  EXPECT_EQ(posts.count(), 0u);  // the validator's destroy stands
  store.checkIntegrity();
}

TEST_F(HooksTest, SaveHooksSeeStagedValues) {
  Instance a = users.create({{"name", "ann"}});
  std::int64_t seen = 0;
  users.addHook(Hook::BeforeSave, [&](Instance& u) { seen = u.get<std::int64_t>("level"); });
  a.update({{"level", 6}});
  EXPECT_EQ(seen, 6);
}

}  // namespace
