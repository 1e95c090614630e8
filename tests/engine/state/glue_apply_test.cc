#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "engine/state/apply.h"
#include "engine/state/objects.h"
#include "engine/state/validate.h"

namespace strata {
namespace {

using google::protobuf::TextFormat;
using google::protobuf::util::MessageDifferencer;

pb::Event Ev(const std::string& text) {
  pb::Event e;
  EXPECT_TRUE(TextFormat::ParseFromString(text, &e)) << text;
  return e;
}

constexpr char kSales[] = R"pb(glue { create_database { database {
  name: "sales" description: "sales data" location_uri: "s3://lake/sales" } } })pb";

constexpr char kOrders[] = R"pb(glue { create_table { database: "sales" table {
  name: "orders"
  columns { name: "id" type: "bigint" }
  columns { name: "customer" type: "string" comment: "who" }
  columns { name: "amount" type: "decimal(10,2)" }
  partition_keys { name: "dt" type: "string" }
  location: "s3://lake/sales/orders/" table_type: "EXTERNAL_TABLE"
  serde { serialization_library: "org.openx.data.jsonserde.JsonSerDe" }
  parameters { key: "classification" value: "json" } } } })pb";

class GlueApplyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Apply(Ev(kSales), &state_).ok());
    ASSERT_TRUE(Apply(Ev(kOrders), &state_).ok());
  }
  const pb::GlueTable& Orders() {
    return state_.glue().databases().at("sales").tables().at("orders");
  }
  std::vector<std::string> ColumnNames() {
    std::vector<std::string> names;
    for (const auto& c : Orders().columns()) names.push_back(c.name());
    return names;
  }
  // Applies an event that must fail with `code` and `message`, and change nothing.
  void ExpectError(const std::string& event, Code code, const std::string& message) {
    pb::SchemaState before = state_;
    Status s = Apply(Ev(event), &state_);
    EXPECT_EQ(s.code(), code) << s.ToString();
    EXPECT_EQ(s.message(), message);
    EXPECT_TRUE(MessageDifferencer::Equals(before, state_)) << "state changed by a failed event";
  }
  void ExpectOk(const std::string& event) {
    Status s = Apply(Ev(event), &state_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  pb::SchemaState state_;
};

TEST_F(GlueApplyTest, CreateDatabaseTwiceIsAlreadyExists) {
  EXPECT_EQ(state_.engine(), pb::ENGINE_GLUE);
  ExpectError(kSales, Code::kAlreadyExists, "glue database sales already exists");
}

TEST_F(GlueApplyTest, CreateDatabaseWithTablesIsInvalid) {
  ExpectError(R"pb(glue { create_database { database { name: "hr"
      tables { key: "people" value { name: "people" } } } } })pb",
              Code::kInvalidArgument,
              "glue create_database hr: tables must be empty (each table is created by its own "
              "event)");
}

TEST_F(GlueApplyTest, DropDatabaseRemovesItsTables) {
  ExpectOk(R"pb(glue { drop_database { database: "sales" } })pb");
  EXPECT_TRUE(state_.glue().databases().empty());
  ExpectError(R"pb(glue { drop_database { database: "sales" } })pb", Code::kNotFound,
              "glue database sales does not exist");
}

TEST_F(GlueApplyTest, UpdateDatabaseReplacesItsProperties) {
  ExpectOk(R"pb(glue { update_database { database: "sales" description: "new"
      parameters { key: "owner" value: "bi" } } })pb");
  const auto& db = state_.glue().databases().at("sales");
  EXPECT_EQ(db.description(), "new");
  EXPECT_EQ(db.location_uri(), "");
  EXPECT_EQ(db.parameters().at("owner"), "bi");
  EXPECT_EQ(db.tables().size(), 1u);  // tables are untouched
  ExpectError(R"pb(glue { update_database { database: "hr" } })pb", Code::kNotFound,
              "glue database hr does not exist");
}

TEST_F(GlueApplyTest, CreateTableErrors) {
  ExpectError(kOrders, Code::kAlreadyExists, "glue table sales.orders already exists");
  ExpectError(R"pb(glue { create_table { database: "hr" table { name: "people" } } })pb",
              Code::kNotFound, "glue database hr does not exist");
}

TEST_F(GlueApplyTest, CreateTableDropsAnEmptySerDe) {
  ExpectOk(R"pb(glue { create_table { database: "sales" table { name: "refunds" serde {} } } })pb");
  EXPECT_FALSE(state_.glue().databases().at("sales").tables().at("refunds").has_serde());
}

TEST_F(GlueApplyTest, DropTable) {
  ExpectOk(R"pb(glue { drop_table { database: "sales" table: "orders" } })pb");
  EXPECT_TRUE(state_.glue().databases().at("sales").tables().empty());
  ExpectError(R"pb(glue { drop_table { database: "sales" table: "orders" } })pb", Code::kNotFound,
              "glue table sales.orders does not exist");
}

TEST_F(GlueApplyTest, AddColumnInsertsAtItsPosition) {
  ExpectOk(R"pb(glue { add_column { database: "sales" table: "orders"
      column { name: "status" type: "string" } position: 1 } })pb");
  ExpectOk(R"pb(glue { add_column { database: "sales" table: "orders"
      column { name: "note" type: "string" } position: 4 } })pb");
  EXPECT_EQ(ColumnNames(),
            (std::vector<std::string>{"id", "status", "customer", "amount", "note"}));
}

TEST_F(GlueApplyTest, AddColumnErrors) {
  ExpectError(R"pb(glue { add_column { database: "sales" table: "orders"
      column { name: "note" type: "string" } position: 4 } })pb",
              Code::kInvalidArgument,
              "glue add_column sales.orders: position 4 is past the end (3 columns)");
  ExpectError(R"pb(glue { add_column { database: "sales" table: "orders"
      column { name: "id" type: "int" } } })pb",
              Code::kAlreadyExists, "glue column sales.orders.id already exists");
  ExpectError(R"pb(glue { add_column { database: "sales" table: "orders"
      column { name: "dt" type: "string" } } })pb",
              Code::kAlreadyExists,
              "glue column sales.orders.dt already exists as a partition key");
  ExpectError(R"pb(glue { add_column { database: "sales" table: "carts"
      column { name: "id" type: "int" } } })pb",
              Code::kNotFound, "glue table sales.carts does not exist");
}

TEST_F(GlueApplyTest, DropColumn) {
  ExpectOk(R"pb(glue { drop_column { database: "sales" table: "orders" column: "customer" } })pb");
  EXPECT_EQ(ColumnNames(), (std::vector<std::string>{"id", "amount"}));
  ExpectError(R"pb(glue { drop_column { database: "sales" table: "orders"
      column: "customer" } })pb",
              Code::kNotFound, "glue column sales.orders.customer does not exist");
}

TEST_F(GlueApplyTest, AlterColumnKeepsItsPosition) {
  ExpectOk(R"pb(glue { alter_column { database: "sales" table: "orders"
      column { name: "customer" type: "bigint" } } })pb");
  EXPECT_EQ(ColumnNames(), (std::vector<std::string>{"id", "customer", "amount"}));
  EXPECT_EQ(Orders().columns(1).type(), "bigint");
  EXPECT_EQ(Orders().columns(1).comment(), "");
  ExpectError(R"pb(glue { alter_column { database: "sales" table: "orders"
      column { name: "nope" type: "int" } } })pb",
              Code::kNotFound, "glue column sales.orders.nope does not exist");
}

TEST_F(GlueApplyTest, ReorderColumns) {
  ExpectOk(R"pb(glue { reorder_columns { database: "sales" table: "orders"
      columns: ["amount", "id", "customer"] } })pb");
  EXPECT_EQ(ColumnNames(), (std::vector<std::string>{"amount", "id", "customer"}));
  EXPECT_EQ(Orders().columns(2).comment(), "who");  // columns move whole
}

TEST_F(GlueApplyTest, ReorderColumnsErrors) {
  ExpectError(R"pb(glue { reorder_columns { database: "sales" table: "orders"
      columns: ["amount", "id"] } })pb",
              Code::kInvalidArgument,
              "glue reorder_columns sales.orders: names 2 columns, the table has 3");
  ExpectError(R"pb(glue { reorder_columns { database: "sales" table: "orders"
      columns: ["amount", "id", "nope"] } })pb",
              Code::kNotFound, "glue column sales.orders.nope does not exist");
  ExpectError(R"pb(glue { reorder_columns { database: "sales" table: "orders"
      columns: ["amount", "id", "id"] } })pb",
              Code::kInvalidArgument, "glue reorder_columns sales.orders: column id appears twice");
}

TEST_F(GlueApplyTest, SetPartitionKeys) {
  ExpectOk(R"pb(glue { set_partition_keys { database: "sales" table: "orders"
      partition_keys { name: "year" type: "int" }
      partition_keys { name: "month" type: "int" } } })pb");
  ASSERT_EQ(Orders().partition_keys_size(), 2);
  EXPECT_EQ(Orders().partition_keys(1).name(), "month");
  ExpectError(R"pb(glue { set_partition_keys { database: "sales" table: "orders"
      partition_keys { name: "id" type: "int" } } })pb",
              Code::kInvalidArgument,
              "glue set_partition_keys sales.orders: partition key id is also a column");
}

TEST_F(GlueApplyTest, PropertySetters) {
  ExpectOk(R"pb(glue { set_location { database: "sales" table: "orders"
      location: "s3://x/" } })pb");
  ExpectOk(R"pb(glue { set_formats { database: "sales" table: "orders" input_format: "in"
      output_format: "out" } })pb");
  ExpectOk(R"pb(glue { set_table_type { database: "sales" table: "orders"
      table_type: "VIEW" } })pb");
  ExpectOk(R"pb(glue { set_description { database: "sales" table: "orders"
      description: "d" } })pb");
  ExpectOk(R"pb(glue { set_serde { database: "sales" table: "orders" } })pb");
  EXPECT_EQ(Orders().location(), "s3://x/");
  EXPECT_EQ(Orders().input_format(), "in");
  EXPECT_EQ(Orders().output_format(), "out");
  EXPECT_EQ(Orders().table_type(), "VIEW");
  EXPECT_EQ(Orders().description(), "d");
  EXPECT_FALSE(Orders().has_serde());
  ExpectError(R"pb(glue { set_location { database: "sales" table: "carts"
      location: "s3://x/" } })pb",
              Code::kNotFound, "glue table sales.carts does not exist");
}

TEST_F(GlueApplyTest, TableParameters) {
  ExpectOk(R"pb(glue { set_table_parameter { database: "sales" table: "orders" key: "a"
      value: "1" } })pb");
  ExpectOk(R"pb(glue { remove_table_parameter { database: "sales" table: "orders"
      key: "classification" } })pb");
  EXPECT_EQ(Orders().parameters().size(), 1u);
  EXPECT_EQ(Orders().parameters().at("a"), "1");
  ExpectError(R"pb(glue { remove_table_parameter { database: "sales" table: "orders"
      key: "classification" } })pb",
              Code::kNotFound, "glue table sales.orders has no parameter classification");
}

TEST_F(GlueApplyTest, SetBucketingReplacesTheWholeBucketing) {
  ExpectOk(R"pb(glue { set_bucketing { database: "sales" table: "orders"
      bucket_columns: "customer" bucket_columns: "id" num_buckets: 16
      sort_columns { column: "amount" descending: true } sort_columns { column: "id" } } })pb");
  EXPECT_EQ(std::vector<std::string>(Orders().bucket_columns().begin(),
                                     Orders().bucket_columns().end()),
            (std::vector<std::string>{"customer", "id"}));
  EXPECT_EQ(Orders().num_buckets(), 16);
  ASSERT_EQ(Orders().sort_columns_size(), 2);
  EXPECT_EQ(Orders().sort_columns(0).column(), "amount");
  EXPECT_TRUE(Orders().sort_columns(0).descending());
  EXPECT_FALSE(Orders().sort_columns(1).descending());

  // Fewer columns, no order: nothing of the old bucketing is left behind.
  ExpectOk(R"pb(glue { set_bucketing { database: "sales" table: "orders"
      bucket_columns: "id" num_buckets: 4 } })pb");
  EXPECT_EQ(Orders().bucket_columns_size(), 1);
  EXPECT_EQ(Orders().num_buckets(), 4);
  EXPECT_EQ(Orders().sort_columns_size(), 0);

  ExpectOk(R"pb(glue { set_bucketing { database: "sales" table: "orders" } })pb");
  EXPECT_EQ(Orders().bucket_columns_size(), 0);
  EXPECT_EQ(Orders().num_buckets(), 0);
  ExpectError(R"pb(glue { set_bucketing { database: "sales" table: "carts" } })pb",
              Code::kNotFound, "glue table sales.carts does not exist");
}

TEST_F(GlueApplyTest, GluesNotBucketedCountIsStoredAsZero) {
  ExpectOk(R"pb(glue { create_table { database: "sales" table { name: "carts"
      columns { name: "id" type: "int" } num_buckets: -1 } } })pb");
  EXPECT_EQ(state_.glue().databases().at("sales").tables().at("carts").num_buckets(), 0);
}

TEST_F(GlueApplyTest, InvalidChangesAreRejectedBeforeTheStateIsRead) {
  ExpectError(R"pb(glue {})pb", Code::kInvalidArgument, "glue change: kind is UNSPECIFIED");
  ExpectError(R"pb(glue { drop_table { table: "orders" } })pb", Code::kInvalidArgument,
              "glue drop_table: database name is empty");
  ExpectError(R"pb(glue { drop_table { database: "sales" } })pb", Code::kInvalidArgument,
              "glue drop_table sales: table name is empty");
  ExpectError(R"pb(glue { create_database { database {} } })pb", Code::kInvalidArgument,
              "glue create_database: database name is empty");
}

TEST(GlueValidate, NamesAndDuplicates) {
  auto msg = [](const std::string& text) { return ValidateEvent(Ev(text)).message(); };
  EXPECT_EQ(msg(R"pb(glue { create_table { database: "s" table { name: "t"
      columns { name: "a" } partition_keys { name: "a" } } } })pb"),
            "glue create_table s.t: column a appears twice");
  EXPECT_EQ(msg(R"pb(glue { create_table { database: "s" table { name: "t" columns {} } } })pb"),
            "glue create_table s.t: column name is empty");
  EXPECT_EQ(msg(R"pb(glue { add_column { database: "s" table: "t" column { type: "int" } } })pb"),
            "glue add_column s.t: column name is empty");
  EXPECT_EQ(msg(R"pb(glue { drop_column { database: "s" table: "t" } })pb"),
            "glue drop_column s.t: column name is empty");
  EXPECT_EQ(msg(R"pb(glue { set_partition_keys { database: "s" table: "t"
      partition_keys { name: "dt" } partition_keys { name: "dt" } } })pb"),
            "glue set_partition_keys s.t: column dt appears twice");
  EXPECT_EQ(msg(R"pb(glue { set_table_parameter { database: "s" table: "t" value: "v" } })pb"),
            "glue set_table_parameter s.t: parameter key is empty");
  EXPECT_EQ(msg(R"pb(glue { remove_table_parameter { database: "s" table: "t" } })pb"),
            "glue remove_table_parameter s.t: parameter key is empty");
  EXPECT_TRUE(ValidateEvent(Ev(kOrders)).ok());
}

TEST(GlueValidate, BucketingIsConsistentInItself) {
  auto msg = [](const std::string& text) { return ValidateEvent(Ev(text)).message(); };
  EXPECT_EQ(msg(R"pb(glue { set_bucketing { database: "s" table: "t" num_buckets: 8 } })pb"),
            "glue set_bucketing s.t: 8 buckets but no bucket columns");
  EXPECT_EQ(msg(R"pb(glue { set_bucketing { database: "s" table: "t" bucket_columns: "a" } })pb"),
            "glue set_bucketing s.t: bucket columns but a bucket count of 0 (it must be at least "
            "1)");
  EXPECT_EQ(msg(R"pb(glue { set_bucketing { database: "s" table: "t" bucket_columns: "a"
      bucket_columns: "a" num_buckets: 2 } })pb"),
            "glue set_bucketing s.t: bucket column a appears twice");
  EXPECT_EQ(msg(R"pb(glue { set_bucketing { database: "s" table: "t" bucket_columns: ""
      num_buckets: 2 } })pb"),
            "glue set_bucketing s.t: bucket column name is empty");
  EXPECT_EQ(msg(R"pb(glue { set_bucketing { database: "s" table: "t"
      sort_columns { column: "a" } } })pb"),
            "glue set_bucketing s.t: sort columns on a table without buckets");
  EXPECT_EQ(msg(R"pb(glue { set_bucketing { database: "s" table: "t" bucket_columns: "a"
      num_buckets: 2 sort_columns { column: "b" } sort_columns { column: "b" } } })pb"),
            "glue set_bucketing s.t: sort column b appears twice");
  // A table is checked the same way when it is created.
  EXPECT_EQ(msg(R"pb(glue { create_table { database: "s" table { name: "t"
      columns { name: "a" } num_buckets: 3 } } })pb"),
            "glue create_table s.t: 3 buckets but no bucket columns");
  EXPECT_TRUE(ValidateEvent(Ev(R"pb(glue { set_bucketing { database: "s" table: "t"
      bucket_columns: "a" num_buckets: 2 sort_columns { column: "a" } } })pb"))
                  .ok());
}

TEST_F(GlueApplyTest, TouchedObjects) {
  EXPECT_EQ(TouchedObjects(Ev(kSales), state_), (std::vector<std::string>{"sales"}));
  EXPECT_EQ(TouchedObjects(Ev(R"pb(glue { set_location { database: "sales" table: "orders" } })pb"),
                           state_),
            (std::vector<std::string>{"sales.orders"}));
  ExpectOk(R"pb(glue { create_table { database: "sales" table { name: "carts" } } })pb");
  EXPECT_EQ(TouchedObjects(Ev(R"pb(glue { drop_database { database: "sales" } })pb"), state_),
            (std::vector<std::string>{"sales", "sales.carts", "sales.orders"}));
  EXPECT_TRUE(TouchedObjects(Ev(R"pb(glue {})pb"), state_).empty());
}

}  // namespace
}  // namespace strata
