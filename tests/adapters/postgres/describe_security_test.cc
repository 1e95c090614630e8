// adapters/postgres/describe_security: the lines people read about security changes.
#include "adapters/postgres/describe_security.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include "adapters/backend/registry.h"

namespace strata::postgres {
namespace {

backend::ChangeText Describe(const std::string& text) {
  pb::Event e;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString("postgres { " + text + " }", &e));
  return backend::ForEngine(pb::ENGINE_POSTGRES)->DescribeChange(e);
}

std::string Line(const std::string& text) {
  backend::ChangeText t = Describe(text);
  return std::string(1, t.sign) + " " + t.text;
}

TEST(DescribeSecurityTest, RowSecurity) {
  EXPECT_EQ(Line(R"pb(set_row_security { schema: "s" table: "t" enabled: true })pb"),
            "~ enable row level security");
  EXPECT_EQ(Line(R"pb(set_row_security { schema: "s" table: "t" enabled: true forced: true })pb"),
            "~ enable and force row level security");
  EXPECT_EQ(Line(R"pb(set_row_security { schema: "s" table: "t" })pb"),
            "~ disable row level security");
}

TEST(DescribeSecurityTest, Policies) {
  EXPECT_EQ(Line(R"pb(create_policy { schema: "s" table: "t" policy { name: "tenant_isolation"
      command: "SELECT" roles: ["app_user", "Mixed Case"] } })pb"),
            "+ create policy tenant_isolation (SELECT to app_user, Mixed Case)");
  EXPECT_EQ(Line(R"pb(create_policy { schema: "s" table: "t" policy { name: "p"
      command: "ALL" restrictive: true roles: ["PUBLIC"] } })pb"),
            "+ create policy p (ALL to PUBLIC, restrictive)");
  EXPECT_EQ(Line(R"pb(drop_policy { schema: "s" table: "t" policy: "p" })pb"), "- drop policy p");
}

TEST(DescribeSecurityTest, PrivilegesSayWhatTheObjectNowHasBeyondTheDefault) {
  EXPECT_EQ(Line(R"pb(set_acl { target { kind: PG_OBJECT_TABLE schema: "s" name: "t" } acl {
      grants { grantee: "app_user" privilege: "SELECT" grantor: "postgres" } } })pb"),
            "~ privileges: grant SELECT to app_user");
  EXPECT_EQ(Line(R"pb(set_acl { target { kind: PG_OBJECT_COLUMN schema: "s" name: "t" sub: "c" }
      acl { grants { grantee: "a" privilege: "UPDATE" grantable: true grantor: "o" }
            revokes { grantee: "PUBLIC" privilege: "SELECT" grantor: "o" } } })pb"),
            "~ privileges of column c: revoke SELECT from PUBLIC; grant UPDATE to a with grant "
            "option");
  EXPECT_EQ(Line(R"pb(set_acl { target { kind: PG_OBJECT_TABLE schema: "s" name: "t" } })pb"),
            "~ privileges: back to the default");
  EXPECT_EQ(Line(R"pb(set_default_privileges { entry { role: "postgres" schema: "app"
      object_type: "TABLES" acl { grants { grantee: "auditor" privilege: "SELECT"
      grantor: "postgres" } } } })pb"),
            "~ default privileges on TABLES created by postgres in schema app: grant SELECT to "
            "auditor");
  EXPECT_EQ(Line(R"pb(set_acl { target { kind: PG_OBJECT_FUNCTION schema: "s" name: "f" } acl {
      revokes { grantee: "PUBLIC" privilege: "EXECUTE" grantor: "postgres" } } })pb"),
            "~ privileges: revoke EXECUTE from PUBLIC");
  // Other changes read as before.
  EXPECT_EQ(Line(R"pb(drop_table { schema: "s" table: "t" })pb"), "- drop table");
}

}  // namespace
}  // namespace strata::postgres
