// The Glue DDL fuzz target's seeds (tests/fuzz/glue_ddl_seeds/), replayed through the fuzz
// target's own check (tests/fuzz/glue_ddl_fuzz_body.h) in every test run, so the inputs the fuzzer
// starts from, and every crash it ever found, stay fixed without a fuzzing build. Then, for a few
// seeds, the outcome itself: which parse, and the error the hostile ones must get.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/glue/ddl.h"
#include "tests/fuzz/glue_ddl_fuzz_body.h"

namespace strata::glue {
namespace {

namespace fs = std::filesystem;

const fs::path kSeeds = fs::path(STRATA_FUZZ_DIR) / "glue_ddl_seeds";
constexpr size_t kMinSeeds = 20;

std::vector<std::string> SeedNames() {
  std::vector<std::string> names;
  if (!fs::is_directory(kSeeds)) return names;
  for (const auto& entry : fs::directory_iterator(kSeeds)) {
    if (entry.is_regular_file()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string Seed(const std::string& name) {
  std::ifstream in(kSeeds / name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << (kSeeds / name);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The error ParseCreateTable gives a seed, or "parsed".
std::string Outcome(const std::string& name) {
  Result<ParsedTable> parsed = ParseCreateTable(Seed(name), fuzz::kFuzzFile);
  return parsed.ok() ? "parsed" : parsed.status().message();
}

TEST(GlueDdlFuzzSeeds, AreThere) { EXPECT_GE(SeedNames().size(), kMinSeeds) << "in " << kSeeds; }

class GlueDdlFuzzSeed : public ::testing::TestWithParam<std::string> {};

TEST_P(GlueDdlFuzzSeed, KeepsTheParsersContract) {
  EXPECT_EQ(fuzz::GlueDdlLawViolation(Seed(GetParam())), "");
}

INSTANTIATE_TEST_SUITE_P(Seeds, GlueDdlFuzzSeed, ::testing::ValuesIn(SeedNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;  // seed names are snake_case: valid test names
                         });

TEST(GlueDdlFuzzSeeds, TheWellFormedOnesParseSoTheLawIsExercised) {
  for (const char* name : {"corpus_alb_logs", "corpus_waf_logs", "corpus_avro_flights",
                           "corpus_cloudtrail_json_serde", "every_clause", "escapes_everywhere"}) {
    EXPECT_EQ(Outcome(name), "parsed") << name;
  }
}

TEST(GlueDdlFuzzSeeds, DeepNestingStopsAtTheLimitInsteadOfTheStack) {
  // "struct<a:" is 9 characters; the first opens at column 28, the 65th at 28 + 64 * 9.
  EXPECT_EQ(Outcome("nested_struct_10000"),
            "fuzz.sql:1:604: types may nest at most 64 levels deep");
  EXPECT_EQ(Outcome("nested_array_map_10000").substr(0, 9), "fuzz.sql:");
  EXPECT_NE(Outcome("nested_array_map_10000").find("types may nest at most 64 levels deep"),
            std::string::npos);
}

TEST(GlueDdlFuzzSeeds, HostileBytesGetPlacedErrors) {
  EXPECT_EQ(Outcome("empty"),
            "fuzz.sql:1:1: found the end of the file, expected CREATE EXTERNAL TABLE (a table file "
            "holds the table's CREATE EXTERNAL TABLE statement)");
  EXPECT_EQ(Outcome("invalid_utf8"),
            "fuzz.sql:1:42: byte 0xC3 is not valid UTF-8; save the file as UTF-8");
  EXPECT_EQ(Outcome("unterminated_string"),
            "fuzz.sql:1:42: unterminated string: this ' has no closing ' before the end of the "
            "file");
  EXPECT_EQ(Outcome("unterminated_comment"),
            "fuzz.sql:1:33: unterminated comment: this /* has no */ before the end of the file");
  EXPECT_EQ(Outcome("unterminated_backquote"),
            "fuzz.sql:1:23: unterminated name: this ` has no closing ` before the end of the "
            "file");
  EXPECT_EQ(Outcome("huge_numbers"),
            "fuzz.sql:1:36: the decimal precision must be a whole number from 1 to 38, not "
            "99999999999999999999999999999");
}

}  // namespace
}  // namespace strata::glue
