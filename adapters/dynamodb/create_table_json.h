// The CreateTable input JSON table file (docs/dynamodb-table-files.md): the request body of
// DynamoDB's CreateTable with AWS field names, plus UpdateTimeToLive's TimeToLiveSpecification.
// Read from a JsonDocument (so errors keep their lines) into a pb::DynamoTable, checked as
// DynamoDB checks it (definitions used by keys, KeySchema shapes, case-sensitive enum words),
// then against the rules of table_rules.h with the JSON field names for the fix. Snapshots hold
// the same shape per table. Not a public contract: callers use ParseCreateTableAt
// (table_file.h). Pure; never throws.
#pragma once

#include "adapters/dynamodb/json_document.h"
#include "engine/status.h"
#include "proto/dynamodb.pb.h"

namespace strata::dynamodb::internal {

// The table whose CreateTable input is at `where` in `doc`, canonical. InvalidArgument
// "FILE:LINE: message" for wrong shapes, unknown or unmanaged fields, bad names or values, and
// tables DynamoDB would reject.
Result<pb::DynamoTable> ReadCreateTable(const JsonDocument& doc,
                                        const JsonDocument::Pointer& where);

}  // namespace strata::dynamodb::internal
