// Snapshots: round trips, loading into the code's schema (migrations),
// semantic checks, asynchronous saves and progress.
#include <gtest/gtest.h>

#include <atomic>

#include "framing.h"
#include "payload_codec.h"
#include "snapshot_data.h"
#include "snapshot_test_support.h"

using namespace relstore;
using relstore::snaptest::dump;
using relstore::snaptest::TempDir;

namespace {

Store world() {
  Store s;
  snaptest::defineWorld(s);
  snaptest::fillWorld(s);
  return s;
}

Store emptyWorld() {
  Store s;
  snaptest::defineWorld(s);
  return s;
}

// A binary file for `data` as it stands (valid framing and checksum): the
// way to make semantically bad payloads the checksum cannot catch.
std::string fileOf(const detail::SnapshotData& data) {
  std::string file;
  detail::reserveBinaryHeader(file);
  detail::encodePayload(data, SnapshotFormat::Binary, file);
  detail::finishBinaryFile(file);
  return file;
}

// `store` as a load sees it: every column owned, one per attribute, editable.
detail::SnapshotData decoded(const Store& store) {
  std::string payload;
  detail::encodePayload(detail::describe(store.impl(), false), SnapshotFormat::Binary, payload);
  return detail::decodePayload(std::span<const char>(payload.data(), payload.size()), SnapshotFormat::Binary,
                               detail::kFormatVersion, {});
}

TEST(SnapshotRoundTrip, BinaryLoadIntoTheSameSchemaGivesAnEqualStore) {
  TempDir dir;
  Store original = world();
  saveSnapshot(original, dir / "w.snap");
  Store loaded = emptyWorld();
  const LoadReport report = loadSnapshot(loaded, dir / "w.snap");
  EXPECT_EQ(dump(loaded), dump(original));
  EXPECT_EQ(report.rows, 7u + 4u + 1u + 2u + 3u + 2u + 1u + 3u);
  EXPECT_TRUE(report.addedAttributes.empty());
  loaded.checkIntegrity();
}

// Destroys in the middle of tables leave free slots; a snapshot holds the
// live rows only, and the loaded tables have none.
TEST(SnapshotRoundTrip, TablesWithFreeSlotsSaveTheirLiveRowsInEveryFormatAndMode) {
  TempDir dir;
  Store original = world();
  original.model("User").findByPk(2)->destroy();  // its posts and grants go too
  original.model("Role").findByPk(1)->destroy();
  ASSERT_TRUE(original.impl().model(original.model("User").index()).table().hasFreeSlots());
  const std::uint32_t users = static_cast<std::uint32_t>(original.model("User").count());
  saveSnapshot(original, dir / "b.snap");
  saveSnapshot(original, dir / "j.snap", {.format = SnapshotFormat::Json});
  saveSnapshotAsync(original, dir / "a.snap").get();
  for (const char* name : {"b.snap", "j.snap", "a.snap"}) {
    Store loaded = emptyWorld();
    loadSnapshot(loaded, dir / name);
    EXPECT_EQ(dump(loaded), dump(original)) << name;
    const detail::Table& t = loaded.impl().model(loaded.model("User").index()).table();
    EXPECT_FALSE(t.hasFreeSlots()) << name;
    EXPECT_EQ(t.slotCount(), users) << name;
    loaded.checkIntegrity();
  }
}

TEST(SnapshotRoundTrip, JsonLoadIntoTheSameSchemaGivesAnEqualStore) {
  TempDir dir;
  Store original = world();
  saveSnapshot(original, dir / "w.json", {.format = SnapshotFormat::Json});
  Store loaded = emptyWorld();
  loadSnapshot(loaded, dir / "w.json");
  EXPECT_EQ(dump(loaded), dump(original));
  loaded.checkIntegrity();
}

TEST(SnapshotRoundTrip, JsonFileIsReadableTextWithTheHeaderLineFirst) {
  TempDir dir;
  Store original = world();
  saveSnapshot(original, dir / "w.json", {.format = SnapshotFormat::Json});
  const std::string text = snaptest::readBytes(dir / "w.json");
  EXPECT_TRUE(text.starts_with("relstore-snapshot version=" + std::to_string(detail::kFormatVersion) +
                              " endianness=little encoding=json flags=0 length="));
  EXPECT_NE(text.find("\"name\": \"User\""), std::string::npos);
  EXPECT_NE(text.find("\"zo\xc3\xab \xe6\x97\xa5\xe6\x9c\xac\""), std::string::npos);  // UTF-8 kept as is
  EXPECT_NE(text.find("\"\\u001Bhex:6e756c0062797465\""), std::string::npos);         // NUL: hex
  EXPECT_EQ(text.find('\0'), std::string::npos);
}

TEST(SnapshotRoundTrip, SaveLoadSaveGivesIdenticalBytesInBothFormats) {
  for (SnapshotFormat format : {SnapshotFormat::Binary, SnapshotFormat::Json}) {
    TempDir dir;
    Store original = world();
    saveSnapshot(original, dir / "a", {.format = format});
    Store loaded = emptyWorld();
    loadSnapshot(loaded, dir / "a");
    saveSnapshot(loaded, dir / "b", {.format = format});
    EXPECT_EQ(snaptest::readBytes(dir / "a"), snaptest::readBytes(dir / "b"));
    Store opened = openSnapshot(dir / "a");
    saveSnapshot(opened, dir / "c", {.format = format});
    EXPECT_EQ(snaptest::readBytes(dir / "a"), snaptest::readBytes(dir / "c"));
  }
}

TEST(SnapshotRoundTrip, JsonAndBinaryLoadToEqualStores) {
  TempDir dir;
  Store original = world();
  saveSnapshot(original, dir / "b");
  saveSnapshot(original, dir / "j", {.format = SnapshotFormat::Json});
  Store fromBinary = openSnapshot(dir / "b");
  Store fromJson = openSnapshot(dir / "j");
  EXPECT_EQ(dump(fromBinary), dump(fromJson));
  EXPECT_EQ(dump(fromBinary), dump(original));
}

TEST(SnapshotRoundTrip, EmptyStoreAndEmptyModelsRoundTrip) {
  TempDir dir;
  Store empty;
  saveSnapshot(empty, dir / "e");
  EXPECT_EQ(dump(openSnapshot(dir / "e")), "");
  Store schemaOnly = emptyWorld();
  saveSnapshot(schemaOnly, dir / "s", {.format = SnapshotFormat::Json});
  EXPECT_EQ(dump(openSnapshot(dir / "s")), dump(schemaOnly));
}

TEST(SnapshotRoundTrip, ValuesSurviveExactly) {
  TempDir dir;
  Store original = world();
  for (SnapshotFormat format : {SnapshotFormat::Binary, SnapshotFormat::Json}) {
    saveSnapshot(original, dir / "w", {.format = format});
    Store s = openSnapshot(dir / "w");
    Model users = s.model("User");
    EXPECT_EQ(users.findByPk(1)->get<std::int64_t>("gold"), std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(users.findByPk(2)->get<std::int64_t>("gold"), std::numeric_limits<std::int64_t>::min());
    EXPECT_TRUE(std::isnan(users.findByPk(2)->get<double>("ratio")));
    EXPECT_TRUE(users.findByPk(2)->get("bio").isNull());
    EXPECT_EQ(users.findByPk(3)->get<std::string>("name"), std::string("nul\0byte", 8));
    EXPECT_EQ(users.findByPk(4)->get<std::string>("name"), "\xff\xfe not utf-8 \xc3");
    EXPECT_EQ(users.findByPk(5)->get<std::string>("name"), "\x1bhex:41");
    EXPECT_TRUE(std::signbit(users.findByPk(5)->get<double>("ratio")));
    EXPECT_EQ(users.findByPk(5)->get<std::string>("bio").size(), 4000000u);
    EXPECT_EQ(users.findByPk(6)->get<double>("ratio"), 1e-310);
    EXPECT_EQ(users.findByPk(7)->get<double>("ratio"), 123456789.123456789);
    EXPECT_EQ(users.findByPk(1)->get<double>("ratio"), 0.1);
  }
}

TEST(SnapshotOpen, OpenedStoreHasTheFileSchemaAndWorkingAssociations) {
  TempDir dir;
  Store original = world();
  saveSnapshot(original, dir / "w");
  Store s = openSnapshot(dir / "w");
  EXPECT_EQ(s.toDot(), original.toDot());
  Instance ann = *s.model("User").findByPk(1);
  EXPECT_EQ(ann.assoc("Posts").count(), 1u);
  EXPECT_EQ(ann.assoc("Roles").count(), 2u);
  EXPECT_EQ(ann.assoc("Roles").get()[0].through()->get<std::int64_t>("since"), 2020);
  EXPECT_EQ(s.model("Employee").findByPk(2)->assoc("mentors").get()[0].get<std::string>("name"), "boss");
  // Indices are live: a duplicate junction pair and a dangling key are refused, a cascade runs.
  EXPECT_THROW(s.model("Grant").create({{"UserId", 1}, {"RoleId", 1}}), UniqueConstraintError);
  EXPECT_THROW(s.model("Post").create({{"UserId", 999}}), ForeignKeyConstraintError);
  ann.destroy();
  EXPECT_EQ(s.model("Post").count({.where = {{"UserId", 1}}}), 0u);
  // Ids continue after the counter, not after the largest id.
  EXPECT_EQ(s.model("User").create({{"name", "new"}}).id(), 9);
  s.checkIntegrity();
}

// Whether an alias was given is part of the schema (format version 2): an
// alias given equal to the default one still has to be named by includes
// of the opened store, and one left out is still found by model.
TEST(SnapshotOpen, AnAliasGivenEqualToTheDefaultStaysGivenInBothFormats) {
  TempDir dir;
  Store original;
  Model users = original.define("User", {{.name = "name"}});
  Model posts = original.define("Post", {{.name = "title"}});
  Model profiles = original.define("Profile", {{.name = "motto"}});
  users.hasMany(posts, {.as = "Posts"});
  users.hasOne(profiles);
  users.create({{"name", "ann"}}).assoc("Posts").create({{"title", "p1"}});
  saveSnapshot(original, dir / "b");
  saveSnapshot(original, dir / "j", {.format = SnapshotFormat::Json});
  for (const char* name : {"b", "j"}) {
    Store s = openSnapshot(dir / name);
    EXPECT_EQ(dump(s), dump(original)) << name;
    EXPECT_THROW(s.model("User").findAll({.include = {{.model = "Post"}}}), EagerLoadingError) << name;
    const auto found = s.model("User").findAll({.include = {{.as = "Posts"}, {.model = "Profile"}}});
    ASSERT_EQ(found.size(), 1u) << name;
    EXPECT_EQ(found[0].included("Posts").size(), 1u) << name;
    EXPECT_FALSE(found[0].includedOne("Profile").has_value()) << name;
  }
}

TEST(SnapshotLoad, HandlesAndHooksStayValidAndHooksDoNotRun) {
  TempDir dir;
  Store original = world();
  saveSnapshot(original, dir / "w");
  Store live = emptyWorld();
  Model users = live.model("User");
  Model rich = users.unscoped();
  int hookCalls = 0;
  users.addHook(Hook::BeforeCreate, [&](Instance&) { ++hookCalls; });
  users.addHook(Hook::AfterCreate, [&](Instance&) { ++hookCalls; });
  Instance before = users.create({{"name", "replaced"}});
  hookCalls = 0;
  loadSnapshot(live, dir / "w");
  EXPECT_EQ(hookCalls, 0);
  EXPECT_EQ(users.count(), 7u);
  EXPECT_EQ(rich.count(), 7u);
  EXPECT_EQ(before.get<std::string>("name"), "Ann");  // id 1 now names the loaded row
  users.create({{"name", "after"}});
  EXPECT_EQ(hookCalls, 2);
}

TEST(SnapshotLoad, HandlesMadeByQueriesReadTheLoadedRowOfTheirIdWhereverItsSlotIs) {
  TempDir dir;
  Store file;
  Model fileUsers = file.define("User", {{.name = "name"}});
  fileUsers.create({{"id", 2}, {"name", "two"}});
  fileUsers.create({{"id", 1}, {"name", "one"}});  // slot 1 in the loaded table
  saveSnapshot(file, dir / "f");
  Store live;
  Model users = live.define("User", {{.name = "name"}});
  users.create({{"name", "old one"}});  // id 1, slot 0
  users.create({{"name", "old two"}});
  Instance one = users.findAll({.where = col("name") == "old one"}).at(0);
  Instance two = *users.findByPk(2);
  loadSnapshot(live, dir / "f");
  EXPECT_EQ(one.get<std::string>("name"), "one");
  EXPECT_EQ(two.get("name").as<std::string>(), "two");
  // Handles made after the load read the loaded table's cells in place
  // (get<std::string>'s inline path follows the model to its new table).
  const std::vector<Instance> loaded = users.findAll();
  ASSERT_EQ(loaded.size(), 2u);
  for (const Instance& u : loaded) EXPECT_EQ(u.get<std::string>("name"), u.id() == 1 ? "one" : "two");
}

TEST(SnapshotLoad, ModelsTheFileLacksComeUpEmpty) {
  TempDir dir;
  Store small;
  small.define("User", {{.name = "name"}});
  small.model("User").create({{"name", "only"}});
  saveSnapshot(small, dir / "s");
  Store live;
  live.define("User", {{.name = "name"}});
  Model items = live.define("Item", {{.name = "label"}});
  items.create({{"label", "stale"}});
  loadSnapshot(live, dir / "s");
  EXPECT_EQ(items.count(), 0u);
  EXPECT_EQ(items.create({{"label", "x"}}).id(), 1);
  EXPECT_EQ(live.model("User").count(), 1u);
}

TEST(SnapshotMigration, AddedAttributesGetTheirDefaultOrNull) {
  TempDir dir;
  Store old;
  old.define("User", {{.name = "name"}}).create({{"name", "Ann"}});
  saveSnapshot(old, dir / "s");
  Store live;
  Model users = live.define("User", {{.name = "name"},
                                     {.name = "level", .type = Type::Int, .allowNull = false, .defaultValue = Value(1)},
                                     {.name = "title"}});
  const LoadReport report = loadSnapshot(live, dir / "s");
  EXPECT_EQ(report.addedAttributes, (std::vector<std::string>{"User.level", "User.title"}));
  EXPECT_EQ(users.findByPk(1)->get<std::int64_t>("level"), 1);
  EXPECT_TRUE(users.findByPk(1)->get("title").isNull());
}

TEST(SnapshotMigration, AddedNotNullAttributeWithoutDefaultRefusesAndChangesNothing) {
  TempDir dir;
  Store old;
  old.define("User", {{.name = "name"}}).create({{"name", "Ann"}});
  saveSnapshot(old, dir / "s");
  Store live;
  Model users = live.define("User", {{.name = "name"}, {.name = "level", .type = Type::Int, .allowNull = false}});
  users.create({{"name", "kept"}, {"level", 3}});
  const std::string before = dump(live);
  try {
    loadSnapshot(live, dir / "s");
    FAIL() << "expected SnapshotError";
  } catch (const SnapshotError& e) {
    EXPECT_NE(std::string(e.what()).find("User.level is NOT NULL without a default"), std::string::npos) << e.what();
  }
  EXPECT_EQ(dump(live), before);
}

TEST(SnapshotMigration, DroppedAttributesAndModelsNeedAllowDropAndAreReported) {
  TempDir dir;
  Store old;
  old.define("User", {{.name = "name"}, {.name = "legacy"}}).create({{"name", "Ann"}, {"legacy", "x"}});
  old.define("Obsolete", {{.name = "x"}});
  saveSnapshot(old, dir / "s");
  Store live;
  Model users = live.define("User", {{.name = "name"}});
  try {
    loadSnapshot(live, dir / "s");
    FAIL() << "expected SnapshotError";
  } catch (const SnapshotError& e) {
    EXPECT_NE(std::string(e.what()).find("model Obsolete"), std::string::npos) << e.what();
  }
  live.define("Obsolete", {{.name = "x"}});
  try {
    loadSnapshot(live, dir / "s");
    FAIL() << "expected SnapshotError";
  } catch (const SnapshotError& e) {
    EXPECT_NE(std::string(e.what()).find("User.legacy"), std::string::npos) << e.what();
  }
  EXPECT_EQ(users.count(), 0u);
  Store dropping;
  Model u2 = dropping.define("User", {{.name = "name"}});
  const LoadReport report = loadSnapshot(dropping, dir / "s", {.allowDrop = true});
  EXPECT_EQ(report.droppedAttributes, (std::vector<std::string>{"User.legacy"}));
  EXPECT_EQ(report.droppedModels, (std::vector<std::string>{"Obsolete"}));
  EXPECT_EQ(u2.findByPk(1)->get<std::string>("name"), "Ann");
}

TEST(SnapshotMigration, IntWidensToRealOtherTypeChangesRefuse) {
  TempDir dir;
  Store old;
  old.define("User", {{.name = "score", .type = Type::Int}, {.name = "flag", .type = Type::Bool}})
      .create({{"score", 7}, {"flag", true}});
  saveSnapshot(old, dir / "s");
  Store widened;
  Model u = widened.define("User", {{.name = "score", .type = Type::Real}, {.name = "flag", .type = Type::Bool}});
  loadSnapshot(widened, dir / "s");
  EXPECT_EQ(u.findByPk(1)->get<double>("score"), 7.0);
  Store changed;
  changed.define("User", {{.name = "score", .type = Type::Int}, {.name = "flag", .type = Type::Text}});
  try {
    loadSnapshot(changed, dir / "s");
    FAIL() << "expected SnapshotError";
  } catch (const SnapshotError& e) {
    EXPECT_NE(std::string(e.what()).find("User.flag was Bool in the snapshot and is Text"), std::string::npos)
        << e.what();
  }
}

TEST(SnapshotMigration, NotNullInTheCodeRefusesNullsInTheFile) {
  TempDir dir;
  Store old;
  old.define("User", {{.name = "name"}}).create({{"name", Value()}});
  saveSnapshot(old, dir / "s");
  Store live;
  live.define("User", {{.name = "name", .allowNull = false}});
  EXPECT_THROW(loadSnapshot(live, dir / "s"), SnapshotError);
}

class SemanticallyBad : public ::testing::Test {
 protected:
  TempDir dir;
  Store original = world();
  detail::SnapshotData data = decoded(original);
  Store live = world();
  std::string before = dump(live);

  detail::ModelData& model(const std::string& name) {
    for (auto& m : data.models) {
      if (m.name == name) return m;
    }
    throw std::logic_error(name);
  }
  std::string column(detail::ModelData& m, const std::string& attribute) {
    for (std::size_t a = 0; a < m.attributes.size(); ++a) {
      if (m.attributes[a].name == attribute) return std::to_string(a);
    }
    throw std::logic_error(attribute);
  }
  void setInt(const std::string& modelName, const std::string& attribute, std::uint32_t row, Value v) {
    detail::ModelData& m = model(modelName);
    m.owned[std::stoul(column(m, attribute))].set(row, v);
  }
  // Loading the doctored file fails with `message` and changes nothing.
  void expectRefused(const std::string& message) {
    snaptest::writeBytes(dir / "bad", fileOf(data));
    for (int open = 0; open < 2; ++open) {
      try {
        if (open) openSnapshot(dir / "bad"); else loadSnapshot(live, dir / "bad");
        ADD_FAILURE() << "expected SnapshotError containing " << message;
      } catch (const SnapshotError& e) {
        EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
      }
    }
    EXPECT_EQ(dump(live), before);
    live.checkIntegrity();
  }
};

TEST_F(SemanticallyBad, DanglingForeignKeyIsRefused) {
  setInt("Post", "UserId", 0, Value(77));
  expectRefused("dangling key: Post.UserId = 77");
}

TEST_F(SemanticallyBad, DanglingJunctionKeyIsRefused) {
  setInt("Grant", "RoleId", 0, Value(42));
  expectRefused("dangling key: Grant.RoleId = 42");
}

TEST_F(SemanticallyBad, DuplicatePrimaryKeyIsRefused) {
  setInt("User", "id", 1, Value(1));
  expectRefused("User.id = 1 appears twice (duplicate primary key)");
}

TEST_F(SemanticallyBad, DuplicateUniqueValueIsRefused) {
  detail::ModelData& users = model("User");
  users.owned[1].set(0, Value("Ann"));
  users.owned[1].set(1, Value("Ann"));
  expectRefused("User.name = \"Ann\" appears twice (unique)");
}

TEST_F(SemanticallyBad, DuplicateJunctionPairIsRefused) {
  detail::ModelData& grants = model("Grant");
  for (auto& c : grants.owned) c.set(1, c.get(0));
  grants.owned[0].set(1, Value(2));  // keep the primary keys apart (row 1 keeps its id)
  expectRefused("appears twice");
}

TEST_F(SemanticallyBad, CounterBelowTheLargestIdIsRefused) {
  model("User").idCounter = 3;
  expectRefused("User: id counter 3 is below id 4");
}

TEST_F(SemanticallyBad, UnknownPrimaryKeyMarkIsRefusedByOpen) {
  model("Post").attributes[1].primaryKey = true;
  snaptest::writeBytes(dir / "bad", fileOf(data));
  EXPECT_THROW(openSnapshot(dir / "bad"), SnapshotError);
}

TEST(SnapshotAsync, CapturesThePointInTimeAndTheCallerMayWriteAtOnce) {
  TempDir dir;
  Store store = world();
  const std::string atCall = dump(store);
  std::future<void> pending = saveSnapshotAsync(store, dir / "a");
  store.model("User").create({{"name", "later"}});
  store.model("Post").destroy(col("id") == 1);
  pending.get();
  EXPECT_EQ(dump(openSnapshot(dir / "a")), atCall);
}

// Columns long enough to span many copy-on-write chunks of every type; the
// caller then writes everywhere (updates, removals that move rows across
// chunks, appends into new chunks) while the worker writes the file.
TEST(SnapshotAsync, WritesAfterTheCaptureNeverReachTheFileAcrossManyChunks) {
  TempDir dir;
  Store store;
  Model things = store.define("Thing", {{.name = "n", .type = Type::Int},
                                        {.name = "x", .type = Type::Real},
                                        {.name = "on", .type = Type::Bool},
                                        {.name = "label", .type = Type::Text}});
  std::vector<Record> rows;
  for (int i = 0; i < 150000; ++i) {
    rows.push_back({{"n", i}, {"x", i * 0.5}, {"on", i % 3 == 0}, {"label", "label " + std::to_string(i)}});
  }
  things.bulkCreate(rows);
  const std::string atCall = dump(store);
  std::future<void> pending = saveSnapshotAsync(store, dir / "a");
  for (int i = 1; i <= 150000; i += 997) {
    things.findByPk(i)->update({{"n", -i}, {"x", -1.0}, {"on", false}, {"label", "changed"}});
  }
  things.destroy(col("n") < 20000);
  for (int i = 0; i < 70000; ++i) things.create({{"n", i}, {"label", "new"}});
  pending.get();
  EXPECT_EQ(dump(openSnapshot(dir / "a")), atCall);
  store.checkIntegrity();
  std::size_t updatedAbove = 0;  // updated rows not already among the first 20000 (n = id - 1 < 20000)
  for (int i = 1; i <= 150000; i += 997) updatedAbove += i > 20000;
  EXPECT_EQ(things.count(), 150000u - 20000u - updatedAbove + 70000u);
}

TEST(SnapshotAsync, FailureSurfacesThroughTheFuture) {
  Store store = world();
  std::future<void> pending = saveSnapshotAsync(store, "/nonexistent-folder/x/y.snap");
  EXPECT_THROW(pending.get(), SnapshotError);
}

TEST(SnapshotProgress, SaveAndLoadReportMonotonicProgressEndingAtTheTotal) {
  TempDir dir;
  Store store = world();
  for (SnapshotFormat format : {SnapshotFormat::Binary, SnapshotFormat::Json}) {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
    SnapshotOptions options{.format = format, .progress = [&](std::uint64_t d, std::uint64_t t) { calls.emplace_back(d, t); }};
    saveSnapshot(store, dir / "p", options);
    ASSERT_FALSE(calls.empty());
    EXPECT_EQ(calls.back().first, calls.back().second);
    EXPECT_EQ(calls.back().second, std::filesystem::file_size(dir / "p"));
    calls.clear();
    Store loaded = emptyWorld();
    loadSnapshot(loaded, dir / "p", options);
    ASSERT_FALSE(calls.empty());
    for (std::size_t i = 1; i < calls.size(); ++i) EXPECT_LE(calls[i - 1].first, calls[i].first);
    EXPECT_EQ(calls.back().first, calls.back().second);
  }
}

TEST(SnapshotFiles, MissingFileIsASnapshotErrorNamingIt) {
  Store store;
  try {
    loadSnapshot(store, "/nonexistent/world.snap");
    FAIL();
  } catch (const SnapshotError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/world.snap"), std::string::npos);
  }
}

}  // namespace

namespace {

TEST(SnapshotTransactions, SnapshotsAreRefusedWhileATransactionIsOpen) {
  snaptest::TempDir dir;
  Store store = world();
  saveSnapshot(store, dir / "before");
  store.transaction([&] {
    store.model("User").create({{"name", "uncommitted"}});
    for (auto attempt : {0, 1, 2}) {
      try {
        if (attempt == 0) saveSnapshot(store, dir / "during");
        if (attempt == 1) saveSnapshotAsync(store, dir / "during").get();
        if (attempt == 2) loadSnapshot(store, dir / "before");
        ADD_FAILURE() << "attempt " << attempt << " was not refused";
      } catch (const SnapshotError& e) {
        EXPECT_NE(std::string(e.what()).find("a transaction is open"), std::string::npos) << e.what();
      }
    }
  });
  EXPECT_FALSE(std::filesystem::exists(dir / "during"));
  saveSnapshot(store, dir / "after");  // committed: fine
  EXPECT_EQ(openSnapshot(dir / "after").model("User").count(), 8u);
}

// A load replaces every table: not under a write whose hook is running
// (the write holds row slots). A save from an after-hook sees the write done.
TEST(SnapshotTransactions, ALoadIsRefusedWhileAHookRunsAndASaveIsNot) {
  snaptest::TempDir dir;
  Store store = world();
  saveSnapshot(store, dir / "before");
  Model users = store.model("User");
  users.addHook(Hook::AfterCreate, [&](Instance&) {
    saveSnapshot(store, dir / "from-hook");
    loadSnapshot(store, dir / "before");
  });
  try {
    users.create({{"name", "hooked"}});
    FAIL() << "no error";
  } catch (const SnapshotError& e) {
    EXPECT_NE(std::string(e.what()).find("refused: a hook or validator is running"), std::string::npos) << e.what();
  }
  EXPECT_EQ(users.count(), 8u);  // the create stands (an after-hook threw)
  EXPECT_EQ(openSnapshot(dir / "from-hook").model("User").count(), 8u);
}

}  // namespace

namespace {

// A junction keyed by a unique Text attribute of the source (not its id).
TEST(SnapshotRoundTrip, ABelongsToManyThroughATextKeyRoundTrips) {
  snaptest::TempDir dir;
  Store store;
  Model users = store.define("User", {{.name = "code", .allowNull = false, .unique = true}});
  Model roles = store.define("Role", {{.name = "label"}});
  users.belongsToMany(roles, {.through = {"UserRoles"}, .sourceKey = "code"});
  Instance ann = users.create({{"code", "ann"}});
  Instance admin = roles.create({{"label", "admin"}});
  ann.assoc("Roles").add(admin);
  EXPECT_EQ(ann.assoc("Roles").count(), 1u);
  EXPECT_EQ(store.model("UserRoles").findAll()[0].get<std::string>("UserId"), "ann");  // the key holds the code
  store.checkIntegrity();
  saveSnapshot(store, dir / "t");
  Store opened = openSnapshot(dir / "t");
  opened.checkIntegrity();
  EXPECT_EQ(opened.model("User").findByPk(1)->assoc("Roles").get()[0].get<std::string>("label"), "admin");
}

}  // namespace

namespace {
// Sequelize's super many-to-many: User.hasMany(Grant) first, then
// User.belongsToMany(Role) through Grant, sharing Grant.UserId.
struct SuperManyToMany {
  Store store;
  Model users = store.define("User", {{.name = "name"}});
  Model roles = store.define("Role", {{.name = "label"}});
  Model grants = store.define("Grant", {{.name = "note"}});
  SuperManyToMany() {
    users.hasMany(grants);
    users.belongsToMany(roles, {.through = {.model = grants}});
  }
};
}  // namespace

// A junction key a hasMany made first carries the hasMany's payload; an
// opened snapshot rebuilds the indices in definition order and reads as the
// saved store did.
TEST(SnapshotSchema, OpenSnapshotRebuildsASharedJunctionKeyAsItsFirstAssociationMadeIt) {
  TempDir dir;
  SuperManyToMany w;
  Store& store = w.store;
  Model& users = w.users;
  Model& roles = w.roles;
  Instance u = users.create({{"name", "u"}});
  u.assoc("Roles").add(roles.create({{"label", "r"}}));
  const std::vector<Id> grantIds(users.association("Grants").ids(u.id()).begin(),
                                 users.association("Grants").ids(u.id()).end());
  ASSERT_EQ(grantIds.size(), 1u);
  saveSnapshot(store, dir / "w.snap");
  Store opened = openSnapshot(dir / "w.snap");
  const auto ids = opened.model("User").association("Grants").ids(u.id());
  EXPECT_EQ(std::vector<Id>(ids.begin(), ids.end()), grantIds);
  EXPECT_THROW(opened.model("User").association("Roles").ids(u.id()), AssociationError);  // as in the saved store
  EXPECT_THROW(users.association("Roles").ids(u.id()), AssociationError);
  opened.checkIntegrity();
}

// With constraints on, a scoped hasMany's cascades reach every row holding
// the key (a row outside the scope would dangle otherwise, and the store
// could not be loaded back); the scope narrows them only without
// constraints (polymorphic keys).
TEST(SnapshotSchema, AScopedKeyWithConstraintsLeavesNoDanglingRowsAndLoadsBack) {
  TempDir dir;
  const auto define = [](Store& s) {
    Model users = s.define("User", {});
    Model posts = s.define("Post", {{.name = "status"}});
    users.hasMany(posts, {.as = "drafts", .scope = {{"status", "draft"}}});
    posts.belongsTo(users);
  };
  Store store;
  define(store);
  Instance u = store.model("User").create({});
  Instance published = store.model("Post").create({{"UserId", u.id()}, {"status", "pub"}});
  u.destroy();
  EXPECT_TRUE(published.get("UserId").isNull());  // SET NULL reached it
  saveSnapshot(store, dir / "w.snap");
  Store loaded;
  define(loaded);
  loadSnapshot(loaded, dir / "w.snap");
  EXPECT_EQ(loaded.model("Post").count(), 1u);
}

// A paired belongsToMany that names the junction key renames the column: every
// association over it (a hasMany sharing it too) names the new column, and
// the store's snapshot opens.
TEST(SnapshotSchema, AJunctionKeyRenamedByThePairedSideIsRenamedForEveryAssociationOverIt) {
  TempDir dir;
  SuperManyToMany w;
  Store& store = w.store;
  Model& users = w.users;
  w.roles.belongsToMany(users, {.through = {.model = w.grants}, .otherKey = "MemberId"});
  EXPECT_EQ(users.association("Grants").foreignKey(), "MemberId");
  EXPECT_EQ(users.association("Roles").foreignKey(), "MemberId");
  saveSnapshot(store, dir / "w.snap");
  Store opened = openSnapshot(dir / "w.snap");
  EXPECT_EQ(opened.model("User").association("Grants").foreignKey(), "MemberId");
}
