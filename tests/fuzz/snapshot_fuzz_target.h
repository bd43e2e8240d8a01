// The snapshot loader under fuzzing: shared by the libFuzzer binary
// (snapshot_fuzzer.cpp, clang, RELSTORE_BUILD_FUZZERS) and the gtest that
// replays the checked-in corpus in every build.
//
// Each input is loaded as it is (exercising the framing checks) and once
// more with its framing repaired — length and checksum recomputed — so that
// mutations reach the payload decoder and the restore checks instead of
// stopping at the checksum. Any outcome but success or SnapshotError (a
// crash, a sanitizer report, another exception) is a finding.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>

#include "framing.h"
#include "relstore/relstore.h"
#include "relstore/snapshot.h"
#include "snapshot_bytes.h"

namespace relstore::fuzz {

// `bytes` with a valid frame around its payload, or empty when it has no
// recognisable frame.
inline std::string resealed(std::string_view bytes) {
  if (bytes.size() >= detail::kHeaderBytes + detail::kChecksumBytes &&
      std::memcmp(bytes.data(), detail::kBinaryMagic, 8) == 0) {
    std::string file;
    detail::reserveBinaryHeader(file);
    file.append(bytes.substr(detail::kHeaderBytes, bytes.size() - detail::kHeaderBytes - detail::kChecksumBytes));
    detail::finishBinaryFile(file);
    return file;
  }
  if (bytes.starts_with("relstore-snapshot ")) {
    const std::size_t newline = bytes.find('\n');
    if (newline != std::string_view::npos) return detail::jsonFile(bytes.substr(newline + 1));
  }
  return {};
}

inline void loadOne(std::span<const char> file) {
  try {
    Store opened = detail::openSnapshotBytes(file, {});
    opened.checkIntegrity();
  } catch (const SnapshotError&) {
  }
  Store live;
  Model users = live.define("User", {{.name = "name", .unique = true}, {.name = "gold", .type = Type::Real}});
  Model posts = live.define("Post", {{.name = "title"}});
  users.hasMany(posts);
  try {
    detail::loadSnapshotBytes(live, file, {.allowDrop = true});
    live.checkIntegrity();
  } catch (const SnapshotError&) {
  }
}

inline void fuzzSnapshotLoader(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  loadOne(std::span<const char>(bytes.data(), bytes.size()));
  const std::string repaired = resealed(bytes);
  if (!repaired.empty()) loadOne(std::span<const char>(repaired.data(), repaired.size()));
}

}  // namespace relstore::fuzz
