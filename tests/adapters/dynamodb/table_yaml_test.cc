// The YAML reader's errors, through ParseTableFile as users meet them: each names the line and
// the fix.
#include "adapters/dynamodb/table_yaml.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "tests/adapters/dynamodb/table_file_testing.h"

namespace strata::dynamodb {
namespace {

using testing::ErrorOf;

// ---- Errors: YAML -------------------------------------------------------------------------

constexpr char kKey[] = "partition_key: { name: id, type: S }\n";

TEST(TableFileYamlErrorTest, MalformedYaml) {
  EXPECT_EQ(ErrorOf("table: orders\nglobal_indexes: [\n  {name: x\n", "o.yaml"),
            "o.yaml:4: invalid YAML: end of map flow not found");
}

// Found by the dynamodb_table fuzz target (tests/fuzz/dynamodb_table_seeds/yaml_name_not_utf8):
// yaml-cpp took a name holding byte 0xA7 as it was, and rendering the table as CreateTable JSON
// then threw.
TEST(TableFileYamlErrorTest, TextThatIsNotUtf8IsRefusedWithItsLine) {
  EXPECT_EQ(ErrorOf("table: invoices\npartition_key: { name: invoic\xa7" "e_id, type: S }\n",
                    "o.yaml"),
            "o.yaml:2: byte 0xA7 is not valid UTF-8; save the file as UTF-8");
}

// Found by the dynamodb_table fuzz target (tests/fuzz/dynamodb_table_seeds/stray_comma_loop): a
// CreateTable JSON whose braces closed too early, leaving a comma outside them, made yaml-cpp
// loop, growing past 2 GB.
TEST(TableFileYamlErrorTest, AStrayCommaOutsideBracketsIsAnErrorNotAHang) {
  EXPECT_EQ(ErrorOf("{\n  \"TableName\": \"orders\"\n},\n  \"KeySchema\": []\n}\n", "o.yaml"),
            "o.yaml:3: invalid YAML: unexpected ',' outside any [ ] or { }; check that the "
            "brackets before it pair up");
}

TEST(TableFileYamlErrorTest, EmptyFile) {
  EXPECT_EQ(ErrorOf("# nothing yet\n", "o.yaml"),
            "o.yaml:1: no table here; a table file starts with table: NAME");
}

TEST(TableFileYamlErrorTest, TwoDocuments) {
  EXPECT_EQ(ErrorOf(std::string("table: a1b\n") + kKey + "---\ntable: c2d\n", "o.yaml"),
            "o.yaml:4: a second YAML document; a table file holds one table");
}

TEST(TableFileYamlErrorTest, UnknownKeyWithNearMiss) {
  EXPECT_EQ(ErrorOf(std::string("table: orders\n") + kKey + "sortkey: { name: x, type: S }\n",
                    "o.yaml"),
            "o.yaml:3: unknown key \"sortkey\" in table file; did you mean \"sort_key\"?");
  EXPECT_EQ(ErrorOf(std::string("table: orders\n") + kKey + "billing_mode: provisioned\n",
                    "o.yaml"),
            "o.yaml:3: unknown key \"billing_mode\" in table file; did you mean \"billing\"?");
  EXPECT_EQ(ErrorOf(std::string("TableName: orders\n") + kKey, "o.yaml"),
            "o.yaml:1: unknown key \"TableName\" in table file; did you mean \"table\"?");
}

TEST(TableFileYamlErrorTest, UnknownKeyWithoutNearMissListsTheKeys) {
  EXPECT_EQ(ErrorOf(std::string("table: orders\n") + kKey + "sse: kms\n", "o.yaml"),
            "o.yaml:3: unknown key \"sse\" in table file; expected one of: table, "
            "partition_key, sort_key, billing, capacity, global_indexes, local_indexes, ttl, "
            "stream, table_class, deletion_protection, tags, encryption, on_demand_throughput, "
            "warm_throughput, point_in_time_recovery, resource_policy, contributor_insights, "
            "kinesis_destinations, replicas");
}

TEST(TableFileYamlErrorTest, UnknownKeyInsideAnIndex) {
  EXPECT_EQ(ErrorOf(std::string("table: orders\n") + kKey +
                        "global_indexes:\n  - name: by_x\n    partition_key: { name: x, type: S "
                        "}\n    projectoin: all\n",
                    "o.yaml"),
            "o.yaml:6: unknown key \"projectoin\" in global index; did you mean \"projection\"?");
}

TEST(TableFileYamlErrorTest, DuplicateKey) {
  EXPECT_EQ(ErrorOf(std::string("table: orders\n") + kKey + "ttl: a\nttl: b\n", "o.yaml"),
            "o.yaml:4: duplicate key \"ttl\" in table file (first at line 3)");
}

TEST(TableFileYamlErrorTest, MissingTableAndPartitionKey) {
  EXPECT_EQ(ErrorOf(kKey, "o.yaml"),
            "o.yaml:1: missing key \"table\"; name the table with table: NAME");
  EXPECT_EQ(ErrorOf("table: orders\n", "o.yaml"),
            "o.yaml:1: missing key \"partition_key\"; add partition_key: { name: ATTR, type: S }");
}

TEST(TableFileYamlErrorTest, KeyWrittenAsAPlainName) {
  EXPECT_EQ(ErrorOf("table: orders\npartition_key: customer_id\n", "o.yaml"),
            "o.yaml:2: partition_key must be a map like { name: ATTR, type: S }, not a single "
            "value");
}

TEST(TableFileYamlErrorTest, UnknownAttributeType) {
  EXPECT_EQ(ErrorOf("table: orders\npartition_key: { name: id, type: BOOL }\n", "o.yaml"),
            "o.yaml:2: BOOL is not a key type; use S, N or B");
}

TEST(TableFileYamlErrorTest, KeyAttributeWithoutType) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "sort_key:\n  name: created_at\n",
                    "o.yaml"),
            "o.yaml:4: key attribute \"created_at\" has no type; add type: S, N or B");
}

TEST(TableFileYamlErrorTest, OneAttributeTwoTypes) {
  EXPECT_EQ(ErrorOf(R"(table: orders
partition_key: { name: id, type: S }
sort_key: { name: day, type: N }
global_indexes:
  - name: by_day
    partition_key: { name: day, type: S }
)",
                    "o.yaml"),
            "o.yaml:6: key attribute \"day\" is S here but N at line 3; an attribute has one "
            "type in every key");
}

TEST(TableFileYamlErrorTest, DuplicateIndexNames) {
  EXPECT_EQ(ErrorOf(R"(table: orders
partition_key: { name: id, type: S }
sort_key: { name: day, type: N }
global_indexes:
  - { name: by_x, partition_key: { name: x, type: S } }
local_indexes:
  - name: by_x
    sort_key: { name: y, type: S }
)",
                    "o.yaml"),
            "o.yaml:7: duplicate index name \"by_x\" (first at line 5); global and local index "
            "names must all differ");
}

TEST(TableFileYamlErrorTest, LocalIndexWithoutTableSortKey) {
  EXPECT_EQ(ErrorOf(std::string("table: orders\n") + kKey +
                        "local_indexes:\n  - name: by_day\n    sort_key: { name: day, type: N }\n",
                    "o.yaml"),
            "o.yaml:4: local index \"by_day\" needs a table sort key; add sort_key to the table "
            "or make it a global index");
}

TEST(TableFileYamlErrorTest, LocalIndexWithItsOwnPartitionKey) {
  EXPECT_EQ(ErrorOf(std::string("table: orders\n") + kKey +
                        "sort_key: {name: s, type: S}\nlocal_indexes:\n  - name: by_day\n"
                        "    partition_key: { name: day, type: N }\n",
                    "o.yaml"),
            "o.yaml:6: a local index always uses the table's partition key; remove "
            "partition_key (or make it a global index)");
}

std::string IndexList(std::string_view key, int n, std::string_view extra) {
  std::string out = std::string(key) + ":\n";
  for (int i = 0; i < n; ++i) {
    out += "  - name: index" + std::to_string(i) + "\n    " + std::string(extra) + "\n";
  }
  return out;
}

TEST(TableFileYamlErrorTest, TooManyLocalIndexes) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "sort_key: {name: s, type: S}\n" +
                        IndexList("local_indexes", 6, "sort_key: {name: t, type: S}"),
                    "o.yaml"),
            "o.yaml:4: 6 local indexes; DynamoDB allows at most 5 per table");
}

TEST(TableFileYamlErrorTest, TooManyGlobalIndexes) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) +
                        IndexList("global_indexes", 21, "partition_key: {name: g, type: S}"),
                    "o.yaml"),
            "o.yaml:3: 21 global indexes; DynamoDB allows at most 20 per table");
}

TEST(TableFileYamlErrorTest, ProvisionedWithoutCapacity) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "billing: provisioned\n", "o.yaml"),
            "o.yaml:3: billing: provisioned needs capacity: { read: N, write: N } on the table");
}

TEST(TableFileYamlErrorTest, GlobalIndexCapacityMissingUnderProvisioned) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "capacity: {read: 1, write: 1}\n" +
                        IndexList("global_indexes", 1, "partition_key: {name: g, type: S}"),
                    "o.yaml"),
            "o.yaml:5: global index \"index0\": billing: provisioned needs capacity: { read: N, "
            "write: N } on every global index");
}

TEST(TableFileYamlErrorTest, CapacityUnderPayPerRequest) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) +
                        "billing: pay_per_request\ncapacity: {read: 1, write: 1}\n",
                    "o.yaml"),
            "o.yaml:4: capacity is not allowed with billing: pay_per_request; remove it or use "
            "billing: provisioned");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) +
                        IndexList("global_indexes", 1,
                                  "partition_key: {name: g, type: S}\n    capacity: {read: 1, "
                                  "write: 1}"),
                    "o.yaml"),
            "o.yaml:6: global index \"index0\": capacity is not allowed with billing: "
            "pay_per_request; remove it or use billing: provisioned");
}

TEST(TableFileYamlErrorTest, BadCapacity) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "capacity: {read: 0, write: 1}\n",
                    "o.yaml"),
            "o.yaml:3: capacity read must be a whole number of at least 1");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "capacity: {read: 5}\n", "o.yaml"),
            "o.yaml:3: capacity needs both read and write: { read: N, write: N }");
}

TEST(TableFileYamlErrorTest, InvalidTableAndIndexNames) {
  EXPECT_EQ(ErrorOf("table: ab\n" + std::string(kKey), "o.yaml"),
            "o.yaml:1: table name \"ab\" is invalid: use 3 to 255 characters from a-z, A-Z, "
            "0-9, '_', '-' and '.'");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) +
                        "global_indexes:\n  - name: by status\n    partition_key: {name: g, "
                        "type: S}\n",
                    "o.yaml"),
            "o.yaml:4: index name \"by status\" is invalid: use 3 to 255 characters from a-z, "
            "A-Z, 0-9, '_', '-' and '.'");
  EXPECT_EQ(ErrorOf("table: " + std::string(256, 'x') + "\n" + kKey, "o.yaml"),
            "o.yaml:1: table name \"" + std::string(256, 'x') +
                "\" is invalid: use 3 to 255 characters from a-z, A-Z, 0-9, '_', '-' and '.'");
}

TEST(TableFileYamlErrorTest, IncludeProjectionWithoutAttributes) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) +
                        IndexList("global_indexes", 1,
                                  "partition_key: {name: g, type: S}\n    projection: { "
                                  "include: [] }"),
                    "o.yaml"),
            "o.yaml:6: index \"index0\": projection include needs at least one attribute; list "
            "them in projection: { include: [attr, ...] }");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) +
                        IndexList("global_indexes", 1,
                                  "partition_key: {name: g, type: S}\n    projection: include"),
                    "o.yaml"),
            "o.yaml:6: global index \"index0\" projection include needs its attributes; write "
            "projection: { include: [attr, ...] }");
}

TEST(TableFileYamlErrorTest, UnknownEnumWords) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "stream: new_images\n", "o.yaml"),
            "o.yaml:3: unknown stream view type \"new_images\"; use disabled, keys_only, "
            "new_image, old_image or new_and_old_images");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "billing: on_demand\n", "o.yaml"),
            "o.yaml:3: unknown billing mode \"on_demand\"; use pay_per_request or provisioned");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "table_class: cold\n", "o.yaml"),
            "o.yaml:3: unknown table class \"cold\"; use standard or standard_infrequent_access");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) +
                        IndexList("global_indexes", 1,
                                  "partition_key: {name: g, type: S}\n    projection: some"),
                    "o.yaml"),
            "o.yaml:6: unknown projection \"some\"; use all, keys_only or { include: [attr, ...] "
            "}");
}

TEST(TableFileYamlErrorTest, SameAttributeAsPartitionAndSortKey) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "sort_key: {name: id, type: S}\n",
                    "o.yaml"),
            "o.yaml:3: partition key and sort key are both \"id\"; use two different attributes");
}

TEST(TableFileYamlErrorTest, KeyWithoutValue) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "sort_key:\n\nttl: x\n", "o.yaml"),
            "o.yaml:3: sort_key has no value");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "global_indexes:\ntags:\n", "o.yaml"),
            "OK");
}

TEST(TableFileYamlErrorTest, BadSettingValues) {
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "deletion_protection: maybe\n",
                    "o.yaml"),
            "o.yaml:3: deletion_protection must be true or false");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "tags:\n  team:\n", "o.yaml"),
            "o.yaml:4: tag \"team\" has no value; write team: \"\" for an empty one");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "ttl: [a, b]\n", "o.yaml"),
            "o.yaml:3: ttl must be a single value, not a list");
  EXPECT_EQ(ErrorOf("table: orders\n" + std::string(kKey) + "global_indexes: by_x\n", "o.yaml"),
            "o.yaml:3: global_indexes must be a list (- name: ...), not a single value");
}

// ---- The reader itself ---------------------------------------------------------------------

TEST(ReadTableYamlTest, ReadsYamlWhateverTheFileName) {
  Result<pb::DynamoTable> r =
      internal::ReadTableYaml("table: carts\npartition_key: { name: id, type: S }\n", "carts.txt");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->name(), "carts");
  EXPECT_EQ(r->attributes(0).name(), "id");
  Result<pb::DynamoTable> broken = internal::ReadTableYaml("table: [", "carts.txt");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().message().rfind("carts.txt:", 0), 0u) << broken.status().message();
}

TEST(TableFileYamlErrorTest, EncryptionSettings) {
  EXPECT_EQ(ErrorOf(std::string("table: tbl\n") + kKey + "encryption: kms\n", "t.yaml"),
            "t.yaml:3: unknown encryption \"kms\"; use aws_owned, aws_managed or "
            "{ kms_key: KEY } (a KMS key id, key ARN or alias)");
  EXPECT_EQ(ErrorOf(std::string("table: tbl\n") + kKey + "encryption: { key: a }\n", "t.yaml"),
            "t.yaml:3: unknown key \"key\" in encryption; expected one of: kms_key");
  EXPECT_EQ(ErrorOf(std::string("table: tbl\n") + kKey + "encryption: { kms_key: \"\" }\n",
                    "t.yaml"),
            "t.yaml:3: kms_key is empty; name a KMS key id, key ARN or alias");
}

TEST(TableFileYamlErrorTest, ThroughputSettings) {
  EXPECT_EQ(ErrorOf(std::string("table: tbl\n") + kKey + "on_demand_throughput: { max_read: 0 }\n",
                    "t.yaml"),
            "t.yaml:3: on_demand_throughput max_read must be a whole number of at least 1");
  EXPECT_EQ(ErrorOf(std::string("table: tbl\n") + kKey + "on_demand_throughput: {}\n", "t.yaml"),
            "t.yaml:3: on_demand_throughput needs max_read, max_write or both: "
            "{ max_read: N, max_write: N }; remove it for no maximum");
  EXPECT_EQ(ErrorOf(std::string("table: tbl\n") + kKey +
                        "capacity: { read: 1, write: 1 }\non_demand_throughput: { max_read: 5 }\n",
                    "t.yaml"),
            "t.yaml:4: on_demand_throughput is not allowed with billing: provisioned: it caps "
            "on-demand tables only; remove it or use billing: pay_per_request");
  EXPECT_EQ(ErrorOf(std::string("table: tbl\n") + kKey +
                        "capacity: { read: 1, write: 1 }\nglobal_indexes:\n"
                        "  - name: gsi\n    partition_key: { name: a, type: S }\n"
                        "    capacity: { read: 1, write: 1 }\n"
                        "    on_demand_throughput: { max_write: 5 }\n",
                    "t.yaml"),
            "t.yaml:8: global index \"gsi\": on_demand_throughput is not allowed with billing: "
            "provisioned: it caps on-demand tables only; remove it or use billing: "
            "pay_per_request");
  EXPECT_EQ(ErrorOf(std::string("table: tbl\n") + kKey + "warm_throughput: { read: 13000 }\n",
                    "t.yaml"),
            "t.yaml:3: warm_throughput needs both read and write: { read: N, write: N } (units "
            "per second)");
  EXPECT_EQ(ErrorOf(std::string("table: tbl\n") + kKey + "warm_throughput: { read: 13000, "
                                                        "write: -4 }\n",
                    "t.yaml"),
            "t.yaml:3: warm_throughput write must be a whole number of at least 1");
}

}  // namespace
}  // namespace strata::dynamodb

namespace strata::dynamodb {
namespace {

using testing::Parsed;

TEST(TableFileYamlTest, RecoveryAndPolicyLoadNormalised) {
  const pb::DynamoTable t = Parsed(std::string("table: orders\n") + kKey +
                                       "point_in_time_recovery: { recovery_period_days: 7 }\n"
                                       "resource_policy: |\n"
                                       "  { \"Version\": \"2012-10-17\",\n"
                                       "    \"Statement\": { \"Effect\": \"Allow\", \"Resource\": \"*\",\n"
                                       "      \"Principal\": { \"AWS\": \"arn:aws:iam::123456789012:root\" },\n"
                                       "      \"Action\": \"dynamodb:GetItem\" } }\n",
                                   "o.yaml");
  EXPECT_EQ(t.point_in_time_recovery_days(), 7);
  EXPECT_EQ(t.resource_policy(),
            R"({"Statement":[{"Action":["dynamodb:GetItem"],"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root"]},"Resource":["*"]}],"Version":"2012-10-17"})");
  EXPECT_EQ(Parsed(std::string("table: orders\n") + kKey + "point_in_time_recovery: true\n",
                   "o.yaml")
                .point_in_time_recovery_days(),
            35);
  EXPECT_EQ(Parsed(std::string("table: orders\n") + kKey + "point_in_time_recovery: false\n",
                   "o.yaml")
                .point_in_time_recovery_days(),
            0);
}

TEST(TableFileYamlErrorTest, RecoveryAndPolicyErrorsNameTheLineAndTheFix) {
  EXPECT_EQ(ErrorOf(std::string("table: orders\n") + kKey +
                        "point_in_time_recovery: { recovery_period_days: 36 }\n",
                    "o.yaml"),
            "o.yaml:3: recovery_period_days must be a whole number from 1 to 35, not \"36\"");
  EXPECT_EQ(ErrorOf(std::string("table: orders\n") + kKey + "point_in_time_recovery: [7]\n",
                    "o.yaml"),
            "o.yaml:3: point_in_time_recovery is a list; write point_in_time_recovery: true, "
            "false or { recovery_period_days: N } (N from 1 to 35)");
  EXPECT_EQ(ErrorOf(std::string("table: orders\n") + kKey +
                        "point_in_time_recovery: { days: 7 }\n",
                    "o.yaml"),
            "o.yaml:3: unknown key \"days\" in point_in_time_recovery; expected one of: "
            "recovery_period_days");
  EXPECT_EQ(ErrorOf(std::string("table: orders\n") + kKey + "resource_policy:\n  Version: x\n",
                    "o.yaml"),
            "o.yaml:4: resource_policy is a map; write the policy document as JSON text in a "
            "block: resource_policy: | followed by the JSON, indented");
  EXPECT_EQ(ErrorOf(std::string("table: orders\n") + kKey + "resource_policy: '{\"Version\": 1'\n",
                    "o.yaml"),
            "o.yaml:3: resource policy is not valid JSON; write the policy document as JSON text");
}

}  // namespace
}  // namespace strata::dynamodb
