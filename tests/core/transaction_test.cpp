// Transactions: rollback of every kind of write, savepoints, hooks, the RAII
// form, refusals, and a randomized test comparing the whole store (row slots
// included) before and after groups of writes that are rolled back.
#include <gtest/gtest.h>

#include <limits>
#include <optional>
#include <random>

#include "relstore/relstore.h"
#include "store_impl.h"
#include "support/seed_blocks.h"
#include "support/table_dump.h"

using namespace relstore;
using relstore::testing_support::forEachSeed;
using relstore::testing_support::SeedBlock;
using relstore::testing_support::seedBlockName;
using relstore::testing_support::seedBlocks;
using relstore::testing_support::tableDump;

namespace {

// Every table (see tableDump: slots, free slots, bucket order) and every id
// counter: equal dumps, identical stores.
std::string physicalDump(const Store& store) {
  const detail::StoreImpl& impl = store.impl();
  std::string out;
  for (std::uint32_t i = 0; i < impl.modelCount(); ++i) {
    const detail::ModelImpl& m = impl.model(i);
    out += m.name() + " counter=" + std::to_string(m.idCounter()) + "\n" + tableDump(m.table());
  }
  return out;
}

struct Boom : std::runtime_error {
  Boom() : std::runtime_error("boom") {}
};

class TransactionTest : public ::testing::Test {
 protected:
  TransactionTest() {
    users.hasMany(posts, {.onDelete = Action::Cascade});
    posts.belongsTo(users);
    users.belongsToMany(roles, {.through = {"UserRoles"}});
    roles.belongsToMany(users, {.through = {"UserRoles"}});
    ann = users.create({{"name", "Ann"}, {"gold", 10}});
    bob = users.create({{"name", "Bob"}, {"gold", 20}});
    admin = roles.create({{"label", "admin"}});
    ann.assoc("Posts").create({{"title", "hello"}});
    ann.assoc("Posts").create({{"title", "world"}});
    ann.assoc("Roles").add(admin);
    before = physicalDump(store);
  }
  // The body throws at its end: everything it did must be gone.
  template <class F>
  void expectRolledBack(F&& body) {
    EXPECT_THROW(store.transaction([&] {
      body();
      throw Boom();
    }),
                 Boom);
    EXPECT_EQ(physicalDump(store), before);
    store.checkIntegrity();
  }

  Store store;
  Model users = store.define("User", {{.name = "name", .unique = true}, {.name = "gold", .type = Type::Int}});
  Model posts = store.define("Post", {{.name = "title"}});
  Model roles = store.define("Role", {{.name = "label"}});
  Instance ann{nullptr, 0, 0}, bob{nullptr, 0, 0}, admin{nullptr, 0, 0};
  std::string before;
};

TEST_F(TransactionTest, ANormalReturnCommitsAndReturnsTheBodysResult) {
  const Id id = store.transaction([&] { return users.create({{"name", "Cy"}}).id(); });
  EXPECT_EQ(id, 3);
  EXPECT_EQ(users.findByPk(3)->get<std::string>("name"), "Cy");
  int& ref = store.transaction([&]() -> int& {
    static int x = 5;
    return x;
  });
  EXPECT_EQ(ref, 5);
}

TEST_F(TransactionTest, CreatesAndTheirIdCountersAreRolledBack) {
  expectRolledBack([&] {
    users.create({{"name", "Cy"}});
    users.bulkCreate({{{"name", "Di"}}, {{"name", "Ed"}}});
    posts.create({{"title", "t"}, {"UserId", 1}});
  });
  EXPECT_EQ(users.create({{"name", "Cy"}}).id(), 3);  // the counter came back too
}

TEST_F(TransactionTest, UpdatesOfValuesAndKeysAreRolledBack) {
  expectRolledBack([&] {
    users.update({{"gold", 99}}, col("gold") > 0);
    ann.update({{"name", "Anna"}});
    posts.update({{"UserId", 2}}, col("title") == "hello");
    users.findByPk(1)->update({{"id", 50}});  // the key cascades to the posts and junction rows
  });
  EXPECT_EQ(users.findByPk(1)->assoc("Posts").count(), 2u);
}

TEST_F(TransactionTest, DestroysAndCascadesAreRolledBackIntoTheirSlots) {
  expectRolledBack([&] {
    posts.findByPk(1)->destroy();
    ann.destroy();  // cascades: posts, junction row
    EXPECT_EQ(posts.count(), 0u);
    roles.destroy(col("id") > 0);
  });
  EXPECT_TRUE(ann.exists());
  EXPECT_EQ(ann.assoc("Roles").get()[0].get<std::string>("label"), "admin");
}

TEST_F(TransactionTest, ARollbackGivesEveryAssociationItsLinksBackInTheirOrder) {
  const Association annPosts = users.association("Posts");
  ann.assoc("Posts").create({{"title", "third"}});
  ann.assoc("Posts").create({{"title", "fourth"}});
  const std::vector<Id> order{1, 2, 3, 4};
  ASSERT_EQ(std::vector<Id>(annPosts.ids(ann.id()).begin(), annPosts.ids(ann.id()).end()), order);
  EXPECT_THROW(store.transaction([&] {
    posts.findByPk(1)->destroy();                         // the last link moves into its place
    posts.findByPk(2)->update({{"UserId", bob.id()}});    // a key change: out of Ann's links
    posts.update({{"UserId", bob.id()}}, col("id") >= 3);  // several keys at once
    EXPECT_TRUE(annPosts.ids(ann.id()).empty());
    throw Boom();
  }),
               Boom);
  EXPECT_EQ(std::vector<Id>(annPosts.ids(ann.id()).begin(), annPosts.ids(ann.id()).end()), order);
  std::vector<std::string> titles;
  for (const Instance& p : ann.assoc("Posts").get()) titles.push_back(p.get<std::string>("title"));
  EXPECT_EQ(titles, (std::vector<std::string>{"hello", "world", "third", "fourth"}));
  EXPECT_TRUE(annPosts.ids(bob.id()).empty());
  store.checkIntegrity();
}

TEST_F(TransactionTest, AssociationMethodsAreRolledBack) {
  expectRolledBack([&] {
    Instance mod = roles.create({{"label", "mod"}});
    bob.assoc("Roles").add(std::vector<Instance>{mod, admin});
    ann.assoc("Roles").set(std::vector<Instance>{mod});
    ann.assoc("Posts").remove(*posts.findByPk(2));
    bob.assoc("Posts").set(std::vector<Instance>{*posts.findByPk(1)});
    bob.assoc("Posts").create({{"title", "new"}});
  });
}

TEST_F(TransactionTest, AFailedOperationInsideLeavesTheRestOfTheTransactionAlone) {
  store.transaction([&] {
    users.create({{"name", "Cy"}});
    EXPECT_THROW(users.create({{"name", "Ann"}}), UniqueConstraintError);
    EXPECT_THROW(posts.create({{"UserId", 77}}), ForeignKeyConstraintError);
  });
  EXPECT_EQ(users.count(), 3u);
  store.checkIntegrity();
}

TEST_F(TransactionTest, AnInnerFailureCaughtByTheOuterBodyUndoesOnlyTheInnerPart) {
  store.transaction([&] {
    users.create({{"name", "outer"}});
    EXPECT_THROW(store.transaction([&] {
      users.create({{"name", "inner"}});
      bob.destroy();
      throw Boom();
    }),
                 Boom);
    EXPECT_FALSE(users.findOne({.where = {{"name", "inner"}}}));
    EXPECT_TRUE(bob.exists());
    store.transaction([&] { users.create({{"name", "inner2"}}); });
  });
  EXPECT_TRUE(users.findOne({.where = {{"name", "outer"}}}));
  EXPECT_TRUE(users.findOne({.where = {{"name", "inner2"}}}));
  EXPECT_FALSE(users.findOne({.where = {{"name", "inner"}}}));
  store.checkIntegrity();
}

TEST_F(TransactionTest, AnOuterRollbackUndoesCommittedSavepointsToo) {
  expectRolledBack([&] {
    store.transaction([&] { users.create({{"name", "inner"}}); });
    store.transaction([&] { store.transaction([&] { bob.destroy(); }); });
  });
}

TEST_F(TransactionTest, TheRaiiFormRollsBackUnlessCommitted) {
  {
    Transaction tx = store.begin();
    users.create({{"name", "Cy"}});
    EXPECT_TRUE(tx.active());
  }
  EXPECT_EQ(physicalDump(store), before);
  Transaction tx = store.begin();
  users.create({{"name", "Cy"}});
  tx.commit();
  EXPECT_FALSE(tx.active());
  EXPECT_THROW(tx.commit(), Error);
  EXPECT_THROW(tx.rollback(), Error);
  EXPECT_EQ(users.count(), 3u);
  Transaction moved = store.begin();
  Transaction target(std::move(moved));
  EXPECT_FALSE(moved.active());
  users.create({{"name", "Di"}});
  target.rollback();
  EXPECT_EQ(users.count(), 3u);
}

TEST_F(TransactionTest, SavepointsEndInReverseOrder) {
  Transaction outer = store.begin();
  Transaction inner = store.begin();
  EXPECT_THROW(outer.commit(), Error);
  users.create({{"name", "Cy"}});
  outer.rollback();  // takes the inner one with it
  EXPECT_FALSE(inner.active() && store.impl().frameDepth() > 0);
  EXPECT_EQ(physicalDump(store), before);
  EXPECT_EQ(store.impl().frameDepth(), 0u);
}

TEST_F(TransactionTest, SchemaChangesAreRefusedInside) {
  store.transaction([&] {
    EXPECT_THROW(store.define("X", {}), SchemaError);
    EXPECT_THROW(users.hasMany(roles, {.as = "x"}), SchemaError);
  });
  EXPECT_FALSE(store.hasModel("X"));
}

TEST_F(TransactionTest, HookWritesAreRolledBackWithTheTransaction) {
  Model log = store.define("Log", {{.name = "what"}});
  users.addHook(Hook::AfterCreate, [&](Instance& u) { log.create({{"what", "created " + u.get<std::string>("name")}}); });
  before = physicalDump(store);
  expectRolledBack([&] { users.create({{"name", "Cy"}}); });
}

TEST_F(TransactionTest, AHandleWhoseHookedDestroyWasRolledBackReadsItsLiveRowAndKeepsWhatItStaged) {
  users.addHook(Hook::AfterDestroy, [](Instance&) {});  // the destroy keeps the values for after-hooks
  bob.set("gold", 25);                                   // staged, not saved
  EXPECT_THROW(store.transaction([&] {
    bob.destroy();
    throw Boom();
  }),
               Boom);
  EXPECT_TRUE(bob.exists());
  EXPECT_EQ(bob.get<std::int64_t>("gold"), 25);  // still staged
  EXPECT_TRUE(bob.changed());
  bob.save();
  bob.update({{"name", "Bobby"}});
  EXPECT_EQ(bob.get<std::string>("name"), "Bobby");
  EXPECT_EQ(bob.get("name"), Value("Bobby"));
  EXPECT_EQ(users.findByPk(bob.id())->get<std::int64_t>("gold"), 25);
  bob.destroy();  // for good: the values kept for the after-hooks were theirs only
  EXPECT_THROW(bob.get("name"), NotFoundError);
  EXPECT_THROW(bob.get<std::string>("name"), NotFoundError);
}

TEST(OperationHooks, ABeforeHookThatThrowsUndoesTheWritesOfTheHooksBeforeIt) {
  Store store;
  Model users = store.define("User", {{.name = "name"}});
  Model audit = store.define("Audit", {{.name = "what"}});
  users.addHook(Hook::BeforeCreate, [&](Instance&) { audit.create({{"what", "about to create"}}); });
  users.addHook(Hook::BeforeCreate, [&](Instance& u) {
    if (u.get<std::string>("name") == "bad") throw ValidationError("no bad names");
  });
  users.addHook(Hook::BeforeUpdate, [&](Instance&) { audit.create({{"what", "about to update"}}); });
  users.addHook(Hook::BeforeUpdate, [&](Instance& u) {
    if (u.get<std::string>("name") == "bad") throw ValidationError("no bad names");
  });
  users.addHook(Hook::BeforeDestroy, [&](Instance&) { audit.create({{"what", "about to destroy"}}); });
  users.addHook(Hook::BeforeDestroy, [&](Instance& u) {
    if (u.get<std::string>("name") == "keep") throw ValidationError("keep stays");
  });
  EXPECT_THROW(users.create({{"name", "bad"}}), ValidationError);
  EXPECT_EQ(audit.count(), 0u);
  Instance keep = users.create({{"name", "keep"}});
  EXPECT_EQ(audit.count(), 1u);
  EXPECT_THROW(keep.update({{"name", "bad"}}), ValidationError);
  EXPECT_THROW(users.update({{"name", "bad"}}, col("id") > 0), ValidationError);
  EXPECT_THROW(users.findByPk(keep.id())->destroy(), ValidationError);  // (keep still stages "bad")
  EXPECT_EQ(audit.count(), 1u);  // only the successful create's
  EXPECT_EQ(store.impl().frameDepth(), 0u);
  store.checkIntegrity();
}

TEST(OperationHooks, AnAfterHookThatThrowsLeavesItsOperationAppliedOutsideATransaction) {
  Store store;
  Model users = store.define("User", {{.name = "name"}});
  Model audit = store.define("Audit", {{.name = "what"}});
  users.addHook(Hook::AfterCreate, [&](Instance&) {
    audit.create({{"what", "created"}});
    throw Error("after-hook fails");
  });
  EXPECT_THROW(users.create({{"name", "Ann"}}), Error);
  EXPECT_EQ(users.count(), 1u);
  EXPECT_EQ(audit.count(), 1u);
  EXPECT_THROW(store.transaction([&] { users.create({{"name", "Bob"}}); }), Error);
  EXPECT_EQ(users.count(), 1u);  // the surrounding transaction rolled it back
  EXPECT_EQ(audit.count(), 1u);
  store.checkIntegrity();
}

TEST(OperationHooks, AHookThatLeavesATransactionOpenFailsItsOperationAndChangesNothing) {
  Store store;
  Model users = store.define("User", {{.name = "name"}});
  Model audit = store.define("Audit", {{.name = "what"}});
  std::optional<Transaction> leaked;
  users.addHook(Hook::BeforeCreate, [&](Instance&) {
    leaked.emplace(store.begin());
    audit.create({{"what", "inside the leaked transaction"}});
  });
  try {
    users.create({{"name", "Ann"}});
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("left a transaction open"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(leaked->active());
  EXPECT_EQ(users.count(), 0u);
  EXPECT_EQ(audit.count(), 0u);
  EXPECT_EQ(store.impl().frameDepth(), 0u);
  store.checkIntegrity();
}

// A hook may not end a transaction open when it began, before or after the
// write: the attempt throws and ends nothing (an after-hook's commit used to
// commit the caller's transaction, and the error came only afterwards).
TEST(OperationHooks, AHookCannotEndTheSurroundingTransaction) {
  Store store;
  Model users = store.define("User", {{.name = "name"}});
  Model audit = store.define("Audit", {{.name = "what"}});
  std::optional<Transaction> outer;
  const std::string refusedRollback = "Transaction rollback: a hook may not end a transaction it did not begin";
  const HookId before = users.addHook(Hook::BeforeCreate, [&](Instance&) { outer->rollback(); });
  outer.emplace(store.begin());
  audit.create({{"what", "inside outer"}});
  try {
    users.create({{"name", "Ann"}});
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), refusedRollback);
  }
  EXPECT_TRUE(outer->active());
  EXPECT_EQ(users.count(), 0u);  // the before-hook threw: nothing created
  EXPECT_EQ(audit.count(), 1u);
  users.removeHook(before);
  const HookId after = users.addHook(Hook::AfterCreate, [&](Instance&) { outer->commit(); });
  try {
    users.create({{"name", "Bob"}});
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "Transaction commit: a hook may not end a transaction it did not begin");
  }
  EXPECT_TRUE(outer->active());  // still the caller's to end
  EXPECT_EQ(users.count(), 1u);  // an after-hook's throw leaves its operation applied
  outer->rollback();
  EXPECT_EQ(users.count(), 0u);
  EXPECT_EQ(audit.count(), 0u);
  EXPECT_EQ(store.impl().frameDepth(), 0u);
  // A transaction the hook begins is its own to end.
  users.removeHook(after);
  users.addHook(Hook::BeforeCreate, [&](Instance&) {
    Transaction mine = store.begin();
    audit.create({{"what", "hook"}});
    mine.commit();
  });
  store.transaction([&] { users.create({{"name", "Cy"}}); });
  EXPECT_EQ(users.count(), 1u);
  EXPECT_EQ(audit.count(), 1u);
  store.checkIntegrity();
}

TEST_F(TransactionTest, AHandleToAClosedSavepointNeverActsOnANewerOne) {
  Transaction outer = store.begin();
  Transaction inner = store.begin();
  outer.rollback();  // closes inner too
  Transaction a = store.begin();
  Transaction b = store.begin();  // same depth inner had
  users.create({{"name", "kept by b"}});
  EXPECT_FALSE(inner.active());
  EXPECT_THROW(inner.commit(), Error);
  EXPECT_THROW(inner.rollback(), Error);
  EXPECT_TRUE(b.active());
  b.commit();
  a.commit();
  EXPECT_TRUE(users.findOne({.where = {{"name", "kept by b"}}}));
}

TEST(IdCounter, AnExhaustedAutoIncrementCounterRefusesInsteadOfOverflowing) {
  Store store;
  Model users = store.define("User", {{.name = "name"}});
  users.create({{"id", std::numeric_limits<Id>::max()}, {"name", "last"}});
  EXPECT_THROW(users.create({{"name", "next"}}), ValidationError);
  EXPECT_THROW(users.bulkCreate({{{"name", "next"}}, {{"name", "next2"}}}), ValidationError);
  EXPECT_EQ(users.count(), 1u);
  EXPECT_EQ(users.create({{"id", 5}, {"name", "explicit"}}).id(), 5);
}

// Random groups of writes inside transactions (nested at random), thrown out
// of at a random point: the store must come back exactly, slots included.
void aThrowingGroupLeavesTheStoreExactlyAsBefore(int seed) {
  std::mt19937_64 rng(static_cast<std::uint64_t>(seed) * 7919 + 1);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  Store store;
  Model users = store.define("User", {{.name = "name", .unique = true}, {.name = "level", .type = Type::Int, .index = true}});
  Model items = store.define("Item", {{.name = "kind"}});
  Model tags = store.define("Tag", {{.name = "label"}});
  users.hasMany(items, {.onDelete = pick(2) ? Action::Cascade : Action::SetNull, .hooks = pick(2) == 0});
  items.belongsTo(users);
  items.belongsToMany(tags, {.through = {"ItemTags"}});
  tags.belongsToMany(items, {.through = {"ItemTags"}});
  // Hooks that write: their rows must come and go with their operations.
  items.addHook(Hook::BeforeDestroy, [&](Instance&) { tags.create({{"label", "before destroy"}}); });
  items.addHook(Hook::AfterCreate, [&](Instance&) { tags.create({{"label", "after create"}}); });
  auto randomId = [&](Model m) -> std::optional<Instance> {
    const auto all = m.findAll();
    if (all.empty()) return std::nullopt;
    return all[static_cast<std::size_t>(pick(static_cast<int>(all.size())))];
  };
  auto randomOp = [&] {
    switch (pick(9)) {
      case 0: users.create({{"name", "u" + std::to_string(rng() % 1000)}, {"level", pick(5)}}); break;
      case 1: items.create({{"kind", "k" + std::to_string(pick(3))}, {"UserId", Value(static_cast<Id>(pick(8) + 1))}}); break;
      case 2: tags.create({{"label", "t"}}); break;
      case 3: if (auto u = randomId(users)) u->destroy(); break;
      case 4: if (auto i = randomId(items)) i->destroy(); break;
      case 5: users.update({{"level", pick(5)}}, col("level") == pick(5)); break;
      case 6: if (auto u = randomId(users)) u->update({{"id", static_cast<Id>(pick(40) + 1)}}); break;
      case 7: if (auto i = randomId(items); i) { if (auto t = randomId(tags)) i->assoc("Tags").add(*t); } break;
      case 8: items.destroy(col("kind") == "k" + std::to_string(pick(3))); break;
    }
  };
  auto attempt = [&] {
    try {
      randomOp();
    } catch (const Error&) {  // refused operations are part of the game
    }
  };
  for (int warmup = 0; warmup < 40; ++warmup) attempt();
  for (int group = 0; group < 30; ++group) {
    const std::string before = physicalDump(store);
    const int length = pick(12) + 1;
    const int throwAt = pick(length + 1);
    try {
      store.transaction([&] {
        for (int i = 0; i < length; ++i) {
          if (i == throwAt) throw Boom();
          if (pick(4) == 0) {
            try {  // a savepoint that fails on its own, caught inside
              store.transaction([&] {
                attempt();
                attempt();
                if (pick(2)) throw Boom();
              });
            } catch (const Boom&) {
            }
          }
          attempt();
        }
        throw Boom();
      });
    } catch (const Boom&) {
    }
    ASSERT_EQ(physicalDump(store), before) << "group " << group;
    ASSERT_NO_THROW(store.checkIntegrity()) << "group " << group;
    // Commit some groups so that the store keeps changing.
    store.transaction([&] {
      for (int i = pick(4); i > 0; --i) attempt();
    });
    ASSERT_NO_THROW(store.checkIntegrity());
  }
  EXPECT_EQ(store.impl().frameDepth(), 0u);
}

// Destroys leave free slots; a table left mostly free is compacted after a
// destroy outside transactions, and inside one only at the outermost commit.
TEST(FreeSlots, ATableLeftMostlyFreeIsCompactedAfterTheDestroyOrAtTheOutermostCommit) {
  Store store;
  Model users = store.define("User", {{.name = "name"}});
  Model posts = store.define("Post", {{.name = "title"}});
  users.hasMany(posts, {.onDelete = Action::Cascade});
  std::vector<Record> batch;
  for (int i = 1; i <= 6000; ++i) batch.push_back({{"name", "u" + std::to_string(i)}});
  users.bulkCreate(batch);
  batch.clear();
  for (int i = 1; i <= 6000; ++i) batch.push_back({{"title", "p" + std::to_string(i)}, {"UserId", Value(static_cast<Id>(i))}});
  posts.bulkCreate(batch);
  const auto& userTable = store.impl().model(users.index()).table();
  const auto& postTable = store.impl().model(posts.index()).table();

  users.destroy(col("id") <= 2000);  // a third free: kept as free slots
  EXPECT_EQ(userTable.slotCount(), 6000u);
  EXPECT_EQ(postTable.freeSlots().size(), 2000u);

  store.transaction([&] {
    users.destroy(col("id") <= 4000);
    EXPECT_EQ(userTable.slotCount(), 6000u);  // slots named by the undo log stay put
    store.transaction([&] { users.findByPk(4001)->destroy(); });
    EXPECT_EQ(userTable.slotCount(), 6000u);  // a savepoint's commit is not the end
  });
  EXPECT_EQ(userTable.slotCount(), 1999u);
  EXPECT_FALSE(userTable.hasFreeSlots());
  EXPECT_EQ(postTable.slotCount(), 1999u);
  store.checkIntegrity();
  EXPECT_EQ(users.count(), 1999u);
  EXPECT_EQ(users.findByPk(4002)->assoc("Posts").get().front().get<std::string>("title"), "p4002");
  EXPECT_EQ(users.findAll({.where = col("name") == "u6000"}).size(), 1u);

  users.create({{"name", "new"}});
  users.destroy(col("id") <= 4600);  // 599 free of 2000: below the threshold
  EXPECT_EQ(userTable.slotCount(), 2000u);
  users.destroy(col("id") <= 5800);  // 1799 free: compacted at once
  EXPECT_EQ(userTable.slotCount(), 201u);
  EXPECT_EQ(postTable.slotCount(), 200u);
  store.checkIntegrity();
  EXPECT_EQ(posts.count(), 200u);
  EXPECT_EQ(users.findByPk(6001)->get<std::string>("name"), "new");
}

class RandomRollback : public ::testing::TestWithParam<SeedBlock> {};

TEST_P(RandomRollback, AThrowingGroupLeavesTheStoreExactlyAsBefore) {
  forEachSeed(GetParam(), aThrowingGroupLeavesTheStoreExactlyAsBefore);
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomRollback, ::testing::ValuesIn(seedBlocks(60, 10)), seedBlockName);

}  // namespace
