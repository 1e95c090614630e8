// CommitStore: commits over the log. Each record payload is one serialized pb::Commit; each
// commit carries its dense seq and the SHA-256 of the previous commit's stored payload bytes.
//
// The hash is taken over the payload exactly as it was serialized at append time and as the
// log returns it, never over a re-serialization. CommitWriter is the single writer (it holds
// the log's lock); CommitReader may be used concurrently by any number of processes. Neither
// is thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/log/log.h"
#include "engine/status.h"
#include "proto/commit.pb.h"

namespace strata {

using Hash = std::array<uint8_t, 32>;

Hash Sha256(std::string_view bytes);
std::string HashHex(const Hash& hash);

struct StoredCommit {
  pb::Commit commit;
  Hash hash{};
  RecordPosition position;
  uint64_t payload_bytes = 0;
};

// The newest commit; seq 0 and a zero hash for an empty log.
struct Head {
  uint64_t seq = 0;
  Hash hash{};
  std::optional<RecordPosition> position;
};

class CommitWriter {
 public:
  // Opens (creating when missing) the log in `dir`; see LogWriter::Open for errors.
  static Result<std::unique_ptr<CommitWriter>> Open(Env* env, const std::string& dir,
                                                    const LogOptions& options);

  const Head& head() const { return head_; }
  const RecoveryReport& recovery() const { return log_->recovery(); }

  // Sets seq and prev_hash, validates, serializes once, appends and returns once durable.
  // InvalidArgument for an invalid commit (nothing is written).
  Result<StoredCommit> Append(pb::Commit commit);
  // The same for several commits with one fsync (imports, benchmarks).
  Result<std::vector<StoredCommit>> AppendBatch(std::vector<pb::Commit> commits);

 private:
  CommitWriter(std::unique_ptr<LogWriter> log, Head head) : log_(std::move(log)), head_(head) {}
  Status Prepare(pb::Commit* commit, uint64_t seq, const Hash& prev, std::string* payload);

  std::unique_ptr<LogWriter> log_;
  Head head_;
};

struct CommitScanOptions {
  // Start after this commit (its position and hash are needed to keep checking the chain);
  // from the first commit when unset.
  std::optional<Head> after;
  // Stop after this seq (inclusive); everything when unset.
  std::optional<uint64_t> until_seq;
  bool verify_checksums = true;
  // Read, decompress, parse and check commits on a second thread while the visitor runs on
  // the caller's: for long scans whose visitor does real work (verify, index builds, replay).
  // Same results and errors, in the same order.
  bool decode_ahead = false;
};

class CommitReader {
 public:
  static Result<std::unique_ptr<CommitReader>> Open(Env* env, const std::string& dir);

  // The newest commit (only the last record is decoded).
  Result<Head> ReadHead();
  using Visitor = std::function<Status(const StoredCommit&)>;
  // Visits commits in order, checking that seqs are dense and each prev_hash matches.
  // Corruption names the seq: "commit 42 (segment 1 at offset 812): prev_hash does not match
  // the hash of commit 41 (spliced or edited history)".
  Status Scan(const CommitScanOptions& options, const Visitor& visit);
  // One commit at a known position (from the index); hash computed, chain not checked.
  Result<StoredCommit> ReadAt(const RecordPosition& position);
  const std::string& tail_note() const { return log_->tail_note(); }

 private:
  explicit CommitReader(std::unique_ptr<LogReader> log) : log_(std::move(log)) {}
  // Decodes each commit into a StoredCommit from `slot`, checks it, and passes it to `emit`.
  Status ScanChecked(const CommitScanOptions& options,
                     const std::function<StoredCommit*()>& slot,
                     const std::function<Status(StoredCommit*)>& emit);
  Status ScanAhead(const CommitScanOptions& options, const Visitor& visit);
  std::unique_ptr<LogReader> log_;
};

// Parses and hashes one stored payload. Corruption when it is not a valid commit.
Result<StoredCommit> DecodeCommit(const RecordPosition& position, std::string_view payload);

}  // namespace strata
