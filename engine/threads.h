// Starting a helper thread that the work can do without.
//
// The engine uses a second thread where it only speeds things up (restoring a checkpoint's
// blocks, decoding the log ahead of replay, writing checkpoints, replaying the second state of
// a pair, and in the CLI diffing and summing up half the tables). When the process may not
// start another thread (a limit on processes or memory), that work runs on the calling thread
// instead of failing the command.
// Tests replace the way threads start to take that path on purpose. Thread-safe, apart from
// replacing the starter, which tests do while nothing else runs.
#pragma once

#include <functional>
#include <optional>
#include <thread>

namespace strata {

// A thread running `work`, or nullopt (and `work` not run) when none can be started.
std::optional<std::thread> TryStartThread(std::function<void()> work);

// For tests: while an instance lives, TryStartThread starts nothing and returns nullopt.
class RefuseThreadsForTesting {
 public:
  RefuseThreadsForTesting();
  ~RefuseThreadsForTesting();
  RefuseThreadsForTesting(const RefuseThreadsForTesting&) = delete;
  RefuseThreadsForTesting& operator=(const RefuseThreadsForTesting&) = delete;
  // How many starts were refused so far.
  int refused() const;
};

}  // namespace strata
