// PostgresLogStore: a strata log in a PostgreSQL table, one row per commit keyed by (log id,
// seq), holding the commit's stored bytes. An append is one INSERT ... ON CONFLICT DO NOTHING
// guarded by the primary key: no row back means another writer has the seq. Triggers refuse any
// UPDATE, DELETE or TRUNCATE of entries, and any row whose prev_sha256 is not the hash of the row
// before it, so the database keeps the chain even against a faulty client. The table and its
// triggers are created on first use when missing (docs/team-log.md has the SQL and the grants).
// Not thread-safe: one store per thread; any number of processes may share the table.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "adapters/postgres/connection.h"
#include "engine/store/log_store.h"

namespace strata::postgres {

struct PostgresLogStoreOptions {
  std::string conninfo;  // libpq conninfo or URI, without strata's own parameters
  std::string table = "strata_log";  // "name" or "schema.name"
  std::string log_id = "default";
  // Test hook: runs after an INSERT returned; a non-Ok status replaces the store's answer (a
  // reply lost after the server committed the row).
  std::function<Status(uint64_t seq)> after_insert;
};

// Splits `postgres://user@host:5432/db?table=T&log=NAME&sslmode=...` (or postgresql://) into
// libpq's URI and strata's parameters (table, log; percent-decoded). InvalidArgument naming the
// parameter for an empty log name or a table name that is not an identifier.
Result<PostgresLogStoreOptions> ParseLogUrl(const std::string& url);

class PostgresLogStore : public LogStore {
 public:
  // Connects and creates the table and its triggers when the table is missing. Unavailable when
  // the server cannot be reached; FailedPrecondition with the server's message otherwise.
  static Result<std::unique_ptr<PostgresLogStore>> Open(PostgresLogStoreOptions options);

  std::string Describe() const override;
  bool shared() const override { return true; }
  Result<Head> ReadHead() override;
  Result<std::vector<LogEntry>> Read(uint64_t from, size_t limit) override;
  Result<Head> Append(uint64_t seq, std::string_view payload) override;

 private:
  explicit PostgresLogStore(PostgresLogStoreOptions options) : options_(std::move(options)) {}
  // The connection, opened again after one was lost.
  Result<Connection*> Conn();
  // Runs `sql`; a lost connection is dropped so the next call connects again.
  Result<QueryResult> Run(const std::string& sql, const std::vector<Param>& params);
  Status EnsureTable();

  PostgresLogStoreOptions options_;
  std::unique_ptr<Connection> conn_;
  std::string where_;  // "127.0.0.1:5432/ops", once connected
  std::string table_sql_;  // the table name quoted for SQL
};

}  // namespace strata::postgres
