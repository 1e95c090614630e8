// strata drop against moto: what it refuses (no consent without a terminal,
// unmanaged tables, deletion protection), and what a drop records in the log.
#include <gtest/gtest.h>

#include "adapters/common/process_runner.h"
#include "integration/dynamodb/cli_fixture.h"

namespace strata::testing {
namespace {

using json = nlohmann::json;

class CliDropTest : public DynamoCliTest {
 protected:
  // A table defined by a schema file, recorded by generate and created live.
  void ManagedTable(const std::string& table, const std::string& extra_yaml = "") {
    WriteFile("schema/dynamodb/" + table + ".yaml",
              "table: " + table + "\npartition_key: { name: pk, type: S }\n" + extra_yaml);
    StrataRun g = Strata({"generate", "-m", "add " + table});
    ASSERT_EQ(g.code, 0) << g;
    CreateTable(table);
  }
  json Log() { return Strata({"--json", "log"}).Json(); }
};

TEST_F(CliDropTest, WithoutATerminalItNeedsYesAndNames) {
  ManagedTable(T("orders"));
  StrataRun no_yes = Strata({"drop", "--target", "local", T("orders")});
  EXPECT_EQ(no_yes.code, 2) << no_yes;
  EXPECT_TRUE(Contains(no_yes.err, "without a terminal, name the tables and pass --yes")) << no_yes;
  StrataRun no_names = Strata({"drop", "--target", "local", "--yes"});
  EXPECT_EQ(no_names.code, 2) << no_names;
  EXPECT_TRUE(Exists(T("orders")));
  EXPECT_EQ(Log()["commits"].size(), 1u);
}

TEST_F(CliDropTest, RefusesUnmanagedTablesAndDropsNothing) {
  ManagedTable(T("orders"));
  CreateTable(T("theirs"));
  StrataRun r = Strata({"drop", "--target", "local", "--yes", T("orders"), T("theirs")});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(Contains(r.err, T("theirs") + " is not managed by strata")) << r;
  EXPECT_TRUE(Contains(r.err, "nothing was dropped")) << r;
  EXPECT_TRUE(Exists(T("orders")));  // all or nothing
  EXPECT_TRUE(Exists(T("theirs")));
  EXPECT_EQ(Log()["commits"].size(), 1u);
}

TEST_F(CliDropTest, ATableThatIsNotThereIsNamed) {
  StrataRun r = Strata({"drop", "--target", "local", "--yes", T("ghost")});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_TRUE(Contains(r.err, "no table " + T("ghost"))) << r;
}

TEST_F(CliDropTest, DeletionProtectionNeedsToBeLiftedExplicitly) {
  ManagedTable(T("vault"), "deletion_protection: true\n");
  Must("UpdateTable", {{"TableName", T("vault")}, {"DeletionProtectionEnabled", true}});
  StrataRun refused = Strata({"drop", "--target", "local", "--yes", T("vault")});
  EXPECT_EQ(refused.code, 1) << refused;
  EXPECT_TRUE(Contains(refused.err, T("vault") + " has deletion protection on")) << refused;
  EXPECT_TRUE(Contains(refused.err, "--lift-deletion-protection")) << refused;
  EXPECT_TRUE(Exists(T("vault")));

  StrataRun lifted =
      Strata({"drop", "--target", "local", "--yes", "--lift-deletion-protection", T("vault")});
  ASSERT_EQ(lifted.code, 0) << lifted;
  EXPECT_FALSE(Exists(T("vault")));
}

TEST_F(CliDropTest, ADropIsRecordedAsADropCommitAndADeploymentAndTheLogVerifies) {
  ManagedTable(T("orders"));
  ManagedTable(T("keep"));
  StrataRun r = Strata({"--json", "drop", "--target", "local", "--yes", T("orders"), "-m",
                        "orders moved to the new service"});
  ASSERT_EQ(r.code, 0) << r;
  json doc = r.Json();
  EXPECT_EQ(doc["dropped"], json::array({T("orders")}));
  EXPECT_EQ(doc["drop_seq"], 3);
  EXPECT_EQ(doc["deployment_seq"], 4);
  EXPECT_EQ(doc["waited"], true);
  ASSERT_EQ(doc["still_defined"].size(), 1u);
  EXPECT_EQ(doc["still_defined"][0]["file"], "schema/dynamodb/" + T("orders") + ".yaml");
  EXPECT_FALSE(Exists(T("orders")));
  EXPECT_TRUE(Exists(T("keep")));

  json log = Log();
  ASSERT_EQ(log["commits"].size(), 4u) << log.dump(2);
  // Newest first: the deployment, then the drop.
  const json& deployment = log["commits"][0];
  const json& drop = log["commits"][1];
  EXPECT_EQ(drop["origin"], "drop") << drop.dump(2);
  EXPECT_EQ(drop["schema"], "dynamodb");
  EXPECT_EQ(drop["message"], "orders moved to the new service");
  EXPECT_EQ(deployment["origin"], "deploy") << deployment.dump(2);

  StrataRun events = Strata({"--json", "log", T("orders"), "--events"});
  ASSERT_EQ(events.code, 0) << events;
  EXPECT_TRUE(Contains(events.out, "drop_table")) << events;

  EXPECT_EQ(Strata({"verify"}).code, 0);
  // The table is gone from the recorded schema at the head, and still there before the drop.
  EXPECT_NE(Strata({"show", T("orders")}).code, 0);
  EXPECT_EQ(Strata({"show", "--at", "2", T("orders")}).code, 0);
  EXPECT_EQ(Strata({"show", T("keep")}).code, 0);
}

TEST_F(CliDropTest, TextNamesTheSchemaFileThatStillDefinesTheTable) {
  ManagedTable(T("orders"));
  StrataRun r = Strata({"drop", "--target", "local", "--yes", T("orders")});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_TRUE(Contains(r.out, "Dropped " + T("orders"))) << r;
  EXPECT_TRUE(Contains(
      r.out, "schema/dynamodb/" + T("orders") + ".yaml still defines " + T("orders") + ": remove"))
      << r;
  EXPECT_TRUE(Contains(r.out, "the next strata generate will record creating it again")) << r;
}

TEST_F(CliDropTest, AManagedTableTheLogNeverHadIsDroppedWithOnlyADeploymentRecord) {
  WriteSimpleTableFile(T("fresh"));  // in the files, never generated
  CreateTable(T("fresh"));
  StrataRun r = Strata({"--json", "drop", "--target", "local", "--yes", T("fresh")});
  ASSERT_EQ(r.code, 0) << r;
  json doc = r.Json();
  EXPECT_TRUE(doc["drop_seq"].is_null()) << doc.dump(2);
  EXPECT_EQ(doc["deployment_seq"], 1);
  EXPECT_EQ(Strata({"verify"}).code, 0);
}

// On a terminal: choose by number, then type the name. `script` gives strata a terminal.
TEST_F(CliDropTest, OnATerminalTablesAreChosenAndEachNameIsTyped) {
  ManagedTable(T("orders"));
  const std::string command = "printf '%s\\n%s\\n' 1 " + T("orders") + " | script -qec '" +
                              std::string(STRATA_BINARY) + " drop --target local' /dev/null";
  common::ProcessRequest req;
  req.argv = {"/bin/bash", "-c", command};
  req.environment = Environment();
  req.working_dir = work_.path();
  req.merge_stderr = true;
  auto run = common::NewPosixProcessRunner()->Run(req);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->exit_code, 0) << run->output;
  EXPECT_TRUE(Contains(run->output, "1) " + T("orders"))) << run->output;
  EXPECT_TRUE(Contains(run->output, "Type " + T("orders") + " to confirm")) << run->output;
  EXPECT_FALSE(Exists(T("orders")));
}

TEST_F(CliDropTest, OnATerminalAWrongNameDropsNothing) {
  ManagedTable(T("orders"));
  const std::string command = "printf '%s\\n%s\\n' 1 nope | script -qec '" +
                              std::string(STRATA_BINARY) + " drop --target local' /dev/null";
  common::ProcessRequest req;
  req.argv = {"/bin/bash", "-c", command};
  req.environment = Environment();
  req.working_dir = work_.path();
  req.merge_stderr = true;
  auto run = common::NewPosixProcessRunner()->Run(req);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_TRUE(Contains(run->output, T("orders") + " was not confirmed; nothing was changed"))
      << run->output;
  EXPECT_TRUE(Exists(T("orders")));
  EXPECT_EQ(Log()["commits"].size(), 1u);
}

}  // namespace
}  // namespace strata::testing
