// Running independent jobs on the machine's cores: the snapshot load builds
// every index of every table this way (each index is its own structure over
// read-only columns, so the jobs share nothing they write).
#pragma once

#include <functional>
#include <vector>

namespace relstore::detail {

// Runs every job once, on up to min(jobs, hardware threads, 8) threads (the
// caller's among them), in no particular order; returns when all are done.
// If jobs throw, rethrows the exception of the first such job in `jobs`
// order, after every job has finished.
void runInParallel(const std::vector<std::function<void()>>& jobs);

}  // namespace relstore::detail
