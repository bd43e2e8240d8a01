// How index keys are derived from column values and hashed.
//
// Every index keys rows by one column's value. Int, Bool and Real columns share
// the numeric key: an int64 (Bool as 0/1; Real as its bit pattern, with -0.0
// folded into 0.0 and every NaN into one NaN, so equal values get equal keys).
// Text columns key by the string. Integers are hashed with a mixing finalizer:
// libstdc++'s identity std::hash piles patterned ids into long probe runs in
// power-of-two tables (DESIGN §2).
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>

#include "storage/column.h"

namespace relstore::detail {

inline std::uint64_t mixHash(std::uint64_t x) noexcept {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

inline std::int64_t realKey(double d) noexcept {
  if (d == 0.0) d = 0.0;  // -0.0 == 0.0
  if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
  return std::bit_cast<std::int64_t>(d);
}

// The numeric key of a non-null row of an Int, Bool or Real column.
inline std::int64_t numericKeyAt(const Column& c, std::uint32_t row) noexcept {
  switch (c.type()) {
    case Type::Int: return c.intAt(row);
    case Type::Bool: return c.boolAt(row) ? 1 : 0;
    case Type::Real: return realKey(c.realAt(row));
    case Type::Text: break;
  }
  return 0;
}

// The numeric key of a non-null value already of the column's type.
inline std::int64_t numericKeyOf(Type type, const Value& v) {
  switch (type) {
    case Type::Int: return v.asInt();
    case Type::Bool: return v.asBool() ? 1 : 0;
    case Type::Real: return realKey(v.asReal());
    case Type::Text: break;
  }
  return 0;
}

struct IntHash {
  using is_transparent = void;
  std::size_t operator()(std::int64_t k) const noexcept { return mixHash(static_cast<std::uint64_t>(k)); }
};

struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  std::size_t operator()(const std::string& s) const noexcept { return (*this)(std::string_view(s)); }
};

struct TextEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
};

// Key policies: the key type of a column, how to read it from a row, and how
// to hash it.
struct NumericKeys {
  using Key = std::int64_t;       // stored in maps
  using Probe = std::int64_t;     // looked up with
  using Hash = IntHash;
  using Eq = std::equal_to<>;
  static Probe at(const Column& c, std::uint32_t row) noexcept { return numericKeyAt(c, row); }
  static Probe of(const Column& c, const Value& v) { return numericKeyOf(c.type(), v); }
};

struct TextKeys {
  using Key = std::string;
  using Probe = std::string_view;
  using Hash = TextHash;
  using Eq = TextEq;
  static Probe at(const Column& c, std::uint32_t row) noexcept { return c.textAt(row); }
  static Probe of(const Column&, const Value& v) { return v.asText(); }
};

}  // namespace relstore::detail
