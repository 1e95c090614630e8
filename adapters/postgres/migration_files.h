// Migration files on disk: `{timestamp}_{track}_{description}.sql`, grouped into tracks.
//
// A migration directory may be a tree; tracks come from file names, never from directories.
// Discovery reads every file once (for its checksums and its header), so the returned values
// are self-contained. A malformed `.sql` name is an error naming the file and the expected
// form; see docs/postgres-migrations.md for what is ignored. Plain values; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/postgres/migration_sql_check.h"
#include "engine/status.h"

namespace strata::postgres {

// The parts of a migration file name.
struct MigrationName {
  std::string timestamp;    // one or more digits; an opaque key ordered as a number
  std::string track;        // non-empty, no '_'
  std::string description;  // non-empty; may hold '_' and '-'
  std::string stem;         // the file name without ".sql": the history row's migration_name
};

// Parses "20240101120000_core_add_users.sql" (the file name, not a path). InvalidArgument
// naming the file and the expected form when it does not fit.
Result<MigrationName> ParseMigrationFileName(std::string_view file_name);
// The same for a history row's migration_name (a stem, without ".sql").
Result<MigrationName> ParseMigrationStem(std::string_view stem);

// True when `a` runs before `b`: timestamps compared as numbers, then stems as bytes.
bool RunsBefore(const MigrationName& a, const MigrationName& b);

enum class ValidationKind {
  kExecutable,  // any executable file `<stem>.<ext>` (or `<stem>`), run with its env
  kCheckSql,    // `<stem>.check.sql`, run by psql; passes when it fails nothing and prints nothing
};

struct ValidationScript {
  ValidationKind kind = ValidationKind::kExecutable;
  std::string path;  // absolute
};

struct MigrationFile {
  MigrationName name;
  std::string path;        // absolute
  std::string sha256_hex;  // of the file bytes
  std::string md5_hex;     // of the file bytes; the original tool stored this
  bool no_transaction = false;  // a `-- strata:no-transaction` line in the leading comments
  // Why it cannot run as written (migration_sql_check.h); a run refuses to start while a
  // migration it would apply has any. Discovery itself does not fail on them, so an applied
  // migration written before a check existed does not stop the project.
  std::vector<SqlProblem> problems;
  std::optional<ValidationScript> validation;
};

struct MigrationTrack {
  std::string name;
  std::vector<MigrationFile> migrations;  // in run order (RunsBefore)
};

// Every track under `root` (a directory, searched recursively, hidden entries skipped), in run
// order: "core" first, then the others by name. NotFound when `root` is missing;
// InvalidArgument for a malformed name, a stem used twice, a validation script without its
// migration, two validation scripts for one migration or a script that is not executable.
Result<std::vector<MigrationTrack>> DiscoverTracks(const std::string& root);

// Orders track names for a run: "core" first, then byte order.
bool TrackRunsBefore(std::string_view a, std::string_view b);

// True when the leading comment block of `sql` holds the line `-- strata:no-transaction`.
bool HasNoTransactionHeader(std::string_view sql);

std::string Sha256Hex(std::string_view bytes);
std::string Md5Hex(std::string_view bytes);

// ---- strata migrate add -------------------------------------------------------------------

// "YYYYMMDDHHMMSS" (UTC) of a Unix time in microseconds.
std::string TimestampOf(int64_t unix_micros);
// `wanted`, or the next number after it that no migration in `tracks` uses.
std::string NextFreeTimestamp(const std::string& wanted, const std::vector<MigrationTrack>& tracks);
// A description usable in a file name: runs of white space become '_'. InvalidArgument when
// it is empty, starts with '.', or holds '/' or a control character.
Result<std::string> DescriptionForFileName(std::string_view description);
// InvalidArgument when `track` cannot be a track name (see ParseMigrationFileName).
Status CheckTrackName(std::string_view track);

// The body of a new migration and of its validation scripts.
// `created` is shown as it is (an RFC 3339 time).
std::string MigrationTemplate(const MigrationName& name, std::string_view created);
std::string ShellValidationTemplate(const MigrationName& name);
std::string CheckSqlTemplate(const MigrationName& name);

}  // namespace strata::postgres
