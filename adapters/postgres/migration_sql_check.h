// What strata checks in a migration file's text before running it, with psql's own reading of
// the file: statements end at ';' outside comments, quoted strings, quoted identifiers,
// dollar-quoted bodies and the BEGIN ATOMIC ... END body of a SQL-standard routine, and a
// backslash starts a psql meta-command that runs to the end of its line.
//
// Found, each with its line:
// - transaction control at the top level (BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK,
//   ABORT, PREPARE TRANSACTION) in a file strata runs in one transaction: psql -1 would let a
//   COMMIT end the migration's transaction half-way, and its history row with it. ROLLBACK TO
//   SAVEPOINT is fine. In a `-- strata:no-transaction` file transaction control runs as
//   written; only a BEGIN left open at the end of the file is a problem (psql rolls it back
//   silently when the file ends, and reports success).
// - in a file strata runs in one transaction, a top-level statement PostgreSQL refuses inside
//   a transaction block: CREATE [UNIQUE] INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX
//   ... CONCURRENTLY, VACUUM, ALTER SYSTEM, CREATE/DROP DATABASE and TABLESPACE. The file
//   needs the no-transaction marker.
// - a comment that nearly spells the no-transaction marker (`-- strata: no-transaction`,
//   `--strata:no_transaction`, another case), or the marker after the file's first SQL: the
//   file would run in a transaction though its author meant otherwise.
//
// The same reading splits a migration into the statements psql would send one by one, so
// that strata can run it itself when nothing in it needs psql (SplitMigrationSql).
// Pure functions of the text; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace strata::postgres {

struct SqlProblem {
  int line = 0;         // 1-based
  std::string message;  // what is wrong and what to do, without the file name
};

// The problems of a migration's text, in line order; empty when it can run as written.
// `no_transaction`: the file carries the no-transaction marker (HasNoTransactionHeader).
std::vector<SqlProblem> CheckMigrationSql(std::string_view sql, bool no_transaction);

// One top-level statement, as psql would send it: bytes [begin, end) of the text, from its
// first character that is not white space or a `--` comment to its ';' (or the end of the
// file).
struct SqlStatement {
  size_t begin = 0;
  size_t end = 0;
  int line = 0;  // where it starts, 1-based
};

// A migration's statements in order, or why only psql can run it: a meta-command (\set,
// \i, ...), a psql variable (:name, :'name', :"name"), COPY from STDIN or to STDOUT, or text
// whose end psql and the server might read differently (an unterminated string, quoted
// identifier, comment or dollar quote; an unclosed parenthesis or BEGIN ATOMIC body), or a
// change of standard_conforming_strings (psql reads what follows by the new setting).
// Assumes standard_conforming_strings is on, as it is by default.
struct SqlSplit {
  std::vector<SqlStatement> statements;
  int psql_line = 0;        // 0 when strata can run the statements itself
  std::string psql_reason;  // what needs psql on that line
};
SqlSplit SplitMigrationSql(std::string_view sql);

}  // namespace strata::postgres
