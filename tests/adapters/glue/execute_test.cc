// Execute and DropTables against the fake Glue: plans made from what the fake holds, run in
// order, a failed table leaving the others to run, with Glue's optimistic lock honoured.
#include "adapters/glue/execute.h"

#include <gtest/gtest.h>

#include "adapters/glue/table_input.h"
#include "tests/adapters/glue/fake_glue.h"
#include "tests/adapters/glue/glue_testing.h"

namespace strata::glue {
namespace {

using nlohmann::json;
using strata::testing::FakeGlue;
using testing::Customers;
using testing::Orders;
using testing::OrdersInput;
using testing::OrdersWith;
using testing::SameTable;
using testing::SchemaOf;
using testing::Table;

// What the fake holds now, read as the backend reads it.
LiveCatalog Read(FakeGlue& glue) {
  auto c = ReadCatalog({&glue, ""}, ReadOptions{});
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? *c : LiveCatalog{};
}

Plan PlanFor(FakeGlue& glue, const pb::GlueSchema& desired, std::set<std::string> managed,
             std::set<std::string> allow_replace = {}) {
  PlanOptions o;
  o.managed = std::move(managed);
  o.allow_replace = std::move(allow_replace);
  o.has_partitions = [&glue](const LiveTable& t) { return HasPartitions({&glue, ""}, t); };
  auto plan = PlanChanges(Read(glue), desired, o);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  glue.ClearCalls();
  return plan.ok() ? *plan : Plan{};
}

struct Events {
  std::vector<std::string> seen;
  ProgressFn Fn() {
    return [this](const backend::Progress& p) {
      seen.push_back(std::to_string(p.index) + "/" + std::to_string(p.total) + " " + p.phase +
                     " " + p.object);
    };
  }
};

const std::set<std::string> kSales = {"sales", "sales.orders", "sales.customers"};

// A fake Glue holding sales.orders (OrdersInput) with `partitions` partitions.
void SeedOrders(FakeGlue& glue, int partitions = 0) {
  glue.AddDatabase("sales");
  glue.AddTable("sales", OrdersInput());
  if (partitions > 0) glue.AddPartitions("sales", "orders", partitions);
}

// The desired orders with its partition key renamed: a replace once it has partitions.
pb::GlueTable OrdersByDay() {
  return OrdersWith([](pb::GlueTable& t) { t.mutable_partition_keys(0)->set_name("day"); });
}

TEST(Execute, RunsTheOperationsInPlanOrder) {
  FakeGlue glue;
  Plan plan = PlanFor(glue, SchemaOf("sales", {Orders(), Customers()}), kSales);
  Events events;
  backend::ExecuteReport r = Execute({&glue, ""}, plan, events.Fn());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(glue.mutations(),
            (std::vector<std::string>{"CreateDatabase", "CreateTable", "CreateTable"}));
  EXPECT_EQ(glue.calls()[1].input["TableInput"]["Name"], "customers");
  EXPECT_EQ(glue.calls()[2].input["TableInput"]["Name"], "orders");
  EXPECT_EQ(r.operations_done, 3u);
  EXPECT_EQ(r.done, (std::vector<std::string>{"sales: create database sales",
                                              "sales.customers: create table sales.customers",
                                              "sales.orders: create table sales.orders"}));
  EXPECT_EQ(events.seen,
            (std::vector<std::string>{"1/3 start sales", "1/3 done sales",
                                      "2/3 start sales.customers", "2/3 done sales.customers",
                                      "3/3 start sales.orders", "3/3 done sales.orders"}));
  // What was created reads back as the files define it: nothing more to do.
  EXPECT_TRUE(PlanFor(glue, SchemaOf("sales", {Orders(), Customers()}), kSales).objects.empty());
}

TEST(Execute, ADatabaseThatExistsByNowCountsAsCreated) {
  FakeGlue glue;
  Plan plan = PlanFor(glue, SchemaOf("sales", {Orders()}), kSales);
  glue.AddDatabase("sales");  // someone else was faster
  backend::ExecuteReport r = Execute({&glue, ""}, plan, nullptr);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.operations_done, 2u);
  EXPECT_TRUE(glue.has_table("sales", "orders"));
}

// Tables are independent: one that fails is left there and the others go on.
TEST(Execute, ATableThatExistsByNowFailsAndTheOthersRun) {
  FakeGlue glue;
  glue.AddDatabase("sales");
  Plan plan = PlanFor(glue, SchemaOf("sales", {Orders(), Customers()}), kSales);
  glue.AddTable("sales", OrdersInput());
  backend::ExecuteReport r = Execute({&glue, ""}, plan, nullptr);
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.code(), Code::kAlreadyExists);
  EXPECT_EQ(r.status.message().rfind("sales.orders: create table sales.orders (CreateTable)", 0),
            0u)
      << r.status.message();
  EXPECT_EQ(r.operations_done, 1u);
  EXPECT_EQ(glue.mutations(), (std::vector<std::string>{"CreateTable", "CreateTable"}));
  EXPECT_TRUE(glue.has_table("sales", "customers"));
  ASSERT_EQ(r.objects.size(), 2u);
  EXPECT_EQ(r.objects[0].object, "sales.customers");
  EXPECT_EQ(r.objects[0].result, "done");
  EXPECT_EQ(r.objects[1].object, "sales.orders");
  EXPECT_EQ(r.objects[1].result, "failed");
  EXPECT_EQ(r.objects[1].detail, r.status.message());
}

TEST(Execute, AnUpdateKeepsWhatStrataDoesNotManage) {
  FakeGlue glue;
  SeedOrders(glue);
  const pb::GlueTable desired = OrdersWith([](pb::GlueTable& t) {
    auto* c = t.add_columns();
    c->set_name("status");
    c->set_type("string");
    (*t.mutable_parameters())["team"] = "finance";
  });
  Plan plan = PlanFor(glue, SchemaOf("sales", {desired}), kSales);
  backend::ExecuteReport r = Execute({&glue, ""}, plan, nullptr);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(glue.mutations(), (std::vector<std::string>{"UpdateTable"}));
  EXPECT_EQ(glue.calls()[0].input["VersionId"], "1");
  const json stored = glue.table("sales", "orders");
  EXPECT_EQ(stored["VersionId"], "2");
  EXPECT_EQ(stored["Owner"], "hadoop");
  EXPECT_EQ(stored["Retention"], 7);
  EXPECT_EQ(stored["StorageDescriptor"]["Compressed"], true);
  EXPECT_EQ(stored["StorageDescriptor"]["StoredAsSubDirectories"], true);
  EXPECT_EQ(stored["StorageDescriptor"]["SerdeInfo"]["Name"], "orders-serde");
  EXPECT_EQ(stored["Parameters"]["transient_lastDdlTime"], "1735689600");
  EXPECT_EQ(stored["Parameters"]["owner.team"], "data-platform");
  EXPECT_EQ(stored["Parameters"]["team"], "finance");
  EXPECT_EQ(stored["StorageDescriptor"]["Columns"][2]["Parameters"]["engine.field.id"], "3");
  EXPECT_EQ(stored["StorageDescriptor"]["Columns"].size(), 4u);
  // The next plan has nothing to do (and sends nothing: each UpdateTable is a table version).
  EXPECT_TRUE(PlanFor(glue, SchemaOf("sales", {desired}), kSales).objects.empty());
}

TEST(Execute, ATableChangedSinceItWasReadFailsThatTableOnly) {
  FakeGlue glue;
  SeedOrders(glue);
  json returns = OrdersInput();
  returns["Name"] = "returns";
  glue.AddTable("sales", returns);
  auto moved = [](pb::GlueTable& t) { t.set_location("s3://lake/v2/"); };
  pb::GlueTable returns_desired = OrdersWith(moved);
  returns_desired.set_name("returns");
  Plan plan = PlanFor(glue, SchemaOf("sales", {OrdersWith(moved), returns_desired}),
                      {"sales.orders", "sales.returns"});
  ASSERT_EQ(plan.objects.size(), 2u);
  // Someone changes orders between plan and apply.
  glue.Edit("sales", "orders", [](json& t) { t["Parameters"]["team"] = "ops"; });
  backend::ExecuteReport r = Execute({&glue, ""}, plan, nullptr);
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.code(), Code::kFailedPrecondition);
  EXPECT_NE(r.status.message().find("table sales.orders changed since it was read"),
            std::string::npos)
      << r.status.message();
  EXPECT_NE(r.status.message().find("run strata plan again"), std::string::npos);
  EXPECT_EQ(r.status.message().rfind("sales.orders: update table: location s3://lake/v2/ "
                                     "(UpdateTable): ",
                                     0),
            0u)
      << r.status.message();
  // The other writer's change stands; the other table went on.
  EXPECT_EQ(r.operations_done, 1u);
  EXPECT_EQ(glue.mutations(), (std::vector<std::string>{"UpdateTable", "UpdateTable"}));
  EXPECT_EQ(glue.table("sales", "orders")["Parameters"]["team"], "ops");
  EXPECT_EQ(glue.table("sales", "returns")["VersionId"], "2");
  ASSERT_EQ(r.objects.size(), 2u);
  EXPECT_EQ(r.objects[0].result, "failed");
  EXPECT_EQ(r.objects[1].result, "done");
}

TEST(Execute, BlockedObjectsAreSkippedAndTheRestRun) {
  FakeGlue glue;
  SeedOrders(glue, 2);
  Plan plan = PlanFor(glue, SchemaOf("sales", {OrdersByDay(), Customers()}), kSales);
  ASSERT_EQ(plan.objects.size(), 2u);
  ASSERT_TRUE(plan.objects[1].blocked);
  Events events;
  backend::ExecuteReport r = Execute({&glue, ""}, plan, events.Fn());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(glue.mutations(), (std::vector<std::string>{"CreateTable"}));
  EXPECT_EQ(events.seen, (std::vector<std::string>{"1/1 start sales.customers",
                                                   "1/1 done sales.customers"}));
}

TEST(Execute, AConsentedReplaceDeletesThenCreates) {
  FakeGlue glue;
  SeedOrders(glue, 2);
  Plan plan = PlanFor(glue, SchemaOf("sales", {OrdersByDay()}), kSales, {"sales.orders"});
  backend::ExecuteReport r = Execute({&glue, ""}, plan, nullptr);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(glue.mutations(), (std::vector<std::string>{"DeleteTable", "CreateTable"}));
  const json stored = glue.table("sales", "orders");
  EXPECT_EQ(stored["PartitionKeys"][0]["Name"], "day");
  EXPECT_EQ(stored["Owner"], "hadoop");
  EXPECT_EQ(stored["VersionId"], "1");
}

TEST(Execute, ATableAlreadyGoneCountsAsDeleted) {
  FakeGlue glue;
  SeedOrders(glue);
  Plan plan = PlanFor(glue, SchemaOf("sales", {}), kSales);
  ASSERT_EQ(plan.objects.size(), 1u);
  glue.FailCall("DeleteTable", 1, "EntityNotFoundException", "Table orders not found.");
  backend::ExecuteReport r = Execute({&glue, ""}, plan, nullptr);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.operations_done, 1u);
}

TEST(Execute, AFailureNamesTheStepAndTheOthersRun) {
  FakeGlue glue;
  Plan plan = PlanFor(glue, SchemaOf("sales", {Orders(), Customers()}), kSales);
  glue.FailCall("CreateTable", 1, "AccessDeniedException", "not authorized");
  backend::ExecuteReport r = Execute({&glue, ""}, plan, nullptr);
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.message(),
            "sales.customers: create table sales.customers (CreateTable): the credentials may "
            "not call glue:CreateTable on table sales.customers (not authorized); grant that "
            "permission (and Lake Formation's, if the catalog uses it) or use another profile");
  EXPECT_EQ(r.operations_done, 2u);
  EXPECT_EQ(glue.mutations(),
            (std::vector<std::string>{"CreateDatabase", "CreateTable", "CreateTable"}));
  EXPECT_TRUE(glue.has_table("sales", "orders"));
}

// A database that cannot be created leaves its tables not run; another database goes on.
TEST(Execute, AFailedDatabaseLeavesItsTablesNotRun) {
  FakeGlue glue;
  pb::GlueSchema desired = SchemaOf("sales", {Orders()});
  const pb::GlueSchema hr = SchemaOf("hr", {Customers()});
  for (const auto& [name, db] : hr.databases()) (*desired.mutable_databases())[name] = db;
  Plan plan = PlanFor(glue, desired, {"hr", "hr.customers", "sales", "sales.orders"});
  glue.FailCall("CreateDatabase", 1, "AccessDeniedException", "not authorized");
  backend::ExecuteReport r = Execute({&glue, ""}, plan, nullptr);
  ASSERT_FALSE(r.status.ok());
  ASSERT_EQ(r.objects.size(), 4u);
  EXPECT_EQ(r.objects[0].object, "hr");
  EXPECT_EQ(r.objects[0].result, "failed");
  EXPECT_EQ(r.objects[1].object, "hr.customers");
  EXPECT_EQ(r.objects[1].result, "not run");
  EXPECT_EQ(r.objects[1].detail, "database hr failed");
  EXPECT_EQ(r.objects[2].result, "done");
  EXPECT_EQ(r.objects[3].result, "done");
  EXPECT_TRUE(glue.has_table("sales", "orders"));
  EXPECT_FALSE(glue.has_table("hr", "customers"));
}

// Credentials the service refuses would fail every object the same way: the run stops.
TEST(Execute, RefusedCredentialsStopTheRun) {
  FakeGlue glue;
  Plan plan = PlanFor(glue, SchemaOf("sales", {Orders(), Customers()}), kSales);
  glue.FailCall("CreateDatabase", 1, "UnrecognizedClientException",
                "The security token included in the request is invalid.");
  backend::ExecuteReport r = Execute({&glue, ""}, plan, nullptr);
  ASSERT_FALSE(r.status.ok());
  ASSERT_EQ(r.objects.size(), 3u);
  EXPECT_EQ(r.objects[0].result, "failed");
  EXPECT_EQ(r.objects[1].result, "not run");
  EXPECT_EQ(r.objects[1].detail, "the run stopped at an earlier failure");
  EXPECT_EQ(r.objects[2].result, "not run");
  EXPECT_EQ(glue.mutations(), (std::vector<std::string>{"CreateDatabase"}));
}

TEST(DropTables, DeletesTheNamedTablesFoldingTheirNames) {
  FakeGlue glue;
  SeedOrders(glue);
  Events events;
  backend::ExecuteReport r = DropTables({&glue, ""}, {"Sales.Orders"}, events.Fn());
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_FALSE(glue.has_table("sales", "orders"));
  EXPECT_EQ(glue.calls().back().operation, "DeleteTable");
  EXPECT_EQ(glue.calls().back().input, (json{{"DatabaseName", "sales"}, {"Name", "orders"}}));
  EXPECT_EQ(r.done, (std::vector<std::string>{"sales.orders: delete table sales.orders"}));
  EXPECT_EQ(events.seen, (std::vector<std::string>{"1/1 start sales.orders",
                                                   "1/1 done sales.orders"}));
}

TEST(DropTables, ADatabaseIsRefusedAndNothingIsDeleted) {
  FakeGlue glue;
  SeedOrders(glue);
  backend::ExecuteReport r = DropTables({&glue, ""}, {"sales.orders", "sales"}, nullptr);
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status.message(), DatabaseDropRefusal("sales"));
  EXPECT_NE(r.status.message().find("strata never deletes Glue databases"), std::string::npos);
  EXPECT_TRUE(glue.has_table("sales", "orders"));
  EXPECT_TRUE(glue.mutations().empty());
}

TEST(DropTables, AMissingTableIsNotFoundAndNothingIsDeleted) {
  FakeGlue glue;
  SeedOrders(glue);
  backend::ExecuteReport r = DropTables({&glue, ""}, {"sales.orders", "sales.nope"}, nullptr);
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.code(), Code::kNotFound);
  EXPECT_EQ(r.status.message(), "table sales.nope does not exist; nothing was dropped");
  EXPECT_TRUE(glue.has_table("sales", "orders"));
  EXPECT_TRUE(glue.mutations().empty());
}

}  // namespace
}  // namespace strata::glue
