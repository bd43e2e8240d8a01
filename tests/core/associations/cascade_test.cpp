// Referential actions applied in memory, all or nothing.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "relstore/relstore.h"

using namespace relstore;

namespace {

class CascadeTest : public ::testing::Test {
 protected:
  Store store;
  Model users = store.define("User", {{.name = "name"}});
  Model posts = store.define("Post", {{.name = "title"}});
  Model comments = store.define("Comment", {{.name = "body"}});
};

TEST_F(CascadeTest, DefaultsNullableKeySetsNullNotNullKeyCascades) {
  users.hasMany(posts);  // nullable UserId → SET NULL
  Model items = store.define("Item", {{.name = "ownerId", .type = Type::Int, .allowNull = false}});
  users.hasMany(items, {.foreignKey = "ownerId"});  // NOT NULL → CASCADE
  Instance u = users.create({{"name", "u"}});
  Instance p = u.assoc("Posts").create({{"title", "t"}});
  Instance i = u.assoc("Items").create({});
  u.destroy();
  EXPECT_TRUE(p.exists());
  EXPECT_TRUE(p.get("UserId").isNull());
  EXPECT_FALSE(i.exists());
  store.checkIntegrity();
}

TEST_F(CascadeTest, CascadeFollowsEveryLevelAndRestrictRefusesWithNothingChanged) {
  users.hasMany(posts, {.onDelete = Action::Cascade});
  posts.hasMany(comments, {.onDelete = Action::Cascade});
  Model flags = store.define("Flag", {});
  comments.hasMany(flags, {.onDelete = Action::Restrict});
  Instance u = users.create({{"name", "u"}});
  Instance p = u.assoc("Posts").create({{"title", "t"}});
  Instance c = p.assoc("Comments").create({{"body", "b"}});
  Instance f = c.assoc("Flags").create({});
  try {
    u.destroy();
    FAIL();
  } catch (const ForeignKeyConstraintError& e) {
    EXPECT_NE(std::string(e.what()).find("Flag.CommentId"), std::string::npos);
  }
  EXPECT_TRUE(u.exists());
  EXPECT_TRUE(p.exists());
  EXPECT_TRUE(c.exists());
  f.destroy();
  u.destroy();
  EXPECT_FALSE(p.exists());
  EXPECT_FALSE(c.exists());
  EXPECT_EQ(comments.count(), 0u);
  store.checkIntegrity();
}

TEST_F(CascadeTest, SetNullOnANotNullKeyRefusesEverything) {
  Model items = store.define("Item", {{.name = "ownerId", .type = Type::Int, .allowNull = false}});
  users.hasMany(items, {.foreignKey = "ownerId", .onDelete = Action::SetNull});
  Instance u = users.create({{"name", "u"}});
  u.assoc("Items").create({});
  EXPECT_THROW(u.destroy(), ForeignKeyConstraintError);
  EXPECT_TRUE(u.exists());
  EXPECT_EQ(items.count(), 1u);
}

TEST_F(CascadeTest, SetDefaultWritesTheDefaultWhichMustReferenceALiveParent) {
  Model tickets = store.define("Ticket", {{.name = "queueId", .type = Type::Int, .defaultValue = 1}});
  Model queues = store.define("Queue", {{.name = "name"}});
  queues.hasMany(tickets, {.foreignKey = "queueId", .onDelete = Action::SetDefault});
  Instance inbox = queues.create({{"name", "inbox"}});  // id 1, the default
  Instance other = queues.create({{"name", "other"}});
  Instance t = tickets.create({{"queueId", other.id()}});
  other.destroy();
  EXPECT_EQ(t.get<std::int64_t>("queueId"), inbox.id());
  EXPECT_THROW(inbox.destroy(), ForeignKeyConstraintError);  // the default would dangle
  EXPECT_TRUE(inbox.exists());
}

TEST_F(CascadeTest, SetDefaultIntoAJunctionPairAlreadyLinkedIsRefusedWithNothingChanged) {
  Model roles = store.define("Role", {{.name = "label"}});
  Model memberships = store.define("Membership", {{.name = "UserId", .type = Type::Int, .defaultValue = 1},
                                                  {.name = "RoleId", .type = Type::Int}});
  users.belongsToMany(roles, {.through = {.model = memberships}, .onDelete = Action::SetDefault});
  Instance nobody = users.create({{"name", "nobody"}});  // id 1, the default
  Instance ann = users.create({{"name", "ann"}});
  Instance bob = users.create({{"name", "bob"}});
  Instance admin = roles.create({{"label", "admin"}});
  ann.assoc("Roles").add(admin);
  bob.assoc("Roles").add(admin);
  const char* message = "Membership: the pair (UserId 1, RoleId 1) is already linked";
  try {
    users.destroy(col("name") != "nobody");  // both links would become (nobody, admin)
    FAIL() << "no error";
  } catch (const UniqueConstraintError& e) {
    EXPECT_STREQ(e.what(), message);
  }
  EXPECT_TRUE(ann.exists());
  EXPECT_TRUE(bob.exists());
  EXPECT_EQ(memberships.count({.where = col("UserId") != nobody.id()}), 2u);
  store.checkIntegrity();
  ann.destroy();  // one link arrives: nobody holds it now
  EXPECT_EQ(nobody.assoc("Roles").count(), 1u);
  try {
    bob.destroy();  // the second would repeat it
    FAIL() << "no error";
  } catch (const UniqueConstraintError& e) {
    EXPECT_STREQ(e.what(), message);
  }
  EXPECT_TRUE(bob.exists());
  EXPECT_EQ(bob.assoc("Roles").count(), 1u);
  store.checkIntegrity();
}

TEST_F(CascadeTest, ConstraintsFalseLeavesDanglingKeys) {
  users.hasMany(posts, {.constraints = false});
  Instance u = users.create({{"name", "u"}});
  Instance p = posts.create({{"title", "t"}, {"UserId", 999}});  // no existence check
  u.assoc("Posts").add(p);
  u.destroy();
  EXPECT_TRUE(p.exists());
  EXPECT_EQ(p.get<std::int64_t>("UserId"), u.id());
}

// The seed's options: {onDelete: CASCADE, hooks: true, constraints: false}.
TEST_F(CascadeTest, SeedCascadeWithHooksWithoutConstraints) {
  users.hasMany(posts, {.foreignKey = "authorId", .as = "articles", .onDelete = Action::Cascade,
                        .onUpdate = Action::Cascade, .hooks = true, .constraints = false});
  std::vector<std::string> log;
  posts.addHook(Hook::BeforeDestroy, [&](Instance& p) { log.push_back("before " + p.get<std::string>("title")); });
  posts.addHook(Hook::AfterDestroy, [&](Instance& p) { log.push_back("after " + p.get<std::string>("title")); });
  Instance u = users.create({{"name", "u"}});
  u.assoc("articles").create({{"title", "a"}});
  u.assoc("articles").create({{"title", "b"}});
  Instance stray = posts.create({{"title", "stray"}, {"authorId", 12345}});  // allowed: constraints off
  u.destroy();
  EXPECT_EQ(posts.count(), 1u);
  // Post-order keeps siblings in order: a's subtree (itself) before b's.
  EXPECT_EQ(log, (std::vector<std::string>{"before a", "before b", "after a", "after b"}));
}

TEST_F(CascadeTest, HooksRunPreOrderBeforeAndPostOrderAfterAndABeforeHookAborts) {
  users.hasMany(posts, {.onDelete = Action::Cascade, .hooks = true});
  posts.hasMany(comments, {.onDelete = Action::Cascade, .hooks = true});
  std::vector<std::string> log;
  for (Model m : {users, posts, comments}) {
    m.addHook(Hook::BeforeDestroy, [&, name = m.name()](Instance&) { log.push_back("before " + name); });
    m.addHook(Hook::AfterDestroy, [&, name = m.name()](Instance&) { log.push_back("after " + name); });
  }
  Instance u = users.create({{"name", "u"}});
  Instance p = u.assoc("Posts").create({{"title", "t"}});
  p.assoc("Comments").create({{"body", "x"}});
  bool refuse = true;
  comments.addHook(Hook::BeforeDestroy, [&](Instance&) {
    if (refuse) throw std::runtime_error("comment refuses");
  });
  EXPECT_THROW(u.destroy(), std::runtime_error);
  EXPECT_EQ(users.count() + posts.count() + comments.count(), 3u);
  refuse = false;
  log.clear();
  u.destroy();
  EXPECT_EQ(log, (std::vector<std::string>{"before User", "before Post", "before Comment", "after Comment",
                                           "after Post", "after User"}));
  EXPECT_EQ(users.count() + posts.count() + comments.count(), 0u);
}

TEST_F(CascadeTest, HooksFollowTheTreeDepthFirstWhenItBranches) {
  users.hasMany(posts, {.onDelete = Action::Cascade, .hooks = true});
  posts.hasMany(comments, {.onDelete = Action::Cascade, .hooks = true});
  std::vector<std::string> log;
  for (Model m : {users, posts, comments}) {
    const std::string attribute = m.name() == "User" ? "name" : m.name() == "Post" ? "title" : "body";
    m.addHook(Hook::BeforeDestroy, [&, attribute](Instance& i) { log.push_back("before " + i.get<std::string>(attribute)); });
    m.addHook(Hook::AfterDestroy, [&, attribute](Instance& i) { log.push_back("after " + i.get<std::string>(attribute)); });
  }
  // Two users, each with two posts of two comments: the breadth-first walk
  // meets u1 u2 p1 p2 p3 p4 c1 ..., the hooks go subtree by subtree.
  for (int u = 1; u <= 2; ++u) {
    Instance user = users.create({{"name", "u" + std::to_string(u)}});
    for (int p = 1; p <= 2; ++p) {
      const std::string post = "u" + std::to_string(u) + "p" + std::to_string(p);
      Instance made = user.assoc("Posts").create({{"title", post}});
      for (int c = 1; c <= 2; ++c) made.assoc("Comments").create({{"body", post + "c" + std::to_string(c)}});
    }
  }
  EXPECT_EQ(users.destroy(col("name") != "", {.individualHooks = true}), 2u);
  std::vector<std::string> before, after;
  for (const char* u : {"u1", "u2"}) {
    before.push_back(std::string("before ") + u);
    for (const char* p : {"p1", "p2"}) {
      const std::string post = std::string(u) + p;
      before.push_back("before " + post);
      for (const char* c : {"c1", "c2"}) {
        before.push_back("before " + post + c);
        after.push_back("after " + post + c);
      }
      after.push_back("after " + post);
    }
    after.push_back(std::string("after ") + u);
  }
  before.insert(before.end(), after.begin(), after.end());
  EXPECT_EQ(log, before);
  EXPECT_EQ(users.count() + posts.count() + comments.count(), 0u);
}

TEST_F(CascadeTest, ARowReachedTwiceRunsItsHooksOnceAndDestroyWhereFollowsTheAssociationsHooks) {
  // A diamond: a comment belongs to a post and to a user, both cascading.
  users.hasMany(posts, {.onDelete = Action::Cascade, .hooks = true});
  posts.hasMany(comments, {.onDelete = Action::Cascade, .hooks = true});
  users.hasMany(comments, {.onDelete = Action::Cascade, .hooks = true});
  int userHooks = 0, postHooks = 0;
  std::vector<std::string> commentHooks;
  users.addHook(Hook::BeforeDestroy, [&](Instance&) { ++userHooks; });
  posts.addHook(Hook::AfterDestroy, [&](Instance&) { ++postHooks; });
  comments.addHook(Hook::BeforeDestroy, [&](Instance& c) { commentHooks.push_back("before " + c.get<std::string>("body")); });
  comments.addHook(Hook::AfterDestroy, [&](Instance& c) { commentHooks.push_back("after " + c.get<std::string>("body")); });
  Instance u = users.create({{"name", "u"}});
  Instance p = u.assoc("Posts").create({{"title", "t"}});
  Instance c = p.assoc("Comments").create({{"body", "x"}});
  c.update({{"UserId", u.id()}});
  // destroy(where) without individual hooks: the user's own hooks do not
  // run, the cascade's do (hooks: true), each row once.
  EXPECT_EQ(users.destroy(col("name") == "u"), 1u);
  EXPECT_EQ(userHooks, 0);
  EXPECT_EQ(postHooks, 1);
  EXPECT_EQ(commentHooks, (std::vector<std::string>{"before x", "after x"}));
  EXPECT_EQ(users.count() + posts.count() + comments.count(), 0u);
}

TEST_F(CascadeTest, TheCascadeCoversWhatBeforeHooksWriteUnderTheDoomedRows) {
  users.hasMany(posts, {.onDelete = Action::Cascade, .hooks = true});
  posts.hasMany(comments);  // nullable key: SET NULL
  Instance u = users.create({{"name", "u"}});
  Instance keep = users.create({{"name", "keep"}});
  Instance old = u.assoc("Posts").create({{"title", "old"}});
  Instance moved = u.assoc("Posts").create({{"title", "moved"}});
  std::function<void(Instance&)> onUser = [](Instance&) {};
  users.addHook(Hook::BeforeDestroy, [&](Instance& i) { onUser(i); });
  std::vector<std::string> log;
  posts.addHook(Hook::BeforeDestroy, [&](Instance& p) {
    log.push_back("before " + p.get<std::string>("title"));
    if (p.get<std::string>("title") == "old") comments.create({{"body", "late comment"}, {"PostId", p.id()}});
  });
  posts.addHook(Hook::AfterDestroy, [&](Instance& p) { log.push_back("after " + p.get<std::string>("title")); });
  onUser = [&](Instance& who) {
    posts.create({{"title", "late"}, {"UserId", who.id()}});  // under the doomed user
    moved.update({{"UserId", keep.id()}});                      // away from it
  };
  u.destroy();
  // "late" is destroyed with its hooks; "moved" survives; the comment created
  // under "old" has its key set null; nothing dangles.
  // The user's hook wrote posts: "moved" is out of the cascade before its turn.
  EXPECT_EQ(log, (std::vector<std::string>{"before old", "before late", "after old", "after late"}));
  ASSERT_EQ(posts.count(), 1u);
  EXPECT_EQ(posts.findAll()[0].id(), moved.id());
  ASSERT_EQ(comments.count(), 1u);
  EXPECT_TRUE(comments.findAll()[0].get("PostId").isNull());
  EXPECT_NO_THROW(store.checkIntegrity());
  // A Restrict the hooks' writes bring in refuses the destroy, with the
  // hooks' writes undone.
  Model pins = store.define("Pin", {});
  users.hasMany(pins, {.onDelete = Action::Restrict});
  onUser = [&](Instance& who) { pins.create({{"UserId", who.id()}}); };
  EXPECT_THROW(keep.destroy(), ForeignKeyConstraintError);
  EXPECT_EQ(pins.count(), 0u);
  EXPECT_EQ(users.count(), 1u);
  EXPECT_EQ(posts.count(), 1u);
}

TEST_F(CascadeTest, WithoutHooksCascadedRowsGoWithoutTheirHooks) {
  users.hasMany(posts, {.onDelete = Action::Cascade});
  int destroyed = 0;
  posts.addHook(Hook::AfterDestroy, [&](Instance&) { ++destroyed; });
  Instance u = users.create({{"name", "u"}});
  u.assoc("Posts").create({{"title", "t"}});
  u.destroy();
  EXPECT_EQ(destroyed, 0);
  EXPECT_EQ(posts.count(), 0u);
}

TEST_F(CascadeTest, SelfReferencesAndCyclesTerminate) {
  Model nodes = store.define("Node", {{.name = "nextId", .type = Type::Int}});
  nodes.belongsTo(nodes, {.foreignKey = "nextId", .as = "next", .onDelete = Action::Cascade});
  // A row may reference itself on insert.
  Instance self = nodes.create({{"id", 5}, {"nextId", 5}});
  // A ring of three.
  Instance a = nodes.create({});
  Instance b = nodes.create({{"nextId", a.id()}});
  Instance c = nodes.create({{"nextId", b.id()}});
  a.update({{"nextId", c.id()}});
  a.destroy();
  EXPECT_FALSE(b.exists());
  EXPECT_FALSE(c.exists());
  self.destroy();
  EXPECT_EQ(nodes.count(), 0u);
  store.checkIntegrity();
}

TEST_F(CascadeTest, DeepChainsAndWideFanOut) {
  Model levels = store.define("Level", {{.name = "parentId", .type = Type::Int}});
  levels.hasMany(levels, {.foreignKey = "parentId", .as = "children", .onDelete = Action::Cascade});
  Instance root = levels.create({});
  Id last = root.id();
  for (int i = 0; i < 5000; ++i) last = levels.create({{"parentId", last}}).id();  // 5000 levels deep
  std::vector<Record> wide(100000, Record{{"parentId", root.id()}});
  levels.bulkCreate(wide);
  EXPECT_EQ(levels.count(), 105001u);
  root.destroy();
  EXPECT_EQ(levels.count(), 0u);
  store.checkIntegrity();
}

// A model reachable along two keys (a diamond) is walked with visited sets;
// a tree of models without them. Both must remove each row exactly once,
// whatever the order of slots, and a tree's Restrict still refuses.
TEST_F(CascadeTest, DiamondsAndTreesRemoveEachRowOnceInAnySlotOrder) {
  Model likes = store.define("Like", {});
  users.hasMany(posts, {.onDelete = Action::Cascade});
  users.hasMany(likes, {.onDelete = Action::Cascade});
  posts.hasMany(likes, {.onDelete = Action::Cascade});  // Like is reachable from User along two keys
  posts.hasMany(comments, {.onDelete = Action::Cascade});
  std::vector<Instance> us;
  for (int i = 0; i < 4; ++i) us.push_back(users.create({{"name", "u" + std::to_string(i)}}));
  // Interleave the users' rows so that their slots are mixed.
  for (int round = 0; round < 5; ++round) {
    for (Instance& u : us) {
      Instance p = u.assoc("Posts").create({{"title", "t"}});
      p.assoc("Comments").create({{"body", "c"}});
      likes.create({{"UserId", u.id()}, {"PostId", p.id()}});         // both keys into the doomed set
      likes.create({{"UserId", us[0].id()}, {"PostId", p.id()}});     // reached through the post only
    }
  }
  us[1].destroy();
  EXPECT_EQ(posts.count(), 15u);
  EXPECT_EQ(comments.count(), 15u);
  EXPECT_EQ(likes.count(), 30u);
  store.checkIntegrity();
  us[0].destroy();  // its own likes on others' posts go too
  EXPECT_EQ(posts.count(), 10u);
  EXPECT_EQ(likes.count(), 10u);
  store.checkIntegrity();
  // From Post the models form a tree; a Restrict below still refuses, nothing changed.
  Model flags = store.define("Flag", {});
  comments.hasMany(flags, {.onDelete = Action::Restrict});
  Instance c = *comments.findOne({});
  flags.create({{"CommentId", c.id()}});
  Instance victim = *posts.findByPk(c.get<std::int64_t>("PostId"));  // Post -> Like, Post -> Comment -> Flag: a tree
  EXPECT_THROW(victim.destroy(), ForeignKeyConstraintError);
  EXPECT_EQ(posts.count(), 10u);
  EXPECT_EQ(comments.count(), 10u);
  store.checkIntegrity();
}

TEST_F(CascadeTest, OnUpdateCascadeRewritesKeysAndRestrictRefuses) {
  users.hasMany(posts, {.onUpdate = Action::Cascade});
  posts.hasMany(comments, {.onUpdate = Action::Restrict});
  Instance u = users.create({{"name", "u"}});
  Instance p = u.assoc("Posts").create({{"title", "t"}});
  u.update({{"id", 100}});
  EXPECT_EQ(p.get<std::int64_t>("UserId"), 100);
  EXPECT_EQ(u.assoc("Posts").count(), 1u);
  p.assoc("Comments").create({{"body", "c"}});
  EXPECT_THROW(p.update({{"id", 50}}), ForeignKeyConstraintError);
  EXPECT_TRUE(posts.findByPk(p.id()).has_value());
  store.checkIntegrity();
}

// As SQLite (each case checked with it): an update that changes a row's key
// and its own reference writes the reference it gives, unless it gives the
// old key: then the onUpdate action applies to the row, as to any other
// row holding the old key (SQL's actions run after the row's own update).
TEST_F(CascadeTest, AnUpdateOfARowsKeyAndItsOwnReferenceActsOnTheReferenceItWrites) {
  for (Action action : {Action::Cascade, Action::SetNull, Action::Restrict, Action::NoAction}) {
    for (const bool selfManaged : {false, true}) {
      for (const Id manager : {Id(1), Id(2), Id(5)}) {
        SCOPED_TRACE(std::to_string(static_cast<int>(action)) + (selfManaged ? " self-managed" : "") + " managerId " +
                     std::to_string(manager));
        Store s;
        Model employees = s.define("Employee", {{.name = "name"}});
        employees.hasMany(employees, {.foreignKey = "managerId", .as = "reports", .onUpdate = action});
        Instance e1 = employees.create({{"name", "a"}});
        Instance e2 = employees.create({{"name", "b"}});
        if (selfManaged) e1.update({{"managerId", e1.id()}});
        Instance report = employees.create({{"name", "c"}, {"managerId", e2.id()}});
        const bool refused = manager == 1 && (action == Action::Restrict || action == Action::NoAction);
        if (refused) {
          EXPECT_THROW(e1.update({{"id", 5}, {"managerId", manager}}), ForeignKeyConstraintError);
          EXPECT_EQ(e1.id(), 1);
          EXPECT_TRUE(employees.findByPk(1).has_value());
        } else {
          e1.update({{"id", 5}, {"managerId", manager}});
          EXPECT_EQ(e1.id(), 5);
          const Value expected = manager != 1 ? Value(manager) : action == Action::Cascade ? Value(Id(5)) : Value();
          EXPECT_EQ(employees.findByPk(5)->get("managerId"), expected);
        }
        EXPECT_EQ(report.get<std::int64_t>("managerId"), e2.id());
        s.checkIntegrity();
      }
    }
  }
}

TEST_F(CascadeTest, ACascadedWriteMayNotRepeatAUniqueValueTheSameStatementWrites) {
  Model people = store.define("Person", {{.name = "mentorId", .type = Type::Int, .unique = true}});
  people.hasOne(people, {.foreignKey = "mentorId", .as = "protege"});  // ON UPDATE CASCADE
  Instance a = people.create({});
  Instance b = people.create({{"mentorId", a.id()}});
  // a takes id 10 and mentorId 10; the cascade would give b mentorId 10 too
  // (SQLite: UNIQUE constraint failed).
  try {
    a.update({{"id", 10}, {"mentorId", 10}});
    FAIL() << "no error";
  } catch (const UniqueConstraintError& e) {
    EXPECT_STREQ(e.what(), "Person.mentorId must be unique: value 10 is already taken");
  }
  EXPECT_EQ(a.id(), 1);
  EXPECT_TRUE(people.findByPk(1)->get("mentorId").isNull());  // (the failed update's values stay staged on a)
  EXPECT_EQ(b.get<std::int64_t>("mentorId"), 1);
  store.checkIntegrity();
}

// Hooks give each row a new primary key in one statement: the cascade's
// write to a row follows that row once, not on to the row that took its old
// id next.
TEST_F(CascadeTest, WritesToRowsWhoseKeysChangeInOneStatementFollowEachRowOnce) {
  Model emps = store.define("Employee", {{.name = "name"}});
  emps.hasMany(emps, {.foreignKey = "managerId", .as = "reports"});  // ON UPDATE CASCADE
  Instance a = emps.create({{"name", "a"}});
  Instance b = emps.create({{"name", "b"}});
  a.update({{"managerId", a.id()}});  // a manages itself
  emps.addHook(Hook::BeforeUpdate, [](Instance& e) { e.set("id", e.id() + 1); });
  emps.update({{"name", "x"}}, col("id") > 0);  // a: 1 -> 2, b: 2 -> 3
  EXPECT_EQ(emps.findByPk(2)->get<std::int64_t>("managerId"), 2);
  EXPECT_TRUE(emps.findByPk(3)->get("managerId").isNull());
  store.checkIntegrity();
}

// A cascaded key write may take a unique value that a row the same destroy
// removes held, or that another cascaded write moves away; the unique index
// must then follow, and a rollback must bring back the index as it was (the
// writes went in one cell at a time, before the removals: the index lost
// values, and kept them lost after a rollback).
TEST_F(CascadeTest, CascadedWritesMoveUniqueValuesAndARollbackRestoresTheIndex) {
  auto holdersOf = [](Model& m, const char* column, Id value) { return m.count({.where = {{column, value}}}); };
  struct Boom {};
  // SET DEFAULT into a value the destroy frees (a self-reference).
  Model nodes = store.define("Node", {{.name = "nextId", .type = Type::Int, .unique = true, .defaultValue = Value(1)}});
  nodes.hasOne(nodes, {.foreignKey = "nextId", .as = "prev", .onDelete = Action::SetDefault});
  nodes.create({{"id", 1}, {"nextId", Value()}});
  nodes.create({{"id", 3}, {"nextId", 1}});
  Instance two = nodes.create({{"id", 2}, {"nextId", 3}});
  EXPECT_THROW(store.transaction([&] {
                 nodes.findByPk(3)->destroy();
                 EXPECT_EQ(two.get<std::int64_t>("nextId"), 1);
                 store.checkIntegrity();
                 throw Boom();
               }),
               Boom);
  store.checkIntegrity();
  EXPECT_EQ(holdersOf(nodes, "nextId", 1), 1u);  // node 3 again
  EXPECT_EQ(nodes.findOne({.where = {{"nextId", 1}}})->id(), 3);
  nodes.findByPk(3)->destroy();  // and for good
  store.checkIntegrity();
  EXPECT_EQ(nodes.findOne({.where = {{"nextId", 1}}})->id(), 2);

  // onUpdate CASCADE into a unique key while two parents swap ids in one statement.
  Model profiles = store.define("Profile", {{.name = "userId", .type = Type::Int, .unique = true}});
  users.hasOne(profiles, {.foreignKey = "userId", .onUpdate = Action::Cascade});
  Instance a = users.create({{"name", "a"}});
  Instance b = users.create({{"name", "b"}});
  Instance pa = a.assoc("Profile").create({});
  Instance pb = b.assoc("Profile").create({});
  const Id ida = a.id(), idb = b.id();
  users.addHook(Hook::BeforeUpdate, [=](Instance& u) { u.set("id", u.id() == ida ? idb : ida); });
  EXPECT_THROW(store.transaction([&] {
                 users.update({{"name", "swapped"}}, col("name") != "none");
                 EXPECT_EQ(pa.get<std::int64_t>("userId"), b.id());
                 EXPECT_EQ(pb.get<std::int64_t>("userId"), a.id());
                 store.checkIntegrity();
                 throw Boom();
               }),
               Boom);
  store.checkIntegrity();
  EXPECT_EQ(profiles.findOne({.where = {{"userId", b.id()}}})->id(), pb.id());
  EXPECT_THROW(profiles.create({{"userId", b.id()}}), UniqueConstraintError);
}

TEST_F(CascadeTest, ModelDestroyCascadesToo) {
  users.hasMany(posts, {.onDelete = Action::Cascade});
  for (int i = 0; i < 3; ++i) {
    Instance u = users.create({{"name", "u" + std::to_string(i)}});
    u.assoc("Posts").create({{"title", "t"}});
  }
  EXPECT_EQ(users.destroy(col("name").in({"u0", "u1"})), 2u);
  EXPECT_EQ(posts.count(), 1u);
  store.checkIntegrity();
}

}  // namespace
