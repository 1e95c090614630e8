// Mizzle's DynamoDB snapshot: {"version":"1","tables":{NAME: <CreateTable input>}}, the whole
// schema as one JSON document, tables in name order so that equal schemas are equal bytes.
//
// Reading accepts what writing produces and any snapshot Mizzle wrote (version "1" or 1);
// each table is read with the same rules and messages as a CreateTable JSON table file.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/status.h"
#include "proto/dynamodb.pb.h"

namespace strata::dynamodb {

// The snapshot document. Never fails.
nlohmann::ordered_json RenderSnapshot(const pb::DynamoSchema& schema);
// RenderSnapshot as text: two-space indent, trailing newline.
std::string RenderSnapshotText(const pb::DynamoSchema& schema);

// Returns InvalidArgument "FILE:LINE: message" for malformed JSON, a missing or unknown
// version, a table whose TableName differs from its key, or any table-file error.
Result<pb::DynamoSchema> ParseSnapshot(std::string_view text, std::string_view file_name);

// File forms. Reading returns NotFound when `path` does not exist and IoError when it cannot
// be read; writing replaces `path` through a temporary file and a rename, returning IoError
// when any step fails.
Result<pb::DynamoSchema> ReadSnapshotFile(const std::filesystem::path& path);
Status WriteSnapshotFile(const std::filesystem::path& path, const pb::DynamoSchema& schema);

}  // namespace strata::dynamodb
