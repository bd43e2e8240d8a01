// Bad files: every one must end in a SnapshotError that says what is wrong,
// with the live store unchanged and memory bounded — never a crash, an
// abort or a huge allocation.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <random>

#include <sys/resource.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "file_io.h"
#include "framing.h"
#include "payload_codec.h"
#include "snapshot_bytes.h"
#include "snapshot_data.h"
#include "snapshot_test_support.h"

using namespace relstore;
using snaptest::dump;

namespace {

std::uint64_t maxRssKiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss);
}

void putLe(std::string& bytes, std::size_t at, std::uint64_t v, int width) {
  for (int i = 0; i < width; ++i) bytes[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
}

// Recomputes the checksum of a binary file after its header or payload was edited.
void reseal(std::string& file) {
  const std::size_t body = file.size() - detail::kChecksumBytes;
  putLe(file, body, XXH3_64bits(file.data(), body), 8);
}

class Corruption : public ::testing::Test {
 protected:
  Corruption() {
    snaptest::defineWorld(source);
    Model users = source.model("User");
    Instance ann = users.create({{"name", "Ann"}, {"ratio", 0.5}, {"bio", std::string("a\0b", 3)}});
    users.create({{"name", "Bob"}, {"active", false}});
    ann.assoc("Posts").create({{"title", "hello"}});
    ann.assoc("Roles").add(source.model("Role").create({{"label", "admin"}}), {{"since", 1}});
    data = detail::describe(source.impl(), false);
    detail::reserveBinaryHeader(binary);
    detail::encodePayload(data, SnapshotFormat::Binary, binary, &countOffsets);
    detail::finishBinaryFile(binary);
    std::string payload;
    detail::encodePayload(data, SnapshotFormat::Json, payload);
    json = detail::jsonFile(payload);

    snaptest::defineWorld(live);
    live.model("User").create({{"name", "live"}});
    liveDump = dump(live);
  }

  // `file` is refused with a message containing `message` (any message if
  // empty), by both loaders, and the live store is untouched.
  void expectRefused(const std::string& file, const std::string& message = "", bool openOnly = false) {
    const std::span<const char> bytes(file.data(), file.size());
    if (!openOnly) {
      try {
        detail::loadSnapshotBytes(live, bytes, {});
        ADD_FAILURE() << "loaded a bad file of " << file.size() << " bytes";
      } catch (const SnapshotError& e) {
        if (!message.empty()) {
          EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
        }
      }
    }
    try {
      detail::openSnapshotBytes(bytes, {});
      ADD_FAILURE() << "opened a bad file of " << file.size() << " bytes";
    } catch (const SnapshotError& e) {
      if (openOnly) {
        EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
      }
    }
    ASSERT_EQ(dump(live), liveDump);
  }

  // The source's data edited by `edit`, written as a binary file with a
  // valid checksum, is refused as expectRefused says.
  void expectEditRefused(const std::function<void(detail::SnapshotData&)>& edit, const std::string& message,
                         bool openOnly) {
    detail::SnapshotData copy = detail::describe(source.impl(), false);
    edit(copy);
    std::string file;
    detail::reserveBinaryHeader(file);
    detail::encodePayload(copy, SnapshotFormat::Binary, file);
    detail::finishBinaryFile(file);
    expectRefused(file, message, openOnly);
  }

  Store source, live;
  std::string liveDump;
  detail::SnapshotData data;
  std::string binary, json;
  std::vector<std::size_t> countOffsets;  // of every count and length field, in `binary`
};

TEST_F(Corruption, TheUntouchedFilesLoad) {
  Store a = detail::openSnapshotBytes(std::span<const char>(binary.data(), binary.size()), {});
  Store b = detail::openSnapshotBytes(std::span<const char>(json.data(), json.size()), {});
  EXPECT_EQ(dump(a), dump(source));
  EXPECT_EQ(dump(b), dump(source));
}

TEST_F(Corruption, EveryPrefixIsRefusedAsTruncated) {
  for (const std::string* file : {&binary, &json}) {
    for (std::size_t n = 0; n < file->size(); ++n) {
      expectRefused(file->substr(0, n));
      if (HasFatalFailure()) return;
    }
  }
  expectRefused(binary.substr(0, binary.size() - 1), "truncated at byte " + std::to_string(binary.size() - 1));
}

TEST_F(Corruption, EverySingleBitFlipOfTheHeaderIsRefused) {
  for (std::size_t byte = 0; byte < detail::kHeaderBytes; ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = binary;
      bad[byte] = static_cast<char>(bad[byte] ^ (1 << bit));
      expectRefused(bad);
      if (HasFatalFailure()) return;
    }
  }
  // The JSON header line too.
  const std::size_t line = json.find('\n');
  for (std::size_t byte = 0; byte <= line; ++byte) {
    std::string bad = json;
    bad[byte] = static_cast<char>(bad[byte] ^ 1);
    expectRefused(bad);
  }
}

TEST_F(Corruption, RandomBitFlipsAndOverwritesInTheBodyFailTheChecksum) {
  std::mt19937_64 rng(42);
  for (const std::string* file : {&binary, &json}) {
    const std::size_t start = file == &binary ? detail::kHeaderBytes : file->find('\n') + 1;
    for (int i = 0; i < 1000; ++i) {
      std::string bad = *file;
      const std::size_t at = start + rng() % (bad.size() - start);
      if (i % 2 == 0) {
        bad[at] = static_cast<char>(bad[at] ^ (1 << (rng() % 8)));
      } else {
        const char was = bad[at];
        do bad[at] = static_cast<char>(rng()); while (bad[at] == was);
      }
      expectRefused(bad, file == &binary && at < bad.size() - 8 ? "bad checksum" : "");
      if (HasFatalFailure()) return;
    }
  }
}

TEST_F(Corruption, HostileCountsWithAValidChecksumAreRefusedWithoutHugeAllocations) {
  ASSERT_GT(countOffsets.size(), 20u);
  const std::uint64_t rssBefore = maxRssKiB();
  const std::size_t payloadEnd = binary.size() - detail::kChecksumBytes;
  int refused = 0;
  for (std::size_t at : countOffsets) {  // offsets in the file (the payload was appended after the header)
    std::uint64_t original = 0;
    std::memcpy(&original, binary.data() + at, 8);
    const std::uint64_t remaining = payloadEnd - at - 8;
    for (std::uint64_t value : {std::uint64_t{0}, remaining + 1, std::uint64_t{1} << 31, std::uint64_t{1} << 32,
                                std::uint64_t{1} << 63, ~std::uint64_t{0}}) {
      if (value == original) continue;
      std::string bad = binary;
      putLe(bad, at, value, 8);
      reseal(bad);
      SCOPED_TRACE("count at byte " + std::to_string(at) + " set to " + std::to_string(value));
      expectRefused(bad, "Bad snapshot payload");
      if (HasFatalFailure()) return;
      ++refused;
    }
  }
  EXPECT_GT(refused, 100);
  // Nothing was sized from those counts: peak memory barely moved.
  EXPECT_LT(maxRssKiB() - rssBefore, 128u * 1024u) << "KiB";
}

TEST_F(Corruption, HeaderFieldsAreCheckedInOrderWithClearMessages) {
  expectRefused("", "the file is empty");
  std::string magic = binary;
  magic[1] = 'X';
  expectRefused(magic, "not a relstore snapshot (bad magic)");
  std::string v0 = binary;
  putLe(v0, 8, 0, 4);
  reseal(v0);
  expectRefused(v0, "unsupported format version 0");
  std::string future = binary;
  putLe(future, 8, detail::kFormatVersion + 1, 4);
  reseal(future);
  expectRefused(future, "unsupported format version " + std::to_string(detail::kFormatVersion + 1) +
                            " (written by a newer relstore");
  std::string big = binary;
  putLe(big, 12, 2, 1);
  reseal(big);
  expectRefused(big, "unsupported endianness 2");
  std::string flags = binary;
  putLe(flags, 14, 1, 2);
  reseal(flags);
  expectRefused(flags, "unknown flags");
  expectRefused(binary + "garbage", "7 trailing bytes");
  expectRefused(json + "x", "1 trailing bytes");
  for (std::uint64_t length : {std::uint64_t{0}, std::uint64_t{1} << 32, ~std::uint64_t{0}}) {
    std::string bad = binary;
    putLe(bad, 16, length, 8);
    expectRefused(bad);
  }
}

TEST_F(Corruption, JsonPayloadsThatAreNotTheSchemaAreRefused) {
  for (const std::string& payload : {std::string("{}"), std::string("not json"), std::string("[1,2,3]"),
                                     std::string(100000, '[') + std::string(100000, ']'),
                                     std::string("{\"models\": [{\"name\": 5}]}"),
                                     std::string("{\"models\": 7, \"foreignKeys\": [], \"associations\": []}")}) {
    expectRefused(detail::jsonFile(payload), "Bad snapshot payload");
    if (HasFatalFailure()) return;
  }
}

TEST_F(Corruption, AJsonRowCountLargerThanThePayloadSizesNothing) {
  std::string payload;
  detail::encodePayload(data, SnapshotFormat::Json, payload);
  const std::size_t at = payload.find("\"rows\": 2");
  ASSERT_NE(at, std::string::npos);
  payload.replace(at, 9, "\"rows\": 4294967295");
  const std::uint64_t rssBefore = maxRssKiB();
  expectRefused(detail::jsonFile(payload), "rows in a");
  EXPECT_LT(maxRssKiB() - rssBefore, 64u * 1024u) << "KiB";
}

TEST_F(Corruption, OutOfRangeTagsAndIndicesAreRefused) {
  auto refusedWith = [&](auto edit, const std::string& message, bool openOnly = false) {
    expectEditRefused(edit, message, openOnly);
  };
  refusedWith([](detail::SnapshotData& d) { d.foreignKeys[0].parent = 99; }, "referenced model 99 is out of range");
  refusedWith([](detail::SnapshotData& d) { d.associations[0].foreignKey = 99; }, "association key 99 is out of range");
  refusedWith([](detail::SnapshotData& d) { d.models[0].pk = 99; }, "primary key attribute of User 99");
  refusedWith([](detail::SnapshotData& d) { d.foreignKeys[0].onDelete = static_cast<Action>(9); }, "unknown action tag 9");
  refusedWith([](detail::SnapshotData& d) { d.models[1].attributes[1].type = static_cast<Type>(7); }, "unknown type tag 7");
  refusedWith([](detail::SnapshotData& d) { d.associations[0].type = AssociationType::BelongsTo; },
              "does not join its models", true);  // loadSnapshot does not read the file's associations
}

// Definitions the API would refuse, in a file with a valid checksum (another
// writer's, or an edited one): openSnapshot refuses them too.
TEST_F(Corruption, DefinitionsTheApiWouldRefuseAreRefused) {
  auto refusedWith = [&](auto edit, const std::string& message) { expectEditRefused(edit, message, /*openOnly=*/true); };
  // associations: 0 User.Posts, 1 Post.User, 2 User.Profile, ...
  refusedWith([](detail::SnapshotData& d) { d.associations[2].as = "Posts"; }, "repeats an alias of User");
  refusedWith([](detail::SnapshotData& d) { d.associations[0].as = "gold"; }, "has the name of an attribute of User");
  refusedWith([](detail::SnapshotData& d) { d.associations[0].foreignKeyName = "bogus"; },
              "names a key other than the column it uses");
  refusedWith([](detail::SnapshotData& d) { d.foreignKeys[d.associations[0].foreignKey].junction = true; },
              "is marked a junction key but no belongsToMany uses it");
  refusedWith([](detail::SnapshotData& d) { d.foreignKeys.push_back(d.foreignKeys[0]); }, "belongs to no association");
  refusedWith([](detail::SnapshotData& d) { d.associations[6].aliased = false; },  // Employee.reports
              "association Employee.reports has an alias other than the default one but is marked as defined without one");
  refusedWith([](detail::SnapshotData& d) { d.associations[5].throughUnique = false; },
              "belongsToManys User.Roles and Role.Users over junction Grant disagree on unique");
}

// A key's scope (which rows its actions reach without constraints) is every
// row's or one of its associations' scopes: a file cannot invent one.
TEST_F(Corruption, AKeysScopeMustBeTheScopeOfAnAssociationOverIt) {
  const std::uint32_t polymorphic = data.associations[8].foreignKey;  // Post.Comments, scoped
  ASSERT_EQ(source.impl().foreignKey(polymorphic).scope.size(), 1u);
  auto refusedWith = [&](auto edit) {
    expectEditRefused(edit, "has a scope no association over it has", /*openOnly=*/true);
  };
  refusedWith([&](detail::SnapshotData& d) { d.foreignKeys[polymorphic].scope[0].second = Value("user"); });
  refusedWith([&](detail::SnapshotData& d) { d.foreignKeys[data.associations[0].foreignKey].scope = {{1, Value("x")}}; });
}

TEST(SnapshotFileSize, FilesAboveTheCapAreRefusedBeforeReading) {
  snaptest::TempDir dir;
  snaptest::writeBytes(dir / "big", std::string(4096, 'x'));
  try {
    detail::readWholeFile(dir / "big", 1024);
    FAIL();
  } catch (const SnapshotError& e) {
    EXPECT_NE(std::string(e.what()).find("4096 bytes, above the 1024-byte limit"), std::string::npos) << e.what();
  }
}

}  // namespace
