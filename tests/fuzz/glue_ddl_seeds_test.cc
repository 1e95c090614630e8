// What particular seeds of the Glue DDL fuzz target (tests/fuzz/glue_ddl_seeds/) give: which
// parse, and the error the hostile ones must get. Every seed also goes through the target's own
// check in fuzz_seeds_test.cc.
#include <gtest/gtest.h>

#include <string>

#include "adapters/glue/ddl.h"
#include "tests/fuzz/glue_ddl_fuzz_body.h"
#include "tests/fuzz/seeds.h"

namespace strata::glue {
namespace {

std::string Seed(const std::string& name) { return ::strata::fuzz::Seed("glue_ddl", name); }

// The error ParseCreateTable gives a seed, or "parsed".
std::string Outcome(const std::string& name) {
  Result<ParsedTable> parsed = ParseCreateTable(Seed(name), fuzz::kFuzzFile);
  return parsed.ok() ? "parsed" : parsed.status().message();
}

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
