// Rules of sequelize-associations.md not covered by the other suites.
#include <gtest/gtest.h>

#include "relstore/relstore.h"

using namespace relstore;

namespace {

class Rules : public ::testing::Test {
 protected:
  Store store;
  Model users = store.define("User", {{.name = "name"}});
  Model posts = store.define("Post", {{.name = "title"}, {.name = "status"}});
  Model roles = store.define("Role", {{.name = "label"}});
};

TEST_F(Rules, AnExplicitActionOnOneSideBeatsTheOtherSidesDefaultInEitherOrder) {
  posts.belongsTo(users, {.onDelete = Action::Cascade});
  users.hasMany(posts);  // its default (SET NULL) gives way
  Instance u = users.create({{"name", "u"}});
  Instance p = u.assoc("Posts").create({{"title", "t"}});
  u.destroy();
  EXPECT_FALSE(p.exists());
}

TEST_F(Rules, AssociationMethodsRunTheHooksOfTheRowsTheyWrite) {
  users.belongsToMany(roles, {.through = {"UserRoles"}});
  users.hasMany(posts);
  Model junction = store.model("UserRoles");
  std::vector<std::string> log;
  junction.addHook(Hook::AfterCreate, [&](Instance&) { log.push_back("junction create"); });
  junction.addHook(Hook::AfterUpdate, [&](Instance&) { log.push_back("junction update"); });
  junction.addHook(Hook::AfterDestroy, [&](Instance&) { log.push_back("junction destroy"); });
  posts.addHook(Hook::AfterUpdate, [&](Instance&) { log.push_back("post update"); });
  Instance u = users.create({{"name", "u"}});
  Instance r = roles.create({{"label", "admin"}});
  Instance p = posts.create({{"title", "t"}});
  u.assoc("Roles").add(r);
  u.assoc("Roles").add(r);  // nothing changes: no hooks
  u.assoc("Posts").add(p);
  u.assoc("Roles").remove(r);
  EXPECT_EQ(log, (std::vector<std::string>{"junction create", "post update", "junction destroy"}));
}

TEST_F(Rules, SeveralAssociationsMayShareOneForeignKey) {
  users.hasMany(posts, {.foreignKey = "authorId", .as = "posts"});
  users.hasMany(posts, {.foreignKey = "authorId", .as = "publishedPosts", .scope = {{"status", "published"}}});
  Instance u = users.create({{"name", "u"}});
  u.assoc("posts").create({{"title", "draft"}, {"status", "draft"}});
  Instance pub = u.assoc("publishedPosts").create({{"title", "out"}});
  EXPECT_EQ(pub.get<std::string>("status"), "published");
  EXPECT_EQ(u.assoc("posts").count(), 2u);
  EXPECT_EQ(u.assoc("publishedPosts").count(), 1u);
  int count = 0;
  for (const Attribute& a : posts.attributes()) count += a.name == "authorId";
  EXPECT_EQ(count, 1);
}

TEST_F(Rules, ScopedBelongsToManySetLeavesOtherScopesLinksAlone) {
  users.belongsToMany(roles, {.through = {"UserRoles"}, .as = "adminRoles", .scope = {{"label", "admin"}}});
  users.belongsToMany(roles, {.through = {"UserRoles"}, .as = "allRoles"});
  Instance u = users.create({{"name", "u"}});
  Instance admin = roles.create({{"label", "admin"}});
  Instance guest = roles.create({{"label", "guest"}});
  u.assoc("allRoles").add(std::vector<Instance>{admin, guest});
  EXPECT_EQ(u.assoc("adminRoles").count(), 1u);
  u.assoc("adminRoles").set(std::vector<Instance>{});
  EXPECT_EQ(u.assoc("allRoles").count(), 1u);  // the guest link survives
  EXPECT_TRUE(u.assoc("allRoles").has(guest));
  Instance made = u.assoc("adminRoles").create({});
  EXPECT_EQ(made.get<std::string>("label"), "admin");  // create writes the scope
}

TEST_F(Rules, HasOneWithANotNullKeyDestroysThePreviousTarget) {
  Model mounts = store.define("Mount", {{.name = "ownerId", .type = Type::Int, .allowNull = false}});
  users.hasOne(mounts, {.foreignKey = "ownerId"});
  Instance u = users.create({{"name", "u"}});
  Instance first = u.assoc("Mount").create({});
  Instance second = mounts.create({{"ownerId", users.create({{"name", "other"}}).id()}});
  u.assoc("Mount").set(second);
  EXPECT_FALSE(first.exists());
  EXPECT_EQ(u.assoc("Mount").getOne()->id(), second.id());
}

TEST_F(Rules, ThroughIsOnlyOnTargetsReachedThroughAJunctionAndNestsInJson) {
  users.belongsToMany(roles, {.through = {"UserRoles"}});
  users.hasMany(posts);
  Instance u = users.create({{"name", "u"}});
  Instance r = roles.create({{"label", "admin"}});
  u.assoc("Roles").add(r);
  u.assoc("Posts").create({{"title", "t"}});
  EXPECT_FALSE(u.assoc("Posts").get()[0].through().has_value());
  EXPECT_FALSE(r.through().has_value());
  const Instance viaJunction = u.assoc("Roles").get()[0];
  EXPECT_EQ(viaJunction.toJSON(), R"({"id":1,"label":"admin","UserRoles":{"id":1,"UserId":1,"RoleId":1}})");
}

TEST_F(Rules, UnknownAttributeInAnAssociationGetIsASchemaError) {
  users.hasMany(posts);
  Instance u = users.create({{"name", "u"}});
  EXPECT_THROW(u.assoc("Posts").get({.where = col("nope") == 1}), SchemaError);
}

TEST_F(Rules, IndicesStayExactThroughAssociationWritesAndCascades) {
  users.hasMany(posts, {.onDelete = Action::Cascade});
  users.belongsToMany(roles, {.through = {"UserRoles"}});
  roles.belongsToMany(users, {.through = {"UserRoles"}});
  std::vector<Instance> us, rs;
  for (int i = 0; i < 20; ++i) {
    us.push_back(users.create({{"name", "u" + std::to_string(i)}}));
    rs.push_back(roles.create({{"label", "r" + std::to_string(i)}}));
  }
  for (int i = 0; i < 20; ++i) {
    for (int k = 0; k < 5; ++k) {
      us[static_cast<std::size_t>(i)].assoc("Posts").create({{"title", "t"}});
      us[static_cast<std::size_t>(i)].assoc("Roles").add(rs[static_cast<std::size_t>((i + k * 3) % 20)]);
    }
  }
  store.checkIntegrity();
  for (int i = 0; i < 20; i += 3) us[static_cast<std::size_t>(i)].destroy();
  for (int i = 1; i < 20; i += 4) rs[static_cast<std::size_t>(i)].destroy();
  store.checkIntegrity();
  users.update({{"id", 500}}, {{"name", "u1"}});
  store.checkIntegrity();
  EXPECT_EQ(users.findByPk(500)->assoc("Posts").count(), 5u);
}

}  // namespace
