#include "engine/log/fault_injection_env.h"

#include <fmt/format.h>

#include <algorithm>

namespace strata {
namespace {

std::string DirOf(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

std::string Normalize(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

}  // namespace

class FaultInjectionWritableFile final : public WritableFile {
 public:
  FaultInjectionWritableFile(FaultInjectionEnv* env, std::string path,
                             std::unique_ptr<WritableFile> base)
      : env_(env), path_(std::move(path)), base_(std::move(base)) {}

  Status Append(std::string_view data) override {
    return env_->FileAppend(base_.get(), path_, data);
  }
  Status Sync() override { return env_->FileSync(base_.get(), path_); }
  Status Close() override { return base_->Close(); }

 private:
  FaultInjectionEnv* env_;
  std::string path_;
  std::unique_ptr<WritableFile> base_;
};

FaultInjectionEnv::FaultInjectionEnv(Env* base) : base_(base) {}

void FaultInjectionEnv::InjectShortWrite(size_t keep_bytes) {
  std::lock_guard<std::mutex> l(mu_);
  short_write_armed_ = true;
  short_write_keep_ = keep_bytes;
}

void FaultInjectionEnv::InjectSyncFailure() {
  std::lock_guard<std::mutex> l(mu_);
  sync_failure_armed_ = true;
}

void FaultInjectionEnv::FailAfter(uint64_t n, size_t short_write_bytes) {
  std::lock_guard<std::mutex> l(mu_);
  fail_at_ = n == 0 ? 0 : operations_ + n;
  fail_short_write_bytes_ = short_write_bytes;
}

void FaultInjectionEnv::ClearFaults() {
  std::lock_guard<std::mutex> l(mu_);
  fail_at_ = 0;
  down_ = false;
  short_write_armed_ = false;
  sync_failure_armed_ = false;
}

uint64_t FaultInjectionEnv::operation_count() const {
  std::lock_guard<std::mutex> l(mu_);
  return operations_;
}

uint64_t FaultInjectionEnv::unsynced_bytes(const std::string& path) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = files_.find(path);
  return it == files_.end() ? 0 : it->second.size - it->second.synced;
}

Status FaultInjectionEnv::CountOperation(std::string_view what, const std::string& path,
                                         size_t* short_write) {
  // mu_ held by the caller.
  ++operations_;
  if (short_write != nullptr) *short_write = SIZE_MAX;
  if (!down_ && fail_at_ != 0 && operations_ >= fail_at_) {
    down_ = true;
    if (short_write != nullptr) *short_write = fail_short_write_bytes_;
  } else if (down_ && short_write != nullptr) {
    *short_write = 0;
  }
  if (down_) {
    return Status::IoError(fmt::format("{} {}: injected fault (operation {})", what, path,
                                       operations_));
  }
  return Status::Ok();
}

Status FaultInjectionEnv::FileAppend(WritableFile* base, const std::string& path,
                                     std::string_view data) {
  std::lock_guard<std::mutex> l(mu_);
  size_t keep = SIZE_MAX;
  Status fault = CountOperation("appending to", path, &keep);
  if (fault.ok() && short_write_armed_) {
    short_write_armed_ = false;
    keep = short_write_keep_;
    fault = Status::IoError(fmt::format("appending to {}: injected short write ({} of {} bytes)",
                                        path, std::min(keep, data.size()), data.size()));
  }
  const std::string_view written = data.substr(0, std::min(keep, data.size()));
  if (!written.empty()) {
    Status s = base->Append(written);
    if (!s.ok()) return s;
    files_[path].size += written.size();
  }
  return fault;
}

Status FaultInjectionEnv::FileSync(WritableFile* base, const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  STRATA_RETURN_IF_ERROR(CountOperation("syncing", path, nullptr));
  if (sync_failure_armed_) {
    sync_failure_armed_ = false;
    return Status::IoError(fmt::format("syncing {}: injected fsync failure", path));
  }
  STRATA_RETURN_IF_ERROR(base->Sync());
  FileState& f = files_[path];
  f.synced = f.size;
  return Status::Ok();
}

Result<std::unique_ptr<WritableFile>> FaultInjectionEnv::OpenAppendable(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  STRATA_RETURN_IF_ERROR(CountOperation("opening", path, nullptr));
  const bool existed = base_->Exists(path);
  STRATA_ASSIGN_OR_RETURN(auto file, base_->OpenAppendable(path));
  if (files_.find(path) == files_.end()) {
    FileState state;
    if (existed) {
      STRATA_ASSIGN_OR_RETURN(state.size, base_->FileSize(path));
    }
    state.synced = state.size;  // what was there before counts as durable
    state.entry_durable = existed;
    files_[path] = state;
  }
  return std::unique_ptr<WritableFile>(
      new FaultInjectionWritableFile(this, path, std::move(file)));
}

Result<std::unique_ptr<RandomAccessFile>> FaultInjectionEnv::OpenReadable(
    const std::string& path) {
  return base_->OpenReadable(path);
}

Result<std::string> FaultInjectionEnv::ReadFile(const std::string& path) {
  return base_->ReadFile(path);
}

Status FaultInjectionEnv::WriteFileAtomic(const std::string& path, std::string_view data) {
  std::lock_guard<std::mutex> l(mu_);
  STRATA_RETURN_IF_ERROR(CountOperation("writing", path, nullptr));
  STRATA_RETURN_IF_ERROR(base_->WriteFileAtomic(path, data));
  files_.erase(path);  // durable as a whole
  return Status::Ok();
}

Result<std::vector<std::string>> FaultInjectionEnv::ListDir(const std::string& dir) {
  return base_->ListDir(dir);
}

Status FaultInjectionEnv::CreateDirs(const std::string& dir) {
  std::lock_guard<std::mutex> l(mu_);
  STRATA_RETURN_IF_ERROR(CountOperation("creating directory", dir, nullptr));
  return base_->CreateDirs(dir);
}

bool FaultInjectionEnv::Exists(const std::string& path) { return base_->Exists(path); }

Result<uint64_t> FaultInjectionEnv::FileSize(const std::string& path) {
  return base_->FileSize(path);
}

Status FaultInjectionEnv::Truncate(const std::string& path, uint64_t size) {
  std::lock_guard<std::mutex> l(mu_);
  STRATA_RETURN_IF_ERROR(CountOperation("truncating", path, nullptr));
  STRATA_RETURN_IF_ERROR(base_->Truncate(path, size));
  auto it = files_.find(path);
  if (it != files_.end()) {
    it->second.size = size;
    it->second.synced = size;
  }
  return Status::Ok();
}

Status FaultInjectionEnv::RemoveFile(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  STRATA_RETURN_IF_ERROR(CountOperation("removing", path, nullptr));
  STRATA_RETURN_IF_ERROR(base_->RemoveFile(path));
  files_.erase(path);
  return Status::Ok();
}

Status FaultInjectionEnv::SyncDir(const std::string& dir) {
  std::lock_guard<std::mutex> l(mu_);
  STRATA_RETURN_IF_ERROR(CountOperation("syncing directory", dir, nullptr));
  STRATA_RETURN_IF_ERROR(base_->SyncDir(dir));
  const std::string d = Normalize(dir);
  for (auto& [path, state] : files_) {
    if (Normalize(DirOf(path)) == d) state.entry_durable = true;
  }
  return Status::Ok();
}

Result<std::unique_ptr<FileLock>> FaultInjectionEnv::LockFile(const std::string& path) {
  return base_->LockFile(path);
}

Status FaultInjectionEnv::DropUnsyncedData() {
  return DropUnsyncedData([](const std::string&, uint64_t) { return uint64_t{0}; });
}

Status FaultInjectionEnv::DropUnsyncedData(const KeepUnsynced& keep) {
  std::lock_guard<std::mutex> l(mu_);
  for (auto it = files_.begin(); it != files_.end();) {
    const std::string& path = it->first;
    FileState& f = it->second;
    if (!f.entry_durable) {
      if (base_->Exists(path)) STRATA_RETURN_IF_ERROR(base_->RemoveFile(path));
      it = files_.erase(it);
      continue;
    }
    if (base_->Exists(path)) {
      STRATA_ASSIGN_OR_RETURN(uint64_t size, base_->FileSize(path));
      if (size > f.synced) {
        const uint64_t kept = std::min(keep(path, size - f.synced), size - f.synced);
        if (kept < size - f.synced) {
          STRATA_RETURN_IF_ERROR(base_->Truncate(path, f.synced + kept));
        }
        f.synced += kept;
      }
    }
    f.size = f.synced;
    ++it;
  }
  fail_at_ = 0;
  down_ = false;
  short_write_armed_ = false;
  sync_failure_armed_ = false;
  return Status::Ok();
}

}  // namespace strata
