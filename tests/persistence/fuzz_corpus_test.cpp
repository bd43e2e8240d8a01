// Replays the fuzzer's checked-in corpus (tests/fuzz/corpus) through the
// same target the fuzzer runs, so every build re-checks what fuzzing found.
#include <gtest/gtest.h>

#include "../fuzz/snapshot_fuzz_target.h"
#include "snapshot_test_support.h"

namespace {

TEST(FuzzCorpus, EveryInputLoadsOrFailsWithASnapshotError) {
  const std::filesystem::path corpus = std::filesystem::path(RELSTORE_TEST_SOURCE_DIR) / "fuzz" / "corpus";
  std::size_t inputs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    const std::string bytes = relstore::snaptest::readBytes(entry.path());
    SCOPED_TRACE(entry.path().filename().string());
    relstore::fuzz::fuzzSnapshotLoader(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    ++inputs;
  }
  EXPECT_GE(inputs, 4u);
}

}  // namespace
