// Rules of sequelize-associations.md not covered by the other suites.
#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

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

TEST_F(Rules, AMethodWritingSeveralRowsLeavesEverythingAsBeforeWhenOneOfItsWritesFails) {
  Model profiles = store.define("Profile", {{.name = "bio"}});
  users.belongsToMany(roles, {.through = {"UserRoles"}});
  users.hasMany(posts);
  users.hasOne(profiles);
  posts.belongsTo(users, {.as = "writer"});
  Model junction = store.model("UserRoles");
  Instance u = users.create({{"name", "u"}});
  std::vector<Instance> rs, ps, fs;
  for (int i = 0; i < 4; ++i) {
    rs.push_back(roles.create({{"label", "r" + std::to_string(i)}}));
    ps.push_back(posts.create({{"title", "p" + std::to_string(i)}}));
    fs.push_back(profiles.create({{"bio", "f" + std::to_string(i)}}));
  }
  u.assoc("Roles").set(std::vector<Instance>{rs[0], rs[1]});
  u.assoc("Posts").set(std::vector<Instance>{ps[0], ps[1]});
  u.assoc("Profile").set(fs[0]);
  auto dump = [&] {
    std::string out;
    for (const Model& m : {users, posts, roles, profiles, junction}) {
      for (const Instance& row : m.findAll({.order = {{"id", Direction::Asc}}})) out += row.toJSON() + "\n";
    }
    return out;
  };
  const std::string before = dump();
  // Each hook refuses the write of a row that is not the method's first.
  junction.addHook(Hook::BeforeCreate, [&](Instance& j) {
    if (j.get<std::int64_t>("RoleId") != rs[2].id()) throw std::runtime_error("junction create refused");
  });
  junction.addHook(Hook::BeforeDestroy, [&](Instance& j) {
    if (j.get<std::int64_t>("RoleId") == rs[1].id()) throw std::runtime_error("junction destroy refused");
  });
  posts.addHook(Hook::BeforeUpdate, [&](Instance& p) {
    if (p.id() == ps[3].id() || (p.id() == ps[0].id() && !p.get("writerId").isNull())) {
      throw std::runtime_error("post update refused");
    }
  });
  profiles.addHook(Hook::BeforeUpdate, [&](Instance& f) {
    if (f.id() == fs[1].id()) throw std::runtime_error("profile update refused");
  });
  auto refused = [&](const char* what, auto method) {
    EXPECT_THROW(method(), std::runtime_error) << what;
    EXPECT_EQ(dump(), before) << what;
    EXPECT_NO_THROW(store.checkIntegrity()) << what;
  };
  refused("belongsToMany set", [&] { u.assoc("Roles").set(std::vector<Instance>{rs[2], rs[3]}); });
  refused("belongsToMany add", [&] { u.assoc("Roles").add(std::vector<Instance>{rs[2], rs[3]}); });
  refused("belongsToMany remove", [&] { u.assoc("Roles").remove(std::vector<Instance>{rs[0], rs[1]}); });
  refused("belongsToMany create", [&] { u.assoc("Roles").create({{"label", "new"}}); });
  refused("hasMany set", [&] { u.assoc("Posts").set(std::vector<Instance>{ps[2], ps[3]}); });
  refused("hasMany add", [&] { u.assoc("Posts").add(std::vector<Instance>{ps[2], ps[3]}); });
  refused("hasOne set", [&] { u.assoc("Profile").set(fs[1]); });
  refused("belongsTo create", [&] { ps[0].assoc("writer").create({{"name", "w"}}); });
  // Inside a transaction the unit is a savepoint: the transaction goes on.
  {
    Transaction t = store.begin();
    EXPECT_THROW(u.assoc("Posts").set(std::vector<Instance>{ps[2], ps[3]}), std::runtime_error);
    u.assoc("Posts").add(ps[2]);
    t.commit();
  }
  EXPECT_EQ(u.assoc("Posts").count(), 3u);
}

TEST_F(Rules, EachSideOfAPairedJunctionGovernsTheKeyToItsOwnSource) {
  // Users' side: RESTRICT on the junction key to User; roles' side: the
  // default CASCADE on the key to Role.
  users.belongsToMany(roles, {.through = {"UserRoles"}, .onDelete = Action::Restrict});
  roles.belongsToMany(users, {.through = {"UserRoles"}});
  Model junction = store.model("UserRoles");
  Instance u = users.create({{"name", "u"}});
  Instance admin = roles.create({{"label", "admin"}});
  Instance guest = roles.create({{"label", "guest"}});
  u.assoc("Roles").add(std::vector<Instance>{admin, guest});
  EXPECT_THROW(u.destroy(), ForeignKeyConstraintError);  // its links restrict it
  EXPECT_EQ(junction.count(), 2u);
  admin.destroy();  // cascades to its junction row
  EXPECT_EQ(junction.count(), 1u);
  EXPECT_EQ(u.assoc("Roles").count(), 1u);
  EXPECT_EQ(guest.assoc("Users").count(), 1u);
}

TEST_F(Rules, AJunctionWithoutConstraintsOutlivesEitherSide) {
  users.belongsToMany(roles, {.through = {"UserRoles"}, .constraints = false});
  Model junction = store.model("UserRoles");
  Instance u = users.create({{"name", "u"}});
  Instance v = users.create({{"name", "v"}});
  Instance admin = roles.create({{"label", "admin"}});
  u.assoc("Roles").add(admin);
  v.assoc("Roles").add(admin);
  u.destroy();    // the source side goes ...
  admin.destroy();  // ... and the target side
  EXPECT_EQ(junction.count(), 2u);  // both links stay, dangling
  EXPECT_EQ(v.assoc("Roles").count(), 0u);  // and read as nothing
  EXPECT_NO_THROW(store.checkIntegrity());
  // ids() would list the junction's keys as stored (a destroyed role's id):
  // it refuses, naming the association and the way out.
  try {
    v.assoc("Roles").ids();
    FAIL() << "no error";
  } catch (const AssociationError& e) {
    EXPECT_STREQ(e.what(), "Association User.Roles: ids() lists the junction's RoleId values as stored, and without "
                           "constraints or with null allowed they may name no Role; use get()");
  }
}

TEST_F(Rules, IdsListsLinksWhileGetAppliesTheTargetsDefaultScope) {
  users.belongsToMany(roles, {.through = {"UserRoles"}});
  Instance u = users.create({{"name", "u"}});
  Instance admin = roles.create({{"label", "admin"}});
  Instance guest = roles.create({{"label", "guest"}});
  u.assoc("Roles").add(std::vector<Instance>{admin, guest});
  roles.setDefaultScope({.where = {{"label", "guest"}}});
  EXPECT_EQ(u.assoc("Roles").get().size(), 1u);
  const auto ids = u.assoc("Roles").ids();
  EXPECT_EQ(std::vector<Id>(ids.begin(), ids.end()), (std::vector<Id>{admin.id(), guest.id()}));
  EXPECT_TRUE(u.assoc("Roles").has(admin));  // has, like ids, ignores the target's scope
}

TEST_F(Rules, AJunctionModelAlsoReachedByHasManyReadsItsOwnRowsInEitherDefinitionOrder) {
  // Sequelize's "super many-to-many": User.belongsToMany(Project, {through:
  // UserProject}) and User.hasMany(UserProject) share UserProject.UserId.
  Model projects = store.define("Project", {{.name = "title"}});
  Model up = store.define("UserProject", {{.name = "role"}});
  users.belongsToMany(projects, {.through = {.model = up}});
  users.hasMany(up);
  Instance u = users.create({{"name", "u"}});
  for (int i = 0; i < 3; ++i) projects.create({{"title", "x"}});
  Instance p = projects.create({{"title", "p"}});     // id 4
  u.assoc("Projects").add(p, {{"role", "lead"}});     // junction row 1
  const auto rows = u.assoc("UserProjects").get();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].id(), 1);
  EXPECT_EQ(rows[0].get<std::string>("role"), "lead");
  EXPECT_THROW(u.assoc("UserProjects").ids(), AssociationError);  // the shared index carries ProjectId
  const auto projectIds = u.assoc("Projects").ids();
  EXPECT_EQ(std::vector<Id>(projectIds.begin(), projectIds.end()), std::vector<Id>{p.id()});

  // The other order: the hasMany makes the index (it carries junction ids).
  Model teams = store.define("Team", {{.name = "title"}});
  Model ut = store.define("UserTeam", {{.name = "role"}});
  users.hasMany(ut);
  users.belongsToMany(teams, {.through = {.model = ut}});
  for (int i = 0; i < 3; ++i) teams.create({{"title", "x"}});
  Instance t = teams.create({{"title", "t"}});  // id 4
  u.assoc("Teams").add(t);
  ASSERT_EQ(u.assoc("Teams").get().size(), 1u);
  EXPECT_EQ(u.assoc("Teams").get()[0].id(), t.id());
  EXPECT_THROW(u.assoc("Teams").ids(), AssociationError);
  const auto junctionIds = u.assoc("UserTeams").ids();
  EXPECT_EQ(std::vector<Id>(junctionIds.begin(), junctionIds.end()), std::vector<Id>{1});
  store.checkIntegrity();
}

TEST_F(Rules, AKeySharedByAScopedAndAnUnscopedHasManyCascadesOverEveryRow) {
  users.hasMany(posts, {.as = "published", .scope = {{"status", "published"}}});
  users.hasMany(posts);  // shares Post.UserId
  Instance u = users.create({{"name", "u"}});
  Instance draft = u.assoc("Posts").create({{"status", "draft"}});
  Instance published = u.assoc("published").create({{"title", "p"}});
  u.destroy();  // SET NULL (the key allows null) on every post holding it
  EXPECT_TRUE(posts.findByPk(draft.id())->get("UserId").isNull());
  EXPECT_TRUE(posts.findByPk(published.id())->get("UserId").isNull());
  store.checkIntegrity();
}

TEST_F(Rules, OnUpdateCascadeRefusesToWriteNullIntoANotNullKey) {
  Model accounts = store.define("Account", {{.name = "handle", .unique = true}});
  Model notes = store.define("Note", {{.name = "ownerHandle", .allowNull = false}});
  accounts.hasMany(notes, {.foreignKey = "ownerHandle", .as = "notes", .sourceKey = "handle"});
  Instance a = accounts.create({{"handle", "ann"}});
  Instance n = a.assoc("notes").create({});
  try {
    a.update({{"handle", nullptr}});
    FAIL() << "no error";
  } catch (const ForeignKeyConstraintError& e) {
    EXPECT_STREQ(e.what(), "Cannot change the key of Account with handle \"ann\": ON UPDATE CASCADE writes null into "
                           "Note.ownerHandle, which cannot be null");
  }
  EXPECT_EQ(notes.findByPk(n.id())->get<std::string>("ownerHandle"), "ann");
  EXPECT_EQ(accounts.findByPk(a.id())->get<std::string>("handle"), "ann");
  store.checkIntegrity();
}

TEST_F(Rules, ACascadedKeyWriteIntoAUniqueColumnIsRefusedWithNothingChanged) {
  Model profiles = store.define("Profile", {{.name = "userId", .type = Type::Int, .unique = true, .defaultValue = Value(1)}});
  users.hasOne(profiles, {.foreignKey = "userId", .onDelete = Action::SetDefault});
  Instance u1 = users.create({{"name", "a"}});
  Instance u2 = users.create({{"name", "b"}});
  Instance p1 = profiles.create({{"userId", u1.id()}});
  Instance p2 = profiles.create({{"userId", u2.id()}});
  try {
    u2.destroy();  // SET DEFAULT would give p2 userId 1, which p1 holds
    FAIL() << "no error";
  } catch (const UniqueConstraintError& e) {
    EXPECT_STREQ(e.what(), "Profile.userId must be unique: value 1 is already taken");
  }
  EXPECT_TRUE(u2.exists());
  EXPECT_EQ(p2.get<std::int64_t>("userId"), u2.id());
  store.checkIntegrity();
  p1.destroy();  // the value is free now: the same destroy goes through
  u2.destroy();
  EXPECT_EQ(p2.get<std::int64_t>("userId"), 1);
  store.checkIntegrity();
}

TEST_F(Rules, SourceAndTargetKeysLinkThroughUniqueAttributes) {
  Model accounts = store.define("Account", {{.name = "handle", .unique = true}});
  Model notes = store.define("Note", {{.name = "text"}});
  accounts.hasMany(notes, {.foreignKey = "ownerHandle", .as = "notes", .sourceKey = "handle"});
  notes.belongsTo(accounts, {.foreignKey = "ownerHandle", .as = "owner", .targetKey = "handle"});
  Instance ann = accounts.create({{"handle", "ann"}});
  Instance n = ann.assoc("notes").create({{"text", "hi"}});
  EXPECT_EQ(n.get<std::string>("ownerHandle"), "ann");
  EXPECT_EQ(n.assoc("owner").getOne()->id(), ann.id());
  ann.update({{"handle", "anna"}});  // onUpdate CASCADE by default follows the key
  EXPECT_EQ(notes.findByPk(n.id())->get<std::string>("ownerHandle"), "anna");
  EXPECT_EQ(ann.assoc("notes").count(), 1u);
  EXPECT_THROW(notes.create({{"text", "x"}, {"ownerHandle", "nobody"}}), ForeignKeyConstraintError);
}

TEST_F(Rules, LinkingThroughANullKeyIsRefusedWithNothingWritten) {
  Model accounts = store.define("Account", {{.name = "handle", .unique = true}});
  Model notes = store.define("Note", {{.name = "text"}});
  Model tags = store.define("Tag", {{.name = "code", .unique = true}});
  accounts.hasMany(notes, {.foreignKey = "ownerHandle", .as = "notes", .sourceKey = "handle"});
  accounts.hasOne(notes, {.foreignKey = "pinnedBy", .as = "pinned", .sourceKey = "handle"});
  notes.belongsTo(accounts, {.foreignKey = "editorHandle", .as = "editor", .targetKey = "handle"});
  accounts.belongsToMany(tags, {.through = {"AccountTag"}, .as = "tags", .sourceKey = "handle", .targetKey = "code"});
  Instance anonymous = accounts.create({});  // no handle: nothing can link to it by handle
  Instance ann = accounts.create({{"handle", "ann"}});
  Instance n = ann.assoc("notes").create({{"text", "hi"}});
  Instance tagged = tags.create({{"code", "x"}});
  Instance uncoded = tags.create({});
  const auto expectRefused = [&](const std::function<void()>& call, const char* message) {
    try {
      call();
      ADD_FAILURE() << "no error for: " << message;
    } catch (const AssociationError& e) {
      EXPECT_STREQ(e.what(), message);
    }
  };
  const std::string nullHandle = "the source Account with id " + std::to_string(anonymous.id()) +
                                 " has a null handle (the sourceKey), so nothing can link to it";
  expectRefused([&] { anonymous.assoc("notes").add(n); }, ("Association Account.notes: " + nullHandle).c_str());
  expectRefused([&] { anonymous.assoc("notes").set(std::vector<Instance>{n}); },
                ("Association Account.notes: " + nullHandle).c_str());
  expectRefused([&] { anonymous.assoc("notes").create({{"text", "lost"}}); },
                ("Association Account.notes: " + nullHandle).c_str());
  expectRefused([&] { anonymous.assoc("pinned").set(n); }, ("Association Account.pinned: " + nullHandle).c_str());
  expectRefused([&] { anonymous.assoc("tags").add(tagged); }, ("Association Account.tags: " + nullHandle).c_str());
  expectRefused([&] { ann.assoc("tags").add(uncoded); },
                ("Association Account.tags: the target Tag with id " + std::to_string(uncoded.id()) +
                 " has a null code (the targetKey), so nothing can link to it")
                    .c_str());
  expectRefused([&] { n.assoc("editor").set(anonymous); },
                ("Association Note.editor: the target Account with id " + std::to_string(anonymous.id()) +
                 " has a null handle (the targetKey), so nothing can link to it")
                    .c_str());
  EXPECT_EQ(notes.findByPk(n.id())->get<std::string>("ownerHandle"), "ann");  // still ann's
  EXPECT_TRUE(notes.findByPk(n.id())->get("pinnedBy").isNull());
  EXPECT_TRUE(notes.findByPk(n.id())->get("editorHandle").isNull());
  EXPECT_EQ(notes.count(), 1u);
  EXPECT_EQ(store.model("AccountTag").count(), 0u);
  // Unlinking needs no key: set to nothing works on a source without one.
  anonymous.assoc("notes").set(std::vector<Instance>{});
  anonymous.assoc("pinned").set(std::nullopt);
  EXPECT_EQ(ann.assoc("notes").count(), 1u);
  store.checkIntegrity();
}

TEST_F(Rules, AModelUpdateMayNotMakeTwoJunctionRowsHoldOnePair) {
  Model grants = store.define("Grant", {{.name = "note"}});
  users.belongsToMany(roles, {.through = {.model = grants}});
  Instance ann = users.create({{"name", "ann"}});
  Instance bob = users.create({{"name", "bob"}});
  Instance admin = roles.create({{"label", "admin"}});
  ann.assoc("Roles").add(admin, {{"note", "a"}});
  bob.assoc("Roles").add(admin, {{"note", "b"}});
  // ann's row keeps its pair (UserId unchanged): bob's would repeat it.
  EXPECT_THROW(grants.update({{"UserId", ann.id()}, {"note", "x"}}, col("RoleId") == admin.id()),
               UniqueConstraintError);
  EXPECT_EQ(bob.assoc("Roles").count(), 1u);
  EXPECT_EQ(grants.count({.where = col("note") == "x"}), 0u);
  store.checkIntegrity();
}

TEST_F(Rules, AnUnscopedTargetHandleAtDefinitionIgnoresTheTargetsDefaultScope) {
  posts.setDefaultScope({.where = {{"status", "published"}}});
  users.hasMany(posts, {.as = "published"});
  users.hasMany(posts.unscoped(), {.as = "everything"});
  Instance u = users.create({{"name", "u"}});
  u.assoc("published").create({{"title", "a"}, {"status", "published"}});
  u.assoc("published").create({{"title", "b"}, {"status", "draft"}});
  EXPECT_EQ(u.assoc("published").count(), 1u);
  EXPECT_EQ(u.assoc("everything").count(), 2u);
  EXPECT_EQ(u.assoc("everything").get().size(), 2u);
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

TEST_F(Rules, HasOneGetReturnsOnlyTheFirstOfSeveralRowsHoldingTheKey) {
  Model mounts = store.define("Mount", {{.name = "label", .type = Type::Text}});
  users.hasOne(mounts, {.foreignKey = "ownerId"});
  Instance u = users.create({{"name", "u"}});
  Instance first = mounts.create({{"label", "first"}, {"ownerId", u.id()}});
  mounts.create({{"label", "second"}, {"ownerId", u.id()}});
  mounts.create({{"label", "third"}, {"ownerId", u.id()}});
  const std::vector<Instance> got = u.assoc("Mount").get();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id(), first.id());
  EXPECT_EQ(got[0].get<std::string>("label"), "first");
  EXPECT_EQ(u.assoc("Mount").getOne()->id(), first.id());
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
