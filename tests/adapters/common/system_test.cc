#include "adapters/common/system.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/adapters/common/fake_system.h"

namespace strata::common {
namespace {

int64_t Micros(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

TEST(SystemClockTest, WallMicrosIsTheUnixTime) {
  const int64_t before = Micros(std::chrono::system_clock::now());
  const int64_t read = SystemClock().WallMicros();
  const int64_t after = Micros(std::chrono::system_clock::now());
  EXPECT_LE(before, read);
  EXPECT_LE(read, after);
}

TEST(SystemClockTest, SteadyClockNeverGoesBackAndCountsMillis) {
  const Clock& clock = SystemClock();
  const int64_t first = clock.SteadyMicros();
  const int64_t second = clock.SteadyMicros();
  EXPECT_LE(first, second);
  EXPECT_EQ(clock.SteadyMillis(), clock.SteadyMicros() / 1000);
}

TEST(SystemSleeperTest, SleepsAtLeastTheTimeAsked) {
  const Clock& clock = SystemClock();
  const int64_t start = clock.SteadyMicros();
  SystemSleeper().SleepMillis(20);
  EXPECT_GE(clock.SteadyMicros() - start, 20000);
}

TEST(SystemRandomTest, DrawsFromZeroToOneAndNotAlwaysTheSame) {
  auto random = NewSystemRandom();
  std::set<double> seen;
  for (int i = 0; i < 100; ++i) {
    double r = random->Uniform();
    EXPECT_GE(r, 0.0);
    EXPECT_LT(r, 1.0);
    seen.insert(r);
  }
  EXPECT_GT(seen.size(), 90u);
}

TEST(ProcessEnvironmentTest, ReadsSetEmptyAndUnsetVariables) {
  ASSERT_EQ(setenv("STRATA_SYSTEM_TEST_SET", "value", 1), 0);
  ASSERT_EQ(setenv("STRATA_SYSTEM_TEST_EMPTY", "", 1), 0);
  ASSERT_EQ(unsetenv("STRATA_SYSTEM_TEST_UNSET"), 0);
  const Environment& env = ProcessEnvironment();
  EXPECT_EQ(env.Get("STRATA_SYSTEM_TEST_SET"), "value");
  EXPECT_EQ(env.Get("STRATA_SYSTEM_TEST_EMPTY"), "");
  EXPECT_EQ(env.Get("STRATA_SYSTEM_TEST_UNSET"), std::nullopt);
  unsetenv("STRATA_SYSTEM_TEST_SET");
  unsetenv("STRATA_SYSTEM_TEST_EMPTY");
}

TEST(FakeSystemTest, TheClockMovesOnlyWhenToldAndSleepsMoveIt) {
  FakeClock clock;
  EXPECT_EQ(clock.WallMicros(), FakeClock::kDefaultWallMicros);
  EXPECT_EQ(clock.SteadyMicros(), 0);
  FakeSleeper sleeper(&clock);
  sleeper.SleepMillis(1500);
  sleeper.SleepMillis(250);
  EXPECT_EQ(clock.SteadyMillis(), 1750);
  EXPECT_EQ(clock.WallMicros(), FakeClock::kDefaultWallMicros + 1750000);
  EXPECT_EQ(sleeper.sleeps(), (std::vector<int64_t>{1500, 250}));
  EXPECT_EQ(sleeper.total_ms(), 1750);
  clock.SetWallMicros(42);
  EXPECT_EQ(clock.WallMicros(), 42);
  EXPECT_EQ(clock.SteadyMillis(), 1750);
}

TEST(FakeSystemTest, RandomAnswersItsSequenceInTurn) {
  FakeRandom random({0.25, 0.75});
  EXPECT_EQ(random.Uniform(), 0.25);
  EXPECT_EQ(random.Uniform(), 0.75);
  EXPECT_EQ(random.Uniform(), 0.25);
  FakeRandom none(std::vector<double>{});
  EXPECT_EQ(none.Uniform(), 0.5);
}

TEST(FakeSystemTest, EnvironmentHoldsWhatItIsGiven) {
  FakeEnvironment env(std::map<std::string, std::string>{{"HOME", "/home/a"}});
  EXPECT_EQ(env.Get("HOME"), "/home/a");
  EXPECT_EQ(env.Get("AWS_PROFILE"), std::nullopt);
  env.Set("AWS_PROFILE", "dev");
  EXPECT_EQ(env.Get("AWS_PROFILE"), "dev");
  env.Unset("HOME");
  EXPECT_EQ(env.Get("HOME"), std::nullopt);
}

}  // namespace
}  // namespace strata::common
