// The error contract most parsers here share, as a fuzz check: InvalidArgument whose message
// starts "FILE:LINE: " with the file as the parser was told it and a line number.
#pragma once

#include <string>
#include <string_view>

#include "engine/status.h"

namespace strata::fuzz {

// "" when `status` is InvalidArgument "FILE:LINE: ...", else what is wrong with it.
inline std::string PlacedErrorViolation(const Status& status, std::string_view file) {
  const std::string& m = status.message();
  size_t digits = file.size() + 1;
  while (digits < m.size() && m[digits] >= '0' && m[digits] <= '9') ++digits;
  if (status.code() != Code::kInvalidArgument || !m.starts_with(std::string(file) + ":") ||
      digits == file.size() + 1 || m.compare(digits, 2, ": ") != 0) {
    return "an error that is not InvalidArgument \"" + std::string(file) +
           ":LINE: ...\": " + status.ToString();
  }
  return "";
}

}  // namespace strata::fuzz
