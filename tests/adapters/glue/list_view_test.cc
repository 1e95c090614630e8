// What `strata list` shows of a Glue target: one row per table (columns, partition keys,
// format, location, managed or not), the JSON items, and the text when there are none.
#include "adapters/glue/list_view.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/adapters/glue/glue_testing.h"

namespace strata::glue {
namespace {

using backend::Tone;
using nlohmann::json;

const char kTarget[] = "target lake (https://glue.eu-west-1.amazonaws.com, eu-west-1)";

// sales.orders (partitioned Parquet) and logs.raw (JSON text, no location, no version).
LiveCatalog Catalog() {
  LiveCatalog c;
  c.databases = {"logs", "sales"};
  json raw = {{"Name", "raw"},
              {"DatabaseName", "logs"},
              {"StorageDescriptor",
               {{"Columns", {{{"Name", "line"}, {"Type", "string"}}}},
                {"SerdeInfo", {{"SerializationLibrary", "org.openx.data.jsonserde.JsonSerDe"}}}}}};
  c.tables = {LiveTableFromGlue(raw, "logs"), testing::OrdersLive()};
  return c;
}

std::vector<std::string> Texts(const std::vector<backend::Cell>& row) {
  std::vector<std::string> out;
  for (const auto& c : row) out.push_back(c.text);
  return out;
}

TEST(ListTables, OneRowPerTable) {
  backend::ListView v = ListTables(Catalog(), {"sales.orders"}, kTarget);
  EXPECT_EQ(v.key, "tables");
  EXPECT_EQ(v.title, std::string(kTarget) + ": 2 tables in 2 databases, 1 managed by strata");
  ASSERT_EQ(v.rows.size(), 3u);
  EXPECT_EQ(Texts(v.rows[0]), (std::vector<std::string>{"TABLE", "COLUMNS", "PARTITION KEYS",
                                                        "FORMAT", "LOCATION", "STRATA"}));
  EXPECT_EQ(Texts(v.rows[1]),
            (std::vector<std::string>{"logs.raw", "1", "-", "json", "-", "unmanaged"}));
  EXPECT_EQ(Texts(v.rows[2]), (std::vector<std::string>{"sales.orders", "3", "dt string",
                                                        "parquet", "s3://lake/orders/",
                                                        "managed"}));
  EXPECT_TRUE(v.rows[1][1].right);
  EXPECT_EQ(v.rows[2][5].tone, Tone::kGood);
  EXPECT_EQ(v.rows[1][5].tone, Tone::kDim);
}

TEST(ListTables, JsonItems) {
  backend::ListView v = ListTables(Catalog(), {"sales.orders"}, kTarget);
  ASSERT_EQ(v.items.size(), 2u);
  EXPECT_EQ(v.items[0].dump(),
            R"({"name":"logs.raw","database":"logs","table":"raw","managed":false,)"
            R"("columns":[{"name":"line","type":"string"}],"partition_keys":[],"format":"json",)"
            R"("location":null,"table_type":null,"version_id":null})");
  const auto& orders = v.items[1];
  EXPECT_EQ(orders["managed"], true);
  EXPECT_EQ(orders["columns"][1].dump(),
            R"x({"name":"total","type":"decimal(12,2)","comment":"in cents"})x");
  EXPECT_EQ(orders["partition_keys"].dump(), R"([{"name":"dt","type":"string"}])");
  EXPECT_EQ(orders["format"], "parquet");
  EXPECT_EQ(orders["location"], "s3://lake/orders/");
  EXPECT_EQ(orders["table_type"], "EXTERNAL_TABLE");
  EXPECT_EQ(orders["version_id"], "3");
}

TEST(ListTables, NothingThere) {
  LiveCatalog none;
  EXPECT_EQ(ListTables(none, {}, kTarget).empty_text, std::string("No tables on ") + kTarget + ".");
  none.databases = {"empty", "sales"};
  backend::ListView v = ListTables(none, {}, kTarget);
  EXPECT_EQ(v.empty_text, std::string("No tables on ") + kTarget + " (databases: empty, sales).");
  EXPECT_EQ(v.title, std::string(kTarget) + ": 0 tables in 2 databases, 0 managed by strata");
  EXPECT_TRUE(v.items.empty());
}

TEST(ListTables, OneOfEachIsSingular) {
  LiveCatalog c;
  c.databases = {"sales"};
  c.tables = {testing::OrdersLive()};
  EXPECT_EQ(ListTables(c, {}, kTarget).title,
            std::string(kTarget) + ": 1 table in 1 database, 0 managed by strata");
}

}  // namespace
}  // namespace strata::glue
