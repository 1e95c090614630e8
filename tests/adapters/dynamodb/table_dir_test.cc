#include "adapters/dynamodb/table_dir.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace strata::dynamodb {
namespace {

namespace fs = std::filesystem;

const fs::path kTestdata = fs::path(STRATA_TESTDATA_DIR) / "dynamodb";

std::vector<std::string> Relative(const std::vector<fs::path>& paths, const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& p : paths) out.push_back(p.lexically_relative(dir).generic_string());
  return out;
}

TEST(TableDirTest, ListsTableFilesOneLevelDeepSkippingDotfilesAndReadme) {
  Result<std::vector<fs::path>> files = ListTableFiles(kTestdata / "tables");
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(Relative(*files, kTestdata / "tables"),
            (std::vector<std::string>{"billing/invoices.yml", "customers.json", "orders.yaml"}));
}

TEST(TableDirTest, LoadsEveryTableIntoOneSchema) {
  Result<pb::DynamoSchema> schema = LoadTableDir(kTestdata / "tables");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  ASSERT_EQ(schema->tables_size(), 3);
  const pb::DynamoTable& orders = schema->tables().at("orders");
  EXPECT_EQ(orders.key().sort_key(), "order_id");
  EXPECT_EQ(orders.global_indexes(0).projection().type(), pb::DYNAMO_PROJECTION_TYPE_KEYS_ONLY);
  EXPECT_EQ(schema->tables().at("invoices").ttl_attribute(), "purge_at");
  EXPECT_EQ(schema->tables().at("customers").billing_mode(),
            pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST);
}

// The sample shop's table files stay loadable as the format evolves.
TEST(TableDirTest, ExampleShopSchemaLoads) {
  const fs::path dir = fs::path(STRATA_TESTDATA_DIR) / ".." / ".." / ".." / "examples" / "shop" /
                       "schema" / "dynamodb";
  Result<pb::DynamoSchema> schema = LoadTableDir(dir);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->tables_size(), 4);
  const pb::DynamoTable& carts = schema->tables().at("carts");
  EXPECT_EQ(carts.billing_mode(), pb::DYNAMO_BILLING_MODE_PROVISIONED);
  EXPECT_EQ(carts.global_indexes(0).throughput().read_capacity_units(), 5);
  EXPECT_EQ(schema->tables().at("sessions").ttl_attribute(), "expires_at");
  EXPECT_EQ(schema->tables().at("orders").local_indexes(0).name(), "by_placed_at");
}

TEST(TableDirTest, TheSameTableInTwoFilesNamesBoth) {
  Result<pb::DynamoSchema> schema = LoadTableDir(kTestdata / "dup");
  ASSERT_EQ(schema.status().code(), Code::kInvalidArgument);
  const std::string dir = (kTestdata / "dup").generic_string();
  EXPECT_EQ(schema.status().message(),
            "table \"orders\" is defined twice, in " + dir + "/a_orders.yaml and in " + dir +
                "/b_orders.json; keep one definition per table");
}

TEST(TableDirTest, AFileErrorCarriesItsPathAndLine) {
  Result<pb::DynamoSchema> schema = ParseTableFiles(
      {{"schema/a.yaml", "table: alpha\npartition_key: {name: id, type: S}\n"},
       {"schema/b.yaml", "table: beta\npartition_key: {name: id, type: BOOL}\n"}});
  ASSERT_EQ(schema.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(schema.status().message(), "schema/b.yaml:2: BOOL is not a key type; use S, N or B");
}

TEST(TableDirTest, EveryBadFileIsReportedNotOnlyTheFirst) {
  Result<pb::DynamoSchema> schema = ParseTableFiles(
      {{"schema/a.yaml", "table: alpha\npartition_key: {name: id, type: BOOL}\n"},
       {"schema/b.yaml", "table: beta\npartition_key: {name: id, type: S}\n"},
       {"schema/c.yaml", "table: gamma\npartition_key: {name: id, type: X}\n"},
       {"schema/d.yaml", "table: beta\npartition_key: {name: id, type: S}\n"}});
  ASSERT_EQ(schema.status().code(), Code::kInvalidArgument);
  const std::string& m = schema.status().message();
  EXPECT_NE(m.find("schema/a.yaml:2: BOOL is not a key type"), std::string::npos) << m;
  EXPECT_NE(m.find("schema/c.yaml:2:"), std::string::npos) << m;
  EXPECT_NE(m.find("table \"beta\" is defined twice, in schema/b.yaml and in schema/d.yaml"),
            std::string::npos)
      << m;
  EXPECT_EQ(std::count(m.begin(), m.end(), '\n'), 2) << m;  // three problems, one per line
}

TEST(TableDirTest, AnEmptyListIsAnEmptySchema) {
  Result<pb::DynamoSchema> schema = ParseTableFiles({});
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ(schema->tables_size(), 0);
}

TEST(TableDirTest, AMissingDirectoryIsNotFound) {
  Result<pb::DynamoSchema> schema = LoadTableDir(kTestdata / "no-such-dir");
  EXPECT_EQ(schema.status().code(), Code::kNotFound);
  EXPECT_EQ(schema.status().message(),
            (kTestdata / "no-such-dir").string() + ": no such directory");
}

TEST(TableDirTest, ReadTextFileReportsAMissingFile) {
  Result<std::string> text = ReadTextFile(kTestdata / "nope.yaml");
  EXPECT_EQ(text.status().code(), Code::kNotFound);
  Result<std::string> ok = ReadTextFile(kTestdata / "tables" / "billing" / "invoices.yml");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->substr(0, 16), "table: invoices\n");
}

}  // namespace
}  // namespace strata::dynamodb
