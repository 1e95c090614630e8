// Every seed of every fuzz target (tests/fuzz/<target>_seeds/), replayed through the target's
// own check in every test run, so the inputs the fuzzer starts from, and every crash it ever
// found (each is added as a seed), stay fixed without a fuzzing build. docs/testing.md, "Fuzzing".
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/fuzz/fuzz_targets.h"
#include "tests/fuzz/seeds.h"

namespace strata::fuzz {
namespace {

constexpr size_t kMinSeeds = 10;

TEST(FuzzTargets, EveryTargetSourceIsReplayed) {
  std::set<std::string> sources, listed;
  for (const auto& entry : std::filesystem::directory_iterator(STRATA_FUZZ_DIR)) {
    const std::string file = entry.path().filename().string();
    if (file.ends_with("_fuzz.cc")) sources.insert(file.substr(0, file.size() - 8));
  }
  for (const FuzzTarget& target : FuzzTargets()) listed.insert(target.name);
  EXPECT_EQ(sources, listed);
}

TEST(FuzzTargets, EachHasEnoughSeeds) {
  for (const FuzzTarget& target : FuzzTargets()) {
    EXPECT_GE(SeedNames(target.name).size(), kMinSeeds) << "in " << SeedDir(target.name);
  }
}

std::vector<std::pair<std::string, std::string>> AllSeeds() {
  std::vector<std::pair<std::string, std::string>> seeds;
  for (const FuzzTarget& target : FuzzTargets()) {
    for (const std::string& name : SeedNames(target.name)) seeds.emplace_back(target.name, name);
  }
  return seeds;
}

class FuzzSeed : public ::testing::TestWithParam<std::pair<std::string, std::string>> {};

TEST_P(FuzzSeed, KeepsItsTargetsContract) {
  const auto& [target, name] = GetParam();
  for (const FuzzTarget& t : FuzzTargets()) {
    if (t.name == target) {
      EXPECT_EQ(t.check(Seed(target, name)), "");
    }
  }
}

// "log_segment/torn_tail" as the test name "log_segment__torn_tail" (seed names are snake_case).
INSTANTIATE_TEST_SUITE_P(
    Seeds, FuzzSeed, ::testing::ValuesIn(AllSeeds()),
    [](const ::testing::TestParamInfo<std::pair<std::string, std::string>>& info) {
      return info.param.first + "__" + info.param.second;
    });

}  // namespace
}  // namespace strata::fuzz
