// relstore/value.h — one attribute value: null, Int, Real, Bool or Text.
//
// What it is: a small tagged value used at the API boundary: in records passed
// to `create`/`update`, in `where` conditions, and as what `Instance::get`
// returns. Inside the store values live unboxed in typed columns; `Value` only
// exists where data crosses the API.
//
// When to use it: whenever relstore asks for or hands out one attribute value.
// Any integer converts to Int, `double` to Real, `bool` to Bool, strings to
// Text, `nullptr` (or a default-constructed Value) to null.
//
//   relstore::Value level = 3;             // Int
//   relstore::Value name = "Ann";          // Text
//   int64_t l = level.asInt();             // 3
//   double d = level.as<double>();         // TypeError: Int is not Real
//   std::string s = level.toString();      // "3"
//
// Comparison: `==` and `<=>` compare Int and Real numerically (1 == 1.0);
// values of the same type compare naturally (Text bytewise); null equals only
// null; any other pair of types is unordered (and unequal).
//
// Cost: Int, Real, Bool and null are held inline; Text owns a std::string.
#pragma once

#include <compare>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace relstore {

using Id = std::int64_t;

// The four attribute types. Names match `Value` accessors: Int=int64_t,
// Real=double, Bool=bool, Text=std::string.
enum class Type : std::uint8_t { Int, Real, Bool, Text };

// "Int", "Real", "Bool" or "Text".
std::string_view typeName(Type type) noexcept;

class Value {
 public:
  Value() noexcept = default;
  Value(std::nullptr_t) noexcept {}
  template <std::integral I>
    requires(!std::same_as<I, bool>)
  Value(I v) noexcept : v_(static_cast<std::int64_t>(v)) {}
  Value(double v) noexcept : v_(v) {}
  Value(bool v) noexcept : v_(v) {}
  Value(const char* v) : v_(std::string(v)) {}
  Value(std::string v) noexcept : v_(std::move(v)) {}
  Value(std::string_view v) : v_(std::string(v)) {}

  // True for null. Never throws.
  bool isNull() const noexcept { return v_.index() == 0; }
  // The type held. Throws TypeError on null (null has no type).
  Type type() const;

  // The value as the named type. Exact: no conversions, not even Int→Real;
  // another type (or null) throws TypeError naming both types.
  std::int64_t asInt() const;
  double asReal() const;
  bool asBool() const;
  const std::string& asText() const;

  // T is one of int64_t (or another integral type), double, bool, std::string.
  // Same rules as the asX() accessors.
  template <class T>
  T as() const {
    if constexpr (std::same_as<T, bool>) {
      return asBool();
    } else if constexpr (std::integral<T>) {
      return static_cast<T>(asInt());
    } else if constexpr (std::same_as<T, double>) {
      return asReal();
    } else if constexpr (std::same_as<T, std::string>) {
      return asText();
    } else {
      static_assert(sizeof(T) == 0, "Value::as<T>: T must be an integer, double, bool or std::string");
    }
  }

  // Text as is, integers in decimal, reals in shortest round-trip form,
  // "true"/"false", "null".
  std::string toString() const;

  friend bool operator==(const Value& a, const Value& b) noexcept;
  friend std::partial_ordering operator<=>(const Value& a, const Value& b) noexcept;

 private:
  std::variant<std::monostate, std::int64_t, double, bool, std::string> v_;
};

}  // namespace relstore
