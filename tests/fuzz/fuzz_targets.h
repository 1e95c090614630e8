// Every fuzz target and its check, for the replay of their seeds in the normal test run
// (fuzz_seeds_test.cc). A target is tests/fuzz/<name>_fuzz.cc; the replay test fails when one
// is missing here, so a new target's seeds cannot be left out of the run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tests/fuzz/commit_apply_fuzz_body.h"
#include "tests/fuzz/glue_ddl_fuzz_body.h"
#include "tests/fuzz/log_segment_fuzz_body.h"

namespace strata::fuzz {

struct FuzzTarget {
  std::string name;  // tests/fuzz/<name>_fuzz.cc, seeds in <name>_seeds/
  std::string (*check)(std::string_view input);
};

inline const std::vector<FuzzTarget>& FuzzTargets() {
  static const std::vector<FuzzTarget> kTargets = {
      {"commit_apply", &CommitApplyViolation},
      {"glue_ddl", &glue::fuzz::GlueDdlViolation},
      {"log_segment", &LogSegmentViolation},
  };
  return kTargets;
}

}  // namespace strata::fuzz
