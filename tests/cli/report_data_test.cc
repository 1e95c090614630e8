// The report's line edits (cli/report_data.h); the data as a whole is checked through the
// binary in report_test.cc.
#include "cli/report_data.h"

#include <gtest/gtest.h>

namespace strata::cli {
namespace {

using Lines = std::vector<std::string>;

// What the page does with an edit: each hunk replaces lines of `before` with its own.
Lines ApplyEdit(const Lines& before, const nlohmann::json& edit) {
  Lines out;
  size_t cur = 0;
  for (const auto& hunk : edit) {
    const size_t at = hunk[0], deleted = hunk[1];
    EXPECT_GE(at, cur) << edit;
    while (cur < at) out.push_back(before[cur++]);
    for (const auto& line : hunk[2]) out.push_back(line);
    cur = at + deleted;
  }
  while (cur < before.size()) out.push_back(before[cur++]);
  return out;
}

// The length of a longest common subsequence of `a` and `b`.
size_t CommonLines(const Lines& a, const Lines& b) {
  std::vector<std::vector<size_t>> l(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
  for (size_t i = a.size(); i-- > 0;) {
    for (size_t j = b.size(); j-- > 0;) {
      l[i][j] = a[i] == b[j] ? l[i + 1][j + 1] + 1 : std::max(l[i + 1][j], l[i][j + 1]);
    }
  }
  return l[0][0];
}

TEST(ReportData, SplitLinesKeepsEmptyLinesButNotAFinalNewline) {
  EXPECT_EQ(SplitLines(""), Lines{});
  EXPECT_EQ(SplitLines("a\n\nb\n"), (Lines{"a", "", "b"}));
  EXPECT_EQ(SplitLines("a"), Lines{"a"});
}

TEST(ReportData, LineEditKeepsTheCommonStartAndEnd) {
  const Lines a = {"{", "  \"x\": 1,", "  \"y\": 2", "}"};
  const Lines b = {"{", "  \"x\": 1,", "  \"z\": 3,", "  \"y\": 2", "}"};
  EXPECT_EQ(LineEdit(a, b), nlohmann::json::parse(R"([[2, 0, ["  \"z\": 3,"]]])"));
  EXPECT_EQ(ApplyEdit(a, LineEdit(a, b)), b);
  EXPECT_EQ(LineEdit(a, a), nlohmann::json::array());
}

TEST(ReportData, LineEditKeepsCommonLinesBetweenTwoChanges) {
  const Lines a = {"a", "b", "c", "d", "e", "f"};
  const Lines b = {"a", "B", "c", "d", "e", "F"};
  // Two hunks, not the four lines from b to f.
  EXPECT_EQ(LineEdit(a, b), nlohmann::json::parse(R"([[1, 1, ["B"]], [5, 1, ["F"]]])"));
}

TEST(ReportData, LineEditRebuildsEveryShape) {
  const std::vector<Lines> texts = {
      {}, {"a"},      {"a", "a"},      {"a", "b", "a"},          {"b"}, {"a", "b", "c", "a", "b"},
      {}, {"x", "a"}, {"b", "a", "c"}, {"c", "b", "a", "x", "y"}};
  for (const Lines& a : texts) {
    for (const Lines& b : texts) {
      const nlohmann::json edit = LineEdit(a, b);
      EXPECT_EQ(ApplyEdit(a, edit), b) << edit;
      // Minimal: the lines it keeps are as many as the texts have in common.
      size_t kept = a.size();
      for (const auto& hunk : edit) kept -= hunk[1].get<size_t>();
      EXPECT_EQ(kept, CommonLines(a, b)) << edit;
    }
  }
}

}  // namespace
}  // namespace strata::cli
