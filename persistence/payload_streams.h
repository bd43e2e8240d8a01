// The pieces both payload encodings share: the error every decoding problem
// becomes, streams over memory and over a FileSink for cereal's archives,
// and the checked construction of a decoded column. Private to
// payload_codec.cpp (the only code that includes the *_payload_io.h files).
#pragma once

#include <cstdint>
#include <span>
#include <streambuf>
#include <string>
#include <vector>

#include "file_io.h"
#include "relstore/errors.h"
#include "snapshot_data.h"

namespace relstore::detail::payload {

[[noreturn]] inline void bad(const std::string& what) { throw SnapshotError("Bad snapshot payload: " + what); }

// ---- streams over memory ---------------------------------------------------

class StringSink : public std::streambuf {
 public:
  explicit StringSink(std::string& out) : out_(out) {}

 protected:
  int_type overflow(int_type c) override {
    if (c != traits_type::eof()) out_.push_back(static_cast<char>(c));
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    out_.append(s, static_cast<std::size_t>(n));
    return n;
  }

 private:
  std::string& out_;
};

class MemorySource : public std::streambuf {
 public:
  explicit MemorySource(std::span<const char> bytes) {
    char* begin = const_cast<char*>(bytes.data());  // read only: streambuf wants char*
    setg(begin, begin, begin + bytes.size());
  }
  std::uint64_t remaining() const { return static_cast<std::uint64_t>(egptr() - gptr()); }
  std::uint64_t position() const { return static_cast<std::uint64_t>(gptr() - eback()); }
  // The next byte, and moving past `n` bytes (n <= remaining()) without
  // copying them: blobs are taken in place and copied later, in parallel.
  const char* current() const { return gptr(); }
  void skip(std::uint64_t n) { setg(eback(), gptr() + n, egptr()); }
};

// A streambuf handing cereal's output to a FileSink (or, measuring, only
// counting it), and knowing how many bytes went through.
class SinkBuf : public std::streambuf {
 public:
  SinkBuf(FileSink* sink, std::uint64_t start) : sink_(sink), position_(start) {}
  std::uint64_t position() const { return position_; }

 protected:
  int_type overflow(int_type c) override {
    if (c != traits_type::eof()) {
      const char ch = static_cast<char>(c);
      xsputn(&ch, 1);
    }
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (sink_) sink_->write(s, static_cast<std::size_t>(n));
    position_ += static_cast<std::uint64_t>(n);
    return n;
  }

 private:
  FileSink* sink_;  // null: measuring
  std::uint64_t position_;
};

// Column `c` of `m` from decoded parts; any mismatch is a payload error.
inline Column columnFromParts(const ModelData& m, std::uint32_t c, std::vector<std::uint64_t> nulls,
                         std::vector<std::int64_t> ints, std::vector<double> reals, std::vector<std::uint8_t> bools,
                         std::vector<TextCell> texts) {
  try {
    return Column::fromParts(m.attributes[c].type, m.rows, std::move(nulls), std::move(ints), std::move(reals),
                             std::move(bools), std::move(texts));
  } catch (const std::invalid_argument& e) {
    bad("column " + m.name + "." + m.attributes[c].name + ": " + e.what());
  }
}
}  // namespace relstore::detail::payload
