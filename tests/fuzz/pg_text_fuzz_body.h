// The check every fuzz input of the PostgreSQL catalog text handling goes through
// (pg_text_fuzz.cc and the seed replay, fuzz_seeds_test.cc). Introspection reads the catalog
// through SQL that splits most fields already (unnest, pg_get_*), so the text strata itself
// reads and writes is: numbers and oids (Int, Oid), deparsed definitions (Trimmed), and any
// catalog text quoted back into SQL (Connection::QuoteIdent, QuoteLiteral) that strata's own
// SQL reader (migration_sql_check.h) then splits. The input is one such text. The contract:
//   - Int and Oid read any text without a crash, and read their own printing back;
//   - Trimmed leaves no surrounding white space;
//   - a statement quoting the text as a literal and as a name is one statement to the SQL
//     reader, runs without psql, has no problems, and ends where the text ends: a quoted value
//     can never end a statement early or hide another one.
#pragma once

#include <string>
#include <string_view>

#include "adapters/postgres/connection.h"
#include "adapters/postgres/introspect_internal.h"
#include "adapters/postgres/migration_sql_check.h"

namespace strata::fuzz {

inline std::string PgTextViolation(std::string_view input) {
  using postgres::Connection;
  namespace in = postgres::introspect;
  const in::Row row = {std::string(input)};
  const in::Row int_back = {std::to_string(in::Int(row, 0))};
  if (in::Int(int_back, 0) != in::Int(row, 0)) return "Int does not read its own printing back";
  const in::Row oid_back = {std::to_string(in::Oid(row, 0))};
  if (in::Oid(oid_back, 0) != in::Oid(row, 0)) return "Oid does not read its own printing back";

  for (bool drop_semicolon : {false, true}) {
    const std::string trimmed = in::Trimmed(input, drop_semicolon);
    // Once trimmed, nothing is left to trim (a second semicolon is text, not the view's end).
    if (in::Trimmed(trimmed) != trimmed) return "Trimmed left white space around the text";
  }

  const std::string sql = "SELECT " + Connection::QuoteLiteral(input) + " AS " +
                          Connection::QuoteIdent(input) + ";";
  const postgres::SqlSplit split = postgres::SplitMigrationSql(sql);
  if (split.psql_line != 0) {
    return "a quoted value made the statement need psql: " + split.psql_reason + "\n" + sql;
  }
  if (split.statements.size() != 1 || split.statements[0].begin != 0 ||
      split.statements[0].end != sql.size()) {
    return "a quoted value did not stay inside its statement:\n" + sql;
  }
  for (bool no_transaction : {false, true}) {
    if (!postgres::CheckMigrationSql(sql, no_transaction).empty()) {
      return "a statement of quoted values has problems:\n" + sql;
    }
  }
  return "";
}

}  // namespace strata::fuzz
