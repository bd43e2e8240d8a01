// Value: the boxed attribute value used at the API boundary.
#include "relstore/value.h"

#include <charconv>
#include <cmath>

#include "relstore/errors.h"

namespace relstore {

std::string_view typeName(Type type) noexcept {
  switch (type) {
    case Type::Int: return "Int";
    case Type::Real: return "Real";
    case Type::Bool: return "Bool";
    case Type::Text: return "Text";
  }
  return "?";
}

namespace {

std::string_view heldName(std::size_t index) {
  constexpr std::string_view names[] = {"null", "Int", "Real", "Bool", "Text"};
  return names[index];
}

[[noreturn]] void wrongType(std::size_t held, std::string_view wanted) {
  throw TypeError("Value holds " + std::string(heldName(held)) + ", not " + std::string(wanted));
}

}  // namespace

Type Value::type() const {
  if (isNull()) throw TypeError("Value is null and has no type");
  return static_cast<Type>(v_.index() - 1);
}

std::int64_t Value::asInt() const {
  if (auto* p = std::get_if<std::int64_t>(&v_)) return *p;
  wrongType(v_.index(), "Int");
}

double Value::asReal() const {
  if (auto* p = std::get_if<double>(&v_)) return *p;
  wrongType(v_.index(), "Real");
}

bool Value::asBool() const {
  if (auto* p = std::get_if<bool>(&v_)) return *p;
  wrongType(v_.index(), "Bool");
}

const std::string& Value::asText() const {
  if (auto* p = std::get_if<std::string>(&v_)) return *p;
  wrongType(v_.index(), "Text");
}

std::string Value::toString() const {
  switch (v_.index()) {
    case 0: return "null";
    case 1: return std::to_string(std::get<std::int64_t>(v_));
    case 2: {
      double d = std::get<double>(v_);
      if (std::isnan(d)) return "nan";
      if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
      char buf[32];
      auto res = std::to_chars(buf, buf + sizeof buf, d);  // shortest round-trip
      return std::string(buf, res.ptr);
    }
    case 3: return std::get<bool>(v_) ? "true" : "false";
    default: return std::get<std::string>(v_);
  }
}

namespace {
bool isNumeric(std::size_t index) { return index == 1 || index == 2; }
double numeric(const std::variant<std::monostate, std::int64_t, double, bool, std::string>& v) {
  return v.index() == 1 ? static_cast<double>(std::get<1>(v)) : std::get<2>(v);
}
}  // namespace

std::partial_ordering operator<=>(const Value& a, const Value& b) noexcept {
  const auto ia = a.v_.index(), ib = b.v_.index();
  if (ia == ib) {
    switch (ia) {
      case 0: return std::partial_ordering::equivalent;
      case 1: return std::get<1>(a.v_) <=> std::get<1>(b.v_);
      case 2: return std::get<2>(a.v_) <=> std::get<2>(b.v_);
      case 3: return std::get<3>(a.v_) <=> std::get<3>(b.v_);
      default: return std::get<4>(a.v_).compare(std::get<4>(b.v_)) <=> 0;
    }
  }
  if (isNumeric(ia) && isNumeric(ib)) return numeric(a.v_) <=> numeric(b.v_);
  return std::partial_ordering::unordered;
}

bool operator==(const Value& a, const Value& b) noexcept {
  return (a <=> b) == std::partial_ordering::equivalent;
}

}  // namespace relstore
