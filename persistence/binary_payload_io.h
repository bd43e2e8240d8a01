// The binary payload's two Io flavours for the walk in payload_codec.cpp:
// BinaryWriter streams (or only measures) through cereal's binary archive;
// BinaryReader decodes with every count bounded by the bytes left.
// Private to payload_codec.cpp.
#pragma once

#include <cstring>
#include <functional>
#include <istream>
#include <ostream>

#include <cereal/archives/binary.hpp>

#include "parallel.h"
#include "payload_streams.h"

namespace relstore::detail::payload {

// ---- the four Io flavours ----------------------------------------------------
// Each offers: loading; value(name, T&) for u32/u64/i64/double/bool;
// text(name, string&); beginArray(name, count, minBytes) → count and
// endArray(); beginObject(name) / endObject() (name null for an array
// element); column(model, c).

class BinaryWriter {
 public:
  static constexpr bool loading = false;
  // Streams into `sink`, or only measures when `sink` is null; `start` is
  // the position of the first byte (count offsets are reported from it).
  BinaryWriter(FileSink* sink, std::uint64_t start, std::vector<std::size_t>* counts)
      : buf_(sink, start), os_(&buf_), ar_(os_), measuring_(!sink), counts_(counts) {}

  std::uint64_t position() const { return buf_.position(); }

  template <class T>
  void value(const char*, T& v) { ar_(v); }
  void text(const char*, std::string& s) {
    count(s.size());
    ar_(cereal::binary_data(s.data(), s.size()));
  }
  std::uint64_t beginArray(const char*, std::uint64_t n, std::size_t) {
    count(n);
    return n;
  }
  void endArray() {}
  void beginObject(const char*) {}
  void endObject() {}
  void column(ModelData& m, std::uint32_t c) {
    const Column& col = *m.columns[c];
    blob(col.nullWords());
    switch (col.type()) {
      case Type::Int: chunks(col.ints()); break;
      case Type::Real: chunks(col.reals()); break;
      case Type::Bool: chunks(col.bools()); break;
      case Type::Text: liveTexts(col.texts()); break;
    }
  }

 private:
  void count(std::uint64_t n) {
    if (counts_) counts_->push_back(position());
    ar_(n);
  }
  // Measuring, the streambuf only counts: `data` is not read (it may be null).
  void bytes(const void* data, std::size_t n) { ar_(cereal::binary_data(data, n)); }
  template <class T>
  void blob(const std::vector<T>& v) { bytes(v.data(), v.size() * sizeof(T)); }
  // A numeric column's values: one blob, written chunk after chunk.
  template <class T>
  void chunks(const CowChunks<T>& values) {
    values.forEachChunk([&](std::span<const T> chunk, std::size_t) { bytes(chunk.data(), chunk.size() * sizeof(T)); });
  }

  // A text column: lengths, byte count, bytes (see payload_codec.h),
  // straight from the column's strings through bounded buffers.
  void liveTexts(const CowChunks<TextCell, 15>& texts) {
    std::uint64_t total = 0;
    texts.forEachChunk([&](std::span<const TextCell> chunk, std::size_t) {
      for (const TextCell& t : chunk) total += t.size();
    });
    if (measuring_) {  // sizes only: the same fields, nothing built
      bytes(nullptr, texts.size() * sizeof(std::uint64_t));
      count(total);
      bytes(nullptr, total);
      return;
    }
    std::vector<std::uint64_t> lengths;
    texts.forEachChunk([&](std::span<const TextCell> chunk, std::size_t) {
      lengths.clear();
      for (const TextCell& t : chunk) lengths.push_back(t.size());
      blob(lengths);
    });
    count(total);
    constexpr std::size_t kBuffer = std::size_t{1} << 20;
    std::string buffer;
    buffer.reserve(kBuffer);
    texts.forEachChunk([&](std::span<const TextCell> chunk, std::size_t) {
      for (const TextCell& cell : chunk) {
        const std::string_view t = cell.view();
        if (buffer.size() + t.size() > kBuffer) {
          bytes(buffer.data(), buffer.size());
          buffer.clear();
        }
        if (t.size() > kBuffer) {
          bytes(t.data(), t.size());
        } else {
          buffer.append(t);
        }
      }
    });
    bytes(buffer.data(), buffer.size());
  }

  SinkBuf buf_;
  std::ostream os_;
  cereal::BinaryOutputArchive ar_;
  bool measuring_;
  std::vector<std::size_t>* counts_;
};

class BinaryReader {
 public:
  static constexpr bool loading = true;
  BinaryReader(std::span<const char> bytes, const Progress& progress)
      : source_(bytes), is_(&source_), ar_(is_), total_(bytes.size()), progress_(progress) {}

  template <class T>
  void value(const char* name, T& v) {
    need(sizeof(T), 1, name);
    ar_(v);
  }
  // A bool is one byte, 0 or 1: any other byte would make an invalid bool.
  void value(const char* name, bool& v) {
    std::uint8_t byte = 0;
    value(name, byte);
    if (byte > 1) bad(std::string(name) + " at byte " + std::to_string(source_.position() - 1) + " is " + std::to_string(byte) + ", not a bool");
    v = byte != 0;
  }
  void text(const char* name, std::string& s) {
    const std::uint64_t n = count(name, 1);
    s.resize(n);
    ar_(cereal::binary_data(s.data(), n));
  }
  std::uint64_t beginArray(const char* name, std::uint64_t, std::size_t minBytes) { return count(name, minBytes); }
  void endArray() {}
  void beginObject(const char*) {}
  void endObject() {}
  // Checks the column's counts against the bytes left and takes its blobs in
  // place; the values are copied into a Column by finish(), all columns in
  // parallel (the copies and their first-touch page faults are most of a
  // decode). `m.owned` is reserved by the walk: the slot's address holds.
  void column(ModelData& m, std::uint32_t c) {
    const Type type = m.attributes[c].type;
    const std::uint64_t rows = m.rows;
    const char* nulls = take((rows + 63) / 64, sizeof(std::uint64_t), "null bitmap");
    const char* values = nullptr;
    const char* lengths = nullptr;
    std::uint64_t total = 0;
    switch (type) {
      case Type::Int: values = take(rows, sizeof(std::int64_t), "Int column"); break;
      case Type::Real: values = take(rows, sizeof(double), "Real column"); break;
      case Type::Bool: values = take(rows, sizeof(std::uint8_t), "Bool column"); break;
      case Type::Text:
        lengths = take(rows, sizeof(std::uint64_t), "text lengths");
        total = count("text bytes", 1);
        values = take(total, 1, "text bytes");
        break;
    }
    Column* slot = &m.owned.emplace_back(type);
    pending_.emplace_back([&m, c, slot, type, rows, nulls, values, lengths, total] {
      *slot = build(m, c, type, rows, nulls, values, lengths, total);
    });
    if (progress_) progress_(source_.position(), total_);
  }
  void finish() {
    if (source_.remaining() != 0) {
      bad(std::to_string(source_.remaining()) + " bytes left over at byte " + std::to_string(source_.position()));
    }
    runInParallel(pending_);  // rethrows the first column's error, in file order
    if (progress_) progress_(total_, total_);
  }



 private:
  // Refuses `n` elements of at least `bytes` bytes each unless they fit in
  // what is left: a count is never trusted further than the file goes.
  void need(std::uint64_t n, std::uint64_t bytes, const char* what) {
    const std::uint64_t left = source_.remaining();
    if (bytes != 0 && n > left / bytes) {
      bad(std::string(what) + " at byte " + std::to_string(source_.position()) + " claims " + std::to_string(n) +
          " elements of " + std::to_string(bytes) + " bytes, but only " + std::to_string(left) + " bytes remain");
    }
  }
  std::uint64_t count(const char* what, std::size_t minBytes) {
    std::uint64_t n = 0;
    need(1, sizeof n, what);
    ar_(n);
    need(n, minBytes, what);
    return n;
  }
  // `n` elements of `bytes` bytes each, in place (after need()).
  const char* take(std::uint64_t n, std::size_t bytes, const char* what) {
    need(n, bytes, what);
    const char* at = source_.current();
    source_.skip(n * bytes);
    return at;
  }
  template <class T>
  static std::vector<T> copyOf(const char* from, std::uint64_t n) {
    std::vector<T> v(n);
    if (n != 0) std::memcpy(v.data(), from, n * sizeof(T));
    return v;
  }
  // Column `c` of `m` from its blobs (see column()).
  static Column build(const ModelData& m, std::uint32_t c, Type type, std::uint64_t rows, const char* nulls,
                      const char* values, const char* lengthBytes, std::uint64_t total) {
    std::vector<std::int64_t> ints;
    std::vector<double> reals;
    std::vector<std::uint8_t> bools;
    std::vector<TextCell> texts;
    switch (type) {
      case Type::Int: ints = copyOf<std::int64_t>(values, rows); break;
      case Type::Real: reals = copyOf<double>(values, rows); break;
      case Type::Bool: bools = copyOf<std::uint8_t>(values, rows); break;
      case Type::Text: {
        const std::vector<std::uint64_t> lengths = copyOf<std::uint64_t>(lengthBytes, rows);
        texts.reserve(rows);
        std::uint64_t at = 0;
        for (std::uint64_t r = 0; r < rows; ++r) {
          if (lengths[r] > total - at) bad("text lengths of " + m.name + "." + m.attributes[c].name + " exceed its " + std::to_string(total) + " bytes");
          texts.emplace_back(std::string_view(values + at, lengths[r]));
          at += lengths[r];
        }
        if (at != total) bad("text lengths of " + m.name + "." + m.attributes[c].name + " leave " + std::to_string(total - at) + " bytes unused");
        break;
      }
    }
    return columnFromParts(m, c, copyOf<std::uint64_t>(nulls, (rows + 63) / 64), std::move(ints), std::move(reals),
                           std::move(bools), std::move(texts));
  }

  MemorySource source_;
  std::istream is_;
  cereal::BinaryInputArchive ar_;
  std::uint64_t total_;
  const Progress& progress_;
  std::vector<std::function<void()>> pending_;  // one Column build per column, run by finish()
};

}  // namespace relstore::detail::payload
