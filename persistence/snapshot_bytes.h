// Loading from bytes already in memory: what loadSnapshot and openSnapshot
// do after reading the file. For the fuzzer and the corruption tests, which
// feed thousands of inputs without touching the disk.
#pragma once

#include <span>

#include "relstore/snapshot.h"

namespace relstore::detail {

// Framing check, decode, restore; throws SnapshotError (store unchanged).
LoadReport loadSnapshotBytes(Store& store, std::span<const char> file, const SnapshotOptions& options);
Store openSnapshotBytes(std::span<const char> file, const SnapshotOptions& options);

}  // namespace relstore::detail
