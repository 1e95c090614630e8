// ProcessRunner: starts a program and waits for it, capturing its output. No shell is involved:
// argv goes to execve as it is, and the environment is exactly the one given (the caller
// decides what a child inherits). The interface lets tests fake the programs adapters run: psql
// and validation scripts (postgres), credential_process (aws). A child never outlives the
// process that started it: when strata dies first (killed, crashed), the child is killed too.
// Implementations are safe to use from one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/status.h"

namespace strata::common {

struct ProcessRequest {
  std::vector<std::string> argv;         // argv[0] is an absolute path to the program
  std::vector<std::string> environment;  // "NAME=value" entries, the child's whole environment
  std::string working_dir;               // empty: the caller's
  // Send stderr into the same stream as stdout, so the two keep their order in `output`.
  bool merge_stderr = false;
};

struct ProcessResult {
  int exit_code = 0;   // 128 + N when killed by signal N
  std::string output;  // stdout (and stderr when merged)
  std::string errors;  // stderr, when not merged
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Runs the program to completion with stdin from /dev/null. A non-zero exit is a result,
  // not an error; IoError only when the program cannot be started (naming it and why).
  virtual Result<ProcessResult> Run(const ProcessRequest& request) = 0;
};

// fork + execve with pipes. The child gets SIGKILL when the thread that called Run ends (Linux's
// parent-death signal); that thread waits in Run until the child exits, so only the death of the
// whole process sets it off.
std::unique_ptr<ProcessRunner> NewPosixProcessRunner();

}  // namespace strata::common
