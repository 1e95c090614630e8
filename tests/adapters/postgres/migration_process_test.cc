#include "adapters/postgres/migration_process.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>

namespace strata::postgres {
namespace {

// Records requests and answers with canned results.
class FakeRunner : public common::ProcessRunner {
 public:
  Result<common::ProcessResult> Run(const common::ProcessRequest& request) override {
    requests.push_back(request);
    if (results.empty()) return common::ProcessResult{};
    common::ProcessResult r = results.front();
    results.pop_front();
    return r;
  }
  std::vector<common::ProcessRequest> requests;
  std::deque<common::ProcessResult> results;
};

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool AnyContains(const std::vector<std::string>& v, const std::string& s) {
  return std::any_of(v.begin(), v.end(),
                     [&](const std::string& x) { return x.find(s) != std::string::npos; });
}

MigrationFile File(const std::string& stem) {
  MigrationFile f;
  f.name = *ParseMigrationStem(stem);
  f.path = "/m/" + stem + ".sql";
  return f;
}

const MigrationVariables kVars = {"20240101_core_x", "core", "20240101", "uuid-1"};

TEST(ChildSetupTest, EmptyConninfoLeavesTheEnvironmentAlone) {
  auto s = MakeChildSetup("/usr/bin/psql", "", {"PATH=/bin", "PGHOST=db"});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->environment, (std::vector<std::string>{"PATH=/bin", "PGHOST=db"}));
  EXPECT_EQ(s->psql_conninfo, "");
}

TEST(ChildSetupTest, TheDsnGoesToTheEnvironmentAndThePasswordNeverToTheCommandLine) {
  auto s = MakeChildSetup("/usr/bin/psql", "postgresql://app:s3cret@db.local:6543/shop?sslmode=disable",
                          {"PATH=/bin", "PGHOST=elsewhere"});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(Has(s->environment, "PGHOST=db.local"));
  EXPECT_FALSE(Has(s->environment, "PGHOST=elsewhere"));
  EXPECT_TRUE(Has(s->environment, "PGPORT=6543"));
  EXPECT_TRUE(Has(s->environment, "PGDATABASE=shop"));
  EXPECT_TRUE(Has(s->environment, "PGUSER=app"));
  EXPECT_TRUE(Has(s->environment, "PGPASSWORD=s3cret"));
  EXPECT_TRUE(Has(s->environment, "PGSSLMODE=disable"));
  EXPECT_EQ(s->psql_conninfo.find("s3cret"), std::string::npos);
  EXPECT_NE(s->psql_conninfo.find("host='db.local'"), std::string::npos);
  const common::ProcessRequest r = MigrationRequest(*s, File("20240101_core_x"), kVars, "INSERT 1");
  EXPECT_FALSE(AnyContains(r.argv, "s3cret"));
}

TEST(ChildSetupTest, ABadDsnDoesNotRepeatIt) {
  auto s = MakeChildSetup("/usr/bin/psql", "host=db password=s3cret bogus", {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(s.status().message().find("s3cret"), std::string::npos);
}

TEST(MigrationRequestTest, OneTransactionWithTheHistoryRowAndTheVariables) {
  ChildSetup setup{"/usr/bin/psql", {"PATH=/bin"}, ""};
  const common::ProcessRequest r =
      MigrationRequest(setup, File("20240101_core_x"), kVars, "INSERT 1");
  EXPECT_EQ(r.argv, (std::vector<std::string>{
                        "/usr/bin/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-v",
                        "migration_name=20240101_core_x", "-v", "track_name=core", "-v",
                        "migration_timestamp=20240101", "-v", "execution_id=uuid-1", "-1", "-f",
                        "/m/20240101_core_x.sql", "-c", "INSERT 1"}));
  EXPECT_TRUE(r.merge_stderr);
  EXPECT_EQ(r.environment, setup.environment);
}

TEST(MigrationRequestTest, NoTransactionMigrationsRunAloneWithoutDashOne) {
  ChildSetup setup{"/usr/bin/psql", {}, "host='h'"};
  MigrationFile f = File("20240101_core_x");
  f.no_transaction = true;
  const common::ProcessRequest r = MigrationRequest(setup, f, kVars, "INSERT 1");
  EXPECT_FALSE(Has(r.argv, "-1"));
  EXPECT_FALSE(Has(r.argv, "INSERT 1"));
  EXPECT_TRUE(Has(r.argv, "host='h'"));
  EXPECT_EQ(r.argv.back(), "/m/20240101_core_x.sql");
}

TEST(ValidationTest, ExecutablesGetTheVariablesInTheirEnvironmentAndRunInTheirDirectory) {
  ChildSetup setup{"/usr/bin/psql", {"PATH=/bin", "TRACK_NAME=stale"}, ""};
  MigrationFile f = File("20240101_core_x");
  f.validation = ValidationScript{ValidationKind::kExecutable, "/m/checks/20240101_core_x.sh"};
  const common::ProcessRequest r = ValidationRequest(setup, f, kVars);
  EXPECT_EQ(r.argv, (std::vector<std::string>{"/m/checks/20240101_core_x.sh"}));
  EXPECT_EQ(r.working_dir, "/m/checks");
  EXPECT_TRUE(Has(r.environment, "MIGRATION_NAME=20240101_core_x"));
  EXPECT_TRUE(Has(r.environment, "TRACK_NAME=core"));
  EXPECT_FALSE(Has(r.environment, "TRACK_NAME=stale"));
  EXPECT_TRUE(Has(r.environment, "MIGRATION_TIMESTAMP=20240101"));
  EXPECT_TRUE(Has(r.environment, "EXECUTION_ID=uuid-1"));
  EXPECT_TRUE(Has(r.environment, "MIGRATION_FILE=/m/20240101_core_x.sql"));
  EXPECT_TRUE(Has(r.environment, "PATH=/bin"));
}

TEST(ValidationTest, CheckSqlRunsInATransactionThatIsRolledBack) {
  ChildSetup setup{"/usr/bin/psql", {}, ""};
  MigrationFile f = File("20240101_core_x");
  f.validation = ValidationScript{ValidationKind::kCheckSql, "/m/20240101_core_x.check.sql"};
  const common::ProcessRequest r = ValidationRequest(setup, f, kVars);
  const std::vector<std::string> tail(r.argv.end() - 8, r.argv.end());
  EXPECT_EQ(tail, (std::vector<std::string>{"-t", "-A", "-c", "BEGIN", "-f",
                                            "/m/20240101_core_x.check.sql", "-c", "ROLLBACK"}));
  EXPECT_TRUE(Has(r.argv, "migration_name=20240101_core_x"));
  EXPECT_FALSE(r.merge_stderr);
}

TEST(ValidationTest, OutcomesFromExitCodesAndPrintedRows) {
  ChildSetup setup{"/usr/bin/psql", {}, ""};
  FakeRunner runner;
  MigrationFile none = File("1_core_a");
  auto r = RunValidation(runner, setup, none, kVars);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
  EXPECT_TRUE(runner.requests.empty());

  MigrationFile exe = File("1_core_a");
  exe.validation = ValidationScript{ValidationKind::kExecutable, "/m/1_core_a.sh"};
  runner.results = {{0, "all good\n", ""}, {2, "orders has NULLs\n", ""}};
  r = RunValidation(runner, setup, exe, kVars);
  ASSERT_TRUE(r.ok() && *r);
  EXPECT_TRUE((*r)->passed);
  r = RunValidation(runner, setup, exe, kVars);
  ASSERT_TRUE(r.ok() && *r);
  EXPECT_FALSE((*r)->passed);
  EXPECT_EQ((*r)->exit_code, 2);
  EXPECT_EQ((*r)->output, "orders has NULLs\n");

  MigrationFile check = File("1_core_a");
  check.validation = ValidationScript{ValidationKind::kCheckSql, "/m/1_core_a.check.sql"};
  runner.results = {{0, "\n", "NOTICE:  fine\n"}, {0, "17|null email\n", ""}, {3, "", "ERROR: x\n"}};
  r = RunValidation(runner, setup, check, kVars);
  EXPECT_TRUE((*r)->passed);  // a notice is not a row
  r = RunValidation(runner, setup, check, kVars);
  EXPECT_FALSE((*r)->passed);
  EXPECT_EQ((*r)->output, "17|null email\n");
  r = RunValidation(runner, setup, check, kVars);
  EXPECT_FALSE((*r)->passed);
  EXPECT_EQ((*r)->output, "ERROR: x\n");
}

}  // namespace
}  // namespace strata::postgres
