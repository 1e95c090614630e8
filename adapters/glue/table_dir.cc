// LOCAL STUB (not committed).
#include "adapters/glue/table_dir.h"
#include <fmt/format.h>
#include <algorithm>
#include "adapters/common/text_file.h"
#include "adapters/glue/ddl.h"
namespace strata::glue {
namespace fs = std::filesystem;
fs::path TableFilePath(const fs::path& dir, const std::string& database, const std::string& table) {
  return dir / database / (table + ".sql");
}
Result<pb::GlueSchema> LoadTableDir(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::NotFound(dir.string() + ": no such directory");
  pb::GlueSchema schema;
  std::vector<std::string> problems;
  std::vector<fs::path> files;
  for (const auto& db : fs::directory_iterator(dir)) {
    if (!db.is_directory()) continue;
    for (const auto& f : fs::directory_iterator(db.path())) {
      if (f.path().extension() == ".sql") files.push_back(f.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto text = common::ReadTextFile(f);
    if (!text.ok()) { problems.push_back(text.status().message()); continue; }
    auto parsed = ParseCreateTable(*text, f.string());
    if (!parsed.ok()) { problems.push_back(parsed.status().message()); continue; }
    std::string db = parsed->database.empty() ? f.parent_path().filename().string() : parsed->database;
    auto& d = (*schema.mutable_databases())[db];
    d.set_name(db);
    (*d.mutable_tables())[parsed->table.name()] = parsed->table;
  }
  if (!problems.empty()) return Status::InvalidArgument(fmt::format("{}", fmt::join(problems, "\n")));
  return schema;
}
}  // namespace strata::glue
