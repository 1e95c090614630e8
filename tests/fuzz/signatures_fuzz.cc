// libFuzzer target for the signature readers: SSHSIG blobs, armor, allowed signers, revoked
// keys and signed commit payloads (signatures_fuzz_body.h).
#include "tests/fuzz/fuzz_entry.h"
#include "tests/fuzz/signatures_fuzz_body.h"

STRATA_FUZZ_TARGET(strata::fuzz::SignaturesViolation)
