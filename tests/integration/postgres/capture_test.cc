// Captured history: what `strata migrate run` records in the log, read back with the engine's
// commands (log, show, blame, verify), on a real server with the real binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "engine/store/commit_store.h"
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

class CaptureTest : public ::testing::Test {
 protected:
  StrataRun Strata(const TestDatabase& db, std::vector<std::string> args) const {
    return RunStrata(args,
                     {"PATH=/usr/bin:/bin", "NO_COLOR=1", "PGHOST=127.0.0.1",
                      "PGPORT=" + std::to_string(strata::testing::TestClusterPort()), "PGUSER=postgres",
                      "PGDATABASE=" + db.name(), "STRATA_ACTOR_NAME=alice",
                      "STRATA_ACTOR_EMAIL=alice@example.com"},
                     work_.path());
  }
  void Migration(const std::string& file, const std::string& sql) {
    fs::create_directories(work_ / "migrations");
    std::ofstream(fs::path(work_ / "migrations") / file, std::ios::binary) << sql;
  }
  json Log(const TestDatabase& db) { return Strata(db, {"log", "--json"}).Json(); }

  TempDir work_;
  TestDatabase app_;
};

TEST_F(CaptureTest, EachAppliedMigrationIsACommitWithItsTypedEventsAndSql) {
  Migration("20240101000000_core_users.sql",
            "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);\n");
  Migration("20240102000000_core_email.sql", "ALTER TABLE users ADD COLUMN email text;\n");
  StrataRun r = Strata(app_, {"migrate", "run", "migrations", "--json"});
  ASSERT_EQ(r.code, 0) << r;
  json j = r.Json();
  ASSERT_EQ(j["recorded"].size(), 2u) << j.dump(2);
  EXPECT_EQ(j["recorded"][0]["kind"], "migration");
  EXPECT_EQ(j["recorded"][1]["name"], "20240102000000_core_email");
  EXPECT_EQ(j["recorded"][1]["events"], 1);  // one added column, nothing else

  // The log: two migrate commits by alice, the SQL kept beside the events.
  json log = Log(app_);
  ASSERT_EQ(log["commits"].size(), 2u) << log.dump(2);
  EXPECT_EQ(log["commits"][0]["origin"], "migrate");
  EXPECT_EQ(log["commits"][0]["actor"]["name"], "alice");

  // Time travel renders DDL: before the second migration there is no email column.
  StrataRun before = Strata(app_, {"show", "--at", "1", "public.users"});
  ASSERT_EQ(before.code, 0) << before;
  EXPECT_NE(before.out.find("CREATE TABLE public.users"), std::string::npos) << before;
  EXPECT_EQ(before.out.find("email"), std::string::npos) << before;
  StrataRun now = Strata(app_, {"show", "public.users"});
  EXPECT_NE(now.out.find("email text"), std::string::npos) << now;

  // Blame names the migration that added the column.
  StrataRun blame = Strata(app_, {"blame", "public.users.email", "--json"});
  ASSERT_EQ(blame.code, 0) << blame;
  EXPECT_NE(blame.out.find("20240102000000_core_email"), std::string::npos) << blame;
  EXPECT_EQ(Strata(app_, {"verify"}).code, 0);
}

TEST_F(CaptureTest, ASecondDatabaseRecordsDeploymentsAndReportsDrift) {
  Migration("20240101000000_core_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\n");
  ASSERT_EQ(Strata(app_, {"migrate", "run", "migrations"}).code, 0);

  // Staging already has the column the next migration adds with IF NOT EXISTS: the same file
  // changes less there than it did on app.
  TestDatabase staging;
  ASSERT_EQ(Strata(staging, {"migrate", "run", "migrations"}).code, 0);
  Migration("20240102000000_core_email.sql",
            "ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;\n");
  ASSERT_EQ(Strata(app_, {"migrate", "run", "migrations"}).code, 0);
  auto conn = staging.Connect();
  ASSERT_TRUE(conn);
  ASSERT_TRUE(conn->ExecScript("ALTER TABLE users ADD COLUMN email text").ok());
  StrataRun r = Strata(staging, {"migrate", "run", "migrations", "--json"});
  ASSERT_EQ(r.code, 0) << r;
  json j = r.Json();
  ASSERT_EQ(j["recorded"].size(), 1u) << j.dump(2);
  EXPECT_EQ(j["recorded"][0]["kind"], "deployment");
  ASSERT_TRUE(j["recorded"][0]["drift"].is_string()) << j.dump(2);
  EXPECT_NE(j["recorded"][0]["drift"].get<std::string>().find("missing here"), std::string::npos);
  EXPECT_NE(r.err.find("warning: drift"), std::string::npos) << r;

  // Four commits: two migrations (the typed events, once) and two deployments.
  json log = Log(app_);
  ASSERT_EQ(log["commits"].size(), 4u) << log.dump(2);
  int deploys = 0, migrates = 0;
  for (const auto& c : log["commits"]) {
    deploys += c["origin"] == "deploy";
    migrates += c["origin"] == "migrate";
  }
  EXPECT_EQ(deploys, 2);
  EXPECT_EQ(migrates, 2);
}

// The database committed but the log append never happened (the process died in between):
// the next run notices the history row the log lacks and records it as recovered.
TEST_F(CaptureTest, AHistoryRowMissingFromTheLogIsRecordedAsRecovered) {
  Migration("20240101000000_core_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\n");
  ASSERT_EQ(Strata(app_, {"migrate", "run", "migrations"}).code, 0);
  // What a run that died after psql's commit leaves behind: the table and its history row.
  auto conn = app_.Connect();
  ASSERT_TRUE(conn);
  const std::string sql = "CREATE TABLE tags (name text PRIMARY KEY);\n";
  Migration("20240102000000_core_tags.sql", sql);
  ASSERT_TRUE(conn->ExecScript("BEGIN; " + sql +
                               "INSERT INTO migrations_core(migration_name, migration_hash, "
                               "execution_time_ms) VALUES ('20240102000000_core_tags', '" +
                               HashHex(Sha256(sql)) + "', 3); COMMIT;")
                  .ok());

  StrataRun r = Strata(app_, {"migrate", "run", "migrations", "--json"});
  ASSERT_EQ(r.code, 0) << r;
  json j = r.Json();
  ASSERT_EQ(j["recorded"].size(), 1u) << j.dump(2);
  EXPECT_EQ(j["recorded"][0]["kind"], "recovered");
  EXPECT_EQ(j["recorded"][0]["events"], 1);  // the tags table

  json log = Log(app_);
  ASSERT_EQ(log["commits"].size(), 2u);
  EXPECT_EQ(log["commits"][0]["origin"], "recovered");  // newest first
  EXPECT_EQ(Strata(app_, {"show", "public.tags"}).code, 0);

  // Nothing is recorded twice.
  StrataRun again = Strata(app_, {"migrate", "run", "migrations", "--json"});
  ASSERT_EQ(again.code, 0) << again;
  EXPECT_TRUE(again.Json()["recorded"].empty());
  EXPECT_EQ(Log(app_)["commits"].size(), 2u);
}

TEST_F(CaptureTest, AFailedMigrationRecordsNothing) {
  Migration("20240101000000_core_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\n");
  Migration("20240102000000_core_broken.sql", "CREATE TABLE t (x int);\nSELECT 1/0;\n");
  StrataRun r = Strata(app_, {"migrate", "run", "migrations"});
  EXPECT_NE(r.code, 0) << r;
  json log = Log(app_);
  ASSERT_EQ(log["commits"].size(), 1u) << log.dump(2);
  StrataRun show = Strata(app_, {"show", "public.t"});
  EXPECT_NE(show.code, 0) << show;
}

}  // namespace
}  // namespace strata::postgres

namespace strata::postgres {
namespace {

TEST_F(CaptureTest, DriftComparesALiveDatabaseWithTheRecordedSchema) {
  Migration("20240101000000_core_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\n");
  ASSERT_EQ(Strata(app_, {"migrate", "run", "migrations"}).code, 0);
  StrataRun clean = Strata(app_, {"drift"});
  EXPECT_EQ(clean.code, 0) << clean;
  EXPECT_NE(clean.out.find("No drift"), std::string::npos) << clean;

  // A change behind strata's back.
  auto conn = app_.Connect();
  ASSERT_TRUE(conn);
  ASSERT_TRUE(conn->ExecScript("ALTER TABLE users ADD COLUMN nickname text").ok());
  StrataRun drift = Strata(app_, {"drift", "--json"});
  EXPECT_EQ(drift.code, 3) << drift;
  json j = drift.Json();
  EXPECT_EQ(j["drift"], true);
  ASSERT_EQ(j["changes"].size(), 1u) << j.dump(2);
  EXPECT_NE(j["changes"][0].dump().find("nickname"), std::string::npos) << j.dump(2);
}

TEST_F(CaptureTest, ReplayRebuildsTheRecordedSchemaInAnEmptyDatabase) {
  Migration("20240101000000_core_users.sql",
            "CREATE TYPE mood AS ENUM ('ok', 'sad');\n"
            "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, m mood);\n");
  Migration("20240102000000_core_email.sql",
            "\\set col email\nALTER TABLE users ADD COLUMN :col text UNIQUE;\n");
  Migration("20240103000000_feature_audit.sql",
            "CREATE TABLE audit (at timestamptz DEFAULT now(), who bigint REFERENCES users(id));\n");
  ASSERT_EQ(Strata(app_, {"migrate", "run", "migrations"}).code, 0);

  TestDatabase fresh;
  StrataRun r = Strata(fresh, {"replay", "--json"});
  ASSERT_EQ(r.code, 0) << r;
  json j = r.Json();
  EXPECT_EQ(j["matches"], true) << j.dump(2);
  EXPECT_EQ(j["replayed"].size(), 3u);
  EXPECT_EQ(Strata(fresh, {"drift"}).code, 0);

  // Up to the first migration only: no email column, no audit table.
  TestDatabase early;
  StrataRun part = Strata(early, {"replay", "--until", "1", "--json"});
  ASSERT_EQ(part.code, 0) << part;
  EXPECT_EQ(part.Json()["replayed"].size(), 1u);
  auto conn = early.Connect();
  ASSERT_TRUE(conn);
  auto cols = conn->Exec("SELECT count(*) FROM information_schema.columns "
                         "WHERE table_name = 'users' AND column_name = 'email'", {});
  ASSERT_TRUE(cols.ok());
  EXPECT_EQ(cols->rows[0][0].value_or(""), "0");

  // A database that is not empty is refused, and left as it was.
  StrataRun again = Strata(fresh, {"replay"});
  EXPECT_EQ(again.code, 1) << again;
  EXPECT_NE(again.err.find("is not empty"), std::string::npos) << again;
}

}  // namespace
}  // namespace strata::postgres

namespace strata::postgres {
namespace {

// Recovery from any recording failure: whatever the log lacks of the live database (a capture
// that failed, a change made by hand) is re-captured with `strata import`, after which drift
// is clean and the next run goes on from there.
TEST_F(CaptureTest, ImportReCapturesWhatTheLogLacksOfTheLiveDatabase) {
  Migration("20240101000000_core_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\n");
  ASSERT_EQ(Strata(app_, {"migrate", "run", "migrations"}).code, 0);
  auto conn = app_.Connect();
  ASSERT_TRUE(conn);
  ASSERT_TRUE(conn->ExecScript("ALTER TABLE users ADD COLUMN nickname text;"
                               "CREATE TYPE e AS ENUM ('a', '');")
                  .ok());
  ASSERT_EQ(Strata(app_, {"drift"}).code, 3);
  StrataRun import = Strata(app_, {"import", "--json"});
  ASSERT_EQ(import.code, 0) << import;
  EXPECT_TRUE(import.Json()["seq"].is_number()) << import;
  StrataRun drift = Strata(app_, {"drift"});
  EXPECT_EQ(drift.code, 0) << drift;
  json log = Log(app_);
  ASSERT_EQ(log["commits"].size(), 2u) << log.dump(2);
  EXPECT_EQ(log["commits"][0]["origin"], "import");
  Migration("20240102000000_core_more.sql", "ALTER TABLE users ADD COLUMN more int;\n");
  ASSERT_EQ(Strata(app_, {"migrate", "run", "migrations"}).code, 0);
  EXPECT_EQ(Strata(app_, {"drift"}).code, 0);
}

// A renamed table keeps its history: log and blame under the new name go back to the commits
// made under the old one, and show at an earlier point finds it under the name it had then.
TEST_F(CaptureTest, LogAndBlameFollowARenamedTable) {
  Migration("20240101000000_core_film.sql",
            "CREATE TABLE film (film_id int PRIMARY KEY, title text NOT NULL);\n");
  Migration("20240102000000_core_rating.sql", "ALTER TABLE film ADD COLUMN rating int;\n");
  Migration("20240103000000_core_rename.sql",
            "ALTER TABLE film RENAME TO movie;\nALTER TABLE movie RENAME COLUMN title TO name;\n");
  ASSERT_EQ(Strata(app_, {"migrate", "run", "migrations"}).code, 0);
  StrataRun log = Strata(app_, {"log", "--json", "public.movie"});
  ASSERT_EQ(log.code, 0) << log;
  EXPECT_EQ(log.Json()["commits"].size(), 3u) << log;
  StrataRun blame = Strata(app_, {"blame", "--json", "public.movie"});
  ASSERT_EQ(blame.code, 0) << blame;
  bool rating_from_2 = false;
  const json lines = blame.Json()["lines"];
  for (const auto& line : lines) {
    if (line["path"] == "columns[rating].type") rating_from_2 = line["seq"] == 2;
  }
  EXPECT_TRUE(rating_from_2) << blame;
  StrataRun events = Strata(app_, {"log", "-n", "1", "-e"});
  EXPECT_NE(events.out.find("rename table to movie"), std::string::npos) << events;
  EXPECT_NE(events.out.find("rename column title to name"), std::string::npos) << events;
  StrataRun then = Strata(app_, {"show", "--at", "2", "public.film"});
  EXPECT_EQ(then.code, 0) << then;
  EXPECT_NE(then.out.find("rating integer"), std::string::npos) << then;
}

}  // namespace
}  // namespace strata::postgres
