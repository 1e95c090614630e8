#include "adapters/aws/sts.h"

#include <gtest/gtest.h>

namespace strata::aws {
namespace {

TEST(FormEncodeTest, SortedKeysAndSigV4Encoding) {
  EXPECT_EQ(FormEncode({{"Version", "2011-06-15"}, {"Action", "AssumeRole"},
                        {"RoleArn", "arn:aws:iam::1:role/a b+c"}}),
            "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa%20b%2Bc&"
            "Version=2011-06-15");
}

TEST(ParseIso8601Test, UtcForms) {
  auto t = ParseIso8601("2026-03-01T12:00:00Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*t), 1772366400);
  auto fractional = ParseIso8601("2026-03-01T12:00:00.123Z");
  ASSERT_TRUE(fractional.ok());
  EXPECT_EQ(*fractional, *t);
  auto offset = ParseIso8601("2026-03-01T12:00:00+00:00");
  ASSERT_TRUE(offset.ok());
  EXPECT_EQ(*offset, *t);
}

TEST(ParseIso8601Test, OtherZonesAndGarbageAreInvalid) {
  EXPECT_EQ(ParseIso8601("2026-03-01T12:00:00+02:00").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseIso8601("yesterday").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ParseIso8601("2026-03-01").status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace strata::aws
