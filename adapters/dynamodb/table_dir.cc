#include "adapters/dynamodb/table_dir.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
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

Result<pb::DynamoSchema> LoadTableDir(const fs::path& dir, const fs::path& shown_dir) {
  STRATA_ASSIGN_OR_RETURN(std::vector<fs::path> paths, ListTableFiles(dir));
  const fs::path& shown = shown_dir.empty() ? dir : shown_dir;
  std::vector<TableFileText> files;
  for (const auto& path : paths) {
    STRATA_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
    files.push_back({(shown / path.lexically_relative(dir)).generic_string(), std::move(text)});
  }
  return ParseTableFiles(files);
}

}  // namespace strata::dynamodb
