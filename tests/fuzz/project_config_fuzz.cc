// libFuzzer target for the strata.yaml reader (project_config_fuzz_body.h).
#include "tests/fuzz/fuzz_entry.h"
#include "tests/fuzz/project_config_fuzz_body.h"

STRATA_FUZZ_TARGET(strata::fuzz::ProjectConfigViolation)
