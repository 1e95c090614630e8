#include "engine/store/local_log_store.h"

#include <fmt/format.h>

namespace strata {

Result<std::unique_ptr<LocalLogStore>> LocalLogStore::Open(LocalLogStoreOptions options) {
  if (options.env == nullptr) return Status::InvalidArgument("local log store: no Env");
  if (options.dir.empty()) return Status::InvalidArgument("local log store: no directory");
  STRATA_RETURN_IF_ERROR(options.env->CreateDirs(options.dir));
  return std::unique_ptr<LocalLogStore>(new LocalLogStore(std::move(options)));
}

std::string LocalLogStore::Describe() const { return "log directory " + options_.dir; }

void LocalLogStore::Note(const std::string& line) const {
  if (options_.note) options_.note(line);
}

void LocalLogStore::Remember(const Head& head) {
  if (head.seq == 0 || !head.position) return;
  known_[head.seq] = head;
  constexpr size_t kKept = 64;
  while (known_.size() > kKept) known_.erase(known_.begin());
}

Result<Head> LocalLogStore::ReadHead() {
  // A fresh reader each time: a long-lived one could hold a segment file a writer has since
  // removed (a torn segment creation) and replaced.
  STRATA_ASSIGN_OR_RETURN(auto reader, CommitReader::Open(options_.env, options_.dir));
  STRATA_ASSIGN_OR_RETURN(Head head, reader->ReadHead());
  Remember(head);
  return head;
}

Result<std::vector<LogEntry>> LocalLogStore::Read(uint64_t from, size_t limit) {
  if (from == 0 || limit == 0) {
    return Status::InvalidArgument("local log store: Read needs from >= 1 and limit > 0");
  }
  STRATA_ASSIGN_OR_RETURN(auto reader, CommitReader::Open(options_.env, options_.dir));
  std::vector<LogEntry> out;
  CommitScanOptions scan;
  // Start at the known commit just before `from` when there is one; else from the start.
  if (auto it = known_.find(from - 1); it != known_.end()) scan.after = it->second;
  scan.until_seq = from - 1 + limit;
  scan.keep_payload = true;
  Head last;
  Status s = reader->Scan(scan, [&](const ScannedCommit& c) -> Status {
    last = Head{c.commit.seq(), c.hash, c.position};
    if (c.commit.seq() < from) return Status::Ok();
    LogEntry e;
    e.seq = c.commit.seq();
    e.payload = c.payload;
    e.hash = c.hash;
    out.push_back(std::move(e));
    return Status::Ok();
  });
  STRATA_RETURN_IF_ERROR(s);
  Remember(last);
  return out;
}

Result<Head> LocalLogStore::Append(uint64_t seq, std::string_view payload) {
  return AppendBatch(seq, {std::string(payload)});
}

Result<Head> LocalLogStore::AppendBatch(uint64_t seq, const std::vector<std::string>& payloads) {
  CommitWriterOptions open;
  open.log = options_.log;
  open.on_lock_busy = options_.on_lock_busy;
  STRATA_ASSIGN_OR_RETURN(auto writer, CommitWriter::Open(options_.env, options_.dir, open));
  const RecoveryReport& recovery = writer->recovery();
  if (recovery.truncated) {
    Note(fmt::format("cut a torn tail off the log ({} bytes, never acknowledged): {}",
                     recovery.dropped_bytes, recovery.detail));
  }
  if (!writer->witness_note().empty()) Note(writer->witness_note());
  const Head head = writer->head();
  if (head.seq >= seq) {
    return Status::Conflict(fmt::format("{}: commit {} exists already (the log's head is seq {})",
                                        Describe(), seq, head.seq));
  }
  if (head.seq + 1 < seq) {
    return Status::InvalidArgument(fmt::format(
        "{}: cannot append commit {}: the log ends at seq {}", Describe(), seq, head.seq));
  }
  STRATA_ASSIGN_OR_RETURN(const Head appended, writer->AppendPayloads(payloads));
  Remember(appended);
  return appended;
}

}  // namespace strata
