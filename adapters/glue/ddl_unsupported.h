// The statements a table file may look like but strata does not manage, each refused with a
// FILE:LINE:COL error that says what it is and what is supported: views, CREATE TABLE … AS
// SELECT (CTAS), Iceberg and Delta Lake tables, and CREATE TABLE without EXTERNAL (Athena makes
// only Iceberg tables that way).
//
// They are found by looking over the whole statement before it is parsed, because what gives
// an Iceberg or Delta table away ('table_type'='ICEBERG') comes last, after syntax the Hive
// parser would reject first (untyped partition columns, no column list). Pure functions.
#pragma once

#include "adapters/glue/ddl_cursor.h"
#include "engine/status.h"

namespace strata::glue {

// The error for a statement whose CREATE is followed by something other than [EXTERNAL] TABLE:
// VIEW (in any of Athena's spellings), DATABASE or SCHEMA, TEMPORARY; `cursor` stands at the
// token after CREATE. Returns Ok when that token starts none of those.
Status RefuseOtherCreate(const TokenCursor& cursor);

// Looks over the rest of the statement from the cursor (standing at the table name) for an
// Iceberg or Delta 'table_type' property and for AS or WITH ( at the top level (CTAS), and
// returns the error for the first found; then, when `external` is false, the error for CREATE
// TABLE without EXTERNAL at `table_keyword`. Ok when none applies.
Status RefuseUnsupportedTable(const TokenCursor& cursor, bool external,
                              const Token& table_keyword);

}  // namespace strata::glue
