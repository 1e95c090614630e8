// TryStartThread: a thread when one can be had, nothing (and the work not run) when it cannot.
#include "engine/threads.h"

#include <gtest/gtest.h>

#include <atomic>

namespace strata {
namespace {

TEST(TryStartThreadTest, RunsTheWorkOnAThreadOfItsOwn) {
  std::atomic<bool> ran{false};
  std::thread::id worker_id;
  std::optional<std::thread> t = TryStartThread([&] {
    worker_id = std::this_thread::get_id();
    ran = true;
  });
  ASSERT_TRUE(t.has_value());
  t->join();
  EXPECT_TRUE(ran);
  EXPECT_NE(worker_id, std::this_thread::get_id());
}

TEST(TryStartThreadTest, RefusedStartsRunNothingAndAreCounted) {
  std::atomic<int> ran{0};
  {
    RefuseThreadsForTesting no_threads;
    EXPECT_FALSE(TryStartThread([&] { ++ran; }).has_value());
    EXPECT_FALSE(TryStartThread([&] { ++ran; }).has_value());
    EXPECT_EQ(no_threads.refused(), 2);
  }
  EXPECT_EQ(ran, 0);
  // Threads start again once the refusal ends.
  std::optional<std::thread> t = TryStartThread([&] { ++ran; });
  ASSERT_TRUE(t.has_value());
  t->join();
  EXPECT_EQ(ran, 1);
}

}  // namespace
}  // namespace strata
