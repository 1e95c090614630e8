// Planning and executing against moto behind the fault proxy without delays (statuses change
// at once; the proxy adds the service's refusals and its way of listing attribute definitions,
// see tests/support/fault_proxy.py): create, settings
// changes, replace with and without consent, drop with deletion protection, and a change made
// behind strata's back found by the next plan. After every execution, planning again must
// find nothing to do: the live table is what the schema says.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "adapters/dynamodb/execute.h"
#include "adapters/dynamodb/introspect.h"
#include "adapters/dynamodb/live_settings.h"
#include "adapters/dynamodb/plan.h"
#include "engine/state/canonical.h"
#include "integration/dynamodb/moto_dynamodb.h"
#include "tests/support/ports.h"
#include "tests/adapters/dynamodb/test_tables.h"

namespace strata::dynamodb {
namespace {

using google::protobuf::util::MessageDifferencer;
using nlohmann::json;
using strata::testing::DynamoDbProxy;
using strata::testing::MustCall;
using strata::testing::RealClock;
using strata::testing::TestDynamoDb;
using strata::testing::UniqueTable;
using strata::dynamodb::testing::SimpleTable;
using strata::dynamodb::testing::AddGlobalIndex;
using strata::dynamodb::testing::DefineAttribute;
using strata::dynamodb::testing::Provision;
using strata::dynamodb::testing::SchemaOfTables;

class DynamoDbApply : public ::testing::Test {
 protected:
  DynamoDbProxy proxy_{{.delay_seconds = 0}};
  TestDynamoDb ddb_{proxy_.url()};
  RealClock clock_;

  LiveTable Live(const std::string& name) {
    auto live = DescribeLiveTable(ddb_, name);
    EXPECT_TRUE(live.ok()) << live.status().ToString();
    EXPECT_TRUE(live.ok() && live->has_value()) << name << " is missing";
    return live.ok() && live->has_value() ? **live : LiveTable{};
  }

  // Plans `desired` for the tables it names (plus `also`), against what the server has now.
  Plan PlanFor(const pb::DynamoSchema& desired, std::set<std::string> also = {},
               std::set<std::string> allow_replace = {}) {
    IntrospectOptions only;
    only.only.emplace();
    PlanOptions options;
    options.managed = std::move(also);
    for (const auto& [name, _] : desired.tables()) options.managed.insert(name);
    only.only->assign(options.managed.begin(), options.managed.end());
    options.allow_replace = std::move(allow_replace);
    auto live = ListLiveTables(ddb_, only);
    EXPECT_TRUE(live.ok()) << live.status().ToString();
    auto plan = PlanChanges(live.ok() ? *live : std::vector<LiveTable>{}, desired, options);
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    return plan.ok() ? *plan : Plan{};
  }

  // Plans and executes, then checks that the server is now at `desired`.
  ExecuteReport Reach(const pb::DynamoSchema& desired, std::set<std::string> also = {},
                      std::set<std::string> allow_replace = {}) {
    ExecuteReport r = Execute(ddb_, PlanFor(desired, also, allow_replace), clock_.Execute());
    EXPECT_TRUE(r.status.ok()) << r.status.ToString();
    Plan again = PlanFor(desired, also);
    EXPECT_TRUE(again.empty()) << "still planned: " << (again.empty() ? "" : again.tables[0].table);
    return r;
  }
};

TEST_F(DynamoDbApply, CreatesATableWithEverySettingThenFindsNothingToDo) {
  pb::DynamoTable t = SimpleTable(UniqueTable("create"));
  t.mutable_key()->set_sort_key("at");
  auto* at = t.add_attributes();
  at->set_name("at");
  at->set_type(pb::DYNAMO_ATTRIBUTE_TYPE_N);
  auto* lsi = t.add_local_indexes();
  lsi->set_name("by_kind");
  lsi->set_sort_key("kind");
  lsi->mutable_projection()->set_type(pb::DYNAMO_PROJECTION_TYPE_KEYS_ONLY);
  auto* kind = t.add_attributes();
  kind->set_name("kind");
  kind->set_type(pb::DYNAMO_ATTRIBUTE_TYPE_S);
  AddGlobalIndex(&t, "by_email", "email");
  Provision(&t, 5, 2);
  t.set_ttl_attribute("expires_at");
  t.set_stream(pb::DYNAMO_STREAM_NEW_IMAGE);
  t.set_deletion_protection(true);
  (*t.mutable_tags())["team"] = "core";
  CanonicalizeDynamoTable(&t);

  ExecuteReport r = Reach(SchemaOfTables({t}));
  EXPECT_EQ(r.done, (std::vector<std::string>{
                        t.name() + ": create table " + t.name(),
                        t.name() + ": turn on time to live on attribute expires_at"}));
  pb::DynamoTable live = Live(t.name()).table;
  NormalizeLiveTable(&t, UnwantedWarm::kIgnore, nullptr, &live);  // moto's own warm throughput
  EXPECT_TRUE(MessageDifferencer::Equals(live, t)) << live.DebugString();

  ExecuteReport dropped = DropTables(ddb_, {t.name()}, clock_.Drop(true));
  ASSERT_TRUE(dropped.status.ok()) << dropped.status.ToString();
}

TEST_F(DynamoDbApply, ChangesTimeToLiveBillingStreamAndProtectionInPlace) {
  pb::DynamoTable t = SimpleTable(UniqueTable("settings"));
  AddGlobalIndex(&t, "by_email", "email");
  Reach(SchemaOfTables({t}));

  pb::DynamoTable next = t;
  next.set_ttl_attribute("expires_at");
  Provision(&next, 10, 4);
  next.set_stream(pb::DYNAMO_STREAM_KEYS_ONLY);
  next.set_deletion_protection(true);
  ExecuteReport r = Reach(SchemaOfTables({next}));
  EXPECT_EQ(r.done, (std::vector<std::string>{
                        t.name() + ": switch billing to PROVISIONED (10 read, 4 write)",
                        t.name() + ": turn on time to live on attribute expires_at",
                        t.name() + ": turn on stream (KEYS_ONLY)",
                        t.name() + ": turn on deletion protection"}));
  LiveTable live = Live(t.name());
  EXPECT_EQ(live.table.throughput().read_capacity_units(), 10);
  EXPECT_EQ(live.table.global_indexes(0).throughput().write_capacity_units(), 1);

  pb::DynamoTable last = t;  // back to on demand, no TTL, another stream view, unprotected
  last.set_stream(pb::DYNAMO_STREAM_NEW_AND_OLD_IMAGES);
  Plan view_change = PlanFor(SchemaOfTables({last}));
  ASSERT_EQ(view_change.tables.size(), 1u);
  std::vector<std::string> planned;
  for (const auto& op : view_change.tables[0].operations) {
    planned.push_back(t.name() + ": " + op.summary);
  }
  EXPECT_EQ(planned, (std::vector<std::string>{
                         t.name() + ": switch billing to PAY_PER_REQUEST",
                         t.name() + ": turn off time to live (attribute expires_at)",
                         t.name() + ": switch stream from KEYS_ONLY to NEW_AND_OLD_IMAGES: turn it off",
                         t.name() + ": switch stream from KEYS_ONLY to NEW_AND_OLD_IMAGES: turn it on",
                         t.name() + ": turn off deletion protection"}));
  // moto never enables a stream again on a table that had one (it keeps the old stream's label
  // and answers "Cannot enable stream"), so the view change itself runs only against the fake
  // (tests/adapters/dynamodb); here the table goes back without a stream.
  last.set_stream(pb::DYNAMO_STREAM_DISABLED);
  r = Reach(SchemaOfTables({last}));
  EXPECT_EQ(r.done, (std::vector<std::string>{
                        t.name() + ": switch billing to PAY_PER_REQUEST",
                        t.name() + ": turn off time to live (attribute expires_at)",
                        t.name() + ": turn off stream",
                        t.name() + ": turn off deletion protection"}));
  EXPECT_EQ(Live(t.name()).table.stream(), pb::DYNAMO_STREAM_DISABLED);

  ASSERT_TRUE(DropTables(ddb_, {t.name()}, clock_.Drop(false)).status.ok());
}

TEST_F(DynamoDbApply, AddsAndRemovesGlobalIndexesOneByOne) {
  pb::DynamoTable t = SimpleTable(UniqueTable("indexes"));
  Reach(SchemaOfTables({t}));
  pb::DynamoTable more = t;
  AddGlobalIndex(&more, "by_a", "a");
  AddGlobalIndex(&more, "by_b", "b");
  AddGlobalIndex(&more, "by_c", "c");
  ExecuteReport r = Reach(SchemaOfTables({more}));
  EXPECT_EQ(r.operations_done, 3u);
  EXPECT_EQ(Live(t.name()).table.global_indexes_size(), 3);

  pb::DynamoTable fewer = t;
  AddGlobalIndex(&fewer, "by_b", "b");
  r = Reach(SchemaOfTables({fewer}));
  EXPECT_EQ(r.done, (std::vector<std::string>{t.name() + ": delete global index by_a",
                                              t.name() + ": delete global index by_c"}));
  ASSERT_TRUE(DropTables(ddb_, {t.name()}, clock_.Drop(false)).status.ok());
}

TEST_F(DynamoDbApply, ReplaceNeedsConsentAndDropsTheItems) {
  pb::DynamoTable t = SimpleTable(UniqueTable("replace"));
  t.set_deletion_protection(true);
  Reach(SchemaOfTables({t}));
  MustCall(ddb_, "PutItem", {{"TableName", t.name()}, {"Item", {{"id", {{"S", "one"}}}}}});

  pb::DynamoTable rekeyed = t;
  rekeyed.mutable_key()->set_sort_key("at");
  DefineAttribute(&rekeyed, "at", pb::DYNAMO_ATTRIBUTE_TYPE_N);

  Plan blocked = PlanFor(SchemaOfTables({rekeyed}));
  ASSERT_EQ(blocked.tables.size(), 1u);
  EXPECT_EQ(blocked.tables[0].action, TableAction::kReplace);
  EXPECT_TRUE(blocked.tables[0].blocked);
  ExecuteReport r = Execute(ddb_, blocked, clock_.Execute());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.operations_done, 0u);
  EXPECT_EQ(r.skipped.size(), 1u);
  json items = MustCall(ddb_, "Scan", {{"TableName", t.name()}});
  EXPECT_EQ(items["Count"], 1) << "nothing ran without consent";

  r = Reach(SchemaOfTables({rekeyed}), {}, {t.name()});
  EXPECT_EQ(r.done, (std::vector<std::string>{
                        t.name() + ": turn off deletion protection to replace the table",
                        t.name() + ": delete table " + t.name(),
                        t.name() + ": create table " + t.name()}));
  items = MustCall(ddb_, "Scan", {{"TableName", t.name()}});
  EXPECT_EQ(items["Count"], 0) << "a replace starts empty";
  EXPECT_EQ(Live(t.name()).table.key().sort_key(), "at");
  EXPECT_TRUE(Live(t.name()).table.deletion_protection());
  ASSERT_TRUE(DropTables(ddb_, {t.name()}, clock_.Drop(true)).status.ok());
}

TEST_F(DynamoDbApply, DropRefusesDeletionProtectionUnlessLifted) {
  pb::DynamoTable guarded = SimpleTable(UniqueTable("guarded"));
  guarded.set_deletion_protection(true);
  pb::DynamoTable plain = SimpleTable(UniqueTable("plain"));
  Reach(SchemaOfTables({guarded, plain}));

  // Removing a protected table from the schema is blocked in the plan.
  Plan removal = PlanFor(SchemaOfTables({plain}), {guarded.name()});
  ASSERT_EQ(removal.tables.size(), 1u);
  EXPECT_EQ(removal.tables[0].action, TableAction::kDelete);
  EXPECT_TRUE(removal.tables[0].blocked);
  EXPECT_NE(removal.tables[0].blocked_reason.find("run again with --lift-deletion-protection " + guarded.name()),
            std::string::npos);

  ExecuteReport r = DropTables(ddb_, {plain.name(), guarded.name()}, clock_.Drop(false));
  EXPECT_EQ(r.status.code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status.message(),
            "deletion protection is enabled on table " + guarded.name() +
                "; nothing was dropped. Turn it off first, or lift it as part of the drop "
                "(strata drop --lift-deletion-protection)");
  Live(plain.name());  // still there

  r = DropTables(ddb_, {plain.name(), guarded.name()}, clock_.Drop(true));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  auto gone = DescribeLiveTable(ddb_, guarded.name());
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  gone = DescribeLiveTable(ddb_, plain.name());
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
}

// Someone changes the table with the API directly; the next plan puts it back.
TEST_F(DynamoDbApply, FindsChangesMadeBehindItsBack) {
  pb::DynamoTable t = SimpleTable(UniqueTable("drift"));
  AddGlobalIndex(&t, "by_email", "email");
  Reach(SchemaOfTables({t}));
  MustCall(ddb_, "UpdateTable",
           {{"TableName", t.name()},
            {"GlobalSecondaryIndexUpdates", {{{"Delete", {{"IndexName", "by_email"}}}}}}});
  MustCall(ddb_, "UpdateTimeToLive",
           {{"TableName", t.name()},
            {"TimeToLiveSpecification", {{"AttributeName", "gone_at"}, {"Enabled", true}}}});

  Plan plan = PlanFor(SchemaOfTables({t}));
  ASSERT_EQ(plan.tables.size(), 1u);
  std::vector<std::string> summaries;
  for (const auto& op : plan.tables[0].operations) summaries.push_back(op.summary);
  EXPECT_EQ(summaries, (std::vector<std::string>{"add global index by_email",
                                                 "turn off time to live (attribute gone_at)"}));
  Reach(SchemaOfTables({t}));
  ASSERT_TRUE(DropTables(ddb_, {t.name()}, clock_.Drop(false)).status.ok());
}

TEST_F(DynamoDbApply, ServiceErrorsNameTheTable) {
  pb::DynamoTable t = SimpleTable(UniqueTable("errors"));
  Reach(SchemaOfTables({t}));
  // The stream is already off: DynamoDB's own refusal (played by the proxy: moto accepts it)
  // comes back with the table named.
  Plan plan;
  TablePlan tp;
  tp.table = t.name();
  Operation op;
  op.table = t.name();
  op.api = "UpdateTable";
  op.input = {{"TableName", t.name()}, {"StreamSpecification", {{"StreamEnabled", false}}}};
  op.summary = "turn off stream";
  tp.operations.push_back(op);
  plan.tables.push_back(tp);
  ExecuteReport r = Execute(ddb_, plan, clock_.Execute());
  EXPECT_EQ(r.status.code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status.message().rfind("table " + t.name() + ": turn off stream (UpdateTable): "
                                     "UpdateTable for table " + t.name() + " rejected: ", 0),
            0u)
      << r.status.message();

  ExecuteReport missing = DropTables(ddb_, {t.name() + "_nope"}, clock_.Drop(false));
  EXPECT_EQ(missing.status.code(), Code::kNotFound);
  EXPECT_EQ(missing.status.message(),
            "table " + t.name() + "_nope does not exist (DescribeTable)");
  ASSERT_TRUE(DropTables(ddb_, {t.name()}, clock_.Drop(false)).status.ok());
}

// What the aws core says about credentials and transport reaches people with the table named.
TEST(DynamoDbErrors, RejectedCredentialsAndUnreachableServersNameTheTable) {
  strata::testing::MotoIdentity unknown;  // keys moto never issued
  unknown.access_key_id = "AKIANOTISSUEDBYMOTO0";
  unknown.secret_access_key = "not-a-secret";
  TestDynamoDb bad_key(strata::testing::MotoEndpoint(), unknown);
  auto live = DescribeLiveTable(bad_key, "orders");
  ASSERT_FALSE(live.ok());
  // DynamoDB says UnrecognizedClientException, moto InvalidClientTokenId: the same refusal.
  EXPECT_EQ(live.status().message().rfind(
                "DescribeTable for table orders: dynamodb DescribeTable: the dynamodb endpoint "
                "rejected the credentials (InvalidClientTokenId",
                0),
            0u)
      << live.status().message();

  strata::testing::ClosedPort closed;  // refuses connections: nobody listens there
  TestDynamoDb nobody(closed.url());
  ExecuteReport r = DropTables(nobody, {"orders"}, DropOptions{});
  EXPECT_EQ(r.status.code(), Code::kUnavailable);
  EXPECT_EQ(r.status.message().rfind("DescribeTable for table orders: cannot reach " + closed.url(),
                                     0),
            0u)
      << r.status.message();
}

}  // namespace
}  // namespace strata::dynamodb
