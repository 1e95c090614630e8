// What `strata list` shows of a DynamoDB target: the rows people read (a table row, then one
// row per index), the JSON items, which tables strata manages, and the text when there are none.
#include "adapters/dynamodb/list_view.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/adapters/dynamodb/test_tables.h"

namespace strata::dynamodb {
namespace {

using backend::Tone;
using testing::AddGlobalIndex;
using testing::DefineAttribute;
using testing::SimpleTable;

const char kTarget[] = "target dev (http://127.0.0.1:8000, us-east-1)";

// orders: on demand, a GSI by_status (still filling), protected, 12 items.
LiveTable Orders() {
  LiveTable t;
  t.table = SimpleTable("orders");
  AddGlobalIndex(&t.table, "by_status", "status", pb::DYNAMO_PROJECTION_TYPE_KEYS_ONLY);
  t.table.set_deletion_protection(true);
  t.status = "ACTIVE";
  t.index_status["by_status"] = "CREATING (backfilling)";
  t.item_count = 12;
  t.size_bytes = 2048;
  t.arn = "arn:aws:dynamodb:us-east-1:000000000000:table/orders";
  return t;
}

// legacy: provisioned 5/2, keyed by pk (S) and at (N), an LSI by_kind, being updated.
LiveTable Legacy() {
  LiveTable t;
  t.table = testing::ParseTable(R"pb(
    name: "legacy"
    key { partition_key: "pk" sort_key: "at" }
    attributes { name: "pk" type: DYNAMO_ATTRIBUTE_TYPE_S }
    attributes { name: "at" type: DYNAMO_ATTRIBUTE_TYPE_N }
    attributes { name: "kind" type: DYNAMO_ATTRIBUTE_TYPE_S }
    billing_mode: DYNAMO_BILLING_MODE_PROVISIONED
    throughput { read_capacity_units: 5 write_capacity_units: 2 }
    local_indexes {
      name: "by_kind"
      sort_key: "kind"
      projection { type: DYNAMO_PROJECTION_TYPE_INCLUDE non_key_attributes: "title" }
    }
    stream: DYNAMO_STREAM_DISABLED
    table_class: DYNAMO_TABLE_CLASS_STANDARD)pb");
  t.status = "UPDATING";
  t.item_count = 0;
  return t;
}

std::vector<std::string> Texts(const std::vector<backend::Cell>& row) {
  std::vector<std::string> out;
  for (const auto& c : row) out.push_back(c.text);
  return out;
}

using Row = std::vector<std::string>;

TEST(DynamoListViewTest, OneRowPerTableThenOnePerIndex) {
  backend::ListView v = ListTables({Legacy(), Orders()}, {"orders"}, kTarget);
  ASSERT_EQ(v.rows.size(), 5u);
  EXPECT_EQ(Texts(v.rows[0]), (Row{"TABLE", "PARTITION KEY", "SORT KEY", "BILLING / PROJECTION",
                                   "STATUS", "ITEMS", "STRATA"}));
  EXPECT_EQ(Texts(v.rows[1]),
            (Row{"legacy", "pk (S)", "at (N)", "PROVISIONED 5/2", "UPDATING", "0", "unmanaged"}));
  EXPECT_EQ(Texts(v.rows[2]),
            (Row{"  lsi by_kind", "pk (S)", "kind (S)", "INCLUDE (title)", "", "", ""}));
  EXPECT_EQ(Texts(v.rows[3]), (Row{"orders", "id (S)", "-", "PAY_PER_REQUEST", "ACTIVE", "12",
                                   "managed, protected"}));
  EXPECT_EQ(Texts(v.rows[4]), (Row{"  gsi by_status", "status (S)", "-", "KEYS_ONLY",
                                   "CREATING (backfilling)", "", ""}));
  // Every row has a cell per column.
  for (const auto& row : v.rows) EXPECT_EQ(row.size(), v.rows[0].size());
}

TEST(DynamoListViewTest, ManagedTablesAreMarkedAndToned) {
  backend::ListView v = ListTables({Legacy(), Orders()}, {"orders"}, kTarget);
  ASSERT_EQ(v.rows.size(), 5u);
  const backend::Cell& legacy_mark = v.rows[1].back();
  const backend::Cell& orders_mark = v.rows[3].back();
  EXPECT_EQ(legacy_mark.tone, Tone::kDim);
  EXPECT_EQ(orders_mark.tone, Tone::kGood);
  // A table that is not ACTIVE stands out; counts are right-aligned.
  EXPECT_EQ(v.rows[1][4].tone, Tone::kWarn);
  EXPECT_EQ(v.rows[3][4].tone, Tone::kPlain);
  EXPECT_TRUE(v.rows[3][5].right);
  EXPECT_EQ(v.rows[3][0].tone, Tone::kStrong);

  // Managing nothing: every table is unmanaged, protection is still shown.
  backend::ListView none = ListTables({Orders()}, {}, kTarget);
  EXPECT_EQ(none.rows[1].back().text, "unmanaged, protected");
  EXPECT_EQ(none.title, std::string(kTarget) + ": 1 table, 0 managed by strata");
}

TEST(DynamoListViewTest, TitleCountsTablesAndManagedOnes) {
  backend::ListView v = ListTables({Legacy(), Orders()}, {"orders", "gone_table"}, kTarget);
  // A managed name with no live table does not count.
  EXPECT_EQ(v.title, std::string(kTarget) + ": 2 tables, 1 managed by strata");
  EXPECT_EQ(v.footer, "(item counts are DynamoDB's, refreshed about every six hours)");
  EXPECT_EQ(v.key, "tables");
}

TEST(DynamoListViewTest, JsonItemsCarryKeysIndexesAndTheManagedFlag) {
  backend::ListView v = ListTables({Legacy(), Orders()}, {"orders"}, kTarget);
  ASSERT_TRUE(v.items.is_array());
  ASSERT_EQ(v.items.size(), 2u);
  const auto& legacy = v.items[0];
  EXPECT_EQ(legacy["name"], "legacy");
  EXPECT_EQ(legacy["managed"], false);
  EXPECT_EQ(legacy["status"], "UPDATING");
  EXPECT_EQ(legacy["partition_key"], (nlohmann::ordered_json{{"name", "pk"}, {"type", "S"}}));
  EXPECT_EQ(legacy["sort_key"], (nlohmann::ordered_json{{"name", "at"}, {"type", "N"}}));
  EXPECT_EQ(legacy["billing_mode"], "PROVISIONED");
  EXPECT_EQ(legacy["throughput"]["read_capacity_units"], 5);
  EXPECT_EQ(legacy["throughput"]["write_capacity_units"], 2);
  ASSERT_EQ(legacy["local_indexes"].size(), 1u);
  EXPECT_EQ(legacy["local_indexes"][0]["name"], "by_kind");
  EXPECT_EQ(legacy["local_indexes"][0]["sort_key"]["name"], "kind");
  EXPECT_EQ(legacy["local_indexes"][0]["projection"]["type"], "INCLUDE");
  EXPECT_EQ(legacy["local_indexes"][0]["projection"]["non_key_attributes"],
            (nlohmann::ordered_json{"title"}));
  EXPECT_TRUE(legacy["global_indexes"].empty());
  EXPECT_TRUE(legacy["ttl_attribute"].is_null());

  const auto& orders = v.items[1];
  EXPECT_EQ(orders["name"], "orders");
  EXPECT_EQ(orders["managed"], true);
  EXPECT_TRUE(orders["sort_key"].is_null());
  EXPECT_TRUE(orders["throughput"].is_null());  // on demand
  EXPECT_EQ(orders["item_count"], 12);
  EXPECT_EQ(orders["size_bytes"], 2048);
  EXPECT_EQ(orders["deletion_protection"], true);
  EXPECT_EQ(orders["arn"], "arn:aws:dynamodb:us-east-1:000000000000:table/orders");
  ASSERT_EQ(orders["global_indexes"].size(), 1u);
  EXPECT_EQ(orders["global_indexes"][0]["name"], "by_status");
  EXPECT_EQ(orders["global_indexes"][0]["status"], "CREATING (backfilling)");
  EXPECT_EQ(orders["global_indexes"][0]["projection"],
            (nlohmann::ordered_json{{"type", "KEYS_ONLY"}}));
}

TEST(DynamoListViewTest, NoTablesGivesTheEmptyTextAndOnlyTheHeader) {
  backend::ListView v = ListTables({}, {"orders"}, kTarget);
  EXPECT_EQ(v.empty_text, std::string("No tables on ") + kTarget + ".");
  EXPECT_EQ(v.title, std::string(kTarget) + ": 0 tables, 0 managed by strata");
  ASSERT_EQ(v.rows.size(), 1u);  // the header
  EXPECT_TRUE(v.items.is_array());
  EXPECT_TRUE(v.items.empty());
}

}  // namespace
}  // namespace strata::dynamodb
