#include "adapters/common/text_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <system_error>

namespace strata::common {

namespace fs = std::filesystem;

Result<std::string> ReadTextFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return Status::NotFound(fmt::format("{}: no such file", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(fmt::format("{}: cannot open for reading", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IoError(fmt::format("{}: read failed", path.string()));
  return text.str();
}

namespace {

Status WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IoError(std::strerror(errno));
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

}  // namespace

namespace {

// A temporary name beside `path` that no other writer uses: two processes (or threads) writing
// one file at the same moment each get their own, so neither truncates or renames away the
// other's. It ends in ".tmp", so the table and artifact listings ignore it.
std::string TempNameFor(const std::filesystem::path& path) {
  static std::atomic<uint64_t> counter{0};
  return fmt::format("{}.{}.{}.tmp", path.string(), ::getpid(), counter++);
}

// Writes `text` to a new temporary file beside `path`, fsynced; returns its name. The file is
// removed again on failure.
Result<std::string> WriteTemp(const std::filesystem::path& path, std::string_view text) {
  const std::string temp = TempNameFor(path);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IoError(fmt::format("{}: cannot create: {}", temp, std::strerror(errno)));
  }
  Status status = WriteAll(fd, text);
  if (status.ok() && ::fsync(fd) != 0) status = Status::IoError(std::strerror(errno));
  if (::close(fd) != 0 && status.ok()) status = Status::IoError(std::strerror(errno));
  if (!status.ok()) {
    ::unlink(temp.c_str());
    return status.WithContext(fmt::format("writing {}", path.string()));
  }
  return temp;
}

}  // namespace

Status WriteTextFile(const std::filesystem::path& path, std::string_view text) {
  STRATA_ASSIGN_OR_RETURN(std::string temp, WriteTemp(path, text));
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    return Status::IoError(fmt::format("writing {}: {}", path.string(), std::strerror(err)));
  }
  return Status::Ok();
}

Status WriteNewTextFile(const std::filesystem::path& path, std::string_view text) {
  STRATA_ASSIGN_OR_RETURN(std::string temp, WriteTemp(path, text));
  // link() publishes the whole file under `path`, or fails when `path` exists: never a
  // replacement, never a partial file.
  const int linked = ::link(temp.c_str(), path.c_str());
  const int err = errno;
  ::unlink(temp.c_str());
  if (linked == 0) return Status::Ok();
  if (err == EEXIST) {
    return Status::AlreadyExists(fmt::format("{} already exists", path.string()));
  }
  return Status::IoError(fmt::format("writing {}: {}", path.string(), std::strerror(err)));
}

}  // namespace strata::common
