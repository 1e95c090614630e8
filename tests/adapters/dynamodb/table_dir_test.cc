#include "adapters/dynamodb/table_dir.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "tests/engine/testing/temp_dir.h"

namespace strata::dynamodb {
namespace {

namespace fs = std::filesystem;

const fs::path kTestdata = fs::path(STRATA_TESTDATA_DIR) / "dynamodb";

// A file's text, or what went wrong reading it.
std::string TextOf(const fs::path& path) {
  Result<std::string> text = ReadTextFile(path);
  return text.ok() ? *text : "(" + text.status().ToString() + ")";
}

// The names of the files in `dir`, sorted.
std::vector<std::string> Names(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

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

// Two generates may write snapshot.json at the same moment: each writes a temporary file of
// its own, so neither truncates the other's or renames it away (which made the other's rename
// fail with "No such file or directory"). A file beside it that is not this writer's is left
// as it is.
TEST(TableDirTest, WriteTextFileLeavesAnotherWritersTemporaryFileAlone) {
  testing::TempDir dir;
  const fs::path path = fs::path(dir.path()) / "snapshot.json";
  std::ofstream(path.string() + ".tmp") << "another writer's half";
  ASSERT_TRUE(WriteTextFile(path, "mine\n").ok());
  EXPECT_EQ(TextOf(path), "mine\n");
  EXPECT_EQ(TextOf(path.string() + ".tmp"), "another writer's half");
  EXPECT_EQ(Names(dir.path()), (std::vector<std::string>{"snapshot.json", "snapshot.json.tmp"}));
  ASSERT_TRUE(WriteTextFile(path, "again\n").ok());  // replaces
  EXPECT_EQ(TextOf(path), "again\n");
}

// An artifact file is created, never replaced: a generate that lost the race for a number
// learns it (AlreadyExists) and the winner's file is intact; nothing temporary is left behind.
TEST(TableDirTest, WriteNewTextFileNeverReplaces) {
  testing::TempDir dir;
  const fs::path path = fs::path(dir.path()) / "0003_changes.json";
  ASSERT_TRUE(WriteNewTextFile(path, "first\n").ok());
  Status second = WriteNewTextFile(path, "second\n");
  EXPECT_EQ(second.code(), Code::kAlreadyExists);
  EXPECT_EQ(second.message(), path.string() + " already exists");
  EXPECT_EQ(TextOf(path), "first\n");
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"0003_changes.json"});
  Status missing_dir = WriteNewTextFile(fs::path(dir.path()) / "nope" / "x.json", "x");
  EXPECT_EQ(missing_dir.code(), Code::kIoError);
}

}  // namespace
}  // namespace strata::dynamodb
