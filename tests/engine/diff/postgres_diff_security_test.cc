// Diff of PostgreSQL security state: which events, in which order. Every case also checks the
// law Apply(a, Diff(a, b)) == b; the random pairs of postgres_diff_test.cc cover the rest.
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include "engine/diff/diff.h"
#include "tests/engine/testing/diff_law.h"
#include "tests/engine/testing/postgres_events.h"

namespace strata {
namespace {

using google::protobuf::TextFormat;
using testing::ExpectDiffLaw;
using testing::PgState;

pb::PostgresSchema Parse(const std::string& text) {
  pb::PostgresSchema s;
  EXPECT_TRUE(TextFormat::ParseFromString(text, &s)) << text;
  return s;
}

std::vector<pb::PostgresChange> Changes(const pb::PostgresSchema& a, const pb::PostgresSchema& b) {
  std::vector<pb::PostgresChange> out;
  for (const auto& e : ExpectDiffLaw(PgState(a), PgState(b), "unit")) out.push_back(e.postgres());
  return out;
}

pb::PgGrant Grant(const std::string& grantee, const std::string& privilege) {
  pb::PgGrant g;
  g.set_grantee(grantee);
  g.set_privilege(privilege);
  g.set_grantor("postgres");
  return g;
}

constexpr const char* kDocs = R"pb(
  tables { key: "app.docs" value { schema: "app" name: "docs"
    columns { name: "id" type: "integer" identity: PG_IDENTITY_NONE }
    columns { name: "tenant" type: "integer" identity: PG_IDENTITY_NONE }
    policies { name: "tenant" command: "ALL" roles: ["PUBLIC"] using_expr: "(tenant = 1)" } } })pb";

class PgSecurityDiffTest : public ::testing::Test {
 protected:
  void SetUp() override { a_ = Parse(kDocs); }
  pb::PgTable& Docs(pb::PostgresSchema* s) { return (*s->mutable_tables())["app.docs"]; }
  pb::PostgresSchema a_;
};

TEST_F(PgSecurityDiffTest, EnablingRowSecurityAndAGrantAreOneEventEach) {
  pb::PostgresSchema b = a_;
  Docs(&b).set_row_security(true);
  *Docs(&b).mutable_acl()->add_grants() = Grant("app_user", "INSERT");
  *Docs(&b).mutable_acl()->add_grants() = Grant("app_user", "SELECT");
  auto events = Changes(a_, b);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(events[0].set_row_security().enabled());
  EXPECT_FALSE(events[0].set_row_security().forced());
  EXPECT_EQ(events[1].set_acl().target().kind(), pb::PG_OBJECT_TABLE);
  EXPECT_EQ(events[1].set_acl().acl().grants_size(), 2);  // the whole ACL after the change
}

TEST_F(PgSecurityDiffTest, ARedefinedPolicyIsDroppedAndCreatedACommentIsASetComment) {
  pb::PostgresSchema b = a_;
  Docs(&b).mutable_policies(0)->add_roles("auditor");
  auto events = Changes(a_, b);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].drop_policy().policy(), "tenant");
  EXPECT_EQ(events[1].create_policy().policy().roles_size(), 2);

  pb::PostgresSchema c = a_;
  Docs(&c).mutable_policies(0)->set_comment("one tenant");
  events = Changes(a_, c);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].set_comment().target().kind(), pb::PG_OBJECT_POLICY);
  EXPECT_EQ(events[0].set_comment().target().sub(), "tenant");
}

// Policies name columns: a policy goes before the column it uses, and a new one comes after
// the column it needs.
TEST_F(PgSecurityDiffTest, PoliciesGoBeforeColumnDropsAndComeAfterColumnAdds) {
  pb::PostgresSchema b = a_;
  Docs(&b).mutable_columns()->DeleteSubrange(1, 1);
  Docs(&b).clear_policies();
  auto events = Changes(a_, b);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(events[0].has_drop_policy());
  EXPECT_TRUE(events[1].has_drop_column());

  events = Changes(b, a_);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(events[0].has_add_column());
  EXPECT_TRUE(events[1].has_create_policy());
}

TEST_F(PgSecurityDiffTest, ColumnPrivilegesAreASetAclOfTheColumn) {
  pb::PostgresSchema b = a_;
  *Docs(&b).mutable_columns(1)->mutable_acl()->add_grants() = Grant("auditor", "UPDATE");
  auto events = Changes(a_, b);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].set_acl().target().kind(), pb::PG_OBJECT_COLUMN);
  EXPECT_EQ(events[0].set_acl().target().sub(), "tenant");
}

TEST_F(PgSecurityDiffTest, ANewTableCarriesItsSecurityInItsCreate) {
  pb::PostgresSchema b = a_;
  Docs(&b).set_row_security(true);
  *Docs(&b).mutable_acl()->add_revokes() = Grant("postgres", "TRUNCATE");
  auto events = Changes(pb::PostgresSchema(), b);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].create_table().table().row_security());
  EXPECT_EQ(events[0].create_table().table().policies_size(), 1);
  EXPECT_EQ(events[0].create_table().table().acl().revokes_size(), 1);
}

// A replaced object keeps its old privileges in the replacing event, so a grant made with the
// change reads as a grant of its own.
TEST(PgSecurityDiff, ReplacementsKeepTheOldAclAndAGrantFollows) {
  pb::PostgresSchema a = Parse(R"pb(
    views { key: "app.v" value { schema: "app" name: "v" definition: " SELECT 1;" } }
    functions { key: "app.f()" value { schema: "app" name: "f" definition: "old" } })pb");
  pb::PostgresSchema b = a;
  pb::PgView& v = (*b.mutable_views())["app.v"];
  v.set_definition(" SELECT 2;");
  *v.mutable_acl()->add_grants() = Grant("app_user", "SELECT");
  *(*b.mutable_functions())["app.f()"].mutable_acl()->add_revokes() = Grant("PUBLIC", "EXECUTE");
  auto events = Changes(a, b);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].set_acl().target().kind(), pb::PG_OBJECT_FUNCTION);  // acl-only change
  EXPECT_TRUE(events[1].has_replace_view());
  EXPECT_EQ(events[1].replace_view().view().acl().grants_size(), 0);
  EXPECT_EQ(events[2].set_acl().target().kind(), pb::PG_OBJECT_VIEW);
}

TEST(PgSecurityDiff, ThePublicSchemaIsNeverCreatedOrDropped) {
  pb::PostgresSchema a;
  pb::PostgresSchema b = Parse(R"pb(namespaces { key: "public" value { name: "public"
      acl { revokes { grantee: "PUBLIC" privilege: "USAGE" grantor: "pg_database_owner" } } } })pb");
  auto events = Changes(a, b);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].set_acl().target().name(), "public");
  events = Changes(b, a);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].set_acl().acl().revokes_size(), 0);
}

TEST(PgSecurityDiff, DefaultPrivilegesAreSetAndReturnedToTheDefault) {
  pb::PostgresSchema a;
  pb::PostgresSchema b = Parse(R"pb(default_privileges { key: "postgres/app/TABLES" value {
      role: "postgres" schema: "app" object_type: "TABLES"
      acl { grants { grantee: "auditor" privilege: "SELECT" grantor: "postgres" } } } })pb");
  auto events = Changes(a, b);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].set_default_privileges().entry().acl().grants_size(), 1);
  events = Changes(b, a);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].set_default_privileges().entry().role(), "postgres");
  EXPECT_FALSE(events[0].set_default_privileges().entry().has_acl());
}

}  // namespace
}  // namespace strata
