// The outer format of a snapshot file, owned by relstore (cereal encodes
// only the payload inside it).
//
// Binary file:  header (24 bytes) · payload · XXH3-64 (8 bytes)
//   0  magic      8 bytes  "\x89RELSNAP" (a high byte first, as PNG does, so
//                          that a text-mode transfer shows up as a bad magic)
//   8  version    u32      the payload layout; this build writes kFormatVersion
//  12  endianness u8       1 = little endian (the payload's numbers)
//  13  encoding   u8       0 = cereal binary, 1 = cereal JSON
//  14  flags      u16      none defined: must be 0
//  16  length     u64      payload bytes
//  All header numbers and the checksum are little endian. The checksum
//  covers the header and the payload.
// JSON file: one text line carrying the same fields, then the JSON payload,
// so that the file stays readable as text:
//   "relstore-snapshot version=1 endianness=little encoding=json flags=0
//    length=N xxh3=<16 hex digits>\n" · payload
//  Its checksum is the one of the equivalent binary header and the payload.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "relstore/snapshot.h"

namespace relstore::detail {

inline constexpr char kBinaryMagic[8] = {'\x89', 'R', 'E', 'L', 'S', 'N', 'A', 'P'};
// Version 2: each association records whether its alias was given (`aliased`);
// version 1 files lack it, and loading infers it (an alias other than the
// default one was given).
inline constexpr std::uint32_t kFormatVersion = 2;      // every version up to this one loads
inline constexpr std::size_t kHeaderBytes = 24;
inline constexpr std::size_t kChecksumBytes = 8;
inline constexpr std::uint64_t kMaxSnapshotBytes = std::uint64_t{64} << 30;

struct Frame {
  std::uint32_t version = 0;
  SnapshotFormat format = SnapshotFormat::Binary;
  std::size_t payloadOffset = 0;
  std::uint64_t payloadLength = 0;
  std::uint64_t fileBytes = 0;
};

// Streaming a binary file: the header for a payload of `length` bytes, then
// the payload, each passed through a Checksum, then its digest (putLe64).
void binaryHeader(char* header, std::uint64_t length);  // kHeaderBytes bytes
void putLe64(char* at, std::uint64_t value);
class Checksum {
 public:
  Checksum();
  ~Checksum();
  Checksum(const Checksum&) = delete;
  Checksum& operator=(const Checksum&) = delete;
  void update(const char* data, std::size_t bytes);
  std::uint64_t digest() const;

 private:
  void* state_;  // XXH3_state_t: xxHash stays out of this header
};

// Binary in memory: the space for the header, to be written before the payload is
// appended to `out` (so that a large payload is never copied).
void reserveBinaryHeader(std::string& out);
// Completes a file started by reserveBinaryHeader and a payload: fills the
// header and appends the checksum.
void finishBinaryFile(std::string& out);
// JSON: the whole file for `payload`.
std::string jsonFile(std::string_view payload);

// Checks everything about `file` but the payload's contents: size, magic,
// version (0 and future ones refused), endianness, encoding, flags, length
// against the file's size (truncated, trailing bytes), then the checksum.
// Throws SnapshotError saying which and where.
Frame readFrame(std::span<const char> file);

}  // namespace relstore::detail
