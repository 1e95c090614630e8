#include "adapters/aws/parallel.h"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <string>

#include "engine/status.h"

namespace strata::aws {
namespace {

TEST(RunParallelTest, ResultsComeBackInTaskOrder) {
  auto results = RunParallel<std::string>(1000, 8, [](size_t i) { return std::to_string(i * i); });
  ASSERT_EQ(results.size(), 1000u);
  for (size_t i = 0; i < results.size(); ++i) EXPECT_EQ(results[i], std::to_string(i * i));
}

TEST(RunParallelTest, NeverMoreThanKTasksAtOnce) {
  std::atomic<int> running{0};
  std::atomic<int> peak{0};
  RunParallel<int>(200, 4, [&](size_t) {
    int now = ++running;
    int seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::yield();
    --running;
    return 0;
  });
  EXPECT_LE(peak.load(), 4);
  EXPECT_GE(peak.load(), 1);
}

TEST(RunParallelTest, OneThreadRunsEverythingOnTheCallerInOrder) {
  std::vector<size_t> order;
  auto caller = std::this_thread::get_id();
  bool all_on_caller = true;
  RunParallel<int>(10, 1, [&](size_t i) {
    order.push_back(i);
    all_on_caller = all_on_caller && std::this_thread::get_id() == caller;
    return 0;
  });
  EXPECT_EQ(order, (std::vector<size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_TRUE(all_on_caller);
}

TEST(RunParallelTest, EveryTaskRunsExactlyOnceAndFailuresStayTheirOwn) {
  std::mutex mu;
  std::multiset<size_t> ran;
  auto results = RunParallel<Result<int>>(50, 0, [&](size_t i) -> Result<int> {
    {
      std::lock_guard<std::mutex> lock(mu);
      ran.insert(i);
    }
    if (i % 7 == 0) return Status::NotFound("task " + std::to_string(i));
    return static_cast<int>(i);
  });
  EXPECT_EQ(ran.size(), 50u);
  for (size_t i = 0; i < 50; ++i) EXPECT_EQ(ran.count(i), 1u);
  EXPECT_FALSE(results[14].ok());
  EXPECT_EQ(results[14].status().message(), "task 14");
  EXPECT_EQ(*results[15], 15);
}

TEST(RunParallelTest, NoTasksNoResults) {
  EXPECT_TRUE(RunParallel<int>(0, 8, [](size_t) { return 1; }).empty());
}

}  // namespace
}  // namespace strata::aws
