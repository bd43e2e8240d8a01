#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "relstore/errors.h"
#include "relstore/value.h"

using namespace relstore;

TEST(Value, DefaultAndNullptrAreNull) {
  EXPECT_TRUE(Value().isNull());
  EXPECT_TRUE(Value(nullptr).isNull());
  EXPECT_THROW(Value().type(), TypeError);
}

TEST(Value, AnyIntegerBecomesInt) {
  EXPECT_EQ(Value(3).type(), Type::Int);
  EXPECT_EQ(Value(std::uint16_t{7}).asInt(), 7);
  EXPECT_EQ(Value(-5L).asInt(), -5);
  EXPECT_EQ(Value(true).type(), Type::Bool);
  EXPECT_EQ(Value(2.5).type(), Type::Real);
  EXPECT_EQ(Value("a").type(), Type::Text);
  EXPECT_EQ(Value(std::string_view("b")).asText(), "b");
}

TEST(Value, AccessorsOfAnotherTypeThrowTypeError) {
  EXPECT_THROW(Value(1).asReal(), TypeError);
  EXPECT_THROW(Value(1.0).asInt(), TypeError);
  EXPECT_THROW(Value("x").asBool(), TypeError);
  EXPECT_THROW(Value(true).asText(), TypeError);
  EXPECT_THROW(Value().asInt(), TypeError);
  EXPECT_THROW(Value(1).as<std::string>(), TypeError);
  EXPECT_EQ(Value(42).as<int>(), 42);
  EXPECT_EQ(Value(4.5).as<double>(), 4.5);
  EXPECT_EQ(Value("s").as<std::string>(), "s");
}

TEST(Value, ToStringFollowsTheDesign) {
  EXPECT_EQ(Value("plain text").toString(), "plain text");
  EXPECT_EQ(Value(-120).toString(), "-120");
  EXPECT_EQ(Value(0.1).toString(), "0.1");
  EXPECT_EQ(Value(1e300).toString(), "1e+300");
  EXPECT_EQ(Value(2.0).toString(), "2");
  EXPECT_EQ(Value(true).toString(), "true");
  EXPECT_EQ(Value(false).toString(), "false");
  EXPECT_EQ(Value().toString(), "null");
  const double third = 1.0 / 3.0;
  EXPECT_EQ(std::stod(Value(third).toString()), third);  // round-trips
}

TEST(Value, IntAndRealCompareNumerically) {
  EXPECT_EQ(Value(1), Value(1.0));
  EXPECT_LT(Value(1), Value(1.5));
  EXPECT_GT(Value(2.5), Value(2));
  EXPECT_NE(Value(1), Value(2));
}

TEST(Value, NullEqualsOnlyNullAndOtherTypesAreUnordered) {
  EXPECT_EQ(Value(), Value(nullptr));
  EXPECT_NE(Value(), Value(0));
  EXPECT_EQ(Value(1) <=> Value("1"), std::partial_ordering::unordered);
  EXPECT_EQ(Value(true) <=> Value(1), std::partial_ordering::unordered);
  EXPECT_NE(Value(true), Value(1));
  EXPECT_LT(Value("apple"), Value("banana"));
  EXPECT_LT(Value(false), Value(true));
}
