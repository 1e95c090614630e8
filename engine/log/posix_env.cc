// The POSIX Env: plain file descriptors opened with O_CLOEXEC, every call retried on EINTR,
// writes looped until all bytes are written, fdatasync for appended files, flock for LOCK.
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include "engine/log/env.h"

namespace strata {
namespace {

Status OsError(std::string_view op, const std::string& path, int err) {
  std::string m = std::string(op) + " " + path + ": " + std::strerror(err);
  if (err == ENOENT) return Status::NotFound(std::move(m));
  return Status::IoError(std::move(m));
}

std::string ParentDir(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

int OpenRetrying(const char* path, int flags, mode_t mode = 0) {
  int fd;
  do {
    fd = ::open(path, flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return OsError("writing", path, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status SyncFd(int fd, const std::string& path, bool data_only) {
  int rc;
  do {
#ifdef __linux__
    rc = data_only ? ::fdatasync(fd) : ::fsync(fd);
#else
    rc = ::fsync(fd);
#endif
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) return OsError("syncing", path, errno);
  return Status::Ok();
}

void CloseQuietly(int fd) {
  if (fd >= 0) ::close(fd);  // after an error already reported; nothing more to say
}

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixWritableFile() override { CloseQuietly(fd_); }

  Status Append(std::string_view data) override {
    if (fd_ < 0) return Status::FailedPrecondition("appending to closed file " + path_);
    return WriteAll(fd_, data, path_);
  }
  // fdatasync is enough: the file only grows, and it flushes the size with the data.
  Status Sync() override {
    if (fd_ < 0) return Status::FailedPrecondition("syncing closed file " + path_);
    return SyncFd(fd_, path_, /*data_only=*/true);
  }
  Status Close() override {
    if (fd_ < 0) return Status::Ok();
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0 && errno != EINTR) return OsError("closing", path_, errno);
    return Status::Ok();
  }

 private:
  std::string path_;
  int fd_;
};

class PosixMappedBytes final : public MappedBytes {
 public:
  PosixMappedBytes(const char* data, size_t size) : data_(data), size_(size) {}
  ~PosixMappedBytes() override { ::munmap(const_cast<char*>(data_), size_); }
  std::string_view bytes() const override { return {data_, size_}; }

 private:
  const char* data_;
  size_t size_;
};

class PosixRandomAccessFile final : public RandomAccessFile {
 public:
  PosixRandomAccessFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixRandomAccessFile() override { CloseQuietly(fd_); }

  Status Read(uint64_t offset, size_t n, std::string* out) const override {
    out->resize(n);
    auto got = ReadInto(offset, n, out->data());
    if (!got.ok()) {
      out->clear();
      return got.status();
    }
    out->resize(*got);
    return Status::Ok();
  }

  Result<size_t> ReadInto(uint64_t offset, size_t n, char* out) const override {
    size_t done = 0;
    while (done < n) {
      const ssize_t r = ::pread(fd_, out + done, n - done, static_cast<off_t>(offset + done));
      if (r < 0) {
        if (errno == EINTR) continue;
        return OsError("reading", path_, errno);
      }
      if (r == 0) break;  // end of file
      done += static_cast<size_t>(r);
    }
    return done;
  }

  std::unique_ptr<MappedBytes> MapUnchanging(uint64_t size) const override {
    if (size == 0 || size > SIZE_MAX) return nullptr;
    void* p = ::mmap(nullptr, static_cast<size_t>(size), PROT_READ, MAP_PRIVATE, fd_, 0);
    if (p == MAP_FAILED) return nullptr;
    return std::make_unique<PosixMappedBytes>(static_cast<const char*>(p),
                                              static_cast<size_t>(size));
  }

  Result<uint64_t> Size() const override {
    struct stat st;
    if (::fstat(fd_, &st) != 0) return OsError("stat", path_, errno);
    return static_cast<uint64_t>(st.st_size);
  }

 private:
  std::string path_;
  int fd_;
};

class PosixFileLock final : public FileLock {
 public:
  explicit PosixFileLock(int fd) : fd_(fd) {}
  ~PosixFileLock() override {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }

 private:
  int fd_;
};

class PosixEnv final : public Env {
 public:
  Result<std::unique_ptr<WritableFile>> OpenAppendable(const std::string& path) override {
    const int fd = OpenRetrying(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) return OsError("opening", path, errno);
    return std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd));
  }

  Result<std::unique_ptr<RandomAccessFile>> OpenReadable(const std::string& path) override {
    const int fd = OpenRetrying(path.c_str(), O_RDONLY);
    if (fd < 0) return OsError("opening", path, errno);
    return std::unique_ptr<RandomAccessFile>(new PosixRandomAccessFile(path, fd));
  }

  Result<std::string> ReadFile(const std::string& path) override {
    STRATA_ASSIGN_OR_RETURN(auto file, OpenReadable(path));
    STRATA_ASSIGN_OR_RETURN(uint64_t size, file->Size());
    std::string data;
    STRATA_RETURN_IF_ERROR(file->Read(0, size, &data));
    return data;
  }

  Status WriteFileAtomic(const std::string& path, std::string_view data) override {
    const std::string tmp = path + ".tmp";
    const int fd = OpenRetrying(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return OsError("creating", tmp, errno);
    Status s = WriteAll(fd, data, tmp);
    if (s.ok()) s = SyncFd(fd, tmp, /*data_only=*/false);
    if (::close(fd) != 0 && s.ok() && errno != EINTR) s = OsError("closing", tmp, errno);
    if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) s = OsError("renaming", tmp, errno);
    if (!s.ok()) {
      ::unlink(tmp.c_str());
      return s;
    }
    return SyncDir(ParentDir(path));
  }

  Result<std::vector<std::string>> ListDir(const std::string& dir) override {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return OsError("listing", dir, errno);
    std::vector<std::string> names;
    errno = 0;
    while (struct dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(std::move(name));
    }
    const int err = errno;
    ::closedir(d);
    if (err != 0) return OsError("listing", dir, err);
    std::sort(names.begin(), names.end());
    return names;
  }

  Status CreateDirs(const std::string& dir) override {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IoError("creating directory " + dir + ": " + ec.message());
    return Status::Ok();
  }

  bool Exists(const std::string& path) override {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
  }

  Result<uint64_t> FileSize(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return OsError("stat", path, errno);
    return static_cast<uint64_t>(st.st_size);
  }

  Status Truncate(const std::string& path, uint64_t size) override {
    const int fd = OpenRetrying(path.c_str(), O_WRONLY);
    if (fd < 0) return OsError("opening", path, errno);
    Status s;
    int rc;
    do {
      rc = ::ftruncate(fd, static_cast<off_t>(size));
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) s = OsError("truncating", path, errno);
    if (s.ok()) s = SyncFd(fd, path, /*data_only=*/false);
    ::close(fd);
    return s;
  }

  Status RemoveFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return OsError("removing", path, errno);
    return Status::Ok();
  }

  Status SyncDir(const std::string& dir) override {
    const int fd = OpenRetrying(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return OsError("opening directory", dir, errno);
    Status s = SyncFd(fd, dir, /*data_only=*/false);
    ::close(fd);
    return s;
  }

  // flock locks belong to the open file description, so a second open of LOCK conflicts
  // even inside the same process (unlike fcntl record locks).
  Result<std::unique_ptr<FileLock>> LockFile(const std::string& path) override {
    const int fd = OpenRetrying(path.c_str(), O_RDWR | O_CREAT, 0644);
    if (fd < 0) return OsError("opening", path, errno);
    int rc;
    do {
      rc = ::flock(fd, LOCK_EX | LOCK_NB);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
      const int err = errno;
      ::close(fd);
      if (err == EWOULDBLOCK) {
        return Status::FailedPrecondition(path + " is locked by another holder");
      }
      return OsError("locking", path, err);
    }
    return std::unique_ptr<FileLock>(new PosixFileLock(fd));
  }
};

}  // namespace

std::unique_ptr<Env> NewPosixEnv() { return std::make_unique<PosixEnv>(); }

}  // namespace strata
