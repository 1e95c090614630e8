#include "adapters/dynamodb/parallel.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace strata::dynamodb {

Status ParallelFor(size_t n, int max_concurrency, const std::function<Status(size_t)>& fn) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  size_t first_index = n;
  Status first = Status::Ok();

  auto worker = [&] {
    for (size_t i = next++; i < n && !failed; i = next++) {
      Status s = fn(i);
      if (s.ok()) continue;
      std::lock_guard<std::mutex> lock(mu);
      failed = true;
      if (i < first_index) {
        first_index = i;
        first = std::move(s);
      }
    }
  };
  const size_t threads = std::min<size_t>(n, static_cast<size_t>(std::max(1, max_concurrency)));
  if (threads <= 1) {
    worker();
    return first;
  }
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  return first;
}

}  // namespace strata::dynamodb
