#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "engine/state/apply.h"
#include "engine/state/objects.h"
#include "engine/state/validate.h"

namespace strata {
namespace {

using google::protobuf::TextFormat;
using google::protobuf::util::MessageDifferencer;

pb::Event Ev(const std::string& text) {
  pb::Event e;
  EXPECT_TRUE(TextFormat::ParseFromString(text, &e)) << text;
  return e;
}

constexpr char kOrders[] = R"(dynamodb { create_table { table {
  name: "orders" key { partition_key: "customer" sort_key: "id" }
  attributes { name: "id" type: DYNAMO_ATTRIBUTE_TYPE_S }
  attributes { name: "customer" type: DYNAMO_ATTRIBUTE_TYPE_S }
  billing_mode: DYNAMO_BILLING_MODE_PAY_PER_REQUEST
  stream: DYNAMO_STREAM_DISABLED table_class: DYNAMO_TABLE_CLASS_STANDARD } } })";

class DynamoApplyTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Apply(Ev(kOrders), &state_).ok()); }
  const pb::DynamoTable& Orders() { return state_.dynamodb().tables().at("orders"); }
  pb::SchemaState state_;
};

TEST_F(DynamoApplyTest, CreateTableCanonicalizesAttributes) {
  EXPECT_EQ(state_.engine(), pb::ENGINE_DYNAMODB);
  ASSERT_EQ(Orders().attributes_size(), 2);
  EXPECT_EQ(Orders().attributes(0).name(), "customer");  // sorted by name
  EXPECT_EQ(Orders().attributes(1).name(), "id");
}

TEST_F(DynamoApplyTest, CreatingAnExistingTableFailsAndChangesNothing) {
  pb::SchemaState before = state_;
  Status s = Apply(Ev(kOrders), &state_);
  EXPECT_EQ(s.code(), Code::kAlreadyExists);
  EXPECT_EQ(s.message(), "dynamodb table orders already exists");
  EXPECT_TRUE(MessageDifferencer::Equals(before, state_));
}

TEST_F(DynamoApplyTest, DroppingAMissingTableIsNotFound) {
  Status s = Apply(Ev(R"(dynamodb { drop_table { table: "carts" } })"), &state_);
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(), "dynamodb table carts does not exist");
}

TEST_F(DynamoApplyTest, GlobalIndexBringsItsAttributeAndDropRemovesIt) {
  ASSERT_TRUE(Apply(Ev(R"(dynamodb { add_global_index { table: "orders"
      index { name: "by_status" key { partition_key: "status" }
              projection { type: DYNAMO_PROJECTION_TYPE_KEYS_ONLY } }
      attributes { name: "status" type: DYNAMO_ATTRIBUTE_TYPE_S } } })"), &state_).ok());
  ASSERT_EQ(Orders().global_indexes_size(), 1);
  EXPECT_EQ(Orders().attributes_size(), 3);
  ASSERT_TRUE(Apply(Ev(R"(dynamodb { drop_global_index { table: "orders" index: "by_status" } })"),
                    &state_).ok());
  EXPECT_EQ(Orders().global_indexes_size(), 0);
  EXPECT_EQ(Orders().attributes_size(), 2);  // status no longer used by any key
}

TEST_F(DynamoApplyTest, GlobalIndexWithUntypedKeyIsRejected) {
  Status s = Apply(Ev(R"(dynamodb { add_global_index { table: "orders"
      index { name: "by_status" key { partition_key: "status" }
              projection { type: DYNAMO_PROJECTION_TYPE_ALL } } } })"), &state_);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "dynamodb index orders.by_status: key attribute status has no type");
  EXPECT_EQ(Orders().global_indexes_size(), 0);
}

TEST_F(DynamoApplyTest, GlobalIndexCannotRetypeAnExistingAttribute) {
  Status s = Apply(Ev(R"(dynamodb { add_global_index { table: "orders"
      index { name: "by_id" key { partition_key: "id" } projection { type: DYNAMO_PROJECTION_TYPE_ALL } }
      attributes { name: "id" type: DYNAMO_ATTRIBUTE_TYPE_N } } })"), &state_);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "dynamodb index orders.by_id: attribute id is already defined as DYNAMO_ATTRIBUTE_TYPE_S");
}

TEST_F(DynamoApplyTest, RemovingAMissingTagIsNotFound) {
  ASSERT_TRUE(Apply(Ev(R"(dynamodb { set_tag { table: "orders" key: "team" value: "shop" } })"),
                    &state_).ok());
  EXPECT_EQ(Orders().tags().at("team"), "shop");
  Status s = Apply(Ev(R"(dynamodb { remove_tag { table: "orders" key: "owner" } })"), &state_);
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(), "dynamodb table orders has no tag owner");
}

TEST_F(DynamoApplyTest, EventOfAnotherEngineIsRejected) {
  Status s = Apply(Ev(R"(glue { drop_database { database: "x" } })"), &state_);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "a ENGINE_GLUE event cannot apply to a ENGINE_DYNAMODB schema");
}

TEST_F(DynamoApplyTest, ApplyCommitIsAllOrNothing) {
  pb::State state;
  pb::Commit commit;
  commit.set_seq(7);
  commit.set_schema("dynamodb");
  *commit.add_events() = Ev(kOrders);
  *commit.add_events() = Ev(R"(dynamodb { drop_table { table: "missing" } })");
  Status s = ApplyCommit(commit, &state);
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(), "commit 7 event 2: dynamodb table missing does not exist");
  EXPECT_EQ(state.schemas_size(), 0);
  EXPECT_EQ(state.seq(), 0u);
}

TEST(DynamoValidateTest, RejectsUnspecifiedEnums) {
  pb::Event e = Ev(kOrders);
  EXPECT_TRUE(ValidateEvent(e).ok());
  e.mutable_dynamodb()->mutable_create_table()->mutable_table()->set_billing_mode(
      pb::DYNAMO_BILLING_MODE_UNSPECIFIED);
  Status s = ValidateEvent(e);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "dynamodb create_table orders: billing mode is UNSPECIFIED");
  EXPECT_EQ(ValidateEvent(pb::Event()).message(), "event: no change set (kind is UNSPECIFIED)");
  EXPECT_EQ(ValidateEvent(Ev(R"(dynamodb { set_stream { table: "orders" } })")).message(),
            "dynamodb set_stream orders: stream view type is UNSPECIFIED");
}

TEST(DynamoObjectsTest, EveryChangeTouchesItsTable) {
  EXPECT_EQ(TouchedObjects(Ev(kOrders), pb::SchemaState()), std::vector<std::string>{"orders"});
  EXPECT_EQ(TouchedObjects(Ev(R"(dynamodb { set_tag { table: "carts" key: "k" } })"),
                           pb::SchemaState()),
            std::vector<std::string>{"carts"});
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

TEST(ApplyTest, FailedFirstEventLeavesAFreshStateEmpty) {
  pb::SchemaState fresh;
  Status s = Apply(Ev(R"(dynamodb { drop_table { table: "x" } })"), &fresh);
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(fresh.engine(), pb::ENGINE_UNSPECIFIED);
  EXPECT_EQ(fresh.kind_case(), pb::SchemaState::KIND_NOT_SET);
}

TEST_F(DynamoApplyTest, RecoveryAndPolicyAreSetAndCleared) {
  ASSERT_TRUE(Apply(Ev(R"(dynamodb { set_point_in_time_recovery { table: "orders"
      recovery_period_days: 7 } })"), &state_).ok());
  ASSERT_TRUE(Apply(Ev(R"(dynamodb { set_resource_policy { table: "orders"
      policy: "{\"Statement\":[]}" } })"), &state_).ok());
  EXPECT_EQ(Orders().point_in_time_recovery_days(), 7);
  EXPECT_EQ(Orders().resource_policy(), "{\"Statement\":[]}");
  ASSERT_TRUE(Apply(Ev(R"(dynamodb { set_point_in_time_recovery { table: "orders" } })"),
                    &state_).ok());
  ASSERT_TRUE(Apply(Ev(R"(dynamodb { set_resource_policy { table: "orders" } })"), &state_).ok());
  EXPECT_EQ(Orders().point_in_time_recovery_days(), 0);
  EXPECT_EQ(Orders().resource_policy(), "");
  EXPECT_EQ(Apply(Ev(R"(dynamodb { set_resource_policy { table: "nope" } })"), &state_).message(),
            "dynamodb table nope does not exist");
}

TEST_F(DynamoApplyTest, ARecoveryPeriodOutsideOneToThirtyFiveIsInvalid) {
  Status s = ValidateEvent(Ev(R"(dynamodb { set_point_in_time_recovery { table: "orders"
      recovery_period_days: 36 } })"));
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("point-in-time recovery period 36 is not 0-35"), std::string::npos)
      << s.message();
}

TEST_F(DynamoApplyTest, ContributorInsightsAreSetOnTheTableAndAnIndexAndCleared) {
  ASSERT_TRUE(Apply(Ev(R"(dynamodb { add_global_index { table: "orders"
      index { name: "by_status" key { partition_key: "status" } projection { type: DYNAMO_PROJECTION_TYPE_ALL } }
      attributes { name: "status" type: DYNAMO_ATTRIBUTE_TYPE_S } } })"), &state_).ok());
  ASSERT_TRUE(Apply(Ev(R"(dynamodb { set_contributor_insights { table: "orders"
      insights { mode: DYNAMO_CONTRIBUTOR_INSIGHTS_THROTTLED_KEYS } } })"), &state_).ok());
  ASSERT_TRUE(Apply(Ev(R"(dynamodb { set_contributor_insights { table: "orders" index: "by_status"
      insights { mode: DYNAMO_CONTRIBUTOR_INSIGHTS_ACCESSED_AND_THROTTLED_KEYS } } })"), &state_).ok());
  EXPECT_EQ(Orders().contributor_insights().mode(), pb::DYNAMO_CONTRIBUTOR_INSIGHTS_THROTTLED_KEYS);
  EXPECT_EQ(Orders().global_indexes(0).contributor_insights().mode(),
            pb::DYNAMO_CONTRIBUTOR_INSIGHTS_ACCESSED_AND_THROTTLED_KEYS);
  ASSERT_TRUE(Apply(Ev(R"(dynamodb { set_contributor_insights { table: "orders" } })"), &state_).ok());
  EXPECT_FALSE(Orders().has_contributor_insights());
  EXPECT_TRUE(Orders().global_indexes(0).has_contributor_insights());
  EXPECT_EQ(Apply(Ev(R"(dynamodb { set_contributor_insights { table: "orders" index: "nope" } })"),
                  &state_).message(),
            "dynamodb index orders.nope does not exist");
  Status s = ValidateEvent(Ev(R"(dynamodb { set_contributor_insights { table: "orders" insights { } } })"));
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("contributor insights mode is UNSPECIFIED"), std::string::npos);
}

TEST_F(DynamoApplyTest, KinesisDestinationsAreAddedSortedChangedAndRemoved) {
  const std::string b = "arn:aws:kinesis:us-east-1:123456789012:stream/b";
  const std::string a = "arn:aws:kinesis:us-east-1:123456789012:stream/a";
  ASSERT_TRUE(Apply(Ev(R"(dynamodb { add_kinesis_destination { table: "orders" destination {
      stream_arn: ")" + b + R"(" precision: DYNAMO_TIMESTAMP_PRECISION_MILLISECOND } } })"), &state_).ok());
  ASSERT_TRUE(Apply(Ev(R"(dynamodb { add_kinesis_destination { table: "orders" destination {
      stream_arn: ")" + a + R"(" precision: DYNAMO_TIMESTAMP_PRECISION_MILLISECOND } } })"), &state_).ok());
  ASSERT_EQ(Orders().kinesis_destinations_size(), 2);
  EXPECT_EQ(Orders().kinesis_destinations(0).stream_arn(), a);  // sorted by ARN
  Status again = Apply(Ev(R"(dynamodb { add_kinesis_destination { table: "orders" destination {
      stream_arn: ")" + a + R"(" precision: DYNAMO_TIMESTAMP_PRECISION_MICROSECOND } } })"), &state_);
  EXPECT_EQ(again.code(), Code::kAlreadyExists);
  ASSERT_TRUE(Apply(Ev(R"(dynamodb { set_kinesis_destination_precision { table: "orders"
      stream_arn: ")" + b + R"(" precision: DYNAMO_TIMESTAMP_PRECISION_MICROSECOND } })"), &state_).ok());
  EXPECT_EQ(Orders().kinesis_destinations(1).precision(), pb::DYNAMO_TIMESTAMP_PRECISION_MICROSECOND);
  ASSERT_TRUE(Apply(Ev(R"(dynamodb { remove_kinesis_destination { table: "orders"
      stream_arn: ")" + a + R"(" } })"), &state_).ok());
  ASSERT_EQ(Orders().kinesis_destinations_size(), 1);
  EXPECT_EQ(Orders().kinesis_destinations(0).stream_arn(), b);
  EXPECT_EQ(Apply(Ev(R"(dynamodb { remove_kinesis_destination { table: "orders"
      stream_arn: ")" + a + R"(" } })"), &state_).code(), Code::kNotFound);
  Status s = ValidateEvent(Ev(R"(dynamodb { add_kinesis_destination { table: "orders" destination {
      stream_arn: ")" + a + R"(" } } })"));
  EXPECT_NE(s.message().find("precision is UNSPECIFIED"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

TEST_F(DynamoApplyTest, ReplicasAreAddedSortedUpdatedAndRemoved) {
  ASSERT_TRUE(Apply(Ev(R"(dynamodb { add_replica { table: "orders" replica {
      region: "us-west-2" table_class: DYNAMO_TABLE_CLASS_STANDARD } } })"), &state_).ok());
  ASSERT_TRUE(Apply(Ev(R"(dynamodb { add_replica { table: "orders" replica {
      region: "eu-west-1" table_class: DYNAMO_TABLE_CLASS_STANDARD
      global_indexes { name: "x" } } } })"), &state_).ok());
  ASSERT_EQ(Orders().replicas_size(), 2);
  EXPECT_EQ(Orders().replicas(0).region(), "eu-west-1");  // sorted by region
  EXPECT_EQ(Orders().replicas(0).global_indexes_size(), 0);  // no override: no entry
  pb::SchemaState before = state_;
  Status again = Apply(Ev(R"(dynamodb { add_replica { table: "orders" replica {
      region: "us-west-2" table_class: DYNAMO_TABLE_CLASS_STANDARD } } })"), &state_);
  EXPECT_EQ(again.code(), Code::kAlreadyExists);
  EXPECT_EQ(again.message(), "dynamodb table orders already has a replica in us-west-2");
  EXPECT_TRUE(MessageDifferencer::Equals(before, state_));

  ASSERT_TRUE(Apply(Ev(R"(dynamodb { update_replica { table: "orders" replica {
      region: "us-west-2" max_read_request_units: 300
      table_class: DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS } } })"), &state_).ok());
  EXPECT_EQ(Orders().replicas(1).max_read_request_units(), 300);
  EXPECT_EQ(Orders().replicas(1).table_class(), pb::DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS);

  ASSERT_TRUE(Apply(Ev(R"(dynamodb { remove_replica { table: "orders" region: "eu-west-1" } })"),
                    &state_).ok());
  ASSERT_EQ(Orders().replicas_size(), 1);
  EXPECT_EQ(Orders().replicas(0).region(), "us-west-2");
  Status missing =
      Apply(Ev(R"(dynamodb { remove_replica { table: "orders" region: "eu-west-1" } })"), &state_);
  EXPECT_EQ(missing.code(), Code::kNotFound);
  EXPECT_EQ(missing.message(), "dynamodb table orders has no replica in eu-west-1");
  Status update_missing = Apply(Ev(R"(dynamodb { update_replica { table: "orders" replica {
      region: "ap-south-1" table_class: DYNAMO_TABLE_CLASS_STANDARD } } })"), &state_);
  EXPECT_EQ(update_missing.code(), Code::kNotFound);
}

TEST_F(DynamoApplyTest, DroppingAnIndexDropsTheReplicasOverridesForIt) {
  ASSERT_TRUE(Apply(Ev(R"(dynamodb { add_global_index { table: "orders"
      index { name: "by_status" key { partition_key: "status" }
              projection { type: DYNAMO_PROJECTION_TYPE_ALL } }
      attributes { name: "status" type: DYNAMO_ATTRIBUTE_TYPE_S } } })"), &state_).ok());
  ASSERT_TRUE(Apply(Ev(R"(dynamodb { add_replica { table: "orders" replica {
      region: "eu-west-1" table_class: DYNAMO_TABLE_CLASS_STANDARD
      global_indexes { name: "by_status" max_read_request_units: 50 } } } })"), &state_).ok());
  ASSERT_EQ(Orders().replicas(0).global_indexes_size(), 1);
  ASSERT_TRUE(Apply(Ev(R"(dynamodb { drop_global_index { table: "orders" index: "by_status" } })"),
                    &state_).ok());
  EXPECT_EQ(Orders().replicas(0).global_indexes_size(), 0);
}

TEST(DynamoValidateTest, ReplicasNeedARegionAndATableClass) {
  Status no_region = ValidateEvent(Ev(R"(dynamodb { add_replica { table: "orders" replica {
      table_class: DYNAMO_TABLE_CLASS_STANDARD } } })"));
  EXPECT_EQ(no_region.message(), "dynamodb add_replica orders: replica region is empty");
  Status no_class = ValidateEvent(Ev(R"(dynamodb { update_replica { table: "orders" replica {
      region: "eu-west-1" } } })"));
  EXPECT_EQ(no_class.message(),
            "dynamodb update_replica orders: replica eu-west-1 table class is UNSPECIFIED");
  Status remove = ValidateEvent(Ev(R"(dynamodb { remove_replica { table: "orders" } })"));
  EXPECT_EQ(remove.message(), "dynamodb remove_replica orders: replica region is empty");
}

}  // namespace
}  // namespace strata
