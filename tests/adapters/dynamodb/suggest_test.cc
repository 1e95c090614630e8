#include "adapters/dynamodb/suggest.h"

#include <gtest/gtest.h>

#include "proto/dynamodb.pb.h"

namespace strata::dynamodb::internal {
namespace {

const KeyList kTableKeys = {"table", "partition_key", "sort_key", "billing", "global_indexes"};

TEST(SuggestTest, EditDistanceIgnoresCaseAndCountsASwapAsOneEdit) {
  EXPECT_EQ(EditDistance("sort_key", "SORT_KEY"), 0);
  EXPECT_EQ(EditDistance("sotr_key", "sort_key"), 1);
  EXPECT_EQ(EditDistance("sortkey", "sort_key"), 1);
  EXPECT_EQ(EditDistance("", "abc"), 3);
}

TEST(SuggestTest, NearestKeyTakesAliasesThenNearMissesThenNothing) {
  EXPECT_EQ(NearestKey("pk", kTableKeys), "partition_key");
  EXPECT_EQ(NearestKey("GSI", kTableKeys), "global_indexes");
  EXPECT_EQ(NearestKey("Sort_Key", kTableKeys), "sort_key");
  EXPECT_EQ(NearestKey("biling", kTableKeys), "billing");
  EXPECT_EQ(NearestKey("owner", kTableKeys), "");
  // An alias whose target is not allowed here suggests nothing.
  EXPECT_EQ(NearestKey("ttl_attr", {"name", "type"}), "");
  EXPECT_EQ(NearestKey("lsi", kTableKeys), "");
}

TEST(SuggestTest, Messages) {
  EXPECT_EQ(UnknownKeyMessage("sortkey", "table file", kTableKeys),
            "unknown key \"sortkey\" in table file; did you mean \"sort_key\"?");
  EXPECT_EQ(UnknownKeyMessage("owner", "tags", {"a", "b"}),
            "unknown key \"owner\" in tags; expected one of: a, b");
  EXPECT_EQ(UnknownValueMessage("billing mode", "free", {"pay_per_request", "provisioned"}),
            "unknown billing mode \"free\"; use pay_per_request or provisioned");
  EXPECT_EQ(JoinOr({"S"}), "S");
  EXPECT_EQ(JoinOr({"S", "N", "B"}), "S, N or B");
}

constexpr EnumWord<pb::DynamoBillingMode> kBilling[] = {
    {"PROVISIONED", pb::DYNAMO_BILLING_MODE_PROVISIONED},
    {"PAY_PER_REQUEST", pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST},
};

TEST(SuggestTest, LookUpMatchesCaseOnlyWhenAsked) {
  pb::DynamoBillingMode mode = pb::DYNAMO_BILLING_MODE_UNSPECIFIED;
  EXPECT_TRUE(LookUp(kBilling, "PROVISIONED", /*any_case=*/false, &mode));
  EXPECT_EQ(mode, pb::DYNAMO_BILLING_MODE_PROVISIONED);
  EXPECT_FALSE(LookUp(kBilling, "pay_per_request", /*any_case=*/false, &mode));
  EXPECT_EQ(mode, pb::DYNAMO_BILLING_MODE_PROVISIONED);
  EXPECT_TRUE(LookUp(kBilling, "pay_per_request", /*any_case=*/true, &mode));
  EXPECT_EQ(mode, pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST);
  EXPECT_EQ(WordsOf(kBilling), (KeyList{"PROVISIONED", "PAY_PER_REQUEST"}));
}

}  // namespace
}  // namespace strata::dynamodb::internal
