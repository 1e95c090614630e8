// Global table replicas (version 2019.11.21): the table file forms, the plan's order and
// consent, and execution over the fake, which takes one replica Create or Delete per call and
// keeps each replica CREATING or DELETING for a few describes.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "adapters/dynamodb/execute.h"
#include "adapters/dynamodb/render.h"
#include "adapters/dynamodb/table_file.h"
#include "engine/state/canonical.h"
#include "tests/adapters/dynamodb/fake_dynamodb.h"
#include "tests/adapters/dynamodb/test_tables.h"

namespace strata::dynamodb {
namespace {

using google::protobuf::util::MessageDifferencer;
using nlohmann::json;
using strata::dynamodb::testing::AddGlobalIndex;
using strata::dynamodb::testing::SchemaOfTables;
using strata::dynamodb::testing::SimpleTable;
using strata::testing::FakeDynamoDb;

struct Clock {
  int64_t now = 0;
  ExecuteOptions Options(bool wait = true) {
    ExecuteOptions o;
    o.wait = wait;
    o.poll_interval_ms = 500;
    o.sleep = [this](int64_t ms) { now += ms; };
    o.now_ms = [this] { return now; };
    return o;
  }
};

pb::DynamoReplica Replica(const std::string& region) {
  pb::DynamoReplica r;
  r.set_region(region);
  r.set_table_class(pb::DYNAMO_TABLE_CLASS_STANDARD);
  return r;
}

// An on-demand table with the stream replicas need and replicas in `regions`.
pb::DynamoTable Global(const std::vector<std::string>& regions) {
  pb::DynamoTable t = SimpleTable("orders");
  t.set_stream(pb::DYNAMO_STREAM_NEW_AND_OLD_IMAGES);
  for (const auto& r : regions) *t.add_replicas() = Replica(r);
  CanonicalizeDynamoTable(&t);
  return t;
}

std::vector<LiveTable> Live(FakeDynamoDb& ddb) {
  auto live = ListLiveTables(ddb, {});
  EXPECT_TRUE(live.ok()) << live.status().ToString();
  return live.ok() ? *live : std::vector<LiveTable>{};
}

Plan MustPlan(FakeDynamoDb& ddb, const pb::DynamoSchema& desired, PlanOptions options = {}) {
  options.managed.insert("orders");
  if (options.region.empty()) options.region = "us-east-1";
  auto plan = PlanChanges(Live(ddb), desired, options);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  return plan.ok() ? *plan : Plan{};
}

std::vector<std::string> Summaries(const Plan& plan) {
  std::vector<std::string> out;
  for (const auto& t : plan.tables) {
    for (const auto& op : t.operations) out.push_back(op.summary);
  }
  return out;
}

// The ReplicaUpdates UpdateTable calls the fake received, as "Create eu-west-1".
std::vector<std::string> ReplicaCalls(const FakeDynamoDb& ddb) {
  std::vector<std::string> out;
  for (const auto& c : ddb.calls()) {
    if (c.operation != "UpdateTable" || !c.input.contains("ReplicaUpdates")) continue;
    for (const auto& u : c.input["ReplicaUpdates"]) {
      for (const auto& [kind, body] : u.items()) {
        out.push_back(kind + " " + body.value("RegionName", ""));
      }
    }
  }
  return out;
}

// ---- table files ---------------------------------------------------------------------------

TEST(ReplicaTableFiles, YamlAndJsonLoadTheSameReplicasAndRoundTrip) {
  const std::string yaml = R"(table: orders
partition_key: { name: id, type: S }
global_indexes:
  - name: by_kind
    partition_key: { name: kind, type: S }
stream: new_and_old_images
table_class: standard_infrequent_access
replicas:
  - region: us-west-2
    max_read: 500
  - region: eu-west-1
    kms_key: alias/eu-orders
    table_class: standard
    global_indexes:
      - { name: by_kind, max_read: 100 }
)";
  auto from_yaml = ParseTableFile(yaml, "orders.yaml");
  ASSERT_TRUE(from_yaml.ok()) << from_yaml.status().ToString();
  ASSERT_EQ(from_yaml->replicas_size(), 2);
  const auto& eu = from_yaml->replicas(0);  // sorted by region
  EXPECT_EQ(eu.region(), "eu-west-1");
  EXPECT_EQ(eu.kms_key(), "alias/eu-orders");
  EXPECT_EQ(eu.table_class(), pb::DYNAMO_TABLE_CLASS_STANDARD);
  ASSERT_EQ(eu.global_indexes_size(), 1);
  EXPECT_EQ(eu.global_indexes(0).max_read_request_units(), 100);
  const auto& us = from_yaml->replicas(1);
  EXPECT_EQ(us.max_read_request_units(), 500);
  // No override: the table's own class.
  EXPECT_EQ(us.table_class(), pb::DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS);

  const std::string json_text = RenderCreateTableText(*from_yaml);
  EXPECT_NE(json_text.find("\"ReplicaUpdates\""), std::string::npos);
  auto from_json = ParseTableFile(json_text, "orders.json");
  ASSERT_TRUE(from_json.ok()) << from_json.status().ToString() << "\n" << json_text;
  EXPECT_TRUE(MessageDifferencer::Equals(*from_yaml, *from_json)) << json_text;
  auto again = ParseTableFile(RenderTableYaml(*from_yaml), "orders.yaml");
  ASSERT_TRUE(again.ok()) << again.status().ToString() << "\n" << RenderTableYaml(*from_yaml);
  EXPECT_TRUE(MessageDifferencer::Equals(*from_yaml, *again)) << RenderTableYaml(*from_yaml);
}

TEST(ReplicaTableFiles, RefusalsNameTheLineAndTheFix) {
  const std::string head = "table: orders\npartition_key: { name: id, type: S }\n";
  auto err = [&](const std::string& rest) {
    auto t = ParseTableFile(head + rest, "orders.yaml");
    EXPECT_FALSE(t.ok());
    return t.ok() ? std::string() : std::string(t.status().message());
  };
  EXPECT_EQ(err("stream: new_and_old_images\nreplicas:\n  - region: eu-west-1\n  - region: eu-west-1\n"),
            "orders.yaml:6: duplicate replica region eu-west-1 (first at line 5); a table has one "
            "replica per region");
  EXPECT_EQ(err("replicas:\n  - region: eu-west-1\n"),
            "orders.yaml:3: a table with replicas needs stream: new_and_old_images: DynamoDB "
            "replicates every change through the table's stream (strata turns it on before the "
            "first replica is created); add it, or remove the replicas");
  EXPECT_EQ(err("billing: provisioned\ncapacity: { read: 1, write: 1 }\n"
                "stream: new_and_old_images\nreplicas:\n  - region: eu-west-1\n"),
            "orders.yaml:3: a table with replicas needs billing: pay_per_request: DynamoDB takes "
            "a provisioned global table only with write auto scaling, which strata does not "
            "manage; switch to billing: pay_per_request or remove the replicas");
  EXPECT_EQ(err("stream: new_and_old_images\nreplicas:\n  - region: Europe\n"),
            "orders.yaml:5: replica region \"Europe\" is not a region name like eu-west-1");
  EXPECT_EQ(err("stream: new_and_old_images\nreplicas:\n  - region: eu-west-1\n"
                "    global_indexes:\n      - { name: nope, max_read: 5 }\n"),
            "orders.yaml:7: replica eu-west-1: global index \"nope\" is not an index of this "
            "table; name one of the table's global indexes");
  EXPECT_EQ(err("stream: new_and_old_images\nreplicas:\n  - region: eu-west-1\n"
                "    read_capacity: 5\n"),
            "orders.yaml:6: replica eu-west-1: read_capacity applies to provisioned tables only; "
            "on an on-demand table use max_read");
  auto json_err = ParseTableFile(R"({
  "TableName": "orders",
  "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
  "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
  "BillingMode": "PAY_PER_REQUEST",
  "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"},
  "ReplicaUpdates": [{"Delete": {"RegionName": "eu-west-1"}}]
})",
                                 "orders.json");
  ASSERT_FALSE(json_err.ok());
  EXPECT_EQ(json_err.status().message(),
            "orders.json:7: a ReplicaUpdates entry in a table file is {\"Create\": {...}}: it "
            "lists the replicas the table has (remove a replica by removing its entry)");
}

// ---- plan ----------------------------------------------------------------------------------

// The first replica: the stream it needs first, then one Create per call, each waited for.
TEST(ReplicaPlan, AddingReplicasTurnsTheStreamOnFirstThenOneReplicaPerCall) {
  FakeDynamoDb ddb;
  Clock clock;
  ASSERT_TRUE(Execute(ddb, MustPlan(ddb, SchemaOfTables({SimpleTable("orders")})),
                      clock.Options())
                  .status.ok());
  Plan plan = MustPlan(ddb, SchemaOfTables({Global({"us-west-2", "eu-west-1"})}));
  EXPECT_EQ(Summaries(plan), (std::vector<std::string>{"turn on stream (NEW_AND_OLD_IMAGES)",
                                                       "add replica eu-west-1",
                                                       "add replica us-west-2"}));
  ASSERT_EQ(plan.tables.size(), 1u);
  EXPECT_FALSE(plan.tables[0].blocked);
  const auto& ops = plan.tables[0].operations;
  EXPECT_EQ(ops[1].wait_for_replica, "eu-west-1");
  EXPECT_FALSE(ops[1].replica_gone);
  EXPECT_EQ(ops[1].input["ReplicaUpdates"].size(), 1u);
  EXPECT_EQ(ops[1].input["ReplicaUpdates"][0]["Create"]["RegionName"], "eu-west-1");
}

TEST(ReplicaPlan, ANewTableIsCreatedThenGetsItsReplicasOneByOne) {
  FakeDynamoDb ddb;
  pb::DynamoTable t = Global({"eu-west-1", "ap-south-1"});
  t.mutable_replicas(0)->set_max_read_request_units(300);  // ap-south-1, sorted first
  Plan plan = MustPlan(ddb, SchemaOfTables({t}));
  EXPECT_EQ(Summaries(plan),
            (std::vector<std::string>{"create table orders",
                                      "add replica ap-south-1 (max 300 read request units)",
                                      "add replica eu-west-1"}));
  EXPECT_FALSE(plan.tables[0].operations[0].input.contains("ReplicaUpdates"));
}

TEST(ReplicaPlan, RemovingAReplicaNeedsConsentNamingItAndComesBeforeTheStreamGoesOff) {
  FakeDynamoDb ddb;
  Clock clock;
  ASSERT_TRUE(Execute(ddb, MustPlan(ddb, SchemaOfTables({Global({"eu-west-1"})})), clock.Options())
                  .status.ok());
  pb::DynamoTable without = SimpleTable("orders");  // no replicas, no stream
  Plan blocked = MustPlan(ddb, SchemaOfTables({without}));
  ASSERT_EQ(blocked.tables.size(), 1u);
  EXPECT_TRUE(blocked.tables[0].blocked);
  EXPECT_EQ(blocked.tables[0].blocked_reason,
            "removing the replica of table orders in eu-west-1 deletes its items in that region; "
            "allow it with --allow-replica-removal orders:eu-west-1 (or put the replica back in "
            "the table file to keep it)");
  ExecuteReport skipped = Execute(ddb, blocked, clock.Options());
  EXPECT_TRUE(skipped.status.ok());
  EXPECT_TRUE(ReplicaCalls(ddb).size() == 1u);  // only the Create of the first apply

  PlanOptions consent;
  consent.allow_replica_removal = {"orders:eu-west-1"};
  Plan plan = MustPlan(ddb, SchemaOfTables({without}), consent);
  EXPECT_FALSE(plan.tables[0].blocked);
  EXPECT_EQ(Summaries(plan),
            (std::vector<std::string>{"remove replica eu-west-1 (its items in eu-west-1 are deleted)",
                                      "turn off stream"}));
  EXPECT_TRUE(plan.tables[0].operations[0].destructive);
}

TEST(ReplicaPlan, TheTargetsOwnRegionIsNeverAReplica) {
  FakeDynamoDb ddb;
  Plan plan = MustPlan(ddb, SchemaOfTables({Global({"us-east-1"})}));
  ASSERT_EQ(plan.tables.size(), 1u);
  EXPECT_TRUE(plan.tables[0].blocked);
  EXPECT_EQ(plan.tables[0].blocked_reason,
            "table orders lists a replica in us-east-1, the target's own region, where the table "
            "itself is; remove that replica from the table file (or deploy to a target in another "
            "region), record that with strata generate, then apply again");
}

TEST(ReplicaPlan, ReplicaSettingsAreOneUpdateWithTheWholeReplica) {
  FakeDynamoDb ddb;
  Clock clock;
  pb::DynamoTable t = Global({"eu-west-1"});
  t.mutable_replicas(0)->set_max_read_request_units(200);
  ASSERT_TRUE(Execute(ddb, MustPlan(ddb, SchemaOfTables({t})), clock.Options()).status.ok());
  pb::DynamoTable b = Global({"eu-west-1"});
  b.mutable_replicas(0)->set_table_class(pb::DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS);
  Plan plan = MustPlan(ddb, SchemaOfTables({b}));
  ASSERT_EQ(Summaries(plan), (std::vector<std::string>{
                                 "update replica eu-west-1: table class "
                                 "STANDARD_INFREQUENT_ACCESS"}));
  const json& body = plan.tables[0].operations[0].input["ReplicaUpdates"][0]["Update"];
  EXPECT_EQ(body["TableClassOverride"], "STANDARD_INFREQUENT_ACCESS");
  EXPECT_EQ(body["OnDemandThroughputOverride"]["MaxReadRequestUnits"], -1);  // taken away
  ASSERT_TRUE(Execute(ddb, plan, clock.Options()).status.ok());
  EXPECT_TRUE(MustPlan(ddb, SchemaOfTables({b})).empty());
}

// ---- execution -----------------------------------------------------------------------------

// Each replica call waits for that replica: the fake refuses any UpdateTable while a replica
// is CREATING, so a run without the waits fails here.
TEST(ReplicaExecute, AddsReplicasOneAtATimeWaitingForEachThenFindsNothingToDo) {
  FakeDynamoDb ddb;
  ddb.transient_describes = 3;
  Clock clock;
  pb::DynamoTable t = Global({"eu-west-1", "us-west-2"});
  ExecuteReport r = Execute(ddb, MustPlan(ddb, SchemaOfTables({t})), clock.Options());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(ReplicaCalls(ddb), (std::vector<std::string>{"Create eu-west-1", "Create us-west-2"}));
  EXPECT_GT(clock.now, 0);
  auto live = Live(ddb);
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].replica_status,
            (std::map<std::string, std::string>{{"eu-west-1", "ACTIVE"}, {"us-west-2", "ACTIVE"}}));
  EXPECT_TRUE(MustPlan(ddb, SchemaOfTables({t})).empty());
}

TEST(ReplicaExecute, NoWaitStopsAfterTheFirstReplicaAndAResumeAddsTheNext) {
  FakeDynamoDb ddb;
  ddb.transient_describes = 2;
  Clock clock;
  ASSERT_TRUE(Execute(ddb, MustPlan(ddb, SchemaOfTables({Global({})})), clock.Options())
                  .status.ok());
  pb::DynamoTable t = Global({"eu-west-1", "us-west-2"});
  ExecuteReport first = Execute(ddb, MustPlan(ddb, SchemaOfTables({t})), clock.Options(false));
  ASSERT_TRUE(first.status.ok()) << first.status.ToString();
  EXPECT_EQ(first.pending, (std::vector<std::string>{"orders"}));
  EXPECT_EQ(ReplicaCalls(ddb), (std::vector<std::string>{"Create eu-west-1"}));
  Plan rest = MustPlan(ddb, SchemaOfTables({t}));
  EXPECT_EQ(Summaries(rest), (std::vector<std::string>{"add replica us-west-2"}));
  ExecuteReport second = Execute(ddb, rest, clock.Options());
  ASSERT_TRUE(second.status.ok()) << second.status.ToString();
  EXPECT_EQ(ReplicaCalls(ddb), (std::vector<std::string>{"Create eu-west-1", "Create us-west-2"}));
}

TEST(ReplicaExecute, DeletingATableRemovesItsReplicasFirstOnlyWithConsent) {
  FakeDynamoDb ddb;
  ddb.transient_describes = 2;
  Clock clock;
  ASSERT_TRUE(Execute(ddb, MustPlan(ddb, SchemaOfTables({Global({"eu-west-1", "us-west-2"})})),
                      clock.Options())
                  .status.ok());
  Plan blocked = MustPlan(ddb, SchemaOfTables({}));
  ASSERT_TRUE(blocked.tables[0].blocked);
  EXPECT_EQ(blocked.tables[0].blocked_reason,
            "table orders has replicas in eu-west-1, us-west-2; DynamoDB deletes no table with "
            "replicas, so they are removed first, which deletes their items in those regions; "
            "allow it with --allow-replica-removal orders");
  PlanOptions consent;
  consent.allow_replica_removal = {"orders"};
  Plan plan = MustPlan(ddb, SchemaOfTables({}), consent);
  EXPECT_EQ(Summaries(plan),
            (std::vector<std::string>{
                "remove replica eu-west-1 to delete the table (its items in eu-west-1 are deleted)",
                "remove replica us-west-2 to delete the table (its items in us-west-2 are deleted)",
                "delete table orders"}));
  ExecuteReport r = Execute(ddb, plan, clock.Options());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_FALSE(ddb.has_table("orders"));
  EXPECT_EQ(ReplicaCalls(ddb), (std::vector<std::string>{"Create eu-west-1", "Create us-west-2",
                                                         "Delete eu-west-1", "Delete us-west-2"}));
}

TEST(ReplicaExecute, AReplicaThatFailsToBeCreatedSaysWhy) {
  FakeDynamoDb ddb;
  ddb.transient_describes = 1;
  ddb.failing_replica_region = "eu-west-1";
  Clock clock;
  ExecuteReport r =
      Execute(ddb, MustPlan(ddb, SchemaOfTables({Global({"eu-west-1"})})), clock.Options());
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.message(),
            "replica eu-west-1 of table orders could not be created (CREATION_FAILED): KMS key "
            "in eu-west-1 is not accessible; fix the cause and remove the replica from the table "
            "file (apply removes the failed replica), then add it again");
  auto live = Live(ddb);
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].replica_status.at("eu-west-1"), "CREATION_FAILED");
  EXPECT_FALSE(live[0].Ready());
  // The next plan that touches the table says what is wrong with the replica.
  pb::DynamoTable tagged = Global({"eu-west-1"});
  (*tagged.mutable_tags())["team"] = "orders";
  Plan next = MustPlan(ddb, SchemaOfTables({tagged}));
  ASSERT_EQ(next.tables.size(), 1u);
  EXPECT_EQ(next.tables[0].notes,
            (std::vector<std::string>{
                "replica eu-west-1 is CREATION_FAILED: KMS key in eu-west-1 is not accessible"}));
}

}  // namespace
}  // namespace strata::dynamodb

namespace strata::dynamodb {
namespace {

TEST(ReplicaDrop, DropRefusesATableWithReplicasAndSaysWhatDeletesIt) {
  FakeDynamoDb ddb;
  Clock clock;
  ASSERT_TRUE(Execute(ddb, MustPlan(ddb, SchemaOfTables({Global({"eu-west-1"})})), clock.Options())
                  .status.ok());
  DropOptions o;
  o.sleep = [](int64_t) {};
  o.now_ms = [] { return int64_t{0}; };
  ExecuteReport r = DropTables(ddb, {"orders"}, o);
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.message(),
            "table orders has replicas in eu-west-1; nothing was dropped. strata drop does not "
            "remove replicas: remove the table file and run strata generate, then strata apply "
            "--allow-replica-removal orders (the replicas go first, then the table)");
  EXPECT_TRUE(ddb.has_table("orders"));
}

}  // namespace
}  // namespace strata::dynamodb
