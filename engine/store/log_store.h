// LogStore: where the commits of one log live, as a dense sequence of entries 1, 2, 3, ...
// each holding one commit's stored bytes (the serialized pb::Commit exactly as it was hashed).
// The local directory (local_log_store.h) is the embedded default; shared stores (PostgreSQL
// in adapters/postgres/log_store.h) implement the same contract, so the hash chain, the commit
// bytes and the writer protocol (engine/record/recorder.h) are the same everywhere.
//
// The commit point is Append creating entry N+1 and nothing else. Entries are never rewritten
// or deleted. Implementations are not thread-safe: one per thread; any number of processes may
// share the log behind them. docs/team-log.md has the design.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "engine/store/commit_store.h"

namespace strata {

// One entry: a commit's seq, its stored bytes and their SHA-256 (what the next commit chains to).
struct LogEntry {
  uint64_t seq = 0;
  std::string payload;
  Hash hash{};
};

class LogStore {
 public:
  virtual ~LogStore() = default;

  // The store as people name it in messages: "log directory /p/.strata",
  // "PostgreSQL log \"prod\" (table strata_log on 127.0.0.1:5432/ops)".
  virtual std::string Describe() const = 0;

  // True for a store other processes reach over a network, whose answers can be lost after the
  // write was applied: the writer then puts a nonce in each commit and looks back after a
  // Conflict. False for the log directory, whose Conflict is always definitive.
  virtual bool shared() const = 0;

  // The newest entry's seq and hash; seq 0 and a zero hash for an empty log. Corruption for a
  // damaged log; Unavailable when the store cannot be reached.
  virtual Result<Head> ReadHead() = 0;

  // The entries with seq >= `from` (from >= 1), in seq order, at most `limit` (> 0); fewer
  // (or none) at the head. Entries are returned as stored, hash computed over those bytes;
  // the chain is the caller's to check. Corruption when the store has a gap.
  virtual Result<std::vector<LogEntry>> Read(uint64_t from, size_t limit) = 0;

  // Creates entry `seq` holding `payload` if and only if no entry `seq` exists yet.
  //   Ok            entry `seq` now holds these bytes (the commit point);
  //   Conflict      an entry `seq` exists already: the race was lost (or won by an earlier
  //                 attempt whose reply never came back); nothing was written;
  //   Unavailable   the outcome is unknown (the request may have been applied): look first;
  //   InvalidArgument  `payload` is not a valid commit with seq `seq` whose prev_hash is the
  //                 hash of entry seq-1 (or seq is beyond head+1); nothing was written;
  //   anything else: a failure; nothing was written.
  // On Ok, the new head (its position filled in where the store has positions).
  virtual Result<Head> Append(uint64_t seq, std::string_view payload) = 0;

  // Checks that the store creates an entry only when none exists: some S3-compatible stores
  // accept a conditional write and ignore its condition, and a log on one would fork. Writes
  // only outside the log's entries (a probe object of its own). Stores whose condition is a
  // lock or a database constraint (the log directory, PostgreSQL) have nothing to probe: Ok.
  // FailedPrecondition naming the store and what it ignored; Unavailable when unreachable.
  virtual Status ProbeConditionalWrites() { return Status::Ok(); }
};

// Checks that `payload` is a commit that may become entry `seq` after `prev` (seq, prev_hash,
// and the commit's own rules). InvalidArgument naming what is wrong.
Status CheckEntry(uint64_t seq, std::string_view payload, const Head& prev);

// The seq and prev_hash a payload claims, for stores that keep them beside the bytes.
// InvalidArgument when the bytes are not a commit.
struct EntryChain {
  uint64_t seq = 0;
  Hash prev_hash{};
};
Result<EntryChain> ChainOf(std::string_view payload);

// Reads every entry after `after` (seq and hash of a verified commit; Head{} for the start) up to
// the head, `page` at a time, checking that seqs are dense and each prev_hash chains, and calls
// `visit` for each. Corruption naming the seq on a gap or a broken chain. A page the store
// refuses as Corruption is read again one entry at a time, so that the entries before the bad
// one are visited and the error comes from the bad entry's own read.
Status ScanStore(LogStore& store, const Head& after, size_t page,
                 const std::function<Status(const LogEntry&, const pb::Commit&)>& visit);

}  // namespace strata
