#include "cli/ddb_files.h"

#include <fmt/format.h>

#include "adapters/dynamodb/table_dir.h"
#include "adapters/dynamodb/table_file.h"

namespace strata::cli {

Result<std::map<std::string, DynamoTableFile>> DynamoTableFiles(const std::filesystem::path& dir) {
  std::map<std::string, DynamoTableFile> files;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return files;
  STRATA_ASSIGN_OR_RETURN(auto paths, dynamodb::ListTableFiles(dir));
  for (const auto& path : paths) {
    STRATA_ASSIGN_OR_RETURN(std::string text, dynamodb::ReadTextFile(path));
    STRATA_ASSIGN_OR_RETURN(pb::DynamoTable table, dynamodb::ParseTableFile(text, path.string()));
    auto [it, added] = files.try_emplace(table.name(), DynamoTableFile{path, table});
    if (!added) {
      return Status::InvalidArgument(fmt::format("{} and {} both define table {}; keep one",
                                                 it->second.path.string(), path.string(),
                                                 table.name()));
    }
  }
  return files;
}

}  // namespace strata::cli
