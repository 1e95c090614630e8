#include "engine/record/recorder.h"

#include <fmt/format.h>

#include <algorithm>

#include "engine/index/index.h"
#include "engine/state/apply.h"

namespace strata::record {

Recorder::Recorder(RecorderOptions options) : options_(std::move(options)) {}
Recorder::~Recorder() = default;

Result<std::unique_ptr<Recorder>> Recorder::Open(RecorderOptions options) {
  if (options.env == nullptr || options.log_dir.empty() || !options.now_micros ||
      !options.steady_ms || !options.sleep_ms) {
    return Status::Internal("Recorder::Open: env, log_dir and the clocks are required");
  }
  if (options.index_path.empty()) options.index_path = options.log_dir + "/index.sqlite";
  STRATA_RETURN_IF_ERROR(options.env->CreateDirs(options.log_dir));
  return std::unique_ptr<Recorder>(new Recorder(std::move(options)));
}

Result<HeadState> Recorder::Read() {
  STRATA_ASSIGN_OR_RETURN(auto reader, CommitReader::Open(options_.env, options_.log_dir));
  STRATA_ASSIGN_OR_RETURN(Head head, reader->ReadHead());
  if (!cached_ || head.seq != head_.seq || head.hash != head_.hash) {
    STRATA_ASSIGN_OR_RETURN(auto index, Index::Open(options_.index_path, reader.get(), {}));
    // Opening the index brings it to the log's head as it is now, which is past `head` when
    // another process appended in between: the state read is the one at the index's head.
    head = index->head();
    STRATA_ASSIGN_OR_RETURN(state_, index->StateAt(head.seq));
    head_time_ = 0;
    if (head.seq > 0) {
      STRATA_ASSIGN_OR_RETURN(auto top, index->CommitAt(head.seq));
      if (top) head_time_ = top->time_unix_micros;
    }
    head_ = head;
    cached_ = true;
  }
  return HeadState{head_, head_time_, &state_};
}

Result<std::unique_ptr<CommitWriter>> Recorder::OpenWriter() {
  const int64_t deadline = options_.steady_ms() + options_.lock_wait_ms;
  bool noted = false;
  for (;;) {
    auto w = CommitWriter::Open(options_.env, options_.log_dir, options_.log);
    if (w.ok()) {
      const RecoveryReport& r = (*w)->recovery();
      if (r.truncated && options_.note) {
        options_.note(fmt::format("note: cut a torn tail off the log ({} bytes): {}",
                                  r.dropped_bytes, r.detail));
      }
      return w;
    }
    if (w.status().code() != Code::kFailedPrecondition) return w.status();
    if (options_.steady_ms() >= deadline) {
      return Status::FailedPrecondition(fmt::format(
          "another strata process held the log's writer lock for {:.0f} s; nothing was "
          "recorded. Run again once it has finished (STRATA_LOG_LOCK_TIMEOUT sets the wait, "
          "in seconds)",
          options_.lock_wait_ms / 1000.0));
    }
    if (!noted && options_.note) {
      options_.note("waiting for another strata process to finish writing the log...");
    }
    noted = true;
    options_.sleep_ms(20);
  }
}

Result<StoredCommit> Recorder::Append(const Head& expected, Draft draft) {
  if (draft.empty_change()) return Status::InvalidArgument("nothing to record: the commit is empty");
  STRATA_ASSIGN_OR_RETURN(auto writer, OpenWriter());
  const Head& head = writer->head();
  if (head.seq != expected.seq || head.hash != expected.hash) {
    return Status::Conflict(fmt::format(
        "the log moved on while this change was computed (expected head seq {}, found seq {})",
        expected.seq, head.seq));
  }
  if (!cached_ || head_.seq != head.seq || head_.hash != head.hash) {
    cached_ = false;
    STRATA_ASSIGN_OR_RETURN(HeadState h, Read());
    if (h.head.seq != head.seq) return Status::Conflict("the log moved on while it was read");
  }
  pb::Commit commit = draft.commit();
  const uint64_t top = head.seq;
  if (commit.has_deployment() &&
      (commit.deployment().to_seq() > top || commit.deployment().refers_to_seq() > top ||
       commit.deployment().from_seq() > top)) {
    return Status::InvalidArgument(fmt::format(
        "a deployment cannot name seq {} or later: the log ends at seq {}", top + 1, top));
  }
  if (commit.has_tag() && (commit.tag().target_seq() == 0 || commit.tag().target_seq() > top)) {
    return Status::InvalidArgument(fmt::format(
        "tag {} names seq {}, which is not in the log (1 to {})", commit.tag().name(),
        commit.tag().target_seq(), top));
  }
  const uint64_t seq_before = state_.seq();
  Status applies = ApplyCommit(commit, &state_, OnFailure::kRestore);
  if (!applies.ok()) {
    state_.set_seq(seq_before);
    return Status::InvalidArgument(fmt::format(
        "the change does not apply to the log at seq {}, so it was not recorded: {}", top,
        applies.message()));
  }
  const std::string principal = commit.actor().cloud_principal();
  *commit.mutable_actor() = options_.actor;
  if (!principal.empty()) commit.mutable_actor()->set_cloud_principal(principal);
  commit.set_time_unix_micros(std::max(options_.now_micros(), head_time_));
  auto stored = writer->Append(std::move(commit));
  if (!stored.ok()) {
    cached_ = false;  // the state holds a commit that was not written
    return stored.status();
  }
  head_ = Head{stored->commit.seq(), stored->hash, stored->position};
  head_time_ = stored->commit.time_unix_micros();
  return stored;
}

Result<std::optional<StoredCommit>> Recorder::Record(const Maker& make) {
  for (int attempt = 0;; ++attempt) {
    STRATA_ASSIGN_OR_RETURN(HeadState at, Read());
    STRATA_ASSIGN_OR_RETURN(std::optional<Draft> draft, make(at));
    if (!draft) return std::optional<StoredCommit>();
    auto stored = Append(at.head, std::move(*draft));
    if (stored.ok()) return std::optional<StoredCommit>(std::move(stored).value());
    if (stored.status().code() != Code::kConflict || attempt >= options_.max_rebases) {
      return stored.status();
    }
    const uint64_t jitter = options_.random ? options_.random() % 20 : 0;
    options_.sleep_ms(static_cast<int64_t>(5 + jitter));
  }
}

}  // namespace strata::record
