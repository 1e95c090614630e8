#include "adapters/dynamodb/execute.h"

#include <google/protobuf/util/message_differencer.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "engine/state/canonical.h"
#include "tests/adapters/dynamodb/fake_dynamodb.h"
#include "tests/adapters/dynamodb/random_table.h"
#include "tests/adapters/dynamodb/test_tables.h"

namespace strata::dynamodb {
namespace {

using google::protobuf::util::MessageDifferencer;
using nlohmann::json;
using strata::testing::FakeDynamoDb;
using strata::dynamodb::testing::SimpleTable;
using strata::dynamodb::testing::AddGlobalIndex;
using strata::dynamodb::testing::DefineAttribute;
using strata::dynamodb::testing::SchemaOfTables;

// A clock that moves only when the code under test sleeps.
struct FakeClock {
  int64_t now = 0;
  int sleeps = 0;
  std::vector<ProgressEvent> events;

  ExecuteOptions Options(bool wait = true) {
    ExecuteOptions o;
    o.wait = wait;
    o.poll_interval_ms = 500;
    o.sleep = [this](int64_t ms) {
      now += ms;
      ++sleeps;
    };
    o.now_ms = [this] { return now; };
    o.progress = [this](const ProgressEvent& e) { events.push_back(e); };
    return o;
  }
  DropOptions Drop(bool lift, bool wait = true) {
    ExecuteOptions e = Options(wait);
    DropOptions o;
    o.lift_protection = lift;
    o.wait = wait;
    o.poll_interval_ms = e.poll_interval_ms;
    o.sleep = e.sleep;
    o.now_ms = e.now_ms;
    o.progress = e.progress;
    return o;
  }
};

pb::DynamoTable Orders() { return SimpleTable("orders"); }

void AddIndex(pb::DynamoTable* t, const std::string& name, const std::string& key) {
  AddGlobalIndex(t, name, key, pb::DYNAMO_PROJECTION_TYPE_KEYS_ONLY, pb::DYNAMO_ATTRIBUTE_TYPE_N);
}

std::vector<LiveTable> Live(FakeDynamoDb& ddb) {
  auto live = ListLiveTables(ddb, {});
  EXPECT_TRUE(live.ok()) << live.status().ToString();
  return live.ok() ? *live : std::vector<LiveTable>{};
}

Plan MustPlan(FakeDynamoDb& ddb, const pb::DynamoSchema& desired,
              std::set<std::string> allow_replace = {}) {
  static strata::testing::FakeKms kms;
  static KmsKeyNames names(kms);
  PlanOptions options;
  options.keys = &names;
  for (const auto& [name, _] : desired.tables()) options.managed.insert(name);
  for (const auto& t : Live(ddb)) options.managed.insert(t.table.name());
  options.allow_replace = std::move(allow_replace);
  auto plan = PlanChanges(Live(ddb), desired, options);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  return plan.ok() ? *plan : Plan{};
}

// Waits happen where DynamoDB needs them: the fake refuses an UpdateTable while an index is
// still CREATING, so this only passes when each add waits for the one before.
TEST(Execute, AddsIndexesOneAtATimeWaitingBetween) {
  FakeDynamoDb ddb;
  ddb.transient_describes = 3;
  FakeClock clock;
  pb::DynamoTable want = Orders();
  AddIndex(&want, "by_a", "a");
  AddIndex(&want, "by_b", "b");
  want.set_ttl_attribute("expires");
  ExecuteReport r = Execute(ddb, MustPlan(ddb, SchemaOfTables({want})), clock.Options());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.done, (std::vector<std::string>{"orders: create table orders",
                                              "orders: turn on time to live on attribute expires"}));
  EXPECT_GT(clock.sleeps, 0) << "the table was CREATING and had to be waited for";

  pb::DynamoTable more = want;
  AddIndex(&more, "by_c", "c");
  AddIndex(&more, "by_d", "d");
  r = Execute(ddb, MustPlan(ddb, SchemaOfTables({more})), clock.Options());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.operations_done, 2u);
  EXPECT_TRUE(MustPlan(ddb, SchemaOfTables({more})).empty()) << "live now matches";

  r = Execute(ddb, MustPlan(ddb, SchemaOfTables({want})), clock.Options());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.done, (std::vector<std::string>{"orders: delete global index by_c",
                                              "orders: delete global index by_d"}));
  EXPECT_TRUE(MustPlan(ddb, SchemaOfTables({want})).empty());

  bool waited = false;
  for (const auto& e : clock.events) {
    if (e.phase != "waiting") continue;
    waited = true;
    EXPECT_EQ(e.table, "orders");
    EXPECT_NE(e.summary.find("waiting for table orders to be ACTIVE"), std::string::npos);
  }
  EXPECT_TRUE(waited);
}

TEST(Execute, ProgressNumbersOperationsAcrossTables) {
  FakeDynamoDb ddb;
  FakeClock clock;
  pb::DynamoTable a = Orders();
  pb::DynamoTable b = SimpleTable("payments");
  b.set_ttl_attribute("exp");
  ExecuteReport r = Execute(ddb, MustPlan(ddb, SchemaOfTables({a, b})), clock.Options());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  std::vector<std::string> seen;
  for (const auto& e : clock.events) {
    seen.push_back(fmt::format("{}/{} {} {} {}", e.index, e.total, e.phase, e.table, e.summary));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "1/3 start orders create table orders",
                      "1/3 done orders create table orders",
                      "2/3 start payments create table payments",
                      "2/3 done payments create table payments",
                      "3/3 start payments turn on time to live on attribute exp",
                      "3/3 done payments turn on time to live on attribute exp"}));
}

TEST(Execute, NoWaitStopsAtTheFirstWaitAndAResumeFinishes) {
  FakeDynamoDb ddb;
  ddb.transient_describes = 6;  // planning reads the table too: outlasts two plans
  FakeClock clock;
  ddb.Seed(json::parse(R"({"TableName":"orders","BillingMode":"PAY_PER_REQUEST",
    "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]})"));
  pb::DynamoTable want = Orders();
  AddIndex(&want, "by_a", "a");
  AddIndex(&want, "by_b", "b");
  pb::DynamoTable other = Orders();
  other.set_name("other");

  ExecuteReport r = Execute(ddb, MustPlan(ddb, SchemaOfTables({want, other})), clock.Options(false));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.done, (std::vector<std::string>{"orders: add global index by_a",
                                              "other: create table other"}));
  EXPECT_EQ(r.pending, (std::vector<std::string>{"orders"}));
  EXPECT_EQ(clock.sleeps, 0);

  // Resuming without waiting: the index is still CREATING, so nothing is issued for it.
  r = Execute(ddb, MustPlan(ddb, SchemaOfTables({want, other})), clock.Options(false));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(r.done.empty());
  EXPECT_EQ(r.pending, (std::vector<std::string>{"orders"}));

  // Resuming with waits: wait for by_a first, then add by_b.
  r = Execute(ddb, MustPlan(ddb, SchemaOfTables({want, other})), clock.Options(true));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.done, (std::vector<std::string>{"orders: add global index by_b"}));
  EXPECT_TRUE(r.pending.empty());
  EXPECT_TRUE(MustPlan(ddb, SchemaOfTables({want, other})).empty());
}

TEST(Execute, BlockedTablesAreSkippedAndReported) {
  FakeDynamoDb ddb;
  FakeClock clock;
  ASSERT_TRUE(Execute(ddb, MustPlan(ddb, SchemaOfTables({Orders()})), clock.Options()).status.ok());
  pb::DynamoTable rekeyed = Orders();
  rekeyed.mutable_key()->set_partition_key("order_id");
  DefineAttribute(&rekeyed, "order_id", pb::DYNAMO_ATTRIBUTE_TYPE_S);

  ExecuteReport r = Execute(ddb, MustPlan(ddb, SchemaOfTables({rekeyed})), clock.Options());
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.operations_done, 0u);
  ASSERT_EQ(r.skipped.size(), 1u);
  EXPECT_EQ(r.skipped[0],
            "orders: replacing table orders deletes all its items (key schema changed); allow "
            "it with --allow-replace orders");
  EXPECT_EQ(ddb.mutations(), (std::vector<std::string>{"CreateTable"}));

  r = Execute(ddb, MustPlan(ddb, SchemaOfTables({rekeyed}), {"orders"}), clock.Options());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.done, (std::vector<std::string>{"orders: delete table orders",
                                              "orders: create table orders"}));
  EXPECT_EQ(ddb.table("orders")["KeySchema"][0]["AttributeName"], "order_id");
}

TEST(Execute, ResourceInUseNamesTheTableAndWhatToDo) {
  FakeDynamoDb ddb;
  FakeClock clock;
  ASSERT_TRUE(Execute(ddb, MustPlan(ddb, SchemaOfTables({Orders()})), clock.Options()).status.ok());
  pb::DynamoTable want = Orders();
  AddIndex(&want, "by_email", "email");
  ddb.FailNext("UpdateTable", "ResourceInUseException",
               "Attempt to change a resource which is still in use: Table is being updated");
  ExecuteReport r = Execute(ddb, MustPlan(ddb, SchemaOfTables({want})), clock.Options());
  EXPECT_EQ(r.status.code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status.message(),
            "table orders: add global index by_email (UpdateTable): table orders is being "
            "updated; try again when it is ACTIVE (DynamoDB: Attempt to change a resource which "
            "is still in use: Table is being updated)");
  EXPECT_EQ(r.operations_done, 0u);
}

// Tables are independent: one refused table is left where it failed and the others go on, each
// table's outcome reported; planning again afterwards has only the failed table left.
TEST(Execute, AFailedTableDoesNotStopTheOthers) {
  FakeDynamoDb ddb;
  FakeClock clock;
  pb::DynamoTable a = SimpleTable("aaa");
  pb::DynamoTable b = SimpleTable("bbb");
  pb::DynamoTable c = SimpleTable("ccc");
  const pb::DynamoSchema desired = SchemaOfTables({a, b, c});
  ddb.FailNext("CreateTable", "LimitExceededException", "Too many tables being created");
  ExecuteReport r = Execute(ddb, MustPlan(ddb, desired), clock.Options());
  EXPECT_EQ(r.status.code(), Code::kFailedPrecondition);
  EXPECT_NE(r.status.message().find("table aaa: create table aaa (CreateTable): CreateTable for "
                                    "table aaa: a DynamoDB limit was reached"),
            std::string::npos)
      << r.status.message();
  EXPECT_FALSE(ddb.has_table("aaa"));
  EXPECT_TRUE(ddb.has_table("bbb"));
  EXPECT_TRUE(ddb.has_table("ccc"));
  EXPECT_EQ(r.operations_done, 2u);
  ASSERT_EQ(r.tables.size(), 3u);
  EXPECT_EQ(r.tables[0].table, "aaa");
  EXPECT_EQ(r.tables[0].result, "failed");
  EXPECT_EQ(r.tables[0].detail, r.status.message());
  EXPECT_EQ(r.tables[0].steps_done, 0u);
  EXPECT_EQ(r.tables[0].steps, 1u);
  EXPECT_EQ(r.tables[1].result, "done");
  EXPECT_EQ(r.tables[1].steps_done, 1u);
  EXPECT_EQ(r.tables[2].result, "done");

  // The next apply resumes with what is left: the failed table only.
  Plan again = MustPlan(ddb, desired);
  ASSERT_EQ(again.tables.size(), 1u);
  EXPECT_EQ(again.tables[0].table, "aaa");
  r = Execute(ddb, again, clock.Options());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(MustPlan(ddb, desired).empty());
}

TEST(Execute, EveryFailedTableIsNamedInTheStatus) {
  FakeDynamoDb ddb;
  FakeClock clock;
  pb::DynamoTable a = SimpleTable("aaa");
  pb::DynamoTable b = SimpleTable("bbb");
  ASSERT_TRUE(Execute(ddb, MustPlan(ddb, SchemaOfTables({a, b})), clock.Options()).status.ok());
  AddIndex(&a, "by_email", "email");
  AddIndex(&b, "by_email", "email");
  ddb.FailNext("UpdateTable", "LimitExceededException", "Too many indexes being created");
  ExecuteReport r = Execute(ddb, MustPlan(ddb, SchemaOfTables({a, b})), clock.Options());
  ASSERT_FALSE(r.status.ok());
  // The fake fails only the next UpdateTable: aaa fails, bbb goes on.
  EXPECT_EQ(r.tables[0].result, "failed");
  EXPECT_EQ(r.tables[1].result, "done");
  // Now both fail: aaa's index again, and bbb's time to live.
  b.set_ttl_attribute("expires");
  ddb.FailNext("UpdateTable", "ValidationException", "one");
  ddb.FailNext("UpdateTimeToLive", "ValidationException", "TimeToLive is already enabled");
  r = Execute(ddb, MustPlan(ddb, SchemaOfTables({a, b})), clock.Options());
  ASSERT_EQ(r.tables.size(), 2u);
  EXPECT_EQ(r.tables[0].result, "failed");
  EXPECT_EQ(r.tables[1].result, "failed");
  EXPECT_EQ(r.status.message().rfind("2 tables failed: table aaa: ", 0), 0u) << r.status.message();
  EXPECT_NE(r.status.message().find("; table bbb: "), std::string::npos) << r.status.message();
}

// A target without table classes (DynamoDB Local) answers a class change "Nothing to update":
// the class is left alone with a note, and the table's other steps and tables go on.
TEST(Execute, ATableClassTheTargetDoesNotKeepIsLeftAloneWithANote) {
  FakeDynamoDb ddb;
  FakeClock clock;
  ASSERT_TRUE(Execute(ddb, MustPlan(ddb, SchemaOfTables({Orders()})), clock.Options()).status.ok());
  pb::DynamoTable want = Orders();
  want.set_table_class(pb::DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS);
  want.set_deletion_protection(true);
  ddb.FailNext("UpdateTable", "ValidationException", "Nothing to update");
  ExecuteReport r = Execute(ddb, MustPlan(ddb, SchemaOfTables({want})), clock.Options());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_EQ(r.notes[0],
            "orders: table class left alone: the target does not keep table classes (it "
            "answered \"Nothing to update\" to set table class to STANDARD_INFREQUENT_ACCESS)");
  EXPECT_EQ(r.tables.at(0).result, "done");
  EXPECT_EQ(ddb.table("orders")["DeletionProtectionEnabled"], true);

  // The class is still to be set; any other refusal of the same call is a failure.
  ddb.FailNext("UpdateTable", "ValidationException", "Table class cannot be changed now");
  r = Execute(ddb, MustPlan(ddb, SchemaOfTables({want})), clock.Options());
  EXPECT_FALSE(r.status.ok());
  EXPECT_TRUE(r.notes.empty());
}

// Credentials the service refuses would fail every table the same way: the run stops, and
// the tables after the failure are reported as not run.
TEST(Execute, RefusedCredentialsStopTheRun) {
  FakeDynamoDb ddb;
  FakeClock clock;
  pb::DynamoTable a = SimpleTable("aaa");
  pb::DynamoTable b = SimpleTable("bbb");
  ddb.FailNext("CreateTable", "UnrecognizedClientException",
               "The security token included in the request is invalid.");
  ExecuteReport r = Execute(ddb, MustPlan(ddb, SchemaOfTables({a, b})), clock.Options());
  ASSERT_FALSE(r.status.ok());
  EXPECT_FALSE(ddb.has_table("bbb"));
  ASSERT_EQ(r.tables.size(), 2u);
  EXPECT_EQ(r.tables[0].result, "failed");
  EXPECT_EQ(r.tables[1].result, "not run");
  EXPECT_EQ(r.tables[1].steps_done, 0u);
}

TEST(Execute, GivesUpAfterTheTimeoutSayingWhatItSaw) {
  FakeDynamoDb ddb;
  ddb.transient_describes = 1000;
  FakeClock clock;
  ExecuteOptions options = clock.Options();
  options.wait_timeout_ms = 10'000;
  ExecuteReport r = Execute(ddb, MustPlan(ddb, SchemaOfTables({Orders()})), options);
  EXPECT_EQ(r.status.code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status.message(),
            "gave up after 10 s waiting for table orders to be ACTIVE (it is CREATING); run "
            "again to resume");
  EXPECT_EQ(r.operations_done, 1u);
}

TEST(Execute, WaitingWithoutAClockIsAnError) {
  FakeDynamoDb ddb;
  ddb.transient_describes = 2;
  ExecuteReport r = Execute(ddb, MustPlan(ddb, SchemaOfTables({Orders()})), ExecuteOptions{});
  EXPECT_EQ(r.status.code(), Code::kInvalidArgument);
}

TEST(DropTables, RefusesProtectedTablesAndDeletesNothing) {
  FakeDynamoDb ddb;
  FakeClock clock;
  pb::DynamoTable guarded = Orders();
  guarded.set_name("guarded");
  guarded.set_deletion_protection(true);
  pb::DynamoTable plain = Orders();
  plain.set_name("plain");
  ASSERT_TRUE(Execute(ddb, MustPlan(ddb, SchemaOfTables({guarded, plain})), clock.Options()).status.ok());

  ExecuteReport r = DropTables(ddb, {"plain", "guarded"}, clock.Drop(false));
  EXPECT_EQ(r.status.code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status.message(),
            "deletion protection is enabled on table guarded; nothing was dropped. Turn it off "
            "first, or lift it as part of the drop (strata drop --lift-deletion-protection)");
  EXPECT_TRUE(ddb.has_table("plain"));
  EXPECT_TRUE(ddb.has_table("guarded"));
}

TEST(DropTables, LiftsProtectionWhenAskedThenDeletesAndWaits) {
  FakeDynamoDb ddb;
  ddb.transient_describes = 2;
  FakeClock clock;
  pb::DynamoTable guarded = Orders();
  guarded.set_deletion_protection(true);
  ASSERT_TRUE(Execute(ddb, MustPlan(ddb, SchemaOfTables({guarded})), clock.Options()).status.ok());
  ExecuteReport r = DropTables(ddb, {"orders"}, clock.Drop(true));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.done, (std::vector<std::string>{
                        "orders: turn off deletion protection to drop the table",
                        "orders: delete table orders"}));
  EXPECT_FALSE(ddb.has_table("orders")) << "waited until gone";
}

TEST(DropTables, MissingTableIsNotFound) {
  FakeDynamoDb ddb;
  FakeClock clock;
  ExecuteReport r = DropTables(ddb, {"ghost"}, clock.Drop(false));
  EXPECT_EQ(r.status.code(), Code::kNotFound);
  EXPECT_EQ(r.status.message(), "table ghost does not exist (DescribeTable)");
}

TEST(DropTables, NoWaitLeavesTheTableDeleting) {
  FakeDynamoDb ddb;
  ddb.transient_describes = 5;
  FakeClock clock;
  ddb.Seed(json::parse(R"({"TableName":"orders","BillingMode":"PAY_PER_REQUEST",
    "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]})"));
  ExecuteReport r = DropTables(ddb, {"orders"}, clock.Drop(false, false));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.operations_done, 1u);
  EXPECT_EQ(ddb.table("orders")["TableStatus"], "DELETING");
  EXPECT_EQ(clock.sleeps, 0);
}

// Warm throughput only ever goes up (above anything the table or the service had), maxima only
// on on-demand tables, and any key.
template <typename Owner>
void MutateCapacity(const Owner* before, bool provisioned, dynamodb::testing::RandomTable& rnd,
                    Owner* o) {
  if (provisioned || rnd.Chance(30)) o->clear_on_demand_throughput();
  if (!provisioned && rnd.Chance(30)) {
    o->mutable_on_demand_throughput()->set_max_read_request_units(rnd.Int(0, 5) * 10);
    o->mutable_on_demand_throughput()->set_max_write_request_units(rnd.Int(1, 5) * 10);
  }
  if (rnd.Chance(30)) o->clear_warm_throughput();
  if (rnd.Chance(30)) {
    const int64_t read = before != nullptr ? before->warm_throughput().read_units_per_second() : 0;
    const int64_t write = before != nullptr ? before->warm_throughput().write_units_per_second() : 0;
    o->mutable_warm_throughput()->set_read_units_per_second(std::max<int64_t>(read, 40000) +
                                                            rnd.Int(0, 1000));
    o->mutable_warm_throughput()->set_write_units_per_second(std::max<int64_t>(write, 40000) +
                                                             rnd.Int(0, 1000));
  }
}

void MutateSettings(const pb::DynamoTable& from, bool provisioned,
                    dynamodb::testing::RandomTable& rnd, pb::DynamoTable* t) {
  switch (rnd.Int(0, 3)) {
    case 0: t->clear_encryption(); break;
    case 1: t->mutable_encryption()->set_key(pb::DYNAMO_ENCRYPTION_KEY_AWS_MANAGED); t->mutable_encryption()->clear_kms_key(); break;
    case 2:
      t->mutable_encryption()->set_key(pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED);
      t->mutable_encryption()->set_kms_key("alias/" + rnd.TagText(false));
      break;
    default: break;
  }
  MutateCapacity(&from, provisioned, rnd, t);
  for (auto& g : *t->mutable_global_indexes()) {
    const pb::DynamoGlobalIndex* before = nullptr;
    for (const auto& f : from.global_indexes()) {
      if (f.name() == g.name()) before = &f;
    }
    MutateCapacity(before, provisioned, rnd, &g);
  }
}

// The live table as the planner sees it against `wanted`: keys named the wanted way, warm
// throughput the wanted table leaves out ignored.
pb::DynamoTable Seen(const pb::DynamoTable& live, const pb::DynamoTable& wanted) {
  strata::testing::FakeKms kms;
  KmsKeyNames names(kms);
  pb::DynamoTable t = live;
  NormalizeLiveTable(&wanted, UnwantedWarm::kIgnore, &names, &t);
  return t;
}

// A random table mutated the ways DynamoDB can change in place (and now and then its key).
pb::DynamoTable Mutate(const pb::DynamoTable& from, dynamodb::testing::RandomTable& rnd, int n) {
  pb::DynamoTable t = from;
  const bool provisioned = rnd.Chance(40);
  t.set_billing_mode(provisioned ? pb::DYNAMO_BILLING_MODE_PROVISIONED
                                 : pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST);
  t.clear_throughput();
  if (provisioned) *t.mutable_throughput() = rnd.Throughput();
  auto* indexes = t.mutable_global_indexes();
  for (int i = indexes->size() - 1; i >= 0; --i) {
    if (rnd.Chance(30)) indexes->DeleteSubrange(i, 1);
  }
  for (int i = rnd.Int(0, 2); i > 0; --i) {
    auto* g = t.add_global_indexes();
    g->set_name(fmt::format("added_{}_{}", n, i));
    g->mutable_key()->set_partition_key(fmt::format("new_key_{}", i));
    *g->mutable_projection() = rnd.Projection();
    auto* a = t.add_attributes();
    a->set_name(g->key().partition_key());
    a->set_type(pb::DYNAMO_ATTRIBUTE_TYPE_S);
  }
  for (auto& g : *t.mutable_global_indexes()) {
    g.clear_throughput();
    if (provisioned) *g.mutable_throughput() = rnd.Throughput();
  }
  if (rnd.Chance(50)) t.set_ttl_attribute(rnd.Chance(50) ? "" : rnd.Attribute());
  t.set_stream(static_cast<pb::DynamoStreamViewType>(rnd.Int(1, 5)));
  t.set_table_class(static_cast<pb::DynamoTableClass>(rnd.Int(1, 2)));
  t.set_deletion_protection(rnd.Chance(30));
  if (rnd.Chance(50)) t.clear_tags();
  (*t.mutable_tags())[rnd.TagText(false)] = rnd.TagText(true);
  if (rnd.Chance(10)) t.mutable_key()->set_sort_key("");  // a replace, LSIs and all
  if (t.key().sort_key().empty()) t.clear_local_indexes();
  MutateSettings(from, provisioned, rnd, &t);
  CanonicalizeDynamoTable(&t);
  return t;
}

// The law the adapter exists for: executing the plan from any live state to any desired
// state leaves the target at the desired state, so planning again finds nothing to do.
// A new time-to-live attribute under the service's one-change-an-hour rule (played by the
// fake): off now, on held, with the time to come back; a run within the hour is refused by the
// service and leaves the table pending instead of failing; a run after the hour finishes.
TEST(Execute, TimeToLiveAttributeChangeWaitsForTheServicesHour) {
  FakeDynamoDb ddb;
  FakeClock clock;
  ddb.now_ms = [&clock] { return clock.now; };
  pb::DynamoTable before = Orders();
  before.set_ttl_attribute("expires_at");
  ASSERT_TRUE(Execute(ddb, MustPlan(ddb, SchemaOfTables({before})), clock.Options()).status.ok());
  clock.now += 2 * 60 * 60 * 1000;  // the table's first time-to-live change is long past

  pb::DynamoTable after = Orders();
  after.set_ttl_attribute("purge_at");
  ExecuteOptions o = clock.Options();
  o.unix_ms = [] { return int64_t{1772368230000}; };  // 2026-03-01 12:30:30 UTC
  ExecuteReport r = Execute(ddb, MustPlan(ddb, SchemaOfTables({after})), o);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.done, (std::vector<std::string>{"orders: turn off time to live (attribute expires_at)"}));
  EXPECT_EQ(r.pending, (std::vector<std::string>{"orders"}));
  EXPECT_EQ(r.notes, (std::vector<std::string>{
                         "orders: turn on time to live on attribute purge_at is held: DynamoDB "
                         "takes one time-to-live change per table an hour; run strata apply "
                         "again after 2026-03-01 13:31 UTC"}));
  EXPECT_EQ(ddb.count("UpdateTimeToLive"), 2u);  // the create's, and the one turning it off
  EXPECT_EQ(Live(ddb)[0].table.ttl_attribute(), "");

  // Ten minutes later: what is left is one call, which the service refuses.
  clock.now += 10 * 60 * 1000;
  Plan rest = MustPlan(ddb, SchemaOfTables({after}));
  ASSERT_EQ(rest.tables.size(), 1u);
  ASSERT_EQ(rest.tables[0].operations.size(), 1u);
  EXPECT_EQ(rest.tables[0].operations[0].held, "");
  r = Execute(ddb, rest, clock.Options());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.operations_done, 0u);
  EXPECT_EQ(r.pending, (std::vector<std::string>{"orders"}));
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_EQ(r.notes[0],
            "orders: turn on time to live on attribute purge_at was refused: DynamoDB takes one "
            "time-to-live change per table an hour and the last one is more recent (its words: "
            "Time to live has been modified multiple times within a fixed interval); run strata "
            "apply again within the hour");

  clock.now += 60 * 60 * 1000;
  r = Execute(ddb, MustPlan(ddb, SchemaOfTables({after})), clock.Options());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(r.pending.empty());
  EXPECT_TRUE(r.notes.empty());
  EXPECT_EQ(Live(ddb)[0].table.ttl_attribute(), "purge_at");
  EXPECT_TRUE(MustPlan(ddb, SchemaOfTables({after})).empty());
}

// Other refusals of UpdateTimeToLive are failures, not a wait.
TEST(Execute, TimeToLiveValidationErrorsOtherThanTheHourFail) {
  FakeDynamoDb ddb;
  FakeClock clock;
  ASSERT_TRUE(Execute(ddb, MustPlan(ddb, SchemaOfTables({Orders()})), clock.Options()).status.ok());
  pb::DynamoTable t = Orders();
  t.set_ttl_attribute("expires_at");
  ddb.FailNext("UpdateTimeToLive", "ValidationException", "TimeToLive is already enabled");
  ExecuteReport r = Execute(ddb, MustPlan(ddb, SchemaOfTables({t})), clock.Options());
  EXPECT_EQ(r.status.code(), Code::kInvalidArgument) << r.status.ToString();
  EXPECT_TRUE(r.pending.empty());
}

// Consent to lift deletion protection: the fake refuses DeleteTable on a protected table, so
// this passes only when protection is turned off first; the report says so.
TEST(Execute, LiftedProtectionIsTurnedOffBeforeTheDeleteAndNoted) {
  FakeDynamoDb ddb;
  FakeClock clock;
  pb::DynamoTable t = Orders();
  t.set_deletion_protection(true);
  ASSERT_TRUE(Execute(ddb, MustPlan(ddb, SchemaOfTables({t})), clock.Options()).status.ok());

  PlanOptions options;
  options.managed = {"orders"};
  options.lift_protection = {"orders"};
  auto plan = PlanChanges(Live(ddb), SchemaOfTables({}), options);
  ASSERT_TRUE(plan.ok());
  ExecuteReport r = Execute(ddb, *plan, clock.Options());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_FALSE(ddb.has_table("orders"));
  EXPECT_EQ(r.done, (std::vector<std::string>{
                        "orders: turn off deletion protection to delete the table",
                        "orders: delete table orders"}));
  EXPECT_EQ(r.notes, (std::vector<std::string>{
                         "orders: deletion protection turned off to delete the table, with consent"}));
}

TEST(Execute, ReachesTheDesiredStateFromAnyLiveState) {
  constexpr int kRounds = 150;
  dynamodb::testing::RandomTable rnd(20240601);
  for (int round = 0; round < kRounds; ++round) {
    FakeDynamoDb ddb;
    ddb.transient_describes = rnd.Int(0, 2);
    FakeClock clock;
    ddb.now_ms = [&clock] { return clock.now; };
    pb::DynamoTable a = rnd.Table();
    pb::DynamoTable b = Mutate(a, rnd, round);
    SCOPED_TRACE(fmt::format("round {}\nfrom {}\nto {}", round, a.DebugString(), b.DebugString()));

    ExecuteReport r = Execute(ddb, MustPlan(ddb, SchemaOfTables({a})), clock.Options());
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    auto live = Live(ddb);
    ASSERT_EQ(live.size(), 1u);
    ASSERT_TRUE(MessageDifferencer::Equals(Seen(live[0].table, a), a))
        << live[0].table.DebugString();
    clock.now += 60 * 60 * 1000;  // past the hour of the time to live the create turned on

    r = Execute(ddb, MustPlan(ddb, SchemaOfTables({b}), {b.name()}), clock.Options());
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    if (!r.pending.empty()) {
      // A new time-to-live attribute: turned on by a run an hour later.
      ASSERT_NE(a.ttl_attribute(), b.ttl_attribute());
      ASSERT_FALSE(a.ttl_attribute().empty());
      clock.now += 60 * 60 * 1000;
      r = Execute(ddb, MustPlan(ddb, SchemaOfTables({b}), {b.name()}), clock.Options());
      ASSERT_TRUE(r.status.ok()) << r.status.ToString();
      ASSERT_TRUE(r.pending.empty());
    }
    live = Live(ddb);
    ASSERT_EQ(live.size(), 1u);
    ASSERT_TRUE(MessageDifferencer::Equals(Seen(live[0].table, b), b))
        << live[0].table.DebugString();
    ASSERT_TRUE(MustPlan(ddb, SchemaOfTables({b})).empty());
  }
}

// ---- Encryption, on-demand maxima and warm throughput -----------------------------------

// The UpdateTable inputs the fake received, without TableName.
std::vector<json> UpdateInputs(const FakeDynamoDb& ddb) {
  std::vector<json> out;
  for (const auto& c : ddb.calls()) {
    if (c.operation != "UpdateTable") continue;
    json in = c.input;
    in.erase("TableName");
    out.push_back(in);
  }
  return out;
}

// The fake holds SSEDescription and WarmThroughput UPDATING for three describes after each
// change and refuses any UpdateTable meanwhile, as the service does while it applies them: this
// only passes when every step waits for those statuses, not just for the table's.
TEST(Execute, SettingsChangeOneCallAtATimeWaitingForTheirOwnStatus) {
  FakeDynamoDb ddb;
  ddb.transient_describes = 3;
  FakeClock clock;
  pb::DynamoTable want = Orders();
  AddIndex(&want, "by_a", "a");
  want.mutable_encryption()->set_key(pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED);
  want.mutable_encryption()->set_kms_key("alias/orders");
  want.mutable_warm_throughput()->set_read_units_per_second(13000);
  want.mutable_warm_throughput()->set_write_units_per_second(4000);
  ExecuteReport r = Execute(ddb, MustPlan(ddb, SchemaOfTables({want})), clock.Options());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(ddb.table("orders")["SSEDescription"]["Status"], "ENABLED") << "waited until applied";

  pb::DynamoTable more = want;
  more.mutable_warm_throughput()->set_read_units_per_second(20000);
  more.mutable_global_indexes(0)->mutable_warm_throughput()->set_read_units_per_second(15000);
  more.mutable_global_indexes(0)->mutable_warm_throughput()->set_write_units_per_second(5000);
  more.mutable_on_demand_throughput()->set_max_read_request_units(800);
  more.mutable_encryption()->set_key(pb::DYNAMO_ENCRYPTION_KEY_AWS_MANAGED);
  more.mutable_encryption()->clear_kms_key();
  r = Execute(ddb, MustPlan(ddb, SchemaOfTables({more})), clock.Options());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(UpdateInputs(ddb), (std::vector<json>{
      json::parse(R"({"OnDemandThroughput": {"MaxReadRequestUnits": 800, "MaxWriteRequestUnits": -1}})"),
      json::parse(R"({"WarmThroughput": {"ReadUnitsPerSecond": 20000, "WriteUnitsPerSecond": 4000}})"),
      json::parse(R"({"GlobalSecondaryIndexUpdates": [{"Update": {"IndexName": "by_a",
          "WarmThroughput": {"ReadUnitsPerSecond": 15000, "WriteUnitsPerSecond": 5000}}}]})"),
      json::parse(R"({"SSESpecification": {"Enabled": true, "SSEType": "KMS"}})")}));
  EXPECT_EQ(ddb.table("orders")["SSEDescription"]["KMSMasterKeyArn"],
            "arn:aws:kms:us-east-1:123456789012:key/aws-dynamodb-key");

  // Read back through a key lookup, the live table is what was asked for: nothing left to do.
  strata::testing::FakeKms kms;
  KmsKeyNames names(kms);
  PlanOptions options;
  options.managed = {"orders"};
  options.keys = &names;
  auto again = PlanChanges(Live(ddb), SchemaOfTables({more}), options);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty()) << again->tables[0].changes[0].DebugString();
}

TEST(Execute, AWarmThroughputDecreaseIsNeverSent) {
  FakeDynamoDb ddb;
  FakeClock clock;
  pb::DynamoTable want = Orders();
  want.mutable_warm_throughput()->set_read_units_per_second(20000);
  want.mutable_warm_throughput()->set_write_units_per_second(6000);
  ASSERT_TRUE(Execute(ddb, MustPlan(ddb, SchemaOfTables({want})), clock.Options()).status.ok());
  pb::DynamoTable lower = want;
  lower.mutable_warm_throughput()->set_write_units_per_second(5000);
  Plan plan = MustPlan(ddb, SchemaOfTables({lower}));
  ASSERT_EQ(plan.tables.size(), 1u);
  EXPECT_TRUE(plan.tables[0].blocked);
  ExecuteReport r = Execute(ddb, plan, clock.Options());
  EXPECT_EQ(r.skipped.size(), 1u);
  EXPECT_EQ(ddb.count("UpdateTable"), 0u);
  EXPECT_EQ(ddb.table("orders")["WarmThroughput"]["WriteUnitsPerSecond"], 6000);
}

}  // namespace
}  // namespace strata::dynamodb

namespace strata::dynamodb {
namespace {

std::string PolicyFor(const std::string& action) {
  return R"({"Statement":[{"Action":[")" + action +
         R"("],"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root"]},"Resource":["*"]}],"Version":"2012-10-17"})";
}

// CreateTable attaches the policy (the fake keeps it, as the service does); recovery is turned
// on once the table is ACTIVE and waited for through ENABLING; then the live table matches.
TEST(Execute, CreatesWithPolicyAndWaitsForRecoveryToBeEnabled) {
  FakeDynamoDb ddb;
  ddb.transient_describes = 2;
  FakeClock clock;
  pb::DynamoTable want = Orders();
  want.set_point_in_time_recovery_days(7);
  want.set_resource_policy(PolicyFor("dynamodb:GetItem"));
  ExecuteReport r = Execute(ddb, MustPlan(ddb, SchemaOfTables({want})), clock.Options());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(ddb.mutations(),
            (std::vector<std::string>{"CreateTable", "UpdateContinuousBackups"}));
  for (const auto& c : ddb.calls()) {
    if (c.operation == "CreateTable") {
      EXPECT_EQ(c.input.value("ResourcePolicy", ""), want.resource_policy());
    }
  }
  bool waited_for_recovery = false;
  for (const auto& e : clock.events) {
    waited_for_recovery |= e.phase == "waiting" &&
                           e.summary.find("point-in-time recovery of table orders to be ENABLED "
                                          "with a 7-day recovery period (now ENABLING") !=
                               std::string::npos;
  }
  EXPECT_TRUE(waited_for_recovery);
  EXPECT_TRUE(MustPlan(ddb, SchemaOfTables({want})).empty()) << "live now matches";
}

// DynamoDB refuses a policy update for about 15 s after the last one: the call is retried
// until it goes through, and its revision is waited for.
TEST(Execute, RetriesAPolicyUpdateRefusedWithinTheBlockAfterTheLastOne) {
  FakeDynamoDb ddb;
  FakeClock clock;
  pb::DynamoTable want = Orders();
  want.set_resource_policy(PolicyFor("dynamodb:GetItem"));
  ASSERT_TRUE(Execute(ddb, MustPlan(ddb, SchemaOfTables({want})), clock.Options()).status.ok());
  ddb.policy_block_calls = 3;
  want.set_resource_policy(PolicyFor("dynamodb:Query"));
  ASSERT_TRUE(Execute(ddb, MustPlan(ddb, SchemaOfTables({want})), clock.Options()).status.ok());
  // The Put just made starts a new block: the next update is refused three times.
  want.set_resource_policy("");
  const int64_t before = clock.now;
  ExecuteReport r = Execute(ddb, MustPlan(ddb, SchemaOfTables({want})), clock.Options());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(ddb.count("DeleteResourcePolicy"), 4u) << "three refusals, then the call";
  EXPECT_EQ(clock.now - before, 3 * 500) << "one poll interval between tries";
  EXPECT_EQ(r.done, std::vector<std::string>{"orders: remove the resource policy"});
  EXPECT_TRUE(MustPlan(ddb, SchemaOfTables({want})).empty());
}

TEST(Execute, APolicyUpdateStillBlockedWithoutWaitingLeavesTheTablePending) {
  FakeDynamoDb ddb;
  FakeClock clock;
  pb::DynamoTable want = Orders();
  ddb.policy_block_calls = 1;
  want.set_resource_policy(PolicyFor("dynamodb:GetItem"));
  ASSERT_TRUE(Execute(ddb, MustPlan(ddb, SchemaOfTables({want})), clock.Options()).status.ok());
  want.set_resource_policy(PolicyFor("dynamodb:Query"));
  ExecuteReport r = Execute(ddb, MustPlan(ddb, SchemaOfTables({want})), clock.Options(false));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.pending, std::vector<std::string>{"orders"});
  EXPECT_EQ(r.operations_done, 0u);
  r = Execute(ddb, MustPlan(ddb, SchemaOfTables({want})), clock.Options(false));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.operations_done, 1u) << "the block is over: the resumed run puts the policy";
  EXPECT_TRUE(MustPlan(ddb, SchemaOfTables({want})).empty());
}

TEST(Execute, RetriesRecoveryWhileBackupsAreStillBeingEnabled) {
  FakeDynamoDb ddb;
  FakeClock clock;
  pb::DynamoTable want = Orders();
  want.set_point_in_time_recovery_days(35);
  ddb.FailNext("UpdateContinuousBackups", "ContinuousBackupsUnavailableException",
               "Backups are being enabled for the table: orders. Please retry later");
  ExecuteReport r = Execute(ddb, MustPlan(ddb, SchemaOfTables({want})), clock.Options());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(ddb.count("UpdateContinuousBackups"), 2u);
  EXPECT_TRUE(MustPlan(ddb, SchemaOfTables({want})).empty());
}

TEST(Execute, ARefusalNotListedAsRetryableFailsAtOnce) {
  FakeDynamoDb ddb;
  FakeClock clock;
  pb::DynamoTable want = Orders();
  ASSERT_TRUE(Execute(ddb, MustPlan(ddb, SchemaOfTables({want})), clock.Options()).status.ok());
  want.set_resource_policy(PolicyFor("dynamodb:GetItem"));
  ddb.FailNext("PutResourcePolicy", "ValidationException", "Invalid principal in policy document");
  ExecuteReport r = Execute(ddb, MustPlan(ddb, SchemaOfTables({want})), clock.Options());
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find(
                "PutResourcePolicy for table orders rejected: Invalid principal in policy document"),
            std::string::npos)
      << r.status.message();
  EXPECT_EQ(ddb.count("PutResourcePolicy"), 1u);
}

}  // namespace
}  // namespace strata::dynamodb
