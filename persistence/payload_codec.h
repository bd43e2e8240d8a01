// The payload of a snapshot: SnapshotData encoded by cereal, in its binary
// or its JSON archive. One walk over the data (payload_codec.cpp) drives
// both directions and both archives, so the two formats hold the same
// content by construction.
//
// Binary layout: counts are u64, tags u32, numbers native little endian;
// numeric columns and null bitmaps are contiguous blobs; a text column is its
// null bitmap, a blob of u64 lengths, a u64 byte count and every row's bytes
// back to back; other texts (names) are a u64 length and the bytes. JSON: the same tree with names; reals as JSON
// numbers (NaN and ±Infinity as cereal writes them, exact round trip); a
// text that is not plain UTF-8 without NUL (or that starts with the escape
// marker itself) is written as "\u001bhex:" and its bytes in hex.
//
// Decoding is bounded: a count is accepted only if the bytes left can hold
// that many elements of their smallest encoding, so a hostile count never
// sizes a container; JSON nesting deeper than 32 is refused before parsing.
// Every tag and every index into the schema is range-checked. Any problem
// throws SnapshotError.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "file_io.h"
#include "relstore/snapshot.h"
#include "snapshot_data.h"

namespace relstore::detail {

// The exact size of the binary payload of `data` (no byte is produced).
std::uint64_t binaryPayloadSize(const SnapshotData& data);
// Streams the binary payload of `data` into `out`, in bounded pieces;
// `start` is the file position of its first byte (for `countOffsets`).
void encodeBinaryPayload(const SnapshotData& data, FileSink& out, std::uint64_t start,
                         std::vector<std::size_t>* countOffsets = nullptr);

// Appends the encoding of `data` to `out`. With `countOffsets`, records the
// offset in `out` of every u64 count and length field (binary only), for the
// corruption tests.
void encodePayload(const SnapshotData& data, SnapshotFormat format, std::string& out,
                   std::vector<std::size_t>* countOffsets = nullptr);

// Decodes a payload; the result's models own their columns (`owned`, one per
// attribute, with `columns` pointing at them, so it can be encoded again) and are
// structurally sound (tags, indices and sizes in range), not yet checked
// for meaning (keys, uniqueness: see restore.h).
// `version` is the file's format version (framing.h): older layouts decode
// too.
SnapshotData decodePayload(std::span<const char> payload, SnapshotFormat format, std::uint32_t version,
                           const Progress& progress);

}  // namespace relstore::detail
