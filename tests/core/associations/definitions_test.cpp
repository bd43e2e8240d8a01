#include <gtest/gtest.h>

#include "relstore/relstore.h"

using namespace relstore;

namespace {

bool hasAttribute(const Model& m, const std::string& name) {
  for (const Attribute& a : m.attributes()) {
    if (a.name == name) return true;
  }
  return false;
}

std::string schemaError(const std::function<void()>& f) {
  try {
    f();
  } catch (const SchemaError& e) {
    return e.what();
  }
  return "";
}

class Definitions : public ::testing::Test {
 protected:
  Store store;
  Model users = store.define("User", {{.name = "name"}});
  Model posts = store.define("Post", {{.name = "title"}, {.name = "status"}});
  Model profiles = store.define("Profile", {{.name = "bio"}});
  Model roles = store.define("Role", {{.name = "label"}});
};

// The seed's definitions, verbatim in C++.
TEST_F(Definitions, SeedOneToOneOneToManyManyToMany) {
  users.hasOne(profiles);
  profiles.belongsTo(users);
  users.hasMany(posts);
  posts.belongsTo(users);
  users.belongsToMany(roles, {.through = {"UserRoles"}});
  roles.belongsToMany(users, {.through = {"UserRoles"}});

  EXPECT_TRUE(hasAttribute(profiles, "UserId"));
  EXPECT_TRUE(hasAttribute(posts, "UserId"));
  ASSERT_TRUE(store.hasModel("UserRoles"));
  Model userRoles = store.model("UserRoles");
  EXPECT_TRUE(hasAttribute(userRoles, "UserId"));
  EXPECT_TRUE(hasAttribute(userRoles, "RoleId"));
  EXPECT_EQ(userRoles.attributes().size(), 3u);  // id + the two keys: no stray column
  EXPECT_EQ(users.association("Profile").type(), AssociationType::HasOne);
  EXPECT_EQ(users.association("Posts").type(), AssociationType::HasMany);
  EXPECT_EQ(users.association("Roles").foreignKey(), "UserId");
  EXPECT_EQ(users.association("Roles").otherKey(), "RoleId");
  EXPECT_EQ(roles.association("Users").foreignKey(), "RoleId");
  EXPECT_EQ(posts.association("User").type(), AssociationType::BelongsTo);
  EXPECT_EQ(users.associations().size(), 3u);
  EXPECT_EQ(users.association("Roles").through()->name(), "UserRoles");
  store.checkIntegrity();
}

TEST_F(Definitions, AModelHandleNamesTheJunctionAsThroughDoes) {
  // The semantics file's paired form, A.belongsToMany(B, {.through = X}), with X a model.
  Model userRoles = store.define("UserRole", {{.name = "since", .type = Type::Int}});
  users.belongsToMany(roles, {.through = userRoles});
  roles.belongsToMany(users, {.through = userRoles});
  EXPECT_EQ(users.association("Roles").through(), userRoles);
  EXPECT_EQ(roles.association("Users").through(), userRoles);
  EXPECT_EQ(roles.association("Users").foreignKey(), users.association("Roles").otherKey());
  Instance u = users.create({{"name", "u"}});
  Instance admin = roles.create({{"label", "admin"}});
  u.assoc("Roles").add(admin, {{"since", 2020}});
  ASSERT_EQ(admin.assoc("Users").get().size(), 1u);
  EXPECT_EQ(admin.assoc("Users").get()[0].through()->get<std::int64_t>("since"), 2020);
}

TEST_F(Definitions, PairedSidesOfAJunctionMustAgreeOnUnique) {
  Model userRoles = store.define("UserRole", {});
  users.belongsToMany(roles, {.through = {.model = userRoles, .unique = false}});
  try {
    roles.belongsToMany(users, {.through = userRoles});
    FAIL() << "no error";
  } catch (const SchemaError& e) {
    EXPECT_STREQ(e.what(), "Role.belongsToMany(User): the other side's junction UserRole is unique: false; give both "
                           "sides the same unique");
  }
  EXPECT_EQ(roles.associations().size(), 0u);  // nothing defined
  roles.belongsToMany(users, {.through = {.model = userRoles, .unique = false}});
  Instance u = users.create({{"name", "u"}});
  Instance admin = roles.create({{"label", "admin"}});
  u.assoc("Roles").add(admin);
  admin.assoc("Users").add(u);  // not unique: a second link from the other side
  EXPECT_EQ(userRoles.count(), 2u);
}

TEST_F(Definitions, SeedAssociationOptions) {
  Association a = users.hasMany(posts, {.foreignKey = "authorId", .as = "articles", .onDelete = Action::Cascade,
                                        .onUpdate = Action::Cascade, .hooks = true, .constraints = false});
  EXPECT_EQ(a.as(), "articles");
  EXPECT_EQ(a.foreignKey(), "authorId");
  EXPECT_EQ(a.source(), users);
  EXPECT_EQ(a.target(), posts);
  EXPECT_FALSE(a.through().has_value());
  EXPECT_TRUE(hasAttribute(posts, "authorId"));
}

TEST_F(Definitions, DefaultNamesFollowTheSemantics) {
  Model buddies = store.define("Buddy", {});
  Model boxes = store.define("Box", {});
  EXPECT_EQ(users.hasMany(buddies).as(), "Buddies");
  EXPECT_EQ(users.hasMany(boxes).as(), "Boxes");
  EXPECT_EQ(posts.belongsTo(users, {.as = "author"}).foreignKey(), "authorId");
  EXPECT_EQ(profiles.belongsTo(users).foreignKey(), "UserId");
  // hasMany ignores the alias for the key (as v7).
  EXPECT_EQ(users.hasMany(posts, {.as = "writings"}).foreignKey(), "UserId");
}

TEST_F(Definitions, KeysFollowACustomPrimaryKeyName) {
  Model accounts = store.define("Account", {{.name = "userSecondId", .type = Type::Int, .primaryKey = true, .autoIncrement = true}});
  EXPECT_EQ(accounts.hasMany(posts).foreignKey(), "AccountUserSecondId");
  EXPECT_EQ(accounts.belongsToMany(roles, {.through = {"AccountRoles"}}).foreignKey(), "AccountUserSecondId");
}

TEST_F(Definitions, BothSidesOfAPairShareOneColumnInEitherOrder) {
  posts.belongsTo(users, {.foreignKey = "authorId", .as = "author"});
  users.hasMany(posts, {.foreignKey = "authorId"});
  int count = 0;
  for (const Attribute& a : posts.attributes()) count += a.name == "authorId";
  EXPECT_EQ(count, 1);
  Instance u = users.create({{"name", "a"}});
  Instance p = posts.create({{"title", "t"}, {"authorId", u.id()}});
  EXPECT_EQ(u.assoc("Posts").count(), 1u);
  EXPECT_EQ(p.assoc("author").getOne()->id(), u.id());
}

TEST_F(Definitions, ExistingForeignKeyAttributeKeepsItsSettings) {
  Model comments = store.define("Comment", {{.name = "postId", .type = Type::Int, .allowNull = false}});
  posts.hasMany(comments, {.foreignKey = "postId"});
  EXPECT_FALSE(comments.attributes()[1].allowNull);
  Model notes = store.define("Note", {{.name = "postId", .type = Type::Text}});
  EXPECT_NE(schemaError([&] { posts.hasMany(notes, {.foreignKey = "postId", .as = "notes"}); }).find("Note.postId"),
            std::string::npos);
}

TEST_F(Definitions, SchemaErrorsChangeNothing) {
  EXPECT_NE(schemaError([&] { users.hasMany(posts, {.as = "name"}); }).find("Naming collision"), std::string::npos);
  users.hasMany(posts);
  EXPECT_THROW(users.hasMany(posts), SchemaError);  // default alias "Posts" twice
  EXPECT_THROW(users.hasMany(roles, {.as = "Posts"}), SchemaError);
  EXPECT_THROW(users.belongsToMany(roles), SchemaError);  // no through
  EXPECT_THROW(users.belongsToMany(users, {.through = {"Friendship"}}), SchemaError);  // self without as
  EXPECT_THROW(users.hasMany(roles, {.through = {"X"}}), SchemaError);
  EXPECT_EQ(schemaError([&] { users.hasMany(roles, {.sourceKey = "nope"}); }),
            "Unknown attribute \"nope\" passed as sourceKey, define this attribute on model \"User\" first");
  EXPECT_THROW(users.hasMany(roles, {.sourceKey = "name"}), SchemaError);  // not unique
  EXPECT_THROW(users.hasMany(roles, {.scope = {{"nope", 1}}}), SchemaError);
  // Options that do not apply to the type: each named.
  EXPECT_EQ(schemaError([&] { users.hasMany(roles, {.otherKey = "x"}); }),
            "User.hasMany(Role): 'otherKey' applies to belongsToMany only");
  EXPECT_EQ(schemaError([&] { roles.belongsTo(users, {.sourceKey = "name"}); }),
            "Role.belongsTo(User): 'sourceKey' does not apply to belongsTo (use targetKey)");
  EXPECT_EQ(schemaError([&] { users.hasMany(roles, {.targetKey = "label"}); }),
            "User.hasMany(Role): 'targetKey' does not apply to hasMany (use sourceKey)");
  EXPECT_EQ(schemaError([&] { users.hasOne(profiles, {.targetKey = "bio"}); }),
            "User.hasOne(Profile): 'targetKey' does not apply to hasOne (use sourceKey)");
  EXPECT_FALSE(hasAttribute(roles, "x"));
  EXPECT_FALSE(store.hasModel("Friendship"));
  EXPECT_FALSE(store.hasModel("X"));
  EXPECT_FALSE(hasAttribute(roles, "UserId"));
  EXPECT_EQ(users.associations().size(), 1u);
}

TEST_F(Definitions, ConflictingExplicitActionsOfAPairAreASchemaError) {
  users.hasMany(posts, {.onDelete = Action::Cascade});
  EXPECT_THROW(posts.belongsTo(users, {.onDelete = Action::Restrict}), SchemaError);
  EXPECT_NO_THROW(posts.belongsTo(users, {.onDelete = Action::Cascade}));
}

TEST_F(Definitions, UnknownAliasIsAnAssociationError) {
  EXPECT_THROW(users.association("nope"), AssociationError);
  Instance u = users.create({{"name", "a"}});
  EXPECT_THROW(u.assoc("nope"), AssociationError);
}

TEST_F(Definitions, SelfAssociations) {
  Model employees = store.define("Employee", {{.name = "name"}});
  employees.hasMany(employees, {.foreignKey = "managerId", .as = "reports"});
  employees.belongsTo(employees, {.foreignKey = "managerId", .as = "manager"});
  Association friends = users.belongsToMany(users, {.through = {"Friendship"}, .as = "Buddies"});
  EXPECT_EQ(friends.foreignKey(), "UserId");
  EXPECT_EQ(friends.otherKey(), "BuddyId");
  Instance boss = employees.create({{"name", "boss"}});
  Instance a = employees.create({{"name", "a"}, {"managerId", boss.id()}});
  EXPECT_EQ(boss.assoc("reports").get().size(), 1u);
  EXPECT_EQ(a.assoc("manager").getOne()->id(), boss.id());
  Instance u1 = users.create({{"name", "u1"}});
  Instance u2 = users.create({{"name", "u2"}});
  u1.assoc("Buddies").add(u2);
  EXPECT_TRUE(u1.assoc("Buddies").has(u2));
  EXPECT_FALSE(u2.assoc("Buddies").has(u1));
}

TEST_F(Definitions, PairedBelongsToManyAdoptsTheNamedKey) {
  users.belongsToMany(roles, {.through = {"Grants"}});
  roles.belongsToMany(users, {.through = {"Grants"}, .foreignKey = "roleRef"});
  Model grants = store.model("Grants");
  EXPECT_TRUE(hasAttribute(grants, "roleRef"));
  EXPECT_FALSE(hasAttribute(grants, "RoleId"));
  EXPECT_EQ(users.association("Roles").otherKey(), "roleRef");
  EXPECT_EQ(grants.attributes().size(), 3u);
}

TEST_F(Definitions, ToDotListsModelsAndAssociations) {
  users.hasMany(posts, {.as = "articles", .onDelete = Action::Cascade});
  const std::string dot = store.toDot();
  EXPECT_NE(dot.find("digraph"), std::string::npos);
  EXPECT_NE(dot.find("\"User\" -> \"Post\""), std::string::npos);
  EXPECT_NE(dot.find("hasMany as articles"), std::string::npos);
  EXPECT_NE(dot.find("onDelete CASCADE"), std::string::npos);
  EXPECT_NE(dot.find("UserId : Int"), std::string::npos);
}

}  // namespace
