// strata list against moto: keys, every global and local index, billing, status,
// item counts and the managed marks, as JSON and as the table people read.
#include <gtest/gtest.h>

#include <sstream>

#include "integration/dynamodb/cli_fixture.h"

namespace strata::testing {
namespace {

using json = nlohmann::json;

class CliListTest : public DynamoCliTest {
 protected:
  // orders: pk S + sk N, a GSI with a sort key, an LSI, on demand, two items.
  void CreateOrders() {
    Must("CreateTable", {{"TableName", T("orders")},
                         {"AttributeDefinitions",
                          {{{"AttributeName", "pk"}, {"AttributeType", "S"}},
                           {{"AttributeName", "sk"}, {"AttributeType", "N"}},
                           {{"AttributeName", "status"}, {"AttributeType", "S"}},
                           {{"AttributeName", "created"}, {"AttributeType", "N"}},
                           {{"AttributeName", "day"}, {"AttributeType", "S"}}}},
                         {"KeySchema",
                          {{{"AttributeName", "pk"}, {"KeyType", "HASH"}},
                           {{"AttributeName", "sk"}, {"KeyType", "RANGE"}}}},
                         {"GlobalSecondaryIndexes",
                          {{{"IndexName", "by_status"},
                            {"KeySchema",
                             {{{"AttributeName", "status"}, {"KeyType", "HASH"}},
                              {{"AttributeName", "created"}, {"KeyType", "RANGE"}}}},
                            {"Projection", {{"ProjectionType", "ALL"}}}}}},
                         {"LocalSecondaryIndexes",
                          {{{"IndexName", "by_day"},
                            {"KeySchema",
                             {{{"AttributeName", "pk"}, {"KeyType", "HASH"}},
                              {{"AttributeName", "day"}, {"KeyType", "RANGE"}}}},
                            {"Projection", {{"ProjectionType", "KEYS_ONLY"}}}}}},
                         {"BillingMode", "PAY_PER_REQUEST"}});
    for (int i = 0; i < 2; ++i) {
      Must("PutItem", {{"TableName", T("orders")},
                       {"Item", {{"pk", {{"S", "a"}}}, {"sk", {{"N", std::to_string(i)}}}}}});
    }
  }
  // users: pk only, provisioned 5/3.
  void CreateUsers() {
    Must("CreateTable",
         {{"TableName", T("users")},
          {"AttributeDefinitions", {{{"AttributeName", "id"}, {"AttributeType", "S"}}}},
          {"KeySchema", {{{"AttributeName", "id"}, {"KeyType", "HASH"}}}},
          {"BillingMode", "PROVISIONED"},
          {"ProvisionedThroughput", {{"ReadCapacityUnits", 5}, {"WriteCapacityUnits", 3}}}});
  }
};

TEST_F(CliListTest, JsonShowsKeysIndexesBillingCountsAndManagedMarks) {
  CreateOrders();
  CreateUsers();
  CreateTable(T("legacy"));
  // orders is managed through its schema file, legacy through the log, users not at all.
  WriteFile("schema/dynamodb/orders.yaml",
            "table: " + T("orders") +
                "\npartition_key: { name: pk, type: S }\nsort_key: { name: sk, type: N }\n");
  ASSERT_EQ(Strata({"import", "--target", "local", T("legacy")}).code, 0);

  StrataRun r = Strata({"--json", "list", "--target", "local"});
  ASSERT_EQ(r.code, 0) << r;
  json doc = r.Json();
  EXPECT_EQ(doc["version"], 1);
  EXPECT_EQ(doc["target"]["name"], "local");
  EXPECT_EQ(doc["target"]["endpoint"], endpoint_);
  EXPECT_EQ(doc["target"]["region"], "us-east-1");

  json orders = Find(doc["tables"], T("orders"));
  ASSERT_TRUE(orders.is_object()) << doc.dump(2);
  EXPECT_EQ(orders["managed"], true);
  EXPECT_EQ(orders["status"], "ACTIVE");
  EXPECT_EQ(orders["partition_key"], (json{{"name", "pk"}, {"type", "S"}}));
  EXPECT_EQ(orders["sort_key"], (json{{"name", "sk"}, {"type", "N"}}));
  EXPECT_EQ(orders["billing_mode"], "PAY_PER_REQUEST");
  EXPECT_TRUE(orders["throughput"].is_null());
  EXPECT_EQ(orders["item_count"], 2);
  ASSERT_EQ(orders["global_indexes"].size(), 1u);
  const json& gsi = orders["global_indexes"][0];
  EXPECT_EQ(gsi["name"], "by_status");
  EXPECT_EQ(gsi["partition_key"], (json{{"name", "status"}, {"type", "S"}}));
  EXPECT_EQ(gsi["sort_key"], (json{{"name", "created"}, {"type", "N"}}));
  EXPECT_EQ(gsi["projection"]["type"], "ALL");
  EXPECT_EQ(gsi["status"], "ACTIVE");
  ASSERT_EQ(orders["local_indexes"].size(), 1u);
  const json& lsi = orders["local_indexes"][0];
  EXPECT_EQ(lsi["name"], "by_day");
  EXPECT_EQ(lsi["partition_key"], (json{{"name", "pk"}, {"type", "S"}}));
  EXPECT_EQ(lsi["sort_key"], (json{{"name", "day"}, {"type", "S"}}));
  EXPECT_EQ(lsi["projection"]["type"], "KEYS_ONLY");

  json users = Find(doc["tables"], T("users"));
  ASSERT_TRUE(users.is_object()) << doc.dump(2);
  EXPECT_EQ(users["managed"], false);
  EXPECT_TRUE(users["sort_key"].is_null());
  EXPECT_EQ(users["billing_mode"], "PROVISIONED");
  EXPECT_EQ(users["throughput"], (json{{"read_capacity_units", 5}, {"write_capacity_units", 3}}));
  EXPECT_TRUE(users["global_indexes"].empty());

  EXPECT_EQ(Find(doc["tables"], T("legacy"))["managed"], true);

  // Sorted by name.
  std::vector<std::string> names;
  for (const auto& t : doc["tables"]) names.push_back(t["name"]);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
}

// The column where `needle` starts on the line that contains `anchor`; npos when absent.
size_t ColumnOf(const std::string& text, const std::string& anchor, const std::string& needle) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(anchor) != std::string::npos) return line.find(needle);
  }
  return std::string::npos;
}

TEST_F(CliListTest, TextIsAnAlignedTableWithIndexRowsAndNoColourUnderNoColor) {
  CreateOrders();
  CreateUsers();
  WriteFile("schema/dynamodb/orders.yaml",
            "table: " + T("orders") +
                "\npartition_key: { name: pk, type: S }\nsort_key: { name: sk, type: N }\n");
  StrataRun r = Strata({"list"});  // the only dynamodb target is used without --target
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_FALSE(Contains(r.out, "\033[")) << r;
  EXPECT_TRUE(Contains(r.out, "target local (" + endpoint_ + ", us-east-1)")) << r;
  EXPECT_TRUE(Contains(r.out, "  gsi by_status")) << r;
  EXPECT_TRUE(Contains(r.out, "  lsi by_day")) << r;
  EXPECT_TRUE(Contains(r.out, "PAY_PER_REQUEST")) << r;
  EXPECT_TRUE(Contains(r.out, "PROVISIONED 5/3")) << r;
  // Columns line up: each key starts where its header does.
  const size_t pk = ColumnOf(r.out, "PARTITION KEY", "PARTITION KEY");
  ASSERT_NE(pk, std::string::npos) << r;
  EXPECT_EQ(ColumnOf(r.out, T("orders") + " ", "pk (S)"), pk) << r;
  EXPECT_EQ(ColumnOf(r.out, "gsi by_status", "status (S)"), pk) << r;
  EXPECT_EQ(ColumnOf(r.out, T("users") + " ", "id (S)"), pk) << r;
  const size_t sk = ColumnOf(r.out, "PARTITION KEY", "SORT KEY");
  EXPECT_EQ(ColumnOf(r.out, "lsi by_day", "day (S)"), sk) << r;
  const size_t mark = ColumnOf(r.out, "PARTITION KEY", "STRATA");
  EXPECT_EQ(ColumnOf(r.out, T("orders") + " ", "managed"), mark) << r;
  EXPECT_EQ(ColumnOf(r.out, T("users") + " ", "unmanaged"), mark) << r;
}

TEST_F(CliListTest, ManyTablesShowProgressOnStderrAndKeepStdoutJson) {
  for (int i = 0; i < 25; ++i) CreateTable(T("bulk" + std::to_string(i)));
  StrataRun r = Strata({"--json", "list"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_TRUE(Contains(r.err, "described ")) << r;
  EXPECT_TRUE(Contains(r.err, " tables\n")) << r;
  size_t mine = 0;
  const json doc = r.Json();  // kept alive: the loop reads into it
  for (const auto& t : doc["tables"]) mine += t["name"].get<std::string>().rfind(prefix_, 0) == 0;
  EXPECT_EQ(mine, 25u);
}

}  // namespace
}  // namespace strata::testing
