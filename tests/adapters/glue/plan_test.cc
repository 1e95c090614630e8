// PlanChanges: which Glue calls a difference between the live catalog and the desired schema
// becomes, with Glue's rules (one UpdateTable with its VersionId; replace only with consent;
// never a database change; only managed tables).
#include "adapters/glue/plan.h"

#include <gtest/gtest.h>

#include <map>

#include "adapters/glue/table_input.h"
#include "tests/adapters/glue/glue_testing.h"

namespace strata::glue {
namespace {

using nlohmann::json;
using testing::Customers;
using testing::Orders;
using testing::OrdersGlue;
using testing::OrdersLive;
using testing::OrdersWith;
using testing::SchemaOf;
using testing::Table;

LiveCatalog CatalogOf(std::vector<LiveTable> tables, std::vector<std::string> databases = {}) {
  LiveCatalog c;
  c.databases = std::move(databases);
  c.tables = std::move(tables);
  return c;
}

// Plan options with a partition probe that answers from `partitions` and counts its calls.
struct Probe {
  std::map<std::string, bool> partitions;
  std::vector<std::string> asked;

  PlanOptions Options(std::set<std::string> managed) {
    PlanOptions o;
    o.managed = std::move(managed);
    o.has_partitions = [this](const LiveTable& t) -> Result<bool> {
      asked.push_back(t.object());
      return partitions[t.object()];
    };
    return o;
  }
};

const std::set<std::string> kOrdersManaged = {"sales", "sales.orders"};

Plan PlanOrNothing(const LiveCatalog& live, const pb::GlueSchema& desired, const PlanOptions& o) {
  auto plan = PlanChanges(live, desired, o);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  return plan.ok() ? *plan : Plan{};
}

// The one object of a plan that must have exactly one.
const ObjectPlan& Only(const Plan& plan) {
  EXPECT_EQ(plan.objects.size(), 1u);
  static const ObjectPlan kNone;
  return plan.objects.empty() ? kNone : plan.objects[0];
}

std::vector<std::string> Apis(const ObjectPlan& p) {
  std::vector<std::string> out;
  for (const auto& op : p.operations) out.push_back(op.api);
  return out;
}

std::vector<std::string> Objects(const Plan& plan) {
  std::vector<std::string> out;
  for (const auto& o : plan.objects) out.push_back(o.object);
  return out;
}

TEST(PlanChanges, ANewDatabaseIsCreatedBeforeItsTables) {
  Probe probe;
  Plan plan = PlanOrNothing(CatalogOf({}), SchemaOf("sales", {Orders(), Customers()}),
                            probe.Options({"sales", "sales.orders", "sales.customers"}));
  ASSERT_EQ(Objects(plan), (std::vector<std::string>{"sales", "sales.customers", "sales.orders"}));
  const ObjectPlan& db = plan.objects[0];
  EXPECT_EQ(db.action, backend::Action::kCreate);
  ASSERT_EQ(db.operations.size(), 1u);
  EXPECT_EQ(db.operations[0].api, "CreateDatabase");
  EXPECT_EQ(db.operations[0].input, (json{{"DatabaseInput", {{"Name", "sales"}}}}));
  EXPECT_FALSE(db.operations[0].destructive);
  const ObjectPlan& orders = plan.objects[2];
  EXPECT_EQ(orders.action, backend::Action::kCreate);
  ASSERT_EQ(Apis(orders), (std::vector<std::string>{"CreateTable"}));
  EXPECT_EQ(orders.operations[0].input,
            (json{{"DatabaseName", "sales"}, {"TableInput", NewTableInput(Orders())}}));
  EXPECT_EQ(orders.operations[0].summary, "create table sales.orders");
  ASSERT_EQ(orders.changes.size(), 1u);
  EXPECT_TRUE(orders.changes[0].has_create_table());
  EXPECT_TRUE(probe.asked.empty());
}

TEST(PlanChanges, AnExistingDatabaseIsNotCreated) {
  Probe probe;
  // Known from the database list, or only from a table read in it.
  for (const LiveCatalog& live : {CatalogOf({}, {"sales"}), CatalogOf({OrdersLive()})}) {
    Plan plan = PlanOrNothing(live, SchemaOf("sales", {Orders(), Customers()}),
                              probe.Options({"sales", "sales.orders", "sales.customers"}));
    for (const auto& o : plan.objects) {
      EXPECT_NE(o.object, "sales");
      for (const auto& op : o.operations) EXPECT_NE(op.api, "CreateDatabase");
    }
  }
}

TEST(PlanChanges, DatabasesAreNeverDeletedOrChanged) {
  Probe probe;
  pb::GlueSchema desired = SchemaOf("sales", {Orders()});
  (*desired.mutable_databases())["sales"].set_description("changed");
  (*desired.mutable_databases())["sales"].set_location_uri("s3://elsewhere/");
  Plan plan = PlanOrNothing(CatalogOf({OrdersLive()}, {"sales", "old"}), desired,
                            probe.Options({"sales", "sales.orders", "old"}));
  EXPECT_TRUE(plan.objects.empty()) << Objects(plan).size();
}

TEST(PlanChanges, AnUnchangedTableSendsNothing) {
  Probe probe;
  Plan plan = PlanOrNothing(CatalogOf({OrdersLive()}, {"sales"}), SchemaOf("sales", {Orders()}),
                            probe.Options(kOrdersManaged));
  EXPECT_TRUE(plan.objects.empty());
  EXPECT_TRUE(probe.asked.empty());
}

TEST(PlanChanges, ServerManagedParametersAreNoChange) {
  json glue = OrdersGlue();
  glue["Parameters"]["transient_lastDdlTime"] = "1900000000";
  glue["Parameters"]["numRows"] = "999999";
  glue["Parameters"]["UPDATED_BY_CRAWLER"] = "another-crawler";
  glue["Parameters"]["metadata_location"] = "s3://lake/orders/metadata/00001.json";
  glue["Parameters"].erase("EXTERNAL");
  glue["Parameters"]["someone.else"] = "x";
  glue["StorageDescriptor"]["Compressed"] = false;
  glue["Owner"] = "root";
  Probe probe;
  Plan plan = PlanOrNothing(CatalogOf({LiveTableFromGlue(glue, "sales")}),
                            SchemaOf("sales", {Orders()}), probe.Options(kOrdersManaged));
  EXPECT_TRUE(plan.objects.empty()) << Only(plan).operations.at(0).summary;
}

TEST(PlanChanges, ACaseOnlyDifferencePlansNothing) {
  pb::GlueTable shouting = OrdersWith([](pb::GlueTable& t) {
    t.set_name("Orders");
    t.mutable_columns(0)->set_name("ID");
    t.mutable_columns(1)->set_type("DECIMAL(12, 2)");
    t.mutable_partition_keys(0)->set_name("DT");
  });
  pb::GlueSchema desired;
  pb::GlueDatabase& db = (*desired.mutable_databases())["Sales"];
  db.set_name("Sales");
  (*db.mutable_tables())["Orders"] = shouting;
  Probe probe;
  Plan plan = PlanOrNothing(CatalogOf({OrdersLive()}, {"sales"}), desired,
                            probe.Options({"Sales", "Sales.Orders"}));
  EXPECT_TRUE(plan.objects.empty()) << Objects(plan).size();
}

TEST(PlanChanges, ANewTableIsCreatedWithLowerCaseNames) {
  pb::GlueTable t = OrdersWith([](pb::GlueTable& t) {
    t.set_name("Orders");
    t.mutable_columns(0)->set_name("ID");
  });
  pb::GlueSchema desired;
  (*(*desired.mutable_databases())["Sales"].mutable_tables())["Orders"] = t;
  Probe probe;
  Plan plan = PlanOrNothing(CatalogOf({}, {"sales"}), desired, probe.Options({"Sales.Orders"}));
  const ObjectPlan& p = Only(plan);
  EXPECT_EQ(p.object, "sales.orders");
  ASSERT_EQ(Apis(p), (std::vector<std::string>{"CreateTable"}));
  EXPECT_EQ(p.operations[0].input["DatabaseName"], "sales");
  EXPECT_EQ(p.operations[0].input["TableInput"]["Name"], "orders");
  EXPECT_EQ(p.operations[0].input["TableInput"]["StorageDescriptor"]["Columns"][0]["Name"], "id");
}

// Each kind of change on a table without partitions: one UpdateTable with the VersionId read,
// carrying the read-modify-write input.
TEST(PlanChanges, EachTableChangeIsOneUpdateTableWithTheVersionRead) {
  struct Case {
    const char* what;
    std::function<void(pb::GlueTable&)> edit;
    const char* summary;
  };
  const std::vector<Case> cases = {
      {"add column",
       [](pb::GlueTable& t) {
         auto* c = t.add_columns();
         c->set_name("status");
         c->set_type("string");
       },
       "update table: column status string"},
      {"type", [](pb::GlueTable& t) { t.mutable_columns(0)->set_type("string"); },
       "update table: column id type bigint -> string"},
      {"column comment", [](pb::GlueTable& t) { t.mutable_columns(0)->set_comment("the key"); },
       "update table: column id comment (none) -> 'the key'"},
      {"location", [](pb::GlueTable& t) { t.set_location("s3://lake/orders-v2/"); },
       "update table: location s3://lake/orders-v2/"},
      {"serde parameter",
       [](pb::GlueTable& t) {
         (*t.mutable_serde()->mutable_parameters())["parquet.column.index.access"] = "false";
       },
       nullptr},
      {"table parameter", [](pb::GlueTable& t) { (*t.mutable_parameters())["team"] = "finance"; },
       "update table: table property team = 'finance'"},
      {"comment", [](pb::GlueTable& t) { (*t.mutable_parameters())["comment"] = "every order"; },
       "update table: comment 'every order'"},
  };
  json unpartitioned = OrdersGlue();
  unpartitioned.erase("PartitionKeys");
  const LiveTable live = LiveTableFromGlue(unpartitioned, "sales");
  for (const auto& c : cases) {
    pb::GlueTable desired = OrdersWith(c.edit);
    desired.clear_partition_keys();
    Probe probe;
    Plan plan = PlanOrNothing(CatalogOf({live}), SchemaOf("sales", {desired}),
                              probe.Options(kOrdersManaged));
    const ObjectPlan& p = Only(plan);
    EXPECT_EQ(p.action, backend::Action::kUpdate) << c.what;
    EXPECT_FALSE(p.blocked) << c.what;
    ASSERT_EQ(Apis(p), (std::vector<std::string>{"UpdateTable"})) << c.what;
    const json& in = p.operations[0].input;
    EXPECT_EQ(in.at("VersionId"), "3") << c.what;
    EXPECT_EQ(in.at("DatabaseName"), "sales") << c.what;
    EXPECT_EQ(in.at("TableInput"),
              UpdatedTableInput(unpartitioned, desired, ManagedKeysOf(desired, nullptr)))
        << c.what;
    EXPECT_FALSE(p.operations[0].destructive) << c.what;
    if (c.summary != nullptr) {
      EXPECT_EQ(p.operations[0].summary, c.summary) << c.what;
    }
    EXPECT_TRUE(probe.asked.empty()) << c.what;
    EXPECT_TRUE(p.notes.empty()) << c.what;
  }
}

TEST(PlanChanges, ManyChangesAreStillOneUpdateTable) {
  pb::GlueTable desired = OrdersWith([](pb::GlueTable& t) {
    auto* c = t.add_columns();
    c->set_name("status");
    c->set_type("string");
    t.set_location("s3://lake/orders-v2/");
    (*t.mutable_parameters())["team"] = "finance";
  });
  Probe probe;
  Plan plan = PlanOrNothing(CatalogOf({OrdersLive()}), SchemaOf("sales", {desired}),
                            probe.Options(kOrdersManaged));
  const ObjectPlan& p = Only(plan);
  ASSERT_EQ(Apis(p), (std::vector<std::string>{"UpdateTable"}));
  EXPECT_EQ(p.changes.size(), 3u);
  EXPECT_EQ(p.operations[0].summary,
            "update table: column status string; location s3://lake/orders-v2/; table property "
            "team = 'finance'");
}

TEST(PlanChanges, ATableWithoutAVersionIdIsUpdatedWithoutOne) {
  json glue = OrdersGlue();
  glue.erase("VersionId");
  pb::GlueTable desired = OrdersWith([](pb::GlueTable& t) { t.set_location("s3://x/"); });
  Probe probe;
  Plan plan = PlanOrNothing(CatalogOf({LiveTableFromGlue(glue, "sales")}),
                            SchemaOf("sales", {desired}), probe.Options(kOrdersManaged));
  EXPECT_FALSE(Only(plan).operations.at(0).input.contains("VersionId"));
}

TEST(PlanChanges, NewPartitionKeysOnATableWithPartitionsAreABlockedReplace) {
  pb::GlueTable desired = OrdersWith([](pb::GlueTable& t) {
    auto* k = t.add_partition_keys();
    k->set_name("region");
    k->set_type("string");
  });
  Probe probe;
  probe.partitions["sales.orders"] = true;
  Plan plan = PlanOrNothing(CatalogOf({OrdersLive()}), SchemaOf("sales", {desired}),
                            probe.Options(kOrdersManaged));
  const ObjectPlan& p = Only(plan);
  EXPECT_EQ(p.action, backend::Action::kReplace);
  EXPECT_TRUE(p.blocked);
  EXPECT_NE(p.blocked_reason.find("--allow-replace sales.orders"), std::string::npos)
      << p.blocked_reason;
  EXPECT_NE(p.replace_reason.find("(dt string)"), std::string::npos) << p.replace_reason;
  ASSERT_EQ(Apis(p), (std::vector<std::string>{"DeleteTable", "CreateTable"}));
  EXPECT_TRUE(p.operations[0].destructive);
  EXPECT_EQ(probe.asked, (std::vector<std::string>{"sales.orders"}));
  // The new table keeps what the old one had that strata does not manage.
  const json& in = p.operations[1].input.at("TableInput");
  EXPECT_EQ(in.at("Owner"), "hadoop");
  EXPECT_EQ(in.at("PartitionKeys").size(), 2u);
  EXPECT_FALSE(in.contains("VersionId"));

  PlanOptions allowed = probe.Options(kOrdersManaged);
  allowed.allow_replace = {"sales.orders"};
  const ObjectPlan consented =
      Only(PlanOrNothing(CatalogOf({OrdersLive()}), SchemaOf("sales", {desired}), allowed));
  EXPECT_EQ(consented.action, backend::Action::kReplace);
  EXPECT_FALSE(consented.blocked);
  EXPECT_EQ(Apis(consented), (std::vector<std::string>{"DeleteTable", "CreateTable"}));
}

TEST(PlanChanges, NewPartitionKeysOnATableWithoutPartitionsAreAnUpdate) {
  pb::GlueTable desired = OrdersWith([](pb::GlueTable& t) {
    t.mutable_partition_keys(0)->set_name("day");
  });
  Probe probe;
  probe.partitions["sales.orders"] = false;
  Plan plan = PlanOrNothing(CatalogOf({OrdersLive()}), SchemaOf("sales", {desired}),
                            probe.Options(kOrdersManaged));
  const ObjectPlan& p = Only(plan);
  EXPECT_EQ(p.action, backend::Action::kUpdate);
  EXPECT_FALSE(p.blocked);
  ASSERT_EQ(Apis(p), (std::vector<std::string>{"UpdateTable"}));
  EXPECT_EQ(p.operations[0].input["TableInput"]["PartitionKeys"],
            (json{{{"Name", "day"}, {"Type", "string"}}}));
  EXPECT_EQ(probe.asked, (std::vector<std::string>{"sales.orders"}));
}

TEST(PlanChanges, ColumnChangesOnATableWithPartitionsSayPartitionsAreNotTouched) {
  pb::GlueTable desired = OrdersWith([](pb::GlueTable& t) {
    auto* c = t.add_columns();
    c->set_name("status");
    c->set_type("string");
  });
  Probe probe;
  probe.partitions["sales.orders"] = true;
  Plan plan = PlanOrNothing(CatalogOf({OrdersLive()}), SchemaOf("sales", {desired}),
                            probe.Options(kOrdersManaged));
  const ObjectPlan& p = Only(plan);
  EXPECT_EQ(p.action, backend::Action::kUpdate);
  ASSERT_EQ(Apis(p), (std::vector<std::string>{"UpdateTable"}));
  ASSERT_EQ(p.notes.size(), 1u);
  EXPECT_NE(p.notes[0].find("partitions"), std::string::npos) << p.notes[0];
  EXPECT_NE(p.notes[0].find("Glue does not carry table changes to partitions"), std::string::npos);

  // Without partitions there is nothing to say.
  probe.partitions["sales.orders"] = false;
  plan = PlanOrNothing(CatalogOf({OrdersLive()}), SchemaOf("sales", {desired}),
                       probe.Options(kOrdersManaged));
  EXPECT_TRUE(Only(plan).notes.empty());
}

TEST(PlanChanges, ANewLocationOfAPartitionedTableSaysPartitionsKeepTheirs) {
  pb::GlueTable desired = OrdersWith([](pb::GlueTable& t) { t.set_location("s3://x/"); });
  Probe probe;
  Plan plan = PlanOrNothing(CatalogOf({OrdersLive()}), SchemaOf("sales", {desired}),
                            probe.Options(kOrdersManaged));
  EXPECT_EQ(Only(plan).notes, (std::vector<std::string>{"existing partitions keep their own "
                                                        "locations"}));
  EXPECT_TRUE(probe.asked.empty());  // no column changed: no need to know
}

TEST(PlanChanges, TheProbesFailureIsThePlans) {
  pb::GlueTable desired =
      OrdersWith([](pb::GlueTable& t) { t.mutable_columns(0)->set_type("int"); });
  PlanOptions o;
  o.managed = kOrdersManaged;
  o.has_partitions = [](const LiveTable&) -> Result<bool> {
    return Status::FailedPrecondition("no glue:GetPartitions");
  };
  auto plan = PlanChanges(CatalogOf({OrdersLive()}), SchemaOf("sales", {desired}), o);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().message(), "no glue:GetPartitions");
}

TEST(PlanChanges, ColumnsOfAnIcebergTableAreBlocked) {
  json glue = OrdersGlue();
  glue["Parameters"]["table_type"] = "ICEBERG";
  pb::GlueTable desired = OrdersWith([](pb::GlueTable& t) {
    (*t.mutable_parameters())["table_type"] = "ICEBERG";
    auto* c = t.add_columns();
    c->set_name("status");
    c->set_type("string");
  });
  Probe probe;
  Plan plan = PlanOrNothing(CatalogOf({LiveTableFromGlue(glue, "sales")}),
                            SchemaOf("sales", {desired}), probe.Options(kOrdersManaged));
  const ObjectPlan& p = Only(plan);
  EXPECT_TRUE(p.blocked);
  EXPECT_NE(p.blocked_reason.find("Iceberg"), std::string::npos) << p.blocked_reason;
}

TEST(PlanChanges, UnmanagedTablesAreListedAndNeverPlanned) {
  LiveTable other = LiveTableFromGlue(OrdersGlue(), "sales");
  json returns = OrdersGlue();
  returns["Name"] = "returns";
  LiveTable live_returns = LiveTableFromGlue(returns, "sales");
  // Desired changes both, but only orders is managed: returns is neither changed nor deleted,
  // and customers (desired, not managed) is not created.
  pb::GlueTable changed_returns = OrdersWith([](pb::GlueTable& t) {
    t.set_name("returns");
    t.set_location("s3://x/");
  });
  Probe probe;
  Plan plan = PlanOrNothing(CatalogOf({other, live_returns}),
                            SchemaOf("sales", {Orders(), changed_returns, Customers()}),
                            probe.Options(kOrdersManaged));
  EXPECT_TRUE(plan.objects.empty());
  EXPECT_EQ(plan.unmanaged, (std::vector<std::string>{"sales.returns"}));
}

TEST(PlanChanges, AManagedTableNoLongerDesiredIsDeleted) {
  Probe probe;
  Plan plan = PlanOrNothing(CatalogOf({OrdersLive()}, {"sales"}), SchemaOf("sales", {}),
                            probe.Options(kOrdersManaged));
  const ObjectPlan& p = Only(plan);
  EXPECT_EQ(p.object, "sales.orders");
  EXPECT_EQ(p.action, backend::Action::kDelete);
  ASSERT_EQ(Apis(p), (std::vector<std::string>{"DeleteTable"}));
  EXPECT_TRUE(p.operations[0].destructive);
  EXPECT_EQ(p.operations[0].input, (json{{"DatabaseName", "sales"}, {"Name", "orders"}}));
  ASSERT_EQ(p.changes.size(), 1u);
  EXPECT_TRUE(p.changes[0].has_drop_table());
}

TEST(PlanChanges, AKeyTheDeployedTableHadIsRemovedOneNobodyDeclaredIsKept) {
  json glue = OrdersGlue();
  glue["Parameters"]["retired"] = "yes";
  const LiveTable live = LiveTableFromGlue(glue, "sales");
  Probe probe;
  // Never deployed by strata: "retired" is someone else's; nothing to do.
  Plan plan = PlanOrNothing(CatalogOf({live}), SchemaOf("sales", {Orders()}),
                            probe.Options(kOrdersManaged));
  EXPECT_TRUE(plan.objects.empty());
  // Deployed with it: the file dropped it, so the table loses it, and only it.
  pb::GlueSchema deployed = SchemaOf("sales", {OrdersWith([](pb::GlueTable& t) {
                                       (*t.mutable_parameters())["retired"] = "yes";
                                     })});
  PlanOptions o = probe.Options(kOrdersManaged);
  o.deployed = &deployed;
  plan = PlanOrNothing(CatalogOf({live}), SchemaOf("sales", {Orders()}), o);
  const ObjectPlan& p = Only(plan);
  ASSERT_EQ(Apis(p), (std::vector<std::string>{"UpdateTable"}));
  const json& params = p.operations[0].input["TableInput"]["Parameters"];
  EXPECT_FALSE(params.contains("retired"));
  EXPECT_EQ(params.at("owner.team"), "data-platform");
  EXPECT_EQ(params.at("transient_lastDdlTime"), "1735689600");
  EXPECT_EQ(p.operations[0].summary, "update table: table property retired");
}

TEST(PlanChanges, BucketingIsPlannedAsAnUpdate) {
  pb::GlueTable desired = OrdersWith([](pb::GlueTable& t) {
    t.add_bucket_columns("id");
    t.set_num_buckets(4);
  });
  Probe probe;
  Plan plan = PlanOrNothing(CatalogOf({OrdersLive()}), SchemaOf("sales", {desired}),
                            probe.Options(kOrdersManaged));
  const ObjectPlan& p = Only(plan);
  ASSERT_EQ(Apis(p), (std::vector<std::string>{"UpdateTable"}));
  EXPECT_EQ(p.operations[0].input["TableInput"]["StorageDescriptor"]["NumberOfBuckets"], 4);
  EXPECT_EQ(p.operations[0].summary, "update table: clustered by (id) into 4 buckets");
}

}  // namespace
}  // namespace strata::glue
