// The history table of one migration track: `<schema>.migrations_<track>`, the layout the
// original nushell tool created, so databases it migrated are adopted as they are:
//   id SERIAL PRIMARY KEY, migration_name VARCHAR(255) NOT NULL UNIQUE,
//   migration_hash VARCHAR(64) NOT NULL, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
//   execution_time_ms INTEGER
// strata writes the SHA-256 hex of the file; rows holding an MD5 hex (the original's) match too.
// A value type naming the table; the Connection passed in does the work. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "adapters/postgres/connection.h"
#include "engine/status.h"

namespace strata::postgres {

// One row of a history table.
struct AppliedMigration {
  int64_t id = 0;
  std::string name;  // the migration file's stem
  std::string hash;  // lower-case hex: SHA-256 (strata) or MD5 (the original tool)
  std::string applied_at;  // "YYYY-MM-DD HH:MM:SS[.ffffff]" as stored (strata stores UTC)
  std::optional<int64_t> execution_time_ms;
};

enum class HashMatch {
  kSha256,    // the row holds the file's SHA-256
  kMd5,       // the row holds the file's MD5 (written by the original tool)
  kMismatch,  // the file changed since it was applied
};

// Compares a stored hash (any case) with a file's checksums.
HashMatch MatchHash(const std::string& stored, const std::string& file_sha256,
                    const std::string& file_md5);

class HistoryTable {
 public:
  HistoryTable() = default;
  HistoryTable(std::string schema, const std::string& track)
      : schema_(std::move(schema)), table_("migrations_" + track) {}

  const std::string& schema() const { return schema_; }
  const std::string& table() const { return table_; }
  // `"schema"."migrations_track"`, quoted for SQL text.
  std::string QuotedName() const;
  // `schema.migrations_track`, for messages.
  std::string DisplayName() const { return schema_ + "." + table_; }
  // The advisory lock key of this table: the first 8 bytes of
  // SHA-256("strata:migrate:<schema>.<table>") as a signed 64-bit integer.
  int64_t LockKey() const;

  Result<bool> Exists(Connection& conn) const;
  // Creates the schema and the table when missing (checking first, so a role without CREATE
  // on an existing schema can still use an existing table).
  Status CreateIfMissing(Connection& conn) const;
  // Every row in id order; an empty list when the table does not exist.
  Result<std::vector<AppliedMigration>> Read(Connection& conn) const;
  // The row of one migration; NotFound when absent.
  Result<AppliedMigration> ReadOne(Connection& conn, const std::string& name) const;
  // Inserts a row stamped now (UTC).
  Status Insert(Connection& conn, const std::string& name, const std::string& hash,
                int64_t execution_time_ms) const;
  // One INSERT statement, with literals only, that psql runs in the migration's transaction:
  // applied_at is the transaction's start (UTC) and execution_time_ms the time since then.
  std::string InsertInTransactionSql(const std::string& name, const std::string& hash) const;

 private:
  std::string schema_;
  std::string table_;
};

// A history table found in a database.
struct FoundHistoryTable {
  std::string schema;
  std::string track;  // the table name after "migrations_"
};

// Tables named migrations_* in `schema` that have migration_name and migration_hash columns,
// sorted core first, then by track.
Result<std::vector<FoundHistoryTable>> FindHistoryTables(Connection& conn, const std::string& schema);

// One track's history table as `strata migrate history` shows it.
struct TrackHistory {
  std::string track;
  HistoryTable table;
  bool table_exists = false;
  std::vector<AppliedMigration> rows;  // in id order; none when the table does not exist
};

// The history tables of `tracks` in `schema`, in that order. The connection's errors.
Result<std::vector<TrackHistory>> ReadHistories(Connection& conn, const std::string& schema,
                                                const std::vector<std::string>& tracks);

}  // namespace strata::postgres
