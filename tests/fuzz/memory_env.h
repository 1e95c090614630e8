// MemoryEnv: an Env (engine/log/env.h) whose files are strings in a map, for the fuzz targets
// and their seed replay: the log reader, writer and stores run on fuzzed bytes without touching
// the disk, so a run is fast and leaves nothing behind. Directories exist once created or once a
// file is put under them; every write is durable at once (there is no power cut to act out:
// FaultInjectionEnv does that over the real file system). Locks are per path within one
// MemoryEnv. Not thread-safe.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/log/env.h"

namespace strata::fuzz {

class MemoryEnv final : public Env {
 public:
  // Puts `bytes` at `path` (creating its directory), replacing what was there.
  void Put(const std::string& path, std::string_view bytes) {
    files_[path] = std::string(bytes);
    dirs_.insert(Parent(path));
  }
  const std::map<std::string, std::string>& files() const { return files_; }

  Result<std::unique_ptr<WritableFile>> OpenAppendable(const std::string& path) override {
    if (!dirs_.count(Parent(path))) return Status::NotFound("opening " + path + ": no directory");
    files_.try_emplace(path);
    return std::unique_ptr<WritableFile>(new File(this, path));
  }
  Result<std::unique_ptr<RandomAccessFile>> OpenReadable(const std::string& path) override {
    if (!files_.count(path)) return Missing("opening", path);
    return std::unique_ptr<RandomAccessFile>(new Reader(this, path));
  }
  Result<std::string> ReadFile(const std::string& path) override {
    auto it = files_.find(path);
    if (it == files_.end()) return Missing("reading", path);
    return it->second;
  }
  Status WriteFileAtomic(const std::string& path, std::string_view data) override {
    if (!dirs_.count(Parent(path))) return Missing("writing", path);
    files_[path] = std::string(data);
    return Status::Ok();
  }
  Result<std::vector<std::string>> ListDir(const std::string& dir) override {
    if (!dirs_.count(dir)) return Missing("listing", dir);
    std::set<std::string> names;  // sorted, as the interface promises
    const std::string prefix = dir + "/";
    for (const auto& [path, _] : files_) {
      if (path.starts_with(prefix)) names.insert(FirstPart(path.substr(prefix.size())));
    }
    for (const std::string& d : dirs_) {
      if (d.starts_with(prefix)) names.insert(FirstPart(d.substr(prefix.size())));
    }
    return std::vector<std::string>(names.begin(), names.end());
  }
  Status CreateDirs(const std::string& dir) override {
    for (size_t slash = dir.find('/', 1); slash != std::string::npos;
         slash = dir.find('/', slash + 1)) {
      dirs_.insert(dir.substr(0, slash));
    }
    dirs_.insert(dir);
    return Status::Ok();
  }
  bool Exists(const std::string& path) override {
    return files_.count(path) > 0 || dirs_.count(path) > 0;
  }
  Result<uint64_t> FileSize(const std::string& path) override {
    auto it = files_.find(path);
    if (it == files_.end()) return Missing("sizing", path);
    return static_cast<uint64_t>(it->second.size());
  }
  Status Truncate(const std::string& path, uint64_t size) override {
    auto it = files_.find(path);
    if (it == files_.end()) return Missing("truncating", path);
    if (size < it->second.size()) it->second.resize(size);
    return Status::Ok();
  }
  Status RemoveFile(const std::string& path) override {
    if (files_.erase(path) == 0) return Missing("removing", path);
    return Status::Ok();
  }
  Status SyncDir(const std::string& dir) override { return Status::Ok(); }
  Result<std::unique_ptr<FileLock>> LockFile(const std::string& path) override {
    if (!locked_.insert(path).second) {
      return Status::FailedPrecondition(path + " is locked by another holder");
    }
    files_.try_emplace(path);
    return std::unique_ptr<FileLock>(new Lock(this, path));
  }

 private:
  static std::string Parent(const std::string& path) {
    const size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
  }
  static std::string FirstPart(const std::string& rest) { return rest.substr(0, rest.find('/')); }
  static Status Missing(std::string_view op, const std::string& path) {
    return Status::NotFound(std::string(op) + " " + path + ": No such file or directory");
  }

  class File final : public WritableFile {
   public:
    File(MemoryEnv* env, std::string path) : env_(env), path_(std::move(path)) {}
    Status Append(std::string_view data) override {
      env_->files_[path_].append(data);
      return Status::Ok();
    }
    Status Sync() override { return Status::Ok(); }
    Status Close() override { return Status::Ok(); }

   private:
    MemoryEnv* env_;
    std::string path_;
  };
  class Reader final : public RandomAccessFile {
   public:
    Reader(MemoryEnv* env, std::string path) : env_(env), path_(std::move(path)) {}
    Status Read(uint64_t offset, size_t n, std::string* out) const override {
      const std::string& bytes = env_->files_[path_];
      out->assign(offset < bytes.size() ? bytes.substr(offset, n) : std::string());
      return Status::Ok();
    }
    Result<uint64_t> Size() const override {
      return static_cast<uint64_t>(env_->files_[path_].size());
    }

   private:
    MemoryEnv* env_;
    std::string path_;
  };
  class Lock final : public FileLock {
   public:
    Lock(MemoryEnv* env, std::string path) : env_(env), path_(std::move(path)) {}
    ~Lock() override { env_->locked_.erase(path_); }

   private:
    MemoryEnv* env_;
    std::string path_;
  };

  std::map<std::string, std::string> files_;
  std::set<std::string> dirs_;
  std::set<std::string> locked_;
};

}  // namespace strata::fuzz
