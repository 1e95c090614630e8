// Recorder: the only way a commit is written. A draft is appended only if the log's head is
// still the one it was computed against, and only if it applies to the recorded state there,
// so every acknowledged commit replays by construction. Time and actor are stamped under the
// writer lock, so times never go backwards along the log.
//
// Writers that lose a race get Conflict and recompute: Record() does that for a maker.
// Facts (deployments, tags, applied migrations) rebase as they are; intents (generate, import,
// drop) are recomputed by their maker against the new head. Not thread-safe; one per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "engine/log/env.h"
#include "engine/log/log.h"
#include "engine/record/draft.h"
#include "engine/status.h"
#include "engine/store/commit_store.h"
#include "proto/commit.pb.h"

namespace strata::record {

struct RecorderOptions {
  Env* env = nullptr;
  std::string log_dir;
  std::string index_path;  // the index used to read the state at the head
  LogOptions log;
  pb::Actor actor;                        // stamped on every commit
  std::function<int64_t()> now_micros;    // wall clock, read under the writer lock
  std::function<int64_t()> steady_ms;     // for waiting
  std::function<void(int64_t ms)> sleep_ms;
  std::function<uint64_t()> random;       // jitter for rebase backoff
  int64_t lock_wait_ms = 30000;  // how long Append waits for another writer's lock
  int max_rebases = 50;          // Record(): recomputations after a Conflict
  // One line for people: waiting for the lock, a torn tail cut back, a witness recreated.
  std::function<void(const std::string&)> note;
};

// What a draft is computed against: the head and the whole recorded state there.
struct HeadState {
  Head head;
  int64_t time_unix_micros = 0;      // of the head commit (0 for an empty log)
  const pb::State* state = nullptr;  // valid until the next Recorder call
};

class Recorder {
 public:
  static Result<std::unique_ptr<Recorder>> Open(RecorderOptions options);
  ~Recorder();

  // The log's current head and its state (cached between calls and advanced by this
  // recorder's own appends).
  Result<HeadState> Read();
  // Appends `draft` iff the log's head is still `expected`. Conflict when it moved;
  // InvalidArgument (nothing written) when the draft does not apply to the state there, names
  // a seq after the head, or is empty; FailedPrecondition when the writer lock stays taken
  // longer than lock_wait_ms. Returns once the commit is durable.
  Result<StoredCommit> Append(const Head& expected, Draft draft);
  // Read, make, Append; on Conflict back off, Read and make again (at most max_rebases
  // times). `make` returns nullopt when there is nothing to record against that head.
  using Maker = std::function<Result<std::optional<Draft>>(const HeadState&)>;
  Result<std::optional<StoredCommit>> Record(const Maker& make);

 private:
  explicit Recorder(RecorderOptions options);
  Result<std::unique_ptr<CommitWriter>> OpenWriter();
  RecorderOptions options_;
  bool cached_ = false;
  Head head_;
  int64_t head_time_ = 0;
  pb::State state_;
};

}  // namespace strata::record
