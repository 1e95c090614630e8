// libFuzzer target for migration file names, markers and the SQL checks
// (migration_files_fuzz_body.h).
#include "tests/fuzz/fuzz_entry.h"
#include "tests/fuzz/migration_files_fuzz_body.h"

STRATA_FUZZ_TARGET(strata::fuzz::MigrationFilesViolation)
