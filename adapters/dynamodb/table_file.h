// DynamoDB table files: one table per file, either friendly YAML (.yaml/.yml) or CreateTable
// input JSON with AWS field names (.json), parsed into a canonical, validated pb::DynamoTable.
//
// Every parse error is InvalidArgument "FILE:LINE: message" that names the problem and the fix.
// The formats are described in docs/dynamodb-table-files.md. All functions are pure and
// thread-compatible; none throws.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

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

// A JSON document that remembers the line each value starts on (members: the line of their
// key), so that errors deep inside can still say "FILE:LINE". Immutable once parsed.
class JsonDocument {
 public:
  using Pointer = nlohmann::json::json_pointer;

  // Returns InvalidArgument "FILE:LINE: invalid JSON: ..." when `text` is not JSON, or
  // "FILE:LINE: duplicate key ..." when an object repeats a key.
  static Result<JsonDocument> Parse(std::string_view text, std::string file_name);

  const nlohmann::json& root() const { return root_; }
  const std::string& file_name() const { return file_name_; }
  // 1-based line of the value at `pointer`, or of its nearest recorded ancestor.
  int LineOf(const Pointer& pointer) const;
  // InvalidArgument "FILE:LINE: message", LINE being LineOf(pointer).
  Status ErrorAt(const Pointer& pointer, std::string_view message) const;

 private:
  friend class JsonLineRecorder;
  std::string file_name_;
  nlohmann::json root_;
  std::unordered_map<std::string, int> lines_;  // JSON pointer text -> line
};

// Reads the CreateTable input at `where` inside `doc` (the root for a table file, a value of
// "tables" for a snapshot). Same errors as ParseTableFile.
Result<pb::DynamoTable> ParseCreateTableAt(const JsonDocument& doc,
                                           const JsonDocument::Pointer& where);

}  // namespace strata::dynamodb
