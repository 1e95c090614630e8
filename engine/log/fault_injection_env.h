// FaultInjectionEnv: an Env that wraps another and fails on purpose, for crash tests and
// benchmarks. It tracks, for each file written through it, how many bytes were synced, so
// DropUnsyncedData() can act out a power cut: files are cut back to their synced length, and
// files created since their directory was last synced disappear. Faults: a short write, a
// failing sync, and "the Nth mutating operation fails, and every one after it" (a crash).
// Reads always pass through. Thread-safe: one mutex guards the bookkeeping.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "engine/log/env.h"

namespace strata {

class FaultInjectionEnv final : public Env {
 public:
  // `base` must outlive this Env.
  explicit FaultInjectionEnv(Env* base);

  // The next Append writes only its first `keep_bytes` bytes and then fails with IoError.
  void InjectShortWrite(size_t keep_bytes);
  // The next Sync of a file fails with IoError; its bytes stay unsynced.
  void InjectSyncFailure();
  // The `n`th mutating operation from now (1: the next one) fails with IoError, and so does
  // every mutating operation after it until ClearFaults() or DropUnsyncedData(). When the
  // failing operation is an Append, its first `short_write_bytes` bytes are written first.
  // Mutating operations: OpenAppendable, Append, Sync, Truncate, RemoveFile, SyncDir,
  // WriteFileAtomic, CreateDirs.
  void FailAfter(uint64_t n, size_t short_write_bytes);
  void ClearFaults();

  // The power cut: every file written through this Env is cut back to its last synced length
  // and files whose creation was never made durable by SyncDir are removed. Clears faults.
  // Returns the base Env's error if it cannot truncate or remove.
  Status DropUnsyncedData();
  // The same power cut, except that `keep(path, unsynced)` of each surviving file's unsynced
  // bytes (at most all of them) reach the disk before it: a write torn at any byte.
  using KeepUnsynced = std::function<uint64_t(const std::string& path, uint64_t unsynced)>;
  Status DropUnsyncedData(const KeepUnsynced& keep);

  // Mutating operations seen so far (failed ones included).
  uint64_t operation_count() const;
  // Bytes appended to `path` through this Env that are not synced yet.
  uint64_t unsynced_bytes(const std::string& path) const;

  // Env.
  Result<std::unique_ptr<WritableFile>> OpenAppendable(const std::string& path) override;
  Result<std::unique_ptr<RandomAccessFile>> OpenReadable(const std::string& path) override;
  Result<std::string> ReadFile(const std::string& path) override;
  Status WriteFileAtomic(const std::string& path, std::string_view data) override;
  Result<std::vector<std::string>> ListDir(const std::string& dir) override;
  Status CreateDirs(const std::string& dir) override;
  bool Exists(const std::string& path) override;
  Result<uint64_t> FileSize(const std::string& path) override;
  Status Truncate(const std::string& path, uint64_t size) override;
  Status RemoveFile(const std::string& path) override;
  Status SyncDir(const std::string& dir) override;
  Result<std::unique_ptr<FileLock>> LockFile(const std::string& path) override;

 private:
  friend class FaultInjectionWritableFile;

  struct FileState {
    uint64_t size = 0;
    uint64_t synced = 0;
    bool entry_durable = true;  // its directory entry survives a power cut
  };

  // Counts a mutating operation; a non-Ok status when it must fail. `short_write` receives
  // how many bytes an Append may still write before failing (SIZE_MAX: all, no failure).
  Status CountOperation(std::string_view what, const std::string& path, size_t* short_write);
  Status FileAppend(WritableFile* base, const std::string& path, std::string_view data);
  Status FileSync(WritableFile* base, const std::string& path);

  Env* base_;
  mutable std::mutex mu_;
  std::map<std::string, FileState> files_;
  uint64_t operations_ = 0;
  uint64_t fail_at_ = 0;  // operation number that fails first; 0: none armed
  size_t fail_short_write_bytes_ = 0;
  bool down_ = false;  // a FailAfter fault fired: everything mutating fails
  bool short_write_armed_ = false;
  size_t short_write_keep_ = 0;
  bool sync_failure_armed_ = false;
};

}  // namespace strata
