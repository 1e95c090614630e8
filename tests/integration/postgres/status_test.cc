// strata status in a PostgreSQL project: the migration files the log has not recorded yet,
// by name, with the step that records them. The real binary, a real server for the one
// migration that is applied first.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "integration/postgres/test_database.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/strata_runner.h"

namespace strata::postgres {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using strata::testing::RunStrata;
using strata::testing::StrataRun;
using strata::testing::TempDir;
using strata::testing::TestDatabase;

class StatusTest : public ::testing::Test {
 protected:
  StatusTest() {
    std::ofstream(work_ / "strata.yaml")
        << "version: 1\nschemas:\n  postgres: migrations\ntargets:\n  app:\n"
           "    engine: postgres\n    dsn: \"host=127.0.0.1 port="
        << strata::testing::TestClusterPort() << " user=postgres dbname=" << db_.name() << "\"\n";
    fs::create_directories(work_ / "migrations");
  }
  StrataRun Strata(std::vector<std::string> args) const {
    return RunStrata(args, {"PATH=/usr/bin:/bin", "NO_COLOR=1", "STRATA_ACTOR_NAME=alice"},
                     work_.path());
  }
  void Migration(const std::string& file, const std::string& sql) {
    std::ofstream(fs::path(work_ / "migrations") / file, std::ios::binary) << sql;
  }

  TempDir work_;
  TestDatabase db_;
};

TEST_F(StatusTest, PendingMigrationsAreReportedByNameWithTheStepThatRecordsThem) {
  Migration("20240101000000_core_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\n");
  StrataRun run = Strata({"migrate", "run", "--target", "app"});
  ASSERT_EQ(run.code, 0) << run;
  Migration("20240102000000_core_email.sql", "ALTER TABLE users ADD COLUMN email text;\n");

  StrataRun j = Strata({"status", "--json"});
  ASSERT_EQ(j.code, 0) << j;
  const json report = j.Json();
  const json& source = report["schemas"]["postgres"];
  EXPECT_EQ(source["engine"], "postgres") << report.dump(2);
  EXPECT_EQ(source["pending_changes"], 1) << report.dump(2);
  EXPECT_EQ(source["pending_migrations"], json::array({"20240102000000_core_email"}))
      << report.dump(2);
  EXPECT_FALSE(source.contains("error")) << report.dump(2);
  EXPECT_EQ(Strata({"status", "--detailed-exitcode"}).code, 3);

  StrataRun text = Strata({"status"});
  ASSERT_EQ(text.code, 0) << text;
  EXPECT_NE(text.out.find("20240102000000_core_email"), std::string::npos) << text;
  EXPECT_NE(text.out.find("run strata migrate run"), std::string::npos) << text;
  EXPECT_EQ(text.out.find("generate from postgres files is not supported"), std::string::npos)
      << text;
  EXPECT_NE(text.out.find("target   app"), std::string::npos) << text;  // listed, too

  // Once run, nothing is pending.
  ASSERT_EQ(Strata({"migrate", "run", "--target", "app"}).code, 0);
  StrataRun after = Strata({"status"});
  ASSERT_EQ(after.code, 0) << after;
  EXPECT_NE(after.out.find("schema   postgres: up to date with the log"), std::string::npos)
      << after;
  EXPECT_EQ(Strata({"status", "--json"}).Json()["schemas"]["postgres"]["pending_changes"], 0);
}

}  // namespace
}  // namespace strata::postgres
