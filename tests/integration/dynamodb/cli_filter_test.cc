// Target filters (-t/--filter PATTERN) against moto, through the strata binary: only the tables
// a pattern selects are read (the proxy counts DescribeTable per table), planned, applied,
// pushed, exported, imported, compared or listed; a pattern that selects nothing is an error
// naming it and what is there, before anything is read or changed; and a narrowed apply is a
// partial deployment that leaves the target's cursor where it was, so the tables it did not
// select are still deployed (and deleted) by a later apply.
#include <gtest/gtest.h>

#include <algorithm>

#include "integration/dynamodb/cli_fixture.h"

namespace strata::testing {
namespace {

using json = nlohmann::json;

class CliFilterTest : public DynamoCliTest {
 protected:
  // orders, orders_archive and users as table files, recorded by generate.
  void RecordThreeTables() {
    for (const char* name : {"orders", "orders_archive", "users"}) WriteSimpleTableFile(T(name));
    StrataRun g = Strata({"generate", "-m", "three tables"});
    ASSERT_EQ(g.code, 0) << g;
  }

  // How many DescribeTable calls reached `table` so far.
  int Described(const std::string& table) const {
    const json described = proxy_.Stats()["described"];
    return described.contains(table) ? described[table].get<int>() : 0;
  }

  // The values of `key` in a list of JSON objects, in order.
  static std::vector<std::string> Values(const json& list, const std::string& key) {
    std::vector<std::string> out;
    for (const auto& e : list) out.push_back(e[key]);
    return out;
  }

  // Makes `table` provisioned behind strata's back.
  void MakeProvisioned(const std::string& table) {
    Must("UpdateTable", {{"TableName", table},
                         {"BillingMode", "PROVISIONED"},
                         {"ProvisionedThroughput",
                          {{"ReadCapacityUnits", 5}, {"WriteCapacityUnits", 5}}}});
  }

  json Commits() { return Strata({"--json", "log"}).Json()["commits"]; }
};

TEST_F(CliFilterTest, PlanReadsAndPlansOnlyTheSelectedTables) {
  RecordThreeTables();
  StrataRun plan = Strata({"--json", "plan", "--target", "local", "-t", T("orders*")});
  ASSERT_EQ(plan.code, 0) << plan;
  const json j = plan.Json();
  EXPECT_EQ(Values(j["tables"], "table"),
            (std::vector<std::string>{T("orders"), T("orders_archive")}));
  EXPECT_EQ(j["tables"][0]["action"], "create");
  EXPECT_EQ(j["filter"]["patterns"], json::array({T("orders*")}));
  EXPECT_EQ(j["filter"]["selected"], 2);
  EXPECT_EQ(j["filter"]["of"], 3);
  EXPECT_EQ(j["summary"]["add"], 2);
  EXPECT_EQ(Described(T("users")), 0);
  EXPECT_GT(Described(T("orders")), 0);

  StrataRun text = Strata({"plan", "--target", "local", "--filter", T("users")});
  ASSERT_EQ(text.code, 0) << text;
  EXPECT_TRUE(Contains(text.out, "only 1 of 3 tables (-t " + T("users") +
                                     "); the others are not read or planned"))
      << text;
  EXPECT_TRUE(Contains(text.out, "+ create " + T("users"))) << text;
  EXPECT_FALSE(Contains(text.out, T("orders"))) << text;
  EXPECT_TRUE(Contains(text.out, "Plan: 1 to add, 0 to change, 0 to destroy.")) << text;
}

TEST_F(CliFilterTest, SeveralPatternsSelectWhatAnyOfThemMatches) {
  RecordThreeTables();
  StrataRun plan = Strata(
      {"--json", "plan", "--target", "local", "-t", T("users"), "-t", T("*_archive")});
  ASSERT_EQ(plan.code, 0) << plan;
  EXPECT_EQ(Values(plan.Json()["tables"], "table"),
            (std::vector<std::string>{T("orders_archive"), T("users")}));
  // A pattern that selects everything narrows nothing: the plan is the unfiltered one.
  StrataRun all = Strata({"--json", "plan", "--target", "local", "-t", T("*")});
  ASSERT_EQ(all.code, 0) << all;
  EXPECT_EQ(all.Json()["tables"].size(), 3u);
  EXPECT_FALSE(all.Json().contains("filter")) << all;
  EXPECT_EQ(all.Json()["unapplied_commits"].size(), 1u);
}

TEST_F(CliFilterTest, APatternThatSelectsNothingIsAnErrorNamingItAndWhatIsThere) {
  RecordThreeTables();
  StrataRun plan = Strata({"plan", "--target", "local", "-t", T("users"), "-t", T("nope*")});
  EXPECT_EQ(plan.code, 1) << plan;
  EXPECT_TRUE(Contains(plan.err, "no table of schema dynamodb matches \"" + T("nope*") +
                                     "\"; it has: " + T("orders") + ", " + T("orders_archive") +
                                     ", " + T("users")))
      << plan;
  EXPECT_FALSE(Contains(plan.err, "\"" + T("users") + "\"")) << plan;  // that one matched
  // Refused before anything was read or changed.
  EXPECT_EQ(proxy_.Stats()["requests"], 0);
  StrataRun apply = Strata({"apply", "--target", "local", "--auto-approve", "-t", T("nope*")});
  EXPECT_EQ(apply.code, 1) << apply;
  EXPECT_TRUE(LiveTables().empty());
  EXPECT_EQ(Commits().size(), 1u);  // no deployment recorded

  // Patterns match case-sensitively; a case slip says so.
  std::string upper = T("USERS");
  StrataRun cased = Strata({"plan", "--target", "local", "-t", upper});
  EXPECT_EQ(cased.code, 1) << cased;
  EXPECT_TRUE(Contains(cased.err, "no table " + upper + " of schema dynamodb (patterns match "
                                  "case-sensitively; \"" + upper + "\" differs only in case from " +
                                  T("users") + ")"))
      << cased;

  CreateTable(T("live"));
  StrataRun list = Strata({"list", "--target", "local", "-t", T("nope*")});
  EXPECT_EQ(list.code, 1) << list;
  EXPECT_TRUE(Contains(list.err, "no table on target local (" + endpoint_ +
                                     ", us-east-1) matches \"" + T("nope*") + "\"; it has: "))
      << list;

  StrataRun empty = Strata({"plan", "--target", "local", "-t", ""});
  EXPECT_EQ(empty.code, 2) << empty;
  EXPECT_TRUE(Contains(empty.err, "an empty filter pattern matches nothing")) << empty;
}

TEST_F(CliFilterTest, ApplyOfSelectedTablesIsPartialAndLeavesTheCursor) {
  RecordThreeTables();
  StrataRun apply =
      Strata({"--json", "apply", "--target", "local", "--auto-approve", "-t", T("users")});
  ASSERT_EQ(apply.code, 0) << apply;
  const json applied = apply.Json()["applied"];
  EXPECT_EQ(applied["outcome"], "partial");
  EXPECT_EQ(applied["target_seq"], 0);
  EXPECT_EQ(applied["operations_done"], 1);
  EXPECT_TRUE(Exists(T("users")));
  EXPECT_FALSE(Exists(T("orders")));
  EXPECT_FALSE(Exists(T("orders_archive")));
  EXPECT_EQ(Commits()[0]["message"], "deploy dynamodb seq 1 to local (partial: -t " +
                                         T("users") + ")");

  // The unfiltered plan still has the other two to create, and the commit unapplied.
  StrataRun plan = Strata({"--json", "plan", "--target", "local"});
  ASSERT_EQ(plan.code, 0) << plan;
  EXPECT_EQ(Values(plan.Json()["tables"], "table"),
            (std::vector<std::string>{T("orders"), T("orders_archive")}));
  EXPECT_EQ(plan.Json()["target_seq"], 0);
  EXPECT_EQ(plan.Json()["unapplied_commits"].size(), 1u);
  // drift from the cursor says why what the partial apply did shows as drift.
  StrataRun drift = Strata({"drift", "--target", "local"});
  EXPECT_TRUE(Contains(drift.err, "the last deployment to local (commit 2) was partial")) << drift;

  StrataRun text = Strata({"apply", "--target", "local", "--auto-approve", "-t", T("orders")});
  ASSERT_EQ(text.code, 0) << text;
  EXPECT_TRUE(Contains(text.out, "Apply complete for the tables -t " + T("orders") +
                                     " selects: 1 operation"))
      << text;
  // Seqs are the log's head when planned: the partial deployment commits count.
  EXPECT_TRUE(Contains(text.out, "local stays at seq 0: strata apply without -t brings every "
                                 "table to seq 2."))
      << text;

  // With nothing left to do for the selected tables, a narrowed apply records nothing.
  const size_t commits = Commits().size();
  StrataRun again = Strata({"apply", "--target", "local", "--auto-approve", "-t", T("orders")});
  ASSERT_EQ(again.code, 0) << again;
  EXPECT_TRUE(Contains(again.out, "No changes: the selected live tables of local match seq 3."))
      << again;
  EXPECT_EQ(Commits().size(), commits);

  StrataRun whole = Strata({"--json", "apply", "--target", "local", "--auto-approve"});
  ASSERT_EQ(whole.code, 0) << whole;
  EXPECT_EQ(whole.Json()["applied"]["outcome"], "succeeded");
  EXPECT_EQ(whole.Json()["applied"]["operations_done"], 1);  // orders_archive only
  EXPECT_EQ(whole.Json()["applied"]["target_seq"], 3);
}

TEST_F(CliFilterTest, ANarrowedApplyDeletesOnlyWhatItSelectsAndTheRestLater) {
  WriteSimpleTableFile(T("orders"));
  WriteSimpleTableFile(T("users"));
  ASSERT_EQ(Strata({"push", "--target", "local"}).code, 0);
  std::filesystem::remove(work_ / ("schema/dynamodb/" + T("orders") + ".yaml"));
  std::filesystem::remove(work_ / ("schema/dynamodb/" + T("users") + ".yaml"));
  ASSERT_EQ(Strata({"generate", "-m", "drop both"}).code, 0);

  StrataRun one = Strata({"apply", "--target", "local", "--auto-approve", "-t", T("orders"),
                          "--allow-delete", T("orders")});
  ASSERT_EQ(one.code, 0) << one;
  EXPECT_FALSE(Exists(T("orders")));
  EXPECT_TRUE(Exists(T("users")));
  // The cursor stayed where users was deployed, so the next apply still knows to delete it.
  StrataRun rest = Strata({"--json", "apply", "--target", "local", "--auto-approve",
                           "--allow-delete", T("users")});
  ASSERT_EQ(rest.code, 0) << rest;
  EXPECT_EQ(Values(rest.Json()["tables"], "table"), std::vector<std::string>{T("users")});
  EXPECT_EQ(rest.Json()["tables"][0]["action"], "delete");
  EXPECT_FALSE(Exists(T("users")));
}

TEST_F(CliFilterTest, ADottedTableNameIsNotAContainer) {
  WriteSimpleTableFile(T("app"));
  WriteSimpleTableFile(T("app.orders"));
  ASSERT_EQ(Strata({"generate"}).code, 0);
  StrataRun plan = Strata({"--json", "plan", "--target", "local", "-t", T("app.orders")});
  ASSERT_EQ(plan.code, 0) << plan;
  EXPECT_EQ(Values(plan.Json()["tables"], "table"), std::vector<std::string>{T("app.orders")});
}

TEST_F(CliFilterTest, PushRecordsAndAppliesOnlyTheSelectedTables) {
  WriteSimpleTableFile(T("orders"));
  WriteSimpleTableFile(T("users"));
  StrataRun push = Strata({"push", "--target", "local", "-t", T("users")});
  ASSERT_EQ(push.code, 0) << push;
  EXPECT_TRUE(Exists(T("users")));
  EXPECT_FALSE(Exists(T("orders")));
  const json commits = Strata({"--json", "log", "--events"}).Json()["commits"];
  ASSERT_EQ(commits.size(), 2u);  // the push and its (partial) deployment
  EXPECT_EQ(commits[1]["origin"], "push");
  ASSERT_EQ(commits[1]["events"].size(), 1u);
  EXPECT_EQ(commits[1]["events"][0]["object"], T("users"));
  // The other table's file change is still waiting to be recorded.
  StrataRun status = Strata({"--json", "status"});
  EXPECT_EQ(status.Json()["schemas"]["dynamodb"]["pending_changes"], 1) << status;

  StrataRun none = Strata({"push", "--target", "local", "-t", T("nope")});
  EXPECT_EQ(none.code, 1) << none;
  EXPECT_TRUE(Contains(none.err, "no table " + T("nope") + " of schema dynamodb; it has: " +
                                     T("orders") + ", " + T("users")))
      << none;
  EXPECT_EQ(Strata({"--json", "log"}).Json()["commits"].size(), 2u);
}

TEST_F(CliFilterTest, ListShowsAndDescribesOnlyTheSelectedTables) {
  for (const char* name : {"a1", "a2", "b1"}) CreateTable(T(name));
  StrataRun list = Strata({"--json", "list", "--target", "local", "-t", T("a*")});
  ASSERT_EQ(list.code, 0) << list;
  EXPECT_EQ(Values(list.Json()["tables"], "name"), (std::vector<std::string>{T("a1"), T("a2")}));
  EXPECT_EQ(Described(T("b1")), 0);
  // No other table on the shared server was described either.
  // (The stats held in a variable: iterating a part of the temporary would read freed memory.)
  const nlohmann::json stats = proxy_.Stats();
  for (const auto& [name, count] : stats["described"].items()) {
    EXPECT_EQ(name.rfind(prefix_, 0), 0u) << name << " was described " << count << " times";
  }

  StrataRun two = Strata({"--json", "list", "--target", "local", "-t", T("b1"), "-t", T("a2")});
  ASSERT_EQ(two.code, 0) << two;
  EXPECT_EQ(Values(two.Json()["tables"], "name"), (std::vector<std::string>{T("a2"), T("b1")}));
}

TEST_F(CliFilterTest, DriftComparesOnlyTheSelectedTables) {
  RecordThreeTables();
  ASSERT_EQ(Strata({"apply", "--target", "local", "--auto-approve"}).code, 0);
  MakeProvisioned(T("users"));
  MakeProvisioned(T("orders"));

  const int orders_read = Described(T("orders"));
  StrataRun users = Strata({"--json", "drift", "--target", "local", "-t", T("users")});
  EXPECT_EQ(users.code, 3) << users;
  const json changes = users.Json()["changes"];
  ASSERT_FALSE(changes.empty()) << users;
  for (const auto& c : changes) EXPECT_EQ(c["object"], T("users")) << c;
  EXPECT_EQ(Described(T("orders")), orders_read);

  StrataRun archive = Strata({"drift", "--target", "local", "-t", T("*_archive")});
  EXPECT_EQ(archive.code, 0) << archive;
  EXPECT_TRUE(Contains(archive.out, "at seq 1 (1 table)")) << archive;

  StrataRun none = Strata({"drift", "--target", "local", "-t", T("nope")});
  EXPECT_EQ(none.code, 1) << none;
  EXPECT_TRUE(Contains(none.err, "no table " + T("nope") + " recorded in schema dynamodb at seq 1"))
      << none;
}

TEST_F(CliFilterTest, ImportAndExportTakeOnlyTheSelectedTables) {
  for (const char* name : {"a1", "a2", "b1"}) CreateTable(T(name));
  StrataRun import = Strata({"--json", "import", "--target", "local", "-t", T("a*")});
  ASSERT_EQ(import.code, 0) << import;
  EXPECT_EQ(Values(import.Json()["tables"], "table"), (std::vector<std::string>{T("a1"), T("a2")}));
  EXPECT_EQ(Described(T("b1")), 0);

  StrataRun exported =
      Strata({"--json", "export", "--target", "local", "--dir", "out", "-t", T("b*"), T("a1")});
  ASSERT_EQ(exported.code, 0) << exported;
  EXPECT_EQ(Values(exported.Json()["files"], "table"), (std::vector<std::string>{T("a1"), T("b1")}));
  EXPECT_TRUE(std::filesystem::exists(work_ / ("out/" + T("a1") + ".yaml")));
  EXPECT_TRUE(std::filesystem::exists(work_ / ("out/" + T("b1") + ".yaml")));
  EXPECT_FALSE(std::filesystem::exists(work_ / ("out/" + T("a2") + ".yaml")));

  StrataRun missing = Strata({"export", "--target", "local", "--dir", "out", T("a3")});
  EXPECT_EQ(missing.code, 1) << missing;
  EXPECT_TRUE(Contains(missing.err, "no table " + T("a3") + " on target local")) << missing;
}

}  // namespace
}  // namespace strata::testing
