#include "adapters/dynamodb/plan.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include "engine/state/canonical.h"
#include "tests/adapters/dynamodb/test_tables.h"

namespace strata::dynamodb {
namespace {

using nlohmann::json;
using strata::dynamodb::testing::SimpleTable;
using strata::dynamodb::testing::AddGlobalIndex;
using strata::dynamodb::testing::DefineAttribute;
using strata::dynamodb::testing::SchemaOfTables;
using strata::dynamodb::testing::Summaries;

pb::DynamoTable Users() { return SimpleTable("users"); }

LiveTable Live(const pb::DynamoTable& t) {
  LiveTable live;
  live.table = t;
  live.status = "ACTIVE";
  live.arn = "arn:aws:dynamodb:us-east-1:123456789012:table/" + t.name();
  return live;
}

PlanOptions Managing(std::set<std::string> managed, std::set<std::string> allow = {}) {
  PlanOptions o;
  o.managed = std::move(managed);
  o.allow_replace = std::move(allow);
  return o;
}

TEST(PlanChanges, CreateCarriesEverythingButTimeToLiveWhichFollowsOnceActive) {
  pb::DynamoTable t = Users();
  t.set_ttl_attribute("expires");
  t.set_deletion_protection(true);
  t.set_stream(pb::DYNAMO_STREAM_NEW_IMAGE);
  (*t.mutable_tags())["team"] = "core";
  auto plan = PlanChanges({}, SchemaOfTables({t}), Managing({"users"}));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->tables.size(), 1u);
  const TablePlan& p = plan->tables[0];
  EXPECT_EQ(p.action, TableAction::kCreate);
  EXPECT_FALSE(p.blocked);
  EXPECT_EQ(Summaries(p), (std::vector<std::string>{
                              "CreateTable: create table users",
                              "UpdateTimeToLive: turn on time to live on attribute expires"}));
  const json& create = p.operations[0].input;
  EXPECT_FALSE(create.contains("TimeToLiveSpecification"));
  EXPECT_EQ(create["Tags"], json::parse(R"([{"Key":"team","Value":"core"}])"));
  EXPECT_EQ(create["DeletionProtectionEnabled"], true);
  EXPECT_EQ(create["StreamSpecification"]["StreamViewType"], "NEW_IMAGE");
  EXPECT_TRUE(p.operations[0].wait_for_active);
  EXPECT_FALSE(p.operations[0].destructive);
  EXPECT_EQ(p.operations[1].input,
            json::parse(R"({"TableName":"users","TimeToLiveSpecification":
                            {"AttributeName":"expires","Enabled":true}})"));
}

TEST(PlanChanges, OneGlobalIndexPerUpdateTableEachFollowedByAWait) {
  pb::DynamoTable before = Users();
  AddGlobalIndex(&before, "by_old", "old");
  pb::DynamoTable after = Users();
  AddGlobalIndex(&after, "by_email", "email");
  AddGlobalIndex(&after, "by_name", "name");
  auto plan = PlanChanges({Live(before)}, SchemaOfTables({after}), Managing({"users"}));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->tables.size(), 1u);
  const TablePlan& p = plan->tables[0];
  EXPECT_EQ(p.action, TableAction::kUpdate);
  EXPECT_EQ(Summaries(p), (std::vector<std::string>{"UpdateTable: delete global index by_old",
                                                    "UpdateTable: add global index by_email",
                                                    "UpdateTable: add global index by_name"}));
  for (const auto& op : p.operations) {
    EXPECT_TRUE(op.wait_for_active) << op.summary;
    EXPECT_FALSE(op.destructive) << op.summary;
    EXPECT_EQ(op.input["GlobalSecondaryIndexUpdates"].size(), 1u) << op.summary;
  }
  // Every attribute the table's keys and indexes use once the index exists, not only the new
  // index's (the index deleted first no longer needs "old").
  EXPECT_EQ(p.operations[1].input, json::parse(R"({
    "TableName": "users",
    "AttributeDefinitions": [{"AttributeName": "email", "AttributeType": "S"},
                             {"AttributeName": "id", "AttributeType": "S"}],
    "GlobalSecondaryIndexUpdates": [{"Create": {
      "IndexName": "by_email",
      "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
      "Projection": {"ProjectionType": "ALL"}}}]})"));
  EXPECT_EQ(p.operations[2].input["AttributeDefinitions"], json::parse(R"([
    {"AttributeName": "email", "AttributeType": "S"},
    {"AttributeName": "id", "AttributeType": "S"},
    {"AttributeName": "name", "AttributeType": "S"}])"));
  EXPECT_EQ(p.operations[0].input["GlobalSecondaryIndexUpdates"][0],
            json::parse(R"({"Delete": {"IndexName": "by_old"}})"));
  EXPECT_EQ(p.changes.size(), 3u);
}

TEST(PlanChanges, StreamChangesViewTypeByTurningOffThenOn) {
  pb::DynamoTable before = Users();
  before.set_stream(pb::DYNAMO_STREAM_KEYS_ONLY);
  pb::DynamoTable after = Users();
  after.set_stream(pb::DYNAMO_STREAM_NEW_AND_OLD_IMAGES);
  auto plan = PlanChanges({Live(before)}, SchemaOfTables({after}), Managing({"users"}));
  ASSERT_TRUE(plan.ok());
  const TablePlan& p = plan->tables.at(0);
  EXPECT_EQ(Summaries(p),
            (std::vector<std::string>{
                "UpdateTable: switch stream from KEYS_ONLY to NEW_AND_OLD_IMAGES: turn it off",
                "UpdateTable: switch stream from KEYS_ONLY to NEW_AND_OLD_IMAGES: turn it on"}));
  EXPECT_EQ(p.operations[0].input["StreamSpecification"], json::parse(R"({"StreamEnabled":false})"));
  EXPECT_TRUE(p.operations[0].wait_for_active);
  EXPECT_EQ(p.operations[1].input["StreamSpecification"],
            json::parse(R"({"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"})"));
}

// DynamoDB takes one time-to-live change per table an hour: the second call is held.
TEST(PlanChanges, TimeToLiveMovesToAnotherAttributeOffNowOnInALaterRun) {
  pb::DynamoTable before = Users();
  before.set_ttl_attribute("a");
  pb::DynamoTable after = Users();
  after.set_ttl_attribute("b");
  auto plan = PlanChanges({Live(before)}, SchemaOfTables({after}), Managing({"users"}));
  ASSERT_TRUE(plan.ok());
  const TablePlan& p = plan->tables.at(0);
  ASSERT_EQ(p.operations.size(), 2u);
  EXPECT_EQ(p.operations[0].input["TimeToLiveSpecification"],
            json::parse(R"({"AttributeName":"a","Enabled":false})"));
  EXPECT_EQ(p.operations[0].held, "");
  EXPECT_EQ(p.operations[1].input["TimeToLiveSpecification"],
            json::parse(R"({"AttributeName":"b","Enabled":true})"));
  EXPECT_EQ(p.operations[1].held,
            "DynamoDB takes one time-to-live change per table an hour, so this runs in an apply "
            "at least an hour after time to live on a is turned off");

  // Turning it on or off alone is one call, at once.
  pb::DynamoTable off = Users();
  for (const auto& [from, to] : {std::pair{off, after}, std::pair{before, off}}) {
    plan = PlanChanges({Live(from)}, SchemaOfTables({to}), Managing({"users"}));
    ASSERT_TRUE(plan.ok());
    ASSERT_EQ(plan->tables.at(0).operations.size(), 1u);
    EXPECT_EQ(plan->tables.at(0).operations[0].held, "");
  }
}

TEST(PlanChanges, BillingSwitchToProvisionedSetsEveryKeptIndex) {
  pb::DynamoTable before = Users();
  AddGlobalIndex(&before, "by_email", "email");
  pb::DynamoTable after = before;
  after.set_billing_mode(pb::DYNAMO_BILLING_MODE_PROVISIONED);
  after.mutable_throughput()->set_read_capacity_units(5);
  after.mutable_throughput()->set_write_capacity_units(4);
  after.mutable_global_indexes(0)->mutable_throughput()->set_read_capacity_units(2);
  after.mutable_global_indexes(0)->mutable_throughput()->set_write_capacity_units(1);
  auto plan = PlanChanges({Live(before)}, SchemaOfTables({after}), Managing({"users"}));
  ASSERT_TRUE(plan.ok());
  const TablePlan& p = plan->tables.at(0);
  ASSERT_EQ(p.operations.size(), 1u);
  EXPECT_EQ(p.operations[0].summary, "switch billing to PROVISIONED (5 read, 4 write)");
  EXPECT_EQ(p.operations[0].input, json::parse(R"({
    "TableName": "users", "BillingMode": "PROVISIONED",
    "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 4},
    "GlobalSecondaryIndexUpdates": [{"Update": {"IndexName": "by_email",
      "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 1}}}]})"));
}

// DynamoDB rejects an update that sets an index's throughput to what it already is.
TEST(PlanChanges, ThroughputChangeLeavesUnchangedIndexesOut) {
  pb::DynamoTable before = Users();
  AddGlobalIndex(&before, "by_email", "email");
  before.set_billing_mode(pb::DYNAMO_BILLING_MODE_PROVISIONED);
  before.mutable_throughput()->set_read_capacity_units(5);
  before.mutable_throughput()->set_write_capacity_units(5);
  before.mutable_global_indexes(0)->mutable_throughput()->set_read_capacity_units(1);
  before.mutable_global_indexes(0)->mutable_throughput()->set_write_capacity_units(1);
  pb::DynamoTable after = before;
  after.mutable_throughput()->set_read_capacity_units(50);
  auto plan = PlanChanges({Live(before)}, SchemaOfTables({after}), Managing({"users"}));
  ASSERT_TRUE(plan.ok());
  const TablePlan& p = plan->tables.at(0);
  ASSERT_EQ(p.operations.size(), 1u);
  EXPECT_EQ(p.operations[0].summary, "set provisioned throughput to 50 read, 5 write");
  EXPECT_EQ(p.operations[0].input, json::parse(R"({"TableName": "users",
    "ProvisionedThroughput": {"ReadCapacityUnits": 50, "WriteCapacityUnits": 5}})"));
}

TEST(PlanChanges, SimpleSettingsEachGetTheirOwnCallAndTagsGoByArn) {
  pb::DynamoTable before = Users();
  (*before.mutable_tags())["old"] = "x";
  (*before.mutable_tags())["team"] = "core";
  pb::DynamoTable after = Users();
  after.set_table_class(pb::DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS);
  after.set_deletion_protection(true);
  (*after.mutable_tags())["team"] = "platform";
  (*after.mutable_tags())["env"] = "prod";
  auto plan = PlanChanges({Live(before)}, SchemaOfTables({after}), Managing({"users"}));
  ASSERT_TRUE(plan.ok());
  const TablePlan& p = plan->tables.at(0);
  EXPECT_EQ(Summaries(p), (std::vector<std::string>{
                              "UpdateTable: set table class to STANDARD_INFREQUENT_ACCESS",
                              "UpdateTable: turn on deletion protection",
                              "TagResource: set tags env=prod, team=platform",
                              "UntagResource: remove tags old"}));
  EXPECT_EQ(p.operations[2].input["ResourceArn"],
            "arn:aws:dynamodb:us-east-1:123456789012:table/users");
  EXPECT_EQ(p.operations[3].input["TagKeys"], json::parse(R"(["old"])"));
}

TEST(PlanChanges, KeyChangeIsABlockedReplaceWithoutConsent) {
  pb::DynamoTable before = Users();
  before.set_deletion_protection(true);
  pb::DynamoTable after = Users();
  after.mutable_key()->set_sort_key("created");
  DefineAttribute(&after, "created", pb::DYNAMO_ATTRIBUTE_TYPE_N);

  auto plan = PlanChanges({Live(before)}, SchemaOfTables({after}), Managing({"users"}));
  ASSERT_TRUE(plan.ok());
  const TablePlan& p = plan->tables.at(0);
  EXPECT_EQ(p.action, TableAction::kReplace);
  EXPECT_EQ(p.replace_reason, "key schema changed");
  EXPECT_TRUE(p.blocked);
  EXPECT_EQ(p.blocked_reason,
            "replacing table users deletes all its items (key schema changed); allow it with "
            "--allow-replace users");
  EXPECT_EQ(Summaries(p), (std::vector<std::string>{
                              "UpdateTable: turn off deletion protection to replace the table",
                              "DeleteTable: delete table users",
                              "CreateTable: create table users"}));
  for (const auto& op : p.operations) EXPECT_TRUE(op.destructive) << op.summary;
  EXPECT_TRUE(p.operations[1].wait_for_deleted);
  EXPECT_TRUE(p.operations[2].wait_for_active);

  auto allowed = PlanChanges({Live(before)}, SchemaOfTables({after}), Managing({"users"}, {"users"}));
  ASSERT_TRUE(allowed.ok());
  EXPECT_FALSE(allowed->tables.at(0).blocked);
  EXPECT_EQ(allowed->tables.at(0).operations.size(), 3u);
}

TEST(PlanChanges, DeletingAProtectedTableIsBlockedAndNamesTheFlagThatLiftsIt) {
  pb::DynamoTable t = Users();
  t.set_deletion_protection(true);
  auto plan = PlanChanges({Live(t)}, SchemaOfTables({}), Managing({"users"}));
  ASSERT_TRUE(plan.ok());
  const TablePlan& p = plan->tables.at(0);
  EXPECT_EQ(p.action, TableAction::kDelete);
  EXPECT_TRUE(p.blocked);
  EXPECT_EQ(p.blocked_reason,
            "table users has deletion protection on, so it cannot be deleted; to turn protection "
            "off and delete it with all its items, run again with --lift-deletion-protection "
            "users (or put its table file back to keep it)");
  ASSERT_EQ(p.operations.size(), 1u);
  EXPECT_EQ(p.operations[0].api, "DeleteTable");
  EXPECT_TRUE(p.operations[0].destructive);

  t.set_deletion_protection(false);
  plan = PlanChanges({Live(t)}, SchemaOfTables({}), Managing({"users"}));
  ASSERT_TRUE(plan.ok());
  EXPECT_FALSE(plan->tables.at(0).blocked);
}

// Consent to lift protection: protection off (and a wait, as the service is UPDATING), then
// the delete. Consent for another table changes nothing.
TEST(PlanChanges, LiftingProtectionTurnsItOffThenDeletes) {
  pb::DynamoTable t = Users();
  t.set_deletion_protection(true);
  PlanOptions other = Managing({"users"});
  other.lift_protection = {"orders"};
  auto plan = PlanChanges({Live(t)}, SchemaOfTables({}), other);
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->tables.at(0).blocked);

  PlanOptions o = Managing({"users"});
  o.lift_protection = {"users"};
  plan = PlanChanges({Live(t)}, SchemaOfTables({}), o);
  ASSERT_TRUE(plan.ok());
  const TablePlan& p = plan->tables.at(0);
  EXPECT_FALSE(p.blocked);
  EXPECT_EQ(p.action, TableAction::kDelete);
  EXPECT_EQ(Summaries(p),
            (std::vector<std::string>{"UpdateTable: turn off deletion protection to delete the table",
                                      "DeleteTable: delete table users"}));
  EXPECT_EQ(p.operations[0].input,
            json::parse(R"({"TableName":"users","DeletionProtectionEnabled":false})"));
  EXPECT_TRUE(p.operations[0].wait_for_active);
  EXPECT_TRUE(p.operations[1].wait_for_deleted);

  // An unprotected table is deleted as it would be without the flag.
  t.set_deletion_protection(false);
  plan = PlanChanges({Live(t)}, SchemaOfTables({}), o);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(Summaries(plan->tables.at(0)),
            (std::vector<std::string>{"DeleteTable: delete table users"}));
}

TEST(PlanChanges, UnmanagedTablesAreListedAndNeverTouched) {
  pb::DynamoTable other = Users();
  other.set_name("legacy");
  pb::DynamoTable stray = Users();
  stray.set_name("aaa_stray");
  auto plan = PlanChanges({Live(stray), Live(other)}, SchemaOfTables({Users()}), Managing({"users"}));
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->unmanaged, (std::vector<std::string>{"aaa_stray", "legacy"}));
  ASSERT_EQ(plan->tables.size(), 1u);
  EXPECT_EQ(plan->tables[0].table, "users");
  EXPECT_EQ(plan->tables[0].action, TableAction::kCreate);

  // A desired table strata is not told it manages is left alone too.
  plan = PlanChanges({}, SchemaOfTables({Users()}), Managing({}));
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->empty());
}

TEST(PlanChanges, NoChangesMeansAnEmptyPlan) {
  pb::DynamoTable t = Users();
  AddGlobalIndex(&t, "by_email", "email");
  auto plan = PlanChanges({Live(t)}, SchemaOfTables({t}), Managing({"users"}));
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->empty());
}

TEST(PlanChanges, TagsAreLeftAloneWhereTheTargetCannotTag) {
  LiveTable live = Live(Users());
  live.tags_supported = false;
  pb::DynamoTable want = Users();
  (*want.mutable_tags())["team"] = "core";
  auto plan = PlanChanges({live}, SchemaOfTables({want}), Managing({"users"}));
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->empty());

  want.set_deletion_protection(true);
  plan = PlanChanges({live}, SchemaOfTables({want}), Managing({"users"}));
  ASSERT_TRUE(plan.ok());
  const TablePlan& p = plan->tables.at(0);
  EXPECT_EQ(Summaries(p), (std::vector<std::string>{"UpdateTable: turn on deletion protection"}));
  EXPECT_EQ(p.notes, (std::vector<std::string>{"tags left alone: the target does not support tagging"}));
}

TEST(PlanChanges, ATableBeingDeletedCountsAsAbsent) {
  LiveTable going = Live(Users());
  going.status = "DELETING";
  auto plan = PlanChanges({going}, SchemaOfTables({Users()}), Managing({"users"}));
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->tables.size(), 1u);
  EXPECT_EQ(plan->tables[0].action, TableAction::kCreate);

  plan = PlanChanges({going}, SchemaOfTables({}), Managing({"users"}));
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->empty());
}

TEST(PlanChanges, InvalidDesiredTableIsAnError) {
  pb::DynamoTable bad = Users();
  bad.set_billing_mode(pb::DYNAMO_BILLING_MODE_UNSPECIFIED);
  auto plan = PlanChanges({}, SchemaOfTables({bad}), Managing({"users"}));
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), Code::kInvalidArgument);
  EXPECT_NE(plan.status().message().find("users"), std::string::npos);
}

// ---- Encryption, on-demand maxima and warm throughput ---------------------------------

void Warm(pb::DynamoWarmThroughput* w, int64_t read, int64_t write) {
  w->set_read_units_per_second(read);
  w->set_write_units_per_second(write);
}

TEST(PlanChanges, EachThroughputSettingAndEncryptionGetsItsOwnCallInOrder) {
  pb::DynamoTable before = Users();
  AddGlobalIndex(&before, "by_email", "email");
  Warm(before.mutable_warm_throughput(), 12000, 4000);
  LiveTable live = Live(before);  // the AWS-owned key, no on-demand maxima

  pb::DynamoTable after = before;
  after.mutable_on_demand_throughput()->set_max_read_request_units(500);
  Warm(after.mutable_warm_throughput(), 15000, 5000);
  after.mutable_global_indexes(0)->mutable_on_demand_throughput()->set_max_write_request_units(20);
  Warm(after.mutable_global_indexes(0)->mutable_warm_throughput(), 13000, 4500);
  after.mutable_encryption()->set_key(pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED);
  after.mutable_encryption()->set_kms_key("alias/users");

  auto plan = PlanChanges({live}, SchemaOfTables({after}), Managing({"users"}));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->tables.size(), 1u);
  const TablePlan& p = plan->tables[0];
  EXPECT_FALSE(p.blocked) << p.blocked_reason;
  EXPECT_EQ(Summaries(p),
            (std::vector<std::string>{
                "UpdateTable: set on-demand throughput to 500 read, no max write request units "
                "at most",
                "UpdateTable: raise warm throughput to 15000 read, 5000 write units per second",
                "UpdateTable: set on-demand throughput of global index by_email to no max read, "
                "20 write request units at most",
                "UpdateTable: raise warm throughput of global index by_email to 13000 read, 4500 "
                "write units per second",
                "UpdateTable: switch encryption from the AWS-owned key to the KMS key alias/users"}));
  for (const auto& op : p.operations) EXPECT_TRUE(op.wait_for_active) << op.summary;
  EXPECT_EQ(p.operations[0].input, json::parse(R"({"TableName": "users",
      "OnDemandThroughput": {"MaxReadRequestUnits": 500, "MaxWriteRequestUnits": -1}})"));
  EXPECT_EQ(p.operations[1].input, json::parse(R"({"TableName": "users",
      "WarmThroughput": {"ReadUnitsPerSecond": 15000, "WriteUnitsPerSecond": 5000}})"));
  EXPECT_EQ(p.operations[2].input, json::parse(R"({"TableName": "users",
      "GlobalSecondaryIndexUpdates": [{"Update": {"IndexName": "by_email",
        "OnDemandThroughput": {"MaxReadRequestUnits": -1, "MaxWriteRequestUnits": 20}}}]})"));
  EXPECT_EQ(p.operations[3].input, json::parse(R"({"TableName": "users",
      "GlobalSecondaryIndexUpdates": [{"Update": {"IndexName": "by_email",
        "WarmThroughput": {"ReadUnitsPerSecond": 13000, "WriteUnitsPerSecond": 4500}}}]})"));
  EXPECT_EQ(p.operations[4].input, json::parse(R"({"TableName": "users",
      "SSESpecification": {"Enabled": true, "SSEType": "KMS", "KMSMasterKeyId": "alias/users"}})"));
}

TEST(PlanChanges, BackToTheAwsOwnedKeyAndToTheManagedKey) {
  pb::DynamoTable t = Users();
  LiveTable live = Live(t);
  live.table.mutable_encryption()->set_key(pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED);
  live.table.mutable_encryption()->set_kms_key("arn:aws:kms:us-east-1:1:key/abc");
  auto owned = PlanChanges({live}, SchemaOfTables({t}), Managing({"users"}));
  ASSERT_TRUE(owned.ok());
  ASSERT_EQ(owned->tables.size(), 1u);
  EXPECT_EQ(owned->tables[0].operations[0].input["SSESpecification"], json::parse(R"({"Enabled": false})"));

  t.mutable_encryption()->set_key(pb::DYNAMO_ENCRYPTION_KEY_AWS_MANAGED);
  auto managed = PlanChanges({live}, SchemaOfTables({t}), Managing({"users"}));
  ASSERT_TRUE(managed.ok());
  EXPECT_EQ(managed->tables[0].operations[0].input["SSESpecification"],
            json::parse(R"({"Enabled": true, "SSEType": "KMS"})"));
  EXPECT_EQ(managed->tables[0].operations[0].summary,
            "switch encryption from the KMS key arn:aws:kms:us-east-1:1:key/abc to the "
            "AWS-managed key (aws/dynamodb)");
}

TEST(PlanChanges, AKeyIdMatchingTheLiveKeyArnIsNoChange) {
  pb::DynamoTable t = Users();
  t.mutable_encryption()->set_key(pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED);
  t.mutable_encryption()->set_kms_key("1234abcd-12ab");
  LiveTable live = Live(t);
  live.table.mutable_encryption()->set_kms_key("arn:aws:kms:us-east-1:1:key/1234abcd-12ab");
  auto plan = PlanChanges({live}, SchemaOfTables({t}), Managing({"users"}));
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->empty());
}

TEST(PlanChanges, WarmThroughputTheSchemaLeavesOutIsNeverTouched) {
  pb::DynamoTable t = Users();
  LiveTable live = Live(t);
  Warm(live.table.mutable_warm_throughput(), 40000, 9000);  // raised by the service itself
  auto plan = PlanChanges({live}, SchemaOfTables({t}), Managing({"users"}));
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->empty());
}

TEST(PlanChanges, LoweringWarmThroughputIsBlockedAndSaysWhatWorks) {
  pb::DynamoTable want = Users();
  AddGlobalIndex(&want, "by_email", "email");
  Warm(want.mutable_global_indexes(0)->mutable_warm_throughput(), 12000, 3000);
  want.set_deletion_protection(true);
  LiveTable live = Live(want);
  live.table.set_deletion_protection(false);
  Warm(live.table.mutable_global_indexes(0)->mutable_warm_throughput(), 12000, 4000);
  auto plan = PlanChanges({live}, SchemaOfTables({want}), Managing({"users"}));
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->tables.size(), 1u);
  const TablePlan& p = plan->tables[0];
  EXPECT_TRUE(p.blocked);
  EXPECT_EQ(p.blocked_reason,
            "global index by_email of table users has a warm throughput of 12000 read, 4000 "
            "write units per second and DynamoDB never lowers it, so 12000 read, 3000 write "
            "units per second cannot be reached; set the index's warm_throughput to at least "
            "{ read: 12000, write: 4000 } in the table file (or leave it out to let DynamoDB "
            "keep what it has), record that with strata generate, then apply again");

  // Following the advice: at least what the index has.
  Warm(want.mutable_global_indexes(0)->mutable_warm_throughput(), 12000, 4000);
  auto fixed = PlanChanges({live}, SchemaOfTables({want}), Managing({"users"}));
  ASSERT_TRUE(fixed.ok());
  ASSERT_EQ(fixed->tables.size(), 1u);
  EXPECT_FALSE(fixed->tables[0].blocked);
  EXPECT_EQ(Summaries(fixed->tables[0]),
            (std::vector<std::string>{"UpdateTable: turn on deletion protection"}));
}

TEST(PlanChanges, OnDemandMaximaAreDroppedNotSentWhenSwitchingToProvisioned) {
  pb::DynamoTable before = Users();
  before.mutable_on_demand_throughput()->set_max_read_request_units(100);
  pb::DynamoTable after = Users();
  after.set_billing_mode(pb::DYNAMO_BILLING_MODE_PROVISIONED);
  after.mutable_throughput()->set_read_capacity_units(5);
  after.mutable_throughput()->set_write_capacity_units(5);
  auto plan = PlanChanges({Live(before)}, SchemaOfTables({after}), Managing({"users"}));
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->tables.size(), 1u);
  EXPECT_EQ(Summaries(plan->tables[0]),
            (std::vector<std::string>{"UpdateTable: switch billing to PROVISIONED (5 read, 5 write)"}));
  for (const auto& op : plan->tables[0].operations) EXPECT_FALSE(op.input.contains("OnDemandThroughput"));
}

TEST(PlanChanges, ANewTableAndIndexCarryTheirSettingsInTheCreateCalls) {
  pb::DynamoTable t = Users();
  AddGlobalIndex(&t, "by_email", "email");
  t.mutable_encryption()->set_key(pb::DYNAMO_ENCRYPTION_KEY_AWS_MANAGED);
  t.mutable_on_demand_throughput()->set_max_write_request_units(50);
  Warm(t.mutable_warm_throughput(), 14000, 4000);
  Warm(t.mutable_global_indexes(0)->mutable_warm_throughput(), 13000, 4000);
  auto plan = PlanChanges({}, SchemaOfTables({t}), Managing({"users"}));
  ASSERT_TRUE(plan.ok());
  const json& create = plan->tables[0].operations[0].input;
  EXPECT_EQ(create["SSESpecification"], json::parse(R"({"Enabled": true, "SSEType": "KMS"})"));
  EXPECT_EQ(create["OnDemandThroughput"], json::parse(R"({"MaxWriteRequestUnits": 50})"));
  EXPECT_EQ(create["WarmThroughput"]["ReadUnitsPerSecond"], 14000);
  EXPECT_EQ(create["GlobalSecondaryIndexes"][0]["WarmThroughput"]["ReadUnitsPerSecond"], 13000);

  // An index added later is created with its own.
  pb::DynamoTable more = t;
  AddGlobalIndex(&more, "by_name", "name");
  more.mutable_global_indexes(1)->mutable_on_demand_throughput()->set_max_read_request_units(9);
  auto add = PlanChanges({Live(t)}, SchemaOfTables({more}), Managing({"users"}));
  ASSERT_TRUE(add.ok());
  ASSERT_EQ(add->tables[0].operations.size(), 1u);
  EXPECT_EQ(add->tables[0].operations[0].input["GlobalSecondaryIndexUpdates"][0]["Create"]
                                             ["OnDemandThroughput"],
            json::parse(R"({"MaxReadRequestUnits": 9})"));
}

TEST(TableActionName, NamesEachAction) {
  EXPECT_EQ(TableActionName(TableAction::kCreate), "create");
  EXPECT_EQ(TableActionName(TableAction::kUpdate), "update");
  EXPECT_EQ(TableActionName(TableAction::kReplace), "replace");
  EXPECT_EQ(TableActionName(TableAction::kDelete), "delete");
}

}  // namespace
}  // namespace strata::dynamodb

namespace strata::dynamodb {
namespace {

constexpr const char* kReadPolicy =
    R"({"Statement":[{"Action":["dynamodb:GetItem"],"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root"]},"Resource":["*"]}],"Version":"2012-10-17"})";

TEST(PlanChanges, ANewTableCarriesItsPolicyInCreateTableAndGetsRecoveryOnceActive) {
  pb::DynamoTable t = Users();
  t.set_ttl_attribute("expires");
  t.set_point_in_time_recovery_days(7);
  t.set_resource_policy(kReadPolicy);
  auto plan = PlanChanges({}, SchemaOfTables({t}), Managing({"users"}));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  const TablePlan& p = plan->tables[0];
  EXPECT_EQ(Summaries(p),
            (std::vector<std::string>{
                "CreateTable: create table users with its resource policy",
                "UpdateTimeToLive: turn on time to live on attribute expires",
                "UpdateContinuousBackups: turn on point-in-time recovery (7 days)"}));
  EXPECT_EQ(p.operations[0].input["ResourcePolicy"], kReadPolicy);
  EXPECT_FALSE(p.operations[0].input.contains("PointInTimeRecoverySpecification"));
  EXPECT_EQ(p.operations[2].input, json::parse(R"({"TableName":"users",
      "PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true,"RecoveryPeriodInDays":7}})"));
  EXPECT_TRUE(p.operations[2].wait_for_recovery);
  EXPECT_EQ(p.operations[2].retry_on,
            std::vector<std::string>{"ContinuousBackupsUnavailableException"});
}

TEST(PlanChanges, PolicyAndRecoveryChangesComeAfterTheTableSettingsAndBeforeTags) {
  pb::DynamoTable before = Users();
  before.set_point_in_time_recovery_days(35);
  pb::DynamoTable after = before;
  after.set_deletion_protection(true);
  after.set_point_in_time_recovery_days(3);
  after.set_resource_policy(kReadPolicy);
  (*after.mutable_tags())["team"] = "core";
  auto plan = PlanChanges({Live(before)}, SchemaOfTables({after}), Managing({"users"}));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  const TablePlan& p = plan->tables[0];
  EXPECT_EQ(Summaries(p),
            (std::vector<std::string>{
                "UpdateTable: turn on deletion protection",
                "UpdateContinuousBackups: set the point-in-time recovery period from 35 to 3 days",
                "PutResourcePolicy: attach a resource policy",
                "TagResource: set tags team=core"}));
  const Operation& put = p.operations[2];
  EXPECT_EQ(put.input, (json{{"ResourceArn", Live(before).arn}, {"Policy", kReadPolicy}}));
  EXPECT_TRUE(put.wait_for_policy);
  EXPECT_EQ(put.retry_on,
            (std::vector<std::string>{"ResourceInUseException", "LimitExceededException"}));
}

TEST(PlanChanges, RemovingPolicyAndRecoveryAreOneCallEach) {
  pb::DynamoTable before = Users();
  before.set_point_in_time_recovery_days(10);
  before.set_resource_policy(kReadPolicy);
  auto plan = PlanChanges({Live(before)}, SchemaOfTables({Users()}), Managing({"users"}));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(Summaries(plan->tables[0]),
            (std::vector<std::string>{"UpdateContinuousBackups: turn off point-in-time recovery",
                                      "DeleteResourcePolicy: remove the resource policy"}));
  EXPECT_EQ(plan->tables[0].operations[0].input["PointInTimeRecoverySpecification"],
            (json{{"PointInTimeRecoveryEnabled", false}}));
}

TEST(PlanChanges, ATargetWithoutPoliciesOrBackupsIsLeftAloneWithANote) {
  pb::DynamoTable want = Users();
  want.set_point_in_time_recovery_days(7);
  want.set_resource_policy(kReadPolicy);
  LiveTable live = Live(Users());
  live.recovery_supported = false;
  live.policy_supported = false;
  auto plan = PlanChanges({live}, SchemaOfTables({want}), Managing({"users"}));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_TRUE(plan->empty());
  want.set_deletion_protection(true);
  plan = PlanChanges({live}, SchemaOfTables({want}), Managing({"users"}));
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->tables.size(), 1u);
  EXPECT_EQ(plan->tables[0].notes,
            (std::vector<std::string>{
                "point-in-time recovery left alone: the target does not support continuous "
                "backups",
                "resource policy left alone: the target does not support resource policies"}));
}

}  // namespace
}  // namespace strata::dynamodb
