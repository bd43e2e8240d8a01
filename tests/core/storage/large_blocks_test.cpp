// Large blocks (full column chunks on huge-page regions): every block is
// whole, apart from the others and reusable; columns of several full chunks
// keep their values through copies, writes and shrinking.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory_resource>
#include <set>
#include <string>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "storage/cow_chunks.h"
#include "storage/large_blocks.h"

using relstore::detail::allocateLargeBlock;
using relstore::detail::CowChunks;
using relstore::detail::freeLargeBlock;
using relstore::detail::kHugeArrayMinBytes;
using relstore::detail::kLargeBlockBytes;
using relstore::detail::largeArrayResource;
using relstore::detail::LargeVector;

namespace {

TEST(LargeBlocks, BlocksDoNotOverlapAndHoldWhatIsWrittenUntilFreed) {
  std::vector<void*> blocks;
  for (int i = 0; i < 11; ++i) {  // several regions, the last one partly used
    void* b = allocateLargeBlock();
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(b) % 4096, 0u);
    std::memset(b, i + 1, kLargeBlockBytes);
    blocks.push_back(b);
  }
  std::vector<void*> sorted = blocks;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    EXPECT_GE(static_cast<char*>(sorted[i]) - static_cast<char*>(sorted[i - 1]),
              static_cast<std::ptrdiff_t>(kLargeBlockBytes));
  }
  for (int i = 0; i < 11; ++i) {
    const auto* bytes = static_cast<const unsigned char*>(blocks[static_cast<std::size_t>(i)]);
    EXPECT_EQ(bytes[0], i + 1);
    EXPECT_EQ(bytes[kLargeBlockBytes - 1], i + 1);
  }
  for (void* b : blocks) freeLargeBlock(b);
}

TEST(LargeBlocks, FreedBlocksAreHandedOutAgainAndWholeRegionsGoBack) {
  // Free everything (whole regions go back to the system but one), then
  // allocate again: each block is usable to its last byte.
  for (int round = 0; round < 3; ++round) {
    std::vector<void*> blocks;
    std::set<void*> distinct;
    for (int i = 0; i < 9; ++i) {
      blocks.push_back(allocateLargeBlock());
      distinct.insert(blocks.back());
      std::memset(blocks.back(), 0x5a, kLargeBlockBytes);
    }
    EXPECT_EQ(distinct.size(), blocks.size());
    // Free every other block first (regions partly free), then the rest.
    for (std::size_t i = 0; i < blocks.size(); i += 2) freeLargeBlock(blocks[i]);
    void* again = allocateLargeBlock();
    EXPECT_TRUE(distinct.count(again)) << "a freed block is reused before a new region is mapped";
    std::memset(again, 0x11, kLargeBlockBytes);
    freeLargeBlock(again);
    for (std::size_t i = 1; i < blocks.size(); i += 2) freeLargeBlock(blocks[i]);
  }
}

#if defined(__linux__)
TEST(LargeBlocks, MemoryMappedWhereARegionWentBackIsUsableToItsLastByte) {
  // Whole regions go back to the system (all but one empty region); under
  // AddressSanitizer their free blocks were poisoned, and a mapping the
  // kernel later puts at the same address must not inherit that poison
  // (the whole test binary once aborted in a later test that way).
  constexpr std::uintptr_t kRegion = std::uintptr_t{2} * 1024 * 1024;
  std::vector<void*> blocks;
  std::set<std::uintptr_t> regions;
  for (int i = 0; i < 12; ++i) {  // at least two regions of our own, full
    blocks.push_back(allocateLargeBlock());
    regions.insert(reinterpret_cast<std::uintptr_t>(blocks.back()) & ~(kRegion - 1));
  }
  for (void* b : blocks) freeLargeBlock(b);
  int reused = 0;
  for (std::uintptr_t region : regions) {
    void* at = reinterpret_cast<void*>(region);
    void* m = ::mmap(at, kRegion, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (m == MAP_FAILED) continue;  // still mapped: the region kept for reuse
    if (m == at) {
      std::memset(m, 0x3c, kRegion);
      EXPECT_EQ(static_cast<unsigned char*>(m)[kRegion - 1], 0x3c);
      ++reused;
    }
    ::munmap(m, kRegion);
  }
  EXPECT_GE(reused, 1) << "freeing every block of three regions unmaps at least one";
}
#endif

TEST(LargeBlocks, ColumnsOfFullChunksKeepTheirValuesThroughCopiesWritesAndShrinking) {
  // Default chunk sizes: 64Ki 8-byte values and 16Ki strings a chunk, so
  // full chunks take large blocks.
  constexpr std::int64_t kRows = 3 * 65536 + 100;
  CowChunks<std::int64_t> ints;
  CowChunks<std::string, 14> texts;
  for (std::int64_t i = 0; i < kRows; ++i) {
    ints.push_back(i * 3);
    if (i < 3 * 16384 + 7) texts.push_back(i % 1000 == 0 ? std::string(40, 'x') + std::to_string(i) : std::to_string(i));
  }
  CowChunks<std::int64_t> intsCopy = ints;
  CowChunks<std::string, 14> textsCopy = texts;
  ints.mutableAt(70000) = -1;           // copies one full chunk
  texts.mutableAt(20000) = "changed";   // same, for strings
  while (ints.size() > 65536 + 5) ints.pop_back();  // drops full chunks
  while (texts.size() > 16384 - 3) texts.pop_back();
  for (std::int64_t i = 0; i < kRows; ++i) ASSERT_EQ(intsCopy[static_cast<std::size_t>(i)], i * 3);
  for (std::int64_t i = 0; i < 3 * 16384 + 7; ++i) {
    ASSERT_EQ(textsCopy[static_cast<std::size_t>(i)],
              i % 1000 == 0 ? std::string(40, 'x') + std::to_string(i) : std::to_string(i));
  }
  ASSERT_EQ(ints.size(), 65536u + 5);
  for (std::size_t i = 0; i < ints.size(); ++i) ASSERT_EQ(ints[i], static_cast<std::int64_t>(i) * 3);
  ASSERT_EQ(texts.size(), 16384u - 3);
  EXPECT_EQ(texts[16001], "16001");
  EXPECT_EQ(texts[16000], std::string(40, 'x') + "16000");
  EXPECT_EQ(texts[0], std::string(40, 'x') + "0");
  for (std::int64_t i = 0; i < 2 * 65536; ++i) ints.push_back(i);  // full chunks again
  EXPECT_EQ(ints[65536 + 5 + 70000], 70000);
  EXPECT_EQ(ints[ints.size() - 1], 2 * 65536 - 1);
}

TEST(LargeBlocks, IndexVectorsKeepTheirValuesWhileGrowingIntoAndShrinkingOutOfHugeMappings) {
  LargeVector<std::uint32_t> v;
  const std::size_t big = 3 * kHugeArrayMinBytes / sizeof(std::uint32_t) + 17;  // past two huge sizes
  for (std::size_t i = 0; i < big; ++i) v.push_back(static_cast<std::uint32_t>(i * 7));
  for (std::size_t i = 0; i < big; i += 4099) ASSERT_EQ(v[i], i * 7);
  EXPECT_EQ(v.back(), (big - 1) * 7);
  v.resize(1000);
  v.shrink_to_fit();  // back to an ordinary allocation
  for (std::size_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i], i * 7);
  LargeVector<std::uint32_t> copy(big / 2, 9u);  // copies and fills go through the mapping too
  EXPECT_EQ(copy.front(), 9u);
  EXPECT_EQ(copy.back(), 9u);
}

TEST(LargeBlocks, ThePoolResourceServesSmallAndHugeRequestsAlike) {
  std::pmr::memory_resource* r = largeArrayResource();
  void* small = r->allocate(96, alignof(std::int64_t));
  void* huge = r->allocate(kHugeArrayMinBytes + 4096, alignof(std::int64_t));
  std::memset(small, 1, 96);
  std::memset(huge, 2, kHugeArrayMinBytes + 4096);
  EXPECT_EQ(static_cast<unsigned char*>(huge)[kHugeArrayMinBytes + 4095], 2);
  EXPECT_EQ(static_cast<unsigned char*>(small)[95], 1);
  r->deallocate(huge, kHugeArrayMinBytes + 4096, alignof(std::int64_t));
  r->deallocate(small, 96, alignof(std::int64_t));
  EXPECT_TRUE(r->is_equal(*largeArrayResource()));
}

}  // namespace
