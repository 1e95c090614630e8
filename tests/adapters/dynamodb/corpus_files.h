// The real-world table definitions of tests/adapters/testdata/dynamodb/corpus (README.md there
// names each one's source), for the unit test that loads them and the test that deploys them.
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace strata::testing {

inline const std::filesystem::path kDynamoCorpus =
    std::filesystem::path(STRATA_TESTDATA_DIR) / "dynamodb" / "corpus";

// The stems of the corpus's table files, sorted.
inline std::vector<std::string> DynamoCorpusFiles() {
  std::vector<std::string> stems;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(kDynamoCorpus, ec)) {
    if (entry.path().extension() == ".json") stems.push_back(entry.path().stem().string());
  }
  std::sort(stems.begin(), stems.end());
  return stems;
}

}  // namespace strata::testing
