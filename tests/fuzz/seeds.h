// Reading a fuzz target's seeds (tests/fuzz/<target>_seeds/) in the normal test run, for the
// replay of every seed through its target's check (fuzz_seeds_test.cc) and for the tests that
// pin what particular seeds give. STRATA_FUZZ_DIR is the tests/fuzz directory.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace strata::fuzz {

inline std::filesystem::path SeedDir(const std::string& target) {
  return std::filesystem::path(STRATA_FUZZ_DIR) / (target + "_seeds");
}

// The seed file names of `target`, sorted; none when its directory is missing.
inline std::vector<std::string> SeedNames(const std::string& target) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(SeedDir(target), ec)) {
    if (entry.is_regular_file()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

inline std::string Seed(const std::string& target, const std::string& name) {
  std::ifstream in(SeedDir(target) / name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << (SeedDir(target) / name);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace strata::fuzz
