// CommitStore: commits over the log. Each record payload is one serialized pb::Commit; each
// commit carries its dense seq and the SHA-256 of the previous commit's stored payload bytes.
//
// The hash is taken over the payload exactly as it was serialized at append time and as the
// log returns it, never over a re-serialization. CommitWriter is the single writer (it holds
// the log's lock) and keeps the head witness (head_witness.h) naming the newest acknowledged
// commit, so damage to the newest commits is never mistaken for a torn write. CommitReader may
// be used concurrently by any number of processes. Neither is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/log/log.h"
#include "engine/status.h"
#include "engine/store/hash.h"
#include "engine/store/head_witness.h"
#include "proto/commit.pb.h"

namespace strata {

class ScanSlot;  // commit_store.cc
struct ScannedCommit;

struct StoredCommit {
  pb::Commit commit;
  Hash hash{};
  RecordPosition position;
  uint64_t payload_bytes = 0;
  // The stored bytes themselves: from ReadAt, and from a scan asked to keep them (keep_payload).
  std::string payload;

  operator ScannedCommit() const;  // NOLINT(google-explicit-constructor): a view of it
};

// A commit as a scan hands it to its visitor: views of what the scan decoded, valid during the
// visit only (a scan decodes each commit onto an arena it reuses). Copy() keeps one.
struct ScannedCommit {
  const pb::Commit& commit;
  const Hash& hash;
  const RecordPosition& position;
  uint64_t payload_bytes;
  const std::string& payload;  // empty unless the scan keeps payloads (keep_payload)

  StoredCommit Copy() const { return {commit, hash, position, payload_bytes, payload}; }
};

inline StoredCommit::operator ScannedCommit() const {
  return {commit, hash, position, payload_bytes, payload};
}

// The newest commit; seq 0 and a zero hash for an empty log.
struct Head {
  uint64_t seq = 0;
  Hash hash{};
  std::optional<RecordPosition> position;
};

struct CommitWriterOptions {
  LogOptions log;
  // Called each time another writer holds the lock: Ok to try again (after waiting as long as
  // it likes), anything else to give up with that status. Unset: FailedPrecondition at once.
  std::function<Status()> on_lock_busy;
};

class CommitWriter {
 public:
  // Opens (creating when missing) the log in `dir`; see LogWriter::Open for errors. Before a
  // torn tail is cut, the log is compared with its head witness: Corruption naming the seq,
  // with nothing changed, when the log ends before the witnessed commit or holds another commit
  // at its seq ("commit 14 was acknowledged (head witness) but the log ends at seq 13 ...").
  // Corruption too when the witness itself is damaged. A log one or more commits ahead of its
  // witness (a crash between the log's fsync and the witness write) is accepted.
  static Result<std::unique_ptr<CommitWriter>> Open(Env* env, const std::string& dir,
                                                    const LogOptions& options);
  static Result<std::unique_ptr<CommitWriter>> Open(Env* env, const std::string& dir,
                                                    const CommitWriterOptions& options);

  const Head& head() const { return head_; }
  const RecoveryReport& recovery() const { return log_->recovery(); }
  // The log has commits but no head witness (written before witnesses existed, or HEAD was
  // removed): nothing guards its newest commit until the next append writes a witness.
  bool witness_missing() const { return witness_missing_; }
  // One line for people about the witness found on opening; empty when it matched the head.
  const std::string& witness_note() const { return witness_note_; }

  // Sets seq and prev_hash, validates, serializes once, appends, and returns once the commit
  // is durable and the head witness names it. InvalidArgument for an invalid commit (nothing
  // is written). After a failure to write the log or the witness, FailedPrecondition for every
  // later append: reopen to go on.
  Result<StoredCommit> Append(pb::Commit commit);
  // The same for several commits with one fsync and one witness write (imports, benchmarks).
  Result<std::vector<StoredCommit>> AppendBatch(std::vector<pb::Commit> commits);
  // Appends bytes already serialized (by SerializeCommit, for a LogStore) as they are: they must
  // be a valid commit whose seq is head+1 and whose prev_hash is the head's hash, else
  // InvalidArgument with nothing written. Otherwise as Append.
  Result<StoredCommit> AppendPayload(std::string_view payload);
  // The same for several payloads in seq order with one fsync and one witness write (a mirror
  // catching up with its shared store). Each must chain to the one before it (the first to the
  // head); InvalidArgument naming the first that does not, with nothing written.
  Result<Head> AppendPayloads(const std::vector<std::string>& payloads);

 private:
  CommitWriter(Env* env, std::string dir, std::unique_ptr<LogWriter> log, Head head)
      : env_(env), dir_(std::move(dir)), log_(std::move(log)), head_(head) {}
  Status CheckUsable() const;
  Status Prepare(pb::Commit* commit, uint64_t seq, const Hash& prev, std::string* payload);
  // Writes the witness for head_; the commits up to it are acknowledged once it returns Ok.
  Status Acknowledge();

  Env* env_;
  std::string dir_;
  std::unique_ptr<LogWriter> log_;
  Head head_;
  bool witness_missing_ = false;
  std::string witness_note_;
  Status failed_;  // a witness write failed: the witness may be behind the log
};

struct CommitScanOptions {
  // Start after this commit (its position and hash are needed to keep checking the chain);
  // from the first commit when unset.
  std::optional<Head> after;
  // Stop after this seq (inclusive); everything when unset.
  std::optional<uint64_t> until_seq;
  // Where commit until_seq is, when known (from an index): the log is read no further than its
  // end. FailedPrecondition when the records up to there end with another commit.
  std::optional<RecordPosition> until_position;
  bool verify_checksums = true;
  // Read, decompress, parse and check commits on a second thread while the visitor runs on
  // the caller's: for long scans whose visitor does real work (verify, index builds, replay).
  // Same results and errors, in the same order.
  bool decode_ahead = false;
  // Fill ScannedCommit::payload with the stored bytes (for copying commits to another store).
  bool keep_payload = false;
};

class CommitReader {
 public:
  // NotFound when `dir` does not exist. A damaged head witness does not fail the open: it is
  // reported by witness_status(), ReadHead and Scan.
  static Result<std::unique_ptr<CommitReader>> Open(Env* env, const std::string& dir);
  // Another reader of the same log, for a second thread (a reader is not thread-safe).
  Result<std::unique_ptr<CommitReader>> OpenAnother() const { return Open(env_, dir_); }

  // The newest commit (only the last record is decoded). Corruption when the log ends before
  // the commit its head witness acknowledged, or holds another commit at that seq ("commit 14
  // was acknowledged (head witness) but the log ends at seq 13 ..."), or when the witness is
  // damaged. Reads the witness again first, so a long-lived reader checks the newest one.
  Result<Head> ReadHead();
  using Visitor = std::function<Status(const ScannedCommit&)>;
  // Visits commits in order, checking that seqs are dense and each prev_hash matches.
  // Corruption names the seq: "commit 42 (segment 1 at offset 812): prev_hash does not match
  // the hash of commit 41 (spliced or edited history)". A scan that reaches the end of the log
  // before the witnessed commit fails there: "commit 14 (acknowledged by the head witness) is
  // missing or damaged ...", naming the first missing seq; one that reaches the end with a
  // damaged witness returns that Corruption after visiting every commit.
  Status Scan(const CommitScanOptions& options, const Visitor& visit);
  // One commit at a known position (from the index), with its stored bytes; hash computed,
  // chain not checked.
  Result<StoredCommit> ReadAt(const RecordPosition& position);
  const std::string& tail_note() const { return log_->tail_note(); }

  // The head witness as last read (by Open, ReadHead or Scan); nullopt when the log has none
  // or it could not be read.
  const std::optional<Witness>& witness() const { return witness_; }
  // Ok, or why the witness could not be read (Corruption "head witness is damaged (...)").
  const Status& witness_status() const { return witness_status_; }

 private:
  CommitReader(Env* env, std::string dir, std::unique_ptr<LogReader> log)
      : env_(env), dir_(std::move(dir)), log_(std::move(log)) {}
  void LoadWitness();
  // Ok when `last` (the last whole commit, null for an empty log) is at or after the witnessed
  // commit and agrees with it.
  Status CheckWitness(const Witness& witness, const StoredCommit* last);
  // Decodes each commit into a slot from `slot`, checks it, and passes it to `emit`.
  Status ScanChecked(const CommitScanOptions& options,
                     const std::function<ScanSlot*()>& slot,
                     const std::function<Status(ScanSlot*)>& emit);
  Status ScanAhead(const CommitScanOptions& options, const Visitor& visit);
  // Corruption for a scan that ended at `last_seq`, the end of the log, short of the witness.
  Status CheckScanEnd(const CommitScanOptions& options, uint64_t last_seq) const;

  Env* env_;
  std::string dir_;
  std::unique_ptr<LogReader> log_;
  std::optional<Witness> witness_;
  Status witness_status_;
};

// The bytes a commit is stored as: deterministic (map entries in key order), so the same commit
// always hashes the same. Internal when it does not serialize.
Status SerializeCommit(const pb::Commit& commit, std::string* payload);

// Parses and hashes one stored payload. Corruption when it is not a valid commit.
Result<StoredCommit> DecodeCommit(const RecordPosition& position, std::string_view payload);

}  // namespace strata
