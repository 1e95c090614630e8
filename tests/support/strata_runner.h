// Running the real strata binary from a test: argv, exactly the environment given, a working
// directory; the exit code and both output streams come back. No shell is involved, and stdin
// is /dev/null, so the binary sees no terminal (prompts are off, --yes paths are exercised).
//
// The test binary must define STRATA_BINARY (the path CMake built strata at).
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "adapters/common/process_runner.h"

namespace strata::testing {

struct StrataRun {
  int code = -1;
  std::string out, err;
  int signal = 0;  // the signal that ended the process, when one did (code is then -1)

  // stdout as JSON; a test failure (and null) when it is not JSON.
  nlohmann::json Json() const {
    try {
      return nlohmann::json::parse(out);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "not JSON: " << e.what() << "\nexit " << code << "\n--- stdout\n"
                    << out << "--- stderr\n"
                    << err;
      return nlohmann::json();
    }
  }
};

inline std::ostream& operator<<(std::ostream& os, const StrataRun& r) {
  if (r.signal != 0) os << "killed by signal " << r.signal;
  else os << "exit " << r.code;
  return os << "\n--- stdout\n" << r.out << "--- stderr\n" << r.err;
}

// Runs `strata args...` in `dir` with `environment` ("NAME=value" entries) as its whole
// environment. A binary that cannot be started is a test failure (and code -1).
inline StrataRun RunStrata(const std::vector<std::string>& args,
                           const std::vector<std::string>& environment, const std::string& dir) {
  common::ProcessRequest req;
  req.argv = {STRATA_BINARY};
  req.argv.insert(req.argv.end(), args.begin(), args.end());
  req.environment = environment;
  req.working_dir = dir;
  auto r = common::NewPosixProcessRunner()->Run(req);
  if (!r.ok()) {
    ADD_FAILURE() << "running " << STRATA_BINARY << ": " << r.status().ToString();
    return {};
  }
  return {r->exit_code, r->output, r->errors};
}

}  // namespace strata::testing
