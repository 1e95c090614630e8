// libFuzzer target for the Glue DDL parser (glue_ddl_fuzz_body.h). docs/testing.md, "Fuzzing".
#include "tests/fuzz/fuzz_entry.h"
#include "tests/fuzz/glue_ddl_fuzz_body.h"

STRATA_FUZZ_TARGET(strata::glue::fuzz::GlueDdlViolation)
