#include "cli/prompt.h"

#include <istream>
#include <ostream>

namespace strata::cli {

std::optional<std::string> Ask(const Context& ctx, std::istream& in, const std::string& question) {
  *ctx.err << question << std::flush;
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  const auto first = line.find_first_not_of(" \t\r");
  if (first == std::string::npos) return std::string();
  const auto last = line.find_last_not_of(" \t\r");
  return line.substr(first, last - first + 1);
}

bool ConfirmTyped(const Context& ctx, std::istream& in, const std::string& question,
                  const std::string& expected) {
  auto answer = Ask(ctx, in, question);
  return answer && *answer == expected;
}

}  // namespace strata::cli
