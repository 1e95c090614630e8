// The log: segmented, append-only files of records, each one zstd-compressed payload with a
// length and a checksum. The byte format is docs/log-format.md; read that first.
//
// The log knows nothing of commits: a payload is opaque bytes (the store above puts one
// serialized Commit in each). LogWriter is the single writer (it holds LOCK in the log
// directory) and is not thread-safe; any number of LogReaders may read concurrently with it,
// seeing whole records only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/log/env.h"
#include "engine/status.h"

namespace strata {

// Where a record's frame starts. Stable forever: committed bytes are never rewritten.
struct RecordPosition {
  uint32_t segment = 0;  // segment number (file name), from 1
  uint64_t offset = 0;   // byte offset of the record frame in that segment
  uint32_t stored_size = 0;  // whole frame size on disk, header included (0: unknown)

  friend bool operator==(const RecordPosition&, const RecordPosition&) = default;
};

struct LogOptions {
  // A new segment starts once the current one holds at least this many bytes.
  uint64_t segment_target_bytes = 16ull << 20;
  int compression_level = 3;
  // Small payloads compress with a zstd dictionary kept in the log itself: trained from the
  // most recent payloads once a segment holds `dictionary_min_records` records and
  // `dictionary_min_sample_bytes` payload bytes, and again at every new segment. 0 turns
  // dictionaries off (each payload is compressed on its own).
  uint32_t dictionary_bytes = 32u << 10;
  uint32_t dictionary_min_records = 100;
  uint64_t dictionary_min_sample_bytes = 64u << 10;
  // How many bytes of the most recent payloads training reads back.
  uint64_t dictionary_max_sample_bytes = 2u << 20;
};

// What opening for append found and did to the tail.
struct RecoveryReport {
  bool truncated = false;       // a torn tail was cut back
  uint64_t dropped_bytes = 0;   // how many bytes were cut
  std::string detail;           // e.g. "segment 3: incomplete record at offset 4096 (12 bytes)"
};

// How opening for append waits for the lock, and what the layer above checks before the
// log is changed.
struct WriterOpenOptions {
  // Called each time another writer holds the lock: Ok to try again (it has waited as long as
  // it likes), anything else to give up with that status. Unset: give up at once.
  std::function<Status()> on_lock_busy;
  // Called under the lock once the sealed segments are checked, before a torn tail is cut or
  // anything else is written. A non-Ok return fails the open with the log untouched (the store
  // compares the log with its head witness here, so damage is never cut away as a torn tail).
  std::function<Status()> before_recovery;
};

class LogWriter {
 public:
  // Opens (creating when missing) the log in `dir`, takes the lock, and cuts a torn tail back
  // to the last whole record. FailedPrecondition when another writer holds the lock;
  // Corruption when damage is found anywhere but the tail. Opening checks every segment's
  // header and end record and every frame of the last segment; a Scan checks the rest.
  static Result<std::unique_ptr<LogWriter>> Open(Env* env, const std::string& dir,
                                                 const LogOptions& options);
  // The same, waiting for the lock and checking before recovery as `open` says.
  static Result<std::unique_ptr<LogWriter>> Open(Env* env, const std::string& dir,
                                                 const LogOptions& options,
                                                 const WriterOpenOptions& open);
  virtual ~LogWriter() = default;

  virtual const RecoveryReport& recovery() const = 0;
  // Appends one record and returns once it is durable (fsync returned). On failure nothing
  // later is appended by this writer: reopen to recover. InvalidArgument for a payload over
  // 1000 MiB (the writer stays usable); IoError from the file system; FailedPrecondition
  // after an earlier failure.
  virtual Result<RecordPosition> Append(std::string_view payload) = 0;
  // Appends several records with one fsync at the end (bulk import, benchmarks). Errors as
  // for Append; on failure none of the batch is acknowledged (a prefix may survive).
  virtual Result<std::vector<RecordPosition>> AppendBatch(
      const std::vector<std::string>& payloads) = 0;
  // Records in the whole log (all segments), including those appended by this writer.
  virtual uint64_t record_count() const = 0;
  // The id of the dictionary the current segment compresses with; 0 when none.
  virtual uint32_t dictionary_id() const = 0;
};

struct ScanOptions {
  // Start at this record (as returned by Append or a previous scan); the first when unset.
  std::optional<RecordPosition> from;
  // Verify each record's checksum (always on for `verify`).
  bool verify_checksums = true;
  // Stop after this record (a position from Append or a scan, at or after `from`): the bytes
  // of its segment past its end are not read, so a scan that ends early in a long last
  // segment reads only what it visits.
  std::optional<RecordPosition> until;
};

class LogReader {
 public:
  // Opens the log in `dir` for reading; never writes, never takes the lock. A torn tail is
  // ignored (reported by tail_note()); other damage is reported by the calls that meet it.
  // NotFound when `dir` does not exist.
  static Result<std::unique_ptr<LogReader>> Open(Env* env, const std::string& dir);
  virtual ~LogReader() = default;

  // `payload` is valid only during the call.
  using Visitor = std::function<Status(const RecordPosition&, std::string_view payload)>;
  // Calls `visit` for each record payload in order, from `options.from` itself when set;
  // stops at the first non-Ok (returned). Damage is a Corruption status naming the segment,
  // offset and what is wrong (docs/log-format.md lists the kinds).
  virtual Status Scan(const ScanOptions& options, const Visitor& visit) = 0;
  // One record's payload (its checksum always verified). Corruption for damage;
  // InvalidArgument when `position` is not where a record starts.
  virtual Result<std::string> ReadAt(const RecordPosition& position) = 0;
  // The last whole record, or nullopt for an empty log. Reads the end of the last segment
  // backwards, so it costs a few small reads however long the log is.
  virtual Result<std::optional<std::pair<RecordPosition, std::string>>> ReadLast() = 0;
  // Non-empty when the reader saw a torn tail it ignored.
  virtual const std::string& tail_note() const = 0;
};

}  // namespace strata
