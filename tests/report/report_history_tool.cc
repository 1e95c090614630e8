// report_history_tool DIR [COMMITS TABLES]: writes the report tests' known history
// (tests/cli/report_history.h) as a project in DIR, for the browser test; with COMMITS and
// TABLES, a longer tail of that many commits over that many more tables after it.
#include <cstdlib>
#include <iostream>

#include "tests/cli/report_history.h"

int main(int argc, char** argv) {
  if (argc != 2 && argc != 4) {
    std::cerr << "usage: report_history_tool DIR [COMMITS TABLES]\n";
    return 2;
  }
  strata::testing::ReportHistoryOptions options;
  if (argc == 4) {
    options.tail_commits = std::atoi(argv[2]);
    options.tail_tables = std::atoi(argv[3]);
  }
  const std::string error = strata::testing::WriteReportHistory(argv[1], options);
  if (!error.empty()) {
    std::cerr << "report_history_tool: " << error << "\n";
    return 1;
  }
  return 0;
}
