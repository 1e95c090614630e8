// LOCAL STUB (not committed): stands in for the DDL engineer's header until wp-glue-ddl lands.
#pragma once
#include <string>
#include <string_view>
#include "engine/status.h"
#include "proto/glue.pb.h"
namespace strata::glue {
struct ParsedTable { std::string database; pb::GlueTable table; };
Result<ParsedTable> ParseCreateTable(std::string_view text, std::string_view file);
std::string RenderCreateTable(const std::string& database, const pb::GlueTable& table);
}  // namespace strata::glue
