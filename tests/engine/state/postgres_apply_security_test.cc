// Apply, validation and touched objects of PostgreSQL security changes: row-level security,
// policies, privileges (SetAcl on every kind) and default privileges.
#include <gtest/gtest.h>

#include "engine/state/objects.h"
#include "engine/state/validate.h"
#include "tests/engine/testing/postgres_events.h"

namespace strata {
namespace {

using testing::PgEvent;

constexpr const char* kSetup[] = {
    R"pb(create_schema { schema { name: "app" } })pb",
    R"pb(create_table { table { schema: "app" name: "docs"
      columns { name: "id" type: "integer" identity: PG_IDENTITY_NONE }
      columns { name: "note" type: "text" identity: PG_IDENTITY_NONE } } })pb",
    R"pb(create_view { view { schema: "app" name: "v" definition: " SELECT 1;" } })pb",
    R"pb(create_sequence { sequence { schema: "app" name: "ids" } })pb",
    R"pb(create_type { type { schema: "app" name: "mood" enum_type { labels: ["a"] } } })pb",
    R"pb(create_function { function { schema: "app" name: "f" identity_arguments: "integer"
      definition: "CREATE FUNCTION ..." } })pb",
    R"pb(create_foreign_server { server { name: "files" wrapper: "file_fdw" } })pb",
};

constexpr const char* kGrantSelect =
    R"pb(grants { grantee: "app_user" privilege: "SELECT" grantor: "postgres" })pb";

class PostgresSecurityApplyTest : public testing::PgApplyFixture {
 protected:
  void SetUp() override {
    for (const char* e : kSetup) ExpectOk(e);
  }
  const pb::PgTable& Docs() { return S().tables().at("app.docs"); }
};

TEST_F(PostgresSecurityApplyTest, RowSecurityFlags) {
  ExpectOk(R"pb(set_row_security { schema: "app" table: "docs" enabled: true forced: true })pb");
  EXPECT_TRUE(Docs().row_security());
  EXPECT_TRUE(Docs().force_row_security());
  ExpectOk(R"pb(set_row_security { schema: "app" table: "docs" enabled: true })pb");
  EXPECT_TRUE(Docs().row_security());
  EXPECT_FALSE(Docs().force_row_security());
  ExpectError(R"pb(set_row_security { schema: "app" table: "nope" enabled: true })pb",
              Code::kNotFound, "postgres table app.nope does not exist");
}

TEST_F(PostgresSecurityApplyTest, PoliciesStaySortedAndCarryComments) {
  ExpectOk(R"pb(create_policy { schema: "app" table: "docs" policy {
      name: "tenant" command: "ALL" roles: ["PUBLIC"] using_expr: "(id > 0)" } })pb");
  ExpectOk(R"pb(create_policy { schema: "app" table: "docs" policy {
      name: "ins" command: "INSERT" roles: ["app_user", "Mixed Case"] check_expr: "true" } })pb");
  ASSERT_EQ(Docs().policies_size(), 2);
  EXPECT_EQ(Docs().policies(0).name(), "ins");
  EXPECT_EQ(Docs().policies(0).roles(1), "Mixed Case");  // roles keep pg_policy's order
  EXPECT_EQ(Docs().policies(1).name(), "tenant");
  ExpectOk(R"pb(set_comment { target { kind: PG_OBJECT_POLICY schema: "app" name: "docs"
      sub: "tenant" } comment: "one tenant each" })pb");
  EXPECT_EQ(Docs().policies(1).comment(), "one tenant each");
  ExpectError(R"pb(create_policy { schema: "app" table: "docs" policy {
      name: "ins" command: "ALL" roles: ["PUBLIC"] } })pb",
              Code::kAlreadyExists, "postgres policy app.docs.ins already exists");
  ExpectOk(R"pb(drop_policy { schema: "app" table: "docs" policy: "ins" })pb");
  ASSERT_EQ(Docs().policies_size(), 1);
  ExpectError(R"pb(drop_policy { schema: "app" table: "docs" policy: "ins" })pb",
              Code::kNotFound, "postgres policy app.docs.ins does not exist");
  ExpectError(R"pb(set_comment { target { kind: PG_OBJECT_POLICY schema: "app" name: "docs"
      sub: "gone" } comment: "x" })pb",
              Code::kNotFound, "postgres policy app.docs.gone does not exist");
}

TEST_F(PostgresSecurityApplyTest, SetAclReachesEveryKindAndSortsTheAcl) {
  const std::string acl = std::string(" acl { ") + kGrantSelect +
                          R"pb( grants { grantee: "PUBLIC" privilege: "SELECT" grantor: "postgres" } })pb";
  ExpectOk(R"pb(set_acl { target { kind: PG_OBJECT_TABLE schema: "app" name: "docs" })pb" + acl +
           "}");
  ASSERT_EQ(Docs().acl().grants_size(), 2);
  EXPECT_EQ(Docs().acl().grants(0).grantee(), "PUBLIC");  // sorted by grantee
  ExpectOk(R"pb(set_acl { target { kind: PG_OBJECT_COLUMN schema: "app" name: "docs"
      sub: "note" } acl { grants { grantee: "auditor" privilege: "UPDATE" grantor: "postgres" } } })pb");
  EXPECT_EQ(Docs().columns(1).acl().grants(0).grantee(), "auditor");
  ExpectOk(R"pb(set_acl { target { kind: PG_OBJECT_VIEW schema: "app" name: "v" } acl { )pb" +
           std::string(kGrantSelect) + "} }");
  EXPECT_EQ(S().views().at("app.v").acl().grants_size(), 1);
  ExpectOk(R"pb(set_acl { target { kind: PG_OBJECT_SEQUENCE schema: "app" name: "ids" } acl {
      grants { grantee: "app_user" privilege: "USAGE" grantor: "postgres" } } })pb");
  EXPECT_EQ(S().sequences().at("app.ids").acl().grants_size(), 1);
  ExpectOk(R"pb(set_acl { target { kind: PG_OBJECT_TYPE schema: "app" name: "mood" } acl {
      revokes { grantee: "PUBLIC" privilege: "USAGE" grantor: "postgres" } } })pb");
  EXPECT_EQ(S().types().at("app.mood").acl().revokes_size(), 1);
  ExpectOk(R"pb(set_acl { target { kind: PG_OBJECT_FUNCTION schema: "app" name: "f"
      sub: "integer" } acl {
      revokes { grantee: "PUBLIC" privilege: "EXECUTE" grantor: "postgres" } } })pb");
  EXPECT_EQ(S().functions().at("app.f(integer)").acl().revokes_size(), 1);
  ExpectOk(R"pb(set_acl { target { kind: PG_OBJECT_SCHEMA name: "app" } acl {
      grants { grantee: "app_user" privilege: "USAGE" grantor: "postgres" } } })pb");
  EXPECT_EQ(S().namespaces().at("app").acl().grants_size(), 1);
  ExpectOk(R"pb(set_acl { target { kind: PG_OBJECT_FOREIGN_SERVER name: "files" } acl {
      grants { grantee: "app_user" privilege: "USAGE" grantor: "postgres" } } })pb");
  EXPECT_EQ(S().foreign_servers().at("files").acl().grants_size(), 1);
  // Back to the default.
  ExpectOk(R"pb(set_acl { target { kind: PG_OBJECT_TABLE schema: "app" name: "docs" } })pb");
  EXPECT_EQ(Docs().acl().grants_size(), 0);
}

TEST_F(PostgresSecurityApplyTest, SetAclOnMissingObjects) {
  ExpectError(R"pb(set_acl { target { kind: PG_OBJECT_COLUMN schema: "app" name: "docs"
      sub: "nope" } })pb",
              Code::kNotFound, "postgres column app.docs.nope does not exist");
  ExpectError(R"pb(set_acl { target { kind: PG_OBJECT_FUNCTION schema: "app" name: "f" } })pb",
              Code::kNotFound, "postgres function app.f() does not exist");
  ExpectError(R"pb(set_acl { target { kind: PG_OBJECT_SCHEMA name: "nope" } })pb",
              Code::kNotFound, "postgres schema nope does not exist");
  ExpectError(R"pb(set_acl { target { kind: PG_OBJECT_FOREIGN_SERVER name: "nope" } })pb",
              Code::kNotFound, "postgres foreign server nope does not exist");
}

// "public" exists in every database: its entry appears while it differs from a fresh
// database's and goes once nothing is recorded about it.
TEST_F(PostgresSecurityApplyTest, ThePublicSchemaIsImplicit) {
  ExpectOk(R"pb(set_acl { target { kind: PG_OBJECT_SCHEMA name: "public" } acl {
      revokes { grantee: "PUBLIC" privilege: "USAGE" grantor: "pg_database_owner" } } })pb");
  ASSERT_TRUE(S().namespaces().count("public"));
  EXPECT_EQ(S().namespaces().at("public").name(), "public");
  ExpectOk(R"pb(set_comment { target { kind: PG_OBJECT_SCHEMA name: "public" }
      comment: "ours" })pb");
  ExpectOk(R"pb(set_acl { target { kind: PG_OBJECT_SCHEMA name: "public" } })pb");
  ASSERT_TRUE(S().namespaces().count("public"));  // the comment keeps it
  ExpectOk(R"pb(set_comment { target { kind: PG_OBJECT_SCHEMA name: "public" } })pb");
  EXPECT_FALSE(S().namespaces().count("public"));
}

TEST_F(PostgresSecurityApplyTest, DefaultPrivilegesEntryGoesWithItsLastGrant) {
  ExpectOk(R"pb(set_default_privileges { entry { role: "postgres" schema: "app"
      object_type: "TABLES" acl { grants { grantee: "auditor" privilege: "SELECT"
      grantor: "postgres" } } } })pb");
  ASSERT_TRUE(S().default_privileges().count("postgres/app/TABLES"));
  EXPECT_EQ(S().default_privileges().at("postgres/app/TABLES").acl().grants(0).grantee(),
            "auditor");
  ExpectOk(R"pb(set_default_privileges { entry { role: "postgres" schema: "app"
      object_type: "TABLES" } })pb");
  EXPECT_TRUE(S().default_privileges().empty());
}

TEST_F(PostgresSecurityApplyTest, CreateTableCarriesPoliciesAndPrivilegesInCanonicalOrder) {
  ExpectOk(R"pb(create_table { table { schema: "app" name: "t" row_security: true
      policies { name: "z" command: "ALL" roles: ["PUBLIC"] }
      policies { name: "a" command: "SELECT" roles: ["PUBLIC"] }
      acl { grants { grantee: "b" privilege: "SELECT" grantor: "postgres" }
            grants { grantee: "a" privilege: "SELECT" grantor: "postgres" } } } })pb");
  const pb::PgTable& t = S().tables().at("app.t");
  EXPECT_EQ(t.policies(0).name(), "a");
  EXPECT_EQ(t.acl().grants(0).grantee(), "a");
}

TEST(PostgresSecurityValidate, BadEventsSayWhatIsWrong) {
  auto msg = [](const std::string& text) { return ValidateEvent(PgEvent(text)).message(); };
  EXPECT_EQ(msg(R"pb(set_row_security { table: "t" })pb"),
            "postgres set_row_security: schema name is empty");
  EXPECT_EQ(msg(R"pb(create_policy { schema: "s" table: "t" policy { name: "p"
      command: "MERGE" roles: ["PUBLIC"] } })pb"),
            "postgres create_policy s.t: policy p command \"MERGE\" is not ALL, SELECT, INSERT, "
            "UPDATE or DELETE");
  EXPECT_EQ(msg(R"pb(create_policy { schema: "s" table: "t" policy { name: "p"
      command: "ALL" } })pb"),
            "postgres create_policy s.t: policy p names no role");
  EXPECT_EQ(msg(R"pb(create_policy { schema: "s" table: "t" policy { name: "p"
      command: "INSERT" roles: ["PUBLIC"] using_expr: "true" } })pb"),
            "postgres create_policy s.t: policy p for INSERT cannot have a USING expression");
  EXPECT_EQ(msg(R"pb(create_policy { schema: "s" table: "t" policy { name: "p"
      command: "SELECT" roles: ["PUBLIC"] check_expr: "true" } })pb"),
            "postgres create_policy s.t: policy p for SELECT cannot have a WITH CHECK expression");
  EXPECT_EQ(msg(R"pb(drop_policy { schema: "s" table: "t" })pb"),
            "postgres drop_policy: policy name is empty");
  EXPECT_EQ(msg(R"pb(set_acl { target { kind: PG_OBJECT_INDEX schema: "s" name: "i" } })pb"),
            "postgres set_acl: objects of kind index have no privileges");
  EXPECT_EQ(msg(R"pb(set_acl { target { name: "t" } })pb"),
            "postgres set_acl: object kind is UNSPECIFIED");
  EXPECT_EQ(msg(R"pb(set_acl { target { kind: PG_OBJECT_FOREIGN_SERVER } })pb"),
            "postgres set_acl: foreign server name is empty");
  EXPECT_EQ(msg(R"pb(set_acl { target { kind: PG_OBJECT_FOREIGN_SERVER name: "s" } acl {
      grants { grantee: "u" privilege: "SELECT" grantor: "postgres" } } })pb"),
            "postgres set_acl server:s: grant to u: SELECT is not a privilege of a foreign server");
  EXPECT_EQ(msg(R"pb(set_acl { target { kind: PG_OBJECT_TABLE schema: "s" name: "t" } acl {
      grants { grantee: "u" privilege: "EXECUTE" grantor: "postgres" } } })pb"),
            "postgres set_acl s.t: grant to u: EXECUTE is not a privilege of a table");
  EXPECT_EQ(msg(R"pb(set_acl { target { kind: PG_OBJECT_COLUMN schema: "s" name: "t" } })pb"),
            "postgres set_acl: column name is empty");
  EXPECT_EQ(msg(R"pb(set_acl { target { kind: PG_OBJECT_SEQUENCE schema: "s" name: "q" } acl {
      grants { grantee: "u" privilege: "USAGE" grantor: "postgres" }
      grants { grantee: "u" privilege: "USAGE" grantor: "postgres" grantable: true } } })pb"),
            "postgres set_acl s.q: grant of USAGE to u by postgres appears twice");
  EXPECT_EQ(msg(R"pb(set_acl { target { kind: PG_OBJECT_SCHEMA name: "s" } acl {
      revokes { grantee: "u" privilege: "USAGE" } } })pb"),
            "postgres set_acl s: revoke of USAGE to u: grantor is empty");
  EXPECT_EQ(msg(R"pb(set_default_privileges { entry { role: "r" object_type: "VIEWS" } })pb"),
            "postgres set_default_privileges defaults:r//VIEWS: object type \"VIEWS\" is not "
            "TABLES, SEQUENCES, FUNCTIONS, TYPES or SCHEMAS");
  EXPECT_EQ(msg(R"pb(set_default_privileges { entry { role: "r" schema: "s"
      object_type: "SCHEMAS" } })pb"),
            "postgres set_default_privileges defaults:r/s/SCHEMAS: default privileges on SCHEMAS "
            "cannot be limited to a schema");
  EXPECT_EQ(msg(R"pb(create_table { table { schema: "s" name: "t"
      columns { name: "c" type: "int" identity: PG_IDENTITY_NONE
        acl { grants { grantee: "u" privilege: "DELETE" grantor: "postgres" } } } } })pb"),
            "postgres create_table s.t: column c grant to u: DELETE is not a privilege of a "
            "column");
  EXPECT_EQ(msg(R"pb(set_comment { target { kind: PG_OBJECT_POLICY schema: "s" name: "t" } })pb"),
            "postgres set_comment: policy name is empty");
}

TEST(PostgresSecurityTouched, TheTableTheObjectOrTheDefaults) {
  pb::SchemaState none;
  auto touched = [&none](const std::string& text) { return TouchedObjects(PgEvent(text), none); };
  using V = std::vector<std::string>;
  EXPECT_EQ(touched(R"pb(create_policy { schema: "app" table: "docs" policy { name: "p" } })pb"),
            V{"app.docs"});
  EXPECT_EQ(touched(R"pb(set_row_security { schema: "app" table: "docs" })pb"), V{"app.docs"});
  EXPECT_EQ(touched(R"pb(set_acl { target { kind: PG_OBJECT_COLUMN schema: "app" name: "docs"
      sub: "note" } })pb"),
            V{"app.docs"});
  EXPECT_EQ(touched(R"pb(set_acl { target { kind: PG_OBJECT_FUNCTION schema: "app" name: "f"
      sub: "integer" } })pb"),
            V{"app.f(integer)"});
  EXPECT_EQ(touched(R"pb(set_acl { target { kind: PG_OBJECT_SCHEMA name: "public" } })pb"),
            V{"public"});
  EXPECT_EQ(touched(R"pb(set_default_privileges { entry { role: "postgres" schema: "app"
      object_type: "TABLES" } })pb"),
            V{"defaults:postgres/app/TABLES"});
}

}  // namespace
}  // namespace strata
