// Env: the file-system operations the log and index need, behind an interface so tests can
// inject faults (short writes, fsync failures, a power cut that drops unsynced bytes).
//
// Every method returns a Status naming the path and the OS error on failure. Implementations
// must be safe to use from one thread at a time per open file.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace strata {

// An open file that only grows. Bytes are durable only after Sync() returned Ok.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
};

// Bytes of a file mapped into memory, read-only; unmapped when destroyed.
class MappedBytes {
 public:
  virtual ~MappedBytes() = default;
  virtual std::string_view bytes() const = 0;
};

class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads up to `n` bytes at `offset` into `out` (fewer at end of file; none past it).
  virtual Status Read(uint64_t offset, size_t n, std::string* out) const = 0;
  virtual Result<uint64_t> Size() const = 0;
  // The same into `out`, which has room for `n` bytes; returns how many were read. The rest of
  // `out` is left as it was, so a caller reading parts of a large buffer pays only for those.
  virtual Result<size_t> ReadInto(uint64_t offset, size_t n, char* out) const {
    std::string bytes;
    STRATA_RETURN_IF_ERROR(Read(offset, n, &bytes));
    std::copy(bytes.begin(), bytes.end(), out);
    return bytes.size();
  }
  // The first `size` bytes mapped into memory, for a file that no longer changes (a mapping
  // outlives nothing that shrinks the file); nullptr when this file cannot be mapped, and the
  // caller reads it instead. Pages are read as they are touched.
  virtual std::unique_ptr<MappedBytes> MapUnchanging(uint64_t size) const {
    (void)size;
    return nullptr;
  }
};

// Held while alive; released on destruction (or when the process dies).
class FileLock {
 public:
  virtual ~FileLock() = default;
};

class Env {
 public:
  virtual ~Env() = default;
  // Opens for appending, creating the file when missing.
  virtual Result<std::unique_ptr<WritableFile>> OpenAppendable(const std::string& path) = 0;
  virtual Result<std::unique_ptr<RandomAccessFile>> OpenReadable(const std::string& path) = 0;
  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  // Writes a whole file so that readers see the old or the new content, never a mix
  // (temporary file, fsync, rename, fsync of the directory).
  virtual Status WriteFileAtomic(const std::string& path, std::string_view data) = 0;
  // File names (not paths) in `dir`, sorted; NotFound when the directory is missing.
  virtual Result<std::vector<std::string>> ListDir(const std::string& dir) = 0;
  virtual Status CreateDirs(const std::string& dir) = 0;
  virtual bool Exists(const std::string& path) = 0;
  virtual Result<uint64_t> FileSize(const std::string& path) = 0;
  // Cuts a file back to `size` bytes and makes that durable.
  virtual Status Truncate(const std::string& path, uint64_t size) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;
  virtual Status SyncDir(const std::string& dir) = 0;
  // An exclusive advisory lock on `path` (created when missing). FailedPrecondition when
  // another holder has it, with a message naming the path.
  virtual Result<std::unique_ptr<FileLock>> LockFile(const std::string& path) = 0;
};

// The real file system (POSIX). Stateless; one per process is plenty.
std::unique_ptr<Env> NewPosixEnv();

}  // namespace strata
