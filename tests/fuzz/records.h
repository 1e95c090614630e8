// How a fuzz input carries several byte strings (commit payloads, store entries): each is a
// two-byte little-endian length and that many bytes; a last record whose length runs past the
// end holds what is left. Seeds are written the same way (JoinRecords), so the fuzzer's
// mutations keep most records whole. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata::fuzz {

inline std::vector<std::string_view> SplitRecords(std::string_view input) {
  std::vector<std::string_view> records;
  while (input.size() >= 2) {
    const size_t length = static_cast<uint8_t>(input[0]) | static_cast<uint8_t>(input[1]) << 8;
    input.remove_prefix(2);
    records.push_back(input.substr(0, length));
    input.remove_prefix(records.back().size());
  }
  return records;
}

inline std::string JoinRecords(const std::vector<std::string>& records) {
  std::string out;
  for (const std::string& r : records) {
    out.push_back(static_cast<char>(r.size() & 0xff));
    out.push_back(static_cast<char>(r.size() >> 8 & 0xff));
    out += r;
  }
  return out;
}

}  // namespace strata::fuzz
