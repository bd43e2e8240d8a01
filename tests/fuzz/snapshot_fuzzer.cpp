// libFuzzer entry point for the snapshot loader (see snapshot_fuzz_target.h).
// Build: cmake --preset fuzz && cmake --build --preset fuzz
// Run:   build/fuzz/tests/fuzz/snapshot_fuzzer -max_total_time=60 NEW_DIR tests/fuzz/corpus
#include "snapshot_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  relstore::fuzz::fuzzSnapshotLoader(data, size);
  return 0;
}
