#include "adapters/common/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/status.h"

namespace strata::common {
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

// ---- RunParallelUntilFailure ---------------------------------------------------------------

TEST(RunParallelUntilFailureTest, RunsEveryIndexOnce) {
  std::vector<std::atomic<int>> runs(200);
  Status s = RunParallelUntilFailure(runs.size(), 8, [&](size_t i) {
    ++runs[i];
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok());
  for (size_t i = 0; i < runs.size(); ++i) EXPECT_EQ(runs[i], 1) << i;
}

// Each call holds its slot until `max` calls are inside at once; more than `max` would
// only be seen if the bound were broken.
TEST(RunParallelUntilFailureTest, NeverRunsMoreThanTheLimitAtOnce) {
  constexpr int kLimit = 3;
  std::mutex mu;
  std::condition_variable cv;
  int inside = 0, most = 0;
  Status s = RunParallelUntilFailure(30, kLimit, [&](size_t) {
    std::unique_lock<std::mutex> lock(mu);
    ++inside;
    most = std::max(most, inside);
    cv.notify_all();
    cv.wait(lock, [&] { return inside == kLimit || most == kLimit; });
    --inside;
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(most, kLimit);
}

TEST(RunParallelUntilFailureTest, ReturnsTheLowestFailingIndex) {
  Status s = RunParallelUntilFailure(50, 4, [&](size_t i) {
    if (i == 7 || i == 30) return Status::NotFound("index " + std::to_string(i));
    return Status::Ok();
  });
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(), "index 7");
}

TEST(RunParallelUntilFailureTest, ZeroItemsAndOneThread) {
  EXPECT_TRUE(
      RunParallelUntilFailure(0, 4, [](size_t) { return Status::Internal("never"); }).ok());
  std::vector<size_t> order;
  ASSERT_TRUE(RunParallelUntilFailure(5, 1, [&](size_t i) {
                order.push_back(i);
                return Status::Ok();
              }).ok());
  EXPECT_EQ(order, (std::vector<size_t>{0, 1, 2, 3, 4}));
}

TEST(RunParallelUntilFailureTest, StartsNothingAfterAFailure) {
  std::vector<size_t> ran;
  Status s = RunParallelUntilFailure(10, 1, [&](size_t i) {
    ran.push_back(i);
    return i == 3 ? Status::Aborted("index 3") : Status::Ok();
  });
  EXPECT_EQ(s.code(), Code::kAborted);
  EXPECT_EQ(ran, (std::vector<size_t>{0, 1, 2, 3}));
}

TEST(RunParallelUntilFailureTest, EveryIndexBelowTheFailureRunsWhateverTheTiming) {
  std::vector<std::atomic<int>> runs(200);
  Status s = RunParallelUntilFailure(runs.size(), 8, [&](size_t i) {
    ++runs[i];
    if (i >= 150) return Status::NotFound("index " + std::to_string(i));
    std::this_thread::yield();
    return Status::Ok();
  });
  EXPECT_EQ(s.message(), "index 150");
  for (size_t i = 0; i < 150; ++i) EXPECT_EQ(runs[i], 1) << i;
}

}  // namespace
}  // namespace strata::common
