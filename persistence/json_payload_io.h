// The JSON payload's two Io flavours for the walk in payload_codec.cpp, and
// how texts that are not plain UTF-8 are escaped. Private to payload_codec.cpp.
#pragma once

#include <istream>
#include <ostream>

#include <cereal/archives/json.hpp>
#include <cereal/types/string.hpp>

#include "payload_streams.h"

namespace relstore::detail::payload {

// ---- texts in JSON ----------------------------------------------------------

inline constexpr std::string_view kHexMarker = "\x1bhex:";

inline bool plainUtf8(std::string_view s) {
  if (s.starts_with(kHexMarker)) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned c = *p;
    int extra = 0;
    unsigned min = 0;
    if (c == 0) return false;
    if (c < 0x80) { ++p; continue; }
    if ((c & 0xe0) == 0xc0) { extra = 1; min = 0x80; }
    else if ((c & 0xf0) == 0xe0) { extra = 2; min = 0x800; }
    else if ((c & 0xf8) == 0xf0) { extra = 3; min = 0x10000; }
    else return false;
    if (end - p <= extra) return false;
    unsigned cp = c & (0x3fu >> extra);
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    p += extra + 1;
  }
  return true;
}

inline std::string toJsonText(std::string_view s) {
  if (plainUtf8(s)) return std::string(s);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(kHexMarker);
  out.reserve(kHexMarker.size() + 2 * s.size());
  for (unsigned char c : s) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

inline std::string fromJsonText(std::string s) {
  if (!s.starts_with(kHexMarker)) return s;
  const std::string_view hex = std::string_view(s).substr(kHexMarker.size());
  if (hex.size() % 2 != 0) bad("odd-length hex text");
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    bad(std::string("bad hex digit '") + c + "' in a text");
  };
  std::string out(hex.size() / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<char>(digit(hex[2 * i]) * 16 + digit(hex[2 * i + 1]));
  }
  return out;
}

class JsonWriter {
 public:
  static constexpr bool loading = false;
  explicit JsonWriter(std::string& out) : sink_(out), os_(&sink_), ar_(os_, cereal::JSONOutputArchive::Options(
                                                                               324, cereal::JSONOutputArchive::Options::IndentChar::space, 1)) {}

  template <class T>
  void value(const char* name, T& v) { put(name, v); }
  void text(const char* name, std::string& s) { put(name, toJsonText(s)); }
  std::uint64_t beginArray(const char* name, std::uint64_t n, std::size_t) {
    ar_.setNextName(name);
    ar_.startNode();
    ar_.makeArray();
    return n;
  }
  void endArray() { ar_.finishNode(); }
  void beginObject(const char* name) {
    ar_.setNextName(name);
    ar_.startNode();
  }
  void endObject() { ar_.finishNode(); }
  void column(ModelData& m, std::uint32_t c) {
    const Column* col = m.columns[c];
    const std::vector<std::uint64_t>& nullWords = col->nullWords();
    auto isNull = [&](std::uint32_t r) { return (nullWords[r >> 6] >> (r & 63)) & 1; };
    std::uint64_t nullCount = 0;
    for (std::uint32_t r = 0; r < m.rows; ++r) nullCount += isNull(r);
    beginArray("nulls", nullCount, 0);
    for (std::uint32_t r = 0; r < m.rows; ++r) {
      if (isNull(r)) ar_(r);
    }
    endArray();
    beginArray("values", m.rows, 0);
    for (std::uint32_t r = 0; r < m.rows; ++r) {
      switch (col->type()) {
        case Type::Int: ar_(col->intAt(r)); break;
        case Type::Real: ar_(col->realAt(r)); break;
        case Type::Bool: ar_(col->boolAt(r)); break;
        case Type::Text: ar_(toJsonText(col->textAt(r))); break;
      }
    }
    endArray();
  }

 private:
  template <class T>
  void put(const char* name, const T& v) {
    if (name) ar_(cereal::make_nvp(name, v)); else ar_(v);
  }
  StringSink sink_;
  std::ostream os_;
  cereal::JSONOutputArchive ar_;
};

// JSON nesting deeper than this is refused before rapidjson (which recurses) sees it.
inline constexpr int kMaxJsonDepth = 32;

inline void checkJsonDepth(std::span<const char> bytes) {
  int depth = 0;
  bool inString = false, escaped = false;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') inString = false;
      continue;
    }
    if (c == '"') inString = true;
    else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) bad("JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " at byte " + std::to_string(i));
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
}

class JsonReader {
 public:
  static constexpr bool loading = true;
  JsonReader(std::span<const char> bytes, const Progress& progress)
      : source_(bytes), is_(&source_), ar_(is_), payloadBytes_(bytes.size()), progress_(progress) {}

  template <class T>
  void value(const char* name, T& v) { get(name, v); }
  void text(const char* name, std::string& s) {
    get(name, s);
    s = fromJsonText(std::move(s));
  }
  std::uint64_t beginArray(const char* name, std::uint64_t, std::size_t) {
    ar_.setNextName(name);
    ar_.startNode();
    cereal::size_type n = 0;
    ar_.loadSize(n);
    return n;
  }
  void endArray() { ar_.finishNode(); }
  void beginObject(const char* name) {
    ar_.setNextName(name);
    ar_.startNode();
  }
  void endObject() { ar_.finishNode(); }
  void column(ModelData& m, std::uint32_t c) {
    const Type type = m.attributes[c].type;
    const std::uint32_t rows = m.rows;
    // Every row takes at least a byte of "values": a larger count sizes nothing.
    if (rows > payloadBytes_) bad(m.name + " claims " + std::to_string(rows) + " rows in a " + std::to_string(payloadBytes_) + "-byte payload");
    std::vector<std::uint64_t> nulls((static_cast<std::size_t>(rows) + 63) / 64);
    std::vector<std::int64_t> ints;
    std::vector<double> reals;
    std::vector<std::uint8_t> bools;
    std::vector<TextCell> texts;
    const std::uint64_t nullCount = beginArray("nulls", 0, 0);
    for (std::uint64_t i = 0; i < nullCount; ++i) {
      std::uint32_t r = 0;
      ar_(r);
      if (r >= rows) bad("null row " + std::to_string(r) + " of " + m.name + "." + m.attributes[c].name + " is past its " + std::to_string(rows) + " rows");
      nulls[r >> 6] |= std::uint64_t{1} << (r & 63);
    }
    endArray();
    const std::uint64_t n = beginArray("values", 0, 0);
    if (n != rows) bad(m.name + "." + m.attributes[c].name + " has " + std::to_string(n) + " values for " + std::to_string(rows) + " rows");
    for (std::uint32_t r = 0; r < rows; ++r) {
      switch (type) {
        case Type::Int: ar_(ints.emplace_back()); break;
        case Type::Real: ar_(reals.emplace_back()); break;
        case Type::Bool: {
          bool b = false;
          ar_(b);
          bools.push_back(b);
          break;
        }
        case Type::Text: {
          std::string s;
          ar_(s);
          texts.emplace_back(fromJsonText(std::move(s)));
          break;
        }
      }
    }
    endArray();
    m.owned.push_back(columnFromParts(m, c, std::move(nulls), std::move(ints), std::move(reals),
                                               std::move(bools), std::move(texts)));
  }
  void finish() {
    if (progress_) progress_(source_.position(), source_.position());
  }

 private:
  template <class T>
  void get(const char* name, T& v) {
    if (name) ar_(cereal::make_nvp(name, v)); else ar_(v);
  }
  MemorySource source_;
  std::istream is_;
  cereal::JSONInputArchive ar_;
  std::uint64_t payloadBytes_;
  const Progress& progress_;
};

}  // namespace relstore::detail::payload
