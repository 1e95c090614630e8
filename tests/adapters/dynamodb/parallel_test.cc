#include "adapters/dynamodb/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace strata::dynamodb {
namespace {

TEST(ParallelFor, RunsEveryIndexOnce) {
  std::vector<std::atomic<int>> runs(200);
  Status s = ParallelFor(runs.size(), 8, [&](size_t i) {
    ++runs[i];
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok());
  for (size_t i = 0; i < runs.size(); ++i) EXPECT_EQ(runs[i], 1) << i;
}

// Each call holds its slot until `max` calls are inside at once; more than `max` would
// only be seen if the bound were broken.
TEST(ParallelFor, NeverRunsMoreThanTheLimitAtOnce) {
  constexpr int kLimit = 3;
  std::mutex mu;
  std::condition_variable cv;
  int inside = 0, most = 0;
  Status s = ParallelFor(30, kLimit, [&](size_t) {
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

TEST(ParallelFor, ReturnsTheLowestFailingIndex) {
  Status s = ParallelFor(50, 4, [&](size_t i) {
    if (i == 7 || i == 30) return Status::NotFound("index " + std::to_string(i));
    return Status::Ok();
  });
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.message(), "index 7");
}

TEST(ParallelFor, ZeroItemsAndOneThread) {
  EXPECT_TRUE(ParallelFor(0, 4, [](size_t) { return Status::Internal("never"); }).ok());
  std::vector<size_t> order;
  ASSERT_TRUE(ParallelFor(5, 1, [&](size_t i) {
                order.push_back(i);
                return Status::Ok();
              }).ok());
  EXPECT_EQ(order, (std::vector<size_t>{0, 1, 2, 3, 4}));
}

}  // namespace
}  // namespace strata::dynamodb
