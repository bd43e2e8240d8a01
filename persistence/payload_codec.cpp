#include "payload_codec.h"

#include "binary_payload_io.h"
#include "framing.h"
#include "json_payload_io.h"

namespace relstore::detail {
namespace {

using payload::bad;
using payload::BinaryReader;
using payload::BinaryWriter;
using payload::JsonReader;
using payload::JsonWriter;

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
void association(Io& io, AssociationDef& a, const SnapshotData& data, std::uint32_t version) {
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
  if (version >= 2) {
    io.value("aliased", a.aliased);
  } else if constexpr (Io::loading) {
    // Version 1 kept no flag: an alias other than the default one was given
    // (one given equal to the default reads as not given, as it did then).
    a.aliased = a.as != defaultAlias(a.type, models[a.target].name);
  }
  io.endObject();
}

// `version`: the format version of the payload (saving: kFormatVersion).
template <class Io>
void walk(Io& io, SnapshotData& data, std::uint32_t version = kFormatVersion) {
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
  for (AssociationDef& a : data.associations) association(io, a, data, version);
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

SnapshotData decodePayload(std::span<const char> payload, SnapshotFormat format, std::uint32_t version,
                           const Progress& progress) {
  SnapshotData data;
  try {
    if (format == SnapshotFormat::Binary) {
      BinaryReader io(payload, progress);
      walk(io, data, version);
      io.finish();
    } else {
      detail::payload::checkJsonDepth(payload);
      JsonReader io(payload, progress);
      walk(io, data, version);
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
