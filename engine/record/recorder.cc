// Recorder: the state at the head is cached (it can be a large schema, and a migration run
// records one commit per migration), so an append whose head did not move costs one apply of
// the draft onto the cache plus the append itself. The writer lock is taken for the append
// alone: the state is read before it, and the only work under it is the head comparison, the
// apply and the append.
#include "engine/record/recorder.h"

#include <fmt/format.h>

#include <algorithm>

#include "engine/index/index.h"
#include "engine/state/apply.h"
#include "engine/state/validate.h"

namespace strata::record {
namespace {

// How often a writer waiting for the lock tries again.
constexpr int64_t kLockPollMs = 20;
// Beyond this many new commits, the index (checkpoint + replay) is cheaper than a scan from
// the cached head.
constexpr uint64_t kMaxAdvanceCommits = 1000;
// Rebase backoff: from about kBackoffBaseMs, doubling, up to kBackoffCapMs, jittered.
constexpr int64_t kBackoffBaseMs = 2;
constexpr int64_t kBackoffCapMs = 100;

bool SameHead(const Head& a, const Head& b) { return a.seq == b.seq && a.hash == b.hash; }

std::string ShortHash(const Head& h) {
  return h.seq == 0 ? "empty" : HashHex(h.hash).substr(0, 12);
}

}  // namespace

Result<std::unique_ptr<Recorder>> Recorder::Open(RecorderOptions options) {
  if (options.env == nullptr) return Status::InvalidArgument("recorder: no Env");
  if (options.log_dir.empty()) return Status::InvalidArgument("recorder: no log directory");
  if (!options.now_micros || !options.steady_ms || !options.sleep_ms || !options.random) {
    return Status::InvalidArgument(
        "recorder: now_micros, steady_ms, sleep_ms and random are required");
  }
  STRATA_RETURN_IF_ERROR(options.env->CreateDirs(options.log_dir));
  return std::unique_ptr<Recorder>(new Recorder(std::move(options)));
}

void Recorder::Note(const std::string& line) const {
  if (options_.note) options_.note(line);
}

// ---- reading the head --------------------------------------------------------------------

Result<HeadState> Recorder::Read() {
  // A fresh reader each time: a long-lived one could hold a segment file a writer has since
  // removed (a torn segment creation) and replaced.
  STRATA_ASSIGN_OR_RETURN(auto reader, CommitReader::Open(options_.env, options_.log_dir));
  STRATA_ASSIGN_OR_RETURN(Head head, reader->ReadHead());
  if (cached_ && SameHead(head, cached_head_)) return Cached();
  if (cached_ && head.seq > cached_head_.seq &&
      (cached_head_.position || cached_head_.seq == 0) &&
      head.seq - cached_head_.seq <= kMaxAdvanceCommits) {
    if (Advance(reader.get(), head).ok()) return Cached();
    // Whatever went wrong (the log was rewritten under the cache, say), a full load says it.
  }
  STRATA_RETURN_IF_ERROR(Load());
  return Cached();
}

Status Recorder::Advance(CommitReader* reader, const Head& head) {
  cached_ = false;  // until the scan below has applied everything
  CommitScanOptions scan;
  if (cached_head_.seq > 0) scan.after = cached_head_;
  scan.until_seq = head.seq;
  Head at = cached_head_;
  int64_t time = cached_time_;
  STRATA_RETURN_IF_ERROR(reader->Scan(scan, [&](const StoredCommit& c) -> Status {
    STRATA_RETURN_IF_ERROR(ApplyCommit(c.commit, &cached_state_, OnFailure::kDiscard));
    at = Head{c.commit.seq(), c.hash, c.position};
    time = c.commit.time_unix_micros();
    return Status::Ok();
  }));
  if (!SameHead(at, head)) {
    return Status::Corruption(fmt::format("the log's head is seq {} but its commits end at {}",
                                          head.seq, at.seq));
  }
  cached_head_ = at;
  cached_time_ = time;
  cached_ = true;
  return Status::Ok();
}

Status Recorder::Load() {
  cached_ = false;
  cached_state_.Clear();
  STRATA_RETURN_IF_ERROR(options_.index_path.empty() ? LoadByReplay() : LoadFromIndex());
  cached_ = true;
  return Status::Ok();
}

Status Recorder::LoadFromIndex() {
  STRATA_ASSIGN_OR_RETURN(auto reader, CommitReader::Open(options_.env, options_.log_dir));
  STRATA_ASSIGN_OR_RETURN(auto index,
                          Index::Open(options_.index_path, reader.get(), IndexOptions{}));
  const Head head = index->head();
  STRATA_ASSIGN_OR_RETURN(cached_state_, index->StateAt(head.seq));
  int64_t time = 0;
  if (head.seq > 0) {
    STRATA_ASSIGN_OR_RETURN(auto summary, index->CommitAt(head.seq));
    if (!summary) {
      return Status::Corruption(fmt::format("the index lacks its head, seq {}", head.seq));
    }
    time = summary->time_unix_micros;
  }
  cached_head_ = head;
  cached_time_ = time;
  return Status::Ok();
}

Status Recorder::LoadByReplay() {
  STRATA_ASSIGN_OR_RETURN(auto reader, CommitReader::Open(options_.env, options_.log_dir));
  CommitScanOptions scan;
  scan.decode_ahead = true;
  Head at;
  int64_t time = 0;
  STRATA_RETURN_IF_ERROR(reader->Scan(scan, [&](const StoredCommit& c) -> Status {
    STRATA_RETURN_IF_ERROR(ApplyCommit(c.commit, &cached_state_, OnFailure::kDiscard));
    at = Head{c.commit.seq(), c.hash, c.position};
    time = c.commit.time_unix_micros();
    return Status::Ok();
  }));
  cached_head_ = at;
  cached_time_ = time;
  return Status::Ok();
}

// ---- appending ---------------------------------------------------------------------------

Status Recorder::CheckDraft(const pb::Commit& c, uint64_t head_seq) const {
  if (c.events_size() == 0 && !c.has_deployment() && !c.has_tag() && !c.has_migration()) {
    return Status::InvalidArgument(
        "nothing to record: the draft has no events, deployment, tag or migration");
  }
  auto after_head = [&](std::string_view what, uint64_t seq) {
    return Status::InvalidArgument(fmt::format(
        "{} names seq {}, after the log's head (seq {}); nothing was recorded", what, seq,
        head_seq));
  };
  if (c.has_deployment()) {
    const pb::Deployment& d = c.deployment();
    if (d.to_seq() > head_seq) return after_head("the deployment", d.to_seq());
    if (d.from_seq() > head_seq) return after_head("the deployment's starting point", d.from_seq());
    if (d.refers_to_seq() > head_seq) return after_head("the deployment", d.refers_to_seq());
  }
  if (c.has_tag()) {
    if (c.tag().name().empty()) return Status::InvalidArgument("a tag needs a name");
    if (c.tag().target_seq() > head_seq) {
      return after_head(fmt::format("tag \"{}\"", c.tag().name()), c.tag().target_seq());
    }
    if (c.tag().target_seq() == 0 && !c.tag().deleted()) {
      return Status::InvalidArgument(
          fmt::format("tag \"{}\" names seq 0, which is no commit", c.tag().name()));
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<CommitWriter>> Recorder::OpenWriter() {
  CommitWriterOptions open;
  open.log = options_.log;
  const int64_t start = options_.steady_ms();
  bool waiting = false;
  open.on_lock_busy = [&]() -> Status {
    const int64_t waited = options_.steady_ms() - start;
    if (waited >= options_.lock_wait_ms) {
      return Status::FailedPrecondition(fmt::format(
          "waited {:.1f} s for another writer to release the log {} (its LOCK is held) and "
          "gave up; nothing was recorded: run this again once the other strata process has "
          "finished",
          static_cast<double>(waited) / 1000.0, options_.log_dir));
    }
    if (!waiting) {
      Note(fmt::format("waiting for another writer to finish with the log {} ...",
                       options_.log_dir));
      waiting = true;
    }
    options_.sleep_ms(std::min(kLockPollMs, options_.lock_wait_ms - waited));
    return Status::Ok();
  };
  auto writer = CommitWriter::Open(options_.env, options_.log_dir, open);
  if (!writer.ok()) return writer.status();
  const RecoveryReport& recovery = (*writer)->recovery();
  if (recovery.truncated) {
    Note(fmt::format("cut a torn tail off the log ({} bytes, never acknowledged): {}",
                     recovery.dropped_bytes, recovery.detail));
  }
  if (!(*writer)->witness_note().empty()) Note((*writer)->witness_note());
  return writer;
}

Result<StoredCommit> Recorder::Append(const Head& expected, Draft draft) {
  pb::Commit commit;
  commit.Swap(&draft.commit_);
  // The state at `expected`, read before the lock so the lock is held for the append alone.
  if (!cached_ || !SameHead(cached_head_, expected)) {
    STRATA_ASSIGN_OR_RETURN(HeadState now, Read());
    if (!SameHead(now.head, expected)) {
      return Status::Conflict(fmt::format(
          "the log's head is seq {} ({}), not seq {} ({}) as the change was computed against; "
          "recompute against the new head",
          now.head.seq, ShortHash(now.head), expected.seq, ShortHash(expected)));
    }
  }
  STRATA_ASSIGN_OR_RETURN(auto writer, OpenWriter());
  const Head head = writer->head();
  if (!SameHead(head, expected)) {
    return Status::Conflict(fmt::format(
        "the log's head moved from seq {} ({}) to seq {} ({}) since it was read; recompute "
        "against the new head",
        expected.seq, ShortHash(expected), head.seq, ShortHash(head)));
  }
  // Checked once the head is known to be `expected`: a fact made from a newer view of the log
  // (a tag naming a seq that another process appended after `expected` was read) is a
  // Conflict above, recomputed by Record, not an invalid draft.
  STRATA_RETURN_IF_ERROR(CheckDraft(commit, head.seq));
  // Only a commit that replays is written: applied to the cached state first (all or nothing),
  // which also moves the cache to the new head.
  commit.set_seq(head.seq + 1);
  STRATA_RETURN_IF_ERROR(ValidateCommit(commit));  // before the cache is touched
  Status applied = ApplyCommit(commit, &cached_state_, OnFailure::kRestore);
  if (!applied.ok()) {
    return Status::InvalidArgument(fmt::format(
        "the change does not apply to the recorded state at the log's head (seq {}): {}; "
        "nothing was recorded",
        head.seq, applied.message()));
  }
  pb::Actor actor = options_.actor;
  if (!commit.actor().cloud_principal().empty()) {
    actor.set_cloud_principal(commit.actor().cloud_principal());
  }
  *commit.mutable_actor() = std::move(actor);
  const int64_t happened = commit.time_unix_micros();
  const int64_t time = std::max(happened != 0 ? happened : options_.now_micros(), cached_time_);
  commit.set_time_unix_micros(time);
  auto stored = writer->Append(std::move(commit));
  writer.reset();  // releases the lock
  if (!stored.ok()) {
    cached_ = false;  // the cache holds a commit the log may not
    return stored.status();
  }
  cached_head_ = Head{stored->commit.seq(), stored->hash, stored->position};
  cached_time_ = time;
  return stored;
}

// ---- the rebase loop ---------------------------------------------------------------------

void Recorder::Backoff(int attempt) const {
  const int64_t cap = std::min(kBackoffCapMs, kBackoffBaseMs << std::min(attempt, 6));
  const auto spread = static_cast<uint64_t>(cap / 2 + 1);
  const int64_t ms = cap / 2 + static_cast<int64_t>(options_.random() % spread);
  options_.sleep_ms(ms);
}

Result<std::optional<StoredCommit>> Recorder::Record(const Maker& make) {
  for (int attempt = 0;; ++attempt) {
    STRATA_ASSIGN_OR_RETURN(HeadState at, Read());
    STRATA_ASSIGN_OR_RETURN(std::optional<Draft> draft, make(at));
    if (!draft || draft->empty_change()) return std::optional<StoredCommit>();
    const Head expected = at.head;
    auto stored = Append(expected, std::move(*draft));
    if (stored.ok()) return std::optional<StoredCommit>(std::move(stored).value());
    if (stored.status().code() != Code::kConflict) return stored.status();
    if (attempt >= options_.max_rebases) {
      return Status::Conflict(fmt::format(
          "the log's head kept moving: recomputed {} times and gave up ({})", attempt + 1,
          stored.status().message()));
    }
    // Said once per recording, so people (and tests) can see that it happened.
    if (attempt == 0 && options_.note) {
      options_.note(fmt::format(
          "note: another strata process appended to the log after seq {}; recomputing against "
          "its commits",
          expected.seq));
    }
    Backoff(attempt);
  }
}

}  // namespace strata::record
