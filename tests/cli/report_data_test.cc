// The report's line edits (cli/report_data.h); the data as a whole is checked through the
// binary in report_test.cc.
#include "cli/report_data.h"

#include <gtest/gtest.h>

namespace strata::cli {
namespace {

using Lines = std::vector<std::string>;

// What the page does with an edit: the kept start, the new middle, the kept end.
Lines ApplyEdit(const Lines& before, const nlohmann::json& edit) {
  const size_t prefix = edit[0], suffix = edit[1];
  Lines out(before.begin(), before.begin() + static_cast<long>(prefix));
  for (const auto& line : edit[2]) out.push_back(line);
  out.insert(out.end(), before.end() - static_cast<long>(suffix), before.end());
  return out;
}

TEST(ReportData, SplitLinesKeepsEmptyLinesButNotAFinalNewline) {
  EXPECT_EQ(SplitLines(""), Lines{});
  EXPECT_EQ(SplitLines("a\n\nb\n"), (Lines{"a", "", "b"}));
  EXPECT_EQ(SplitLines("a"), Lines{"a"});
}

TEST(ReportData, LineEditKeepsTheCommonStartAndEnd) {
  const Lines a = {"{", "  \"x\": 1,", "  \"y\": 2", "}"};
  const Lines b = {"{", "  \"x\": 1,", "  \"z\": 3,", "  \"y\": 2", "}"};
  EXPECT_EQ(LineEdit(a, b), nlohmann::json::parse(R"([2, 2, ["  \"z\": 3,"]])"));
  EXPECT_EQ(ApplyEdit(a, LineEdit(a, b)), b);
}

TEST(ReportData, LineEditRebuildsEveryShape) {
  const std::vector<Lines> texts = {
      {}, {"a"}, {"a", "a"}, {"a", "b", "a"}, {"b"}, {"a", "b", "c", "a", "b"}, {}, {"x", "a"}};
  for (const Lines& a : texts) {
    for (const Lines& b : texts) {
      const nlohmann::json edit = LineEdit(a, b);
      EXPECT_EQ(ApplyEdit(a, edit), b) << edit;
      EXPECT_LE(edit[0].get<size_t>() + edit[1].get<size_t>(), std::min(a.size(), b.size()));
    }
  }
}

}  // namespace
}  // namespace strata::cli
