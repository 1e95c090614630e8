// Every table of the real-world corpus (tests/adapters/testdata/dynamodb/corpus: CreateTable
// inputs from AWS's CLI examples, guides, sample repositories and CDK tests) deployed to moto by
// the strata binary as a user would: the file goes into the schema directory under a table name
// of this test's own, `push` creates the table, and then nothing differs anywhere — `plan` and
// `drift` find nothing, `export` finds the file already says what the live table is, the table
// exported as JSON loads to the same table as the file, and `import` finds the log already
// records it. One test per file, so each failure names its file and the command that failed.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/adapters/dynamodb/corpus_files.h"
#include "adapters/dynamodb/table_file.h"
#include "integration/dynamodb/cli_fixture.h"

namespace strata::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const fs::path& kCorpus = kDynamoCorpus;


std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class DynamoCorpusDeploy : public DynamoCliTest,
                           public ::testing::WithParamInterface<std::string> {
 protected:
  // The corpus file as this test deploys it: the same definition under the test's own name.
  // Returns the schema-relative path it was written to.
  std::string WriteCorpusTable(const std::string& stem) {
    json definition = json::parse(Slurp(kCorpus / (stem + ".json")), nullptr, false);
    EXPECT_FALSE(definition.is_discarded()) << stem << ".json is not JSON";
    definition["TableName"] = T(stem);
    const std::string file = "schema/dynamodb/" + stem + ".json";
    WriteFile(file, definition.dump(2) + "\n");
    return file;
  }
};

TEST(DynamoCorpusDeployFiles, AreThere) {
  EXPECT_GE(DynamoCorpusFiles().size(), 24u) << "in " << kCorpus;
}

TEST_P(DynamoCorpusDeploy, PushedThenNothingDiffers) {
  const std::string stem = GetParam();
  const std::string table = T(stem);
  const std::string file = WriteCorpusTable(stem);

  StrataRun push = Strata({"--json", "push", "--target", "local", "-m", "corpus " + stem});
  ASSERT_EQ(push.code, 0) << "push of corpus file " << stem << ".json failed:\n" << push;
  ASSERT_TRUE(Exists(table)) << "push did not create " << table << "\n" << push;

  // Read back from the target, the table is what the file says.
  StrataRun plan = Strata({"plan", "--target", "local", "--detailed-exitcode"});
  EXPECT_EQ(plan.code, 0) << stem << ".json: plan after push is not empty:\n" << plan;
  StrataRun drift = Strata({"drift", "--target", "local"});
  EXPECT_EQ(drift.code, 0) << stem << ".json: drift after push:\n" << drift;

  // Exported over its own file, the live table says what the file says.
  StrataRun exported = Strata({"--json", "export", "--target", "local", table});
  ASSERT_EQ(exported.code, 0) << stem << ".json: export failed:\n" << exported;
  json files = exported.Json()["files"];
  ASSERT_EQ(files.size(), 1u) << exported;
  EXPECT_EQ(files[0]["file"], file) << exported;
  EXPECT_EQ(files[0]["action"], "unchanged") << stem << ".json: export differs:\n" << exported;

  // Exported as JSON elsewhere, it loads to the same table as the corpus file.
  StrataRun fresh = Strata(
      {"--json", "export", "--target", "local", "--format", "json", "--dir", "fresh", table});
  ASSERT_EQ(fresh.code, 0) << fresh;
  const std::string fresh_file = "fresh/" + table + ".json";
  auto live = dynamodb::ParseTableFile(ReadFile(fresh_file), fresh_file);
  ASSERT_TRUE(live.ok()) << live.status().ToString() << "\n" << ReadFile(fresh_file);
  auto wanted = dynamodb::ParseTableFile(ReadFile(file), file);
  ASSERT_TRUE(wanted.ok()) << wanted.status().ToString();
  EXPECT_EQ(live->DebugString(), wanted->DebugString())
      << stem << ".json: the exported table differs from the file";

  // Imported, the live table is already what the log records.
  StrataRun imported = Strata({"--json", "import", "--target", "local", table});
  ASSERT_EQ(imported.code, 0) << imported;
  json doc = imported.Json();
  EXPECT_EQ(Find(doc["tables"], table, "table")["action"], "unchanged")
      << stem << ".json: import records a difference:\n" << imported;
  EXPECT_TRUE(doc["seq"].is_null()) << imported;
}

INSTANTIATE_TEST_SUITE_P(Aws, DynamoCorpusDeploy, ::testing::ValuesIn(DynamoCorpusFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;  // file stems are snake_case: valid test names
                         });

}  // namespace
}  // namespace strata::testing
