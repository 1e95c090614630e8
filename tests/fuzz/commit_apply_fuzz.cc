// libFuzzer target for commit decoding and Apply (commit_apply_fuzz_body.h).
#include "tests/fuzz/commit_apply_fuzz_body.h"
#include "tests/fuzz/fuzz_entry.h"

STRATA_FUZZ_TARGET(strata::fuzz::CommitApplyViolation)
