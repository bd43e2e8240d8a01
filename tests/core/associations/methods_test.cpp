// The association methods of each type (Sequelize's user.getPosts() & co).
#include <gtest/gtest.h>

#include <algorithm>

#include "relstore/relstore.h"
#include "store_impl.h"

using namespace relstore;

namespace {

std::vector<Id> idsOf(const std::vector<Instance>& rows) {
  std::vector<Id> out;
  for (const Instance& r : rows) out.push_back(r.id());
  std::sort(out.begin(), out.end());
  return out;
}
using Ids = std::vector<Id>;

class HasManyTest : public ::testing::Test {
 protected:
  Store store;
  Model users = store.define("User", {{.name = "name"}});
  Model posts = store.define("Post", {{.name = "title"}, {.name = "status"}});
  Association userPosts = users.hasMany(posts);
  Association postUser = posts.belongsTo(users);
};

// The seed's lazy loading and creating, verbatim in C++.
TEST_F(HasManyTest, SeedLazyLoadingAndCreatingAssociatedData) {
  Instance created = users.create({{"name", "John"}});
  Instance post = created.assoc("Posts").create({{"title", "Hello World"}});
  EXPECT_EQ(post.get<std::int64_t>("UserId"), created.id());
  std::optional<Instance> user = users.findOne({.where = {{"id", 1}}});
  std::vector<Instance> userPostsList = user->assoc("Posts").get();
  ASSERT_EQ(userPostsList.size(), 1u);
  EXPECT_EQ(userPostsList[0].get<std::string>("title"), "Hello World");
}

TEST_F(HasManyTest, ABoundAssociationTellsWhatItIs) {
  Instance user = users.create({{"name", "u"}});
  const BoundAssociation bound = user.assoc("Posts");
  EXPECT_EQ(bound.type(), AssociationType::HasMany);
  EXPECT_EQ(bound.source(), users);
  EXPECT_EQ(bound.target(), posts);
  EXPECT_EQ(bound.as(), "Posts");
  EXPECT_EQ(bound.foreignKey(), "UserId");
  EXPECT_EQ(bound.otherKey(), "");
  EXPECT_FALSE(bound.through().has_value());
}

// The seed's method list: get, set, add (one, many), remove (one, many), has (one, many), count.
TEST_F(HasManyTest, SeedAssociationMethods) {
  Instance user = users.create({{"name", "u"}});
  Instance p1 = posts.create({{"title", "1"}});
  Instance p2 = posts.create({{"title", "2"}});
  Instance p3 = posts.create({{"title", "3"}});
  user.assoc("Posts").add(p1);
  user.assoc("Posts").add(std::vector<Instance>{p2, p3});
  EXPECT_EQ(user.assoc("Posts").count(), 3u);
  EXPECT_TRUE(user.assoc("Posts").has(p1));
  EXPECT_TRUE(user.assoc("Posts").has(std::vector<Instance>{p1, p2}));
  EXPECT_TRUE(user.assoc("Posts").has(std::vector<Instance>{}));
  EXPECT_EQ(user.assoc("Posts").remove(p1), 1u);
  EXPECT_EQ(user.assoc("Posts").remove(p1), 0u);  // not linked: no-op
  EXPECT_FALSE(user.assoc("Posts").has(std::vector<Instance>{p1, p2}));
  EXPECT_TRUE(p1.get("UserId").isNull());
  EXPECT_EQ(user.assoc("Posts").remove(std::vector<Instance>{p2, p3}), 2u);
  EXPECT_EQ(user.assoc("Posts").count(), 0u);
  user.assoc("Posts").set(std::vector<Instance>{p1, p3});
  EXPECT_EQ(idsOf(user.assoc("Posts").get()), (Ids{p1.id(), p3.id()}));
  user.assoc("Posts").set(std::vector<Instance>{p2});
  EXPECT_EQ(idsOf(user.assoc("Posts").get()), (Ids{p2.id()}));
  EXPECT_TRUE(p1.get("UserId").isNull());
  store.checkIntegrity();
}

TEST_F(HasManyTest, GetTakesFindOptionsAndCountIgnoresLimit) {
  Instance user = users.create({{"name", "u"}});
  for (int i = 0; i < 5; ++i) user.assoc("Posts").create({{"title", std::to_string(i)}, {"status", i % 2 ? "draft" : "published"}});
  auto published = user.assoc("Posts").get({.where = {{"status", "published"}}, .order = {{"title", Direction::Desc}}, .limit = 2});
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[0].get<std::string>("title"), "4");
  EXPECT_EQ(published[1].get<std::string>("title"), "2");
  EXPECT_EQ(user.assoc("Posts").count({.where = {{"status", "published"}}, .limit = 1}), 3u);
}

TEST_F(HasManyTest, IdsAreZeroCopyInLinkOrder) {
  Instance user = users.create({{"name", "u"}});
  std::vector<Id> made;
  for (int i = 0; i < 4; ++i) made.push_back(user.assoc("Posts").create({{"title", "t"}}).id());
  auto ids = userPosts.ids(user.id());
  EXPECT_EQ(std::vector<Id>(ids.begin(), ids.end()), made);
  EXPECT_TRUE(userPosts.ids(999).empty());
  Instance post = *posts.findByPk(made[2]);
  auto parent = postUser.ids(post.id());
  ASSERT_EQ(parent.size(), 1u);
  EXPECT_EQ(parent[0], user.id());
}

// Compaction (Table::compactIfSparse, after many destroys) moves rows to
// new slots; the links of a parent none of whose links went keep their order.
TEST_F(HasManyTest, LinkOrderSurvivesTheCompactionOfATable) {
  Instance user = users.create({{"name", "u"}});
  Instance junk = users.create({{"name", "junk"}});
  auto many = [&](int n, const char* title) {
    std::vector<Record> batch(n, Record{{"title", title}, {"UserId", junk.id()}});
    posts.bulkCreate(batch);
  };
  many(10, "early");
  std::vector<Id> made{user.assoc("Posts").create({{"title", "a"}}).id()};
  posts.destroy(col("title") == "early");  // frees slots 0..9
  made.push_back(user.assoc("Posts").create({{"title", "b"}}).id());  // into freed, lower slots
  made.push_back(user.assoc("Posts").create({{"title", "c"}}).id());
  many(3000, "x");
  posts.create({{"title", "tail"}, {"UserId", junk.id()}});
  const std::size_t slots = store.impl().model(posts.index()).table().slotCount();
  posts.destroy(col("title") == "x");  // most slots free: the table compacts
  ASSERT_LT(store.impl().model(posts.index()).table().slotCount(), slots);
  auto ids = userPosts.ids(user.id());
  EXPECT_EQ(std::vector<Id>(ids.begin(), ids.end()), made);
  EXPECT_EQ(user.assoc("Posts").getOne()->get<std::string>("title"), "a");
  store.checkIntegrity();
}

TEST_F(HasManyTest, MisuseIsAnAssociationErrorNamingTheAssociation) {
  Instance user = users.create({{"name", "u"}});
  Instance post = posts.create({{"title", "t"}});
  try {
    user.assoc("Posts").add(user);
    FAIL();
  } catch (const AssociationError& e) {
    EXPECT_NE(std::string(e.what()).find("User.Posts"), std::string::npos);
  }
  EXPECT_THROW(post.assoc("User").add(user), AssociationError);  // add on a to-one
  Instance gone = posts.create({{"title", "x"}});
  gone.destroy();
  EXPECT_THROW(user.assoc("Posts").add(gone), AssociationError);
  EXPECT_THROW(userPosts.get(post), AssociationError);
}

TEST_F(HasManyTest, ForeignKeyChecksOnCreateAndUpdate) {
  try {
    posts.create({{"title", "t"}, {"UserId", 42}});
    FAIL();
  } catch (const ForeignKeyConstraintError& e) {
    EXPECT_NE(std::string(e.what()).find("Post.UserId"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("42"), std::string::npos);
  }
  EXPECT_EQ(posts.count(), 0u);
  Instance user = users.create({{"name", "u"}});
  Instance post = posts.create({{"title", "t"}, {"UserId", user.id()}});
  EXPECT_THROW(post.update({{"UserId", 7}}), ForeignKeyConstraintError);
  EXPECT_EQ(post.assoc("User").getOne()->id(), user.id());
  EXPECT_THROW(posts.bulkCreate({{{"title", "a"}, {"UserId", user.id()}}, {{"title", "b"}, {"UserId", 99}}}),
               ForeignKeyConstraintError);
  EXPECT_EQ(posts.count(), 1u);
  store.checkIntegrity();
}

TEST_F(HasManyTest, NotNullKeyMakesRemoveDestroyTheChild) {
  Model items = store.define("Item", {{.name = "ownerId", .type = Type::Int, .allowNull = false}});
  users.hasMany(items, {.foreignKey = "ownerId"});
  Instance user = users.create({{"name", "u"}});
  Instance item = user.assoc("Items").create({});
  EXPECT_EQ(user.assoc("Items").remove(item), 1u);
  EXPECT_FALSE(item.exists());
}

// Unlinking one target (a NOT NULL key: it is destroyed) may cascade to
// another target of the same call: that one is gone, not an error.
TEST_F(HasManyTest, SetAndRemoveGoOnWhenUnlinkingOneTargetDestroysAnother) {
  Model notes = store.define("Note", {{.name = "title"}, {.name = "authorId", .type = Type::Int, .allowNull = false}});
  users.hasMany(notes, {.foreignKey = "authorId", .as = "notes"});
  notes.hasMany(notes, {.foreignKey = "parentId", .as = "replies", .onDelete = Action::Cascade});
  Instance ann = users.create({{"name", "ann"}});
  const auto make = [&] {
    Instance q = ann.assoc("notes").create({{"title", "q"}});
    Instance r = ann.assoc("notes").create({{"title", "r"}, {"parentId", q.id()}});
    return std::pair{q, r};
  };
  auto [q1, r1] = make();
  ann.assoc("notes").set(std::vector<Instance>{});
  EXPECT_FALSE(q1.exists());
  EXPECT_FALSE(r1.exists());
  auto [q3, r3] = make();
  ann.assoc("notes").set(std::vector<Instance>{r3});  // unlinking q3 destroys r3 too: nothing is left to link
  EXPECT_FALSE(q3.exists());
  EXPECT_FALSE(r3.exists());
  auto [q2, r2] = make();
  EXPECT_EQ(ann.assoc("notes").remove({q2, r2}), 2u);  // both links are gone
  EXPECT_FALSE(q2.exists());
  EXPECT_FALSE(r2.exists());
  EXPECT_EQ(notes.count(), 0u);
  store.checkIntegrity();
}

TEST_F(HasManyTest, HasOfADestroyedTargetIsFalse) {
  Instance u = users.create({{"name", "u"}});
  Instance kept = u.assoc("Posts").create({{"title", "kept"}});
  Instance gone = u.assoc("Posts").create({{"title", "gone"}});
  gone.destroy();
  EXPECT_FALSE(u.assoc("Posts").has(gone));
  EXPECT_FALSE(u.assoc("Posts").has({kept, gone}));
  EXPECT_TRUE(u.assoc("Posts").has(kept));
  EXPECT_THROW(u.assoc("Posts").has(u), AssociationError);  // the wrong model is still misuse
}

TEST_F(HasManyTest, AssociationScopeIsWrittenAndFilters) {
  Model comments = store.define("Comment", {{.name = "commentable"}, {.name = "commentableId", .type = Type::Int}});
  Model images = store.define("Image", {});
  posts.hasMany(comments, {.foreignKey = "commentableId", .as = "comments", .constraints = false, .scope = {{"commentable", "post"}}});
  images.hasMany(comments, {.foreignKey = "commentableId", .as = "comments", .constraints = false, .scope = {{"commentable", "image"}}});
  Instance post = posts.create({{"title", "p"}});
  Instance image = images.create({});
  Instance c = post.assoc("comments").create({});
  EXPECT_EQ(c.get<std::string>("commentable"), "post");
  image.assoc("comments").create({});
  EXPECT_EQ(post.assoc("comments").count(), 1u);  // ids are equal (1) but the scope tells them apart
  EXPECT_EQ(image.assoc("comments").count(), 1u);
  EXPECT_THROW(posts.association("comments").ids(post.id()), AssociationError);
  // add and set write the scope; has, include and get filter by it.
  Instance loose = comments.create({{"commentable", "image"}});
  Instance other = comments.create({});
  post.assoc("comments").add(loose);
  EXPECT_EQ(loose.model().findByPk(loose.id())->get<std::string>("commentable"), "post");
  post.assoc("comments").set(std::vector<Instance>{c, other});
  EXPECT_EQ(comments.findByPk(other.id())->get<std::string>("commentable"), "post");
  EXPECT_TRUE(post.assoc("comments").has(std::vector<Instance>{c, other}));
  Instance imageComment = image.assoc("comments").get()[0];
  EXPECT_EQ(imageComment.get<std::int64_t>("commentableId"), post.id());  // the same key value ...
  EXPECT_FALSE(post.assoc("comments").has(imageComment));                // ... but not in scope
  const auto included = posts.findByPk(post.id(), {.include = {{.as = "comments"}}})->included("comments");
  ASSERT_EQ(included.size(), 2u);
  for (const Instance& i : included) EXPECT_EQ(i.get<std::string>("commentable"), "post");
}

TEST(HasOne, SetReplacesAndSameTargetChangesNothing) {
  Store store;
  Model players = store.define("Player", {{.name = "name"}});
  Model mounts = store.define("Mount", {{.name = "kind"}});
  players.hasOne(mounts);
  Instance p = players.create({{"name", "p"}});
  Instance horse = mounts.create({{"kind", "horse"}});
  Instance wolf = mounts.create({{"kind", "wolf"}});
  int updates = 0;
  mounts.addHook(Hook::AfterUpdate, [&](Instance&) { ++updates; });
  p.assoc("Mount").set(horse);
  EXPECT_EQ(p.assoc("Mount").getOne()->id(), horse.id());
  EXPECT_EQ(updates, 1);
  p.assoc("Mount").set(horse);
  EXPECT_EQ(updates, 1);
  p.assoc("Mount").set(wolf);
  EXPECT_EQ(p.assoc("Mount").getOne()->id(), wolf.id());
  EXPECT_TRUE(horse.get("PlayerId").isNull());
  p.assoc("Mount").set(std::nullopt);
  EXPECT_FALSE(p.assoc("Mount").getOne().has_value());
  EXPECT_THROW(p.assoc("Mount").add(wolf), AssociationError);
}

TEST(HasOne, WhenSeveralRowsHoldTheKeyEveryReadNamesTheOneWithTheSmallestId) {
  // The key does not forbid more than one (create does not unlink, as in
  // Sequelize); get, getOne, ids and includes must then agree on which.
  Store store;
  Model players = store.define("Player", {{.name = "name"}});
  Model mounts = store.define("Mount", {{.name = "kind"}});
  players.hasOne(mounts);
  Instance p = players.create({{"name", "p"}});
  std::vector<Instance> made;
  for (const char* kind : {"horse", "wolf", "bear", "boar"}) made.push_back(p.assoc("Mount").create({{"kind", kind}}));
  made[0].destroy();  // the index's bucket now lists boar first
  const Association mount = players.association("Mount");
  ASSERT_EQ(mount.get(p).size(), 1u);
  EXPECT_EQ(mount.get(p)[0].id(), made[1].id());
  EXPECT_EQ(mount.getOne(p)->id(), made[1].id());
  ASSERT_EQ(mount.ids(p.id()).size(), 1u);
  EXPECT_EQ(mount.ids(p.id())[0], made[1].id());
  EXPECT_EQ(players.findByPk(p.id(), {.include = {{.as = "Mount"}}})->includedOne("Mount")->id(), made[1].id());
}

TEST(HasOne, SetToARowThatAlreadyHoldsTheKeyKeepsItAndUnlinksTheOthers) {
  // With a NOT NULL key, unlinking destroys: the new target must not be
  // unlinked on the way (it was, and the set failed with everything undone).
  Store store;
  Model players = store.define("Player", {{.name = "name"}});
  Model mounts = store.define("Mount", {{.name = "kind"}, {.name = "PlayerId", .type = Type::Int, .allowNull = false}});
  players.hasOne(mounts);
  Instance p = players.create({{"name", "p"}});
  Instance horse = p.assoc("Mount").create({{"kind", "horse"}});
  Instance wolf = p.assoc("Mount").create({{"kind", "wolf"}});  // both hold the key; horse is "the" one
  p.assoc("Mount").set(wolf);
  EXPECT_FALSE(horse.exists());  // unlinked, and a NOT NULL key means destroyed
  ASSERT_TRUE(wolf.exists());
  EXPECT_EQ(p.assoc("Mount").getOne()->id(), wolf.id());
  store.checkIntegrity();
}

TEST(BelongsTo, SetWritesOnlyTheKeyAndCreateMakesTheParent) {
  Store store;
  Model users = store.define("User", {{.name = "name"}});
  Model posts = store.define("Post", {{.name = "title"}});
  posts.belongsTo(users, {.as = "author"});
  Instance post = posts.create({{"title", "t"}});
  Instance ann = users.create({{"name", "ann"}});
  post.set("title", "staged");
  post.assoc("author").set(ann);
  EXPECT_EQ(post.get<std::int64_t>("authorId"), ann.id());
  EXPECT_TRUE(post.changed());  // the staged title stays staged
  EXPECT_EQ(posts.findByPk(post.id())->get<std::string>("title"), "t");
  Instance bob = post.assoc("author").create({{"name", "bob"}});
  EXPECT_EQ(post.assoc("author").getOne()->id(), bob.id());
  post.assoc("author").set(std::nullopt);
  EXPECT_TRUE(post.get("authorId").isNull());
  EXPECT_EQ(post.assoc("author").count(), 0u);
}

class BelongsToManyTest : public ::testing::Test {
 protected:
  Store store;
  Model users = store.define("User", {{.name = "name"}});
  Model projects = store.define("Project", {{.name = "title"}});
};

TEST_F(BelongsToManyTest, UniqueJunctionAddsEachPairOnceAndUpdatesThrough) {
  Model userProjects = store.define("UserProject", {{.name = "role"}});
  users.belongsToMany(projects, {.through = {.model = userProjects}});
  projects.belongsToMany(users, {.through = {.model = userProjects}});
  Instance u = users.create({{"name", "u"}});
  Instance p = projects.create({{"title", "p"}});
  u.assoc("Projects").add(p, {{"role", "dev"}});
  u.assoc("Projects").add(p);
  EXPECT_EQ(userProjects.count(), 1u);
  u.assoc("Projects").add(p, {{"role", "lead"}});
  EXPECT_EQ(userProjects.count(), 1u);
  auto got = u.assoc("Projects").get();
  ASSERT_EQ(got.size(), 1u);
  ASSERT_TRUE(got[0].through().has_value());
  EXPECT_EQ(got[0].through()->get<std::string>("role"), "lead");
  EXPECT_TRUE(p.assoc("Users").has(u));
  EXPECT_THROW(userProjects.create({{"UserId", u.id()}, {"ProjectId", p.id()}}), UniqueConstraintError);
  store.checkIntegrity();
}

// get() without options takes a short path; with a limit it takes the general
// one. Both must give the same targets in the same order with the same
// junction rows, skipping links whose target is gone (constraints: false).
// unique: false: a target linked twice appears once per link, in link order;
// an offset skips links, and each page's through() is its own link's row.
TEST_F(BelongsToManyTest, PagesOfRepeatedLinksEachCarryTheirOwnJunctionRow) {
  Model userProject = store.define("UserProject", {{.name = "note"}});
  users.belongsToMany(projects, {.through = {.model = userProject, .unique = false}});
  Instance u = users.create({{"name", "u"}});
  Instance p = projects.create({{"title", "p"}});
  for (const char* note : {"first", "second", "third"}) u.assoc("Projects").add(p, {{"note", note}});
  std::vector<std::string> notes;
  for (std::size_t page = 0; page < 3; ++page) {
    const auto got = u.assoc("Projects").get({.limit = 1, .offset = page});
    ASSERT_EQ(got.size(), 1u);
    notes.push_back(got[0].through()->get<std::string>("note"));
  }
  EXPECT_EQ(notes, (std::vector<std::string>{"first", "second", "third"}));
  EXPECT_TRUE(u.assoc("Projects").get({.offset = 3}).empty());
  EXPECT_EQ(u.assoc("Projects").get({.order = {{"title"}}, .offset = 2})[0].through()->get<std::string>("note"),
            "third");
}

TEST_F(BelongsToManyTest, BelongsToManysOverOneJunctionAgreeOnUnique) {
  Model userProject = store.define("UserProject", {{.name = "role"}});
  users.belongsToMany(projects, {.through = {.model = userProject, .unique = false}, .as = "History"});
  try {
    users.belongsToMany(projects, {.through = {.model = userProject}, .as = "Current"});
    FAIL() << "no error";
  } catch (const SchemaError& e) {
    EXPECT_STREQ(e.what(), "User.belongsToMany(Project): belongsToMany User.History over junction UserProject is "
                           "unique: false; give both the same unique");
  }
  Instance u = users.create({{"name", "u"}});
  Instance p = projects.create({{"title", "p"}});
  u.assoc("History").add(p);
  u.assoc("History").add(p);  // no pair constraint came with the refused definition
  EXPECT_EQ(u.assoc("History").count(), 2u);
}

TEST_F(BelongsToManyTest, PlainGetAgreesWithTheGeneralPathIncludingDanglingLinks) {
  Model userProject = store.define("UserProject", {{.name = "note"}});
  users.belongsToMany(projects, {.through = {.model = userProject, .unique = false}, .constraints = false});
  users.hasMany(projects, {.foreignKey = "ownerId", .as = "owned"});
  Instance u = users.create({{"name", "u"}});
  std::vector<Instance> ps;
  for (int i = 0; i < 6; ++i) ps.push_back(projects.create({{"title", "p" + std::to_string(i)}, {"ownerId", u.id()}}));
  for (int i : {3, 1, 4, 1, 5}) u.assoc("Projects").add(ps[static_cast<std::size_t>(i)], {{"note", std::to_string(i)}});
  ps[4].destroy();  // its junction row stays (constraints: false) and dangles
  // A junction row whose other key is 0 (no such project; a null one is
  // refused: junction keys are NOT NULL) links nothing.
  EXPECT_THROW(userProject.create({{"UserId", u.id()}, {"ProjectId", Value()}}), ValidationError);
  userProject.create({{"UserId", u.id()}, {"ProjectId", 0}, {"note", "zero"}});
  auto check = [&](const char* as, std::size_t expected) {
    const auto plain = u.assoc(as).get();
    const auto general = u.assoc(as).get({.limit = 100});
    ASSERT_EQ(plain.size(), expected) << as;
    ASSERT_EQ(general.size(), expected) << as;
    for (std::size_t i = 0; i < plain.size(); ++i) {
      EXPECT_EQ(plain[i].id(), general[i].id()) << as << i;
      EXPECT_EQ(plain[i].through().has_value(), general[i].through().has_value()) << as << i;
      if (plain[i].through()) {
        EXPECT_EQ(plain[i].through()->id(), general[i].through()->id());
        EXPECT_EQ(plain[i].through()->get<std::string>("note"), std::to_string(plain[i].id() - ps[0].id()));
      }
    }
  };
  check("Projects", 4);  // 3, 1, 1, 5
  check("owned", 5);
  Instance copy = u.assoc("Projects").get()[0];  // a copy keeps its junction row
  EXPECT_EQ(copy.through()->get<std::string>("note"), "3");
  EXPECT_NE(copy.toJSON().find("\"UserProject\""), std::string::npos);
  u.destroy();
  EXPECT_THROW(u.assoc("Projects").get(), AssociationError);
}

// The seed's customized junction: {through: {model: UserProject, unique: false}, constraints: false}.
TEST_F(BelongsToManyTest, CreateAndSetWriteTheThroughRecordAndSetUpdatesThePairsThatStay) {
  Model userProject = store.define("UserProject", {{.name = "role"}});
  users.belongsToMany(projects, {.through = {.model = userProject}});
  Instance u = users.create({{"name", "u"}});
  Instance made = u.assoc("Projects").create({{"title", "new"}}, {{"role", "owner"}});
  const auto first = u.assoc("Projects").get();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].id(), made.id());
  EXPECT_EQ(first[0].through()->get<std::string>("role"), "owner");
  Instance other = projects.create({{"title", "other"}});
  Instance dropped = projects.create({{"title", "dropped"}});
  u.assoc("Projects").add(dropped);
  u.assoc("Projects").set(std::vector<Instance>{made, other}, {{"role", "member"}});
  const auto got = u.assoc("Projects").get({.order = {{"id"}}});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].id(), made.id());
  EXPECT_EQ(got[0].through()->get<std::string>("role"), "member");  // the pair that stayed, updated
  EXPECT_EQ(got[1].id(), other.id());
  EXPECT_EQ(got[1].through()->get<std::string>("role"), "member");
  EXPECT_EQ(userProject.count(), 2u);  // dropped's junction row is gone, none duplicated
  EXPECT_THROW(users.association("Projects").create(u, {{"title", "x"}}, {{"nope", 1}}), SchemaError);
  EXPECT_EQ(projects.count(), 3u);  // the refused through record left no project behind
}

TEST_F(BelongsToManyTest, SeedNonUniqueJunctionLinksEveryTime) {
  Model userProject = store.define("UserProject", {{.name = "note"}});
  users.belongsToMany(projects, {.through = {.model = userProject, .unique = false}, .constraints = false});
  Instance u = users.create({{"name", "u"}});
  Instance p = projects.create({{"title", "p"}});
  u.assoc("Projects").add(p, {{"note", "first"}});
  u.assoc("Projects").add(p, {{"note", "second"}});
  EXPECT_EQ(u.assoc("Projects").count(), 2u);
  auto got = u.assoc("Projects").get();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_NE(got[0].through()->id(), got[1].through()->id());
  EXPECT_TRUE(u.assoc("Projects").has(p));
  EXPECT_EQ(u.assoc("Projects").remove(p), 2u);
  // constraints: false — junction rows survive the deletion of either side.
  u.assoc("Projects").add(p);
  p.destroy();
  EXPECT_EQ(userProject.count(), 1u);
  EXPECT_EQ(u.assoc("Projects").count(), 0u);  // the dangling link finds nothing
}

TEST_F(BelongsToManyTest, GetSkipsDanglingLinksAndKeepsTheOthersInLinkOrder) {
  Model userProject = store.define("UserProject", {{.name = "note"}});
  users.belongsToMany(projects, {.through = {.model = userProject}, .constraints = false});
  Instance u = users.create({{"name", "u"}});
  std::vector<Instance> ps;
  for (int i = 0; i < 4; ++i) ps.push_back(projects.create({{"title", "p" + std::to_string(i)}}));
  for (int i = 0; i < 4; ++i) u.assoc("Projects").add(ps[static_cast<std::size_t>(i)], {{"note", "n" + std::to_string(i)}});
  ps[1].destroy();  // its link stays, dangling
  ps[3].destroy();
  const auto got = u.assoc("Projects").get();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].get<std::string>("title"), "p0");
  EXPECT_EQ(got[0].through()->get<std::string>("note"), "n0");
  EXPECT_EQ(got[1].get<std::string>("title"), "p2");
  EXPECT_EQ(got[1].through()->get<std::string>("note"), "n2");
  EXPECT_EQ(u.assoc("Projects").count(), 2u);
  EXPECT_EQ(userProject.count(), 4u);
}

TEST_F(BelongsToManyTest, GetFindsTargetsWhoseIdsLieFarOutsideTheDenseRange) {
  users.belongsToMany(projects, {.through = "UserProject"});
  Instance u = users.create({{"name", "u"}});
  Instance near = projects.create({{"title", "near"}});
  // Ids this far apart are kept in the primary-key index's sparse part.
  Instance far = projects.create({{"id", Id{4'000'000'000}}, {"title", "far"}});
  Instance below = projects.create({{"id", Id{-7}}, {"title", "below"}});
  u.assoc("Projects").add(std::vector<Instance>{far, near, below});
  const auto got = u.assoc("Projects").get();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].id(), 4'000'000'000);
  EXPECT_EQ(got[0].get<std::string>("title"), "far");
  EXPECT_EQ(got[1].get<std::string>("title"), "near");
  EXPECT_EQ(got[2].id(), -7);
  EXPECT_EQ(got[2].get<std::string>("title"), "below");
}

TEST_F(BelongsToManyTest, GetHandsEachTargetItsJunctionRowsCurrentIdAfterRemovalsAndKeyChanges) {
  Model userProject = store.define("UserProject", {{.name = "note"}});
  users.belongsToMany(projects, {.through = {.model = userProject}});
  Instance u = users.create({{"name", "u"}});
  std::vector<Instance> ps;
  for (int i = 0; i < 4; ++i) {
    ps.push_back(projects.create({{"title", "p" + std::to_string(i)}}));
    u.assoc("Projects").add(ps.back(), {{"note", "n" + std::to_string(i)}});
  }
  EXPECT_EQ(u.assoc("Projects").remove(ps[0]), 1u);  // the last link takes its place
  auto throughOf = [&](const std::string& title) {
    for (const Instance& p : u.assoc("Projects").get()) {
      if (p.get<std::string>("title") == title) return *p.through();
    }
    throw std::runtime_error("no " + title);
  };
  Instance link = throughOf("p3");
  EXPECT_EQ(link.get<std::string>("note"), "n3");
  link.update({{"id", 100}});  // the junction row's own key changes
  EXPECT_EQ(throughOf("p3").id(), 100);
  EXPECT_EQ(throughOf("p3").get<std::string>("note"), "n3");
  EXPECT_EQ(throughOf("p1").get<std::string>("note"), "n1");
  EXPECT_NO_THROW(store.checkIntegrity());
}

TEST_F(BelongsToManyTest, SetReplacesThePairsAndIdsListTargets) {
  Association a = users.belongsToMany(projects, {.through = {"Membership"}});
  Instance u = users.create({{"name", "u"}});
  std::vector<Instance> ps;
  for (int i = 0; i < 4; ++i) ps.push_back(projects.create({{"title", std::to_string(i)}}));
  u.assoc("Projects").set(std::vector<Instance>{ps[0], ps[1], ps[2]});
  auto ids = a.ids(u.id());
  EXPECT_EQ(std::vector<Id>(ids.begin(), ids.end()), (Ids{ps[0].id(), ps[1].id(), ps[2].id()}));
  u.assoc("Projects").set(std::vector<Instance>{ps[2], ps[3]});
  EXPECT_EQ(idsOf(u.assoc("Projects").get()), (Ids{ps[2].id(), ps[3].id()}));
  Instance created = u.assoc("Projects").create({{"title", "new"}});
  EXPECT_TRUE(u.assoc("Projects").has(created));
  // Destroying either side removes its junction rows.
  u.destroy();
  EXPECT_EQ(store.model("Membership").count(), 0u);
  store.checkIntegrity();
}

}  // namespace
