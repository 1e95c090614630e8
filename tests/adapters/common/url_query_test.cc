#include "adapters/common/url_query.h"

#include <gtest/gtest.h>

namespace strata::common {
namespace {

TEST(PercentDecode, DecodesEscapesAndLeavesStrayPercentSignsAlone) {
  EXPECT_EQ(PercentDecode("http%3A%2F%2F127.0.0.1%3a9000"), "http://127.0.0.1:9000");
  EXPECT_EQ(PercentDecode("100%"), "100%");
  EXPECT_EQ(PercentDecode("%4"), "%4");
  EXPECT_EQ(PercentDecode("%zz%41"), "%zzA");
}

TEST(PercentDecode, APlusIsASpaceOnlyWhenAsked) {
  EXPECT_EQ(PercentDecode("a+b"), "a+b");
  EXPECT_EQ(PercentDecode("a+b%2B", true), "a b+");
}

TEST(SplitQuery, GivesEachPartInOrderWithItsDecodedValueAndTheTextAsWritten) {
  const auto parts = SplitQuery("log=acme%2Fprod&&flag&sslmode=require&e=a=b");
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[0].key, "log");
  EXPECT_EQ(parts[0].value, "acme/prod");
  EXPECT_EQ(parts[0].raw, "log=acme%2Fprod");
  EXPECT_EQ(parts[1].key, "flag");
  EXPECT_EQ(parts[1].value, "");
  EXPECT_EQ(parts[2].raw, "sslmode=require");
  EXPECT_EQ(parts[3].key, "e");
  EXPECT_EQ(parts[3].value, "a=b");
  EXPECT_TRUE(SplitQuery("").empty());
}

}  // namespace
}  // namespace strata::common
