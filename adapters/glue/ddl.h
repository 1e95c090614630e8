// Glue tables as Athena DDL: one CREATE EXTERNAL TABLE statement read into the canonical Glue
// table model, and the model written back as one canonical statement.
//
// Reading follows what Athena's Hive DDL stores in Glue (docs/glue.md, "Files and DDL"): names
// fold to lower case, types to Glue's stored text (ddl_types.h), literals by Hive's unescaping
// (ddl_literal.h), STORED AS and ROW FORMAT DELIMITED to classes and SerDe parameters
// (ddl_formats.h), the table COMMENT to the "comment" parameter. So a case-only or
// whitespace-only edit, or STORED AS PARQUET against its spelled-out classes, gives the same
// table. The law: ParseCreateTable(RenderCreateTable(db, t)) gives back (db, t) for every table
// DDL can express. Pure functions; thread-compatible.
#pragma once

#include <string>
#include <string_view>

#include "adapters/glue/ddl_lexer.h"
#include "engine/status.h"
#include "proto/glue.pb.h"

namespace strata::glue {

struct ParsedTable {
  std::string database;  // lower case; empty when the statement names no database
  pb::GlueTable table;   // canonical (engine/state/canonical_glue_postgres.h), names lower case
  TextPosition name_position;  // where the (qualified) table name starts, for path checks
};

// Parses one CREATE [EXTERNAL] TABLE statement (a trailing ';' and comments allowed). Errors:
// InvalidArgument "FILE:LINE:COL: what was found, what was expected" (and what is supported, for
// views, CTAS, Iceberg, …). Never a partial table.
Result<ParsedTable> ParseCreateTable(std::string_view text, std::string_view file);

// The canonical DDL of a table: CREATE EXTERNAL TABLE `db`.`table` (…) with every clause in a
// fixed order, expanded ROW FORMAT SERDE / STORED AS INPUTFORMAT … OUTPUTFORMAT …, sorted
// properties, literals escaped so that ParseCreateTable(RenderCreateTable(db, t)) gives t back.
// Ends with ";\n".
//
// What DDL cannot say is left out, so those tables do not come back whole: the Glue
// description, the SerDe's own name, a table type other than EXTERNAL_TABLE, a missing SerDe
// or "serialization.format" parameter (reading adds Hive's "1"), empty formats or location,
// and bucketing over columns the table does not have.
std::string RenderCreateTable(const std::string& database, const pb::GlueTable& table);

}  // namespace strata::glue
