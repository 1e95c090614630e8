// A bounded fan-out for independent service calls: runs fn(0) .. fn(n-1) on at most
// `max_concurrency` threads of its own and returns when all have finished.
//
// After the first failure no new index is started; the Status returned is the failure with
// the lowest index (so the same input fails the same way), or Ok. `fn` must be safe to run
// concurrently for different indexes.
#pragma once

#include <cstddef>
#include <functional>

#include "engine/status.h"

namespace strata::dynamodb {

Status ParallelFor(size_t n, int max_concurrency, const std::function<Status(size_t)>& fn);

}  // namespace strata::dynamodb
