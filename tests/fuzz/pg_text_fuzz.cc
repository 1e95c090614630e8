// libFuzzer target for the PostgreSQL catalog text strata reads and quotes (pg_text_fuzz_body.h).
#include "tests/fuzz/fuzz_entry.h"
#include "tests/fuzz/pg_text_fuzz_body.h"

STRATA_FUZZ_TARGET(strata::fuzz::PgTextViolation)
