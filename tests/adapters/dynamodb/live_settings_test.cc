#include "adapters/dynamodb/live_settings.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "tests/adapters/dynamodb/fake_dynamodb.h"
#include "tests/adapters/dynamodb/test_tables.h"

namespace strata::dynamodb {
namespace {

using google::protobuf::util::MessageDifferencer;
using strata::dynamodb::testing::AddGlobalIndex;
using strata::dynamodb::testing::SimpleTable;
using strata::testing::FakeKeyArn;
using strata::testing::FakeKms;

constexpr char kKeyArn[] = "arn:aws:kms:us-east-1:123456789012:key/key-for-orders";

pb::DynamoTable WithKey(pb::DynamoTable t, pb::DynamoEncryptionKey kind, const std::string& id) {
  t.mutable_encryption()->set_key(kind);
  if (!id.empty()) t.mutable_encryption()->set_kms_key(id);
  return t;
}

void SetWarm(pb::DynamoWarmThroughput* w, int64_t read, int64_t write) {
  w->set_read_units_per_second(read);
  w->set_write_units_per_second(write);
}

TEST(SameKey, KeyIdsMatchTheirArnWithoutAskingKms) {
  EXPECT_TRUE(SameKey("1234abcd", "arn:aws:kms:us-east-1:1:key/1234abcd", nullptr));
  EXPECT_TRUE(SameKey(kKeyArn, kKeyArn, nullptr));
  EXPECT_FALSE(SameKey("1234abcd", "arn:aws:kms:us-east-1:1:key/9999", nullptr));
  EXPECT_FALSE(SameKey("alias/orders", kKeyArn, nullptr)) << "an alias needs KMS to resolve";
}

TEST(SameKey, AliasesAndAliasArnsAreResolvedThroughKmsOnce) {
  FakeKms kms;
  KmsKeyNames names(kms);
  EXPECT_TRUE(SameKey("alias/orders", kKeyArn, &names));
  EXPECT_TRUE(SameKey("arn:aws:kms:us-east-1:123456789012:alias/orders", kKeyArn, &names));
  EXPECT_FALSE(SameKey("alias/payments", kKeyArn, &names));
  EXPECT_TRUE(SameKey("alias/orders", kKeyArn, &names));
  EXPECT_EQ(kms.calls, 3) << "each name is looked up once";
}

TEST(NormalizeLiveTable, TheAwsDynamodbKeyIsTheManagedKey) {
  FakeKms kms;
  KmsKeyNames names(kms);
  pb::DynamoTable live = WithKey(SimpleTable("t"), pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED,
                                 FakeKeyArn("alias/aws/dynamodb"));
  NormalizeLiveTable(nullptr, UnwantedWarm::kIgnore, &names, &live);
  EXPECT_EQ(live.encryption().key(), pb::DYNAMO_ENCRYPTION_KEY_AWS_MANAGED);
  EXPECT_EQ(live.encryption().kms_key(), "");
}

TEST(NormalizeLiveTable, ACustomerKeyIsWrittenTheWayTheSchemaNamesIt) {
  FakeKms kms;
  KmsKeyNames names(kms);
  const pb::DynamoTable wanted =
      WithKey(SimpleTable("t"), pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED, "alias/orders");
  pb::DynamoTable live =
      WithKey(SimpleTable("t"), pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED, kKeyArn);
  NormalizeLiveTable(&wanted, UnwantedWarm::kIgnore, &names, &live);
  EXPECT_TRUE(MessageDifferencer::Equals(live, wanted)) << live.DebugString();

  pb::DynamoTable other = WithKey(SimpleTable("t"), pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED,
                                  FakeKeyArn("alias/payments"));
  NormalizeLiveTable(&wanted, UnwantedWarm::kIgnore, &names, &other);
  EXPECT_EQ(other.encryption().kms_key(), FakeKeyArn("alias/payments")) << "another key stays";
}

TEST(NormalizeLiveTable, WarmThroughputTheSchemaLeavesOutIsIgnoredWhenPlanning) {
  pb::DynamoTable live = SimpleTable("t");
  AddGlobalIndex(&live, "by_a", "a");
  SetWarm(live.mutable_warm_throughput(), 30000, 9000);
  SetWarm(live.mutable_global_indexes(0)->mutable_warm_throughput(), 12000, 4000);
  pb::DynamoTable plan_view = live;
  NormalizeLiveTable(nullptr, UnwantedWarm::kIgnore, nullptr, &plan_view);
  EXPECT_FALSE(plan_view.has_warm_throughput());
  EXPECT_FALSE(plan_view.global_indexes(0).has_warm_throughput());

  // Drift, import and export keep a raised one and drop the service's own.
  pb::DynamoTable record_view = live;
  NormalizeLiveTable(nullptr, UnwantedWarm::kKeepIfRaised, nullptr, &record_view);
  EXPECT_EQ(record_view.warm_throughput().read_units_per_second(), 30000);
  EXPECT_FALSE(record_view.global_indexes(0).has_warm_throughput());

  // Where the schema has one, the live one is kept as it is, whatever its size.
  pb::DynamoTable wanted = live;
  SetWarm(wanted.mutable_global_indexes(0)->mutable_warm_throughput(), 15000, 5000);
  pb::DynamoTable kept = live;
  NormalizeLiveTable(&wanted, UnwantedWarm::kIgnore, nullptr, &kept);
  EXPECT_EQ(kept.global_indexes(0).warm_throughput().read_units_per_second(), 12000);
}

TEST(IsDefaultWarmThroughput, OnDemandDefaultsOrTheProvisionedCapacity) {
  pb::DynamoWarmThroughput w;
  SetWarm(&w, 12000, 4000);
  EXPECT_TRUE(IsDefaultWarmThroughput(w, nullptr));
  SetWarm(&w, 12001, 4000);
  EXPECT_FALSE(IsDefaultWarmThroughput(w, nullptr));
  pb::DynamoThroughput provisioned;
  provisioned.set_read_capacity_units(20000);
  provisioned.set_write_capacity_units(5000);
  SetWarm(&w, 20000, 5000);
  EXPECT_TRUE(IsDefaultWarmThroughput(w, &provisioned));
  EXPECT_FALSE(IsDefaultWarmThroughput(w, nullptr));
}

}  // namespace
}  // namespace strata::dynamodb
