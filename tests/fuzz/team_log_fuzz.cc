// libFuzzer target for what a shared log's store returns and the mirror trusts
// (team_log_fuzz_body.h).
#include "tests/fuzz/fuzz_entry.h"
#include "tests/fuzz/team_log_fuzz_body.h"

STRATA_FUZZ_TARGET(strata::fuzz::TeamLogViolation)
