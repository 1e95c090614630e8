// The strata command line: parses flags, finds the project, runs one command, prints.
#pragma once

namespace strata::cli {

// Returns the process exit code: 0 ok, 1 error, 2 usage, 3 changes present (when asked).
int Main(int argc, char** argv);

}  // namespace strata::cli
