// Every file in a directory and its bytes, to check that something left a log untouched.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace strata::testing {

// LOCK is left out: it is empty and only ever locked.
inline std::map<std::string, std::string> DirFiles(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name == "LOCK" || !e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    out[name] = std::string(std::istreambuf_iterator<char>(in), {});
  }
  return out;
}

}  // namespace strata::testing
