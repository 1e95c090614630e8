// report_history_tool DIR: writes the report tests' known history (tests/cli/report_history.h)
// as a project in DIR, for the browser test.
#include <iostream>

#include "tests/cli/report_history.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: report_history_tool DIR\n";
    return 2;
  }
  const std::string error = strata::testing::WriteReportHistory(argv[1]);
  if (!error.empty()) {
    std::cerr << "report_history_tool: " << error << "\n";
    return 1;
  }
  return 0;
}
