// Every fuzz target and its check, for the replay of their seeds in the normal test run
// (fuzz_seeds_test.cc). A target is tests/fuzz/<name>_fuzz.cc; the replay test fails when one
// is missing here, so a new target's seeds cannot be left out of the run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tests/fuzz/aws_errors_fuzz_body.h"
#include "tests/fuzz/commit_apply_fuzz_body.h"
#include "tests/fuzz/dynamodb_log_fuzz_body.h"
#include "tests/fuzz/dynamodb_table_fuzz_body.h"
#include "tests/fuzz/glue_ddl_fuzz_body.h"
#include "tests/fuzz/log_segment_fuzz_body.h"
#include "tests/fuzz/migration_files_fuzz_body.h"
#include "tests/fuzz/pg_text_fuzz_body.h"
#include "tests/fuzz/project_config_fuzz_body.h"
#include "tests/fuzz/refs_fuzz_body.h"
#include "tests/fuzz/signatures_fuzz_body.h"
#include "tests/fuzz/team_log_fuzz_body.h"

namespace strata::fuzz {

struct FuzzTarget {
  std::string name;  // tests/fuzz/<name>_fuzz.cc, seeds in <name>_seeds/
  std::string (*check)(std::string_view input);
};

inline const std::vector<FuzzTarget>& FuzzTargets() {
  static const std::vector<FuzzTarget> kTargets = {
      {"aws_errors", &AwsErrorsViolation},
      {"commit_apply", &CommitApplyViolation},
      {"dynamodb_log", &DynamoLogViolation},
      {"dynamodb_table", &DynamoDbTableViolation},
      {"glue_ddl", &glue::fuzz::GlueDdlViolation},
      {"log_segment", &LogSegmentViolation},
      {"migration_files", &MigrationFilesViolation},
      {"pg_text", &PgTextViolation},
      {"project_config", &ProjectConfigViolation},
      {"refs", &RefsViolation},
      {"signatures", &SignaturesViolation},
      {"team_log", &TeamLogViolation},
  };
  return kTargets;
}

}  // namespace strata::fuzz
