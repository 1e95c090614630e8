// The history commands (show, blame, diff, refs) over what `strata migrate run` recorded, as
// users run them: the real binary on a real server. Hostile names, deployments interleaved
// with changes, and points in time inside one run.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "engine/refs/refs.h"
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

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class HistoryCommandsTest : public ::testing::Test {
 protected:
  StrataRun Strata(const TestDatabase& db, std::vector<std::string> args) const {
    return RunStrata(args,
                     {"PATH=/usr/bin:/bin", "NO_COLOR=1", "PGHOST=127.0.0.1",
                      "PGPORT=" + std::to_string(strata::testing::TestClusterPort()),
                      "PGUSER=postgres", "PGDATABASE=" + db.name(), "STRATA_ACTOR_NAME=alice"},
                     work_.path());
  }
  StrataRun Strata(std::vector<std::string> args) const { return Strata(app_, std::move(args)); }
  void Migration(const std::string& file, const std::string& sql) {
    fs::create_directories(work_ / "migrations");
    std::ofstream(fs::path(work_ / "migrations") / file, std::ios::binary) << sql;
  }
  void Migrate(const TestDatabase& db) {
    StrataRun r = Strata(db, {"migrate", "run", "migrations"});
    ASSERT_EQ(r.code, 0) << r;
  }
  // blame OBJECT --json as path -> value; empty (and a failure) when it fails.
  std::map<std::string, std::string> Blamed(const std::string& object) {
    std::map<std::string, std::string> out;
    StrataRun r = Strata({"--json", "blame", object});
    EXPECT_EQ(r.code, 0) << object << ": " << r;
    if (r.code != 0) return out;
    const json doc = r.Json();
    for (const auto& line : doc["lines"]) {
      out[line["path"].get<std::string>()] = line["value"].get<std::string>();
    }
    return out;
  }
  // The seq `ref` names, as show reports it.
  uint64_t SeqOf(const std::string& ref) {
    StrataRun r = Strata({"--json", "show", "--at", ref});
    EXPECT_EQ(r.code, 0) << r;
    return r.code == 0 ? r.Json()["seq"].get<uint64_t>() : 0;
  }

  TempDir work_;
  TestDatabase app_;
};

TEST_F(HistoryCommandsTest, ShowAndBlameAcceptTheQuotedNamesTheyPrint) {
  Migration("1_core_hostile.sql",
            "CREATE TABLE \"my.table\" (id int, \"a.b\" text, \"we\"\"ird\" text DEFAULT 'it''s', "
            "note text DEFAULT E'back\\\\slash');\n");
  Migrate(app_);
  StrataRun show = Strata({"show", "public.\"my.table\""});
  ASSERT_EQ(show.code, 0) << show;
  EXPECT_TRUE(Contains(show.out, "CREATE TABLE public.\"my.table\" (")) << show;
  // The unquoted key works as before.
  EXPECT_EQ(Strata({"show", "public.my.table"}).out, show.out);

  using Values = std::map<std::string, std::string>;
  EXPECT_EQ(Blamed("public.\"my.table\".\"a.b\""),
            (Values{{"columns[a.b].identity", "NONE"}, {"columns[a.b].type", "text"}}));
  // Values are the text as it is: no TextFormat quotes or \' escapes.
  EXPECT_EQ(Blamed("public.\"my.table\".\"we\"\"ird\""),
            (Values{{"columns[we\"ird].default_expr", "'it''s'::text"},
                    {"columns[we\"ird].identity", "NONE"},
                    {"columns[we\"ird].type", "text"}}));
  EXPECT_EQ(Blamed("public.my.table")["columns[note].default_expr"], "'back\\slash'::text");
  // Unquoted, every '.' may end the object; here only one reading names a column.
  EXPECT_EQ(Blamed("public.my.table.a.b"),
            (Values{{"columns[a.b].identity", "NONE"}, {"columns[a.b].type", "text"}}));
  StrataRun human = Strata({"blame", "public.\"my.table\""});
  ASSERT_EQ(human.code, 0) << human;
  EXPECT_TRUE(Contains(human.out, " 'it''s'::text ")) << human;
  EXPECT_FALSE(Contains(human.out, "\\'")) << human;
  EXPECT_FALSE(Contains(human.out, "\"text\"")) << human;

  // log takes the same names.
  StrataRun log = Strata({"--json", "log", "public.\"my.table\""});
  ASSERT_EQ(log.code, 0) << log;
  EXPECT_EQ(log.Json()["commits"].size(), 1u) << log;
  EXPECT_EQ(Strata({"--json", "log", "postgres:public.my.table"}).Json()["commits"].size(), 1u);
  EXPECT_EQ(Strata({"--json", "log", "other:public.my.table"}).Json()["commits"].size(), 0u);

  StrataRun unclosed = Strata({"show", "public.\"my.table"});
  EXPECT_EQ(unclosed.code, 1) << unclosed;
  EXPECT_TRUE(Contains(unclosed.err, "has a quote that is never closed")) << unclosed;
  StrataRun too_many = Strata({"show", "public.\"my.table\".id"});
  EXPECT_EQ(too_many.code, 1) << too_many;
  EXPECT_TRUE(Contains(too_many.err, "has 3 names where an object name takes at most 2")) << too_many;
}

// public.t.a.b reads as column "a.b" of public.t, or column b of public."t.a": blame says so
// instead of guessing, and the quoted forms it lists each name one of them.
TEST_F(HistoryCommandsTest, DottedNamesAreResolvedUnambiguouslyOrListed) {
  Migration("1_core_tables.sql",
            "CREATE TABLE t (a text, \"a.b\" integer);\nCREATE TABLE \"t.a\" (b boolean);\n");
  Migrate(app_);
  StrataRun ambiguous = Strata({"blame", "public.t.a.b"});
  EXPECT_EQ(ambiguous.code, 1) << ambiguous;
  EXPECT_TRUE(Contains(ambiguous.err, "public.t.a.b can name 2 things as of seq 1: "
                                      "public.t.\"a.b\" or public.\"t.a\".\"b\"; write the one "
                                      "you mean with its quotes"))
      << ambiguous;
  EXPECT_EQ(Blamed("public.t.\"a.b\"")["columns[a.b].type"], "integer");
  EXPECT_EQ(Blamed("public.\"t.a\".\"b\"")["columns[b].type"], "boolean");
  EXPECT_EQ(Blamed("public.\"t.a\".b")["columns[b].type"], "boolean");
  // The table "t.a" or column a of t: also listed, also each reachable.
  StrataRun table_or_column = Strata({"blame", "public.t.a"});
  EXPECT_EQ(table_or_column.code, 1) << table_or_column;
  EXPECT_TRUE(Contains(table_or_column.err, "public.\"t.a\" or public.t.\"a\"")) << table_or_column;
  EXPECT_EQ(Blamed("public.\"t.a\"").count("columns[b].type"), 1u);
  EXPECT_EQ(Blamed("public.t.\"a\"").count("columns[a].type"), 1u);
  StrataRun missing = Strata({"blame", "public.nope.x"});
  EXPECT_EQ(missing.code, 1) << missing;
  EXPECT_TRUE(Contains(missing.err, "no object public.nope.x as of seq 1")) << missing;
}

// Seqs: 1 users, 2 index (app); 3, 4 deployments to staging; 5 email (staging first); 6 its
// deployment to app. ~N counts the changes 1, 2 and 5 only.
TEST_F(HistoryCommandsTest, RelativeRefsStepOverDeploymentCommits) {
  TestDatabase staging;
  Migration("1_core_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\n");
  Migration("2_core_index.sql", "CREATE INDEX users_id_desc ON users (id DESC);\n");
  Migrate(app_);
  Migrate(staging);
  Migration("3_core_email.sql", "ALTER TABLE users ADD COLUMN email text;\n");
  Migrate(staging);
  Migrate(app_);
  json log = Strata({"--json", "log"}).Json();
  ASSERT_EQ(log["commits"].size(), 6u) << log.dump(2);
  std::vector<std::string> origins;
  for (const auto& c : log["commits"]) origins.push_back(c["origin"]);
  EXPECT_EQ(origins, (std::vector<std::string>{"deploy", "migrate", "deploy", "deploy", "migrate",
                                               "migrate"}));  // newest first

  EXPECT_EQ(SeqOf("HEAD"), 6u);
  EXPECT_EQ(SeqOf("HEAD~1"), 2u);  // the schema before the email column, not seq 5
  EXPECT_EQ(SeqOf("HEAD~2"), 1u);
  EXPECT_EQ(SeqOf("4~1"), 1u);
  StrataRun past = Strata({"show", "--at", "HEAD~3"});
  EXPECT_EQ(past.code, 1) << past;
  EXPECT_TRUE(Contains(past.err, "HEAD~3 goes back past the first schema change")) << past;
  StrataRun before_email = Strata({"show", "--at", "HEAD~1", "public.users"});
  ASSERT_EQ(before_email.code, 0) << before_email;
  EXPECT_FALSE(Contains(before_email.out, "email")) << before_email;
  EXPECT_TRUE(Contains(before_email.out, "users_id_desc")) << before_email;

  // A table whose only change is a new index is changed, not added.
  StrataRun index_only = Strata({"diff", "1", "2"});
  ASSERT_EQ(index_only.code, 0) << index_only;
  EXPECT_EQ(index_only.out,
            "~ postgres:public.users\n"
            "    + create index users_id_desc\n"
            "seq 1 -> 2: 0 to add, 1 to change, 0 to destroy.\n");
  StrataRun last_change = Strata({"diff", "HEAD~1", "HEAD"});
  ASSERT_EQ(last_change.code, 0) << last_change;
  EXPECT_TRUE(Contains(last_change.out, "~ postgres:public.users\n    + add column email text\n"
                                        "seq 2 -> 6: 0 to add, 1 to change, 0 to destroy.\n"))
      << last_change;
  StrataRun events = Strata({"log", "--events"});
  EXPECT_TRUE(Contains(events.out, "~ public.users: create index users_id_desc")) << events;
  EXPECT_TRUE(Contains(events.out, "+ public.users: create table")) << events;
}

// Each commit of a run carries the time its migration finished, so a time between two
// migrations of one run names the first one.
TEST_F(HistoryCommandsTest, ATimeInsideARunNamesTheMigrationsFinishedBeforeIt) {
  Migration("1_core_users.sql", "CREATE TABLE users (id bigint);\n");
  Migration("2_core_slow.sql", "SELECT pg_sleep(1.2);\nALTER TABLE users ADD COLUMN email text;\n");
  Migrate(app_);
  json log = Strata({"--json", "log"}).Json();
  ASSERT_EQ(log["commits"].size(), 2u) << log.dump(2);
  auto first = ParseTime(log["commits"][1]["time"].get<std::string>());
  auto second = ParseTime(log["commits"][0]["time"].get<std::string>());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_GE(*second - *first, 1'200'000) << log.dump(2);
  const std::string between = "@" + FormatTime(*first + 500'000);
  EXPECT_EQ(SeqOf(between), 1u);
  StrataRun show = Strata({"show", "--at", between, "public.users"});
  ASSERT_EQ(show.code, 0) << show;
  EXPECT_FALSE(Contains(show.out, "email")) << show;
}

}  // namespace
}  // namespace strata::postgres
