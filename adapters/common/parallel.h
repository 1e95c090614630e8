// Bounded fan-out for independent calls, such as describing a thousand tables without opening a
// thousand connections: N tasks on at most K threads, the calling thread among them.
//
// RunParallel returns every task's result in task order; a task's failure is its result (use
// Result<T>) and does not stop the others. RunParallelUntilFailure is the form for tasks that
// only succeed or fail: it stops starting tasks after a failure and returns the failure with the
// lowest index. Tasks must be safe to run concurrently with each other; the functions
// themselves keep no state between calls.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "engine/status.h"

namespace strata::common {

// Calls task(0) .. task(count - 1), at most `max_threads` at a time (values below 1 count as
// 1), and returns the results indexed like the tasks. The calling thread runs tasks too; with
// max_threads == 1, or a single task, everything runs on it, in order.
template <typename T>
std::vector<T> RunParallel(size_t count, int max_threads, const std::function<T(size_t)>& task) {
  std::vector<std::optional<T>> slots(count);
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) slots[i].emplace(task(i));
  };
  size_t threads = std::min(count, static_cast<size_t>(std::max(1, max_threads)));
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::jthread> pool;
    pool.reserve(threads - 1);
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();  // the calling thread takes a share too
  }  // jthreads join here
  std::vector<T> results;
  results.reserve(count);
  for (auto& slot : slots) results.push_back(std::move(*slot));
  return results;
}

// RunParallel for tasks that return a Status. Once a task fails, tasks with a higher index are
// no longer started (those already running finish); every task with a lower index still runs.
// Returns the failure with the lowest index, so the same input fails the same way whatever the
// timing, or Ok when every task succeeded.
Status RunParallelUntilFailure(size_t count, int max_threads,
                               const std::function<Status(size_t)>& task);

}  // namespace strata::common
