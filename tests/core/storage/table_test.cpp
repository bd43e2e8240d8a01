#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <unordered_map>

#include "relstore/errors.h"
#include "storage/table.h"
#include "support/table_dump.h"

using namespace relstore;
using namespace relstore::detail;
using relstore::testing_support::tableDump;

namespace {

// Table with id (pk), a unique Text, an indexed Int, and a plain Real.
std::vector<ColumnSpec> specs() {
  return {{Type::Int}, {Type::Text, true, false}, {Type::Int, false, true}, {Type::Real}};
}
const std::vector<std::string> kNames = {"id", "code", "group", "weight"};

TEST(Table, InsertLookupAndEraseKeepIndicesExact) {
  Table t(specs(), 0);
  for (int i = 1; i <= 100; ++i) {
    t.insert({Value(i), i % 10 == 0 ? Value() : Value("c" + std::to_string(i)), Value(i % 3), Value(i * 0.5)});
  }
  EXPECT_EQ(t.rowCount(), 100u);
  EXPECT_EQ(*t.rowOf(42), 41u);
  EXPECT_EQ(t.uniqueRow(1, Value("c42")), t.rowOf(42));
  EXPECT_FALSE(t.uniqueRow(1, Value("c40")).has_value());
  EXPECT_EQ(t.lookupSize(2, Value(0)), 33u);
  t.checkIntegrity("T", kNames);

  t.erase(*t.rowOf(1));  // slot 0 becomes free; no row moves
  EXPECT_FALSE(t.rowOf(1).has_value());
  EXPECT_EQ(*t.rowOf(100), 99u);
  EXPECT_EQ(t.rowCount(), 99u);
  EXPECT_EQ(t.slotCount(), 100u);
  EXPECT_FALSE(t.isLive(0));
  EXPECT_TRUE(t.column(1).isNull(0));
  t.checkIntegrity("T", kNames);

  std::mt19937 rng(7);
  while (t.rowCount() > 0) {
    std::uint32_t slot = rng() % t.slotCount();
    while (!t.isLive(slot)) slot = (slot + 1) % t.slotCount();
    t.erase(slot);
    t.checkIntegrity("T", kNames);
  }
}

TEST(Table, AnInsertTakesTheMostRecentlyFreedSlotAndErasingTheLastSlotShrinksTheTable) {
  Table t(specs(), 0);
  for (int i = 1; i <= 5; ++i) t.insert({Value(i), Value("c" + std::to_string(i)), Value(i % 2), Value(0.0)});
  t.erase(*t.rowOf(2));  // slot 1
  t.erase(*t.rowOf(4));  // slot 3
  EXPECT_EQ(t.slotCount(), 5u);
  EXPECT_EQ(t.insert({Value(6), Value("c6"), Value(0), Value(0.0)}), 3u);
  EXPECT_EQ(t.insert({Value(7), Value("c7"), Value(1), Value(0.0)}), 1u);
  EXPECT_EQ(t.insert({Value(8), Value("c8"), Value(0), Value(0.0)}), 5u);
  EXPECT_EQ(t.uniqueRow(1, Value("c7")), std::optional<std::uint32_t>(1u));
  EXPECT_EQ(t.lookupSize(2, Value(0)), 2u);  // ids 6 and 8 (2 and 4 are gone)
  t.checkIntegrity("T", kNames);
  // Erasing from the end shrinks the table instead of leaving free slots.
  for (Id id : {8, 5, 6}) t.erase(*t.rowOf(id));
  EXPECT_EQ(t.slotCount(), 3u);
  EXPECT_EQ(t.rowCount(), 3u);
  t.checkIntegrity("T", kNames);
}

TEST(Table, ARefusedInsertLeavesTheFreeSlotsAsTheyWere) {
  Table t(specs(), 0);
  for (int i = 1; i <= 3; ++i) t.insert({Value(i), Value("c" + std::to_string(i)), Value(0), Value(0.0)});
  t.erase(*t.rowOf(1));
  EXPECT_EQ(t.insertIfUnique({Value(9), Value("c2"), Value(0), Value(0.0)}), std::optional<std::uint32_t>(1u));
  EXPECT_EQ(t.insertIfUnique({Value(3), Value("c9"), Value(0), Value(0.0)}), std::optional<std::uint32_t>(0u));
  EXPECT_FALSE(t.isLive(0));
  EXPECT_EQ(t.rowCount(), 2u);
  t.checkIntegrity("T", kNames);
  EXPECT_FALSE(t.insertIfUnique({Value(9), Value("c9"), Value(0), Value(0.0)}).has_value());
  EXPECT_EQ(*t.rowOf(9), 0u);
  t.checkIntegrity("T", kNames);
}

TEST(Table, AColumnAddedToATableWithFreeSlotsFillsOnlyTheLiveRows) {
  Table t(specs(), 0);
  for (int i = 1; i <= 4; ++i) t.insert({Value(i), Value("c" + std::to_string(i)), Value(0), Value(0.0)});
  t.erase(*t.rowOf(2));
  t.addColumn({Type::Int, false, true}, Value(7));
  EXPECT_TRUE(t.column(4).isNull(1));
  EXPECT_EQ(t.column(4).get(*t.rowOf(3)), Value(7));
  EXPECT_EQ(t.lookupSize(4, Value(7)), 3u);
  t.checkIntegrity("T", {"id", "code", "group", "weight", "added"});
  EXPECT_EQ(t.insert({Value(5), Value("c5"), Value(0), Value(0.0), Value(8)}), 1u);
  t.checkIntegrity("T", {"id", "code", "group", "weight", "added"});
}

TEST(Table, ATableMostlyMadeOfFreeSlotsCompactsAndKeepsEveryIndexExact) {
  Table t(specs(), 0);
  t.addLinkIndex(2, 0);
  for (int i = 1; i <= 3000; ++i) {
    t.insert({Value(i), Value("c" + std::to_string(i)), Value(i % 7), Value(i * 0.5)});
  }
  for (int i = 1; i <= 2000; ++i) {
    if (i % 3 != 0) t.erase(*t.rowOf(i));  // 1334 free slots of 3000: not yet half
  }
  EXPECT_FALSE(t.compactIfSparse());
  for (int i = 2001; i <= 2900; ++i) t.erase(*t.rowOf(i));
  ASSERT_GE(t.freeSlots().size() * 2, t.slotCount());
  const std::uint32_t live = t.rowCount();
  EXPECT_TRUE(t.compactIfSparse());
  EXPECT_EQ(t.slotCount(), live);
  EXPECT_FALSE(t.hasFreeSlots());
  t.checkIntegrity("T", kNames);
  for (int i = 1; i <= 3000; ++i) {
    const bool kept = (i <= 2000 && i % 3 == 0) || i > 2900;
    ASSERT_EQ(t.rowOf(i).has_value(), kept) << i;
    if (!kept) continue;
    EXPECT_EQ(t.column(1).get(*t.rowOf(i)), Value("c" + std::to_string(i)));
    EXPECT_EQ(t.uniqueRow(1, Value("c" + std::to_string(i))), t.rowOf(i));
  }
  std::size_t linked = 0;
  for (int k = 0; k < 7; ++k) {
    if (const LinkBucket* b = t.links(2, Value(k))) {
      linked += b->size();
      for (std::size_t pos = 0; pos < b->size(); ++pos) EXPECT_EQ(b->payload()[pos], t.idAt(b->rows()[pos]));
    }
  }
  EXPECT_EQ(linked, live);
  EXPECT_EQ(t.insert({Value(5000), Value("c5000"), Value(1), Value(0.0)}), live);  // appends: no free slot left
  t.checkIntegrity("T", kNames);
}

TEST(Table, NoCompactionWhileAnUndoLogRecords) {
  Table t(specs(), 0);
  for (int i = 1; i <= 3000; ++i) t.insert({Value(i), Value("c" + std::to_string(i)), Value(0), Value(0.0)});
  UndoLog log;
  UndoLog* active = &log;
  t.attachUndo(&active);
  for (int i = 1; i <= 2500; ++i) t.erase(*t.rowOf(i));
  EXPECT_FALSE(t.compactIfSparse());
  log.rollbackTo(0);
  active = nullptr;
  EXPECT_EQ(t.rowCount(), 3000u);
  EXPECT_FALSE(t.hasFreeSlots());
  EXPECT_EQ(*t.rowOf(1), 0u);
  t.checkIntegrity("T", kNames);
}

TEST(Column, GatherCopiesTheChosenCellsOfEveryTypeInOrderWithTheirNulls) {
  // Over 16Ki rows, so the picks cross the chunks of every type.
  constexpr std::uint32_t kRows = 40000;
  std::vector<Column> columns;
  for (Type type : {Type::Int, Type::Real, Type::Bool, Type::Text}) {
    Column& c = columns.emplace_back(type);
    for (std::uint32_t r = 0; r < kRows; ++r) {
      if (r % 7 == 3) {
        c.push(Value());
        continue;
      }
      switch (type) {
        case Type::Int: c.push(Value(std::int64_t{r} * 3 - 5)); break;
        case Type::Real: c.push(Value(r * 0.25)); break;
        case Type::Bool: c.push(Value(r % 2 == 0)); break;
        case Type::Text: c.push(Value("text number " + std::to_string(r))); break;
      }
    }
  }
  std::vector<std::uint32_t> picks;
  for (std::uint32_t r = 1; r < kRows; r += 5) picks.push_back(r);
  picks.push_back(0);  // out of order, and a row twice
  picks.push_back(6);
  for (const Column& c : columns) {
    const Column copy = c.gather(picks);
    ASSERT_EQ(copy.size(), picks.size());
    ASSERT_EQ(copy.type(), c.type());
    for (std::uint32_t i = 0; i < picks.size(); ++i) {
      ASSERT_EQ(copy.isNull(i), c.isNull(picks[i])) << i;
      ASSERT_EQ(copy.get(i), c.get(picks[i])) << i;
    }
  }
  EXPECT_EQ(columns[0].gather({}).size(), 0u);
}

TEST(Table, SetManyAllowsUniqueValuesToSwap) {
  Table t(specs(), 0);
  t.insert({Value(1), Value("a"), Value(1), Value(0.0)});
  t.insert({Value(2), Value("b"), Value(1), Value(0.0)});
  t.setMany(1, {{0, Value("b")}, {1, Value("a")}});
  EXPECT_EQ(*t.uniqueRow(1, Value("a")), 1u);
  EXPECT_EQ(*t.uniqueRow(1, Value("b")), 0u);
  t.setMany(0, {{0, Value(2)}, {1, Value(1)}});
  EXPECT_EQ(*t.rowOf(2), 0u);
  t.checkIntegrity("T", kNames);
}

TEST(Table, PatternedIdsDoNotDegradeLookups) {
  Table t({{Type::Int}}, 0);
  for (std::int64_t k = 0; k < 20000; ++k) {
    t.insert({Value(k)});
    t.insert({Value(std::int64_t{1000000000} + k)});
  }
  for (std::int64_t k = 0; k < 20000; k += 997) EXPECT_TRUE(t.rowOf(std::int64_t{1000000000} + k).has_value());
  t.checkIntegrity("T", {"id"});
}

TEST(Table, RealKeysFoldNegativeZero) {
  Table t({{Type::Int}, {Type::Real, true, false}}, 0);
  t.insert({Value(1), Value(0.0)});
  EXPECT_TRUE(t.uniqueRow(1, Value(-0.0)).has_value());
}

}  // namespace

namespace {

TEST(PkIndex, DenseAndSparseIdsLiveInExactlyOnePlace) {
  Table t({{Type::Int}}, 0);
  // Far-away and negative ids go to the hashed part; the array grows later
  // over some of them, which must move.
  for (std::int64_t id : std::vector<std::int64_t>{500, -3, 0, 1, 2, 3, 100000000000, 70, 4}) t.insert({Value(id)});
  for (std::int64_t id = 5; id <= 600; ++id) {
    if (id != 70 && id != 500) t.insert({Value(id)});
  }
  t.checkIntegrity("T", {"id"});
  for (std::int64_t id : std::vector<std::int64_t>{500, -3, 0, 1, 70, 600, 100000000000}) EXPECT_TRUE(t.rowOf(id).has_value()) << id;
  EXPECT_FALSE(t.rowOf(601).has_value());
  EXPECT_FALSE(t.rowOf(-4).has_value());
  EXPECT_EQ(t.rowCount(), 9u + 594u);
  // Erase from both parts, and re-insert a freed dense id.
  t.erase(*t.rowOf(70));
  t.erase(*t.rowOf(100000000000));
  EXPECT_FALSE(t.rowOf(70).has_value());
  t.insert({Value(70)});
  EXPECT_TRUE(t.rowOf(70).has_value());
  t.checkIntegrity("T", {"id"});
}

// The link index keeps integer keys 1..n in an array and the others hashed;
// growing the array pulls hashed keys in. Whatever the order of writes, every
// key's rows must be found, and checkIntegrity must agree.
TEST(LinkIndex, DenseAndHashedKeysLiveInExactlyOnePlaceThroughRandomWrites) {
  Table t({{Type::Int}, {Type::Int}}, 0);
  t.addLinkIndex(1, 0);
  std::mt19937_64 rng(11);
  const std::vector<std::int64_t> odd = {-5, 0, 100000000000, 200, 900, 3000, 64};
  std::map<std::int64_t, std::multiset<Id>> expected;  // key -> ids
  std::map<Id, std::int64_t> keyOf;
  Id next = 1;
  auto verify = [&] {
    t.checkIntegrity("T", {"id", "parentId"});
    for (const auto& [key, ids] : expected) {
      const LinkBucket* bucket = t.links(1, Value(key));
      ASSERT_NE(bucket, nullptr) << key;
      std::multiset<Id> got(bucket->payload().begin(), bucket->payload().end());
      EXPECT_EQ(got, ids) << key;
      ASSERT_EQ(bucket->rows().size(), bucket->payload().size());
      for (std::size_t i = 0; i < bucket->size(); ++i) EXPECT_EQ(t.idAt(bucket->rows()[i]), bucket->payload()[i]);
    }
    for (std::int64_t key : {std::int64_t{1}, std::int64_t{2}, std::int64_t{7}, std::int64_t{-5}, std::int64_t{3000}}) {
      if (!expected.count(key)) {
        EXPECT_EQ(t.links(1, Value(key)), nullptr) << key;
      }
    }
  };
  for (int step = 0; step < 3000; ++step) {
    const auto choice = rng() % 10;
    if (choice < 6 || keyOf.empty()) {
      // Mostly small keys (appended roughly in order), sometimes odd ones.
      const std::int64_t key = rng() % 8 == 0 ? odd[rng() % odd.size()]
                                              : static_cast<std::int64_t>(1 + rng() % (1 + step / 2));
      const Id id = next++;
      t.insert({Value(id), Value(key)});
      expected[key].insert(id);
      keyOf[id] = key;
    } else if (choice < 9) {
      auto it = std::next(keyOf.begin(), static_cast<long>(rng() % keyOf.size()));
      t.erase(*t.rowOf(it->first));
      auto& ids = expected[it->second];
      ids.erase(ids.find(it->first));
      if (ids.empty()) expected.erase(it->second);
      keyOf.erase(it);
    } else {
      auto it = std::next(keyOf.begin(), static_cast<long>(rng() % keyOf.size()));
      const std::int64_t key = odd[rng() % odd.size()];
      t.set(*t.rowOf(it->first), 1, Value(key));
      auto& ids = expected[it->second];
      ids.erase(ids.find(it->first));
      if (ids.empty()) expected.erase(it->second);
      expected[key].insert(it->first);
      it->second = key;
    }
    if (step % 100 == 0) verify();
  }
  verify();
}

// Buckets grow (2, 4, 8, 16, ...) by moving their links to a bigger block;
// removals swap the last link into the hole. Rows, payloads and row ids stay
// aligned through both.
TEST(LinkIndex, BucketsKeepRowsPayloadsAndRowIdsAlignedThroughGrowthAndRemovals) {
  Table t({{Type::Int}, {Type::Int}, {Type::Int}}, 0);
  t.addLinkIndex(1, 2);  // key: column 1; payload: column 2 (not the id: row ids are kept too)
  ASSERT_TRUE(t.linksKeepRowIds(1));
  std::map<std::int64_t, std::set<Id>> expected;  // key -> ids
  auto verify = [&] {
    t.checkIntegrity("T", {"id", "key", "other"});
    for (const auto& [key, ids] : expected) {
      const LinkBucket* bucket = t.links(1, Value(key));
      ASSERT_NE(bucket, nullptr) << key;
      ASSERT_EQ(bucket->size(), ids.size()) << key;
      std::set<Id> got;
      for (std::size_t i = 0; i < bucket->size(); ++i) {
        const std::uint32_t row = bucket->rows()[i];
        EXPECT_EQ(t.idAt(row), bucket->rowIds()[i]) << key << " link " << i;
        EXPECT_EQ(bucket->payload()[i], 1000 + t.idAt(row)) << key << " link " << i;
        EXPECT_EQ(t.column(1).intAt(row), key);
        got.insert(t.idAt(row));
      }
      EXPECT_EQ(got, ids) << key;
    }
  };
  // Two keys growing side by side through several capacities.
  const Id n = 44;
  for (Id id = 1; id <= 2 * n; ++id) {
    const std::int64_t key = id % 2 == 0 ? 7 : 8;
    t.insert({Value(id), Value(key), Value(1000 + id)});
    expected[key].insert(id);
    verify();
  }
  // Removals in a scattered order, down to empty buckets and back up.
  std::mt19937_64 rng(5);
  std::vector<Id> ids;
  for (Id id = 1; id <= 2 * n; ++id) ids.push_back(id);
  std::shuffle(ids.begin(), ids.end(), rng);
  for (Id id : ids) {
    const std::int64_t key = id % 2 == 0 ? 7 : 8;
    t.erase(*t.rowOf(id));
    expected[key].erase(id);
    if (expected[key].empty()) {
      expected.erase(key);
      EXPECT_EQ(t.links(1, Value(key)), nullptr);
    }
    verify();
  }
  for (Id id = 2 * n + 1; id <= 2 * n + 15; ++id) {
    t.insert({Value(id), Value(std::int64_t{7}), Value(1000 + id)});
    expected[7].insert(id);
  }
  verify();
}

// Pairs are found by scanning the smaller of the two columns' buckets, through
// the payload or the cells; repeats are found in small and large buckets.
TEST(PairIndex, FindsPairsFromEitherSideAndReportsRepeats) {
  for (Type keyType : {Type::Int, Type::Text}) {
    Table t({{Type::Int}, {keyType}, {keyType}}, 0);
    t.addPairIndex(1, 2);
    auto key = [&](int v) { return keyType == Type::Int ? Value(v) : Value("k" + std::to_string(v)); };
    Id id = 0;
    // a = 1 links to 40 b's; b = 7 is linked from 30 a's; one null b.
    for (int b = 100; b < 140; ++b) t.insert({Value(++id), key(1), key(b)});
    for (int a = 2; a < 32; ++a) t.insert({Value(++id), key(a), key(7)});
    t.insert({Value(++id), key(1), Value()});
    t.checkIntegrity("J", {"id", "a", "b"});
    EXPECT_FALSE(t.repeatedPair(0).has_value());
    EXPECT_EQ(t.idAt(*t.pairRow(0, key(1), key(139))), 40);   // scans b = 139's single row
    EXPECT_EQ(t.idAt(*t.pairRow(0, key(31), key(7))), 70);    // scans a = 31's single row
    EXPECT_FALSE(t.pairRow(0, key(1), key(7)).has_value());
    EXPECT_FALSE(t.pairRow(0, key(2), key(8)).has_value());
    const auto row = *t.pairRow(0, key(5), key(7));
    EXPECT_FALSE(t.pairRow(0, key(5), key(7), row).has_value());  // itself excepted
    if (keyType == Type::Int) {
      EXPECT_FALSE(t.pairRow(0, key(1), Value(0)).has_value());  // the null b is no 0
    }
    // A repeat in the large bucket of a = 1, then one in a small bucket.
    t.insert({Value(++id), key(1), key(120)});
    EXPECT_TRUE(t.repeatedPair(0).has_value());
    EXPECT_THROW(t.checkIntegrity("J", {"id", "a", "b"}), IntegrityError);
    t.erase(*t.rowOf(id));
    EXPECT_FALSE(t.repeatedPair(0).has_value());
    t.insert({Value(++id), key(3), key(7)});
    EXPECT_TRUE(t.repeatedPair(0).has_value());
  }
}

}  // namespace

namespace {

TEST(Table, InsertIfUniqueLeavesTheTableUnchangedOnADuplicate) {
  Table t(specs(), 0);
  ASSERT_FALSE(t.insertIfUnique({Value(1), Value("a"), Value(1), Value(0.5)}).has_value());
  ASSERT_FALSE(t.insertIfUnique({Value(2), Value(), Value(1), Value(0.5)}).has_value());
  // Duplicate text in column 1: the pk entry made first must be undone.
  EXPECT_EQ(t.insertIfUnique({Value(3), Value("a"), Value(2), Value(1.0)}), std::optional<std::uint32_t>(1));
  // Duplicate primary key.
  EXPECT_EQ(t.insertIfUnique({Value(1), Value("b"), Value(2), Value(1.0)}), std::optional<std::uint32_t>(0));
  EXPECT_EQ(t.rowCount(), 2u);
  EXPECT_FALSE(t.rowOf(3).has_value());
  EXPECT_FALSE(t.uniqueRow(1, Value("b")).has_value());
  EXPECT_EQ(t.lookupSize(2, Value(2)), 0u);
  t.checkIntegrity("T", kNames);
  EXPECT_FALSE(t.insertIfUnique({Value(3), Value("b"), Value(2), Value(1.0)}).has_value());
  t.checkIntegrity("T", kNames);
}

// ---- exact rollbacks: random writes under an undo log, undone ------------

void exactRollback(int seed) {
  std::mt19937_64 rng(static_cast<std::uint64_t>(seed) * 104729 + 7);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  // 0 id pk | 1 Int multi+link(payload id) | 2 Text multi | 3 Int link(payload 4, row ids)
  // 4 Int link(payload 3, row ids) | 5 Real multi | 6 Bool multi | 7 Text unique + link(payload id)
  // 8 Text multi + link(payload 1, row ids)
  Table t({{Type::Int}, {Type::Int, false, true}, {Type::Text, false, true}, {Type::Int}, {Type::Int},
           {Type::Real, false, true}, {Type::Bool, false, true}, {Type::Text, true, false}, {Type::Text, false, true}},
          0);
  t.addLinkIndex(1, 0);
  t.addLinkIndex(3, 4);
  t.addLinkIndex(4, 3);
  t.addLinkIndex(7, 0);
  t.addLinkIndex(8, 1);
  const std::vector<std::string> names{"id", "a", "b", "c", "d", "e", "f", "g", "h"};
  Id nextId = 1;
  auto liveRows = [&] {
    std::vector<std::uint32_t> rows;
    for (std::uint32_t r = 0; r < t.slotCount(); ++r) if (t.isLive(r)) rows.push_back(r);
    return rows;
  };
  auto freeUnique = [&]() -> Value {
    if (pick(3) == 0) return Value();
    for (int tries = 0; tries < 20; ++tries) {
      Value v("u" + std::to_string(pick(10)));
      if (!t.uniqueRow(7, v)) return v;
    }
    return Value();
  };
  auto randomValue = [&](std::uint32_t c) -> Value {
    if (pick(5) == 0) return Value();
    switch (c) {
      case 1: case 3: case 4: { const Id k[] = {-5, 0, 1, 2, 3, 4, 100, 5000, 70}; return Value(k[pick(9)]); }
      case 2: case 8: { const char* s[] = {"x", "y", "z"}; return Value(s[pick(3)]); }
      case 5: { double d[] = {0.0, -0.0, 1.5, 2.5, std::numeric_limits<double>::quiet_NaN()}; return Value(d[pick(5)]); }
      case 6: return Value(pick(2) == 0);
    }
    return Value();
  };
  auto randomRow = [&]() {
    std::vector<Value> v(9);
    v[0] = Value(nextId++);
    for (std::uint32_t c : {1u, 2u, 3u, 4u, 5u, 6u, 8u}) v[c] = randomValue(c);
    v[7] = freeUnique();
    return v;
  };
  UndoLog log;
  UndoLog* active = nullptr;
  t.attachUndo(&active);
  auto op = [&] {
    auto live = liveRows();
    switch (live.empty() ? 0 : pick(7)) {
      case 0: t.insert(randomRow()); break;
      case 1: {  // insertIfUnique, sometimes conflicting
        auto v = randomRow();
        if (pick(2) == 0) v[0] = t.column(0).get(live[pick(static_cast<int>(live.size()))]);
        t.insertIfUnique(v);
        break;
      }
      case 2: t.erase(live[pick(static_cast<int>(live.size()))]); break;
      case 3: {  // set one cell
        const std::uint32_t r = live[pick(static_cast<int>(live.size()))];
        std::uint32_t c = 1 + pick(8);
        Value v = c == 7 ? freeUnique() : randomValue(c);
        if (pick(4) == 0 && c != 7) v = t.column(c).get(r);  // same value
        t.set(r, c, v);
        break;
      }
      case 4: case 5: {  // setMany: several rows, maybe a permutation of their values
        std::shuffle(live.begin(), live.end(), rng);
        const std::size_t k = std::min<std::size_t>(live.size(), 2 + pick(4));
        std::uint32_t c = pick(9);
        std::vector<std::pair<std::uint32_t, Value>> cells;
        if (c == 0 || c == 7 || pick(3) == 0) {  // permute the rows' own values
          std::vector<Value> vals;
          for (std::size_t i = 0; i < k; ++i) vals.push_back(t.column(c).get(live[i]));
          std::shuffle(vals.begin(), vals.end(), rng);
          for (std::size_t i = 0; i < k; ++i) cells.emplace_back(live[i], vals[i]);
        } else {
          for (std::size_t i = 0; i < k; ++i) cells.emplace_back(live[i], randomValue(c));
        }
        t.setMany(c, cells);
        break;
      }
      case 6: break;
    }
  };
  for (int i = 0; i < 40 + pick(300); ++i) op();  // outside the log
  for (int group = 0; group < 40; ++group) {
    const std::string before = tableDump(t);
    active = &log;
    const std::size_t outer = log.mark();
    const int length = 1 + pick(15);
    for (int i = 0; i < length; ++i) {
      if (pick(5) == 0) {  // a savepoint rolled back on its own
        const std::size_t mark = log.mark();
        const std::string mid = tableDump(t);
        for (int j = pick(4); j >= 0; --j) op();
        active = nullptr;
        log.rollbackTo(mark);
        active = &log;
        ASSERT_EQ(tableDump(t), mid) << "seed " << seed << " group " << group << " savepoint";
      }
      op();
    }
    active = nullptr;
    log.rollbackTo(outer);
    ASSERT_EQ(tableDump(t), before) << "seed " << seed << " group " << group;
    ASSERT_NO_THROW(t.checkIntegrity("T", names)) << "seed " << seed << " group " << group;
    for (int i = pick(4); i > 0; --i) op();  // committed changes
    log.clear();
  }
}

// Random inserts (some refused as duplicates), erases, single and batched
// cell writes (nulls, same values, permutations of the rows' own values,
// the primary key included) on a table with every kind of bucket, in groups
// and savepoints that are rolled back: the table must come back exactly,
// every bucket's order, payloads and row ids included.
TEST(TableUndo, RandomWritesRollBackWithEveryBucketInItsOrder) {
  for (int seed = 0; seed < 300; ++seed) {
    exactRollback(seed);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

}  // namespace
