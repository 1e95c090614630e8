// Every statement of the real-world corpus (tests/adapters/testdata/glue/corpus, AWS's
// documented CREATE EXTERNAL TABLE statements) applied to moto through strata: each one is
// created from its file, read back from the catalog equal to what the file says (a plan right
// after apply has nothing to do, and drift finds nothing), and exported to the same DDL.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "adapters/glue/ddl.h"
#include "integration/glue/glue_fixture.h"

namespace strata::testing {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> CorpusFiles() {
  std::vector<fs::path> files;
  const fs::path dir = fs::path(STRATA_TESTDATA_DIR) / "glue" / "corpus";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".sql") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

using GlueCliCorpusTest = GlueCliTest;

TEST_F(GlueCliCorpusTest, EveryStatementAppliesAndReadsBackUnchanged) {
  const std::vector<fs::path> files = CorpusFiles();
  ASSERT_GE(files.size(), 25u) << "the corpus should hold at least 25 statements";
  const std::string db = D("corpus");
  std::map<std::string, std::string> rendered;  // table -> the file strata reads
  for (const auto& path : files) {
    auto parsed = glue::ParseCreateTable(Slurp(path), path.string());
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    pb::GlueTable table = parsed->table;
    table.set_name(path.stem().string());  // one table per file, whatever the statement names
    rendered[table.name()] = glue::RenderCreateTable(db, table);
    WriteTable(db, table.name(), rendered[table.name()]);
  }
  StrataRun gen = Strata({"generate", "-m", "corpus"});
  ASSERT_EQ(gen.code, 0) << gen;
  StrataRun apply = Strata({"apply", "--target", "local", "--auto-approve"});
  ASSERT_EQ(apply.code, 0) << apply;

  // Read back from Glue, every table is what its file says.
  StrataRun plan = Strata({"plan", "--target", "local", "--detailed-exitcode"});
  EXPECT_EQ(plan.code, 0) << plan;
  StrataRun drift = Strata({"drift", "--target", "local"});
  EXPECT_EQ(drift.code, 0) << drift;

  // And exported, each gives the file back byte for byte.
  fs::remove_all(work_ / "schema/athena");
  StrataRun exported = Strata({"export", "--target", "local", "-t", db + ".*"});
  ASSERT_EQ(exported.code, 0) << exported;
  for (const auto& [table, ddl] : rendered) {
    EXPECT_EQ(ReadFile("schema/athena/" + db + "/" + table + ".sql"), ddl) << table;
  }
}

}  // namespace
}  // namespace strata::testing
