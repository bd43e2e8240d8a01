// Seeds of a randomized suite in blocks, one test case per block.
//
// Under ctest every test case is a process of its own, and an ASan build
// spends about 0.2 s starting one: with a test case per seed, starting
// processes took about half of CI's test time. A block runs its seeds in
// one process, one after another, and stops at the first seed that fails;
// every failure message names its seed (SCOPED_TRACE), and a block reruns
// alone in seconds: --gtest_filter='*seeds_140_to_159'.
//
//   class Randomized : public ::testing::TestWithParam<SeedBlock> {};
//   TEST_P(Randomized, AgreesWithTheReference) { forEachSeed(GetParam(), checkSeed); }
//   INSTANTIATE_TEST_SUITE_P(Seeds, Randomized, ::testing::ValuesIn(seedBlocks(1000, 20)), seedBlockName);
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

namespace relstore::testing_support {

// Seeds [first, end).
struct SeedBlock {
  int first = 0;
  int end = 0;
};

// How gtest shows a block (instead of its bytes).
inline void PrintTo(const SeedBlock& block, std::ostream* os) { *os << "seeds " << block.first << ".." << block.end - 1; }

// Seeds 0 .. seeds-1 cut into blocks of `perBlock` (the last may be shorter).
inline std::vector<SeedBlock> seedBlocks(int seeds, int perBlock) {
  std::vector<SeedBlock> blocks;
  for (int first = 0; first < seeds; first += perBlock) blocks.push_back({first, std::min(seeds, first + perBlock)});
  return blocks;
}

// A block's test name: seeds_<first>_to_<last>.
inline std::string seedBlockName(const ::testing::TestParamInfo<SeedBlock>& info) {
  return "seeds_" + std::to_string(info.param.first) + "_to_" + std::to_string(info.param.end - 1);
}

// Calls check(seed) for each seed of `block` in order, each under a trace
// naming the seed; stops after the first seed with a failure.
template <class Check>
void forEachSeed(const SeedBlock& block, Check check) {
  for (int seed = block.first; seed < block.end; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    check(seed);
    if (::testing::Test::HasFailure()) return;
  }
}

}  // namespace relstore::testing_support
