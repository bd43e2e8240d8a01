#include <gtest/gtest.h>

#include <algorithm>

#include "relstore/relstore.h"

using namespace relstore;

namespace {

class EagerLoading : public ::testing::Test {
 protected:
  Store store;
  Model users = store.define("User", {{.name = "name"}});
  Model posts = store.define("Post", {{.name = "title"}, {.name = "status"}});
  Model profiles = store.define("Profile", {{.name = "bio"}});
  Model comments = store.define("Comment", {{.name = "body"}});
  Model roles = store.define("Role", {{.name = "label"}});

  void SetUp() override {
    users.hasMany(posts, {.foreignKey = "authorId", .as = "articles"});
    posts.belongsTo(users, {.foreignKey = "authorId", .as = "author"});
    users.hasOne(profiles);
    posts.hasMany(comments);
    users.belongsToMany(roles, {.through = {"UserRoles"}});
    ann = users.create({{"name", "ann"}});
    bob = users.create({{"name", "bob"}});
    cid = users.create({{"name", "cid"}});
    ann.assoc("articles").create({{"title", "a1"}, {"status", "published"}});
    ann.assoc("articles").create({{"title", "a2"}, {"status", "draft"}});
    Instance b1 = bob.assoc("articles").create({{"title", "b1"}, {"status", "draft"}});
    b1.assoc("Comments").create({{"body", "nice"}});
    ann.assoc("Profile").create({{"bio", "hi"}});
    Instance admin = roles.create({{"label", "admin"}});
    ann.assoc("Roles").add(admin, {});
  }

  std::vector<std::string> names(const std::vector<Instance>& rows) {
    std::vector<std::string> out;
    for (const Instance& r : rows) out.push_back(r.get<std::string>("name"));
    return out;
  }
  using Names = std::vector<std::string>;
  Instance ann = users.create({{"name", "placeholder"}});
  Instance bob = ann, cid = ann;
};

// The seed's eager loading example, verbatim in C++.
TEST_F(EagerLoading, SeedIncludeWithWhereAndAPlainInclude) {
  const auto found = users.findAll({.include = {{.model = posts, .as = "articles", .where = {{"status", "published"}}},
                                                {.model = profiles}}});
  ASSERT_EQ(names(found), (Names{"ann"}));  // where makes the include required
  const auto& articles = found[0].included("articles");
  ASSERT_EQ(articles.size(), 1u);
  EXPECT_EQ(articles[0].get<std::string>("title"), "a1");
  ASSERT_TRUE(found[0].includedOne("Profile").has_value());
  EXPECT_EQ(found[0].includedOne("Profile")->get<std::string>("bio"), "hi");
}

TEST_F(EagerLoading, ASelfAssociationNestedTwiceUnderADefaultScopeWithAnIncludeIsNoLoop) {
  // The caller's tree names manager twice; each time the default scope brings
  // Profile, which ends. Only a scope bringing itself back is a loop.
  users.belongsTo(users, {.as = "manager"});
  users.setDefaultScope({.include = {{.model = profiles}}});
  bob.update({{"managerId", ann.id()}});
  cid.update({{"managerId", bob.id()}});
  const auto found =
      users.findAll({.where = {{"name", "cid"}}, .include = {{.as = "manager", .include = {{.as = "manager"}}}}});
  ASSERT_EQ(found.size(), 1u);
  const auto m1 = found[0].includedOne("manager");
  ASSERT_TRUE(m1.has_value());
  EXPECT_EQ(m1->get<std::string>("name"), "bob");
  EXPECT_FALSE(m1->includedOne("Profile").has_value());
  const auto m2 = m1->includedOne("manager");
  ASSERT_TRUE(m2.has_value());
  EXPECT_EQ(m2->get<std::string>("name"), "ann");
  ASSERT_TRUE(m2->includedOne("Profile").has_value());  // the scope's include, at each level
  EXPECT_EQ(m2->includedOne("Profile")->get<std::string>("bio"), "hi");
}

TEST_F(EagerLoading, AnIncludeOfAnotherStoresModelIsAnError) {
  Store other;
  Model thing = other.define("Thing", {{.name = "x"}});  // index 0 there, as User is here
  Model otherPosts = other.define("Post", {{.name = "title"}});
  try {
    users.findAll({.include = {{.model = thing}}});
    FAIL() << "no error";
  } catch (const EagerLoadingError& e) {
    EXPECT_STREQ(e.what(), "An include of User names a model of another store");
  }
  EXPECT_THROW(users.findAll({.include = {{.model = otherPosts, .as = "articles"}}}), EagerLoadingError);
}

TEST_F(EagerLoading, RequiredFalseKeepsParentsWithEmptyLists) {
  auto found = users.findAll({.include = {{.as = "articles", .where = {{"status", "published"}}, .required = false}},
                              .order = {{"name"}}});
  ASSERT_EQ(found.size(), 4u);  // placeholder user too
  EXPECT_EQ(found[0].included("articles").size(), 1u);
  EXPECT_TRUE(found[1].included("articles").empty());
}

TEST_F(EagerLoading, RequiredWithoutWhereDropsParentsWithoutChildren) {
  const auto found = users.findAll({.include = {{.as = "articles", .required = true}}, .order = {{"name"}}});
  EXPECT_EQ(names(found), (Names{"ann", "bob"}));
  EXPECT_EQ(users.count({.include = {{.as = "articles", .required = true}}}), 2u);  // distinct parents
}

TEST_F(EagerLoading, NestedRequiredFiltersItsLevelAndPropagatesOnlyThroughRequiredLevels) {
  // Not required at the posts level: users stay, posts without comments drop.
  auto found = users.findAll({.include = {{.as = "articles", .include = {{.model = comments, .required = true}}}},
                              .order = {{"name"}}});
  ASSERT_EQ(found.size(), 4u);
  EXPECT_TRUE(found[0].included("articles").empty());         // ann's posts have no comments
  ASSERT_EQ(found[1].included("articles").size(), 1u);        // bob's b1 has one
  EXPECT_EQ(found[1].included("articles")[0].included("Comments").size(), 1u);
  // Required at both levels: only bob remains.
  found = users.findAll({.include = {{.as = "articles", .required = true, .include = {{.model = comments, .required = true}}}}});
  EXPECT_EQ(names(found), (Names{"bob"}));
}

TEST_F(EagerLoading, TopLevelLimitCountsParentsAfterRequiredFiltering) {
  const auto found = users.findAll({.include = {{.as = "articles", .required = true}}, .order = {{"name", Direction::Desc}},
                                    .limit = 1});
  EXPECT_EQ(names(found), (Names{"bob"}));
  auto counted = users.findAndCountAll({.include = {{.as = "articles", .required = true}}, .limit = 1});
  EXPECT_EQ(counted.count, 2u);
  EXPECT_EQ(counted.rows.size(), 1u);
  // The offset too skips parents that survived the required include.
  const auto skipped = users.findAll({.include = {{.as = "articles", .required = true}}, .order = {{"name"}}, .offset = 1});
  EXPECT_EQ(names(skipped), (Names{"bob"}));
  EXPECT_EQ(users.count({.include = {{.as = "articles", .required = true}}, .limit = 1, .offset = 1}), 2u);
}

TEST_F(EagerLoading, PerParentOrderLimitAndAttributes) {
  const auto found = users.findOne({.where = {{"name", "ann"}},
                                    .include = {{.as = "articles", .attributes = {"title"}, .order = {{"title", Direction::Desc}}, .limit = 1}}});
  ASSERT_TRUE(found.has_value());
  const auto& articles = found->included("articles");
  ASSERT_EQ(articles.size(), 1u);
  EXPECT_EQ(articles[0].get<std::string>("title"), "a2");
  EXPECT_EQ(articles[0].toJSON(), R"({"title":"a2"})");
  EXPECT_EQ(articles[0].get<std::string>("status"), "draft");  // get still reads the live row
}

TEST_F(EagerLoading, BelongsToBelongsToManyThroughWhereAndJson) {
  const auto post = posts.findByPk(1, {.include = {{.as = "author"}}});
  ASSERT_TRUE(post.has_value());
  EXPECT_EQ(post->includedOne("author")->get<std::string>("name"), "ann");
  const auto withRoles = users.findAll({.where = {{"name", "ann"}}, .include = {{.model = roles}}});
  ASSERT_EQ(withRoles[0].included("Roles").size(), 1u);
  EXPECT_EQ(withRoles[0].included("Roles")[0].through()->get<std::int64_t>("UserId"), ann.id());
  EXPECT_EQ(withRoles[0].toJSON(),
            R"({"id":2,"name":"ann","Roles":[{"id":1,"label":"admin","UserRoles":{"id":1,"UserId":2,"RoleId":1}}]})");
  const auto none = users.findAll({.where = {{"name", "ann"}}, .include = {{.model = roles, .throughWhere = col("RoleId") == 99}}});
  ASSERT_EQ(none.size(), 1u);  // throughWhere alone does not make the include required
  EXPECT_TRUE(none[0].included("Roles").empty());
}

// A result stays printable when rows loaded with it go: they are left out
// (it threw NotFoundError for another row than its own).
TEST_F(EagerLoading, ToJsonLeavesOutIncludedAndJunctionRowsDestroyedSinceTheQuery) {
  const auto found = users.findAll({.where = {{"name", "ann"}},
                                    .include = {{.as = "articles"}, {.model = profiles}, {.model = roles}}});
  const auto roleRows = ann.assoc("Roles").get();
  ASSERT_EQ(found[0].included("articles").size(), 2u);
  Instance(found[0].included("articles")[0]).destroy();
  ann.assoc("Profile").getOne()->destroy();
  ann.assoc("Roles").remove(roleRows[0]);
  EXPECT_EQ(found[0].toJSON(),
            R"({"id":2,"name":"ann","articles":[{"id":2,"title":"a2","status":"draft","authorId":2}],"Profile":null,)"
            R"("Roles":[{"id":1,"label":"admin"}]})");
  EXPECT_EQ(roleRows[0].toJSON(), R"({"id":1,"label":"admin"})");  // its junction row is gone
  EXPECT_EQ(found[0].included("articles").size(), 2u);  // the loaded lists themselves are as loaded
}

TEST_F(EagerLoading, TheSameTargetTwiceUnderDifferentAliasesAndSelfAssociations) {
  users.hasMany(posts, {.foreignKey = "editorId", .as = "edited"});
  posts.findByPk(2)->update({{"editorId", bob.id()}});
  const auto found = users.findAll({.where = {{"name", "bob"}}, .include = {{.as = "articles"}, {.as = "edited"}}});
  EXPECT_EQ(found[0].included("articles").size(), 1u);
  EXPECT_EQ(found[0].included("edited").size(), 1u);
  Model employees = store.define("Employee", {{.name = "name"}});
  employees.hasMany(employees, {.foreignKey = "managerId", .as = "reports"});
  Instance boss = employees.create({{"name", "boss"}});
  employees.create({{"name", "e1"}, {"managerId", boss.id()}});
  const auto bosses = employees.findAll({.include = {{.as = "reports", .required = true}}});
  ASSERT_EQ(bosses.size(), 1u);
  EXPECT_EQ(bosses[0].included("reports")[0].get<std::string>("name"), "e1");
}

TEST_F(EagerLoading, ErrorsUseTheExactMessages) {
  auto message = [&](const Include& inc) -> std::string {
    try {
      users.findAll({.include = {inc}});
    } catch (const EagerLoadingError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(message({.model = comments}), "Comment is not associated to User!");
  EXPECT_EQ(message({.model = posts}),
            "Post is associated to User using an alias. You must use the 'as' keyword to specify the alias within your "
            "include statement.");
  EXPECT_EQ(message({.as = "nope"}), "Association with alias \"nope\" does not exist on User");
  users.hasMany(posts, {.foreignKey = "editorId", .as = "edited"});
  EXPECT_EQ(message({.model = posts}),
            "Post is associated to User multiple times. To identify the correct association, you must use the 'as' "
            "keyword to specify the alias of the association you want to include.");
  // By model name: a known one resolves like the handle, an unknown one is not associated.
  EXPECT_EQ(message({.model = "Profile"}), "");
  EXPECT_EQ(message({.model = "Nope"}), "Nope is not associated to User!");
  EXPECT_EQ(message({.model = comments, .as = "articles"}),
            "Association with alias \"articles\" on User targets Post, not Comment");
  EXPECT_THROW(ann.included("articles"), AssociationError);  // not included by this handle's query
  EXPECT_THROW(ann.includedOne("articles"), AssociationError);  // to-many
}

// As in Sequelize (`isAliased` is whether `as` was given), an alias given
// explicitly names the association even when it equals the default one: an
// include by model alone does not find it.
TEST(EagerLoadingAliases, AnAliasGivenEqualToTheDefaultMustBeNamedInTheInclude) {
  Store store;
  Model users = store.define("User", {{.name = "name"}});
  Model posts = store.define("Post", {{.name = "title"}});
  Model profiles = store.define("Profile", {{.name = "motto"}});
  users.hasMany(posts, {.as = "Posts"});
  users.hasOne(profiles);  // no alias: found by model
  Instance ann = users.create({{"name", "ann"}});
  ann.assoc("Posts").create({{"title", "p1"}});
  ann.assoc("Profile").create({{"motto", "m"}});
  try {
    users.findAll({.include = {{.model = posts}}});
    ADD_FAILURE() << "an include by model found an aliased association";
  } catch (const EagerLoadingError& e) {
    EXPECT_EQ(std::string(e.what()),
              "Post is associated to User using an alias. You must use the 'as' keyword to specify the alias within "
              "your include statement.");
  }
  const auto found = users.findAll({.include = {{.model = posts, .as = "Posts"}, {.model = profiles}}});
  ASSERT_EQ(found.size(), 1u);
  ASSERT_EQ(found[0].included("Posts").size(), 1u);
  EXPECT_EQ(found[0].included("Posts")[0].get<std::string>("title"), "p1");
  EXPECT_EQ(found[0].includedOne("Profile")->get<std::string>("motto"), "m");
}

TEST_F(EagerLoading, AssociationGetTakesIncludes) {
  const auto articles = bob.assoc("articles").get({.include = {{.model = comments}}});
  ASSERT_EQ(articles.size(), 1u);
  EXPECT_EQ(articles[0].included("Comments").size(), 1u);
}

}  // namespace

// Included rows live in storage shared by the query's handles (one per
// level): a copied handle keeps them alive after the result is gone, and a
// row under two parents is one loaded row seen from both.
TEST_F(EagerLoading, IncludedRowsOutliveTheResultThroughAnyCopyOfTheirParent) {
  Instance kept = ann;
  {
    const auto found = users.findAll({.where = col("name") == "ann",
                                      .include = {{.as = "articles", .include = {{.model = comments}}},
                                                  {.model = profiles}}});
    ASSERT_EQ(found.size(), 1u);
    kept = found[0];
  }
  const auto& articles = kept.included("articles");
  ASSERT_EQ(articles.size(), 2u);
  EXPECT_EQ(articles[0].get<std::string>("title"), "a1");
  EXPECT_EQ(articles[1].get<std::string>("title"), "a2");
  EXPECT_TRUE(articles[0].included("Comments").empty());
  ASSERT_TRUE(kept.includedOne("Profile").has_value());
  EXPECT_EQ(kept.includedOne("Profile")->get<std::string>("bio"), "hi");
  // Staging a value on the copy does not lose what was loaded with it.
  kept.set("name", "ann2");
  EXPECT_EQ(kept.included("articles").size(), 2u);
  EXPECT_NE(kept.toJSON().find("\"articles\":[{\"id\""), std::string::npos);
}

TEST_F(EagerLoading, ARowUnderSeveralParentsIsLoadedOnceAndSeenFromEach) {
  ann.assoc("articles").create({{"title", "a3"}, {"status", "draft"}});
  const auto found = posts.findAll({.where = col("authorId") == ann.id(), .include = {{.as = "author", .include = {{.model = profiles}}}}});
  ASSERT_EQ(found.size(), 3u);
  for (const Instance& p : found) {
    const auto author = p.includedOne("author");
    ASSERT_TRUE(author.has_value());
    EXPECT_EQ(author->id(), ann.id());
    ASSERT_TRUE(author->includedOne("Profile").has_value());
    EXPECT_EQ(author->includedOne("Profile")->get<std::string>("bio"), "hi");
    // The same loaded row: both handles point into one shape at one slot.
    EXPECT_EQ(author->shape(), found[0].includedOne("author")->shape());
    EXPECT_EQ(author->slot(), found[0].includedOne("author")->slot());
  }
  // Parents in one result share one shape; their slots tell them apart.
  EXPECT_EQ(found[0].shape(), found[2].shape());
  EXPECT_NE(found[0].slot(), found[2].slot());
}

TEST(EagerLoadingScopes, AnIncludedHasManyKeepsOnlyRowsMatchingItsAssociationScope) {
  // Polymorphic comments: a post and an image with the same id share the
  // key column; the association scope tells their comments apart.
  Store store;
  Model posts = store.define("Post", {{.name = "title"}});
  Model images = store.define("Image", {{.name = "url"}});
  Model notes = store.define("Note", {{.name = "text"}, {.name = "commentable"}, {.name = "commentableId", .type = Type::Int}});
  posts.hasMany(notes, {.foreignKey = "commentableId", .as = "notes", .constraints = false, .scope = {{"commentable", "post"}}});
  images.hasMany(notes, {.foreignKey = "commentableId", .as = "notes", .constraints = false, .scope = {{"commentable", "image"}}});
  Instance post = posts.create({{"title", "p"}});
  Instance image = images.create({{"url", "u"}});
  ASSERT_EQ(post.id(), image.id());
  post.assoc("notes").create({{"text", "on the post"}});
  image.assoc("notes").create({{"text", "on the image"}});
  image.assoc("notes").create({{"text", "on the image too"}});

  const auto foundPosts = posts.findAll({.include = {{.as = "notes"}}});
  ASSERT_EQ(foundPosts.size(), 1u);
  const auto& postNotes = foundPosts[0].included("notes");
  ASSERT_EQ(postNotes.size(), 1u);
  EXPECT_EQ(postNotes[0].get<std::string>("text"), "on the post");

  const auto foundImages = images.findAll({.include = {{.as = "notes", .where = col("text") != "on the image"}}});
  ASSERT_EQ(foundImages.size(), 1u);
  const auto& imageNotes = foundImages[0].included("notes");
  ASSERT_EQ(imageNotes.size(), 1u);
  EXPECT_EQ(imageNotes[0].get<std::string>("text"), "on the image too");
}

namespace {
std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}
}  // namespace

// Repeats of one association in an include list merge (wheres ANDed, the
// later required winning), at every depth, whether or not a scope is merged
// around them: the result does not depend on an empty default scope.
TEST_F(EagerLoading, RepeatedIncludesOfOneAssociationMergeWithOrWithoutAScope) {
  const FindOptions q{.include = {{.as = "articles", .where = {{"status", "published"}}},
                                  {.as = "articles", .required = false}}};
  const FindOptions nested{.include = {{.as = "articles",
                                        .required = false,
                                        .include = {{.model = comments, .where = {{"body", "nice"}}},
                                                    {.model = comments, .required = false}}}}};
  for (const bool scoped : {false, true}) {
    SCOPED_TRACE(scoped ? "with an empty default scope" : "without a scope");
    if (scoped) users.setDefaultScope({});
    if (scoped) {  // the repeats listed by a scope itself merge too
      Store s;
      Model u = s.define("User", {{.name = "name"}});
      Model p = s.define("Post", {{.name = "status"}});
      u.hasMany(p, {.as = "articles"});
      u.create({})
          .assoc("articles")
          .create({{"status", "draft"}});
      u.setDefaultScope(q);
      const auto all = u.findAll();
      ASSERT_EQ(all.size(), 1u);
      EXPECT_EQ(all[0].included("articles").size(), 0u);
      EXPECT_EQ(occurrences(all[0].toJSON(), "\"articles\""), 1u);
    }
    const auto found = users.findAll(q);
    ASSERT_EQ(found.size(), 4u);  // not required: every user
    ASSERT_EQ(found[1].id(), ann.id());
    ASSERT_EQ(found[1].included("articles").size(), 1u);  // the where still filters the list
    EXPECT_EQ(occurrences(found[1].toJSON(), "\"articles\""), 1u);
    const auto withComments = users.findAll(nested);
    ASSERT_EQ(withComments.size(), 4u);
    EXPECT_EQ(withComments[2].included("articles").size(), 1u);  // bob's b1 with its comment
    EXPECT_EQ(withComments[1].included("articles").size(), 2u);  // ann's, no comments: not required
    EXPECT_EQ(occurrences(withComments[2].toJSON(), "\"Comments\""), 1u);
    const auto annArticles = ann.assoc("articles").get({.include = {{.model = comments, .where = {{"body", "nice"}}},
                                                                    {.model = comments, .required = false}}});
    EXPECT_EQ(annArticles.size(), 2u);
  }
}

// count (which loads an optional include not at all) and a findAll that
// finds no parents refuse what a findAll with rows refuses.
TEST_F(EagerLoading, CountAndEmptyResultsRefuseTheIncludeOptionsFindAllRefuses) {
  const FindOptions badWhere{.include = {{.as = "articles", .where = col("nope") == 1, .required = false}}};
  const FindOptions badOrder{.include = {{.as = "articles", .order = {{"nope"}}}}};
  const FindOptions badThrough{.include = {{.as = "articles", .throughWhere = {{"x", 1}}}}};
  EXPECT_THROW(users.findAll(badWhere), SchemaError);
  EXPECT_THROW(users.count(badWhere), SchemaError);
  EXPECT_THROW(users.count(badOrder), SchemaError);
  EXPECT_THROW(users.findAll({.where = {{"name", "nobody"}}, .include = badOrder.include}), SchemaError);
  try {
    users.count(badThrough);
    FAIL() << "no error";
  } catch (const EagerLoadingError& e) {
    EXPECT_STREQ(e.what(), "throughWhere applies to belongsToMany only; User.articles is not one");
  }
  EXPECT_THROW(ann.assoc("articles").count({.include = {{.model = comments, .where = col("nope") == 1,
                                                         .required = false}}}),
               SchemaError);
  EXPECT_EQ(users.count({.include = {{.as = "articles", .required = false}}}), 4u);  // good options still count
  posts.addScope("broken", FindOptions{.where = col("nope") == 1});  // scopes are checked when used
  const FindOptions brokenScope{.include = {{.model = posts.scope("broken"), .as = "articles", .required = false}}};
  EXPECT_THROW(users.findAll(brokenScope), SchemaError);
  EXPECT_THROW(users.count(brokenScope), SchemaError);
}
