// libFuzzer target for the AWS JSON and XML error readers (aws_errors_fuzz_body.h).
#include "tests/fuzz/aws_errors_fuzz_body.h"
#include "tests/fuzz/fuzz_entry.h"

STRATA_FUZZ_TARGET(strata::fuzz::AwsErrorsViolation)
