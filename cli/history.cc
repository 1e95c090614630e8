#include "cli/history.h"

#include <fmt/format.h>

namespace strata::cli {

std::string IndexPath(const Context& ctx) { return ctx.project.log_dir + "/index.sqlite"; }

Result<std::unique_ptr<History>> History::Open(const Context& ctx) {
  auto h = std::make_unique<History>();
  STRATA_RETURN_IF_ERROR(ctx.env->CreateDirs(ctx.project.log_dir));
  STRATA_ASSIGN_OR_RETURN(h->reader_, CommitReader::Open(ctx.env, ctx.project.log_dir));
  if (!h->reader_->tail_note().empty()) {
    ctx.Note("note: " + h->reader_->tail_note() + " (ignored; the next write cuts it back)");
  }
  IndexOptions options;
  bool noted = false;
  options.progress = [&ctx, &noted](uint64_t done, uint64_t seq) {
    if (!noted) ctx.Note("indexing the log...");
    noted = true;
    if (done % 10000 == 0) ctx.Note(fmt::format("  indexed {} commits (seq {})", done, seq));
  };
  auto index = Index::Open(IndexPath(ctx), h->reader_.get(), options);
  if (!index.ok() && index.status().code() == Code::kCorruption) {
    // The log itself is damaged: the index cannot be brought up to date past the damage.
    return Status::Corruption(fmt::format(
        "the log is damaged: {}; run `strata verify` for details (history up to the damage is "
        "intact; restore the log from a copy or backup to read past it)",
        index.status().message()));
  }
  if (!index.ok()) return index.status().WithContext("opening the index");
  h->index_ = std::move(index).value();
  const SyncReport& sync = h->index_->sync_report();
  if (sync.rebuilt && sync.reason != "no index yet" && sync.indexed > 0) {
    ctx.Note(fmt::format("note: rebuilt the index ({}): {} commits", sync.reason, sync.indexed));
  }
  return h;
}

}  // namespace strata::cli

namespace strata::cli {

Result<StoredCommit> AppendCommit(const Context& ctx, pb::Commit commit) {
  auto writer = CommitWriter::Open(ctx.env, ctx.project.log_dir, LogOptions{});
  if (!writer.ok()) return writer.status().WithContext("opening the log for writing");
  const RecoveryReport& recovery = (*writer)->recovery();
  if (recovery.truncated) {
    ctx.Note(fmt::format("note: cut a torn tail off the log ({} bytes): {}", recovery.dropped_bytes,
                         recovery.detail));
  }
  commit.set_time_unix_micros(ctx.now_micros);
  *commit.mutable_actor() = ctx.actor;
  return (*writer)->Append(std::move(commit));
}

}  // namespace strata::cli
