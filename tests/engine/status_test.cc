#include "engine/status.h"

#include <gtest/gtest.h>

#include <set>
#include <string_view>

namespace strata {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  STRATA_ASSIGN_OR_RETURN(int h, Half(x));
  STRATA_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(StatusTest, WithContextKeepsCodeAndPrefixesMessage) {
  Status s = Status::Corruption("checksum mismatch").WithContext("segment 3 at offset 4096");
  EXPECT_EQ(s.code(), Code::kCorruption);
  EXPECT_EQ(s.message(), "segment 3 at offset 4096: checksum mismatch");
  EXPECT_EQ(s.ToString(), "CORRUPTION: segment 3 at offset 4096: checksum mismatch");
  EXPECT_TRUE(Status::Ok().WithContext("x").ok());
}

TEST(StatusTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);  // 6 -> 3 -> odd
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "odd");
}

// Every code has its own name: a new code without one would print as UNKNOWN.
TEST(StatusTest, EveryCodeHasItsOwnName) {
  EXPECT_EQ(CodeName(Code::kConflict), "CONFLICT");
  EXPECT_EQ(Status::Conflict("the head moved").ToString(), "CONFLICT: the head moved");
  EXPECT_EQ(Status::Conflict("x").code(), Code::kConflict);
  std::set<std::string_view> names;
  for (int c = static_cast<int>(Code::kOk); c <= static_cast<int>(Code::kConflict); ++c) {
    const std::string_view name = CodeName(static_cast<Code>(c));
    EXPECT_NE(name, "UNKNOWN") << c;
    EXPECT_TRUE(names.insert(name).second) << name;
  }
}

}  // namespace
}  // namespace strata
