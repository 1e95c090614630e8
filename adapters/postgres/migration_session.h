// strata running a migration itself, statement by statement over its own libpq connection, as
// psql -X -v ON_ERROR_STOP=1 [-1] -f FILE would: the statements psql would send
// (SplitMigrationSql), one at a time, stopping at the first error; in one transaction with the
// history row, or each on its own for a no-transaction migration. It saves starting a psql
// process per migration, which costs more than most migrations do.
//
// The connection is opened like psql's (the same conninfo and libpq environment, the client
// encoding from the locale unless PGCLIENTENCODING says otherwise), and between migrations it
// is reset with DISCARD ALL, so each migration starts in a fresh session, as under psql.
// Migrations that need psql (SqlSplit::psql_line) still go to psql. Not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "adapters/postgres/migration_sql_check.h"
#include "engine/status.h"

namespace strata::postgres {

// What a run printed and how it ended, in psql's terms: exit 0, or 3 when a statement
// failed; the output holds the server's notices, the rows of any query, and the error, each
// headed FILE:LINE like psql's ("FILE:3: ERROR:  division by zero").
struct SessionOutcome {
  int exit_code = 0;
  std::string output;
};

class MigrationSession {
 public:
  // Unavailable when the server cannot be reached; the message never repeats the conninfo.
  static Result<std::unique_ptr<MigrationSession>> Open(const std::string& conninfo);
  ~MigrationSession();
  MigrationSession(const MigrationSession&) = delete;
  MigrationSession& operator=(const MigrationSession&) = delete;

  // False when the server reads backslashes in '...' as escapes (standard_conforming_strings
  // off): SplitMigrationSql assumes they are not, so such a server gets psql.
  bool splits_like_psql() const;

  // Runs `split`'s statements of `sql`. With `in_transaction`, between BEGIN and COMMIT with
  // `history_insert_sql` last, and rolled back on any error; otherwise each statement on its
  // own (and a transaction block the file left open at a failure is rolled back, as psql's
  // exit would). `display_path` heads the output's lines. Unavailable when the connection is
  // lost; the migration's fate is then the server's (a transaction is rolled back).
  Result<SessionOutcome> Run(std::string_view display_path, std::string_view sql,
                             const SqlSplit& split, bool in_transaction,
                             std::string_view history_insert_sql);

 private:
  struct Impl;
  explicit MigrationSession(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata::postgres
