#include "adapters/dynamodb/target.h"

#include <gtest/gtest.h>

#include "tests/adapters/dynamodb/fake_dynamodb.h"
#include "tests/adapters/dynamodb/test_tables.h"

namespace strata::dynamodb {
namespace {

using strata::dynamodb::testing::SimpleTable;
using strata::testing::FakeKeyArn;
using strata::testing::FakeKms;

LiveTable LiveLedger() {
  LiveTable live;
  live.status = "ACTIVE";
  live.table = SimpleTable("ledger");
  live.table.mutable_encryption()->set_key(pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED);
  live.table.mutable_encryption()->set_kms_key(FakeKeyArn("alias/ledger"));
  live.table.mutable_on_demand_throughput()->set_max_read_request_units(700);
  live.table.mutable_warm_throughput()->set_read_units_per_second(12000);
  live.table.mutable_warm_throughput()->set_write_units_per_second(4000);
  return live;
}

// What drift, import and export read: nothing the table really has is lost, a key the record
// names by alias stays named so, and the service's own warm throughput is not a setting.
TEST(DynamoLive, SchemaKeepsEverySettingInTheBaseTerms) {
  auto kms = std::make_shared<FakeKms>();
  auto names = std::shared_ptr<KeyNames>(new KmsKeyNames(*kms), [kms](KeyNames* k) { delete k; });
  DynamoLive live({LiveLedger()}, names);

  pb::SchemaState base;
  pb::DynamoTable recorded = SimpleTable("ledger");
  recorded.mutable_encryption()->set_key(pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED);
  recorded.mutable_encryption()->set_kms_key("alias/ledger");
  (*base.mutable_dynamodb()->mutable_tables())["ledger"] = recorded;
  const pb::DynamoTable seen = live.Schema(&base).dynamodb().tables().at("ledger");
  EXPECT_EQ(seen.encryption().kms_key(), "alias/ledger");
  EXPECT_EQ(seen.on_demand_throughput().max_read_request_units(), 700) << "never silently lost";
  EXPECT_FALSE(seen.has_warm_throughput()) << "the service's starting value";

  const pb::DynamoTable unknown = live.Schema(nullptr).dynamodb().tables().at("ledger");
  EXPECT_EQ(unknown.encryption().kms_key(), FakeKeyArn("alias/ledger"))
      << "without a record the key is written as the service reports it";
}

TEST(DynamoLive, ARaisedWarmThroughputAndTheManagedKeyAreReported) {
  LiveTable t = LiveLedger();
  t.table.mutable_encryption()->set_kms_key(FakeKeyArn("alias/aws/dynamodb"));
  t.table.mutable_warm_throughput()->set_read_units_per_second(30000);
  auto kms = std::make_shared<FakeKms>();
  auto names = std::shared_ptr<KeyNames>(new KmsKeyNames(*kms), [kms](KeyNames* k) { delete k; });
  DynamoLive live({t}, names);
  const pb::DynamoTable seen = live.Schema(nullptr).dynamodb().tables().at("ledger");
  EXPECT_EQ(seen.encryption().key(), pb::DYNAMO_ENCRYPTION_KEY_AWS_MANAGED);
  EXPECT_EQ(seen.warm_throughput().read_units_per_second(), 30000);
}

}  // namespace
}  // namespace strata::dynamodb
