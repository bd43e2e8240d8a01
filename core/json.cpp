// Instance::toJSON.
#include <charconv>
#include <cmath>

#include "relstore/instance.h"
#include "store_impl.h"

namespace relstore {

namespace {

void appendString(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char ch : s) {
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (ch < 0x20) {
          static constexpr char hex[] = "0123456789abcdef";
          out += "\\u00";
          out += hex[ch >> 4];
          out += hex[ch & 15];
        } else {
          out += static_cast<char>(ch);
        }
    }
  }
  out += '"';
}

void appendValue(std::string& out, const Value& v) {
  if (v.isNull()) {
    out += "null";
    return;
  }
  switch (v.type()) {
    case Type::Text: appendString(out, v.asText()); break;
    case Type::Real:
      if (!std::isfinite(v.asReal())) {
        out += "null";  // JSON has no NaN or infinity
      } else {
        out += v.toString();
      }
      break;
    default: out += v.toString();
  }
}

}  // namespace

std::string Instance::toJSON() const {
  const detail::ModelImpl& m = *modelImpl();
  std::string out = "{";
  auto emit = [&](std::uint32_t a) {
    if (out.size() > 1) out += ',';
    appendString(out, m.attribute(a).name);
    out += ':';
    appendValue(out, get(m.attribute(a).name));
  };
  if (shape_ && !shape_->attributes.empty()) {
    for (std::uint32_t a : shape_->attributes) emit(a);
  } else {
    for (std::uint32_t a = 0; a < m.attributes().size(); ++a) emit(a);
  }
  if (shape_) {
    const auto& loaded = shape_->included;
    for (std::size_t i = 0; i < loaded.size(); ++i) {
      const detail::AssociationDef& d = m.store().association(loaded[i]);
      const std::size_t at = shape_->at(slot_, i);
      if (out.size() > 1) out += ',';
      appendString(out, d.as);
      out += ':';
      if (detail::isToOne(d.type)) {
        // Rows loaded with this one and destroyed since are shown as they are: gone.
        const Instance* one = shape_->oneAt(at);
        out += one && one->exists() ? one->toJSON() : "null";
      } else {
        const std::vector<Instance>& list = shape_->many[at];
        out += '[';
        bool first = true;
        for (const Instance& row : list) {
          if (!row.exists()) continue;
          if (!first) out += ',';
          first = false;
          out += row.toJSON();
        }
        out += ']';
      }
    }
  }
  if (const auto junction = through(); junction && junction->exists()) {
    // A target reached through a junction shows its junction row, under the junction model's name.
    if (out.size() > 1) out += ',';
    appendString(out, m.store().model(throughModel_).name());
    out += ':';
    out += junction->toJSON();
  }
  out += '}';
  return out;
}

}  // namespace relstore
