#include "adapters/dynamodb/table_rules.h"

#include <gtest/gtest.h>

#include <string>

namespace strata::dynamodb::internal {
namespace {

constexpr Vocabulary kWords{"cap", "cap: N", "mode: provisioned", "mode: on_demand", "include",
                            "include: [a]", "sort", "max", "warm", "warm: {{ r: {}, w: {} }}",
                            "replicas", "stream: both", "read", "max_read"};

// A valid on-demand table with one global index, as a reader would build it.
pb::DynamoTable Table() {
  pb::DynamoTable t;
  t.set_name("orders");
  t.mutable_key()->set_partition_key("id");
  t.set_billing_mode(pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST);
  auto* g = t.add_global_indexes();
  g->set_name("by_status");
  g->mutable_key()->set_partition_key("status");
  g->mutable_projection()->set_type(pb::DYNAMO_PROJECTION_TYPE_ALL);
  return t;
}

TablePlaces Places() {
  TablePlaces at;
  at.root_line = 1;
  at.name_line = 2;
  at.global_indexes.push_back(IndexPlace{7, 8, 9, 10});
  return at;
}

std::string Problem(const pb::DynamoTable& t, const TablePlaces& at) {
  Status s = CheckTableRules(t, at, kWords, "f.yaml");
  if (s.ok()) return "OK";
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  return s.message();
}

TEST(TableRulesTest, AValidTablePasses) { EXPECT_EQ(Problem(Table(), Places()), "OK"); }

TEST(TableRulesTest, ErrorsPointAtTheRecordedLineOrTheTable) {
  pb::DynamoTable t = Table();
  t.set_name("x");
  EXPECT_EQ(Problem(t, Places()),
            "f.yaml:2: table name \"x\" is invalid: use 3 to 255 characters from a-z, A-Z, 0-9, "
            "'_', '-' and '.'");
  t = Table();
  t.set_billing_mode(pb::DYNAMO_BILLING_MODE_PROVISIONED);
  TablePlaces at = Places();  // billing_line not recorded: the table's line
  EXPECT_EQ(Problem(t, at), "f.yaml:1: mode: provisioned needs cap: N on the table");
}

TEST(TableRulesTest, MessagesUseTheFormatsWords) {
  pb::DynamoTable t = Table();
  t.mutable_throughput()->set_read_capacity_units(1);
  t.mutable_throughput()->set_write_capacity_units(1);
  TablePlaces at = Places();
  at.throughput_line = 4;
  EXPECT_EQ(Problem(t, at),
            "f.yaml:4: cap is not allowed with mode: on_demand; remove it or use mode: "
            "provisioned");
  t = Table();
  t.mutable_global_indexes(0)->mutable_projection()->set_type(
      pb::DYNAMO_PROJECTION_TYPE_INCLUDE);
  EXPECT_EQ(Problem(t, Places()),
            "f.yaml:9: index \"by_status\": include needs at least one attribute; list them in "
            "include: [a]");
}

TEST(TableRulesTest, NamesAndKeys) {
  EXPECT_TRUE(IsValidName("orders.v2-old_1"));
  EXPECT_FALSE(IsValidName("ab"));
  EXPECT_FALSE(IsValidName("has space"));
  EXPECT_FALSE(IsValidName(std::string(256, 'a')));
  EXPECT_EQ(AttributeNameProblem("id"), "");
  EXPECT_EQ(AttributeNameProblem(""), "key attribute name is empty");
  EXPECT_NE(AttributeNameProblem(std::string(256, 'a')), "");
  EXPECT_EQ(TagKeyProblem("team"), "");
  EXPECT_EQ(TagKeyProblem(""), "tag key is empty");
  EXPECT_EQ(BadTypeMessage("BOOL"), "BOOL is not a key type; use S, N or B");
  EXPECT_EQ(ErrorAt("f.json", 3, "no").message(), "f.json:3: no");
}

}  // namespace
}  // namespace strata::dynamodb::internal
