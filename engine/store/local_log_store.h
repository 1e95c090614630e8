// LocalLogStore: the log directory (.strata/, docs/log-format.md) as a LogStore, the embedded
// default. Append takes the directory's LOCK for the append alone (waiting as the options say),
// compares the log's head with seq-1 under it and appends the bytes as they are; the head
// witness is kept as CommitWriter keeps it. Not thread-safe; any number of processes may share
// the directory.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/log/env.h"
#include "engine/log/log.h"
#include "engine/store/log_store.h"

namespace strata {

struct LocalLogStoreOptions {
  Env* env = nullptr;
  std::string dir;
  LogOptions log;
  // Called each time another writer holds the lock: Ok to try again (after waiting as long as
  // it likes), anything else to give up with that status. Unset: FailedPrecondition at once.
  std::function<Status()> on_lock_busy;
  // One line for people: a torn tail cut on opening for write, a witness missing or behind.
  std::function<void(const std::string&)> note;
};

class LocalLogStore : public LogStore {
 public:
  // Creates the directory when missing. InvalidArgument without env or dir.
  static Result<std::unique_ptr<LocalLogStore>> Open(LocalLogStoreOptions options);

  std::string Describe() const override;
  bool shared() const override { return false; }
  Result<Head> ReadHead() override;
  Result<std::vector<LogEntry>> Read(uint64_t from, size_t limit) override;
  // Conflict when the log's head is at or past `seq`; InvalidArgument when it is before seq-1.
  Result<Head> Append(uint64_t seq, std::string_view payload) override;
  // Append for several entries first_seq, first_seq+1, ... under one lock with one fsync (a
  // mirror catching up). Conflict when the head is at or past first_seq; InvalidArgument when
  // it is before first_seq-1 or an entry does not chain; nothing is written on an error.
  Result<Head> AppendBatch(uint64_t first_seq, const std::vector<std::string>& payloads);

  const std::string& dir() const { return options_.dir; }

 private:
  explicit LocalLogStore(LocalLogStoreOptions options) : options_(std::move(options)) {}
  void Note(const std::string& line) const;
  void Remember(const Head& head);

  LocalLogStoreOptions options_;
  // Commits whose positions were seen lately (from ReadHead, Read and Append), so a read that
  // continues after one of them starts there instead of at the first segment.
  std::map<uint64_t, Head> known_;
};

}  // namespace strata
