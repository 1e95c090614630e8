// libcurl, opened on first use (adapters/common/shared_library.h says why). Call LoadLibcurl
// before the first curl_* call; curl_loader.cc defines the curl functions strata uses.
#pragma once

#include "engine/status.h"

namespace strata::aws {

// FailedPrecondition naming libcurl and the package to install when it cannot be loaded.
Status LoadLibcurl();

}  // namespace strata::aws
