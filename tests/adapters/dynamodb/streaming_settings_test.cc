// Contributor insights, Kinesis streaming destinations and the warm-throughput floor, without a
// server: both table file formats and their errors, the rendered forms, the plan's calls and
// their order, and execution against the fake (which holds ENABLING, UPDATING and DISABLING and
// refuses a second change meanwhile, so the waits are needed).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "adapters/dynamodb/execute.h"
#include "adapters/dynamodb/plan.h"
#include "adapters/dynamodb/render.h"
#include "tests/adapters/dynamodb/fake_dynamodb.h"
#include "tests/adapters/dynamodb/table_file_testing.h"
#include "tests/adapters/dynamodb/test_tables.h"

namespace strata::dynamodb {
namespace {

using google::protobuf::util::MessageDifferencer;
using nlohmann::json;
using strata::dynamodb::testing::AddGlobalIndex;
using strata::dynamodb::testing::ErrorOf;
using strata::dynamodb::testing::Parsed;
using strata::dynamodb::testing::SchemaOfTables;
using strata::dynamodb::testing::SimpleTable;
using strata::dynamodb::testing::Summaries;
using strata::testing::FakeDynamoDb;

const std::string kArnA = "arn:aws:kinesis:us-east-1:123456789012:stream/a";
const std::string kArnB = "arn:aws:kinesis:us-east-1:123456789012:stream/b";

constexpr char kYaml[] = R"(table: orders
partition_key: { name: id, type: S }
global_indexes:
  - name: by_kind
    partition_key: { name: kind, type: S }
    contributor_insights: true
contributor_insights: { mode: throttled_keys }
kinesis_destinations:
  - stream_arn: arn:aws:kinesis:us-east-1:123456789012:stream/b
  - stream_arn: arn:aws:kinesis:us-east-1:123456789012:stream/a
    precision: microsecond
)";

constexpr char kJson[] = R"({
  "TableName": "orders",
  "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"},
                           {"AttributeName": "kind", "AttributeType": "S"}],
  "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
  "GlobalSecondaryIndexes": [{"IndexName": "by_kind",
    "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"}],
    "Projection": {"ProjectionType": "ALL"},
    "ContributorInsightsSpecification": {"Enabled": true}}],
  "BillingMode": "PAY_PER_REQUEST",
  "ContributorInsightsSpecification": {"Enabled": true, "Mode": "THROTTLED_KEYS"},
  "KinesisStreamSpecification": [
    {"StreamArn": "arn:aws:kinesis:us-east-1:123456789012:stream/a",
     "ApproximateCreationDateTimePrecision": "MICROSECOND"},
    {"StreamArn": "arn:aws:kinesis:us-east-1:123456789012:stream/b"}]
}
)";

TEST(StreamingTableFiles, YamlAndJsonLoadTheSameTableAndRenderBack) {
  pb::DynamoTable yaml = Parsed(kYaml, "orders.yaml");
  pb::DynamoTable json_form = Parsed(kJson, "orders.json");
  EXPECT_TRUE(MessageDifferencer::Equals(yaml, json_form)) << yaml.DebugString() << "\n"
                                                           << json_form.DebugString();
  EXPECT_EQ(yaml.contributor_insights().mode(), pb::DYNAMO_CONTRIBUTOR_INSIGHTS_THROTTLED_KEYS);
  EXPECT_EQ(yaml.global_indexes(0).contributor_insights().mode(),
            pb::DYNAMO_CONTRIBUTOR_INSIGHTS_ACCESSED_AND_THROTTLED_KEYS);
  ASSERT_EQ(yaml.kinesis_destinations_size(), 2);
  EXPECT_EQ(yaml.kinesis_destinations(0).stream_arn(), kArnA);  // sorted by ARN
  EXPECT_EQ(yaml.kinesis_destinations(0).precision(), pb::DYNAMO_TIMESTAMP_PRECISION_MICROSECOND);
  EXPECT_EQ(yaml.kinesis_destinations(1).precision(), pb::DYNAMO_TIMESTAMP_PRECISION_MILLISECOND);
  EXPECT_TRUE(MessageDifferencer::Equals(Parsed(RenderTableYaml(yaml), "r.yaml"), yaml));
  EXPECT_TRUE(MessageDifferencer::Equals(Parsed(RenderCreateTableText(yaml), "r.json"), yaml));
  // One destination is written as CloudFormation writes it: one object.
  yaml.mutable_kinesis_destinations()->RemoveLast();
  json one = json::parse(RenderCreateTableText(yaml));
  EXPECT_EQ(one["KinesisStreamSpecification"],
            (json{{"StreamArn", kArnA}, {"ApproximateCreationDateTimePrecision", "MICROSECOND"}}));
  EXPECT_TRUE(MessageDifferencer::Equals(Parsed(one.dump(), "r.json"), yaml));
  // Insights off is the same as no key at all.
  EXPECT_FALSE(Parsed("table: orders\npartition_key: { name: id, type: S }\n"
                      "contributor_insights: false\n",
                      "o.yaml")
                   .has_contributor_insights());
}

TEST(StreamingTableFiles, BadValuesNameTheLineAndTheFix) {
  const std::string head = "table: orders\npartition_key: { name: id, type: S }\n";
  EXPECT_EQ(ErrorOf(head + "contributor_insights: { mode: hot_keys }\n", "o.yaml"),
            "o.yaml:3: unknown contributor insights mode \"hot_keys\"; use "
            "accessed_and_throttled_keys or throttled_keys");
  EXPECT_EQ(ErrorOf(head + "contributor_insights: [a]\n", "o.yaml"),
            "o.yaml:3: contributor_insights is a list; write contributor_insights: true, false or "
            "{ mode: accessed_and_throttled_keys } (or throttled_keys)");
  EXPECT_EQ(ErrorOf(head + "kinesis_destinations:\n  - stream_arn: arn:aws:sqs:us-east-1:"
                           "123456789012:q\n",
                    "o.yaml"),
            "o.yaml:4: \"arn:aws:sqs:us-east-1:123456789012:q\" is not a Kinesis data stream "
            "ARN; write arn:aws:kinesis:REGION:ACCOUNT:stream/NAME (the stream's ARN as aws "
            "kinesis describe-stream-summary shows it)");
  EXPECT_EQ(ErrorOf(head + "kinesis_destinations:\n  - stream_arn: " + kArnA +
                        "\n  - stream_arn: " + kArnA + "\n",
                    "o.yaml"),
            "o.yaml:5: stream " + kArnA + " is listed twice (first at line 4); a table streams "
                                          "to each stream once");
  EXPECT_EQ(ErrorOf(head + "kinesis_destinations:\n  - stream_arn: " + kArnA +
                        "\n    precision: nanosecond\n",
                    "o.yaml"),
            "o.yaml:5: unknown timestamp precision \"nanosecond\"; use millisecond or "
            "microsecond");
  EXPECT_EQ(ErrorOf(R"({"TableName": "orders",
  "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
  "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
  "ContributorInsightsSpecification": {"Enabled": false, "Mode": "THROTTLED_KEYS"}})",
                    "o.json"),
            "o.json:4: Mode is set but Enabled is false; remove Mode or set \"Enabled\": true");
}

// DynamoDB starts every on-demand table and index at 12000 reads and 4000 writes a second, and
// a provisioned one at its capacity, and never lowers warm throughput: asking for less is
// refused where it is written.
TEST(StreamingTableFiles, WarmThroughputBelowWhatATableStartsWithIsRefused) {
  const std::string head = "table: orders\npartition_key: { name: id, type: S }\n";
  EXPECT_EQ(ErrorOf(head + "warm_throughput: { read: 5000, write: 4000 }\n", "o.yaml"),
            "o.yaml:3: warm_throughput asks for 5000 read and 4000 write units per second, "
            "below what every on-demand table or index starts with: 12000 read and 4000 write "
            "units per second; DynamoDB never lowers warm throughput, so ask for at least that "
            "(warm_throughput: { read: 12000, write: 4000 }) or leave warm_throughput out");
  EXPECT_EQ(ErrorOf(head + "capacity: { read: 20000, write: 10 }\n"
                           "warm_throughput: { read: 15000, write: 4000 }\n",
                    "o.yaml"),
            "o.yaml:4: warm_throughput asks for 15000 read and 4000 write units per second, "
            "below what every provisioned table or index starts with: its provisioned capacity "
            "(20000 read, 10 write); DynamoDB never lowers warm throughput, so ask for at least "
            "that (warm_throughput: { read: 20000, write: 4000 }) or leave warm_throughput out");
  EXPECT_EQ(ErrorOf(head + "global_indexes:\n  - name: by_kind\n"
                           "    partition_key: { name: kind, type: S }\n"
                           "    warm_throughput: { read: 12000, write: 100 }\n",
                    "o.yaml"),
            "o.yaml:6: global index \"by_kind\": warm_throughput asks for 12000 read and 100 "
            "write units per second, below what every on-demand table or index starts with: "
            "12000 read and 4000 write units per second; DynamoDB never lowers warm throughput, "
            "so ask for at least that (warm_throughput: { read: 12000, write: 4000 }) or leave "
            "warm_throughput out");
  EXPECT_NE(ErrorOf(R"({"TableName": "orders",
  "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
  "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
  "WarmThroughput": {"ReadUnitsPerSecond": 100, "WriteUnitsPerSecond": 100}})",
                    "o.json")
                .find("o.json:4: WarmThroughput asks for 100 read and 100 write units per "
                      "second"),
            std::string::npos);
  EXPECT_EQ(ErrorOf(head + "warm_throughput: { read: 12000, write: 4000 }\n", "o.yaml"), "OK");
}

pb::DynamoTable Orders() {
  pb::DynamoTable t = SimpleTable("orders");
  AddGlobalIndex(&t, "by_kind", "kind");
  return t;
}

PlanOptions Managing() {
  PlanOptions o;
  o.managed = {"orders"};
  return o;
}

TEST(StreamingPlan, ANewTableGetsItsInsightsAndStreamsOnceActiveEachInItsOwnCall) {
  pb::DynamoTable t = Parsed(kYaml, "orders.yaml");
  t.set_point_in_time_recovery_days(7);
  auto plan = PlanChanges({}, SchemaOfTables({t}), Managing());
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  const TablePlan& p = plan->tables[0];
  EXPECT_EQ(Summaries(p),
            (std::vector<std::string>{
                "CreateTable: create table orders",
                "UpdateContinuousBackups: turn on point-in-time recovery (7 days)",
                "UpdateContributorInsights: turn on contributor insights (THROTTLED_KEYS)",
                "UpdateContributorInsights: turn on contributor insights of global index by_kind "
                "(ACCESSED_AND_THROTTLED_KEYS)",
                "EnableKinesisStreamingDestination: start streaming to Kinesis stream " + kArnA +
                    " (MICROSECOND timestamps)",
                "EnableKinesisStreamingDestination: start streaming to Kinesis stream " + kArnB +
                    " (MILLISECOND timestamps)"}));
  const json& create = p.operations[0].input;
  EXPECT_FALSE(create.contains("ContributorInsightsSpecification"));
  EXPECT_FALSE(create.contains("KinesisStreamSpecification"));
  EXPECT_FALSE(create["GlobalSecondaryIndexes"][0].contains("ContributorInsightsSpecification"));
  EXPECT_TRUE(p.operations[0].wait_for_active);
  EXPECT_EQ(p.operations[3].input,
            json::parse(R"({"TableName": "orders", "IndexName": "by_kind",
                "ContributorInsightsAction": "ENABLE",
                "ContributorInsightsMode": "ACCESSED_AND_THROTTLED_KEYS"})"));
  EXPECT_TRUE(p.operations[3].wait_for_insights);
  EXPECT_EQ(p.operations[4].input,
            json::parse(R"({"TableName": "orders", "StreamArn": ")" + kArnA + R"(",
                "EnableKinesisStreamingConfiguration":
                  {"ApproximateCreationDateTimePrecision": "MICROSECOND"}})"));
  EXPECT_TRUE(p.operations[4].wait_for_kinesis);
}

LiveTable Live(const pb::DynamoTable& t) {
  LiveTable live;
  live.table = t;
  live.status = "ACTIVE";
  live.arn = "arn:aws:dynamodb:us-east-1:123456789012:table/" + t.name();
  return live;
}

TEST(StreamingPlan, AnIndexAddedWithInsightsGetsThemAfterItIsBuilt) {
  pb::DynamoTable before = SimpleTable("orders");
  pb::DynamoTable after = Orders();
  after.mutable_global_indexes(0)->mutable_contributor_insights()->set_mode(
      pb::DYNAMO_CONTRIBUTOR_INSIGHTS_THROTTLED_KEYS);
  auto plan = PlanChanges({Live(before)}, SchemaOfTables({after}), Managing());
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(Summaries(plan->tables[0]),
            (std::vector<std::string>{
                "UpdateTable: add global index by_kind",
                "UpdateContributorInsights: turn on contributor insights of global index by_kind "
                "(THROTTLED_KEYS)"}));
  EXPECT_FALSE(plan->tables[0].operations[0].input.dump().find("ContributorInsights") !=
               std::string::npos);
}

TEST(StreamingPlan, ATargetWithoutThemIsLeftAloneWithANote) {
  pb::DynamoTable want = Parsed(kYaml, "orders.yaml");
  pb::DynamoTable live_table = want;
  live_table.clear_contributor_insights();
  live_table.mutable_global_indexes(0)->clear_contributor_insights();
  live_table.clear_kinesis_destinations();
  LiveTable live = Live(live_table);
  live.insights_supported = false;
  live.kinesis_supported = false;
  auto plan = PlanChanges({live}, SchemaOfTables({want}), Managing());
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_TRUE(plan->empty());
  want.set_deletion_protection(true);
  plan = PlanChanges({live}, SchemaOfTables({want}), Managing());
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->tables.size(), 1u);
  EXPECT_EQ(plan->tables[0].notes,
            (std::vector<std::string>{
                "contributor insights left alone: the target does not support contributor "
                "insights",
                "Kinesis streaming destinations left alone: the target does not support them"}));
}

struct FakeClock {
  int64_t now = 0;
  std::vector<std::string> waits;
  ExecuteOptions Options() {
    ExecuteOptions o;
    o.poll_interval_ms = 500;
    o.wait_timeout_ms = 60 * 1000;
    o.sleep = [this](int64_t ms) { now += ms; };
    o.now_ms = [this] { return now; };
    o.progress = [this](const ProgressEvent& e) {
      if (e.phase == "waiting") waits.push_back(e.summary);
    };
    return o;
  }
};

Plan MustPlan(FakeDynamoDb& ddb, const pb::DynamoTable& want) {
  auto live = ListLiveTables(ddb, {});
  EXPECT_TRUE(live.ok()) << live.status().ToString();
  auto plan = PlanChanges(live.ok() ? *live : std::vector<LiveTable>{}, SchemaOfTables({want}),
                          Managing());
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  return plan.ok() ? *plan : Plan{};
}

// The fake refuses a second change of the same insights or stream while the first is in
// progress: without the waits the precision change right after the enable would fail.
TEST(StreamingExecute, EachChangeIsWaitedForThroughItsTransientStatus) {
  FakeDynamoDb ddb;
  ddb.transient_describes = 2;
  FakeClock clock;
  pb::DynamoTable want = Parsed(kYaml, "orders.yaml");
  ExecuteReport r = Execute(ddb, MustPlan(ddb, want), clock.Options());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(MustPlan(ddb, want).empty()) << "the live table now matches";
  bool saw_enabling = false, saw_stream = false;
  for (const auto& w : clock.waits) {
    saw_enabling |= w.find("contributor insights of global index by_kind of table orders to be "
                           "ENABLED (ACCESSED_AND_THROTTLED_KEYS) (now ENABLING") !=
                    std::string::npos;
    saw_stream |= w.find("Kinesis stream " + kArnB + " of table orders to be ACTIVE "
                         "(MILLISECOND) (now ENABLING") != std::string::npos;
  }
  EXPECT_TRUE(saw_enabling);
  EXPECT_TRUE(saw_stream);

  want.mutable_kinesis_destinations(1)->set_precision(pb::DYNAMO_TIMESTAMP_PRECISION_MICROSECOND);
  want.mutable_kinesis_destinations()->DeleteSubrange(0, 1);
  want.clear_contributor_insights();
  r = Execute(ddb, MustPlan(ddb, want), clock.Options());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.done, (std::vector<std::string>{
                        "orders: turn off contributor insights",
                        "orders: stop streaming to Kinesis stream " + kArnA,
                        "orders: set the timestamp precision of Kinesis stream " + kArnB +
                            " to MICROSECOND"}));
  EXPECT_TRUE(MustPlan(ddb, want).empty());
}

TEST(StreamingExecute, FailuresSayWhatTheServiceSaidAndWhatToDo) {
  FakeDynamoDb ddb;
  ddb.transient_describes = 1;
  ddb.insights_fail = "the account has reached its Contributor Insights rule limit";
  FakeClock clock;
  pb::DynamoTable want = SimpleTable("orders");
  want.mutable_contributor_insights()->set_mode(pb::DYNAMO_CONTRIBUTOR_INSIGHTS_THROTTLED_KEYS);
  ExecuteReport r = Execute(ddb, MustPlan(ddb, want), clock.Options());
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status.message(),
            "contributor insights of table orders FAILED: LimitExceededException: the account "
            "has reached its Contributor Insights rule limit; fix the cause (CloudWatch "
            "Contributor Insights rule limits or permissions for the account), then run strata "
            "apply again");

  ddb.insights_fail.clear();
  ddb.kinesis_fail = "Stream orders-a is not ACTIVE";
  want.clear_contributor_insights();
  auto* d = want.add_kinesis_destinations();
  d->set_stream_arn(kArnA);
  d->set_precision(pb::DYNAMO_TIMESTAMP_PRECISION_MILLISECOND);
  r = Execute(ddb, MustPlan(ddb, want), clock.Options());
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("Kinesis stream " + kArnA + " of table orders could not be "
                                    "enabled (ENABLE_FAILED): Stream orders-a is not ACTIVE"),
            std::string::npos)
      << r.status.message();
}

TEST(StreamingExecute, ANewTableOnATargetWithoutThemIsCreatedWithNotes) {
  FakeDynamoDb ddb;
  ddb.insights = false;
  ddb.kinesis = false;
  FakeClock clock;
  pb::DynamoTable want = Parsed(kYaml, "orders.yaml");
  ExecuteReport r = Execute(ddb, MustPlan(ddb, want), clock.Options());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(ddb.has_table("orders"));
  ASSERT_EQ(r.notes.size(), 4u);
  EXPECT_EQ(r.notes[0],
            "orders: turn on contributor insights (THROTTLED_KEYS) left out: the target does "
            "not support UpdateContributorInsights");
  EXPECT_TRUE(MustPlan(ddb, want).empty());
}

}  // namespace
}  // namespace strata::dynamodb
