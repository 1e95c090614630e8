#include "engine/threads.h"

#include <atomic>
#include <system_error>

namespace strata {
namespace {

std::atomic<bool> refusing{false};
std::atomic<int> refused_count{0};

}  // namespace

std::optional<std::thread> TryStartThread(std::function<void()> work) {
  if (refusing.load()) {
    refused_count.fetch_add(1);
    return std::nullopt;
  }
  try {
    return std::thread(std::move(work));
  } catch (const std::system_error&) {
    return std::nullopt;  // EAGAIN: no thread to be had
  }
}

RefuseThreadsForTesting::RefuseThreadsForTesting() {
  refused_count.store(0);
  refusing.store(true);
}

RefuseThreadsForTesting::~RefuseThreadsForTesting() { refusing.store(false); }

int RefuseThreadsForTesting::refused() const { return refused_count.load(); }

}  // namespace strata
