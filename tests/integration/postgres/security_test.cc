// Security state on the test cluster: row-level security, policies, privileges and default
// privileges read by Introspect, rendered back by RenderSchemaDdl, and recorded by
// `strata migrate run` and seen by `strata drift`.
//
// Roles are cluster-wide: each test makes its own, with names unique to the test, and drops
// them after its databases (which hold everything that refers to them).
#include <fmt/format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "adapters/postgres/introspect.h"
#include "adapters/postgres/render.h"
#include "integration/postgres/test_database.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/strata_runner.h"

namespace strata::postgres {
namespace {

namespace fs = std::filesystem;
using google::protobuf::util::MessageDifferencer;
using json = nlohmann::json;
using strata::testing::RunStrata;
using strata::testing::StrataRun;
using strata::testing::TempDir;
using strata::testing::TestDatabase;

// Three roles named for this test: app_user_N, auditor_N and "Mixed Case N" (which needs
// quotes); dropped on destruction.
class TestRoles {
 public:
  TestRoles() {
    static std::atomic<int> counter{0};
    const std::string n = std::to_string(getpid()) + "_" + std::to_string(counter++);
    app = "app_user_" + n;
    auditor = "auditor_" + n;
    mixed = "Mixed Case " + n;
    Admin(fmt::format("CREATE ROLE {}; CREATE ROLE {}; CREATE ROLE {}", app, auditor,
                      Connection::QuoteIdent(mixed)));
  }
  ~TestRoles() {
    Admin(fmt::format("DROP ROLE IF EXISTS {}, {}, {}", app, auditor,
                      Connection::QuoteIdent(mixed)));
  }
  TestRoles(const TestRoles&) = delete;
  TestRoles& operator=(const TestRoles&) = delete;

  // `sql` with {app}, {auditor} and {mixed} (quoted) filled in.
  std::string Fill(std::string_view sql) const {
    return fmt::format(fmt::runtime(sql), fmt::arg("app", app), fmt::arg("auditor", auditor),
                       fmt::arg("mixed", Connection::QuoteIdent(mixed)));
  }

  std::string app, auditor, mixed;

 private:
  static void Admin(const std::string& sql) {
    auto admin = Connection::Open(strata::testing::TestClusterConninfo("postgres"));
    ASSERT_TRUE(admin.ok()) << admin.status().ToString();
    Status s = (*admin)->ExecScript(sql);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
};

// Every kind of security state the model holds. Roles: {app}, {auditor}, {mixed}.
constexpr char kSecured[] = R"sql(
CREATE SCHEMA app;
CREATE TABLE app.docs (id integer, tenant integer, owner name, body text, note text);
ALTER TABLE app.docs ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.docs FORCE ROW LEVEL SECURITY;
CREATE POLICY docs_owner ON app.docs USING (owner = CURRENT_USER);
COMMENT ON POLICY docs_owner ON app.docs IS 'owners see theirs';
CREATE POLICY "docs upd" ON app.docs FOR UPDATE TO {auditor} USING (true) WITH CHECK (body <> '');
CREATE POLICY docs_ins ON app.docs FOR INSERT TO {mixed}, {app} WITH CHECK (tenant = 1);
CREATE POLICY docs_sel ON app.docs FOR SELECT TO {app} USING (id > 0);
CREATE POLICY docs_del ON app.docs FOR DELETE TO PUBLIC USING (tenant = 2);
CREATE POLICY docs_tenant ON app.docs AS RESTRICTIVE USING (tenant = 1)
  WITH CHECK (tenant IS NOT NULL);
GRANT USAGE ON SCHEMA app TO {app};
GRANT SELECT, INSERT ON app.docs TO {app} WITH GRANT OPTION;
GRANT SELECT ON app.docs TO PUBLIC;
GRANT UPDATE (note) ON app.docs TO {auditor};
SET ROLE {app};
GRANT SELECT ON app.docs TO {auditor};
RESET ROLE;
CREATE TABLE app.locked (a integer);
REVOKE ALL ON app.locked FROM postgres;
CREATE TABLE app.same (a integer);
GRANT SELECT ON app.same TO {app};
REVOKE SELECT ON app.same FROM {app};
CREATE SEQUENCE app.ids;
GRANT USAGE, SELECT ON SEQUENCE app.ids TO {app};
CREATE FUNCTION app.f(integer) RETURNS integer LANGUAGE sql AS 'SELECT 1';
REVOKE ALL ON FUNCTION app.f(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.f(integer) TO {app};
CREATE TYPE app.mood AS ENUM ('ok');
REVOKE USAGE ON TYPE app.mood FROM PUBLIC;
CREATE VIEW app.v AS SELECT id FROM app.docs;
GRANT SELECT ON app.v TO {mixed};
GRANT USAGE ON SCHEMA app TO {mixed};
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO {auditor};
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
)sql";

class SecurityTest : public ::testing::Test {
 protected:
  std::unique_ptr<Connection> Setup(const TestDatabase& db, const std::string& sql) {
    auto conn = db.Connect();
    if (!conn) return nullptr;
    Status s = conn->ExecScript(sql);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return conn;
  }
  static pb::PostgresSchema Read(Connection& conn) {
    auto r = Introspect(conn, IntrospectOptions{});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : pb::PostgresSchema();
  }
  // "grantee privilege [*] by grantor" for each entry: short to compare.
  static std::vector<std::string> Lines(const google::protobuf::RepeatedPtrField<pb::PgGrant>& l) {
    std::vector<std::string> out;
    for (const auto& g : l) {
      out.push_back(fmt::format("{} {}{} by {}", g.grantee(), g.privilege(),
                                g.grantable() ? "*" : "", g.grantor()));
    }
    return out;
  }

  TestRoles roles_;  // declared first: dropped after the databases that refer to them
  TempDir work_;
  TestDatabase db_;
};

using V = std::vector<std::string>;

TEST_F(SecurityTest, ReadsRowSecurityAndPoliciesInTheirOwnOrder) {
  auto conn = Setup(db_, roles_.Fill(kSecured));
  ASSERT_TRUE(conn);
  const pb::PostgresSchema s = Read(*conn);
  const pb::PgTable& docs = s.tables().at("app.docs");
  EXPECT_TRUE(docs.row_security());
  EXPECT_TRUE(docs.force_row_security());
  ASSERT_EQ(docs.policies_size(), 6);
  const auto& upd = docs.policies(0);  // "docs upd" sorts before "docs_..."
  EXPECT_EQ(upd.name(), "docs upd");
  EXPECT_EQ(upd.command(), "UPDATE");
  EXPECT_EQ(V(upd.roles().begin(), upd.roles().end()), V{roles_.auditor});
  EXPECT_EQ(upd.using_expr(), "true");
  EXPECT_EQ(upd.check_expr(), "(body <> ''::text)");
  const auto& del = docs.policies(1);
  EXPECT_EQ(del.name(), "docs_del");
  EXPECT_EQ(del.command(), "DELETE");
  EXPECT_EQ(V(del.roles().begin(), del.roles().end()), V{"PUBLIC"});
  const auto& ins = docs.policies(2);
  EXPECT_EQ(ins.command(), "INSERT");
  EXPECT_FALSE(ins.has_using_expr());
  EXPECT_EQ(ins.check_expr(), "(tenant = 1)");
  EXPECT_EQ(V(ins.roles().begin(), ins.roles().end()), (V{roles_.mixed, roles_.app}));
  const auto& owner = docs.policies(3);
  EXPECT_EQ(owner.command(), "ALL");
  EXPECT_FALSE(owner.restrictive());
  EXPECT_EQ(owner.comment(), "owners see theirs");
  EXPECT_EQ(docs.policies(4).command(), "SELECT");
  const auto& tenant = docs.policies(5);
  EXPECT_TRUE(tenant.restrictive());
  EXPECT_EQ(tenant.check_expr(), "(tenant IS NOT NULL)");
}

TEST_F(SecurityTest, ReadsPrivilegesRelativeToTheDefault) {
  auto conn = Setup(db_, roles_.Fill(kSecured));
  ASSERT_TRUE(conn);
  const pb::PostgresSchema s = Read(*conn);
  const pb::PgTable& docs = s.tables().at("app.docs");
  EXPECT_EQ(Lines(docs.acl().grants()),
            (V{"PUBLIC SELECT by postgres", roles_.app + " INSERT* by postgres",
               roles_.app + " SELECT* by postgres", roles_.auditor + " SELECT by " + roles_.app}));
  EXPECT_TRUE(docs.acl().revokes().empty());
  EXPECT_EQ(Lines(docs.columns(4).acl().grants()), V{roles_.auditor + " UPDATE by postgres"});
  EXPECT_TRUE(docs.columns(0).acl().grants().empty());
  // REVOKE ALL from the owner: the owner's seven rights are revoked.
  EXPECT_EQ(s.tables().at("app.locked").acl().revokes_size(), 7);
  EXPECT_TRUE(s.tables().at("app.locked").acl().grants().empty());
  // GRANT then REVOKE leaves an explicit ACL equal to the default: nothing to record.
  EXPECT_TRUE(MessageDifferencer::Equals(s.tables().at("app.same").acl(), pb::PgAcl()));
  EXPECT_EQ(Lines(s.sequences().at("app.ids").acl().grants()),
            (V{roles_.app + " SELECT by postgres", roles_.app + " USAGE by postgres"}));
  const pb::PgAcl& f = s.functions().at("app.f(integer)").acl();
  EXPECT_EQ(Lines(f.grants()), V{roles_.app + " EXECUTE by postgres"});
  EXPECT_EQ(Lines(f.revokes()), V{"PUBLIC EXECUTE by postgres"});
  EXPECT_EQ(Lines(s.types().at("app.mood").acl().revokes()), V{"PUBLIC USAGE by postgres"});
  EXPECT_EQ(Lines(s.views().at("app.v").acl().grants()), V{roles_.mixed + " SELECT by postgres"});
  EXPECT_EQ(Lines(s.namespaces().at("app").acl().grants()),
            (V{roles_.mixed + " USAGE by postgres", roles_.app + " USAGE by postgres"}));

  ASSERT_EQ(s.default_privileges_size(), 2);
  const auto& tables = s.default_privileges().at("postgres/app/TABLES");
  EXPECT_EQ(Lines(tables.acl().grants()), V{roles_.auditor + " SELECT by postgres"});
  const auto& functions = s.default_privileges().at("postgres//FUNCTIONS");
  EXPECT_EQ(Lines(functions.acl().revokes()), V{"PUBLIC EXECUTE by postgres"});
  EXPECT_TRUE(functions.acl().grants().empty());
}

// An incremental read of some relations reads their policies and privileges and no other
// relation's; schemas, functions and types are read whole.
TEST_F(SecurityTest, AnIncrementalReadCoversOnlyTheRelationsAskedFor) {
  auto conn = Setup(db_, roles_.Fill(kSecured));
  ASSERT_TRUE(conn);
  auto oid = conn->Exec("SELECT 'app.docs'::regclass::oid");
  ASSERT_TRUE(oid.ok() && !oid->rows.empty()) << oid.status().ToString();
  const std::vector<uint32_t> only = {static_cast<uint32_t>(std::stoul(*oid->rows[0][0]))};
  IntrospectOptions options;
  options.only_relations = &only;
  auto r = Introspect(*conn, options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->tables().at("app.docs").policies_size(), 6);
  EXPECT_EQ(r->tables().at("app.docs").acl().grants_size(), 4);
  EXPECT_EQ(r->tables().at("app.docs").columns(4).acl().grants_size(), 1);
  auto locked = r->tables().find("app.locked");
  if (locked != r->tables().end()) {
    EXPECT_FALSE(locked->second.has_acl());
  }
  EXPECT_TRUE(r->functions().at("app.f(integer)").has_acl());
  EXPECT_EQ(r->default_privileges_size(), 2);
}

// A fresh database's "public" is not listed; once its privileges differ from a fresh one's it
// is, with just the difference.
TEST_F(SecurityTest, ThePublicSchemaIsListedOnlyWhenItsPrivilegesDiffer) {
  auto conn = Setup(db_, "CREATE TABLE public.t (a integer)");
  ASSERT_TRUE(conn);
  EXPECT_FALSE(Read(*conn).namespaces().count("public"));
  ASSERT_TRUE(conn->ExecScript(roles_.Fill(
      "REVOKE USAGE ON SCHEMA public FROM PUBLIC; GRANT CREATE ON SCHEMA public TO {app}")).ok());
  const pb::PostgresSchema s = Read(*conn);
  ASSERT_TRUE(s.namespaces().count("public"));
  const pb::PgAcl& acl = s.namespaces().at("public").acl();
  EXPECT_EQ(Lines(acl.revokes()), V{"PUBLIC USAGE by pg_database_owner"});
  EXPECT_EQ(Lines(acl.grants()), V{roles_.app + " CREATE by pg_database_owner"});
  ASSERT_TRUE(conn->ExecScript(roles_.Fill(
      "GRANT USAGE ON SCHEMA public TO PUBLIC; REVOKE CREATE ON SCHEMA public FROM {app}")).ok());
  EXPECT_FALSE(Read(*conn).namespaces().count("public"));
}

// The rendered script (GRANT/REVOKE, SET SESSION AUTHORIZATION for another grantor, policies,
// default privileges) rebuilds the same state in another database.
TEST_F(SecurityTest, RenderedSecurityRebuildsTheSameState) {
  auto conn = Setup(db_, roles_.Fill(std::string(kSecured) +
                                     "REVOKE USAGE ON SCHEMA public FROM PUBLIC;\n"));
  ASSERT_TRUE(conn);
  const pb::PostgresSchema original = Read(*conn);
  const std::string ddl = RenderSchemaDdl(original);
  EXPECT_NE(ddl.find(roles_.Fill("CREATE POLICY docs_ins ON app.docs FOR INSERT TO {mixed}, "
                                 "{app} WITH CHECK ((tenant = 1));")),
            std::string::npos)
      << ddl;
  EXPECT_NE(ddl.find("CREATE POLICY docs_tenant ON app.docs AS RESTRICTIVE USING ((tenant = 1)) "
                     "WITH CHECK ((tenant IS NOT NULL));"),
            std::string::npos)
      << ddl;
  EXPECT_NE(ddl.find("REVOKE ALL ON TABLE app.locked FROM postgres;"), std::string::npos) << ddl;
  EXPECT_NE(ddl.find(roles_.Fill("GRANT SELECT,INSERT ON TABLE app.docs TO {app} WITH GRANT "
                                 "OPTION;")),
            std::string::npos)
      << ddl;
  EXPECT_NE(ddl.find(roles_.Fill("SET SESSION AUTHORIZATION {app};\nGRANT SELECT ON TABLE "
                                 "app.docs TO {auditor};\nRESET SESSION AUTHORIZATION;")),
            std::string::npos)
      << ddl;
  EXPECT_NE(ddl.find(roles_.Fill("GRANT UPDATE(note) ON TABLE app.docs TO {auditor};")),
            std::string::npos)
      << ddl;
  EXPECT_NE(ddl.find("ALTER DEFAULT PRIVILEGES FOR ROLE postgres REVOKE ALL ON FUNCTIONS FROM "
                     "PUBLIC;"),
            std::string::npos)
      << ddl;

  TestDatabase copy;
  auto conn2 = Setup(copy, ddl);
  ASSERT_TRUE(conn2);
  const pb::PostgresSchema rebuilt = Read(*conn2);
  std::string report;
  MessageDifferencer d;
  d.ReportDifferencesToString(&report);
  EXPECT_TRUE(d.Compare(original, rebuilt)) << report << "\nDDL:\n" << ddl;
}

class SecurityCaptureTest : public SecurityTest {
 protected:
  StrataRun Strata(std::vector<std::string> args) const {
    return RunStrata(args,
                     {"PATH=/usr/bin:/bin", "NO_COLOR=1", "PGHOST=127.0.0.1",
                      "PGPORT=" + std::to_string(strata::testing::TestClusterPort()),
                      "PGUSER=postgres", "PGDATABASE=" + db_.name(), "STRATA_ACTOR_NAME=alice",
                      "STRATA_ACTOR_EMAIL=alice@example.com"},
                     work_.path());
  }
  void Migration(const std::string& file, const std::string& sql) {
    fs::create_directories(work_ / "migrations");
    std::ofstream(fs::path(work_ / "migrations") / file, std::ios::binary) << sql;
  }
};

TEST_F(SecurityCaptureTest, SixteenRowSecurityAndSixteenGrantsAreThirtyTwoChanges) {
  std::string tables, secure;
  for (int i = 0; i < 16; ++i) {
    tables += fmt::format("CREATE TABLE t{} (id integer);\n", i);
    secure += fmt::format("ALTER TABLE t{} ENABLE ROW LEVEL SECURITY;\n", i);
    secure += roles_.Fill(fmt::format("GRANT SELECT ON t{} TO {{app}};\n", i));
  }
  Migration("20240101000000_core_tables.sql", tables);
  Migration("20240102000000_core_secure.sql", secure);
  StrataRun r = Strata({"migrate", "run", "migrations", "--json"});
  ASSERT_EQ(r.code, 0) << r;
  json j = r.Json();
  ASSERT_EQ(j["recorded"].size(), 2u) << j.dump(2);
  EXPECT_EQ(j["recorded"][0]["events"], 16);
  EXPECT_EQ(j["recorded"][1]["events"], 32);

  StrataRun show = Strata({"show", "public.t7"});
  ASSERT_EQ(show.code, 0) << show;
  EXPECT_NE(show.out.find("ALTER TABLE public.t7 ENABLE ROW LEVEL SECURITY;"), std::string::npos)
      << show;
  EXPECT_NE(show.out.find(roles_.Fill("GRANT SELECT ON TABLE public.t7 TO {app};")),
            std::string::npos)
      << show;
  StrataRun diff = Strata({"diff", "1", "2"});
  EXPECT_NE(diff.out.find("~ enable row level security"), std::string::npos) << diff;
  EXPECT_NE(diff.out.find(roles_.Fill("~ privileges: grant SELECT to {app}")), std::string::npos)
      << diff;
  EXPECT_EQ(Strata({"drift"}).code, 0);
}

TEST_F(SecurityCaptureTest, DriftSeesAPolicyAddedBehindStratasBack) {
  Migration("20240101000000_core_docs.sql",
            "CREATE TABLE docs (id integer, tenant integer);\n"
            "ALTER TABLE docs ENABLE ROW LEVEL SECURITY;\n");
  ASSERT_EQ(Strata({"migrate", "run", "migrations"}).code, 0);
  ASSERT_EQ(Strata({"drift"}).code, 0);

  auto conn = db_.Connect();
  ASSERT_TRUE(conn);
  ASSERT_TRUE(conn->ExecScript(roles_.Fill(
      "CREATE POLICY sneaky ON docs FOR SELECT TO {app} USING (true)")).ok());
  StrataRun drift = Strata({"drift", "--json"});
  EXPECT_EQ(drift.code, 3) << drift;
  json j = drift.Json();
  EXPECT_EQ(j["drift"], true);
  ASSERT_EQ(j["changes"].size(), 1u) << j.dump(2);
  EXPECT_NE(j["changes"][0].dump().find("sneaky"), std::string::npos) << j.dump(2);
}

// A foreign server's privileges are recorded like any object's, and a REVOKE made behind
// strata's back is drift.
TEST_F(SecurityCaptureTest, ForeignServerPrivilegesAreRecordedAndTheirDriftSeen) {
  Migration("20240101000000_core_server.sql",
            "CREATE FOREIGN DATA WRAPPER plain_fdw;\n"
            "CREATE SERVER files FOREIGN DATA WRAPPER plain_fdw;\n");
  Migration("20240102000000_core_grant.sql",
            roles_.Fill("GRANT USAGE ON FOREIGN SERVER files TO {app};\n"));
  StrataRun r = Strata({"migrate", "run", "migrations", "--json"});
  ASSERT_EQ(r.code, 0) << r;
  json j = r.Json();
  ASSERT_EQ(j["recorded"].size(), 2u) << j.dump(2);
  EXPECT_EQ(j["recorded"][1]["events"], 1);
  StrataRun diff = Strata({"diff", "1", "2"});
  EXPECT_NE(diff.out.find(roles_.Fill("~ privileges: grant USAGE to {app}")), std::string::npos)
      << diff;
  StrataRun show = Strata({"show", "server:files"});
  ASSERT_EQ(show.code, 0) << show;
  EXPECT_NE(show.out.find(roles_.Fill("GRANT ALL ON FOREIGN SERVER files TO {app};")),
            std::string::npos)
      << show;
  ASSERT_EQ(Strata({"drift"}).code, 0);

  auto conn = db_.Connect();
  ASSERT_TRUE(conn);
  ASSERT_TRUE(conn->ExecScript(roles_.Fill("REVOKE USAGE ON FOREIGN SERVER files FROM {app}")).ok());
  StrataRun drift = Strata({"drift", "--json"});
  EXPECT_EQ(drift.code, 3) << drift;
  ASSERT_EQ(drift.Json()["changes"].size(), 1u) << drift;
}

}  // namespace
}  // namespace strata::postgres
