// Writing tables as table files (export, import --write-files): each table goes to the file
// that already defines it, in that file's format, or to DIR/<name>.yaml|json; a file that
// defines the table differently (or exists and defines another) is left alone unless forced.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "adapters/backend/backend.h"
#include "adapters/dynamodb/table_file.h"
#include "engine/status.h"
#include "proto/dynamodb.pb.h"

namespace strata::dynamodb {

struct DynamoTableFile {
  std::filesystem::path path;
  pb::DynamoTable table;  // as the file defines it
};

// Every table file under `dir` (as ListTableFiles finds them), by table name; empty when `dir`
// does not exist. The files' parse errors (FILE:LINE); InvalidArgument naming both files when
// two define the same table.
Result<std::map<std::string, DynamoTableFile>> TableFilesIn(const std::filesystem::path& dir);

// Writes each table as described above. `format` ("yaml" or "json", empty for yaml) applies
// to new files. InvalidArgument for an unknown format; the existing files' parse errors.
Result<std::vector<backend::WrittenFile>> WriteTables(const std::vector<pb::DynamoTable>& tables,
                                                      const std::filesystem::path& dir,
                                                      const std::string& format, bool force);

}  // namespace strata::dynamodb
