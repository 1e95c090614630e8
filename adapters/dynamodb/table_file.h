// DynamoDB table files: one table per file, either friendly YAML (.yaml/.yml) or CreateTable
// input JSON with AWS field names (.json), parsed into a canonical, validated pb::DynamoTable.
//
// Every parse error is InvalidArgument "FILE:LINE: message" that names the problem and the fix.
// The formats are described in docs/dynamodb-table-files.md. All functions are pure and
// thread-compatible; none throws.
#pragma once

#include <string_view>

#include "adapters/dynamodb/json_document.h"
#include "engine/status.h"
#include "proto/dynamodb.pb.h"

namespace strata::dynamodb {

enum class TableFileFormat { kYaml, kJson };

// The format a file name's extension selects (.yaml, .yml, .json; case-insensitive).
// Returns InvalidArgument for any other extension.
Result<TableFileFormat> TableFileFormatOf(std::string_view file_name);

// Parses one table file, choosing the format by `file_name`'s extension; `file_name` also
// prefixes error messages. Returns InvalidArgument "FILE:LINE: message" for malformed text,
// unknown keys, bad types, names or enum values, and tables DynamoDB would reject.
Result<pb::DynamoTable> ParseTableFile(std::string_view text, std::string_view file_name);

// The two formats, whatever the file name. Same errors as ParseTableFile.
Result<pb::DynamoTable> ParseTableYaml(std::string_view text, std::string_view file_name);
Result<pb::DynamoTable> ParseCreateTableJson(std::string_view text, std::string_view file_name);

// Reads the CreateTable input at `where` inside `doc` (a JsonDocument, json_document.h: the
// root for a table file, a value of "tables" for a snapshot). Same errors as ParseTableFile.
Result<pb::DynamoTable> ParseCreateTableAt(const JsonDocument& doc,
                                           const JsonDocument::Pointer& where);

}  // namespace strata::dynamodb
