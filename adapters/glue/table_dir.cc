#include "adapters/glue/table_dir.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>
#include <vector>

#include "adapters/glue/ddl.h"
#include "adapters/glue/ddl_cursor.h"

namespace strata::glue {
namespace {

namespace fs = std::filesystem;

bool Skipped(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.empty() || name[0] == '.' || Lower(name.substr(0, 6)) == "readme";
}

bool IsSqlFile(const fs::path& path) { return Lower(path.extension().string()) == ".sql"; }

// The entries of `dir` that are not skipped, sorted, so that messages come in a stable order.
Result<std::vector<fs::directory_entry>> Entries(const fs::path& dir) {
  std::vector<fs::directory_entry> out;
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (!Skipped(it->path())) out.push_back(*it);
  }
  if (ec) return Status::IoError(fmt::format("listing {}: {}", dir.string(), ec.message()));
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.path() < b.path(); });
  return out;
}

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(fmt::format("{}: cannot open for reading", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IoError(fmt::format("{}: read failed", path.string()));
  return text.str();
}

bool IsObjectName(const std::string& name) {
  if (name.empty() || name.size() > 255) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

class DirLoader {
 public:
  DirLoader(const fs::path& dir, const fs::path& shown)
      : dir_(dir), shown_(shown.empty() ? dir : shown) {}

  Result<pb::GlueSchema> Load() {
    STRATA_ASSIGN_OR_RETURN(std::vector<fs::directory_entry> entries, Entries(dir_));
    for (const auto& entry : entries) {
      std::error_code ec;
      if (entry.is_directory(ec)) {
        STRATA_RETURN_IF_ERROR(Database(entry.path()));
      } else if (IsSqlFile(entry.path())) {
        STRATA_RETURN_IF_ERROR(FileOutsideADatabase(entry.path()));
      }
    }
    if (!problems_.empty()) {
      return Status::InvalidArgument(fmt::format("{}", fmt::join(problems_, "\n")));
    }
    return std::move(schema_);
  }

 private:
  // How a file is named in messages: the directory as given, joined with the relative path.
  std::string Shown(const fs::path& path) const {
    return (shown_ / path.lexically_relative(dir_)).generic_string();
  }
  std::string Stem(const fs::path& path) const { return Lower(path.stem().string()); }

  Status FileOutsideADatabase(const fs::path& path) {
    STRATA_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    Result<ParsedTable> parsed = ParseCreateTable(text, Shown(path));
    const std::string database = parsed.ok() && !parsed->database.empty() ? parsed->database
                                                                          : "<database>";
    problems_.push_back(fmt::format(
        "{}: a table file belongs in a database directory: move it to {}", Shown(path),
        TableFilePath(shown_, database, Stem(path)).generic_string()));
    return Status::Ok();
  }

  Status Database(const fs::path& path) {
    const std::string name = Lower(path.filename().string());
    if (!IsObjectName(name)) {
      problems_.push_back(fmt::format("{}: a database directory's name may hold only letters, "
                                       "digits, _ and - (it is the Glue database's name)",
                                       Shown(path)));
      return Status::Ok();
    }
    pb::GlueDatabase& db = (*schema_.mutable_databases())[name];
    db.set_name(name);
    STRATA_ASSIGN_OR_RETURN(std::vector<fs::directory_entry> entries, Entries(path));
    for (const auto& entry : entries) {
      std::error_code ec;
      if (entry.is_directory(ec)) {
        STRATA_RETURN_IF_ERROR(NestedFiles(entry.path(), name));
      } else if (IsSqlFile(entry.path())) {
        STRATA_RETURN_IF_ERROR(Table(entry.path(), &db));
      }
    }
    return Status::Ok();
  }

  // Table files in a directory below a database directory would be silently ignored; say so.
  Status NestedFiles(const fs::path& path, const std::string& database) {
    STRATA_ASSIGN_OR_RETURN(std::vector<fs::directory_entry> entries, Entries(path));
    for (const auto& entry : entries) {
      std::error_code ec;
      if (entry.is_directory(ec)) {
        STRATA_RETURN_IF_ERROR(NestedFiles(entry.path(), database));
      } else if (IsSqlFile(entry.path())) {
        problems_.push_back(fmt::format(
            "{}: table files go directly in their database's directory: move it to {}",
            Shown(entry.path()),
            TableFilePath(shown_, database, Stem(entry.path())).generic_string()));
      }
    }
    return Status::Ok();
  }

  Status Table(const fs::path& path, pb::GlueDatabase* db) {
    STRATA_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    const std::string file = Shown(path);
    Result<ParsedTable> parsed = ParseCreateTable(text, file);
    if (!parsed.ok()) {
      problems_.push_back(parsed.status().message());
      return Status::Ok();
    }
    const TextPosition at = parsed->name_position;
    const std::string& table = parsed->table.name();
    if (!parsed->database.empty() && parsed->database != db->name()) {
      problems_.push_back(fmt::format(
          "{}:{}:{}: the statement names database {} but the file is in the directory of "
          "database {}; move it to {} or name database {}",
          file, at.line, at.column, parsed->database, db->name(),
          TableFilePath(shown_, parsed->database, table).generic_string(), db->name()));
      return Status::Ok();
    }
    if (table != Stem(path)) {
      problems_.push_back(fmt::format(
          "{}:{}:{}: the statement names table {} but the file is {}; rename the file to {}.sql "
          "or the table to {}",
          file, at.line, at.column, table, path.filename().string(), table, Stem(path)));
      return Status::Ok();
    }
    auto [it, fresh] = file_of_.emplace(db->name() + "." + table, file);
    if (!fresh) {
      problems_.push_back(fmt::format("table {}.{} is defined twice, in {} and in {}; keep one "
                                      "file per table",
                                      db->name(), table, it->second, file));
      return Status::Ok();
    }
    (*db->mutable_tables())[table] = std::move(parsed->table);
    return Status::Ok();
  }

  fs::path dir_;
  fs::path shown_;  // dir_ as messages name it
  pb::GlueSchema schema_;
  std::vector<std::string> problems_;           // every bad file, not only the first
  std::map<std::string, std::string> file_of_;  // "db.table" -> the file that defines it
};

}  // namespace

Result<pb::GlueSchema> LoadTableDir(const std::filesystem::path& dir,
                                    const std::filesystem::path& shown_dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::NotFound(fmt::format("{}: no such directory", dir.string()));
  }
  return DirLoader(dir, shown_dir).Load();
}

std::filesystem::path TableFilePath(const std::filesystem::path& dir, const std::string& database,
                                    const std::string& table) {
  return dir / database / (table + ".sql");
}

}  // namespace strata::glue
