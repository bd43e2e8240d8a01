#include "payload_codec.h"

#include <istream>
#include <ostream>
#include <streambuf>

#include <cereal/archives/binary.hpp>
#include <cereal/archives/json.hpp>
#include <cereal/types/string.hpp>

#include "relstore/errors.h"

namespace relstore::detail {
namespace {

[[noreturn]] void bad(const std::string& what) { throw SnapshotError("Bad snapshot payload: " + what); }

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
};

// ---- texts in JSON ----------------------------------------------------------

constexpr std::string_view kHexMarker = "\x1bhex:";

bool plainUtf8(const std::string& s) {
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

std::string toJsonText(const std::string& s) {
  if (plainUtf8(s)) return s;
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(kHexMarker);
  out.reserve(kHexMarker.size() + 2 * s.size());
  for (unsigned char c : s) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string fromJsonText(std::string s) {
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

// ---- the four Io flavours ----------------------------------------------------
// Each offers: loading; value(name, T&) for u32/u64/i64/double/bool;
// text(name, string&); beginArray(name, count, minBytes) → count and
// endArray(); beginObject(name) / endObject() (name null for an array
// element); column(model, c).

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
    if (!m.columns[c]) return packedTexts(m.packed[c]);
    const Column& col = *m.columns[c];
    blob(col.nullWords());
    switch (col.type()) {
      case Type::Int: blob(col.ints()); break;
      case Type::Real: blob(col.reals()); break;
      case Type::Bool: blob(col.bools()); break;
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

  // A text column: lengths, byte count, bytes (see payload_codec.h).
  void packedTexts(const PackedText& p) {
    blob(p.nulls);
    blob(p.lengths);
    count(p.bytes.size());
    bytes(p.bytes.data(), p.bytes.size());
  }
  // The same straight from a column's strings, through bounded buffers.
  void liveTexts(const std::vector<std::string>& texts) {
    constexpr std::size_t kChunk = std::size_t{1} << 20;
    std::vector<std::uint64_t> lengths;
    std::uint64_t total = 0;
    for (std::size_t r = 0; r < texts.size(); r += kChunk / 8) {
      lengths.clear();
      for (std::size_t i = r; i < std::min(texts.size(), r + kChunk / 8); ++i) {
        lengths.push_back(texts[i].size());
        total += texts[i].size();
      }
      blob(lengths);
    }
    count(total);
    std::string chunk;
    chunk.reserve(measuring_ ? 0 : kChunk);
    for (const std::string& t : texts) {
      if (measuring_) continue;
      if (chunk.size() + t.size() > kChunk) {
        bytes(chunk.data(), chunk.size());
        chunk.clear();
      }
      if (t.size() > kChunk) {
        bytes(t.data(), t.size());
      } else {
        chunk.append(t);
      }
    }
    if (measuring_) {
      bytes(nullptr, total);
    } else {
      bytes(chunk.data(), chunk.size());
    }
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
  void column(ModelData& m, std::uint32_t c) {
    const Type type = m.attributes[c].type;
    const std::uint64_t rows = m.rows;
    std::vector<std::uint64_t> nulls;
    std::vector<std::int64_t> ints;
    std::vector<double> reals;
    std::vector<std::uint8_t> bools;
    std::vector<std::string> texts;
    readBlob(nulls, (rows + 63) / 64, "null bitmap");
    switch (type) {
      case Type::Int: readBlob(ints, rows, "Int column"); break;
      case Type::Real: readBlob(reals, rows, "Real column"); break;
      case Type::Bool: readBlob(bools, rows, "Bool column"); break;
      case Type::Text: {
        std::vector<std::uint64_t> lengths;
        readBlob(lengths, rows, "text lengths");
        const std::uint64_t total = count("text bytes", 1);
        std::string bytes;
        readBlob(bytes, total, "text bytes");
        texts.resize(rows);
        std::uint64_t at = 0;
        for (std::uint64_t r = 0; r < rows; ++r) {
          if (lengths[r] > total - at) bad("text lengths of " + m.name + "." + m.attributes[c].name + " exceed its " + std::to_string(total) + " bytes");
          texts[r].assign(bytes.data() + at, lengths[r]);
          at += lengths[r];
        }
        if (at != total) bad("text lengths of " + m.name + "." + m.attributes[c].name + " leave " + std::to_string(total - at) + " bytes unused");
        break;
      }
    }
    m.owned.push_back(makeColumn(m, c, std::move(nulls), std::move(ints), std::move(reals), std::move(bools),
                                 std::move(texts)));
    if (progress_) progress_(source_.position(), total_);
  }
  void finish() {
    if (source_.remaining() != 0) {
      bad(std::to_string(source_.remaining()) + " bytes left over at byte " + std::to_string(source_.position()));
    }
    if (progress_) progress_(total_, total_);
  }

  static Column makeColumn(const ModelData& m, std::uint32_t c, std::vector<std::uint64_t> nulls,
                           std::vector<std::int64_t> ints, std::vector<double> reals, std::vector<std::uint8_t> bools,
                           std::vector<std::string> texts) {
    try {
      return Column::fromParts(m.attributes[c].type, m.rows, std::move(nulls), std::move(ints), std::move(reals),
                               std::move(bools), std::move(texts));
    } catch (const std::invalid_argument& e) {
      bad("column " + m.name + "." + m.attributes[c].name + ": " + e.what());
    }
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
  template <class Container>
  void readBlob(Container& v, std::uint64_t n, const char* what) {
    using T = typename Container::value_type;
    need(n, sizeof(T), what);
    v.resize(n);
    ar_(cereal::binary_data(v.data(), n * sizeof(T)));
  }

  MemorySource source_;
  std::istream is_;
  cereal::BinaryInputArchive ar_;
  std::uint64_t total_;
  const Progress& progress_;
};

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
    const PackedText* packed = col ? nullptr : &m.packed[c];
    const std::vector<std::uint64_t>& nullWords = col ? col->nullWords() : packed->nulls;
    auto isNull = [&](std::uint32_t r) { return (nullWords[r >> 6] >> (r & 63)) & 1; };
    std::uint64_t nullCount = 0;
    for (std::uint32_t r = 0; r < m.rows; ++r) nullCount += isNull(r);
    beginArray("nulls", nullCount, 0);
    for (std::uint32_t r = 0; r < m.rows; ++r) {
      if (isNull(r)) ar_(r);
    }
    endArray();
    beginArray("values", m.rows, 0);
    std::size_t at = 0;  // into packed->bytes
    for (std::uint32_t r = 0; r < m.rows; ++r) {
      if (packed) {
        ar_(toJsonText(packed->bytes.substr(at, packed->lengths[r])));
        at += packed->lengths[r];
        continue;
      }
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
constexpr int kMaxJsonDepth = 32;

void checkJsonDepth(std::span<const char> bytes) {
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
    std::vector<std::string> texts;
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
          texts.push_back(fromJsonText(std::move(s)));
          break;
        }
      }
    }
    endArray();
    m.owned.push_back(BinaryReader::makeColumn(m, c, std::move(nulls), std::move(ints), std::move(reals),
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

// ---- the walk ---------------------------------------------------------------

template <class E>
void enumTag(auto& io, const char* name, E& e, std::uint32_t count, const char* what) {
  std::uint32_t tag = static_cast<std::uint32_t>(e);
  io.value(name, tag);
  if constexpr (std::remove_reference_t<decltype(io)>::loading) {
    if (tag >= count) bad(std::string("unknown ") + what + " tag " + std::to_string(tag));
    e = static_cast<E>(tag);
  }
}

// Loading checks every index against its bound; saving writes what it has.
void index(auto& io, const char* name, std::uint32_t& i, std::size_t bound, const std::string& what) {
  io.value(name, i);
  if constexpr (std::remove_reference_t<decltype(io)>::loading) {
    if (i >= bound) bad(what + " " + std::to_string(i) + " is out of range (" + std::to_string(bound) + ")");
  }
}

// Bounds and names of model `i`, safe for any i (a load checks i first).
std::size_t attributesOf(const std::vector<ModelData>& models, std::uint32_t i) {
  return i < models.size() ? models[i].attributes.size() : 0;
}
std::string nameOf(const std::vector<ModelData>& models, std::uint32_t i) {
  return i < models.size() ? models[i].name : "?";
}

// A Value: tag 0 null, 1 + Type otherwise, then the value.
template <class Io>
void value(Io& io, const char* name, Value& v) {
  auto store = [](Value& target, auto x) {
    if constexpr (Io::loading) target = Value(std::move(x));
  };
  io.beginObject(name);
  std::uint32_t tag = v.isNull() ? 0 : 1 + static_cast<std::uint32_t>(v.type());
  io.value("type", tag);
  switch (tag) {
    case 0: break;
    case 1: { std::int64_t x = Io::loading ? 0 : v.asInt(); io.value("value", x); store(v, x); break; }
    case 2: { double x = Io::loading ? 0.0 : v.asReal(); io.value("value", x); store(v, x); break; }
    case 3: { bool x = Io::loading ? false : v.asBool(); io.value("value", x); store(v, x); break; }
    case 4: { std::string x = Io::loading ? std::string() : v.asText(); io.text("value", x); store(v, std::move(x)); break; }
    default: bad("unknown value tag " + std::to_string(tag));
  }
  io.endObject();
}

template <class Io>
void scopeValues(Io& io, std::vector<std::pair<std::uint32_t, Value>>& scope, std::size_t attributes,
                 const std::string& owner) {
  const std::uint64_t n = io.beginArray("scope", scope.size(), 8);
  if constexpr (Io::loading) scope.resize(n);
  for (auto& [attribute, v] : scope) {
    io.beginObject(nullptr);
    index(io, "attribute", attribute, attributes, "scope attribute of " + owner);
    value(io, "value", v);
    io.endObject();
  }
  io.endArray();
}

template <class Io>
void attribute(Io& io, Attribute& a) {
  io.beginObject(nullptr);
  io.text("name", a.name);
  enumTag(io, "type", a.type, 4, "type");
  io.value("allowNull", a.allowNull);
  io.value("unique", a.unique);
  io.value("index", a.index);
  io.value("primaryKey", a.primaryKey);
  io.value("autoIncrement", a.autoIncrement);
  bool hasDefault = a.defaultValue.has_value();
  io.value("hasDefault", hasDefault);
  Value def = a.defaultValue.value_or(Value());
  value(io, "default", def);
  if constexpr (Io::loading) {
    if (hasDefault) a.defaultValue = std::move(def);
  }
  io.endObject();
}

template <class Io>
void model(Io& io, ModelData& m) {
  io.beginObject(nullptr);
  io.text("name", m.name);
  io.value("idCounter", m.idCounter);
  io.value("rows", m.rows);
  const std::uint64_t attributes = io.beginArray("attributes", m.attributes.size(), 16);
  if constexpr (Io::loading) m.attributes.resize(attributes);
  for (Attribute& a : m.attributes) attribute(io, a);
  io.endArray();
  index(io, "primaryKey", m.pk, m.attributes.size(), "primary key attribute of " + m.name);
  if (Io::loading && m.attributes[m.pk].type != Type::Int) bad("primary key " + m.name + "." + m.attributes[m.pk].name + " is not Int");
  const std::uint64_t columns = io.beginArray("columns", m.columns.size(), 8);
  if (columns != m.attributes.size()) {
    bad(m.name + " has " + std::to_string(columns) + " columns for " + std::to_string(m.attributes.size()) + " attributes");
  }
  if constexpr (Io::loading) m.owned.reserve(columns);
  for (std::uint32_t c = 0; c < columns; ++c) {
    io.beginObject(nullptr);
    io.column(m, c);
    io.endObject();
  }
  io.endArray();
  if constexpr (Io::loading) {  // decoded data can be encoded again as it is
    for (const Column& column : m.owned) m.columns.push_back(&column);
  }
  io.endObject();
}

template <class Io>
void foreignKey(Io& io, ForeignKey& fk, const std::vector<ModelData>& models) {
  io.beginObject(nullptr);
  index(io, "child", fk.child, models.size(), "foreign key model");
  index(io, "column", fk.column, attributesOf(models, fk.child), "foreign key column of " + nameOf(models, fk.child));
  index(io, "parent", fk.parent, models.size(), "referenced model");
  index(io, "parentKey", fk.parentKey, attributesOf(models, fk.parent), "referenced key of " + nameOf(models, fk.parent));
  enumTag(io, "onDelete", fk.onDelete, 5, "action");
  enumTag(io, "onUpdate", fk.onUpdate, 5, "action");
  io.value("onDeleteExplicit", fk.onDeleteExplicit);
  io.value("onUpdateExplicit", fk.onUpdateExplicit);
  io.value("constraints", fk.constraints);
  io.value("hooks", fk.hooks);
  io.value("junction", fk.junction);
  scopeValues(io, fk.scope, attributesOf(models, fk.child), "a foreign key of " + nameOf(models, fk.child));
  io.endObject();
}

template <class Io>
void association(Io& io, AssociationDef& a, const SnapshotData& data) {
  const auto& models = data.models;
  io.beginObject(nullptr);
  enumTag(io, "type", a.type, 4, "association type");
  index(io, "source", a.source, models.size(), "association source");
  index(io, "target", a.target, models.size(), "association target");
  io.text("as", a.as);
  index(io, "foreignKey", a.foreignKey, data.foreignKeys.size(), "association key");
  bool hasOther = a.otherKey.has_value(), hasThrough = a.through.has_value();
  std::uint32_t other = a.otherKey.value_or(0), through = a.through.value_or(0);
  io.value("hasOtherKey", hasOther);
  io.value("otherKey", other);
  io.value("hasThrough", hasThrough);
  io.value("through", through);
  if constexpr (Io::loading) {
    if (hasOther && other >= data.foreignKeys.size()) bad("association other key " + std::to_string(other) + " is out of range");
    if (hasThrough && through >= models.size()) bad("junction model " + std::to_string(through) + " is out of range");
    a.otherKey = hasOther ? std::optional<std::uint32_t>(other) : std::nullopt;
    a.through = hasThrough ? std::optional<std::uint32_t>(through) : std::nullopt;
  }
  io.value("throughUnique", a.throughUnique);
  index(io, "sourceKey", a.sourceKey, attributesOf(models, a.source), "source key of " + a.as);
  index(io, "targetKey", a.targetKey, attributesOf(models, a.target), "target key of " + a.as);
  io.value("hooks", a.hooks);
  scopeValues(io, a.scope, attributesOf(models, a.target), "association " + a.as);
  io.text("foreignKeyName", a.foreignKeyName);
  io.text("otherKeyName", a.otherKeyName);
  io.value("foreignKeyExplicit", a.foreignKeyExplicit);
  io.value("otherKeyExplicit", a.otherKeyExplicit);
  io.endObject();
}

template <class Io>
void walk(Io& io, SnapshotData& data) {
  const std::uint64_t models = io.beginArray("models", data.models.size(), 32);
  if constexpr (Io::loading) data.models.resize(models);
  for (ModelData& m : data.models) model(io, m);
  io.endArray();
  const std::uint64_t keys = io.beginArray("foreignKeys", data.foreignKeys.size(), 32);
  if constexpr (Io::loading) data.foreignKeys.resize(keys);
  for (ForeignKey& fk : data.foreignKeys) foreignKey(io, fk, data.models);
  io.endArray();
  const std::uint64_t associations = io.beginArray("associations", data.associations.size(), 32);
  if constexpr (Io::loading) data.associations.resize(associations);
  for (AssociationDef& a : data.associations) association(io, a, data);
  io.endArray();
}

}  // namespace

std::uint64_t binaryPayloadSize(const SnapshotData& data) {
  BinaryWriter io(nullptr, 0, nullptr);
  walk(io, const_cast<SnapshotData&>(data));  // saving never modifies
  return io.position();
}

void encodeBinaryPayload(const SnapshotData& data, FileSink& out, std::uint64_t start,
                         std::vector<std::size_t>* countOffsets) {
  BinaryWriter io(&out, start, countOffsets);
  walk(io, const_cast<SnapshotData&>(data));  // saving never modifies
}

void encodePayload(const SnapshotData& data, SnapshotFormat format, std::string& out,
                   std::vector<std::size_t>* countOffsets) {
  // The walk reads and writes through one template; saving never modifies.
  auto& mutableData = const_cast<SnapshotData&>(data);
  if (format == SnapshotFormat::Binary) {
    struct Appender final : FileSink {
      std::string& out;
      explicit Appender(std::string& o) : out(o) {}
      void write(const char* d, std::size_t n) override { out.append(d, n); }
    } appender(out);
    out.reserve(out.size() + binaryPayloadSize(data));
    encodeBinaryPayload(data, appender, out.size(), countOffsets);
  } else {
    {
      JsonWriter io(out);
      walk(io, mutableData);
    }  // the archive closes the document when destroyed
    out.push_back('\n');
  }
}

SnapshotData decodePayload(std::span<const char> payload, SnapshotFormat format, const Progress& progress) {
  SnapshotData data;
  try {
    if (format == SnapshotFormat::Binary) {
      BinaryReader io(payload, progress);
      walk(io, data);
      io.finish();
    } else {
      checkJsonDepth(payload);
      JsonReader io(payload, progress);
      walk(io, data);
      io.finish();
    }
  } catch (const SnapshotError&) {
    throw;
  } catch (const std::bad_alloc&) {
    bad("out of memory while decoding");
  } catch (const std::exception& e) {
    // cereal::Exception (short read, malformed JSON, missing field) and
    // rapidjson's type assertions, which cereal turns into exceptions.
    bad(e.what());
  }
  return data;
}

}  // namespace relstore::detail
