// The child processes of a migration run: psql applying a migration (with its history row in
// the same transaction), and the migration's pre-flight validation script.
//
// Every child gets the same connection as the migrator: the caller's environment with the
// libpq variables of the target's conninfo laid over it (PGHOST, PGPORT, PGDATABASE, PGUSER,
// PGPASSWORD, ...); psql also gets the conninfo without its password as -d. Passwords never
// appear on a command line. Values only; building a request runs nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "adapters/postgres/migration_files.h"
#include "adapters/common/process_runner.h"
#include "engine/status.h"

namespace strata::postgres {

// How children reach the database, derived once per run.
struct ChildSetup {
  std::string psql_path;                 // absolute
  std::vector<std::string> environment;  // "NAME=value", the children's whole environment
  std::string psql_conninfo;             // for psql -d; empty when the environment says it all
};

// InvalidArgument when `conninfo` (a libpq URI or key=value string, or empty) does not parse;
// the message never repeats the conninfo, which may hold a password.
Result<ChildSetup> MakeChildSetup(const std::string& psql_path, const std::string& conninfo,
                                  const std::vector<std::string>& base_environment);

// The psql variables (and, upper-cased, the environment variables of validation scripts)
// every migration gets.
struct MigrationVariables {
  std::string migration_name;
  std::string track_name;
  std::string migration_timestamp;
  std::string execution_id;
};
MigrationVariables VariablesFor(const MigrationFile& file, const std::string& execution_id);

// psql -X -q -v ON_ERROR_STOP=1 <variables> then either
//   -1 -f FILE -c INSERT   (the migration and its history row in one transaction), or
//   -f FILE                (a no-transaction migration; `history_insert_sql` is ignored).
// stderr is merged into the output so psql's "psql:FILE:LINE: ERROR: ..." stays in order.
common::ProcessRequest MigrationRequest(const ChildSetup& setup, const MigrationFile& file,
                                const MigrationVariables& vars,
                                const std::string& history_insert_sql);

// A `.check.sql` runs as psql -X -q -t -A -v ON_ERROR_STOP=1 <variables> -c BEGIN -f CHECK
// -c ROLLBACK; an executable runs in its own directory with MIGRATION_NAME, TRACK_NAME,
// MIGRATION_TIMESTAMP, EXECUTION_ID and MIGRATION_FILE in its environment.
common::ProcessRequest ValidationRequest(const ChildSetup& setup, const MigrationFile& file,
                                 const MigrationVariables& vars);

struct ValidationOutcome {
  bool passed = false;
  int exit_code = 0;
  std::string output;  // what the script printed (stdout and stderr)
};

// Runs the migration's validation script; std::nullopt when it has none. A check passes when
// it exits 0 and, for a `.check.sql`, prints no rows. IoError when it cannot be started.
Result<std::optional<ValidationOutcome>> RunValidation(common::ProcessRunner& runner,
                                                       const ChildSetup& setup,
                                                       const MigrationFile& file,
                                                       const MigrationVariables& vars);

}  // namespace strata::postgres
