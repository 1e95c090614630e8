// The PostgreSQL backend without a server: what status reports for a source of migration
// files, what a target's settings may be, and the way forward where it has no plan or desired
// state.
#include "adapters/postgres/backend.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "adapters/backend/registry.h"
#include "tests/engine/testing/temp_dir.h"

namespace strata::postgres {
namespace {

namespace fs = std::filesystem;
using strata::testing::TempDir;

class PostgresBackendTest : public ::testing::Test {
 protected:
  void Migration(const std::string& relative, const std::string& sql = "SELECT 1;\n") {
    const fs::path p = fs::path(dir_.path()) / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << sql;
  }
  backend::SourceSpec Source() const {
    backend::SourceSpec s;
    s.name = "app";
    s.engine = pb::ENGINE_POSTGRES;
    s.path = dir_.path();
    return s;
  }

  const backend::Backend& backend_ = TheBackend();
  TempDir dir_;
};

TEST_F(PostgresBackendTest, IsRegisteredUnderItsEngineAndName) {
  EXPECT_EQ(backend::ForEngine(pb::ENGINE_POSTGRES), &backend_);
  EXPECT_EQ(backend::Named("postgres"), &backend_);
  EXPECT_FALSE(backend_.declarative());
  EXPECT_FALSE(backend_.drift_against_cursor());
  EXPECT_EQ(backend_.object_noun(), "object");
  EXPECT_EQ(backend_.default_source_dir(), "migrations");
  ASSERT_EQ(backend_.target_settings().size(), 1u);
  EXPECT_EQ(backend_.target_settings()[0].key, "dsn");
  EXPECT_EQ(backend_.target_settings()[0].flag, "");
}

TEST_F(PostgresBackendTest, StatusListsTheMigrationFilesTheLogHasNotRecordedInRunOrder) {
  Migration("20240101000000_core_users.sql");
  Migration("20240102000000_core_email.sql");
  Migration("billing/20231201000000_billing_invoices.sql");  // tracks run core first
  Migration("20240103000000_core_tags.sql");
  Migration("README.md", "not a migration");

  auto status = backend_.Status(Source(), pb::SchemaState(), {"20240101000000_core_users"});
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->items,
            (std::vector<std::string>{"20240102000000_core_email", "20240103000000_core_tags",
                                      "20231201000000_billing_invoices"}));
  EXPECT_TRUE(status->changes.empty());
  EXPECT_EQ(status->pending(), 3u);
  EXPECT_EQ(status->noun, "migration");
  EXPECT_EQ(status->next_step, "run strata migrate run");
}

TEST_F(PostgresBackendTest, StatusIsEmptyWhenEveryFileIsRecorded) {
  Migration("1_core_a.sql");
  auto status = backend_.Status(Source(), pb::SchemaState(), {"1_core_a", "0_core_gone"});
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->pending(), 0u);
}

TEST_F(PostgresBackendTest, StatusNamesTheSchemaAndTheFileItCannotRead) {
  backend::SourceSpec missing = Source();
  missing.path = dir_ / "nope";
  auto none = backend_.Status(missing, pb::SchemaState(), {});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), Code::kNotFound);
  EXPECT_NE(none.status().message().find("schema app: "), std::string::npos)
      << none.status().ToString();

  Migration("1_core.sql");  // no description
  auto bad = backend_.Status(Source(), pb::SchemaState(), {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("1_core.sql"), std::string::npos)
      << bad.status().ToString();
}

TEST_F(PostgresBackendTest, LoadDesiredSaysMigrationsChangeTheSchema) {
  auto desired = backend_.LoadDesired(Source());
  ASSERT_FALSE(desired.ok());
  EXPECT_EQ(desired.status().code(), Code::kUnimplemented);
  EXPECT_EQ(desired.status().message(),
            "schema app: PostgreSQL schemas change through migrations; strata migrate run "
            "applies and records them");
}

TEST_F(PostgresBackendTest, InitConfigIsASourceEntryForTheDirectory) {
  const std::string text = backend_.InitConfig("db/migrations", "unused");
  EXPECT_EQ(text.rfind("  postgres:\n    engine: postgres\n    path: db/migrations", 0), 0u)
      << text;
  EXPECT_NE(text.find("{timestamp}_{track}_{description}.sql"), std::string::npos) << text;
  EXPECT_EQ(text.find("unused"), std::string::npos) << text;
}

// Settings are checked before any connection is tried, so these fail without a server.
TEST_F(PostgresBackendTest, TargetSettingsAreCheckedBeforeConnecting) {
  backend::TargetSpec typo;
  typo.name = "app";
  typo.engine = pb::ENGINE_POSTGRES;
  typo.settings = {{"dns", "postgresql://127.0.0.1/app"}};
  auto t = backend_.OpenTarget(typo, backend::Services{});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(t.status().message(),
            "target app: unknown setting \"dns\"; a postgres target takes engine and dsn (a "
            "postgresql:// URI or key=value conninfo)");

  backend::TargetSpec no_dsn;
  no_dsn.name = "app";
  no_dsn.engine = pb::ENGINE_POSTGRES;
  auto n = backend_.OpenTarget(no_dsn, backend::Services{});
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), Code::kInvalidArgument);
  EXPECT_NE(n.status().message().find("target app has no dsn; add dsn:"), std::string::npos)
      << n.status().ToString();

  backend::TargetSpec other;
  other.name = "ddb";
  other.engine = pb::ENGINE_DYNAMODB;
  auto o = backend_.OpenTarget(other, backend::Services{});
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().message(),
            "target ddb is not a PostgreSQL target; give it engine: postgres and a dsn");
}

TEST_F(PostgresBackendTest, ObjectsReadAsTheirDdl) {
  pb::SchemaState fragment;
  fragment.set_engine(pb::ENGINE_POSTGRES);
  pb::PgTable& t = (*fragment.mutable_postgres()->mutable_tables())["public.users"];
  t.set_schema("public");
  t.set_name("users");
  pb::PgColumn* c = t.add_columns();
  c->set_name("id");
  c->set_type("bigint");
  c->set_not_null(true);
  auto text = backend_.ObjectText(fragment, "public.users");
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(text->rfind("CREATE TABLE public.users (\n    id bigint NOT NULL", 0), 0u) << *text;
  EXPECT_EQ(text->back(), '\n');
  EXPECT_EQ(backend_.ObjectText(fragment, "public.nope").status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace strata::postgres
