// libpq, opened on first use (adapters/common/shared_library.h says why). Call LoadLibpq before
// the first PQ* call; libpq_loader.cc defines the libpq functions strata uses.
#pragma once

#include "engine/status.h"

namespace strata::postgres {

// FailedPrecondition naming libpq and the package to install when it cannot be loaded.
Status LoadLibpq();

}  // namespace strata::postgres
