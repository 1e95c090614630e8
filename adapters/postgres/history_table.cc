#include "adapters/postgres/history_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "adapters/postgres/migration_files.h"
#include "engine/store/commit_store.h"

namespace strata::postgres {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

Result<AppliedMigration> RowToApplied(const std::vector<std::optional<std::string>>& row) {
  AppliedMigration a;
  a.id = std::stoll(row[0].value_or("0"));
  a.name = row[1].value_or("");
  a.hash = Lower(row[2].value_or(""));
  a.applied_at = row[3].value_or("");
  if (row[4]) a.execution_time_ms = std::stoll(*row[4]);
  return a;
}

constexpr char kSelectColumns[] =
    "SELECT id, migration_name, migration_hash, "
    "to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS'), execution_time_ms FROM ";

}  // namespace

HashMatch MatchHash(const std::string& stored, const std::string& file_sha256,
                    const std::string& file_md5) {
  const std::string s = Lower(stored);
  if (s == file_sha256) return HashMatch::kSha256;
  if (s == file_md5) return HashMatch::kMd5;
  return HashMatch::kMismatch;
}

std::string HistoryTable::QuotedName() const {
  return Connection::QuoteIdent(schema_) + "." + Connection::QuoteIdent(table_);
}

int64_t HistoryTable::LockKey() const {
  const Hash h = Sha256("strata:migrate:" + schema_ + "." + table_);
  uint64_t key = 0;
  for (int i = 0; i < 8; ++i) key = (key << 8) | h[i];
  return static_cast<int64_t>(key);
}

Result<bool> HistoryTable::Exists(Connection& conn) const {
  STRATA_ASSIGN_OR_RETURN(
      QueryResult r,
      conn.Exec("SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                "ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 "
                "AND c.relkind IN ('r', 'p')",
                {schema_, table_}));
  return !r.rows.empty();
}

Status HistoryTable::CreateIfMissing(Connection& conn) const {
  STRATA_ASSIGN_OR_RETURN(bool exists, Exists(conn));
  if (exists) return Status::Ok();
  STRATA_ASSIGN_OR_RETURN(
      QueryResult schema,
      conn.Exec("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {schema_}));
  if (schema.rows.empty()) {
    STRATA_RETURN_IF_ERROR(conn.ExecScript("CREATE SCHEMA " + Connection::QuoteIdent(schema_))
                               .WithContext("creating schema " + schema_ + " for migration history"));
  }
  return conn
      .ExecScript("CREATE TABLE " + QuotedName() +
                  " (id SERIAL PRIMARY KEY, migration_name VARCHAR(255) NOT NULL UNIQUE, "
                  "migration_hash VARCHAR(64) NOT NULL, "
                  "applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, execution_time_ms INTEGER)")
      .WithContext("creating history table " + DisplayName());
}

Result<std::vector<AppliedMigration>> HistoryTable::Read(Connection& conn) const {
  STRATA_ASSIGN_OR_RETURN(bool exists, Exists(conn));
  std::vector<AppliedMigration> out;
  if (!exists) return out;
  Result<QueryResult> r = conn.Exec(kSelectColumns + QuotedName() + " ORDER BY id");
  if (!r.ok()) return r.status().WithContext("reading history table " + DisplayName());
  for (const auto& row : r->rows) {
    STRATA_ASSIGN_OR_RETURN(AppliedMigration a, RowToApplied(row));
    out.push_back(std::move(a));
  }
  return out;
}

Result<AppliedMigration> HistoryTable::ReadOne(Connection& conn, const std::string& name) const {
  Result<QueryResult> r =
      conn.Exec(kSelectColumns + QuotedName() + " WHERE migration_name = $1", {name});
  if (!r.ok()) return r.status().WithContext("reading history table " + DisplayName());
  if (r->rows.empty()) {
    return Status::NotFound(fmt::format("{} has no row for {}", DisplayName(), name));
  }
  return RowToApplied(r->rows[0]);
}

Status HistoryTable::Insert(Connection& conn, const std::string& name, const std::string& hash,
                            int64_t execution_time_ms) const {
  Result<QueryResult> r = conn.Exec(
      "INSERT INTO " + QuotedName() +
          " (migration_name, migration_hash, applied_at, execution_time_ms) "
          "VALUES ($1, $2, clock_timestamp() AT TIME ZONE 'UTC', $3)",
      {name, hash, std::to_string(execution_time_ms)});
  return r.status().WithContext("recording " + name + " in " + DisplayName());
}

std::string HistoryTable::InsertInTransactionSql(const std::string& name,
                                                 const std::string& hash) const {
  // A migration's own timeouts (SET statement_timeout = ...) would otherwise govern the
  // bookkeeping too and could fail a migration whose statements all ran; SET LOCAL ends with
  // the transaction.
  return "SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = 0; INSERT INTO " +
         QuotedName() +
         " (migration_name, migration_hash, applied_at, execution_time_ms) VALUES (" +
         Connection::QuoteLiteral(name) + ", " + Connection::QuoteLiteral(hash) +
         ", now() AT TIME ZONE 'UTC', "
         "round(extract(epoch FROM clock_timestamp() - now()) * 1000)::integer)";
}

Result<std::vector<FoundHistoryTable>> FindHistoryTables(Connection& conn,
                                                         const std::string& schema) {
  STRATA_ASSIGN_OR_RETURN(
      QueryResult r,
      conn.Exec("SELECT c.relname FROM pg_catalog.pg_class c "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') "
                "AND left(c.relname, 11) = 'migrations_' AND length(c.relname) > 11 "
                "AND (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid "
                "AND a.attname IN ('migration_name', 'migration_hash') AND NOT a.attisdropped) = 2",
                {schema}));
  std::vector<FoundHistoryTable> out;
  for (const auto& row : r.rows) out.push_back({schema, row[0]->substr(11)});
  std::sort(out.begin(), out.end(), [](const FoundHistoryTable& a, const FoundHistoryTable& b) {
    return TrackRunsBefore(a.track, b.track);
  });
  return out;
}

Result<std::vector<TrackHistory>> ReadHistories(Connection& conn, const std::string& schema,
                                                const std::vector<std::string>& tracks) {
  std::vector<TrackHistory> out;
  for (const std::string& track : tracks) {
    TrackHistory h;
    h.track = track;
    h.table = HistoryTable(schema, track);
    STRATA_ASSIGN_OR_RETURN(h.table_exists, h.table.Exists(conn));
    STRATA_ASSIGN_OR_RETURN(h.rows, h.table.Read(conn));
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace strata::postgres
