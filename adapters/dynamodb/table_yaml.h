// The friendly YAML table file (docs/dynamodb-table-files.md): snake_case keys, lower-case
// words, key attributes typed where they are used, defaults for everything but the table name
// and partition key. Read with yaml-cpp into a pb::DynamoTable, every key and value checked
// where it is written, then the rules of table_rules.h checked with YAML's words for the fix.
// Not a public contract: callers use ParseTableYaml (table_file.h). Pure; never throws.
#pragma once

#include <string_view>

#include "engine/status.h"
#include "proto/dynamodb.pb.h"

namespace strata::dynamodb::internal {

// One table from YAML text, canonical. InvalidArgument "FILE:LINE: message" for malformed YAML,
// more than one document, unknown keys, bad types or values, and tables DynamoDB would reject.
Result<pb::DynamoTable> ReadTableYaml(std::string_view text, std::string_view file_name);

}  // namespace strata::dynamodb::internal
