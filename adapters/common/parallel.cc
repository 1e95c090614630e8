#include "adapters/common/parallel.h"

namespace strata::common {

Status RunParallelUntilFailure(size_t count, int max_threads,
                               const std::function<Status(size_t)>& task) {
  // The lowest index that failed so far; `count` while none has. Tasks above it are skipped
  // (their slot says Ok), tasks below it always run: the lowest failure overall is found.
  std::atomic<size_t> lowest_failure{count};
  std::vector<Status> results =
      RunParallel<Status>(count, max_threads, [&](size_t i) -> Status {
        if (i > lowest_failure.load()) return Status::Ok();
        Status s = task(i);
        if (!s.ok()) {
          size_t seen = lowest_failure.load();
          while (i < seen && !lowest_failure.compare_exchange_weak(seen, i)) {
          }
        }
        return s;
      });
  for (Status& s : results) {
    if (!s.ok()) return std::move(s);
  }
  return Status::Ok();
}

}  // namespace strata::common
