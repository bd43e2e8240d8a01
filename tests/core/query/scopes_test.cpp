#include <gtest/gtest.h>

#include "relstore/relstore.h"

using namespace relstore;

namespace {

class Scopes : public ::testing::Test {
 protected:
  Store store;
  Model users = store.define("User", {{.name = "name"}, {.name = "active", .type = Type::Bool, .defaultValue = true}});
  Model posts = store.define("Post", {{.name = "title"}, {.name = "status"}, {.name = "views", .type = Type::Int, .defaultValue = 0}});

  void SetUp() override {
    // The seed's association, verbatim in C++.
    posts.belongsTo(users, {.foreignKey = "userId", .as = "author"});
    users.hasMany(posts, {.foreignKey = "userId"});
    Instance ann = users.create({{"name", "ann"}});
    Instance bob = users.create({{"name", "bob"}, {"active", false}});
    posts.create({{"title", "p1"}, {"status", "published"}, {"views", 10}, {"userId", ann.id()}});
    posts.create({{"title", "p2"}, {"status", "draft"}, {"views", 5}, {"userId", ann.id()}});
    posts.create({{"title", "p3"}, {"status", "published"}, {"views", 1}, {"userId", bob.id()}});
  }
};

// The seed's scope with an association: Post.scope('withAuthor').findAll().
TEST_F(Scopes, SeedWithAuthor) {
  posts.addScope("withAuthor", {.include = {{.model = users, .as = "author"}}});
  const auto found = posts.scope("withAuthor").findAll();
  ASSERT_EQ(found.size(), 3u);
  for (const Instance& p : found) ASSERT_TRUE(p.includedOne("author").has_value());
  EXPECT_NE(found[0].toJSON().find("\"author\":{"), std::string::npos);
}

TEST_F(Scopes, WheresAreAndedAndLaterOrderLimitWin) {
  posts.addScope("published", {.where = {{"status", "published"}}, .order = {{"views"}}});
  posts.addScope("popular", {.where = col("views") >= 5, .order = {{"views", Direction::Desc}}, .limit = 10});
  const auto both = posts.scope({"published", "popular"}).findAll();
  ASSERT_EQ(both.size(), 1u);
  EXPECT_EQ(both[0].get<std::string>("title"), "p1");
  const auto ordered = posts.scope({"popular", "published"}).findAll({.where = col("views") > 0});
  ASSERT_EQ(ordered.size(), 1u);
  const auto byCall = posts.scope("published").findAll({.order = {{"views", Direction::Desc}}});
  EXPECT_EQ(byCall[0].get<std::string>("title"), "p1");  // the call's own options merge last
  EXPECT_EQ(posts.scope("published").count({.limit = 1}), 2u);  // count ignores limit
}

TEST_F(Scopes, FunctionScopesTakeArguments) {
  posts.addScope("byStatus", std::function<FindOptions(const std::vector<Value>&)>([](const std::vector<Value>& args) {
                   return FindOptions{.where = {{"status", args.at(0)}}};
                 }));
  EXPECT_EQ(posts.scope("byStatus", {"draft"}).count(), 1u);
  EXPECT_EQ(posts.scope({{"byStatus", {"published"}}}).count(), 2u);
}

TEST_F(Scopes, DefaultScopeAppliesUnlessScopedOrUnscoped) {
  posts.addScope("drafts", {.where = {{"status", "draft"}}});
  posts.setDefaultScope({.where = {{"status", "published"}}});
  EXPECT_EQ(posts.count(), 2u);
  EXPECT_EQ(posts.findAll().size(), 2u);
  EXPECT_EQ(posts.unscoped().count(), 3u);
  EXPECT_EQ(posts.scope("drafts").count(), 1u);  // scope() replaces the default scope
  EXPECT_EQ(posts.scope({"defaultScope", "drafts"}).count(), 0u);
  EXPECT_FALSE(posts.findByPk(2).has_value());  // the draft is outside the default scope
  EXPECT_TRUE(posts.unscoped().findByPk(2).has_value());
}

TEST_F(Scopes, TargetDefaultScopeAppliesToAssociationReadsAndIncludes) {
  posts.setDefaultScope({.where = {{"status", "published"}}});
  Instance ann = *users.findOne({.where = {{"name", "ann"}}});
  EXPECT_EQ(ann.assoc("Posts").count(), 1u);
  EXPECT_EQ(ann.assoc("Posts").get().size(), 1u);
  Instance draft = *posts.unscoped().findByPk(2);
  EXPECT_TRUE(ann.assoc("Posts").has(draft));  // has ignores the default scope
  const auto withPosts = users.findAll({.include = {{.model = posts}}, .order = {{"name"}}});
  ASSERT_EQ(withPosts.size(), 2u);  // a scope's where does not make the include required
  EXPECT_EQ(withPosts[0].included("Posts").size(), 1u);
  // A scoped handle in the include applies its scopes instead.
  const auto all = users.findAll({.where = {{"name", "ann"}}, .include = {{.model = posts.unscoped()}}});
  EXPECT_EQ(all[0].included("Posts").size(), 2u);
}

TEST_F(Scopes, AnIncludedTargetsScopeBringsItsIncludesAttributesOrderAndLimit) {
  // As association get() does: the whole default scope, not only its where.
  posts.setDefaultScope({.include = {{.as = "author", .attributes = {"name"}}},
                         .order = {{"views", Direction::Desc}}, .limit = 1, .attributes = {"title", "views"}});
  Instance ann = *users.findOne({.where = {{"name", "ann"}}});
  const auto got = ann.assoc("Posts").get();
  ASSERT_EQ(got.size(), 1u);
  const auto found = users.findAll({.include = {{.model = posts}}, .order = {{"name"}}});
  ASSERT_EQ(found.size(), 2u);
  const auto& annPosts = found[0].included("Posts");
  ASSERT_EQ(annPosts.size(), 1u);  // the scope's limit, per parent
  EXPECT_EQ(annPosts[0].id(), got[0].id());
  EXPECT_EQ(annPosts[0].get<std::string>("title"), "p1");  // the scope's order: most viewed first
  ASSERT_TRUE(annPosts[0].includedOne("author").has_value());  // the scope's include
  EXPECT_EQ(annPosts[0].toJSON(), got[0].toJSON());
  EXPECT_EQ(annPosts[0].toJSON(), R"({"title":"p1","views":10,"author":{"name":"ann"}})");
  // The include's own order and limit win over the scope's.
  const auto own = users.findAll({.where = {{"name", "ann"}}, .include = {{.model = posts, .order = {{"views"}}, .limit = 5}}});
  ASSERT_EQ(own[0].included("Posts").size(), 2u);
  EXPECT_EQ(own[0].included("Posts")[0].get<std::string>("title"), "p2");
  // A scoped handle in the include brings that scope's includes instead.
  posts.addScope("withAuthor", {.include = {{.as = "author"}}});
  const auto scoped = users.findAll({.where = {{"name", "ann"}}, .include = {{.model = posts.scope("withAuthor")}}});
  ASSERT_EQ(scoped[0].included("Posts").size(), 2u);
  for (const Instance& p : scoped[0].included("Posts")) EXPECT_EQ(p.includedOne("author")->id(), ann.id());
  const auto plain = users.findAll({.where = {{"name", "ann"}}, .include = {{.model = posts.unscoped()}}});
  EXPECT_EQ(plain[0].included("Posts").size(), 2u);
  EXPECT_EQ(plain[0].toJSON().find("author"), std::string::npos);
}

TEST_F(Scopes, AnIncludedTargetsScopeOffsetSkipsPerParentAsGetDoes) {
  posts.setDefaultScope({.order = {{"views", Direction::Desc}}, .limit = 1, .offset = 1});
  Instance ann = *users.findOne({.where = {{"name", "ann"}}});
  const auto got = ann.assoc("Posts").get();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].get<std::string>("title"), "p2");  // p1 (10 views) skipped
  const auto found = users.findAll({.include = {{.model = posts}}, .order = {{"name"}}});
  ASSERT_EQ(found[0].included("Posts").size(), 1u);
  EXPECT_EQ(found[0].included("Posts")[0].id(), got[0].id());
  EXPECT_TRUE(found[1].included("Posts").empty());  // bob's one post skipped
  // A required include keeps the parents whose window is not empty.
  EXPECT_EQ(users.count({.include = {{.model = posts, .required = true}}}), 1u);
}

// A default scope listing one association twice inside another merges them
// (wheres ANDed) like a find's own includes do: one answer however a query
// arrives (they stayed apart: the JSON showed the key twice, each copy
// filtering parents on its own).
TEST_F(Scopes, RepeatedNestedIncludesOfAScopeMerge) {
  Model likes = store.define("Like", {{.name = "n", .type = Type::Int}});
  posts.hasMany(likes);
  Instance p1 = *posts.findOne({.where = {{"title", "p1"}}});
  likes.create({{"n", 1}, {"PostId", p1.id()}});
  likes.create({{"n", 2}, {"PostId", p1.id()}});
  const std::vector<Include> tree{{.model = posts,
                                   .required = true,
                                   .include = {{.model = likes, .where = col("n") >= 2, .required = true},
                                               {.model = likes, .where = col("n") <= 1, .required = true}}}};
  EXPECT_EQ(users.count({.include = tree}), 0u);  // n >= 2 and n <= 1: no like, no post, no user
  users.setDefaultScope({.include = tree});
  EXPECT_EQ(users.count(), 0u);
  EXPECT_TRUE(users.findAll().empty());
  posts.setDefaultScope({.include = {{.model = likes, .where = col("n") >= 2}, {.model = likes, .where = col("n") >= 1}}});
  Instance ann = *users.unscoped().findOne({.where = {{"name", "ann"}}});
  const std::string json = ann.assoc("Posts").get({.where = {{"title", "p1"}}})[0].toJSON();
  EXPECT_EQ(json.find("\"Likes\""), json.rfind("\"Likes\""));  // one key
  EXPECT_EQ(ann.assoc("Posts").get({.where = {{"title", "p1"}}})[0].included("Likes").size(), 1u);  // n = 2 only
}

TEST_F(Scopes, ScopesThatIncludeEachOtherWithoutEndAreAnEagerLoadingError) {
  posts.setDefaultScope({.include = {{.as = "author"}}});
  users.setDefaultScope({.include = {{.model = posts}}});
  try {
    users.findAll();
    FAIL() << "no error";
  } catch (const EagerLoadingError& e) {
    EXPECT_STREQ(e.what(), "The scopes of Post -> User -> Post include each other without end: include User.Posts "
                           "with an unscoped() model, or change a scope");
  }
  EXPECT_THROW(posts.findAll(), EagerLoadingError);
  // An unscoped() handle in the call's include replaces the scope's handle
  // for that association, which breaks the loop.
  const auto found = users.findAll({.include = {{.model = posts.unscoped()}}, .order = {{"name"}}});
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].included("Posts").size(), 2u);
  EXPECT_EQ(posts.unscoped().findAll().size(), 3u);
}

TEST_F(Scopes, TheSameModelTwiceOnAnIncludePathUnderAnotherScopeIsNoLoop) {
  // Post -> author (User, default scope) -> manager (User, "withPosts") ->
  // Posts (unscoped): User twice, each time with a different scope, then it ends.
  users.belongsTo(users, {.as = "manager"});
  Instance ann = *users.findOne({.where = {{"name", "ann"}}});
  Instance bob = *users.findOne({.where = {{"name", "bob"}}});
  ann.update({{"managerId", bob.id()}});
  users.addScope("withPosts", {.include = {{.model = posts.unscoped(), .as = "Posts"}}});
  users.setDefaultScope({.include = {{.model = users.scope("withPosts"), .as = "manager"}}});
  const auto found = posts.findAll({.include = {{.as = "author"}}, .order = {{"title"}}});
  ASSERT_EQ(found.size(), 3u);
  const auto author = found[0].includedOne("author");  // p1's: ann
  ASSERT_TRUE(author.has_value());
  const auto manager = author->includedOne("manager");
  ASSERT_TRUE(manager.has_value());
  EXPECT_EQ(manager->get<std::string>("name"), "bob");
  ASSERT_EQ(manager->included("Posts").size(), 1u);
  EXPECT_EQ(manager->included("Posts")[0].get<std::string>("title"), "p3");
  EXPECT_EQ(users.findAll().size(), 2u);
}

TEST_F(Scopes, AHasOneReadPicksTheFirstRowThatPassesItsFiltersNotTheFirstRowFilteredAfterwards) {
  // Both of ann's posts hold the key; p1 (the smaller id) is published.
  users.hasOne(posts, {.foreignKey = "userId", .as = "firstPost"});
  Instance ann = *users.findOne({.where = {{"name", "ann"}}});
  EXPECT_EQ(ann.assoc("firstPost").getOne()->get<std::string>("title"), "p1");
  // A where of the read (Sequelize: findOne with it).
  const auto drafts = ann.assoc("firstPost").get({.where = {{"status", "draft"}}});
  ASSERT_EQ(drafts.size(), 1u);
  EXPECT_EQ(drafts[0].get<std::string>("title"), "p2");
  EXPECT_EQ(ann.assoc("firstPost").count({.where = {{"status", "draft"}}}), 1u);
  EXPECT_EQ(ann.assoc("firstPost").count(), 1u);  // two rows hold the key; a hasOne reads one
  auto included = users.findAll({.where = {{"name", "ann"}}, .include = {{.as = "firstPost", .where = {{"status", "draft"}}}}});
  ASSERT_EQ(included.size(), 1u);
  ASSERT_TRUE(included[0].includedOne("firstPost").has_value());
  EXPECT_EQ(included[0].includedOne("firstPost")->get<std::string>("title"), "p2");
  // The target's default scope filters the same way, in get and include.
  posts.setDefaultScope({.where = {{"status", "draft"}}});
  ASSERT_TRUE(ann.assoc("firstPost").getOne().has_value());
  EXPECT_EQ(ann.assoc("firstPost").getOne()->get<std::string>("title"), "p2");
  included = users.findAll({.where = {{"name", "ann"}}, .include = {{.as = "firstPost"}}});
  ASSERT_TRUE(included[0].includedOne("firstPost").has_value());
  EXPECT_EQ(included[0].includedOne("firstPost")->get<std::string>("title"), "p2");
  // An order picks by it (findOne with an order).
  posts.setDefaultScope({});
  EXPECT_EQ(ann.assoc("firstPost").get({.order = {{"views"}}}).at(0).get<std::string>("title"), "p2");
}

TEST_F(Scopes, AScopedHandleFindsOneFindsByPkAndDestroysWithinItsScope) {
  posts.addScope("drafts", {.where = {{"status", "draft"}}});
  Model drafts = posts.scope("drafts");
  ASSERT_TRUE(drafts.findOne().has_value());
  EXPECT_EQ(drafts.findOne()->get<std::string>("title"), "p2");
  EXPECT_FALSE(drafts.findByPk(1).has_value());  // p1 is published
  EXPECT_TRUE(drafts.findByPk(2).has_value());
  EXPECT_EQ(drafts.destroy(col("views") >= 0), 1u);  // the draft only
  EXPECT_EQ(posts.count(), 2u);
  EXPECT_FALSE(posts.findByPk(2).has_value());
}

TEST_F(Scopes, TheDefaultScopeLimitsDestroyAndUnscopedDoesNot) {
  posts.setDefaultScope({.where = {{"status", "published"}}});
  EXPECT_EQ(posts.destroy(col("views") < 6), 1u);  // p3; p2 (a draft, 5 views) is outside the scope
  EXPECT_EQ(posts.unscoped().count(), 2u);
  EXPECT_TRUE(posts.unscoped().findByPk(2).has_value());
  EXPECT_EQ(posts.unscoped().destroy(col("views") < 6), 1u);  // now p2
  EXPECT_EQ(posts.unscoped().count(), 1u);
}

TEST_F(Scopes, ScopeOnAScopedHandleReplacesItsScopes) {
  posts.addScope("drafts", {.where = {{"status", "draft"}}});
  posts.addScope("popular", {.where = col("views") >= 10});
  EXPECT_EQ(posts.scope("drafts").scope("popular").count(), 1u);  // p1: "popular" alone, as Sequelize
  EXPECT_EQ(posts.scope({"drafts", "popular"}).count(), 0u);       // merged: ANDed
}

TEST_F(Scopes, TheTargetsDefaultScopeFiltersToOneReadsAndIncludesWithoutRequiringThem) {
  users.setDefaultScope({.where = {{"active", true}}});
  EXPECT_FALSE(posts.findByPk(3)->assoc("author").getOne().has_value());  // bob is inactive
  ASSERT_TRUE(posts.findByPk(1)->assoc("author").getOne().has_value());
  EXPECT_EQ(posts.findByPk(1)->assoc("author").getOne()->get<std::string>("name"), "ann");
  const auto found = posts.findAll({.include = {{.as = "author"}}, .order = {{"title"}}});
  ASSERT_EQ(found.size(), 3u);  // the scope's where filters the include, it does not make it required
  EXPECT_TRUE(found[0].includedOne("author").has_value());
  EXPECT_FALSE(found[2].includedOne("author").has_value());
}

TEST_F(Scopes, MergedIncludesOfOneAssociationAndTheirWheresRequiredAndLimits) {
  posts.addScope("byActive", {.include = {{.as = "author", .where = {{"active", true}}}}});
  posts.addScope("byAnn", {.include = {{.as = "author", .where = {{"name", "ann"}}}}});
  posts.addScope("byBob", {.include = {{.as = "author", .where = {{"name", "bob"}}}}});
  posts.addScope("authorOptional", {.include = {{.as = "author", .required = false}}});
  EXPECT_EQ(posts.scope({"byActive", "byAnn"}).count(), 2u);  // p1 and p2
  EXPECT_EQ(posts.scope({"byActive", "byBob"}).count(), 0u);  // the wheres ANDed: bob is inactive
  EXPECT_EQ(posts.scope({"byBob", "authorOptional"}).count(), 3u);  // the later required wins
  posts.addScope("two", {.limit = 2});
  posts.addScope("one", {.limit = 1});
  EXPECT_EQ(posts.scope({"two", "one"}).findAll().size(), 1u);
  EXPECT_EQ(posts.scope({"one", "two"}).findAll().size(), 2u);
}

TEST_F(Scopes, AnAssociationCountIgnoresTheTargetScopesLimitAndOffsetAndGetAppliesThem) {
  posts.setDefaultScope({.order = {{"views"}}, .limit = 1, .offset = 1});
  Instance ann = *users.findOne({.where = {{"name", "ann"}}});
  const auto got = ann.assoc("Posts").get();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].get<std::string>("title"), "p1");  // by views: p2 (5), p1 (10); offset 1
  EXPECT_EQ(ann.assoc("Posts").count(), 2u);
}

TEST_F(Scopes, FindByPkOnAScopedHandleLoadsTheScopesIncludesAndAttributes) {
  posts.addScope("withAuthorName", {.include = {{.as = "author", .attributes = {"name"}}}, .attributes = {"title"}});
  const auto p = posts.scope("withAuthorName").findByPk(1);
  ASSERT_TRUE(p.has_value());
  ASSERT_TRUE(p->includedOne("author").has_value());
  const std::string json = p->toJSON();
  EXPECT_NE(json.find("\"title\":\"p1\""), std::string::npos) << json;
  EXPECT_EQ(json.find("\"status\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"author\":{\"name\":\"ann\"}"), std::string::npos) << json;
}

TEST_F(Scopes, CountIgnoresAScopesOrderLimitAndOffsetButNotItsIncludeWhere) {
  posts.addScope("page", {.order = {{"views"}}, .limit = 1, .offset = 1});
  EXPECT_EQ(posts.scope("page").findAll().size(), 1u);
  EXPECT_EQ(posts.scope("page").findAll()[0].get<std::string>("title"), "p2");
  EXPECT_EQ(posts.scope("page").count(), 3u);
  const auto counted = posts.scope("page").findAndCountAll();
  EXPECT_EQ(counted.count, 3u);
  EXPECT_EQ(counted.rows.size(), 1u);
  posts.addScope("byActive", {.include = {{.as = "author", .where = {{"active", true}}}}});
  EXPECT_EQ(posts.scope("byActive").count(), 2u);  // bob's post drops: the include's where makes it required
  // A later scope's offset wins (a zero offset does not reset it).
  posts.addScope("second", {.offset = 2});
  EXPECT_EQ(posts.scope({"page", "second"}).findAll({.order = {{"views"}}, .limit = 5}).size(), 1u);
}

TEST_F(Scopes, AnAssociationToAScopedHandleAppliesThatScope) {
  posts.addScope("published", {.where = {{"status", "published"}}});
  users.hasMany(posts.scope("published"), {.foreignKey = "userId", .as = "publishedPosts"});
  Instance ann = *users.findOne({.where = {{"name", "ann"}}});
  EXPECT_EQ(ann.assoc("publishedPosts").count(), 1u);
  EXPECT_EQ(ann.assoc("Posts").count(), 2u);
}

TEST_F(Scopes, IncludesOfTheSameAssociationMergeAndAttributesUnion) {
  posts.addScope("withAuthor", {.include = {{.as = "author", .attributes = {"name"}}}});
  posts.addScope("withActiveAuthor", {.include = {{.as = "author", .where = {{"active", true}}, .attributes = {"active"}}},
                                      .attributes = {"title"}});
  const auto found = posts.scope({"withAuthor", "withActiveAuthor"}).findAll({.attributes = {"views"}});
  ASSERT_EQ(found.size(), 2u);  // bob is inactive: his post drops (the include's own where → required)
  const std::string json = found[0].toJSON();
  EXPECT_NE(json.find("\"author\":{\"name\":\"ann\",\"active\":true}"), std::string::npos);
  EXPECT_EQ(json.find("\"status\""), std::string::npos);
  EXPECT_NE(json.find("\"views\""), std::string::npos);
}

TEST_F(Scopes, ErrorsAndDefinitionsStayUnchangedByUse) {
  try {
    posts.scope("nope");
    FAIL();
  } catch (const SchemaError& e) {
    EXPECT_EQ(std::string(e.what()), "Invalid scope nope called.");
  }
  posts.addScope("x", {.where = {{"status", "draft"}}});
  EXPECT_THROW(posts.addScope("x", FindOptions{}), SchemaError);
  Model scoped = posts.scope("x");
  scoped.findAll({.where = col("views") > 100});
  EXPECT_EQ(posts.scope("x").count(), 1u);  // using a scope never changes it
  EXPECT_EQ(scoped.update({{"views", 7}}, Where{}), 1u);  // update sees the scope's where
  EXPECT_EQ(posts.count({.where = {{"views", 7}}}), 1u);
  // Arguments to a scope that takes none are an error, not dropped.
  try {
    posts.scope("x", {Value(1)});
    FAIL() << "no error";
  } catch (const SchemaError& e) {
    EXPECT_STREQ(e.what(), "Scope x of Post takes no arguments (it is not a function scope)");
  }
  EXPECT_THROW(posts.scope({{"defaultScope", {Value(1)}}}), SchemaError);
}

TEST_F(Scopes, AddScopeNamedDefaultScopeSetsTheDefaultScopeWhileNoneIsSet) {
  posts.addScope("defaultScope", {.where = {{"status", "published"}}});
  EXPECT_EQ(posts.count(), 2u);
  EXPECT_EQ(posts.unscoped().count(), 3u);
  try {
    posts.addScope("defaultScope", FindOptions{});
    FAIL() << "no error";
  } catch (const SchemaError& e) {
    EXPECT_STREQ(e.what(), "Scope defaultScope is already defined on Post");
  }
  EXPECT_THROW(users.addScope("defaultScope", [](const std::vector<Value>&) { return FindOptions{}; }), SchemaError);
  EXPECT_EQ(posts.count(), 2u);  // unchanged by the refused definitions
}

}  // namespace
