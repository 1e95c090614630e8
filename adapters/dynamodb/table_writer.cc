#include "adapters/dynamodb/table_writer.h"

#include <fmt/format.h>
#include <google/protobuf/util/message_differencer.h>

#include "adapters/dynamodb/render.h"
#include "adapters/dynamodb/table_dir.h"
#include "engine/state/canonical.h"

namespace strata::dynamodb {
namespace fs = std::filesystem;
using google::protobuf::util::MessageDifferencer;

Result<std::map<std::string, DynamoTableFile>> TableFilesIn(const fs::path& dir) {
  std::map<std::string, DynamoTableFile> files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return files;
  STRATA_ASSIGN_OR_RETURN(auto paths, ListTableFiles(dir));
  for (const auto& path : paths) {
    STRATA_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
    STRATA_ASSIGN_OR_RETURN(pb::DynamoTable table, ParseTableFile(text, path.string()));
    auto [it, added] = files.try_emplace(table.name(), DynamoTableFile{path, table});
    if (!added) {
      return Status::InvalidArgument(fmt::format("{} and {} both define table {}; keep one",
                                                 it->second.path.string(), path.string(),
                                                 table.name()));
    }
  }
  return files;
}

namespace {

std::string Render(const pb::DynamoTable& t, TableFileFormat format) {
  return format == TableFileFormat::kJson ? RenderCreateTableText(t) : RenderTableYaml(t);
}

// Where table `t` goes and whether it may be written.
backend::WrittenFile Decide(const pb::DynamoTable& t,
                            const std::map<std::string, DynamoTableFile>& files,
                            const fs::path& dir, TableFileFormat format, bool force) {
  backend::WrittenFile w{t.name(), "", "written", ""};
  if (auto it = files.find(t.name()); it != files.end()) {
    w.path = it->second.path.string();
    if (MessageDifferencer::Equals(it->second.table, t)) {
      w.action = "unchanged";
    } else if (force) {
      w.action = "overwritten";
    } else {
      w.action = "differs";
      w.reason = "it defines the table differently";
    }
    return w;
  }
  w.path = (dir / (t.name() + (format == TableFileFormat::kJson ? ".json" : ".yaml"))).string();
  std::error_code ec;
  if (fs::exists(w.path, ec)) {
    // Not a table file of this directory's (another table's, or not one at all).
    w.action = force ? "overwritten" : "differs";
    w.reason = "it exists and does not define this table";
  }
  return w;
}

}  // namespace

Result<std::vector<backend::WrittenFile>> WriteTables(const std::vector<pb::DynamoTable>& tables,
                                                      const fs::path& dir,
                                                      const std::string& format_name,
                                                      bool force) {
  TableFileFormat format = TableFileFormat::kYaml;
  if (format_name == "json") {
    format = TableFileFormat::kJson;
  } else if (!format_name.empty() && format_name != "yaml") {
    return Status::InvalidArgument("--format must be yaml or json, not \"" + format_name + "\"");
  }
  auto files = TableFilesIn(dir);
  if (!files.ok()) {
    return files.status().WithContext(
        fmt::format("reading the table files already in {}", dir.string()));
  }
  std::vector<backend::WrittenFile> written;
  for (pb::DynamoTable t : tables) {
    CanonicalizeDynamoTable(&t);
    backend::WrittenFile w = Decide(t, *files, dir, format, force);
    if (w.action == "written" || w.action == "overwritten") {
      const fs::path path(w.path);
      auto own = TableFileFormatOf(path.filename().string());
      std::error_code ec;
      fs::create_directories(path.parent_path(), ec);
      if (ec) {
        return Status::IoError(fmt::format("{}: cannot create the directory: {}",
                                           path.parent_path().string(), ec.message()));
      }
      STRATA_RETURN_IF_ERROR(
          WriteTextFile(path, Render(t, own.ok() ? *own : TableFileFormat::kYaml)));
    }
    written.push_back(std::move(w));
  }
  return written;
}

}  // namespace strata::dynamodb
