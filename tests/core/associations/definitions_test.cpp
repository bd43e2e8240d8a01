#include <gtest/gtest.h>

#include <functional>
#include <string>

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

  // Comments on images and videos through one polymorphic key.
  struct Polymorphic {
    Model images, videos, comments;
  };
  Polymorphic polymorphic() {
    return {store.define("Image", {{.name = "url"}}), store.define("Video", {{.name = "url"}}),
            store.define("Comment", {{.name = "commentableType"}, {.name = "commentableId", .type = Type::Int}})};
  }
  // An image and a video with one id, a comment on each; destroying the
  // image must leave the video's comment.
  static void expectTheImagesCascadeSparesTheVideosComment(Polymorphic& p, const std::string& videoAlias) {
    Instance image = p.images.create({{"url", "i"}});
    Instance video = p.videos.create({{"url", "v"}});
    ASSERT_EQ(image.id(), video.id());
    image.assoc("Comments").create({});
    video.assoc(videoAlias).create({});
    image.destroy();
    ASSERT_EQ(p.comments.count(), 1u);
    EXPECT_EQ(p.comments.findAll()[0].get<std::string>("commentableType"), "video");
  }
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
  EXPECT_EQ(schemaError([&] { users.hasMany(roles, {.sourceKey = "name"}); }),  // not unique: the same message
            "Unknown attribute \"name\" passed as sourceKey, define this attribute on model \"User\" first (it exists "
            "but is not unique)");
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

TEST_F(Definitions, AForeignKeyMayNotTakeTheNameOfAnAliasOfItsModel) {
  // Sequelize: Car.belongsTo(Person, {foreignKey: 'person'}) is a naming collision.
  EXPECT_EQ(schemaError([&] { posts.belongsTo(users, {.foreignKey = "author", .as = "author"}); }),
            "Post.belongsTo(User): Naming collision between attribute 'author' and association 'author' on model Post. "
            "To remedy this, change either foreignKey or as in your association definition");
  EXPECT_NE(schemaError([&] { posts.belongsTo(users, {.foreignKey = "User"}); }).find("Naming collision"),
            std::string::npos);  // the default alias is "User"
  posts.hasMany(profiles, {.as = "notes"});
  EXPECT_NE(schemaError([&] { users.hasMany(posts, {.foreignKey = "notes"}); }).find("Naming collision"),
            std::string::npos);  // Post has an association "notes"
  EXPECT_FALSE(hasAttribute(posts, "author"));
  EXPECT_FALSE(hasAttribute(posts, "User"));
  EXPECT_FALSE(hasAttribute(posts, "notes"));
  posts.belongsTo(users, {.foreignKey = "authorId", .as = "author"});  // the usual spelling is fine
  Model nodes = store.define("Node", {});
  EXPECT_NE(schemaError([&] { nodes.hasOne(nodes, {.foreignKey = "next", .as = "next"}); }).find("Naming collision"),
            std::string::npos);  // a self-association: the key is on the source too
  EXPECT_FALSE(hasAttribute(nodes, "next"));
}

TEST_F(Definitions, AConstrainedKeyOverRowsThatReferenceNothingIsASchemaError) {
  Model notes = store.define("Note", {{.name = "UserId", .type = Type::Int}});
  Instance ann = users.create({{"name", "Ann"}});
  notes.create({{"UserId", ann.id()}});
  const Instance stray = notes.create({{"UserId", 42}});
  notes.create({});  // a null key references nothing and needs nothing
  const std::string why = "Note.UserId = 42 (row id 2) references no User.id; with constraints every row already "
                          "there must reference one (or give constraints: false)";
  EXPECT_EQ(schemaError([&] { users.hasMany(notes); }), "User.hasMany(Note): " + why);
  EXPECT_EQ(schemaError([&] { notes.belongsTo(users); }), "Note.belongsTo(User): " + why);
  EXPECT_TRUE(users.associations().empty());
  EXPECT_TRUE(notes.associations().empty());
  notes.belongsTo(users, {.constraints = false});  // no check: the row may stay
  EXPECT_EQ(notes.association("User").getOne(stray), std::nullopt);
  store.checkIntegrity();

  Model tags = store.define("Tag", {{.name = "UserId", .type = Type::Int}});
  tags.create({{"UserId", 7}});
  EXPECT_THROW(users.hasMany(tags), SchemaError);
  Instance seven = users.create({{"id", 7}, {"name", "Seven"}});
  users.hasMany(tags);  // every row references a user now
  EXPECT_EQ(seven.assoc("Tags").count(), 1u);
  store.checkIntegrity();
}

TEST_F(Definitions, AJunctionsRowsMustReferenceBothSidesAndHoldEachPairOnceWhenUnique) {
  Model grants = store.define("Grant", {{.name = "UserId", .type = Type::Int}, {.name = "RoleId", .type = Type::Int}});
  Instance u = users.create({{"name", "u"}});
  Instance admin = roles.create({{"label", "admin"}});
  grants.create({{"UserId", u.id()}, {"RoleId", admin.id()}});
  Instance second = grants.create({{"UserId", u.id()}, {"RoleId", admin.id()}});
  EXPECT_EQ(schemaError([&] { users.belongsToMany(roles, {.through = grants}); }),
            "User.belongsToMany(Role): Grant rows 1 and 2 hold the same pair (UserId 1, RoleId 1); a unique junction "
            "needs each pair once (or give unique: false)");
  EXPECT_TRUE(users.associations().empty());
  second.update({{"RoleId", 5}});
  EXPECT_EQ(schemaError([&] { users.belongsToMany(roles, {.through = grants}); }),
            "User.belongsToMany(Role): Grant.RoleId = 5 (row id 2) references no Role.id; with constraints every row "
            "already there must reference one (or give constraints: false)");
  EXPECT_TRUE(users.associations().empty());
  second.update({{"RoleId", admin.id()}});
  users.belongsToMany(roles, {.through = {.model = grants, .unique = false}});  // repeated pairs are allowed
  EXPECT_EQ(u.assoc("Roles").get().size(), 2u);
  store.checkIntegrity();
}

TEST_F(Definitions, ThePairedBelongsToManyMustUseTheKeysTheSharedColumnsReference) {
  Model accounts = store.define("Account", {{.name = "login", .unique = true}});
  accounts.belongsToMany(roles, {.through = {"AccountRoles"}});
  EXPECT_EQ(schemaError([&] { roles.belongsToMany(accounts, {.through = {"AccountRoles"}, .targetKey = "login"}); }),
            "Role.belongsToMany(Account): targetKey Account.login differs from Account.id, which junction column "
            "AccountRoles.AccountId of the other side references");
  EXPECT_TRUE(roles.associations().empty());
  roles.belongsToMany(accounts, {.through = {"AccountRoles"}});
  Instance a = accounts.create({{"login", "ann"}});
  Instance admin = roles.create({{"label", "admin"}});
  admin.assoc("Accounts").add(a);
  EXPECT_EQ(a.assoc("Roles").count(), 1u);
}

TEST_F(Definitions, AJunctionKeyMayNotBeTheJunctionsPrimaryKey) {
  EXPECT_EQ(schemaError([&] { users.belongsToMany(roles, {.through = {"UR"}, .foreignKey = "id"}); }),
            "User.belongsToMany(Role): the junction key \"id\" cannot be the primary key of UR");
  EXPECT_FALSE(store.hasModel("UR"));
  Model grants = store.define("Grant", {});
  EXPECT_EQ(schemaError([&] { users.belongsToMany(roles, {.through = grants, .otherKey = "id"}); }),
            "User.belongsToMany(Role): the junction key \"id\" cannot be the primary key of Grant");
  EXPECT_TRUE(users.associations().empty());
}

TEST_F(Definitions, ABelongsToManysActionsAreCheckedAgainstItsOwnJunctionKeyOnlyInEitherOrder) {
  Model memberships = store.define("Membership", {});
  memberships.belongsTo(roles, {.onDelete = Action::Restrict});  // the key to Role: RoleId
  users.belongsToMany(roles, {.through = memberships, .onDelete = Action::Cascade});  // governs UserId
  Model grants = store.define("Grant", {});
  users.belongsToMany(roles, {.through = grants, .as = "granted", .onDelete = Action::Cascade});
  grants.belongsTo(roles, {.onDelete = Action::Restrict});
  Instance u = users.create({{"name", "u"}});
  Instance admin = roles.create({{"label", "admin"}});
  u.assoc("Roles").add(admin);
  EXPECT_THROW(admin.destroy(), ForeignKeyConstraintError);  // Restrict on RoleId
  u.destroy();                                               // Cascade on UserId
  EXPECT_EQ(memberships.count(), 0u);
}

TEST_F(Definitions, AJunctionColumnMayNotTakeTheNameOfAnAliasOfTheJunction) {
  Model memberships = store.define("Membership", {{.name = "memberRef", .type = Type::Int}});
  memberships.belongsTo(users, {.foreignKey = "memberRef", .as = "UserId"});
  EXPECT_NE(schemaError([&] { users.belongsToMany(roles, {.through = memberships}); }).find("Naming collision"),
            std::string::npos);
  EXPECT_FALSE(hasAttribute(memberships, "UserId"));
  EXPECT_EQ(users.associations().size(), 0u);
  users.belongsToMany(roles, {.through = memberships, .foreignKey = "memberId"});
  // A rename the paired side asks for (of RoleId) is a new column too.
  memberships.belongsTo(roles, {.foreignKey = "rref", .as = "roleRef", .constraints = false});
  EXPECT_NE(schemaError([&] { roles.belongsToMany(users, {.through = memberships, .foreignKey = "roleRef"}); })
                .find("Naming collision"),
            std::string::npos);
}

// The seed pairs its constraints: false hasMany (Association Options) with
// the eager-loading example's plain belongsTo over the same key, in either
// order: constraints: false on either side turns the key's constraints off.
TEST_F(Definitions, TheSeedsConstraintsFalseHasManyPairsWithAPlainBelongsTo) {
  for (const bool hasManyFirst : {true, false}) {
    Store s;
    Model u = s.define("User", {{.name = "name"}});
    Model p = s.define("Post", {{.name = "title"}});
    auto hasMany = [&] {
      u.hasMany(p, {.foreignKey = "authorId", .as = "articles", .onDelete = Action::Cascade,
                    .onUpdate = Action::Cascade, .hooks = true, .constraints = false});
    };
    if (hasManyFirst) hasMany();
    p.belongsTo(u, {.as = "author"});  // its key: "authorId" too
    if (!hasManyFirst) hasMany();
    EXPECT_EQ(p.association("author").foreignKey(), "authorId");
    Instance post = p.create({{"title", "t"}, {"authorId", 42}});  // no existence check
    Instance ann = u.create({{"name", "ann"}});
    ann.assoc("articles").add(post);
    ann.destroy();  // the explicit cascade still runs
    EXPECT_FALSE(post.exists());
  }
}

TEST_F(Definitions, PairedBelongsToManySidesMustAgreeOnConstraints) {
  users.belongsToMany(roles, {.through = {"UserRoles"}, .constraints = false});
  EXPECT_EQ(schemaError([&] { roles.belongsToMany(users, {.through = {"UserRoles"}}); }),
            "Role.belongsToMany(User): the other side over junction UserRoles has constraints: false; give both sides "
            "the same constraints");
  roles.belongsToMany(users, {.through = {"UserRoles"}, .constraints = false});
  Instance u = users.create({{"name", "u"}});
  Instance r = roles.create({{"label", "r"}});
  u.assoc("Roles").add(r);
  r.destroy();  // junction rows outlive either side
  EXPECT_EQ(store.model("UserRoles").count(), 1u);
}

TEST_F(Definitions, AssociationNamesStayValidAsMoreAreDefined) {
  const Association first = users.hasMany(posts, {.foreignKey = "authorId", .as = "articles"});
  const std::string& as = first.as();
  const std::string& key = first.foreignKey();
  for (int i = 0; i < 100; ++i) users.hasMany(profiles, {.foreignKey = "k" + std::to_string(i), .as = "p" + std::to_string(i)});
  EXPECT_EQ(as, "articles");  // a reference into the definitions, which grew
  EXPECT_EQ(key, "authorId");
}

TEST_F(Definitions, OnlyTheParentSidesHooksOptionRunsHooksInCascades) {
  users.hasMany(posts, {.onDelete = Action::Cascade});  // hooks: false
  posts.belongsTo(users, {.hooks = true});               // no say over the parent's cascade
  int hooked = 0;
  posts.addHook(Hook::BeforeDestroy, [&](Instance&) { ++hooked; });
  Instance u = users.create({{"name", "u"}});
  u.assoc("Posts").create({{"title", "t"}});
  u.destroy();
  EXPECT_EQ(hooked, 0);
  EXPECT_EQ(posts.count(), 0u);
}

// Sequelize's super many-to-many, hasMany defined first: the junction key
// cascades as belongsToMany's keys do, in either order.
TEST_F(Definitions, AJunctionKeyFirstMadeByAHasManyCascadesLikeAJunctionKey) {
  Model grants = store.define("Grant", {{.name = "note"}});
  users.hasMany(grants);
  users.belongsToMany(roles, {.through = {.model = grants}});
  Instance u = users.create({{"name", "u"}});
  Instance r = roles.create({{"label", "r"}});
  u.assoc("Roles").add(r);
  u.destroy();
  EXPECT_EQ(grants.count(), 0u);  // not left with a null UserId
  store.checkIntegrity();
}

// A belongsTo on a polymorphic key owns no rows: the scoped hasMany's
// cascades keep to their scope whichever is defined first.
TEST_F(Definitions, ABelongsToOnAPolymorphicKeyLeavesTheHasManysScope) {
  Model images = store.define("Image", {{.name = "url"}});
  Model videos = store.define("Video", {{.name = "url"}});
  Model comments = store.define("Comment", {{.name = "commentableType"}, {.name = "commentableId", .type = Type::Int}});
  for (const bool belongsToFirst : {false, true}) {
    Store s;
    Model im = s.define("Image", {{.name = "url"}});
    Model vi = s.define("Video", {{.name = "url"}});
    Model co = s.define("Comment", {{.name = "commentableType"}, {.name = "commentableId", .type = Type::Int}});
    const auto belongsTo = [&] { co.belongsTo(im, {.foreignKey = "commentableId", .as = "image", .constraints = false}); };
    if (belongsToFirst) belongsTo();
    im.hasMany(co, {.foreignKey = "commentableId", .onDelete = Action::Cascade, .constraints = false,
                    .scope = {{"commentableType", "image"}}});
    vi.hasMany(co, {.foreignKey = "commentableId", .as = "videoComments", .onDelete = Action::Cascade,
                    .constraints = false, .scope = {{"commentableType", "video"}}});
    if (!belongsToFirst) belongsTo();
    Instance image = im.create({{"url", "i"}});
    Instance video = vi.create({{"url", "v"}});
    ASSERT_EQ(image.id(), video.id());
    image.assoc("Comments").create({});
    video.assoc("videoComments").create({});
    image.destroy();
    ASSERT_EQ(co.count(), 1u) << (belongsToFirst ? "belongsTo first" : "belongsTo last");
    EXPECT_EQ(co.findAll()[0].get<std::string>("commentableType"), "video");
  }
  (void)images, (void)videos, (void)comments;
}

// The scope of a key's actions is that of the association that asked for
// them: another association over the key that asks for none (an unscoped
// hasMany reading every comment) does not widen it.
TEST_F(Definitions, AKeysActionsKeepToTheScopeOfTheAssociationThatAskedForThem) {
  Polymorphic p = polymorphic();
  p.images.hasMany(p.comments, {.foreignKey = "commentableId", .onDelete = Action::Cascade, .constraints = false,
                                .scope = {{"commentableType", "image"}}});
  p.videos.hasMany(p.comments, {.foreignKey = "commentableId", .as = "videoComments", .constraints = false,
                                .scope = {{"commentableType", "video"}}});
  Association any = p.images.hasMany(p.comments, {.foreignKey = "commentableId", .as = "anyComments", .constraints = false});
  expectTheImagesCascadeSparesTheVideosComment(p, "videoComments");  // the cascade keeps to the image's
  const Instance video = p.videos.findAll()[0];
  Instance sameId = p.images.create({{"id", video.id()}, {"url", "again"}});
  EXPECT_EQ(any.count(sameId), 1u);  // though anyComments reads every comment with the key
}

// A belongsTo owns no rows: its explicit action does not widen the scope of
// the hasMany that owns them (it did: a video's comment died with an image).
// An association asking for an action with another scope is refused: one
// key keeps one scope, and every row would reach rows the other keeps out.
TEST_F(Definitions, ABelongsTosActionKeepsToTheOwnersScopeAndAskersMustShareOne) {
  Polymorphic p = polymorphic();
  p.images.hasMany(p.comments, {.foreignKey = "commentableId", .onDelete = Action::Cascade, .constraints = false,
                                .scope = {{"commentableType", "image"}}});
  p.videos.hasMany(p.comments, {.foreignKey = "commentableId", .as = "videoComments", .onDelete = Action::Cascade,
                                .constraints = false, .scope = {{"commentableType", "video"}}});
  p.comments.belongsTo(p.images, {.foreignKey = "commentableId", .as = "image", .onDelete = Action::Cascade,
                                  .constraints = false});
  EXPECT_EQ(schemaError([&] {
              p.images.hasMany(p.comments, {.foreignKey = "commentableId", .as = "anyComments",
                                            .onUpdate = Action::Cascade, .constraints = false});
            }),
            "Image.hasMany(Comment): another association over Comment.commentableId asked for onDelete/onUpdate with "
            "a different scope; one key keeps its actions to one scope");
  EXPECT_EQ(p.images.associations().size(), 1u);
  expectTheImagesCascadeSparesTheVideosComment(p, "videoComments");
}

TEST_F(Definitions, AskersWithDifferentScopesAreFineWithConstraintsAndScopesCompareAsSets) {
  users.hasMany(posts, {.onDelete = Action::Cascade});
  users.hasMany(posts, {.as = "published", .onDelete = Action::Cascade, .scope = {{"status", "published"}}});
  Instance u = users.create({{"name", "u"}});
  u.assoc("Posts").create({{"status", "draft"}});
  u.assoc("published").create({});
  u.destroy();
  EXPECT_EQ(posts.count(), 0u);  // every row followed its parent
  Model images = store.define("Image", {});
  Model comments = store.define("Comment", {{.name = "kind"}, {.name = "lang"}, {.name = "imageId", .type = Type::Int}});
  images.hasMany(comments, {.foreignKey = "imageId", .onDelete = Action::Cascade, .constraints = false,
                            .scope = {{"kind", "image"}, {"lang", "en"}}});
  images.hasMany(comments, {.foreignKey = "imageId", .as = "english", .onDelete = Action::Cascade,
                            .constraints = false, .scope = {{"lang", "en"}, {"kind", "image"}}});
  EXPECT_EQ(images.associations().size(), 2u);
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

TEST(ToDot, WritesGraphvizEscapesOnceAndUserTextAsWritten) {
  Store store;
  Model a = store.define("A", {{.name = "x|y"}});
  Model b = store.define("B", {});
  a.hasMany(b, {.as = "b\\s"});
  EXPECT_EQ(store.toDot(),
            "digraph relstore {\n  node [shape=record];\n"
            "  \"A\" [label=\"{A|id : Int (pk)\\lx\\|y : Text\\l}\"];\n"
            "  \"B\" [label=\"{B|id : Int (pk)\\lAId : Int\\l}\"];\n"
            "  \"A\" -> \"B\" [label=\"hasMany as b\\\\s\\nonDelete SET NULL\"];\n"
            "}\n");
}

}  // namespace
