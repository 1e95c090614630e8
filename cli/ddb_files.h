// Which file of a DynamoDB schema directory defines which table, for messages that tell users
// which file to edit or remove, and for export, which updates a table's own file.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "engine/status.h"
#include "proto/dynamodb.pb.h"

namespace strata::cli {

struct DynamoTableFile {
  std::filesystem::path path;
  pb::DynamoTable table;  // as the file defines it
};

// Every table file under `dir` (as dynamodb::ListTableFiles finds them), by table name; empty
// when `dir` does not exist. The files' parse errors (FILE:LINE); InvalidArgument naming both
// files when two define the same table.
Result<std::map<std::string, DynamoTableFile>> DynamoTableFiles(const std::filesystem::path& dir);

}  // namespace strata::cli
