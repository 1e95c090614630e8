// RunParallel: runs N independent tasks on at most K threads and returns their results in task
// order, for fan-out such as describing a thousand tables at once without opening a thousand
// connections. Tasks must be thread-safe with respect to each other; a task's failure is its
// result (use Result<T>), it does not stop the others.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

namespace strata::aws {

// Calls task(0) .. task(count - 1), at most `max_threads` at a time (at least one), and returns
// the results indexed like the tasks. With max_threads == 1, or a single task, everything runs
// on the calling thread, in order.
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

}  // namespace strata::aws
