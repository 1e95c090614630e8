#include "cli/table_pick.h"

#include <fmt/format.h>

#include <algorithm>
#include <istream>
#include <ostream>
#include <set>

#include "cli/prompt.h"

namespace strata::cli {

namespace {

std::vector<std::string> Words(const std::string& answer) {
  std::vector<std::string> words;
  std::string word;
  for (char c : answer) {
    if (c == ' ' || c == ',' || c == '\t') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

bool AllDigits(const std::string& s) {
  return !s.empty() && s.size() < 10 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "3" or "2-4" as 1-based positions; nullopt when the word is not of that shape.
std::optional<std::pair<size_t, size_t>> Range(const std::string& word) {
  if (AllDigits(word)) return std::make_pair(std::stoul(word), std::stoul(word));
  const auto dash = word.find('-');
  if (dash == std::string::npos) return std::nullopt;
  const std::string a = word.substr(0, dash), b = word.substr(dash + 1);
  if (!AllDigits(a) || !AllDigits(b)) return std::nullopt;
  return std::make_pair(std::stoul(a), std::stoul(b));
}

}  // namespace

Result<std::vector<std::string>> ParseTableSelection(const std::string& answer,
                                                     const std::vector<std::string>& candidates) {
  std::set<size_t> chosen;  // 0-based positions
  for (const std::string& word : Words(answer)) {
    auto named = std::find(candidates.begin(), candidates.end(), word);
    if (named != candidates.end()) {
      // A name first: tables may well be called "2024".
      chosen.insert(named - candidates.begin());
      continue;
    }
    auto range = Range(word);
    if (!range) {
      return Status::InvalidArgument(
          fmt::format("\"{}\" is neither a number from the list nor "
                      "one of its table names",
                      word));
    }
    if (range->first < 1 || range->second > candidates.size() || range->first > range->second) {
      return Status::InvalidArgument(
          fmt::format("\"{}\" is not in the list (1-{})", word, candidates.size()));
    }
    for (size_t i = range->first; i <= range->second; ++i) chosen.insert(i - 1);
  }
  std::vector<std::string> names;
  for (size_t i : chosen) names.push_back(candidates[i]);
  return names;
}

std::vector<std::string> PickTables(const Context& ctx, std::istream& in,
                                    const std::vector<std::string>& candidates,
                                    const PickOptions& options) {
  size_t width = 0;
  for (const auto& c : candidates) width = std::max(width, c.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    std::string line = fmt::format("  {:>3}) {:<{}}", i + 1, candidates[i], width);
    if (i < options.details.size() && !options.details[i].empty())
      line += "  " + options.details[i];
    while (!line.empty() && line.back() == ' ') line.pop_back();
    *ctx.err << line << "\n";
  }
  while (true) {
    auto answer = Ask(
        ctx, in, options.question + " (numbers, ranges such as 2-4, or names; empty to cancel): ");
    if (!answer || answer->empty()) return {};
    auto chosen = ParseTableSelection(*answer, candidates);
    if (chosen.ok()) return *chosen;
    *ctx.err << chosen.status().message() << "\n";
  }
}

Status ConfirmEachTable(const Context& ctx, std::istream& in,
                        const std::vector<std::string>& tables,
                        const std::function<std::string(const std::string&)>& warning) {
  for (const auto& table : tables) {
    const std::string question =
        fmt::format("{} Type {} to confirm: ", warning(table), ctx.Paint(Color::kBold, table));
    if (!ConfirmTyped(ctx, in, question, table)) {
      return Status::Aborted(fmt::format("{} was not confirmed; nothing was changed", table));
    }
  }
  return Status::Ok();
}

}  // namespace strata::cli
