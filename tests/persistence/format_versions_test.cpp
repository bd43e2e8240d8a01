// Every format version ever written stays loadable: one fixture file per
// version (binary and JSON) is checked in under fixtures/, made from the
// world below by the build of that version. When the format changes, bump
// kFormatVersion, keep the old fixtures and their expectations, and add the
// new version's files (RELSTORE_WRITE_FIXTURES=1 writes them).
#include <gtest/gtest.h>

#include <cstdlib>

#include "framing.h"
#include "snapshot_test_support.h"

using namespace relstore;

namespace {

const std::filesystem::path kFixtures = std::filesystem::path(RELSTORE_TEST_SOURCE_DIR) / "persistence" / "fixtures";

// The world of every version's fixtures (named for the first). Never change
// it: the files hold it.
void defineV1(Store& store) {
  Model users = store.define("User", {{.name = "name", .allowNull = false, .unique = true},
                                      {.name = "gold", .type = Type::Int, .defaultValue = Value(10)},
                                      {.name = "ratio", .type = Type::Real},
                                      {.name = "active", .type = Type::Bool}});
  Model posts = store.define("Post", {{.name = "title"}});
  Model roles = store.define("Role", {{.name = "label"}});
  users.hasMany(posts, {.onDelete = Action::Cascade});
  posts.belongsTo(users);
  users.belongsToMany(roles, {.through = {"UserRoles"}});
  roles.belongsToMany(users, {.through = {"UserRoles"}});
}

void fillV1(Store& store) {
  Model users = store.model("User");
  Instance ann = users.create({{"name", "Ann"}, {"ratio", 0.25}, {"active", true}});
  Instance bob = users.create({{"name", "Bob"}, {"gold", Value()}, {"ratio", -1e300}, {"active", false}});
  users.create({{"name", "gone"}}).destroy();
  ann.assoc("Posts").create({{"title", "first"}});
  ann.assoc("Posts").create({{"title", std::string("nul\0", 4)}});
  bob.assoc("Roles").add(store.model("Role").create({{"label", "admin"}}));
}

std::string expectedV1() {
  Store s;
  defineV1(s);
  fillV1(s);
  return snaptest::dump(s);
}

// Every version's files hold the same world (version 2 added a flag per
// association that this world leaves false).
TEST(FormatVersions, EveryVersionsFilesOpenAndLoadIntoTheCodesSchema) {
  for (const char* name : {"v1.relsnap", "v1.json.relsnap", "v2.relsnap", "v2.json.relsnap"}) {
    ASSERT_TRUE(std::filesystem::exists(kFixtures / name)) << name;
    EXPECT_EQ(snaptest::dump(openSnapshot(kFixtures / name)), expectedV1()) << name;
    Store live;
    defineV1(live);
    loadSnapshot(live, kFixtures / name);
    EXPECT_EQ(snaptest::dump(live), expectedV1()) << name;
    live.checkIntegrity();
  }
}

// Version 1 kept no `aliased` flag: opening infers it (the world's aliases
// are the default ones, so includes by model find them).
TEST(FormatVersions, Version1AssociationsWithDefaultAliasesAreFoundByModel) {
  for (const char* name : {"v1.relsnap", "v1.json.relsnap"}) {
    Store s = openSnapshot(kFixtures / name);
    for (std::uint32_t i = 0; i < s.impl().associationCount(); ++i) EXPECT_FALSE(s.impl().association(i).aliased) << name;
    const auto users = s.model("User").findAll({.include = {{.model = "Post"}, {.model = "Role"}}});
    ASSERT_EQ(users.size(), 2u) << name;
    EXPECT_EQ(users[0].included("Posts").size(), 2u) << name;
    EXPECT_EQ(users[1].included("Roles").size(), 1u) << name;
  }
}

TEST(FormatVersions, TheCurrentVersionWritesTheFixtureBytesExactly) {
  Store s;
  defineV1(s);
  fillV1(s);
  snaptest::TempDir dir;
  saveSnapshot(s, dir / "now");
  saveSnapshot(s, dir / "now.json", {.format = SnapshotFormat::Json});
  const std::string v = std::to_string(detail::kFormatVersion);
  if (std::getenv("RELSTORE_WRITE_FIXTURES")) {  // a new version's files: write them instead of comparing
    std::filesystem::copy_file(dir / "now", kFixtures / ("v" + v + ".relsnap"),
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(dir / "now.json", kFixtures / ("v" + v + ".json.relsnap"),
                               std::filesystem::copy_options::overwrite_existing);
  }
  EXPECT_EQ(snaptest::readBytes(dir / "now"), snaptest::readBytes(kFixtures / ("v" + v + ".relsnap")));
  EXPECT_EQ(snaptest::readBytes(dir / "now.json"), snaptest::readBytes(kFixtures / ("v" + v + ".json.relsnap")));
}

}  // namespace
