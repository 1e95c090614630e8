// strata plan, apply, push and drift against moto, through the strata binary:
// what each plans, what reaches DynamoDB, what consent each destructive step needs, and the
// deployment commits the log keeps.
#include <gtest/gtest.h>

#include "adapters/common/process_runner.h"
#include "integration/dynamodb/cli_fixture.h"

namespace strata::testing {
namespace {

using json = nlohmann::json;

class CliDeployTest : public DynamoCliTest {
 protected:
  explicit CliDeployTest(const DynamoDbProxy::Options& proxy = NoDelays())
      : DynamoCliTest(proxy) {}
  json Describe(const std::string& table) { return Must("DescribeTable", {{"TableName", table}})["Table"]; }
  std::vector<std::string> IndexNames(const std::string& table) {
    std::vector<std::string> names;
    for (const auto& g : Describe(table).value("GlobalSecondaryIndexes", json::array())) {
      names.push_back(g["IndexName"]);
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  json Commits() { return Strata({"--json", "log"}).Json()["commits"]; }
  // The deployment commits of the log, newest first.
  std::vector<json> Deployments() {
    std::vector<json> out;
    for (const auto& c : Commits()) {
      if (c["origin"] == "deploy") out.push_back(c);
    }
    return out;
  }
  std::string Users(const std::string& extra) {
    return "table: " + T("users") + "\npartition_key: { name: pk, type: S }\n" + extra;
  }
  // The AWS CLI, as a user changing a table behind strata's back would run it.
  int AwsCli(const std::vector<std::string>& args) {
    common::ProcessRequest req;
    req.argv = {"/bin/bash", std::string(STRATA_SOURCE_DIR) + "/tests/support/aws_cli.sh",
                "--endpoint-url", MotoEndpoint(), "--region", "us-east-1", "--output", "json"};
    req.argv.insert(req.argv.end(), args.begin(), args.end());
    req.environment = {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + work_.path(),
                       "AWS_ACCESS_KEY_ID=" + keys_.access_key_id,
                       "AWS_SECRET_ACCESS_KEY=" + keys_.secret_access_key,
                       "XDG_CACHE_HOME=" + CacheHome()};
    req.working_dir = work_.path();
    auto r = common::NewPosixProcessRunner()->Run(req);
    if (!r.ok()) {
      ADD_FAILURE() << r.status().ToString();
      return -1;
    }
    EXPECT_EQ(r->exit_code, 0) << r->output << r->errors;
    return r->exit_code;
  }
  static std::string CacheHome() {
    if (const char* x = std::getenv("XDG_CACHE_HOME")) return x;
    return std::string(std::getenv("HOME") ? std::getenv("HOME") : "/root") + "/.cache";
  }
};

TEST_F(CliDeployTest, PlanListsUnrecordedChangesUnappliedCommitsAndOperations) {
  WriteFile("schema/dynamodb/users.yaml", Users(""));
  StrataRun before = Strata({"plan", "--target", "local", "--detailed-exitcode"});
  EXPECT_EQ(before.code, 3) << before;
  EXPECT_TRUE(Contains(before.out, "1 change not recorded yet")) << before;
  ASSERT_EQ(Strata({"generate", "-m", "users"}).code, 0);
  StrataRun plan = Strata({"--json", "plan", "--target", "local", "--detailed-exitcode"});
  EXPECT_EQ(plan.code, 3) << plan;
  json j = plan.Json();
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["unrecorded_changes"], 0);
  EXPECT_EQ(j["target_seq"], 0);
  ASSERT_EQ(j["unapplied_commits"].size(), 1u);
  EXPECT_EQ(j["unapplied_commits"][0]["message"], "users");
  ASSERT_EQ(j["tables"].size(), 1u);
  EXPECT_EQ(j["tables"][0]["table"], T("users"));
  EXPECT_EQ(j["tables"][0]["action"], "create");
  EXPECT_EQ(j["tables"][0]["operations"][0]["api"], "CreateTable");
  EXPECT_EQ(j["summary"]["add"], 1);
  EXPECT_FALSE(Exists(T("users")));  // plan changes nothing
}

TEST_F(CliDeployTest, ApplyWithoutATerminalNeedsAutoApprove) {
  WriteFile("schema/dynamodb/users.yaml", Users(""));
  ASSERT_EQ(Strata({"generate"}).code, 0);
  StrataRun r = Strata({"apply", "--target", "local"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(Contains(r.err, "pass --auto-approve")) << r;
  EXPECT_FALSE(Exists(T("users")));
  EXPECT_TRUE(Deployments().empty());
  StrataRun dry = Strata({"apply", "--target", "local", "--dry-run"});
  EXPECT_EQ(dry.code, 0) << dry;
  EXPECT_TRUE(Contains(dry.out, "Dry run: nothing was applied.")) << dry;
  EXPECT_FALSE(Exists(T("users")));
}

TEST_F(CliDeployTest, PushCreatesTheTableWithItsSettingsAndRecordsTheDeployment) {
  WriteFile("schema/dynamodb/users.yaml",
            Users("global_indexes:\n"
                  "  - name: by_email\n"
                  "    partition_key: { name: email, type: S }\n"
                  "ttl: expires_at\n"
                  "stream: new_image\n"));
  StrataRun r = Strata({"--json", "push", "--target", "local"});
  ASSERT_EQ(r.code, 0) << r;
  json j = r.Json();
  EXPECT_EQ(j["applied"]["outcome"], "succeeded");
  json t = Describe(T("users"));
  EXPECT_EQ(t["TableStatus"], "ACTIVE");
  EXPECT_EQ(IndexNames(T("users")), std::vector<std::string>{"by_email"});
  EXPECT_EQ(t["StreamSpecification"]["StreamViewType"], "NEW_IMAGE");
  json ttl = Must("DescribeTimeToLive", {{"TableName", T("users")}});
  EXPECT_EQ(ttl["TimeToLiveDescription"]["TimeToLiveStatus"], "ENABLED");
  EXPECT_EQ(ttl["TimeToLiveDescription"]["AttributeName"], "expires_at");
  // The log: the push commit, then the deployment that carried it out.
  json commits = Commits();
  ASSERT_EQ(commits.size(), 2u);
  EXPECT_EQ(commits[1]["origin"], "push");
  EXPECT_EQ(commits[0]["origin"], "deploy");
  StrataRun again = Strata({"plan", "--target", "local", "--detailed-exitcode"});
  EXPECT_EQ(again.code, 0) << again;
  EXPECT_TRUE(Contains(again.out, "No changes")) << again;
  EXPECT_EQ(Strata({"verify"}).code, 0);
}

TEST_F(CliDeployTest, GlobalIndexesAreAddedAndRemovedOneUpdateTableAtATime) {
  WriteFile("schema/dynamodb/users.yaml",
            Users("global_indexes:\n"
                  "  - name: by_email\n"
                  "    partition_key: { name: email, type: S }\n"));
  ASSERT_EQ(Strata({"push", "--target", "local"}).code, 0);
  WriteFile("schema/dynamodb/users.yaml",
            Users("global_indexes:\n"
                  "  - name: by_name\n"
                  "    partition_key: { name: name, type: S }\n"
                  "  - name: by_team\n"
                  "    partition_key: { name: team, type: S }\n"
                  "    sort_key: { name: joined, type: N }\n"));
  ASSERT_EQ(Strata({"generate"}).code, 0);
  StrataRun r = Strata({"--json", "apply", "--target", "local", "--auto-approve"});
  ASSERT_EQ(r.code, 0) << r;
  json ops = r.Json()["tables"][0]["operations"];
  ASSERT_EQ(ops.size(), 3u);
  for (const auto& op : ops) {
    EXPECT_EQ(op["api"], "UpdateTable");
    EXPECT_TRUE(op["waits"].get<bool>());
  }
  EXPECT_EQ(IndexNames(T("users")), (std::vector<std::string>{"by_name", "by_team"}));
  EXPECT_TRUE(Contains(r.err, "[3/3]")) << r;  // progress, one line per step
  EXPECT_EQ(r.Json()["applied"]["operations_done"], 3);
}

TEST_F(CliDeployTest, ReplacingATableNeedsConsentForThatTable) {
  WriteFile("schema/dynamodb/users.yaml", Users(""));
  ASSERT_EQ(Strata({"push", "--target", "local"}).code, 0);
  Must("PutItem", {{"TableName", T("users")}, {"Item", {{"pk", {{"S", "a"}}}}}});
  WriteFile("schema/dynamodb/users.yaml", "table: " + T("users") +
                                              "\npartition_key: { name: pk, type: S }\n"
                                              "sort_key: { name: sk, type: N }\n");
  ASSERT_EQ(Strata({"generate"}).code, 0);
  StrataRun plan = Strata({"plan", "--target", "local"});
  EXPECT_TRUE(Contains(plan.out, "-/+ replace " + T("users"))) << plan;
  EXPECT_TRUE(Contains(plan.out, "blocked")) << plan;
  StrataRun refused = Strata({"apply", "--target", "local", "--auto-approve"});
  EXPECT_EQ(refused.code, 1) << refused;
  EXPECT_TRUE(Contains(refused.err, "--allow-replace " + T("users"))) << refused;
  EXPECT_EQ(Describe(T("users"))["ItemCount"], 1);  // untouched: the item is still there
  EXPECT_EQ(Describe(T("users"))["KeySchema"].size(), 1u);
  // Consent for another table is no consent for this one.
  StrataRun other = Strata({"apply", "--target", "local", "--auto-approve", "--allow-replace", T("orders")});
  EXPECT_EQ(other.code, 1) << other;
  StrataRun done = Strata({"apply", "--target", "local", "--auto-approve", "--allow-replace", T("users")});
  ASSERT_EQ(done.code, 0) << done;
  EXPECT_EQ(Describe(T("users"))["KeySchema"].size(), 2u);
}

// A table waiting for consent holds up nothing the user does not choose to hold up: the
// refusal names the narrowing that applies the other tables, and following it works.
TEST_F(CliDeployTest, TheRefusalNamesHowToApplyTheOtherTablesMeanwhile) {
  WriteFile("schema/dynamodb/users.yaml", Users(""));
  ASSERT_EQ(Strata({"push", "--target", "local"}).code, 0);
  WriteFile("schema/dynamodb/users.yaml", "table: " + T("users") +
                                              "\npartition_key: { name: pk, type: S }\n"
                                              "sort_key: { name: sk, type: N }\n");
  WriteSimpleTableFile(T("orders"));
  ASSERT_EQ(Strata({"generate"}).code, 0);
  StrataRun refused = Strata({"apply", "--target", "local", "--auto-approve"});
  EXPECT_EQ(refused.code, 1) << refused;
  const std::string advice = "or, to apply the other table now and leave that one for later, add -t " + T("orders");
  ASSERT_TRUE(Contains(refused.err, advice)) << refused;
  EXPECT_FALSE(Exists(T("orders")));
  StrataRun narrowed = Strata({"apply", "--target", "local", "--auto-approve", "-t", T("orders")});
  ASSERT_EQ(narrowed.code, 0) << narrowed;
  EXPECT_TRUE(Exists(T("orders")));
  EXPECT_EQ(Describe(T("users"))["KeySchema"].size(), 1u);  // left for its consent
}

TEST_F(CliDeployTest, BillingTtlAndStreamChangesReachTheTable) {
  WriteFile("schema/dynamodb/users.yaml", Users("ttl: expires_at\n"));
  ASSERT_EQ(Strata({"push", "--target", "local"}).code, 0);
  WriteFile("schema/dynamodb/users.yaml",
            Users("billing: provisioned\ncapacity: { read: 7, write: 3 }\n"
                  "stream: keys_only\n"));
  StrataRun r = Strata({"push", "--target", "local"});
  ASSERT_EQ(r.code, 0) << r;
  json t = Describe(T("users"));
  EXPECT_EQ(t["ProvisionedThroughput"]["ReadCapacityUnits"], 7);
  EXPECT_EQ(t["ProvisionedThroughput"]["WriteCapacityUnits"], 3);
  EXPECT_EQ(t["StreamSpecification"]["StreamViewType"], "KEYS_ONLY");
  json ttl = Must("DescribeTimeToLive", {{"TableName", T("users")}});
  EXPECT_EQ(ttl["TimeToLiveDescription"]["TimeToLiveStatus"], "DISABLED");
  StrataRun drift = Strata({"drift", "--target", "local"});
  EXPECT_EQ(drift.code, 0) << drift;
}

TEST_F(CliDeployTest, DeletingATableNeedsConsentForThatTable) {
  WriteFile("schema/dynamodb/users.yaml", Users(""));
  WriteSimpleTableFile(T("orders"));
  ASSERT_EQ(Strata({"push", "--target", "local"}).code, 0);
  std::filesystem::remove(std::filesystem::path(work_.path()) / "schema/dynamodb" / (T("orders") + ".yaml"));
  ASSERT_EQ(Strata({"generate"}).code, 0);
  StrataRun refused = Strata({"apply", "--target", "local", "--auto-approve"});
  EXPECT_EQ(refused.code, 1) << refused;
  EXPECT_TRUE(Contains(refused.err, "--allow-delete " + T("orders"))) << refused;
  EXPECT_TRUE(Exists(T("orders")));
  StrataRun done = Strata({"apply", "--target", "local", "--auto-approve", "--allow-delete", T("orders")});
  ASSERT_EQ(done.code, 0) << done;
  EXPECT_FALSE(Exists(T("orders")));
  EXPECT_TRUE(Exists(T("users")));
}

// The advice for a table removed from the files while it has deletion protection, taken
// literally: the flag the error names, appended to the same command, deletes it (and the other
// table removed in the same apply); the log says protection was lifted and never recreates it.
TEST_F(CliDeployTest, ARemovedProtectedTableIsDeletedByFollowingThePrintedAdvice) {
  WriteFile("schema/dynamodb/vault.yaml",
            "table: " + T("vault") + "\npartition_key: { name: pk, type: S }\n"
            "deletion_protection: true\n");
  WriteSimpleTableFile(T("orders"));
  WriteFile("schema/dynamodb/users.yaml", Users(""));
  ASSERT_EQ(Strata({"push", "--target", "local"}).code, 0);
  ASSERT_EQ(Describe(T("vault"))["DeletionProtectionEnabled"], true);
  const std::filesystem::path dir = std::filesystem::path(work_.path()) / "schema/dynamodb";
  std::filesystem::remove(dir / "vault.yaml");
  std::filesystem::remove(dir / (T("orders") + ".yaml"));
  ASSERT_EQ(Strata({"generate", "-m", "retire vault and orders"}).code, 0);
  const size_t commits_before = Commits().size();

  StrataRun plan = Strata({"plan", "--target", "local"});
  ASSERT_EQ(plan.code, 0) << plan;
  const std::string advice = "run again with --lift-deletion-protection " + T("vault");
  EXPECT_TRUE(Contains(plan.out, "blocked: table " + T("vault") + " has deletion protection on"))
      << plan;
  EXPECT_TRUE(Contains(plan.out, advice)) << plan;

  std::vector<std::string> command = {"apply", "--target", "local", "--auto-approve",
                                      "--allow-delete", T("orders")};
  StrataRun refused = Strata(command);
  EXPECT_EQ(refused.code, 1) << refused;
  ASSERT_TRUE(Contains(refused.err, advice)) << refused;
  EXPECT_FALSE(Contains(refused.err, "--allow-replace")) << refused;
  EXPECT_TRUE(Exists(T("vault")));
  EXPECT_TRUE(Exists(T("orders")));
  EXPECT_EQ(Commits().size(), commits_before);  // nothing ran, nothing recorded

  // The advice's flag and table, exactly as printed.
  const std::string printed = refused.err.substr(refused.err.find(advice) + 15);
  const std::string flag = printed.substr(0, printed.find(' '));
  const std::string table = printed.substr(flag.size() + 1, T("vault").size());
  command.push_back(flag);
  command.push_back(table);
  StrataRun done = Strata(command);
  ASSERT_EQ(done.code, 0) << done;
  EXPECT_FALSE(Exists(T("vault")));
  EXPECT_FALSE(Exists(T("orders")));
  EXPECT_TRUE(Exists(T("users")));
  EXPECT_TRUE(Contains(done.out, T("vault") + ": deletion protection turned off to delete the "
                                               "table, with consent"))
      << done;

  // History: one deployment more, saying what happened; no commit recreates the table.
  json commits = Commits();
  ASSERT_EQ(commits.size(), commits_before + 1);
  EXPECT_EQ(commits[0]["origin"], "deploy");
  EXPECT_TRUE(Contains(commits[0]["message"].get<std::string>(), "local")) << commits[0];
  // The table's own history: created once, dropped once, nothing after.
  StrataRun log = Strata({"log", T("vault"), "--events"});
  ASSERT_EQ(log.code, 0) << log;
  const std::string created = "+ " + T("vault") + ": create table";
  const std::string dropped = "- " + T("vault") + ": drop table";
  ASSERT_TRUE(Contains(log.out, dropped)) << log;
  EXPECT_FALSE(Contains(log.out.substr(0, log.out.find(dropped)), created)) << log;
  EXPECT_EQ(log.out.find(created), log.out.rfind(created)) << log;
  json shown = Strata({"--json", "log", "-n", "1"}).Json()["commits"][0];
  EXPECT_TRUE(Contains(shown.dump(), "deletion protection turned off to delete the table"))
      << shown;
  StrataRun again = Strata({"plan", "--target", "local", "--detailed-exitcode"});
  EXPECT_EQ(again.code, 0) << again;
  EXPECT_EQ(Strata({"verify"}).code, 0);
}

// moto has no one-hour rule (the unit tests play it); what it shows is the sequence: off now,
// on held with a time to come back, the deployment recorded as partial with the cursor where it
// was, and a later apply finishing.
TEST_F(CliDeployTest, ANewTimeToLiveAttributeIsTurnedOnByALaterApply) {
  WriteFile("schema/dynamodb/users.yaml", Users("ttl: expires_at\n"));
  ASSERT_EQ(Strata({"push", "--target", "local"}).code, 0);
  WriteFile("schema/dynamodb/users.yaml", Users("ttl: purge_at\n"));
  ASSERT_EQ(Strata({"generate"}).code, 0);
  StrataRun plan = Strata({"plan", "--target", "local"});
  ASSERT_EQ(plan.code, 0) << plan;
  EXPECT_TRUE(Contains(plan.out, "UpdateTimeToLive turn on time to live on attribute purge_at\n"
                                 "        held for a later apply: DynamoDB takes one time-to-live "
                                 "change per table an hour"))
      << plan;

  StrataRun first = Strata({"--json", "apply", "--target", "local", "--auto-approve"});
  ASSERT_EQ(first.code, 0) << first;
  json applied = first.Json()["applied"];
  EXPECT_EQ(applied["outcome"], "partial");
  EXPECT_EQ(applied["operations_done"], 1);
  EXPECT_EQ(applied["pending"], json::array({T("users")}));
  ASSERT_EQ(applied["notes"].size(), 1u);
  EXPECT_TRUE(Contains(applied["notes"][0].get<std::string>(),
                       "is held: DynamoDB takes one time-to-live change per table an hour; run "
                       "strata apply again after "))
      << applied;
  json ttl = Must("DescribeTimeToLive", {{"TableName", T("users")}});
  EXPECT_EQ(ttl["TimeToLiveDescription"]["TimeToLiveStatus"], "DISABLED");
  const uint64_t cursor = applied["target_seq"];
  EXPECT_LT(cursor, first.Json()["head_seq"].get<uint64_t>());

  StrataRun second = Strata({"--json", "apply", "--target", "local", "--auto-approve"});
  ASSERT_EQ(second.code, 0) << second;
  EXPECT_EQ(second.Json()["applied"]["outcome"], "succeeded");
  ttl = Must("DescribeTimeToLive", {{"TableName", T("users")}});
  EXPECT_EQ(ttl["TimeToLiveDescription"]["AttributeName"], "purge_at");
  EXPECT_EQ(Strata({"drift", "--target", "local"}).code, 0);
}

// Tables are independent: one the service refuses is left where it failed, the others are
// done, the deployment records what became of each, and the next apply, following the printed
// advice, does only what is left.
TEST_F(CliDeployTest, OneFailedTableDoesNotHoldUpTheOthers) {
  for (const char* name : {"a", "b", "c"}) {
    WriteFile(std::string("schema/dynamodb/") + name + ".yaml",
              "table: " + T(name) + "\npartition_key: { name: pk, type: S }\n");
  }
  ASSERT_EQ(Strata({"generate", "-m", "three tables"}).code, 0);
  proxy_.Control({{"refuse",
                   {{{"operation", "CreateTable"},
                     {"table", T("b")},
                     {"type", "ValidationException"},
                     {"message", "One or more parameter values were invalid: refused for this "
                                 "test"}}}}});

  StrataRun first = Strata({"--json", "apply", "--target", "local", "--auto-approve"});
  EXPECT_EQ(first.code, 1) << first;
  EXPECT_TRUE(Contains(first.err, "apply failed on 1 of 3 tables, the others went on")) << first;
  EXPECT_TRUE(Contains(first.err, "run strata apply again: it does only what is left")) << first;
  json applied = first.Json()["applied"];
  EXPECT_EQ(applied["outcome"], "partial");
  EXPECT_EQ(applied["operations_done"], 2);
  ASSERT_EQ(applied["objects"].size(), 3u) << applied;
  EXPECT_EQ(Find(applied["objects"], T("a"))["result"], "done");
  EXPECT_EQ(Find(applied["objects"], T("c"))["result"], "done");
  json failed = Find(applied["objects"], T("b"));
  EXPECT_EQ(failed["result"], "failed");
  EXPECT_EQ(failed["steps_done"], 0);
  EXPECT_TRUE(Contains(failed["detail"].get<std::string>(),
                       "CreateTable for table " + T("b") + " rejected: One or more parameter"))
      << failed;
  EXPECT_TRUE(Exists(T("a")));
  EXPECT_FALSE(Exists(T("b")));
  EXPECT_TRUE(Exists(T("c")));

  // The log keeps each table's outcome with the deployment.
  json recorded = Deployments().at(0)["deployment"];
  EXPECT_EQ(recorded["outcome"], "partial");
  EXPECT_EQ(Find(recorded["objects"], T("b"))["result"], "failed") << recorded;
  EXPECT_EQ(Find(recorded["objects"], T("a"))["result"], "done") << recorded;
  StrataRun log = Strata({"log", "-n", "1"});
  EXPECT_TRUE(Contains(log.out, T("b") + ": failed (0 of 1)")) << log;

  // What is left is the failed table alone; refused once more, the text says so per table.
  json plan = Strata({"--json", "plan", "--target", "local"}).Json();
  ASSERT_EQ(plan["tables"].size(), 1u) << plan;
  EXPECT_EQ(plan["tables"][0]["table"], T("b"));
  proxy_.Control({{"refuse",
                   {{{"operation", "CreateTable"},
                     {"table", T("b")},
                     {"type", "ValidationException"},
                     {"message", "refused again"}}}}});
  StrataRun text = Strata({"apply", "--target", "local", "--auto-approve"});
  EXPECT_EQ(text.code, 1) << text;
  EXPECT_TRUE(Contains(text.out, "  " + T("b") + ": failed (0 of 1 step): table " + T("b") +
                                     ": create table " + T("b") + " (CreateTable)"))
      << text;
  EXPECT_TRUE(Contains(text.err, "apply stopped after 0 of 1 operations")) << text;
  StrataRun again = Strata({"apply", "--target", "local", "--auto-approve"});
  ASSERT_EQ(again.code, 0) << again;
  EXPECT_TRUE(Contains(again.out, "Apply complete: 1 operation")) << again;
  EXPECT_TRUE(Exists(T("b")));
  EXPECT_EQ(Strata({"drift", "--target", "local"}).code, 0);
}

// A target that does not keep table classes (DynamoDB Local answers the change "Nothing to
// update"; the proxy plays that answer here) gets the class left alone with a note, and the
// deployment is not a failure.
TEST_F(CliDeployTest, ATableClassTheTargetDoesNotKeepIsLeftAloneWithANote) {
  WriteFile("schema/dynamodb/users.yaml", Users(""));
  ASSERT_EQ(Strata({"push", "--target", "local"}).code, 0);
  WriteFile("schema/dynamodb/users.yaml", Users("table_class: STANDARD_INFREQUENT_ACCESS\n"));
  ASSERT_EQ(Strata({"generate"}).code, 0);
  proxy_.Control({{"refuse",
                   {{{"operation", "UpdateTable"},
                     {"table", T("users")},
                     {"type", "ValidationException"},
                     {"message", "Nothing to update"}}}}});
  StrataRun r = Strata({"apply", "--target", "local", "--auto-approve"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_TRUE(Contains(r.out, T("users") + ": table class left alone: the target does not keep "
                                           "table classes"))
      << r;
  EXPECT_EQ(Deployments().at(0)["deployment"]["outcome"], "succeeded");
}

// push never asks for approval; --auto-approve, which apply needs without a terminal, is
// accepted rather than a usage error.
TEST_F(CliDeployTest, PushTakesAutoApprove) {
  WriteFile("schema/dynamodb/users.yaml", Users(""));
  StrataRun r = Strata({"push", "--target", "local", "--auto-approve"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_TRUE(Exists(T("users")));
}

TEST_F(CliDeployTest, UnmanagedTablesAreNeverTouched) {
  CreateTable(T("theirs"));
  WriteFile("schema/dynamodb/users.yaml", Users(""));
  StrataRun r = Strata({"--json", "push", "--target", "local"});
  ASSERT_EQ(r.code, 0) << r;
  const nlohmann::json listed = r.Json();  // kept: the loop walks into it
  for (const auto& t : listed["tables"]) EXPECT_NE(t["table"], T("theirs"));
  EXPECT_TRUE(Exists(T("theirs")));
}

// The proxy holds tables in CREATING a while, as DynamoDB does, and refuses time to live on a
// table being created, so --no-wait really leaves work for the next apply.
class DelayedCliDeployTest : public CliDeployTest {
 protected:
  DelayedCliDeployTest() : CliDeployTest({.delay_seconds = 3}) {}
};

TEST_F(DelayedCliDeployTest, NoWaitRecordsAPartialDeploymentThatApplyResumes) {
  WriteFile("schema/dynamodb/users.yaml", Users("ttl: expires_at\n"));
  ASSERT_EQ(Strata({"generate"}).code, 0);
  StrataRun first = Strata({"--json", "apply", "--target", "local", "--auto-approve", "--no-wait"});
  ASSERT_EQ(first.code, 0) << first;
  json applied = first.Json()["applied"];
  EXPECT_EQ(applied["outcome"], "partial");
  EXPECT_EQ(applied["target_seq"], 0);  // the cursor stays until everything is done
  json status = Strata({"--json", "status"}).Json();
  ASSERT_EQ(status["targets"].size(), 1u);
  EXPECT_EQ(status["targets"][0]["target"], "local");
  EXPECT_EQ(status["targets"][0]["outcome"], "partial");
  StrataRun plan = Strata({"plan", "--target", "local", "--detailed-exitcode"});
  EXPECT_EQ(plan.code, 3) << plan;
  StrataRun rest = Strata({"--json", "apply", "--target", "local", "--auto-approve"});
  ASSERT_EQ(rest.code, 0) << rest;
  EXPECT_EQ(rest.Json()["applied"]["outcome"], "succeeded");
  json ttl = Must("DescribeTimeToLive", {{"TableName", T("users")}});
  EXPECT_EQ(ttl["TimeToLiveDescription"]["TimeToLiveStatus"], "ENABLED");
  auto deployments = Deployments();
  ASSERT_EQ(deployments.size(), 2u);
  EXPECT_EQ(Strata({"plan", "--target", "local", "--detailed-exitcode"}).code, 0);
}

TEST_F(CliDeployTest, DriftShowsAChangeMadeWithTheAwsCli) {
  WriteFile("schema/dynamodb/users.yaml",
            Users("global_indexes:\n"
                  "  - name: by_email\n"
                  "    partition_key: { name: email, type: S }\n"));
  ASSERT_EQ(Strata({"push", "--target", "local"}).code, 0);
  EXPECT_EQ(Strata({"drift", "--target", "local"}).code, 0);
  ASSERT_EQ(AwsCli({"dynamodb", "update-table", "--table-name", T("users"),
                    "--global-secondary-index-updates", R"([{"Delete":{"IndexName":"by_email"}}])"}),
            0);
  StrataRun drift = Strata({"--json", "drift", "--target", "local"});
  EXPECT_EQ(drift.code, 3) << drift;
  json j = drift.Json();
  EXPECT_TRUE(j["drift"].get<bool>());
  ASSERT_EQ(j["changes"].size(), 1u);
  EXPECT_EQ(j["changes"][0]["op"], "drop_global_index");
  // apply puts it back.
  StrataRun fix = Strata({"apply", "--target", "local", "--auto-approve"});
  ASSERT_EQ(fix.code, 0) << fix;
  EXPECT_EQ(IndexNames(T("users")), std::vector<std::string>{"by_email"});
  EXPECT_EQ(Strata({"drift", "--target", "local"}).code, 0);
}

TEST_F(CliDeployTest, AnUnreachableEndpointIsAClearError) {
  WriteFile("schema/dynamodb/users.yaml", Users(""));
  ASSERT_EQ(Strata({"generate"}).code, 0);
  StrataRun r = Strata({"plan", "--target", "local", "--endpoint-url", "http://127.0.0.1:1"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(Contains(r.err, "127.0.0.1:1")) << r;
  EXPECT_TRUE(Contains(r.err, "is the endpoint right")) << r;
  // No credentials in messages.
  EXPECT_FALSE(Contains(r.err, keys_.access_key_id)) << r;
  EXPECT_FALSE(Contains(r.err, keys_.secret_access_key)) << r;
}

}  // namespace
}  // namespace strata::testing
