// GlueLive: a read catalog as the engine's state and as the objects people pick from, and the
// settings a glue target takes.
#include "adapters/glue/target.h"

#include <gtest/gtest.h>

#include "adapters/glue/table_input.h"
#include "tests/adapters/glue/glue_testing.h"

namespace strata::glue {
namespace {

LiveCatalog Catalog() {
  LiveCatalog c;
  c.databases = {"empty", "sales"};
  c.tables = {testing::OrdersLive()};
  return c;
}

TEST(GlueLive, ObjectsAreDatabasesAndTablesWithDatabasesMarked) {
  GlueLive live(Catalog());
  const auto& objects = live.Objects();
  ASSERT_EQ(objects.size(), 3u);
  EXPECT_EQ(objects[0].name, "empty");
  EXPECT_EQ(objects[0].marks, (std::vector<std::string>{kDatabaseMark}));
  EXPECT_EQ(objects[1].name, "sales");
  EXPECT_EQ(objects[2].name, "sales.orders");
  EXPECT_TRUE(objects[2].marks.empty());
}

TEST(GlueLive, SchemaHoldsEachTablesModel) {
  pb::SchemaState s = GlueLive(Catalog()).Schema(nullptr);
  EXPECT_EQ(s.engine(), pb::ENGINE_GLUE);
  ASSERT_EQ(s.glue().databases_size(), 2);
  EXPECT_EQ(s.glue().databases().at("empty").tables_size(), 0);
  const pb::GlueTable& orders = s.glue().databases().at("sales").tables().at("orders");
  EXPECT_TRUE(testing::SameTable(TableFromGlue(testing::OrdersGlue()), orders));
  EXPECT_FALSE(orders.parameters().contains("classification"));
}

TEST(GlueLive, ABaseKeepsItsDatabasePropertiesAndTheServerManagedKeysItSets) {
  pb::SchemaState base;
  base.set_engine(pb::ENGINE_GLUE);
  pb::GlueDatabase& db = (*base.mutable_glue()->mutable_databases())["sales"];
  db.set_name("sales");
  db.set_description("the sales data");
  (*db.mutable_tables())["orders"] = testing::OrdersWith(
      [](pb::GlueTable& t) { (*t.mutable_parameters())["classification"] = "parquet"; });
  pb::SchemaState s = GlueLive(Catalog()).Schema(&base);
  const pb::GlueDatabase& sales = s.glue().databases().at("sales");
  EXPECT_EQ(sales.description(), "the sales data");
  EXPECT_EQ(sales.tables().at("orders").parameters().at("classification"), "parquet");
  EXPECT_FALSE(sales.tables().at("orders").parameters().contains("transient_lastDdlTime"));
}

TEST(TargetSettings, RegionProfileEndpointAndCatalog) {
  std::vector<std::string> keys;
  for (const auto& s : TargetSettings()) keys.push_back(s.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"region", "profile", "endpoint", "catalog_id"}));
}

}  // namespace
}  // namespace strata::glue
