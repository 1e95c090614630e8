// libFuzzer target for the DynamoDB table file parsers (dynamodb_table_fuzz_body.h).
#include "tests/fuzz/dynamodb_table_fuzz_body.h"
#include "tests/fuzz/fuzz_entry.h"

STRATA_FUZZ_TARGET(strata::fuzz::DynamoDbTableViolation)
