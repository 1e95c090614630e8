// What `strata list` shows of a PostgreSQL database: every top-level object of its catalog
// with its kind, and whether strata manages it (the log recorded it). Pure; no connection.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "adapters/backend/backend.h"
#include "proto/commit.pb.h"

namespace strata::postgres {

// "schema", "table", "foreign table", "view", "materialized view", "sequence", "type",
// "function", "aggregate", "extension", "event trigger", "foreign server"; "object" for a name
// the schema does not hold.
std::string_view ObjectKind(const pb::PostgresSchema& schema, const std::string& name);

// Rows OBJECT, KIND, STRATA ("managed" | "unmanaged"); JSON items {name, kind, managed}.
// `target_text` names the database in the title and the empty text.
backend::ListView ListObjects(const pb::SchemaState& live, const std::set<std::string>& managed,
                              const std::string& target_text);

}  // namespace strata::postgres
