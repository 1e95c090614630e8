// Table files: the file name picks the format, and each format has its reader
// (table_yaml.h, create_table_json.h); both check the shared rules of table_rules.h, and both
// suggest fixes for misspelt keys (suggest.h). CreateTable JSON is read from a JsonDocument
// (json_document.h) so snapshots can reuse the reader for each of their tables.
#include "adapters/dynamodb/table_file.h"

#include <fmt/format.h>

#include <string>

#include "adapters/dynamodb/create_table_json.h"
#include "adapters/dynamodb/suggest.h"
#include "adapters/dynamodb/table_yaml.h"

namespace strata::dynamodb {

Result<TableFileFormat> TableFileFormatOf(std::string_view file_name) {
  const std::string lower = internal::Lower(file_name);
  auto ends_with = [&lower](std::string_view suffix) {
    return lower.size() >= suffix.size() &&
           lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".yaml") || ends_with(".yml")) return TableFileFormat::kYaml;
  if (ends_with(".json")) return TableFileFormat::kJson;
  return Status::InvalidArgument(fmt::format(
      "{}: not a table file; name it .yaml or .yml (friendly form) or .json (CreateTable input)",
      file_name));
}

Result<pb::DynamoTable> ParseTableFile(std::string_view text, std::string_view file_name) {
  STRATA_ASSIGN_OR_RETURN(TableFileFormat format, TableFileFormatOf(file_name));
  if (format == TableFileFormat::kYaml) return ParseTableYaml(text, file_name);
  return ParseCreateTableJson(text, file_name);
}

Result<pb::DynamoTable> ParseTableYaml(std::string_view text, std::string_view file_name) {
  return internal::ReadTableYaml(text, file_name);
}

Result<pb::DynamoTable> ParseCreateTableJson(std::string_view text, std::string_view file_name) {
  STRATA_ASSIGN_OR_RETURN(JsonDocument doc, JsonDocument::Parse(text, std::string(file_name)));
  return ParseCreateTableAt(doc, JsonDocument::Pointer());
}

Result<pb::DynamoTable> ParseCreateTableAt(const JsonDocument& doc,
                                           const JsonDocument::Pointer& where) {
  return internal::ReadCreateTable(doc, where);
}

}  // namespace strata::dynamodb
