// Captured history: what `strata migrate run` records in the log, read back with the engine's
// commands (log, show, blame, verify), on a real server with the real binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

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
  // `strata show ARGS` on the app database, expected to succeed.
  std::string Show(const std::vector<std::string>& args) {
    StrataRun s = Strata(app_, args);
    EXPECT_EQ(s.code, 0) << s;
    return s.out;
  }
  // The log agrees with the app database, and replaying it rebuilds the same schema.
  void ExpectNoDriftAndAMatchingReplay() {
    StrataRun drift = Strata(app_, {"drift"});
    EXPECT_EQ(drift.code, 0) << drift;
    TestDatabase fresh;
    StrataRun replay = Strata(fresh, {"replay", "--json"});
    ASSERT_EQ(replay.code, 0) << replay;
    EXPECT_EQ(replay.Json()["matches"], true) << replay.out;
    EXPECT_EQ(Strata(fresh, {"drift"}).code, 0);
  }

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

// Storage, view options, inheritance, foreign tables and servers, event triggers and aggregates
// made and then changed by migrations: each change recorded as its own typed event, shown as
// DDL at each point, and the replay agreeing.
TEST_F(CaptureTest, StorageInheritanceForeignDataEventTriggersAndAggregatesAreRecorded) {
  Migration("20240101000000_core_storage.sql", R"sql(
CREATE EXTENSION postgres_fdw;
CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'db.example', dbname 'app');
CREATE FOREIGN TABLE remote_users (id integer, name text) SERVER remote
  OPTIONS (table_name 'users');
CREATE UNLOGGED TABLE cache (k text PRIMARY KEY, v text)
  WITH (fillfactor = 80, toast.autovacuum_enabled = false);
CREATE TABLE base1 (a integer);
CREATE TABLE base2 (b integer);
CREATE TABLE kid (c integer) INHERITS (base1, base2);
CREATE VIEW guarded WITH (security_barrier = true) AS
  SELECT k, v FROM cache WHERE v IS NOT NULL WITH LOCAL CHECK OPTION;
CREATE FUNCTION noop() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;
CREATE EVENT TRIGGER watch ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
  EXECUTE FUNCTION noop();
CREATE AGGREGATE concat_all(text) (SFUNC = textcat, STYPE = text, INITCOND = '');
)sql");
  Migration("20240102000000_core_alter.sql", R"sql(
ALTER TABLE cache SET LOGGED;
ALTER TABLE cache SET (fillfactor = 90);
ALTER TABLE kid NO INHERIT base2;
ALTER VIEW guarded SET (check_option = cascaded);
ALTER FOREIGN TABLE remote_users OPTIONS (SET table_name 'people');
ALTER SERVER remote OPTIONS (ADD port '5433');
ALTER EVENT TRIGGER watch DISABLE;
)sql");
  StrataRun r = Strata(app_, {"migrate", "run", "migrations", "--json"});
  ASSERT_EQ(r.code, 0) << r;

  // The second migration: one event per statement, each about its own object.
  json log = Log(app_);
  ASSERT_EQ(log["commits"].size(), 2u) << log.dump(2);
  std::set<std::string> changes;
  for (const auto& e : log["commits"][0]["events"]) {
    changes.insert(e["op"].get<std::string>() + " " + e["object"].get<std::string>() + ": " +
                   e["description"].get<std::string>());
  }
  EXPECT_EQ(changes, (std::set<std::string>{
                         "set_table_storage public.cache: set storage: logged, fillfactor=90, "
                         "toast.autovacuum_enabled=false",
                         "set_inherits public.kid: inherit from public.base1",
                         "set_view_options public.guarded: set view options: "
                         "check_option=cascaded, security_barrier=true",
                         "set_foreign_table public.remote_users: set foreign table: server "
                         "remote, options table_name=people",
                         "alter_foreign_server server:remote: alter foreign server (postgres_fdw)",
                         "replace_event_trigger evt:watch: replace event trigger on "
                         "ddl_command_end (CREATE TABLE), disabled"}))
      << log.dump(2);

  // Each object as it was after the first migration, and as it is now.
  const std::string cache_then = Show({"show", "--at", "1", "public.cache"});
  EXPECT_NE(cache_then.find("CREATE UNLOGGED TABLE public.cache ("), std::string::npos)
      << cache_then;
  EXPECT_NE(cache_then.find("WITH (fillfactor='80', toast.autovacuum_enabled='false');"),
            std::string::npos)
      << cache_then;
  const std::string cache_now = Show({"show", "public.cache"});
  EXPECT_NE(cache_now.find("CREATE TABLE public.cache ("), std::string::npos) << cache_now;
  EXPECT_NE(cache_now.find("WITH (fillfactor='90', toast.autovacuum_enabled='false');"),
            std::string::npos)
      << cache_now;
  EXPECT_NE(Show({"show", "--at", "1", "public.kid"}).find("INHERITS (public.base1, public.base2)"),
            std::string::npos);
  EXPECT_NE(Show({"show", "public.kid"}).find(") INHERITS (public.base1);"), std::string::npos);
  EXPECT_NE(Show({"show", "public.guarded"}).find("WITH CASCADED CHECK OPTION;"),
            std::string::npos);
  EXPECT_NE(Show({"show", "public.remote_users"})
                .find("CREATE FOREIGN TABLE public.remote_users (\n    id integer,\n    name text"
                      "\n)\nSERVER remote OPTIONS (table_name 'people');"),
            std::string::npos);
  EXPECT_NE(Show({"show", "server:remote"}).find("OPTIONS (host 'db.example', dbname 'app', "
                                                  "port '5433');"),
            std::string::npos);
  EXPECT_NE(Show({"show", "evt:watch"}).find("ALTER EVENT TRIGGER watch DISABLE;"),
            std::string::npos);
  EXPECT_NE(Show({"show", "public.concat_all(text)"}).find("INITCOND = ''"), std::string::npos);

  ExpectNoDriftAndAMatchingReplay();
}

// A foreign table as a partition, and an inheriting table renamed (with its parent, after a
// column its parent adds reached it): captured as recursing column events and renames,
// and the log's state is the database's, rebuilt by a replay.
TEST_F(CaptureTest, AForeignPartitionAndARenamedInheritingTableAreRecordedAndReplayed) {
  Migration("20240101000000_core_tables.sql", R"sql(
CREATE EXTENSION postgres_fdw;
CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'db.example', dbname 'app');
CREATE TABLE events (id integer NOT NULL, region text NOT NULL) PARTITION BY LIST (region);
CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('eu');
CREATE FOREIGN TABLE events_us PARTITION OF events FOR VALUES IN ('us')
  SERVER remote OPTIONS (table_name 'events');
CREATE TABLE base (a integer);
CREATE TABLE kid (b integer) INHERITS (base);
)sql");
  Migration("20240102000000_core_change.sql", R"sql(
ALTER TABLE events ADD COLUMN at timestamptz;
ALTER TABLE base ADD COLUMN c text;
ALTER TABLE kid RENAME TO child;
ALTER TABLE base RENAME TO parent;
)sql");
  StrataRun r = Strata(app_, {"migrate", "run", "migrations", "--json"});
  ASSERT_EQ(r.code, 0) << r;

  json log = Log(app_);
  ASSERT_EQ(log["commits"].size(), 2u) << log.dump(2);
  // Newest first: the parents' new columns once each (they reach the partitions and the
  // inheriting table by themselves), and two renames rather than drops and creates.
  std::multiset<std::string> ops;
  for (const auto& e : log["commits"][0]["events"]) ops.insert(e["op"].get<std::string>());
  EXPECT_EQ(ops, (std::multiset<std::string>{"add_column", "add_column", "rename", "rename"}))
      << log.dump(2);

  const std::string us = Show({"show", "public.events_us"});
  EXPECT_NE(us.find("CREATE FOREIGN TABLE public.events_us ("), std::string::npos) << us;
  EXPECT_NE(us.find("SERVER remote OPTIONS (table_name 'events');"), std::string::npos) << us;
  EXPECT_NE(us.find("ALTER TABLE ONLY public.events ATTACH PARTITION public.events_us FOR "
                    "VALUES IN ('us');"),
            std::string::npos)
      << us;
  const std::string kid_then = Show({"show", "--at", "1", "public.kid"});
  EXPECT_NE(kid_then.find(") INHERITS (public.base);"), std::string::npos) << kid_then;

  // The recorded state (every object's history together) has the parents' new columns in the
  // foreign partition and in the renamed child, which inherits from the renamed parent.
  StrataRun all = Strata(app_, {"show", "--json"});
  ASSERT_EQ(all.code, 0) << all;
  const json objects = all.Json()["schemas"]["postgres"]["objects"];
  auto table = [&](const std::string& key) {
    return objects.at(key).at("postgres").at("tables").at(key);
  };
  auto columns = [](const json& t) {
    std::vector<std::string> names;
    for (const auto& c : t["columns"]) names.push_back(c["name"].get<std::string>());
    return names;
  };
  const json remote = table("public.events_us");
  EXPECT_EQ(columns(remote), (std::vector<std::string>{"id", "region", "at"})) << remote.dump(2);
  EXPECT_EQ(remote["foreign"]["server"], "remote") << remote.dump(2);
  EXPECT_EQ(remote["partition_of"]["parent"], "public.events") << remote.dump(2);
  const json renamed = table("public.child");
  EXPECT_EQ(columns(renamed), (std::vector<std::string>{"a", "b", "c"})) << renamed.dump(2);
  EXPECT_EQ(renamed["inherits"], json::array({"public.parent"})) << renamed.dump(2);
  EXPECT_FALSE(objects.contains("public.kid"));
  EXPECT_FALSE(objects.contains("public.base"));

  ExpectNoDriftAndAMatchingReplay();
}

// `show` of one partition includes what its parent's column changes did to it: the events
// were recorded once, on the parent.
TEST_F(CaptureTest, ShowOfAPartitionIncludesItsParentsColumnChanges) {
  Migration("20240101000000_core_events.sql",
            "CREATE TABLE events (id bigint NOT NULL, body text) PARTITION BY HASH (id);\n"
            "CREATE TABLE events_0 PARTITION OF events FOR VALUES WITH (MODULUS 2, REMAINDER 0);\n"
            "CREATE TABLE events_1 PARTITION OF events FOR VALUES WITH (MODULUS 2, REMAINDER 1);\n");
  Migration("20240102000000_core_at.sql", "ALTER TABLE events ADD COLUMN at timestamptz;\n");
  ASSERT_EQ(Strata(app_, {"migrate", "run", "migrations"}).code, 0);
  StrataRun show = Strata(app_, {"show", "public.events_1"});
  ASSERT_EQ(show.code, 0) << show;
  EXPECT_NE(show.out.find("at timestamp with time zone"), std::string::npos) << show;
  EXPECT_NE(show.out.find("ATTACH PARTITION public.events_1 FOR VALUES WITH (modulus 2, remainder 1)"),
            std::string::npos)
      << show;
  StrataRun before = Strata(app_, {"show", "--at", "1", "public.events_1"});
  ASSERT_EQ(before.code, 0) << before;
  EXPECT_EQ(before.out.find("timestamp with time zone"), std::string::npos) << before;
}

}  // namespace
}  // namespace strata::postgres
