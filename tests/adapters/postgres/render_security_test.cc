// adapters/postgres/render_security: RLS, policies, GRANT/REVOKE and default privileges as
// DDL, without a server (the round trip through a real server is in
// tests/integration/postgres/security_test.cc).
#include "adapters/postgres/render_security.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include "adapters/postgres/render.h"

namespace strata::postgres {
namespace {

template <typename Message>
Message Parse(const std::string& text) {
  Message m;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &m)) << text;
  return m;
}

TEST(RenderSecurityTest, PoliciesInPgDumpsCanonicalForm) {
  auto t = Parse<pb::PgTable>(R"pb(schema: "app" name: "docs" row_security: true
    force_row_security: true
    policies { name: "docs upd" command: "UPDATE" roles: ["auditor", "Mixed Case"]
               using_expr: "true" check_expr: "(body <> ''::text)" }
    policies { name: "owner" command: "ALL" roles: ["PUBLIC"] using_expr: "(a = 1)"
               comment: "it's theirs" }
    policies { name: "strict" command: "ALL" restrictive: true roles: ["PUBLIC"]
               check_expr: "(a IS NOT NULL)" })pb");
  EXPECT_EQ(TableSecuritySql(t),
            "ALTER TABLE app.docs ENABLE ROW LEVEL SECURITY;\n"
            "ALTER TABLE app.docs FORCE ROW LEVEL SECURITY;\n"
            "CREATE POLICY \"docs upd\" ON app.docs FOR UPDATE TO auditor, \"Mixed Case\" "
            "USING (true) WITH CHECK ((body <> ''::text));\n"
            "CREATE POLICY owner ON app.docs USING ((a = 1));\n"
            "COMMENT ON POLICY owner ON app.docs IS 'it''s theirs';\n"
            "CREATE POLICY strict ON app.docs AS RESTRICTIVE WITH CHECK ((a IS NOT NULL));\n");
}

TEST(RenderSecurityTest, GrantsAreGroupedRevokesFirstAllForTheWholeSet) {
  auto acl = Parse<pb::PgAcl>(R"pb(
    grants { grantee: "PUBLIC" privilege: "SELECT" grantor: "postgres" }
    grants { grantee: "app" privilege: "INSERT" grantable: true grantor: "postgres" }
    grants { grantee: "app" privilege: "SELECT" grantable: true grantor: "postgres" }
    grants { grantee: "reader" privilege: "SELECT" grantor: "app" }
    revokes { grantee: "postgres" privilege: "TRUNCATE" grantor: "postgres" })pb");
  EXPECT_EQ(AclSql("TABLE app.t", pb::PG_OBJECT_TABLE, acl),
            "REVOKE TRUNCATE ON TABLE app.t FROM postgres;\n"
            "GRANT SELECT ON TABLE app.t TO PUBLIC;\n"
            "GRANT SELECT,INSERT ON TABLE app.t TO app WITH GRANT OPTION;\n"
            "SET SESSION AUTHORIZATION app;\n"
            "GRANT SELECT ON TABLE app.t TO reader;\n"
            "RESET SESSION AUTHORIZATION;\n");
  auto all = Parse<pb::PgAcl>(R"pb(
    grants { grantee: "Mixed Case" privilege: "USAGE" grantor: "postgres" }
    grants { grantee: "Mixed Case" privilege: "SELECT" grantor: "postgres" }
    grants { grantee: "Mixed Case" privilege: "UPDATE" grantor: "postgres" })pb");
  EXPECT_EQ(AclSql("SEQUENCE app.s", pb::PG_OBJECT_SEQUENCE, all),
            "GRANT ALL ON SEQUENCE app.s TO \"Mixed Case\";\n");
  EXPECT_EQ(AclSql("TABLE app.t", pb::PG_OBJECT_TABLE, pb::PgAcl()), "");
}

TEST(RenderSecurityTest, ColumnPrivilegesNameTheColumn) {
  auto t = Parse<pb::PgTable>(R"pb(schema: "app" name: "t"
    columns { name: "Note" acl { grants { grantee: "a" privilege: "UPDATE" grantor: "o" }
                                 grants { grantee: "a" privilege: "SELECT" grantor: "o" } } })pb");
  EXPECT_EQ(TableSecuritySql(t), "GRANT SELECT(\"Note\"),UPDATE(\"Note\") ON TABLE app.t TO a;\n");
}

TEST(RenderSecurityTest, DefaultPrivileges) {
  auto e = Parse<pb::PgDefaultPrivileges>(R"pb(role: "postgres" schema: "app"
    object_type: "TABLES"
    acl { grants { grantee: "auditor" privilege: "SELECT" grantor: "postgres" } })pb");
  EXPECT_EQ(DefaultPrivilegesSql(e),
            "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA app GRANT SELECT ON TABLES TO "
            "auditor;\n");
  auto f = Parse<pb::PgDefaultPrivileges>(R"pb(role: "postgres" object_type: "FUNCTIONS"
    acl { revokes { grantee: "PUBLIC" privilege: "EXECUTE" grantor: "postgres" } })pb");
  EXPECT_EQ(DefaultPrivilegesSql(f),
            "ALTER DEFAULT PRIVILEGES FOR ROLE postgres REVOKE ALL ON FUNCTIONS FROM PUBLIC;\n");
}

// "public" is never created; other objects' privileges follow their DDL.
TEST(RenderSecurityTest, ObjectsShowTheirPrivileges) {
  auto s = Parse<pb::PostgresSchema>(R"pb(
    namespaces { key: "public" value { name: "public"
      acl { revokes { grantee: "PUBLIC" privilege: "USAGE" grantor: "pg_database_owner" } } } }
    functions { key: "app.f(integer)" value { schema: "app" name: "f"
      identity_arguments: "integer" definition: "CREATE OR REPLACE FUNCTION app.f(integer) ..."
      acl { revokes { grantee: "PUBLIC" privilege: "EXECUTE" grantor: "postgres" } } } }
    default_privileges { key: "postgres//TYPES" value { role: "postgres" object_type: "TYPES"
      acl { revokes { grantee: "PUBLIC" privilege: "USAGE" grantor: "postgres" } } } })pb");
  auto pub = RenderObjectDdl(s, "public");
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(*pub, "REVOKE USAGE ON SCHEMA public FROM PUBLIC;\n");
  auto f = RenderObjectDdl(s, "app.f(integer)");
  ASSERT_TRUE(f.ok());
  EXPECT_NE(f->find("REVOKE ALL ON FUNCTION app.f(integer) FROM PUBLIC;\n"), std::string::npos)
      << *f;
  auto d = RenderObjectDdl(s, "defaults:postgres//TYPES");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(*d, "ALTER DEFAULT PRIVILEGES FOR ROLE postgres REVOKE ALL ON TYPES FROM PUBLIC;\n");
  const std::string script = RenderSchemaDdl(s);
  EXPECT_EQ(script.find("CREATE SCHEMA public"), std::string::npos) << script;
  EXPECT_NE(script.find("REVOKE USAGE ON SCHEMA public FROM PUBLIC;"), std::string::npos);
}

}  // namespace
}  // namespace strata::postgres
