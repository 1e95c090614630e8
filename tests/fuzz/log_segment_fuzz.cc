// libFuzzer target for the log reader and writer recovery (log_segment_fuzz_body.h).
#include "tests/fuzz/fuzz_entry.h"
#include "tests/fuzz/log_segment_fuzz_body.h"

STRATA_FUZZ_TARGET(strata::fuzz::LogSegmentViolation)
