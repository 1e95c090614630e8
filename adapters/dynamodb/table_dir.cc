#include "adapters/dynamodb/table_dir.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include "adapters/dynamodb/table_file.h"

namespace strata::dynamodb {
namespace {

namespace fs = std::filesystem;

bool StartsWithReadme(const std::string& name) {
  std::string lower = name.substr(0, 6);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "readme";
}

bool Skipped(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.empty() || name[0] == '.' || StartsWithReadme(name);
}

bool IsTableFile(const fs::directory_entry& entry) {
  std::error_code ec;
  return !Skipped(entry.path()) && entry.is_regular_file(ec) &&
         TableFileFormatOf(entry.path().filename().string()).ok();
}

// Appends the table files in `dir` and, while `depth` > 0, in its subdirectories.
Status Collect(const fs::path& dir, int depth, std::vector<fs::path>* out) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    std::error_code type_ec;
    if (depth > 0 && !Skipped(entry.path()) && entry.is_directory(type_ec)) {
      STRATA_RETURN_IF_ERROR(Collect(entry.path(), depth - 1, out));
    } else if (IsTableFile(entry)) {
      out->push_back(entry.path());
    }
  }
  if (ec) return Status::IoError(fmt::format("listing {}: {}", dir.string(), ec.message()));
  return Status::Ok();
}

}  // namespace

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

Result<std::vector<fs::path>> ListTableFiles(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::NotFound(fmt::format("{}: no such directory", dir.string()));
  }
  std::vector<fs::path> files;
  STRATA_RETURN_IF_ERROR(Collect(dir, /*depth=*/1, &files));
  std::sort(files.begin(), files.end());
  return files;
}

Result<pb::DynamoSchema> ParseTableFiles(const std::vector<TableFileText>& files) {
  pb::DynamoSchema schema;
  std::map<std::string, std::string> file_of;  // table name -> file that defines it
  std::vector<std::string> problems;           // every bad file, not only the first
  for (const auto& file : files) {
    Result<pb::DynamoTable> table = ParseTableFile(file.text, file.name);
    if (!table.ok()) {
      problems.push_back(table.status().message());
      continue;
    }
    auto [it, fresh] = file_of.emplace(table->name(), file.name);
    if (!fresh) {
      problems.push_back(fmt::format(
          "table \"{}\" is defined twice, in {} and in {}; keep one definition per table",
          table->name(), it->second, file.name));
      continue;
    }
    (*schema.mutable_tables())[table->name()] = std::move(table).value();
  }
  if (!problems.empty()) return Status::InvalidArgument(fmt::format("{}", fmt::join(problems, "\n")));
  return schema;
}

Result<pb::DynamoSchema> LoadTableDir(const fs::path& dir) {
  STRATA_ASSIGN_OR_RETURN(std::vector<fs::path> paths, ListTableFiles(dir));
  std::vector<TableFileText> files;
  for (const auto& path : paths) {
    STRATA_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
    files.push_back({(dir / path.lexically_relative(dir)).generic_string(), std::move(text)});
  }
  return ParseTableFiles(files);
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

}  // namespace strata::dynamodb
