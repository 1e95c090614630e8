#include "adapters/dynamodb/snapshot.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "adapters/dynamodb/render.h"
#include "adapters/dynamodb/table_dir.h"
#include "adapters/dynamodb/table_file.h"

namespace strata::dynamodb {
namespace {

using nlohmann::json;
using Pointer = JsonDocument::Pointer;

constexpr std::string_view kVersion = "1";

Status CheckVersion(const JsonDocument& doc) {
  const json& root = doc.root();
  if (!root.contains("version")) {
    return doc.ErrorAt(Pointer(), "snapshot has no \"version\"; expected \"version\": \"1\"");
  }
  const json& v = root["version"];
  if ((v.is_string() && v.get<std::string>() == kVersion) ||
      (v.is_number_integer() && v.get<int64_t>() == 1)) {
    return Status::Ok();
  }
  return doc.ErrorAt(Pointer("/version"), fmt::format("unsupported snapshot version {}; this "
                                                      "strata reads version \"1\"",
                                                      v.dump()));
}

Result<pb::DynamoSchema> ParseTables(const JsonDocument& doc) {
  const json& root = doc.root();
  if (!root.contains("tables") || !root["tables"].is_object()) {
    return doc.ErrorAt(Pointer(), "snapshot needs \"tables\": an object of table name -> "
                                  "CreateTable input");
  }
  pb::DynamoSchema schema;
  for (const auto& [name, value] : root["tables"].items()) {
    const Pointer where = Pointer("/tables") / name;
    STRATA_ASSIGN_OR_RETURN(pb::DynamoTable table, ParseCreateTableAt(doc, where));
    if (table.name() != name) {
      return doc.ErrorAt(where / "TableName",
                         fmt::format("TableName \"{}\" differs from its key \"{}\" in tables",
                                     table.name(), name));
    }
    (*schema.mutable_tables())[name] = std::move(table);
  }
  return schema;
}


}  // namespace

nlohmann::ordered_json RenderSnapshot(const pb::DynamoSchema& schema) {
  std::vector<std::string> names;
  for (const auto& [name, table] : schema.tables()) names.push_back(name);
  std::sort(names.begin(), names.end());
  nlohmann::ordered_json tables = nlohmann::ordered_json::object();
  for (const auto& name : names) tables[name] = RenderCreateTable(schema.tables().at(name));
  return {{"version", kVersion}, {"tables", std::move(tables)}};
}

std::string RenderSnapshotText(const pb::DynamoSchema& schema) {
  return RenderSnapshot(schema).dump(2) + "\n";
}

// Top-level keys other than version and tables are ignored: Mizzle may keep its own there.
Result<pb::DynamoSchema> ParseSnapshot(std::string_view text, std::string_view file_name) {
  STRATA_ASSIGN_OR_RETURN(JsonDocument doc, JsonDocument::Parse(text, std::string(file_name)));
  if (!doc.root().is_object()) {
    return doc.ErrorAt(Pointer(), "a snapshot is an object: {\"version\": \"1\", \"tables\": "
                                  "{...}}");
  }
  STRATA_RETURN_IF_ERROR(CheckVersion(doc));
  return ParseTables(doc);
}

Result<pb::DynamoSchema> ReadSnapshotFile(const std::filesystem::path& path) {
  STRATA_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  return ParseSnapshot(text, path.generic_string());
}

Status WriteSnapshotFile(const std::filesystem::path& path, const pb::DynamoSchema& schema) {
  return WriteTextFile(path, RenderSnapshotText(schema));
}

}  // namespace strata::dynamodb
