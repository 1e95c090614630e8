// adapters/postgres/describe: the one-line descriptions `log` and `diff` print.
#include "adapters/postgres/describe.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

namespace strata::postgres {
namespace {

pb::PostgresChange Change(const std::string& text) {
  pb::PostgresChange c;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &c)) << text;
  return c;
}

TEST(DescribePostgresChangeTest, SaysWhatTheChangeLeavesBehind) {
  auto text = [](const std::string& change) {
    return DescribePostgresChange(Change(change)).value_or("(generic)");
  };
  EXPECT_EQ(text(R"pb(set_table_storage { unlogged: true options: ["fillfactor=70"] })pb"),
            "set storage: unlogged, fillfactor=70");
  EXPECT_EQ(text(R"pb(set_table_storage {})pb"), "set storage: logged");
  EXPECT_EQ(text(R"pb(set_inherits { parents: ["app.a", "app.b"] })pb"),
            "inherit from app.a, app.b");
  EXPECT_EQ(text(R"pb(set_inherits {})pb"), "inherit from no table");
  EXPECT_EQ(text(R"pb(set_view_options { options: ["check_option=local"] })pb"),
            "set view options: check_option=local");
  EXPECT_EQ(text(R"pb(set_view_options {})pb"), "set view options: none");
  EXPECT_EQ(text(R"pb(set_foreign_table { foreign { server: "s" options: ["table_name=t"] } })pb"),
            "set foreign table: server s, options table_name=t");
  EXPECT_EQ(text(R"pb(create_event_trigger { trigger { event: "sql_drop"
      tags: ["DROP TABLE"] enabled: "D" } })pb"),
            "create event trigger on sql_drop (DROP TABLE), disabled");
  EXPECT_EQ(text(R"pb(alter_foreign_server { server { wrapper: "postgres_fdw" } })pb"),
            "alter foreign server (postgres_fdw)");
  EXPECT_EQ(text(R"pb(create_function { function { aggregate: true } })pb"), "create aggregate");
  EXPECT_EQ(text(R"pb(create_function { function {} })pb"), "(generic)");
  EXPECT_EQ(text(R"pb(drop_event_trigger { name: "x" })pb"), "(generic)");
}

}  // namespace
}  // namespace strata::postgres
