#include "engine/history/history.h"

#include <fmt/format.h>

#include "engine/state/objects.h"

namespace strata {

Result<std::unique_ptr<History>> History::Open(const HistoryOptions& options) {
  auto note = [&options](const std::string& line) {
    if (options.note) options.note(line);
  };
  auto h = std::unique_ptr<History>(new History());
  STRATA_RETURN_IF_ERROR(options.env->CreateDirs(options.log_dir));
  STRATA_ASSIGN_OR_RETURN(h->reader_, CommitReader::Open(options.env, options.log_dir));
  IndexOptions index_options;
  index_options.progress = options.index_progress;
  const std::string path =
      options.index_path.empty() ? options.log_dir + "/index.sqlite" : options.index_path;
  auto index = Index::Open(path, h->reader_.get(), index_options);
  if (!index.ok() && index.status().code() == Code::kCorruption) {
    // The log itself is damaged: the index cannot be brought up to date past the damage.
    const std::string& why = index.status().message();
    return Status::Corruption(fmt::format(
        "the log is damaged: {}; run `strata verify` for details{}", why,
        why.find("backup") != std::string::npos
            ? ""
            : " (history up to the damage is intact; restore the log from a copy or backup to "
              "read past it)"));
  }
  if (!index.ok()) return index.status().WithContext("opening the index");
  h->index_ = std::move(index).value();
  if (options.index_progress && h->index_->sync_report().indexed >= 1000) {
    options.index_progress(h->index_->head_seq(), h->index_->head_seq());
  }
  // Only now is a torn tail known to be past every acknowledged commit (the head witness was
  // checked on the way): an interrupted append, which the next write cuts back.
  if (!h->reader_->tail_note().empty()) {
    note("note: " + h->reader_->tail_note() + " (ignored; the next write cuts it back)");
  }
  const SyncReport& sync = h->index_->sync_report();
  if (sync.rebuilt && sync.reason != "no index yet" && sync.indexed > 0) {
    note(fmt::format("note: rebuilt the index ({}): {} commits", sync.reason, sync.indexed));
  }
  return h;
}

Result<pb::SchemaState> History::SchemaAt(uint64_t seq, const std::string& schema) {
  STRATA_ASSIGN_OR_RETURN(pb::State state, index_->StateAt(seq));
  auto it = state.mutable_schemas()->find(schema);
  if (it == state.mutable_schemas()->end()) return pb::SchemaState();
  pb::SchemaState out;
  out.Swap(&it->second);
  return out;
}

Result<std::optional<CursorInfo>> History::Cursor(const std::string& label) {
  STRATA_ASSIGN_OR_RETURN(std::vector<CursorInfo> cursors, index_->Cursors());
  for (auto& c : cursors) {
    if (c.target == label) return std::optional<CursorInfo>(std::move(c));
  }
  return std::optional<CursorInfo>();
}

Result<std::set<std::string>> History::ObjectsEverRecorded(const std::string& schema) {
  CommitFilter filter;
  filter.schema = schema;
  STRATA_ASSIGN_OR_RETURN(std::vector<CommitSummary> commits, index_->Commits(filter));
  std::set<std::string> names;
  for (const CommitSummary& c : commits) {
    if (c.event_count == 0) continue;
    STRATA_ASSIGN_OR_RETURN(StoredCommit stored, reader_->ReadAt(c.position));
    for (const pb::Event& e : stored.commit.events()) {
      for (std::string& o : TouchedObjects(e, pb::SchemaState())) names.insert(std::move(o));
    }
  }
  return names;
}

Result<std::set<std::string>> History::MigrationsRecorded(const std::string& schema) {
  CommitFilter filter;
  filter.schema = schema;
  STRATA_ASSIGN_OR_RETURN(std::vector<CommitSummary> commits, index_->Commits(filter));
  std::set<std::string> names;
  for (const CommitSummary& c : commits) {
    STRATA_ASSIGN_OR_RETURN(StoredCommit stored, reader_->ReadAt(c.position));
    if (stored.commit.has_migration() && !stored.commit.migration().name().empty()) {
      names.insert(stored.commit.migration().name());
    }
  }
  return names;
}

Result<std::vector<CommitSummary>> History::ChangesAfter(const std::string& schema,
                                                         uint64_t seq) {
  CommitFilter f;
  f.schema = schema;
  f.min_seq = seq + 1;
  STRATA_ASSIGN_OR_RETURN(std::vector<CommitSummary> commits, index_->Commits(f));
  std::vector<CommitSummary> out;
  for (auto& c : commits) {
    if (c.event_count > 0) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace strata
