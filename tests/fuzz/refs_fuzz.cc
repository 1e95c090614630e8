// libFuzzer target for ref parsing and resolution (refs_fuzz_body.h).
#include "tests/fuzz/fuzz_entry.h"
#include "tests/fuzz/refs_fuzz_body.h"

STRATA_FUZZ_TARGET(strata::fuzz::RefsViolation)
