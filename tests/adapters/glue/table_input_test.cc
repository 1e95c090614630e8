// Glue's Table document to strata's model, and the TableInputs CreateTable and UpdateTable are
// sent: what is folded, what is left out of the model but carried, and that an update changes
// only what strata manages and never sends what UpdateTable refuses.
#include "adapters/glue/table_input.h"

#include <gtest/gtest.h>

#include "tests/adapters/glue/glue_testing.h"

namespace strata::glue {
namespace {

using nlohmann::json;
using testing::Orders;
using testing::OrdersGlue;
using testing::OrdersInput;
using testing::OrdersWith;
using testing::SameTable;
using testing::TableProto;

// The read-only members GetTable answers, which UpdateTable and CreateTable refuse.
const char* const kReadOnly[] = {"DatabaseName", "CreateTime",  "UpdateTime",
                                 "CreatedBy",    "IsRegisteredWithLakeFormation",
                                 "VersionId",    "CatalogId",   "FederatedTable",
                                 "IsMultiDialectView", "Status", "ViewDefinition"};

// OrdersGlue with every read-only member Glue may answer.
json OrdersGlueWithEverything() {
  json t = OrdersGlue();
  t["FederatedTable"] = {{"Identifier", "x"}, {"DatabaseIdentifier", "y"},
                         {"ConnectionName", "z"}};
  t["Status"] = {{"State", "SUCCESS"}};
  t["ViewDefinition"] = {{"IsProtected", false}, {"Representations", json::array()}};
  return t;
}

void ExpectNoReadOnlyMember(const json& input) {
  for (const char* m : kReadOnly) EXPECT_FALSE(input.contains(m)) << m << " in " << input.dump();
}

TEST(Lower, FoldsAscii) { EXPECT_EQ(Lower("Sales_ORDERS-2"), "sales_orders-2"); }

TEST(CanonicalColumnType, LowerCaseWithoutSpacesButQuotedPartsKept) {
  EXPECT_EQ(CanonicalColumnType("DECIMAL(12, 2)"), "decimal(12,2)");
  EXPECT_EQ(CanonicalColumnType("STRUCT< userName : STRING >"), "struct<username:string>");
  EXPECT_EQ(CanonicalColumnType("struct<`My Field`:INT>"), "struct<`My Field`:int>");
}

TEST(TableFromGlue, ReadsWhatStrataModelsAndLeavesServerManagedParametersOut) {
  pb::GlueTable want = TableProto(R"pb(
    name: "orders"
    columns { name: "id" type: "bigint" }
    columns { name: "total" type: "decimal(12,2)" comment: "in cents" }
    columns { name: "payload" type: "string" }
    partition_keys { name: "dt" type: "string" }
    location: "s3://lake/orders/"
    input_format: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
    serde {
      serialization_library: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
      parameters { key: "parquet.column.index.access" value: "true" }
      # Hive's default, which reading DDL adds too
      parameters { key: "serialization.format" value: "1" }
    }
    table_type: "EXTERNAL_TABLE"
    parameters { key: "comment" value: "all orders" }
    parameters { key: "team" value: "sales" }
    parameters { key: "owner.team" value: "data-platform" }
  )pb");
  EXPECT_TRUE(SameTable(want, TableFromGlue(OrdersGlue())));
}

TEST(TableFromGlue, AnAbsentListIsAnEmptyOne) {
  json t = OrdersGlue();
  t.erase("PartitionKeys");  // moto leaves it out when it was not given (G7)
  pb::GlueTable without = TableFromGlue(t);
  EXPECT_EQ(without.partition_keys_size(), 0);
  t["PartitionKeys"] = json::array();
  EXPECT_TRUE(SameTable(TableFromGlue(t), without));
  t.erase("Parameters");
  t["StorageDescriptor"].erase("SerdeInfo");
  t["StorageDescriptor"].erase("Columns");
  pb::GlueTable bare = TableFromGlue(t);
  EXPECT_EQ(bare.columns_size(), 0);
  EXPECT_EQ(bare.parameters_size(), 0);
  EXPECT_FALSE(bare.has_serde());
}

TEST(TableFromGlue, CommentsThatSayNothingAreNoComments) {
  json t = OrdersGlue();
  t["StorageDescriptor"]["Columns"] = {
      {{"Name", "a"}, {"Type", "string"}, {"Comment", "from deserializer"}},
      {{"Name", "b"}, {"Type", "string"}, {"Comment", ""}},
      {{"Name", "c"}, {"Type", "string"}, {"Comment", "real"}}};
  pb::GlueTable m = TableFromGlue(t);
  EXPECT_EQ(m.columns(0).comment(), "");
  EXPECT_EQ(m.columns(1).comment(), "");
  EXPECT_EQ(m.columns(2).comment(), "real");
  EXPECT_EQ(m.partition_keys(0).comment(), "");
}

TEST(TableFromGlue, NamesAndTypesAreFoldedLikeGlueFoldsThem) {
  json t = OrdersGlue();
  t["Name"] = "Orders";
  t["StorageDescriptor"]["Columns"] = {{{"Name", "userId"}, {"Type", "DECIMAL(12, 2)"}}};
  t["PartitionKeys"] = {{{"Name", "DT"}, {"Type", "STRING"}}};
  pb::GlueTable m = TableFromGlue(t);
  EXPECT_EQ(m.name(), "orders");
  EXPECT_EQ(m.columns(0).name(), "userid");
  EXPECT_EQ(m.columns(0).type(), "decimal(12,2)");
  EXPECT_EQ(m.partition_keys(0).name(), "dt");
  EXPECT_EQ(m.partition_keys(0).type(), "string");
}

TEST(TableFromGlue, TheCommentIsTheCommentParameterAndTheDescriptionIsNotModelled) {
  // As the table files have it: COMMENT 'x' is the "comment" parameter (ddl.h), and DDL has no
  // way to say Glue's Description.
  json t = OrdersGlue();
  t["Description"] = "from the console";
  pb::GlueTable m = TableFromGlue(t);
  EXPECT_EQ(m.description(), "");
  EXPECT_EQ(m.parameters().at("comment"), "all orders");
  const pb::GlueTable orders = Orders();
  EXPECT_TRUE(SameTable(orders, TableFromGlue(NewTableInput(orders), &orders)));
}

TEST(TableFromGlue, AKnownTableKeepsTheServerManagedKeysItSets) {
  pb::GlueTable known = OrdersWith([](pb::GlueTable& t) {
    (*t.mutable_parameters())["classification"] = "parquet";
    (*t.mutable_serde()->mutable_parameters())["serialization.format"] = "1";
  });
  pb::GlueTable m = TableFromGlue(OrdersGlue(), &known);
  EXPECT_EQ(m.parameters().at("classification"), "parquet");
  EXPECT_EQ(m.serde().parameters().at("serialization.format"), "1");
  EXPECT_FALSE(m.parameters().contains("transient_lastDdlTime"));
  EXPECT_FALSE(m.parameters().contains("EXTERNAL"));
}

TEST(TableFromGlue, ReadsBucketing) {
  json t = OrdersGlue();
  t["StorageDescriptor"]["NumberOfBuckets"] = 8;
  t["StorageDescriptor"]["BucketColumns"] = {"ID"};
  t["StorageDescriptor"]["SortColumns"] = {{{"Column", "Total"}, {"SortOrder", 0}},
                                           {{"Column", "id"}, {"SortOrder", 1}}};
  pb::GlueTable m = TableFromGlue(t);
  EXPECT_EQ(m.num_buckets(), 8);
  ASSERT_EQ(m.bucket_columns_size(), 1);
  EXPECT_EQ(m.bucket_columns(0), "id");
  ASSERT_EQ(m.sort_columns_size(), 2);
  EXPECT_EQ(m.sort_columns(0).column(), "total");
  EXPECT_TRUE(m.sort_columns(0).descending());
  EXPECT_EQ(m.sort_columns(1).column(), "id");
  EXPECT_FALSE(m.sort_columns(1).descending());
  // Glue's "not bucketed" is -1 (or 0), the model's 0.
  EXPECT_EQ(TableFromGlue(OrdersGlue()).num_buckets(), 0);
}

TEST(TableFromGlue, TheTableAStatementDefinesReadsBackAsThatTable) {
  // What strata creates, as Glue answers it, is the table the file defines.
  json created = NewTableInput(Orders());
  created["DatabaseName"] = "sales";
  created["VersionId"] = "1";
  const pb::GlueTable orders = Orders();
  EXPECT_TRUE(SameTable(orders, TableFromGlue(created, &orders)));
  pb::GlueTable bucketed = testing::Table(
      "CREATE EXTERNAL TABLE t (a int, b string) CLUSTERED BY (a) SORTED BY (b DESC) INTO 4 "
      "BUCKETS STORED AS ORC");
  EXPECT_TRUE(SameTable(bucketed, TableFromGlue(NewTableInput(bucketed), &bucketed)));
}

TEST(TableForPlan, HoldsOnlyTheManagedParameterKeys) {
  ManagedKeys managed;
  managed.table = {"team", "classification", "comment"};
  managed.serde = {"serialization.format"};
  pb::GlueTable m = TableForPlan(OrdersGlue(), managed);
  EXPECT_EQ(m.parameters_size(), 3);
  EXPECT_EQ(m.parameters().at("team"), "sales");
  EXPECT_EQ(m.parameters().at("classification"), "parquet");
  EXPECT_EQ(m.parameters().at("comment"), "all orders");
  ASSERT_EQ(m.serde().parameters_size(), 1);
  EXPECT_EQ(m.serde().parameters().at("serialization.format"), "1");
  EXPECT_EQ(TableForPlan(OrdersGlue(), ManagedKeys{}).parameters_size(), 0);
}

TEST(NewTableInput, IsWhatAthenasCreateTableStores) {
  json want = json::parse(R"json({
    "Name": "orders",
    "TableType": "EXTERNAL_TABLE",
    "PartitionKeys": [{"Name": "dt", "Type": "string"}],
    "StorageDescriptor": {
      "Columns": [
        {"Name": "id", "Type": "bigint"},
        {"Name": "total", "Type": "decimal(12,2)", "Comment": "in cents"},
        {"Name": "payload", "Type": "string"}],
      "Location": "s3://lake/orders/",
      "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
      "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
      "NumberOfBuckets": -1,
      "SerdeInfo": {
        "SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        "Parameters": {"serialization.format": "1"}}
    },
    "Parameters": {"team": "sales", "comment": "all orders", "EXTERNAL": "TRUE"}
  })json");
  EXPECT_EQ(NewTableInput(Orders()), want) << NewTableInput(Orders()).dump(2);
}

TEST(NewTableInput, WritesBucketing) {
  pb::GlueTable t = testing::Table(
      "CREATE EXTERNAL TABLE t (a int, b string) CLUSTERED BY (a, b) SORTED BY (b DESC, a) INTO "
      "16 BUCKETS STORED AS ORC");
  const json sd = NewTableInput(t).at("StorageDescriptor");
  EXPECT_EQ(sd.at("NumberOfBuckets"), 16);
  EXPECT_EQ(sd.at("BucketColumns"), (json{"a", "b"}));
  EXPECT_EQ(sd.at("SortColumns"), (json{{{"Column", "b"}, {"SortOrder", 0}},
                                        {{"Column", "a"}, {"SortOrder", 1}}}));
}

TEST(TableInputOf, KeepsWhatTableInputAcceptsAndNothingElse) {
  json in = TableInputOf(OrdersGlueWithEverything());
  EXPECT_EQ(in, OrdersInput()) << in.dump(2);
  ExpectNoReadOnlyMember(in);
}

TEST(UpdatedTableInput, ChangesTheManagedFieldsAndKeepsEverythingElseAsItIs) {
  pb::GlueTable desired = OrdersWith([](pb::GlueTable& t) {
    pb::GlueColumn* c = t.add_columns();
    c->set_name("status");
    c->set_type("string");
    t.mutable_columns(1)->set_comment("in euro cents");
    t.set_location("s3://lake/orders-v2/");
    (*t.mutable_parameters())["team"] = "finance";
  });
  json got =
      UpdatedTableInput(OrdersGlueWithEverything(), desired, ManagedKeysOf(desired, nullptr));
  json want = OrdersInput();
  json& columns = want["StorageDescriptor"]["Columns"];
  columns[1]["Comment"] = "in euro cents";
  columns[2].erase("Comment");  // "from deserializer" is not written back
  columns.push_back({{"Name", "status"}, {"Type", "string"}});
  want["StorageDescriptor"]["Location"] = "s3://lake/orders-v2/";
  want["Parameters"]["team"] = "finance";
  want["PartitionKeys"] = {{{"Name", "dt"}, {"Type", "string"}}};
  EXPECT_EQ(got, want) << got.dump(2);
  ExpectNoReadOnlyMember(got);
}

TEST(UpdatedTableInput, AnUnchangedTableIsTheLiveInput) {
  // The desired table as the live one models it (the SerDe parameter it carries included).
  json live = OrdersGlue();
  pb::GlueTable desired = TableFromGlue(live);
  json got = UpdatedTableInput(live, desired, ManagedKeysOf(desired, nullptr));
  // All but the comment that says nothing, which is never written back.
  live["StorageDescriptor"]["Columns"][2].erase("Comment");
  EXPECT_TRUE(SameTableInput(got, TableInputOf(live))) << got.dump(2);
}

TEST(UpdatedTableInput, RemovesOnlyTheKeysTheDesiredOrDeployedTableHas) {
  json live = OrdersGlue();
  live["Parameters"]["retired"] = "yes";
  live["StorageDescriptor"]["SerdeInfo"]["Parameters"]["old.serde.key"] = "x";
  pb::GlueTable desired = Orders();
  // Without a deployed table, strata never had these keys: they are someone else's.
  json kept = UpdatedTableInput(live, desired, ManagedKeysOf(desired, nullptr));
  EXPECT_EQ(kept["Parameters"]["retired"], "yes");
  EXPECT_EQ(kept["Parameters"]["owner.team"], "data-platform");
  EXPECT_EQ(kept["StorageDescriptor"]["SerdeInfo"]["Parameters"]["old.serde.key"], "x");
  EXPECT_EQ(kept["StorageDescriptor"]["SerdeInfo"]["Parameters"]["parquet.column.index.access"],
            "true");
  // Deployed with them, and no longer desired: strata's to remove.
  pb::GlueTable deployed = OrdersWith([](pb::GlueTable& t) {
    (*t.mutable_parameters())["retired"] = "yes";
    (*t.mutable_serde()->mutable_parameters())["old.serde.key"] = "x";
  });
  json removed = UpdatedTableInput(live, desired, ManagedKeysOf(desired, &deployed));
  EXPECT_FALSE(removed["Parameters"].contains("retired"));
  EXPECT_FALSE(removed["StorageDescriptor"]["SerdeInfo"]["Parameters"].contains("old.serde.key"));
  EXPECT_EQ(removed["Parameters"]["owner.team"], "data-platform");
  EXPECT_EQ(removed["Parameters"]["transient_lastDdlTime"], "1735689600");
  EXPECT_EQ(removed["Parameters"]["EXTERNAL"], "TRUE");
}

TEST(UpdatedTableInput, TheCommentIsAParameterStrataManagesOnceItSetsIt) {
  pb::GlueTable desired =
      OrdersWith([](pb::GlueTable& t) { t.mutable_parameters()->erase("comment"); });
  // A comment strata never set is someone else's.
  json got = UpdatedTableInput(OrdersGlue(), desired, ManagedKeysOf(desired, nullptr));
  EXPECT_EQ(got["Parameters"]["comment"], "all orders");
  // One it deployed goes when the file drops it.
  const pb::GlueTable deployed = Orders();
  got = UpdatedTableInput(OrdersGlue(), desired, ManagedKeysOf(desired, &deployed));
  EXPECT_FALSE(got["Parameters"].contains("comment"));
  (*desired.mutable_parameters())["comment"] = "every order";
  got = UpdatedTableInput(OrdersGlue(), desired, ManagedKeysOf(desired, nullptr));
  EXPECT_EQ(got["Parameters"]["comment"], "every order");
  EXPECT_FALSE(got.contains("Description"));
}

TEST(UpdatedTableInput, TheDescriptionIsKept) {
  json live = OrdersGlue();
  live["Description"] = "curated by the data team";
  pb::GlueTable desired =
      OrdersWith([](pb::GlueTable& t) { (*t.mutable_parameters())["comment"] = "every order"; });
  json got = UpdatedTableInput(live, desired, ManagedKeysOf(desired, nullptr));
  EXPECT_EQ(got["Parameters"]["comment"], "every order");
  EXPECT_EQ(got["Description"], "curated by the data team");
}

TEST(UpdatedTableInput, KeepsTheTableTypeAndViewTextsItDoesNotSet) {
  json live = OrdersGlue();
  live["ViewOriginalText"] = "/* Presto View: e30= */";
  live["ViewExpandedText"] = "/* Presto View */";
  pb::GlueTable desired = OrdersWith([](pb::GlueTable& t) { t.clear_table_type(); });
  json got = UpdatedTableInput(live, desired, ManagedKeysOf(desired, nullptr));
  EXPECT_EQ(got["TableType"], "EXTERNAL_TABLE");
  EXPECT_EQ(got["ViewOriginalText"], "/* Presto View: e30= */");
  EXPECT_EQ(got["ViewExpandedText"], "/* Presto View */");
}

TEST(UpdatedTableInput, KeepsTheEmptyPartitionKeysAViewNeeds) {
  json live = OrdersGlue();
  live["PartitionKeys"] = json::array();
  pb::GlueTable desired = OrdersWith([](pb::GlueTable& t) { t.clear_partition_keys(); });
  json got = UpdatedTableInput(live, desired, ManagedKeysOf(desired, nullptr));
  ASSERT_TRUE(got.contains("PartitionKeys"));
  EXPECT_EQ(got["PartitionKeys"], json::array());
}

TEST(UpdatedTableInput, SetsAndClearsBucketing) {
  pb::GlueTable bucketed = OrdersWith([](pb::GlueTable& t) {
    t.add_bucket_columns("id");
    t.set_num_buckets(8);
    pb::GlueSortColumn* s = t.add_sort_columns();
    s->set_column("total");
    s->set_descending(true);
  });
  json got = UpdatedTableInput(OrdersGlue(), bucketed, ManagedKeysOf(bucketed, nullptr));
  EXPECT_EQ(got["StorageDescriptor"]["NumberOfBuckets"], 8);
  EXPECT_EQ(got["StorageDescriptor"]["BucketColumns"], (json{"id"}));
  EXPECT_EQ(got["StorageDescriptor"]["SortColumns"],
            (json{{{"Column", "total"}, {"SortOrder", 0}}}));

  // Unbucketed again: Glue's "not bucketed".
  json live = OrdersGlue();
  live["StorageDescriptor"] = got["StorageDescriptor"];
  pb::GlueTable plain = Orders();
  got = UpdatedTableInput(live, plain, ManagedKeysOf(plain, nullptr));
  EXPECT_EQ(got["StorageDescriptor"]["NumberOfBuckets"], -1);
  EXPECT_EQ(got["StorageDescriptor"]["BucketColumns"], json::array());
  EXPECT_EQ(got["StorageDescriptor"]["SortColumns"], json::array());

  // Unbucketed on both sides: Glue's own spelling of it stays (0 here, not -1).
  live = OrdersGlue();
  live["StorageDescriptor"]["NumberOfBuckets"] = 0;
  got = UpdatedTableInput(live, plain, ManagedKeysOf(plain, nullptr));
  EXPECT_EQ(got["StorageDescriptor"]["NumberOfBuckets"], 0);
}

TEST(SameTableInput, AnAbsentMemberEqualsAnEmptyOne) {
  json a = OrdersInput();
  json b = OrdersInput();
  b["PartitionKeys"] = json::array();
  a.erase("PartitionKeys");
  EXPECT_TRUE(SameTableInput(a, b));
  b["StorageDescriptor"]["Location"] = "s3://elsewhere/";
  EXPECT_FALSE(SameTableInput(a, b));
}

}  // namespace
}  // namespace strata::glue
