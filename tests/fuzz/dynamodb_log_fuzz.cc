// libFuzzer target for the DynamoDB log store's reading of items (dynamodb_log_fuzz_body.h).
#include "tests/fuzz/dynamodb_log_fuzz_body.h"
#include "tests/fuzz/fuzz_entry.h"

STRATA_FUZZ_TARGET(strata::fuzz::DynamoLogViolation)
