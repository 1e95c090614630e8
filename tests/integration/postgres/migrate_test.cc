// strata migrate, as users run it: the real binary, real psql, a fresh database per test.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "adapters/postgres/history_table.h"
#include "adapters/postgres/migration_files.h"
#include "adapters/common/process_runner.h"
#include "integration/postgres/test_database.h"
#include "tests/engine/testing/temp_dir.h"
#include "tests/support/strata_runner.h"

namespace strata::postgres {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using strata::testing::TempDir;
using strata::testing::TestDatabase;

using Cli = strata::testing::StrataRun;

void Write(const std::string& path, const std::string& body, bool executable = false) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << body;
  if (executable) ::chmod(path.c_str(), 0755);
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class MigrateTest : public ::testing::Test {
 protected:
  // The libpq environment of the test database, as a user would export it.
  std::vector<std::string> Environment() const {
    return {"PATH=/usr/bin:/bin", "NO_COLOR=1", "PGHOST=127.0.0.1",
            "PGPORT=" + std::to_string(strata::testing::TestClusterPort()), "PGUSER=postgres",
            "PGDATABASE=" + db_.name()};
  }

  Cli Strata(std::vector<std::string> args, std::vector<std::string> env = {}) const {
    if (env.empty()) env = Environment();
    return strata::testing::RunStrata(args, env, work_.path());
  }

  std::string Dir() const { return work_ / "migrations"; }
  void Migration(const std::string& file, const std::string& sql) { Write(Dir() + "/" + file, sql); }

  // The first column of a query's rows ("NULL" for NULL).
  std::vector<std::string> Column(const std::string& sql) {
    std::vector<std::string> out;
    auto r = conn_->Exec(sql);
    if (!r.ok()) {
      ADD_FAILURE() << r.status().ToString();
      return out;
    }
    for (const auto& row : r->rows) out.push_back(row[0].value_or("NULL"));
    return out;
  }
  bool TableExists(const std::string& name) {
    return Column("SELECT to_regclass(" + Connection::QuoteLiteral(name) + ")::text")[0] != "NULL";
  }
  std::vector<std::string> History(const std::string& track = "core") {
    return Column("SELECT migration_name FROM public." + Connection::QuoteIdent("migrations_" + track) +
                  " ORDER BY id");
  }

  TestDatabase db_;
  TempDir work_;
  std::unique_ptr<Connection> conn_ = db_.Connect();
};

using Names = std::vector<std::string>;

TEST_F(MigrateTest, AppliesInOrderRecordsEveryColumnAndAReRunDoesNothing) {
  Migration("20240101000000_core_create_users.sql", "CREATE TABLE users (id int);\n");
  Migration("20240102000000_core_add_email.sql", "ALTER TABLE users ADD COLUMN email text;\n");
  Cli run = Strata({"migrate", "run", "migrations"});
  ASSERT_EQ(run.code, 0) << run;
  EXPECT_TRUE(Contains(run.out, "applied 20240101000000_core_create_users")) << run;
  EXPECT_TRUE(Contains(run.out, "Applied 2 migration(s).")) << run;
  EXPECT_EQ(History(), (Names{"20240101000000_core_create_users", "20240102000000_core_add_email"}));
  auto rows = conn_->Exec(
      "SELECT migration_hash, applied_at IS NOT NULL, execution_time_ms IS NOT NULL, "
      "applied_at <= (now() AT TIME ZONE 'UTC') + interval '1 minute' "
      "FROM migrations_core ORDER BY id");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->rows[0][0], Sha256Hex("CREATE TABLE users (id int);\n"));
  EXPECT_EQ(rows->rows[0][1], "t");
  EXPECT_EQ(rows->rows[0][2], "t");
  EXPECT_EQ(rows->rows[0][3], "t");
  // The table's layout is the original tool's.
  EXPECT_EQ(Column("SELECT column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') "
                   "FROM information_schema.columns WHERE table_name = 'migrations_core' ORDER BY ordinal_position"),
            (Names{"id integer", "migration_name character varying(255)",
                   "migration_hash character varying(64)", "applied_at timestamp without time zone",
                   "execution_time_ms integer"}));

  Cli again = Strata({"migrate", "run", "migrations"});
  ASSERT_EQ(again.code, 0) << again;
  EXPECT_TRUE(Contains(again.out, "Nothing to apply")) << again;
  EXPECT_EQ(History().size(), 2u);
}

TEST_F(MigrateTest, AMalformedNameStopsEverythingAndNamesTheFile) {
  Migration("20240101000000_core_ok.sql", "CREATE TABLE ok (id int);");
  Migration("add_users.sql", "CREATE TABLE users (id int);");
  Write(Dir() + "/README.md", "notes are not migrations");
  Cli run = Strata({"migrate", "run", "migrations"});
  EXPECT_EQ(run.code, 1) << run;
  EXPECT_TRUE(Contains(run.err, "migrations/add_users.sql: timestamp \"add\" is not all digits; "
                                "expected {timestamp}_{track}_{description}.sql"))
      << run;
  EXPECT_FALSE(TableExists("ok"));
  EXPECT_FALSE(TableExists("migrations_core"));
}

TEST_F(MigrateTest, TracksRunCoreFirstThenAlphabeticallyWhateverTheirTimestamps) {
  Migration("core/50_core_log.sql", "CREATE TABLE run_order (id serial, name text);\n"
                                    "INSERT INTO run_order (name) VALUES (:'migration_name');\n");
  Migration("core/60_core_more.sql", "INSERT INTO run_order (name) VALUES (:'migration_name');\n");
  Migration("zeta/1_zeta_a.sql", "INSERT INTO run_order (name) VALUES (:'migration_name');\n");
  Migration("alpha/2_alpha_a.sql", "INSERT INTO run_order (name) VALUES (:'migration_name');\n");
  Migration("alpha/10_alpha_b.sql", "INSERT INTO run_order (name) VALUES (:'migration_name');\n");
  Cli run = Strata({"migrate", "run", "migrations"});
  ASSERT_EQ(run.code, 0) << run;
  EXPECT_EQ(Column("SELECT name FROM run_order ORDER BY id"),
            (Names{"50_core_log", "60_core_more", "2_alpha_a", "10_alpha_b", "1_zeta_a"}));
  EXPECT_EQ(History("alpha"), (Names{"2_alpha_a", "10_alpha_b"}));
  EXPECT_EQ(History("zeta"), (Names{"1_zeta_a"}));
}

TEST_F(MigrateTest, TrackFlagRunsOneTrack) {
  Migration("1_core_a.sql", "CREATE TABLE a (id int);");
  Migration("2_other_b.sql", "CREATE TABLE b (id int);");
  Cli run = Strata({"migrate", "run", "migrations", "--track", "other"});
  ASSERT_EQ(run.code, 0) << run;
  EXPECT_TRUE(TableExists("b"));
  EXPECT_FALSE(TableExists("a"));
  Cli bad = Strata({"migrate", "run", "migrations", "--track", "nope"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_TRUE(Contains(bad.err, "no migrations of track \"nope\" (tracks there: core, other)")) << bad;
}

TEST_F(MigrateTest, AFailingMigrationRollsBackAndStopsTheRun) {
  Migration("1_core_first.sql", "CREATE TABLE first (id int);\n");
  Migration("2_core_broken.sql", "CREATE TABLE broken (id int);\nINSERT INTO broken VALUES (1);\n"
                                 "SELECT 1 / 0;\n");
  Migration("3_core_after.sql", "CREATE TABLE after (id int);\n");
  // strata runs these itself; with --with-psql, psql does; both report the same way.
  Cli with_psql = Strata({"migrate", "run", "migrations", "--with-psql"});
  EXPECT_EQ(with_psql.code, 1) << with_psql;
  EXPECT_TRUE(Contains(with_psql.err, "2_core_broken.sql:3: ERROR:  division by zero")) << with_psql;
  EXPECT_TRUE(Contains(with_psql.err, "failed (psql exit 3); it was rolled back, and later "
                                      "migrations were not run"))
      << with_psql;
  EXPECT_FALSE(TableExists("broken"));
  EXPECT_EQ(History(), (Names{"1_core_first"}));

  Cli run = Strata({"migrate", "run", "migrations"});
  EXPECT_EQ(run.code, 1) << run;
  EXPECT_TRUE(Contains(run.err, "2_core_broken.sql:3: ERROR:  division by zero")) << run;
  EXPECT_TRUE(Contains(run.err, "failed (a statement failed); it was rolled back, and later "
                                "migrations were not run"))
      << run;
  EXPECT_TRUE(TableExists("first"));
  EXPECT_FALSE(TableExists("broken"));
  EXPECT_FALSE(TableExists("after"));
  EXPECT_EQ(History(), (Names{"1_core_first"}));

  Cli j = Strata({"--json", "migrate", "run", "migrations"});
  EXPECT_EQ(j.code, 1);
  json doc = j.Json();
  EXPECT_EQ(doc["ok"], false);
  EXPECT_EQ(doc["applied"].size(), 0u);
  EXPECT_EQ(doc["failed"]["name"], "2_core_broken");
  EXPECT_EQ(doc["failed"]["stage"], "migration");
  EXPECT_EQ(doc["failed"]["exit_code"], 3);
  EXPECT_TRUE(Contains(doc["failed"]["output"].get<std::string>(), "2_core_broken.sql:3:")) << j;
}

// A migration that sets a short statement timeout for itself does not fail strata's own
// bookkeeping after its statements, by strata or by psql. The history insert is made slow on
// purpose (a trigger) so that the timeout would surely hit it.
TEST_F(MigrateTest, AMigrationsOwnTimeoutDoesNotGovernTheHistoryInsert) {
  Migration("1_core_first.sql", "CREATE TABLE first (id int);\n");
  ASSERT_EQ(Strata({"migrate", "run", "migrations"}).code, 0);
  ASSERT_TRUE(conn_->ExecScript(
                      "CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                      "PERFORM pg_sleep(0.05); RETURN NEW; END $$;\n"
                      "CREATE TRIGGER slow BEFORE INSERT ON migrations_core FOR EACH ROW "
                      "EXECUTE FUNCTION slow();")
                  .ok());
  Migration("2_core_timeout.sql", "SET statement_timeout = '10ms';\nCREATE TABLE second (id int);\n");
  Cli run = Strata({"migrate", "run", "migrations"});
  ASSERT_EQ(run.code, 0) << run;
  Migration("3_core_timeout_psql.sql",
            "SET lock_timeout = '1ms';\nSET statement_timeout = '10ms';\nCREATE TABLE third (id int);\n");
  Cli psql = Strata({"migrate", "run", "--with-psql", "migrations"});
  ASSERT_EQ(psql.code, 0) << psql;
  EXPECT_EQ(History(), (Names{"1_core_first", "2_core_timeout", "3_core_timeout_psql"}));
}

// strata runs a migration that uses nothing of psql itself, over its own connection: the same
// statements psql would send, one by one, each migration in a fresh session.
TEST_F(MigrateTest, StrataRunsPlainMigrationsItselfAndPsqlTheRest) {
  conn_->ExecScript("CREATE SCHEMA other").ok();
  Migration("1_core_session.sql",
            "SET search_path = other;\n"
            "CREATE TABLE in_other (id int);\n"
            "CREATE TEMP TABLE scratch (id int);\n"
            "SET statement_timeout = '1ms';\n"
            "SET ROLE postgres;\n");
  // Nothing of the first migration's session reaches the second.
  Migration("2_core_fresh.sql",
            "CREATE TABLE in_public (id int);\n"
            "CREATE TEMP TABLE scratch (id int);\n"
            "SELECT pg_sleep(0.01);\n");
  Migration("3_core_vars.sql", "CREATE TABLE :\"migration_name\" (id int);\n");
  Migration("4_core_body.sql",
            "CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $$\n"
            "DECLARE x text := 'a;b';\nBEGIN\n  RETURN x;\nEND $$;\n"
            "CREATE FUNCTION g() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND;\n"
            "COMMENT ON FUNCTION f() IS 'it''s; fine';\n");
  Cli run = Strata({"migrate", "run", "migrations"});
  ASSERT_EQ(run.code, 0) << run;
  EXPECT_TRUE(Contains(run.out, "applied 3_core_vars in")) << run;
  EXPECT_TRUE(Contains(run.out, " (by psql: line 1: a psql variable)\n")) << run;
  EXPECT_EQ(run.out.find("(by psql"), run.out.rfind("(by psql")) << run;  // only that one
  EXPECT_TRUE(TableExists("other.in_other"));
  EXPECT_TRUE(TableExists("public.in_public"));
  EXPECT_TRUE(TableExists("public.\"3_core_vars\""));
  EXPECT_EQ(Column("SELECT f() || ' ' || g()::text"), (Names{"a;b 2"}));
  EXPECT_EQ(Column("SELECT obj_description('f()'::regprocedure)"), (Names{"it's; fine"}));
  EXPECT_EQ(History(), (Names{"1_core_session", "2_core_fresh", "3_core_vars", "4_core_body"}));

  Migration("5_core_echo.sql", "\\echo hello\nCREATE TABLE echoed (id int);\n");
  Migration("6_core_plain.sql", "CREATE TABLE plain (id int);\n");
  Cli json_run = Strata({"--json", "migrate", "run", "migrations"});
  ASSERT_EQ(json_run.code, 0) << json_run;
  const json applied = json_run.Json()["applied"];
  ASSERT_EQ(applied.size(), 2u) << json_run;
  EXPECT_EQ(applied[0]["ran_with"], "psql");
  EXPECT_EQ(applied[0]["psql_because"], "line 1: a psql meta-command");
  EXPECT_EQ(applied[1]["ran_with"], "strata");
  EXPECT_EQ(applied[1]["psql_because"], nullptr);

  Migration("7_core_all_psql.sql", "CREATE TABLE by_psql (id int);\n");
  Cli all_psql = Strata({"--json", "migrate", "run", "migrations", "--with-psql"});
  ASSERT_EQ(all_psql.code, 0) << all_psql;
  EXPECT_EQ(all_psql.Json()["applied"][0]["ran_with"], "psql");
  EXPECT_EQ(all_psql.Json()["applied"][0]["psql_because"], "--with-psql");
  EXPECT_TRUE(TableExists("public.by_psql"));
}

// Errors point at the line the server names inside a statement, notices before an error are
// shown with theirs, and a failed no-transaction migration keeps what psql would have kept.
TEST_F(MigrateTest, StrataRunsReportTheLineOfTheErrorAndKeepWhatPsqlWouldKeep) {
  Migration("1_core_typo.sql",
            "DO $$ BEGIN RAISE NOTICE 'before the typo'; END $$;\n"
            "CREATE TABLE ok (id int);\n"
            "CREATE TABLE typo (\n"
            "  id int,\n"
            "  name txet\n"
            ");\n");
  Cli run = Strata({"migrate", "run", "migrations"});
  EXPECT_EQ(run.code, 1) << run;
  EXPECT_TRUE(Contains(run.err, "1_core_typo.sql:1: NOTICE:  before the typo")) << run;
  EXPECT_TRUE(Contains(run.err, "1_core_typo.sql:5: ERROR:  type \"txet\" does not exist")) << run;
  EXPECT_FALSE(TableExists("ok"));
  EXPECT_EQ(History(), Names{});
  fs::remove(Dir() + "/1_core_typo.sql");

  Migration("2_core_loose.sql",
            "-- strata:no-transaction\n"
            "CREATE TABLE kept (id int);\n"
            "BEGIN;\n"
            "CREATE TABLE rolled_back (id int);\n"
            "SELECT 1 / 0;\n"
            "COMMIT;\n");
  Cli loose = Strata({"migrate", "run", "migrations"});
  EXPECT_EQ(loose.code, 1) << loose;
  EXPECT_TRUE(Contains(loose.err, "2_core_loose.sql:5: ERROR:  division by zero")) << loose;
  EXPECT_TRUE(Contains(loose.err, "ran without a transaction")) << loose;
  EXPECT_TRUE(TableExists("kept"));
  EXPECT_FALSE(TableExists("rolled_back"));
  EXPECT_EQ(History(), Names{});
}

TEST_F(MigrateTest, PsqlVariablesAreSetAndEchoed) {
  const std::string body =
      "\\echo name=:migration_name track=:track_name ts=:migration_timestamp\n"
      "CREATE TABLE IF NOT EXISTS vars (name text, track text, ts text, id text);\n"
      "INSERT INTO vars VALUES (:'migration_name', :'track_name', :'migration_timestamp', "
      ":'execution_id');\n"
      "\\if :{?execution_id}\n\\echo have id\n\\endif\n";
  Migration("20241041125800_core_vars.sql", body);
  Migration("20241041125801_core_vars_again.sql", body);
  Cli run = Strata({"migrate", "run", "migrations"});
  ASSERT_EQ(run.code, 0) << run;
  EXPECT_TRUE(Contains(run.out, "name=20241041125800_core_vars track=core ts=20241041125800")) << run;
  EXPECT_TRUE(Contains(run.out, "have id")) << run;
  auto rows = conn_->Exec("SELECT name, track, ts, id FROM vars ORDER BY name");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->rows.size(), 2u);
  EXPECT_EQ(rows->rows[0][0], "20241041125800_core_vars");
  EXPECT_EQ(rows->rows[0][1], "core");
  EXPECT_EQ(rows->rows[0][2], "20241041125800");
  const std::string id = rows->rows[0][3].value_or("");
  EXPECT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << id;
  EXPECT_EQ(rows->rows[1][3], id);  // one id per run
}

TEST_F(MigrateTest, ExecutionIdDiffersBetweenRunsAndIsInTheJson) {
  Migration("1_core_a.sql", "CREATE TABLE ids (id text); INSERT INTO ids VALUES (:'execution_id');");
  Cli first = Strata({"--json", "migrate", "run", "migrations"});
  ASSERT_EQ(first.code, 0) << first;
  EXPECT_EQ(first.Json()["execution_id"], Column("SELECT id FROM ids")[0]);
  Migration("2_core_b.sql", "INSERT INTO ids VALUES (:'execution_id');");
  Cli second = Strata({"--json", "migrate", "run", "migrations"});
  ASSERT_EQ(second.code, 0) << second;
  const auto ids = Column("SELECT id FROM ids");
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_NE(ids[0], ids[1]);
}

TEST_F(MigrateTest, AFailingValidationScriptBlocksItsMigrationWithItsOutput) {
  Migration("1_core_first.sql", "CREATE TABLE first (id int);");
  Migration("2_core_guarded.sql", "CREATE TABLE guarded (id int);");
  Write(Dir() + "/2_core_guarded.sh",
        "#!/bin/sh\necho \"refusing $MIGRATION_NAME on $TRACK_NAME in $PGDATABASE ($(basename \"$PWD\"))\"\n"
        "psql -X -At -c 'SELECT count(*) FROM first' >&2\nexit 4\n",
        true);
  Migration("3_core_later.sql", "CREATE TABLE later (id int);");
  Cli run = Strata({"migrate", "run", "migrations"});
  EXPECT_EQ(run.code, 1) << run;
  EXPECT_TRUE(Contains(run.err, "refusing 2_core_guarded on core in " + db_.name() + " (migrations)")) << run;
  EXPECT_TRUE(Contains(run.err, "blocked 2_core_guarded (exit 4); it was not applied")) << run;
  EXPECT_TRUE(Contains(run.err, "\n  0\n")) << run;  // the script reached the database
  EXPECT_TRUE(TableExists("first"));
  EXPECT_FALSE(TableExists("guarded"));
  EXPECT_FALSE(TableExists("later"));
  EXPECT_EQ(History(), (Names{"1_core_first"}));

  // Once the script passes, the migration runs; validation scripts are never migrations.
  Write(Dir() + "/2_core_guarded.sh", "#!/bin/sh\nexit 0\n", true);
  Cli ok = Strata({"migrate", "run", "migrations"});
  ASSERT_EQ(ok.code, 0) << ok;
  EXPECT_EQ(History(), (Names{"1_core_first", "2_core_guarded", "3_core_later"}));
}

TEST_F(MigrateTest, ACheckSqlBlocksWhenItReturnsRowsAndChangesNothing) {
  Migration("1_core_users.sql", "CREATE TABLE users (id int, email text);\n"
                                "INSERT INTO users VALUES (1, NULL);\n");
  Migration("2_core_not_null.sql", "ALTER TABLE users ALTER COLUMN email SET NOT NULL;");
  Write(Dir() + "/2_core_not_null.check.sql",
        "CREATE TABLE scratch (x int);\n"
        "SELECT id, :'migration_name' FROM users WHERE email IS NULL;\n");
  Cli run = Strata({"migrate", "run", "migrations"});
  EXPECT_EQ(run.code, 1) << run;
  EXPECT_TRUE(Contains(run.err, "1|2_core_not_null")) << run;
  EXPECT_TRUE(Contains(run.err, "exit 0, printed rows")) << run;
  EXPECT_FALSE(TableExists("scratch"));  // the check's transaction is rolled back
  EXPECT_EQ(History(), (Names{"1_core_users"}));

  ASSERT_TRUE(conn_->ExecScript("UPDATE users SET email = 'a@b'").ok());
  Cli ok = Strata({"migrate", "run", "migrations"});
  ASSERT_EQ(ok.code, 0) << ok;
  EXPECT_EQ(History(), (Names{"1_core_users", "2_core_not_null"}));
}

TEST_F(MigrateTest, ValidateReportsEveryMigration) {
  Migration("1_core_applied.sql", "CREATE TABLE t (id int);");
  Write(Dir() + "/1_core_applied.sh", "#!/bin/sh\nexit 1\n", true);
  ASSERT_EQ(Strata({"migrate", "run", "migrations", "--track", "core"}).code, 1);
  Write(Dir() + "/1_core_applied.sh", "#!/bin/sh\nexit 0\n", true);
  ASSERT_EQ(Strata({"migrate", "run", "migrations"}).code, 0);
  Write(Dir() + "/1_core_applied.sh", "#!/bin/sh\necho now failing; exit 1\n", true);
  Migration("2_core_valid.sql", "SELECT 1;");
  Write(Dir() + "/2_core_valid.check.sql", "SELECT 1 WHERE false;");
  Migration("3_core_invalid.sql", "SELECT 1;");
  Write(Dir() + "/3_core_invalid.sh", "#!/bin/sh\necho \"no: $EXECUTION_ID\"; exit 2\n", true);
  Migration("4_core_plain.sql", "SELECT 1;");

  Cli v = Strata({"migrate", "validate", "migrations"});
  EXPECT_EQ(v.code, 1) << v;
  EXPECT_TRUE(Contains(v.out, "1_core_applied: applied, not run")) << v;
  EXPECT_TRUE(Contains(v.out, "2_core_valid: VALID (2_core_valid.check.sql)")) << v;
  EXPECT_TRUE(Contains(v.out, "3_core_invalid: ERROR (3_core_invalid.sh)")) << v;
  EXPECT_TRUE(Contains(v.out, "    | no: ")) << v;
  EXPECT_TRUE(Contains(v.out, "4_core_plain: No validation script")) << v;
  EXPECT_TRUE(Contains(v.out, "1 valid, 1 with errors, 1 without a script, 1 applied and not run, 0 modified")) << v;

  Cli all = Strata({"--json", "migrate", "validate", "migrations", "--all"});
  EXPECT_EQ(all.code, 1);
  json doc = all.Json();
  EXPECT_EQ(doc["version"], 1);
  EXPECT_EQ(doc["ok"], false);
  ASSERT_EQ(doc["migrations"].size(), 4u);
  EXPECT_EQ(doc["migrations"][0]["validation"], "error");  // with --all it runs, and now fails
  EXPECT_EQ(doc["migrations"][0]["state"], "applied");
  EXPECT_EQ(doc["migrations"][1]["validation"], "valid");
  EXPECT_EQ(doc["migrations"][2]["exit_code"], 2);
  EXPECT_EQ(doc["migrations"][3]["validation"], "none");
  EXPECT_EQ(doc["counts"]["error"], 2);
  EXPECT_EQ(History(), (Names{"1_core_applied"}));  // validate applies nothing
}

TEST_F(MigrateTest, OutOfOrderMigrationsNeedPermission) {
  Migration("1_core_a.sql", "CREATE TABLE a (id int);");
  Migration("3_core_c.sql", "CREATE TABLE c (id int);");
  ASSERT_EQ(Strata({"migrate", "run", "migrations"}).code, 0);
  Migration("2_core_b.sql", "CREATE TABLE b (id int);");
  Migration("4_core_d.sql", "CREATE TABLE d (id int);");

  Cli status = Strata({"--json", "migrate", "status", "migrations"});
  ASSERT_EQ(status.code, 0) << status;
  json t = status.Json()["tracks"][0];
  EXPECT_EQ(t["migrations"][1]["name"], "2_core_b");
  EXPECT_EQ(t["migrations"][1]["state"], "out_of_order");
  EXPECT_EQ(t["migrations"][3]["state"], "pending");
  Cli human = Strata({"migrate", "status", "migrations"});
  EXPECT_TRUE(Contains(human.out, "out-of-order  2_core_b")) << human;

  Cli refused = Strata({"migrate", "run", "migrations"});
  EXPECT_EQ(refused.code, 1) << refused;
  EXPECT_TRUE(Contains(refused.err, "older than a migration already applied")) << refused;
  EXPECT_TRUE(Contains(refused.err, "--allow-out-of-order")) << refused;
  EXPECT_FALSE(TableExists("b"));
  EXPECT_FALSE(TableExists("d"));  // refused before anything ran

  Cli allowed = Strata({"migrate", "run", "migrations", "--allow-out-of-order"});
  ASSERT_EQ(allowed.code, 0) << allowed;
  EXPECT_EQ(History(), (Names{"1_core_a", "3_core_c", "2_core_b", "4_core_d"}));
}

TEST_F(MigrateTest, ModifiedFilesAreShownAndBlockRuns) {
  Migration("1_core_a.sql", "CREATE TABLE a (id int);");
  ASSERT_EQ(Strata({"migrate", "run", "migrations"}).code, 0);
  Migration("1_core_a.sql", "CREATE TABLE a (id bigint);");
  Migration("2_core_b.sql", "CREATE TABLE b (id int);");

  Cli status = Strata({"migrate", "status", "migrations"});
  ASSERT_EQ(status.code, 0) << status;
  EXPECT_TRUE(Contains(status.out, "MODIFIED      1_core_a")) << status;
  EXPECT_TRUE(Contains(status.out, "1 modified")) << status;
  EXPECT_EQ(Strata({"--json", "migrate", "status", "migrations"}).Json()["tracks"][0]["migrations"][0]["state"],
            "modified");

  Cli v = Strata({"migrate", "validate", "migrations"});
  EXPECT_EQ(v.code, 1) << v;
  EXPECT_TRUE(Contains(v.out, "MODIFIED since it was applied")) << v;

  Cli run = Strata({"migrate", "run", "migrations"});
  EXPECT_EQ(run.code, 1) << run;
  EXPECT_TRUE(Contains(run.err, "1 applied migration(s) changed since they were applied")) << run;
  EXPECT_FALSE(TableExists("b"));
}

TEST_F(MigrateTest, RowsWithoutFilesAreMissingWarnings) {
  Migration("1_core_a.sql", "CREATE TABLE a (id int);");
  ASSERT_EQ(Strata({"migrate", "run", "migrations"}).code, 0);
  fs::remove(Dir() + "/1_core_a.sql");
  Migration("2_core_b.sql", "CREATE TABLE b (id int);");
  Cli status = Strata({"--json", "migrate", "status", "migrations"});
  json t = status.Json()["tracks"][0];
  ASSERT_EQ(t["missing"].size(), 1u);
  EXPECT_EQ(t["missing"][0]["name"], "1_core_a");
  EXPECT_EQ(t["counts"]["missing"], 1);
  Cli run = Strata({"migrate", "run", "migrations"});
  ASSERT_EQ(run.code, 0) << run;
  EXPECT_TRUE(Contains(run.err, "warning: public.migrations_core records 1_core_a")) << run;
  EXPECT_TRUE(TableExists("b"));
}

TEST_F(MigrateTest, Md5RowsOfTheOriginalToolAreAdopted) {
  const std::string body = "CREATE TABLE legacy (id int);\n";
  ASSERT_TRUE(conn_->ExecScript(
      "CREATE TABLE legacy (id int);"
      "CREATE TABLE migrations_core (id SERIAL PRIMARY KEY, migration_name VARCHAR(255) NOT NULL "
      "UNIQUE, migration_hash VARCHAR(64) NOT NULL, applied_at TIMESTAMP DEFAULT "
      "CURRENT_TIMESTAMP, execution_time_ms INTEGER);"
      "INSERT INTO migrations_core (migration_name, migration_hash) VALUES ('1_core_legacy', '" +
      Md5Hex(body) + "')").ok());
  Migration("1_core_legacy.sql", body);
  Migration("2_core_new.sql", "ALTER TABLE legacy ADD COLUMN name text;");
  Cli status = Strata({"--json", "migrate", "status", "migrations"});
  json m = status.Json()["tracks"][0]["migrations"];
  EXPECT_EQ(m[0]["state"], "applied");
  EXPECT_EQ(m[0]["hash_kind"], "md5");
  EXPECT_EQ(m[1]["state"], "pending");
  Cli run = Strata({"migrate", "run", "migrations"});
  ASSERT_EQ(run.code, 0) << run;
  EXPECT_EQ(Column("SELECT migration_hash FROM migrations_core ORDER BY id"),
            (Names{Md5Hex(body), Sha256Hex("ALTER TABLE legacy ADD COLUMN name text;")}));
}

TEST_F(MigrateTest, NoTransactionHeaderRunsOutsideATransaction) {
  Migration("1_core_table.sql", "CREATE TABLE big (id int);");
  Migration("2_core_index.sql", "-- Builds the index without locking writes.\n"
                                "-- strata:no-transaction\n"
                                "CREATE INDEX CONCURRENTLY big_id ON big (id);\n");
  Cli run = Strata({"migrate", "run", "migrations"});
  ASSERT_EQ(run.code, 0) << run;
  EXPECT_TRUE(TableExists("big_id"));
  EXPECT_EQ(Column("SELECT (execution_time_ms >= 0)::text FROM migrations_core WHERE "
                   "migration_name = '2_core_index'"),
            (Names{"true"}));
  // Without the header the same statement would meet the transaction and fail: refused before
  // anything runs, with the fix.
  Migration("3_core_index2.sql", "CREATE INDEX CONCURRENTLY big_id2 ON big (id);\n");
  Cli fail = Strata({"migrate", "run", "migrations"});
  EXPECT_EQ(fail.code, 1) << fail;
  EXPECT_TRUE(Contains(fail.err, "migrations/3_core_index2.sql:1: CREATE INDEX CONCURRENTLY inside "
                                 "a migration cannot run in the transaction strata runs it in"))
      << fail;
  EXPECT_FALSE(Contains(fail.err, "ERROR:")) << fail;
}

TEST_F(MigrateTest, TransactionControlIsRefusedBeforeAnythingRunsWithEveryFileAndLine) {
  Migration("1_core_ok.sql", "CREATE TABLE ok (id int);\n");
  Migration("2_core_explicit.sql", "-- wraps itself\nBEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n");
  Migration("3_core_body.sql",  // BEGIN ... END in a function body is not transaction control
            "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\n");
  Migration("4_core_marker.sql", "-- strata: no-transaction\nCREATE INDEX CONCURRENTLY i ON ok (id);\n");
  Cli run = Strata({"migrate", "run", "migrations"});
  EXPECT_EQ(run.code, 1) << run;
  EXPECT_TRUE(Contains(run.err, "4 problem(s) in migrations to apply, which cannot run as written:")) << run;
  EXPECT_TRUE(Contains(run.err, "migrations/2_core_explicit.sql:2: BEGIN inside a migration")) << run;
  EXPECT_TRUE(Contains(run.err, "migrations/2_core_explicit.sql:4: COMMIT inside a migration")) << run;
  EXPECT_TRUE(Contains(run.err, "migrations/4_core_marker.sql:1: \"-- strata: no-transaction\" is "
                                "not the no-transaction marker, so the file would run in a "
                                "transaction; write the line exactly as \"-- strata:no-transaction\""))
      << run;
  // The near miss leaves the file in a transaction, where its CREATE INDEX CONCURRENTLY fails.
  EXPECT_TRUE(Contains(run.err, "migrations/4_core_marker.sql:2: CREATE INDEX CONCURRENTLY inside "
                                "a migration cannot run"))
      << run;
  EXPECT_FALSE(Contains(run.err, "3_core_body")) << run;
  EXPECT_FALSE(Contains(run.err, "it was rolled back")) << run;
  // Nothing ran, not even the good first migration, and nothing was recorded.
  EXPECT_FALSE(TableExists("ok"));
  EXPECT_FALSE(TableExists("a"));
  EXPECT_FALSE(TableExists("migrations_core"));
  Cli log = Strata({"--json", "log"});
  ASSERT_EQ(log.code, 0) << log;
  EXPECT_TRUE(log.Json()["commits"].empty()) << log;
  Cli dry = Strata({"migrate", "run", "migrations", "--dry-run"});
  EXPECT_EQ(dry.code, 1) << dry;
  EXPECT_TRUE(Contains(dry.err, "2_core_explicit.sql:4: COMMIT")) << dry;
  Cli validate = Strata({"migrate", "validate", "migrations"});
  EXPECT_EQ(validate.code, 1) << validate;
  EXPECT_TRUE(Contains(validate.out, "    migrations/2_core_explicit.sql:4: COMMIT inside")) << validate;
  EXPECT_TRUE(Contains(validate.out, "4 problem(s) in migrations to apply: migrate run would "
                                     "refuse to start")) << validate;
  json checked = Strata({"--json", "migrate", "validate", "migrations"}).Json();
  EXPECT_EQ(checked["ok"], false);
  EXPECT_EQ(checked["counts"]["problems"], 4);
  EXPECT_EQ(checked["migrations"][1]["problems"][1]["line"], 4);
  EXPECT_TRUE(checked["migrations"][0]["problems"].empty());

  // Fixed as the message says: one without its transaction control, one marked correctly.
  Migration("2_core_explicit.sql", "-- wraps itself\nCREATE TABLE a (id int);\n");
  Migration("4_core_marker.sql", "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY i ON ok (id);\n");
  Cli fixed = Strata({"migrate", "run", "migrations"});
  ASSERT_EQ(fixed.code, 0) << fixed;
  EXPECT_EQ(History(), (Names{"1_core_ok", "2_core_explicit", "3_core_body", "4_core_marker"}));
}

TEST_F(MigrateTest, ANoTransactionMigrationRunsItsOwnTransactionBlocksAsWritten) {
  Migration("1_core_blocks.sql",
            "-- strata:no-transaction\n"
            "BEGIN;\nCREATE TABLE kept (id int);\nCOMMIT;\n"
            "BEGIN;\nCREATE TABLE undone (id int);\nROLLBACK;\n"
            "CREATE INDEX CONCURRENTLY kept_id ON kept (id);\n");
  Cli run = Strata({"migrate", "run", "migrations"});
  ASSERT_EQ(run.code, 0) << run;
  EXPECT_TRUE(TableExists("kept"));
  EXPECT_TRUE(TableExists("kept_id"));
  EXPECT_FALSE(TableExists("undone"));
  EXPECT_EQ(History(), (Names{"1_core_blocks"}));
  Cli status = Strata({"migrate", "status", "migrations"});
  ASSERT_EQ(status.code, 0) << status;
  EXPECT_TRUE(Contains(status.out, "applied       1_core_blocks  (no transaction)  ")) << status;
  json j = Strata({"--json", "migrate", "status", "migrations"}).Json();
  EXPECT_EQ(j["tracks"][0]["migrations"][0]["no_transaction"], true);

  // A block left open at the end would be rolled back by psql without a word: refused.
  Migration("2_core_open.sql", "-- strata:no-transaction\nCREATE TABLE b (id int);\nBEGIN;\n"
                               "CREATE TABLE lost (id int);\n");
  Cli open = Strata({"migrate", "run", "migrations"});
  EXPECT_EQ(open.code, 1) << open;
  EXPECT_TRUE(Contains(open.err, "migrations/2_core_open.sql:3: this transaction block is still "
                                 "open at the end of the file"))
      << open;
  EXPECT_FALSE(TableExists("b"));
  Cli pending = Strata({"migrate", "status", "migrations"});
  EXPECT_TRUE(Contains(pending.out, "pending       2_core_open  (no transaction)\n")) << pending;
}

TEST_F(MigrateTest, HostileTrackTableAndSchemaNames) {
  const std::string track = "we\"ird tr'ack ü";
  Migration("1_" + track + "_create.sql",
            "CREATE TABLE \"tab\"\"le ü 'x'\" (\"co l\" text);\n"
            "INSERT INTO \"tab\"\"le ü 'x'\" VALUES (:'track_name');\n");
  Cli run = Strata({"migrate", "run", "migrations", "--history-schema", "hist \"ory"});
  ASSERT_EQ(run.code, 0) << run;
  EXPECT_EQ(Column("SELECT \"co l\" FROM \"tab\"\"le ü 'x'\""), (Names{track}));
  EXPECT_EQ(Column("SELECT migration_name FROM \"hist \"\"ory\".\"migrations_we\"\"ird tr'ack ü\""),
            (Names{"1_" + track + "_create"}));
  Cli again = Strata({"--json", "migrate", "status", "migrations", "--history-schema", "hist \"ory"});
  ASSERT_EQ(again.code, 0) << again;
  json t = again.Json()["tracks"][0];
  EXPECT_EQ(t["track"], track);
  EXPECT_EQ(t["table"], "hist \"ory.migrations_" + track);
  EXPECT_EQ(t["migrations"][0]["state"], "applied");
  Cli history = Strata({"--json", "migrate", "history", "--history-schema", "hist \"ory"});
  ASSERT_EQ(history.code, 0) << history;
  EXPECT_EQ(history.Json()["tracks"][0]["track"], track);
}

TEST_F(MigrateTest, FiveConcurrentRunsApplyEachMigrationOnce) {
  Migration("1_core_counter.sql", "CREATE TABLE hits (name text);\n"
                                  "INSERT INTO hits VALUES (:'migration_name');\n");
  for (int i = 2; i <= 6; ++i) {
    Migration(std::to_string(i) + "_core_step.sql",
              "SELECT pg_sleep(0.1);\nINSERT INTO hits VALUES (:'migration_name');\n");
  }
  Migration("7_other_x.sql", "INSERT INTO hits VALUES (:'migration_name');\n");
  std::vector<Cli> results(5);
  std::vector<std::thread> threads;
  for (int i = 0; i < 5; ++i) {
    threads.emplace_back([&, i] { results[i] = Strata({"migrate", "run", "migrations"}); });
  }
  for (auto& t : threads) t.join();
  for (const Cli& r : results) EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(Column("SELECT name || ':' || count(*) FROM hits GROUP BY name ORDER BY name"),
            (Names{"1_core_counter:1", "2_core_step:1", "3_core_step:1", "4_core_step:1",
                   "5_core_step:1", "6_core_step:1", "7_other_x:1"}));
  EXPECT_EQ(History().size(), 6u);
  EXPECT_EQ(History("other").size(), 1u);
  // The log records each migration exactly once, whichever run applied it.
  Cli log = Strata({"log", "--json"});
  ASSERT_EQ(log.code, 0) << log;
  std::set<std::string> messages;
  size_t commits = 0;
  const json listed = log.Json();  // kept alive: the loop reads into it
  for (const auto& c : listed["commits"]) {
    messages.insert(c["message"].get<std::string>());
    ++commits;
    EXPECT_EQ(c["origin"], "migrate") << c.dump();
  }
  EXPECT_EQ(commits, 7u) << log;
  EXPECT_EQ(messages.size(), 7u);
  EXPECT_EQ(Strata({"verify"}).code, 0);
}

TEST_F(MigrateTest, LockTimeoutWhenAnotherRunHoldsTheLock) {
  Migration("1_core_a.sql", "CREATE TABLE a (id int);");
  auto holder = db_.Connect();
  ASSERT_TRUE(holder->Exec("SELECT pg_advisory_lock($1::bigint)",
                           {std::to_string(HistoryTable("public", "core").LockKey())})
                  .ok());
  Cli run = Strata({"migrate", "run", "migrations", "--lock-timeout", "0.5"});
  EXPECT_EQ(run.code, 1) << run;
  EXPECT_TRUE(Contains(run.err, "the migration lock of public.migrations_core on 127.0.0.1:")) << run;
  EXPECT_TRUE(Contains(run.err, "was still held by another run after 0.5 s")) << run;
  EXPECT_FALSE(TableExists("a"));
  Cli no_wait = Strata({"migrate", "run", "migrations", "--lock-timeout", "0"});
  EXPECT_EQ(no_wait.code, 1) << no_wait;
  EXPECT_TRUE(Contains(no_wait.err, "is held by another run")) << no_wait;
  holder.reset();  // the server releases a session lock with its connection
  Cli ok = Strata({"migrate", "run", "migrations"});
  EXPECT_EQ(ok.code, 0) << ok;
}

TEST_F(MigrateTest, DryRunChangesNothing) {
  Migration("1_core_a.sql", "CREATE TABLE a (id int);");
  Migration("2_core_b.sql", "-- strata:no-transaction\nCREATE TABLE b (id int);");
  Write(Dir() + "/2_core_b.sh", "#!/bin/sh\ntouch ran; exit 1\n", true);
  Cli human = Strata({"migrate", "run", "migrations", "--dry-run"});
  ASSERT_EQ(human.code, 0) << human;
  EXPECT_TRUE(Contains(human.out, "would apply 1_core_a\nwould apply 2_core_b (no transaction)\n")) << human;
  EXPECT_TRUE(Contains(human.out, "Dry run: nothing was changed.")) << human;
  Cli j = Strata({"--json", "migrate", "run", "migrations", "--dry-run"});
  ASSERT_EQ(j.code, 0) << j;
  json doc = j.Json();
  EXPECT_EQ(doc["version"], 1);
  EXPECT_EQ(doc["dry_run"], true);
  ASSERT_EQ(doc["would_apply"].size(), 2u);
  EXPECT_EQ(doc["would_apply"][1]["name"], "2_core_b");
  EXPECT_EQ(doc["would_apply"][1]["no_transaction"], true);
  EXPECT_EQ(doc["would_apply"][1]["validation"], "migrations/2_core_b.sh");
  EXPECT_FALSE(TableExists("a"));
  EXPECT_FALSE(TableExists("migrations_core"));
  EXPECT_FALSE(fs::exists(Dir() + "/ran"));
}

TEST_F(MigrateTest, JsonShapesOfStatusRunAndHistory) {
  Migration("1_core_a.sql", "\\echo hello\nCREATE TABLE a (id int);");
  Migration("2_core_b.sql", "CREATE TABLE b (id int);");
  Cli before = Strata({"--json", "migrate", "status", "migrations"});
  ASSERT_EQ(before.code, 0) << before;
  json s = before.Json();
  EXPECT_EQ(s["version"], 1);
  EXPECT_EQ(s["database"], "127.0.0.1:" + std::to_string(strata::testing::TestClusterPort()) + "/" + db_.name());
  EXPECT_EQ(s["history_schema"], "public");
  EXPECT_EQ(s["tracks"][0]["table_exists"], false);
  EXPECT_EQ(s["counts"]["pending"], 2);
  EXPECT_EQ(Strata({"migrate", "status", "migrations", "--detailed-exitcode"}).code, 3);

  Cli run = Strata({"--json", "migrate", "run", "migrations"});
  ASSERT_EQ(run.code, 0) << run;
  json r = run.Json();
  EXPECT_EQ(r["ok"], true);
  EXPECT_EQ(r["dry_run"], false);
  ASSERT_EQ(r["applied"].size(), 2u);
  EXPECT_EQ(r["applied"][0]["name"], "1_core_a");
  EXPECT_EQ(r["applied"][0]["track"], "core");
  EXPECT_EQ(r["applied"][0]["file"], "migrations/1_core_a.sql");
  EXPECT_EQ(r["applied"][0]["output"], "hello\n");
  EXPECT_EQ(r["applied"][0]["hash"], Sha256Hex("\\echo hello\nCREATE TABLE a (id int);"));
  EXPECT_TRUE(r["applied"][0]["execution_time_ms"].is_number());
  EXPECT_EQ(run.err.find("applying 1_core_a") != std::string::npos, true) << run;

  Cli h = Strata({"--json", "migrate", "history", "migrations"});
  ASSERT_EQ(h.code, 0) << h;
  json hist = h.Json();
  EXPECT_EQ(hist["schema"], "public");
  ASSERT_EQ(hist["tracks"][0]["migrations"].size(), 2u);
  json row = hist["tracks"][0]["migrations"][1];
  EXPECT_EQ(row["id"], 2);
  EXPECT_EQ(row["name"], "2_core_b");
  EXPECT_EQ(row["hash"], Sha256Hex("CREATE TABLE b (id int);"));
  EXPECT_TRUE(std::regex_match(row["applied_at"].get<std::string>(),
                               std::regex(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)")));
  Cli human = Strata({"migrate", "history"});
  ASSERT_EQ(human.code, 0) << human;
  EXPECT_TRUE(Contains(human.out, "core (public.migrations_core): 2 applied")) << human;
  EXPECT_TRUE(Contains(human.out, Sha256Hex("CREATE TABLE b (id int);").substr(0, 12) + "  2_core_b")) << human;
}

TEST_F(MigrateTest, AddWritesATemplateThatRuns) {
  std::vector<std::string> env = Environment();
  env.push_back("STRATA_NOW=2024-05-06T07:08:09Z");
  Cli a = Strata({"migrate", "add", "migrations", "create users"}, env);
  ASSERT_EQ(a.code, 0) << a;
  EXPECT_EQ(a.out, "Created migrations/20240506070809_core_create_users.sql\n");
  Cli b = Strata({"--json", "migrate", "add", "migrations", "add email", "--with-validation"}, env);
  ASSERT_EQ(b.code, 0) << b;
  json doc = b.Json();
  EXPECT_EQ(doc["name"], "20240506070810_core_add_email");  // the next free timestamp
  EXPECT_EQ(doc["track"], "core");
  EXPECT_EQ(doc["validation"], "migrations/20240506070810_core_add_email.sh");
  Cli c = Strata({"migrate", "add", "migrations", "seed", "--track", "billing", "--with-validation=sql"}, env);
  ASSERT_EQ(c.code, 0) << c;
  EXPECT_TRUE(fs::exists(Dir() + "/20240506070811_billing_seed.check.sql"));
  Cli ambiguous = Strata({"migrate", "add", "migrations", "x"}, env);
  EXPECT_EQ(ambiguous.code, 2) << ambiguous;
  EXPECT_TRUE(Contains(ambiguous.err, "several tracks (core, billing); choose one with --track")) << ambiguous;
  Cli bad = Strata({"migrate", "add", "migrations", "x", "--track", "a_b"}, env);
  EXPECT_EQ(bad.code, 1);
  EXPECT_TRUE(Contains(bad.err, "bad track name \"a_b\"")) << bad;

  Cli run = Strata({"migrate", "run", "migrations"});
  ASSERT_EQ(run.code, 0) << run;
  EXPECT_TRUE(Contains(run.out, "applying 20240506070809_core_create_users (run ")) << run;
  EXPECT_EQ(History().size(), 2u);
  EXPECT_EQ(History("billing").size(), 1u);
}

TEST_F(MigrateTest, TargetDsnFromStrataYamlReachesPsqlAndScripts) {
  Write(work_ / "strata.yaml",
        "version: 1\nschemas:\n  postgres: migrations\ntargets:\n  app:\n    engine: postgres\n"
        "    dsn: \"postgresql://postgres@127.0.0.1:" + std::to_string(strata::testing::TestClusterPort()) + "/" +
        db_.name() + "?application_name=strata-test\"\n  ddb:\n    engine: dynamodb\n");
  Migration("1_core_a.sql", "CREATE TABLE a (db text); INSERT INTO a VALUES (current_database());");
  Write(Dir() + "/1_core_a.sh", "#!/bin/sh\n[ \"$PGDATABASE\" = \"" + db_.name() + "\" ] || exit 9\n", true);
  const std::vector<std::string> no_libpq_env = {"PATH=/usr/bin:/bin", "PGPORT=1", "PGDATABASE=nope"};
  Cli run = Strata({"migrate", "run", "--target", "app"}, no_libpq_env);  // PATH from strata.yaml
  ASSERT_EQ(run.code, 0) << run;
  EXPECT_EQ(Column("SELECT db FROM a"), (Names{db_.name()}));
  Cli wrong = Strata({"migrate", "status", "--target", "ddb"}, no_libpq_env);
  EXPECT_EQ(wrong.code, 1);
  EXPECT_TRUE(Contains(wrong.err, "target ddb is not a PostgreSQL target")) << wrong;
}

TEST_F(MigrateTest, AFailedConnectionSaysWhereAndNeverShowsThePassword) {
  strata::testing::ClosedPort closed;  // nothing listens there
  Write(work_ / "strata.yaml",
        "version: 1\ntargets:\n  app:\n    engine: postgres\n    dsn: \"postgresql://postgres:hunter2@127.0.0.1:" +
            std::to_string(closed.port()) + "/app\"\n");
  Migration("1_core_a.sql", "SELECT 1;");
  Cli run = Strata({"migrate", "status", "migrations", "--target", "app"});
  EXPECT_EQ(run.code, 1) << run;
  EXPECT_TRUE(Contains(run.err, "cannot connect to PostgreSQL at 127.0.0.1:" +
                                    std::to_string(closed.port()) + "/app")) << run;
  EXPECT_FALSE(Contains(run.err + run.out, "hunter2")) << run;
}

TEST_F(MigrateTest, UsageErrors) {
  EXPECT_EQ(Strata({"migrate"}).code, 2);
  Cli unknown = Strata({"migrate", "frobnicate"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_TRUE(Contains(unknown.err, "unknown subcommand \"frobnicate\"")) << unknown;
  Cli no_path = Strata({"migrate", "status"});
  EXPECT_EQ(no_path.code, 2);
  EXPECT_TRUE(Contains(no_path.err, "give the migrations directory PATH")) << no_path;
  Cli missing = Strata({"migrate", "status", "no-such-dir"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_TRUE(Contains(missing.err, "no-such-dir: no such directory of migrations")) << missing;
}

}  // namespace
}  // namespace strata::postgres
