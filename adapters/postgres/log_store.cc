#include "adapters/postgres/log_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "adapters/common/url_query.h"
#include "engine/state/validate.h"

namespace strata::postgres {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// bytea in PostgreSQL's hex text form: "\x0a1b...".
std::string ByteaText(std::string_view bytes) {
  std::string out = "\\x";
  out.reserve(2 + bytes.size() * 2);
  for (unsigned char ch : bytes) {
    out.push_back(kHex[ch >> 4]);
    out.push_back(kHex[ch & 0xf]);
  }
  return out;
}

int HexDigit(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

Result<std::string> FromByteaText(const std::optional<std::string>& text) {
  if (!text || text->size() < 2 || (*text)[0] != '\\' || (*text)[1] != 'x' ||
      text->size() % 2 != 0) {
    return Status::Corruption("a bytea value is not in hex form (is bytea_output 'escape'?)");
  }
  std::string out;
  out.reserve((text->size() - 2) / 2);
  for (size_t i = 2; i < text->size(); i += 2) {
    const int hi = HexDigit((*text)[i]), lo = HexDigit((*text)[i + 1]);
    if (hi < 0 || lo < 0) return Status::Corruption("a bytea value has a bad hex digit");
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (!(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char ch : s) {
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_')) return false;
  }
  return true;
}

// "strata_log" -> ("", "strata_log"); "ops.strata_log" -> ("ops", "strata_log").
std::pair<std::string, std::string> SplitTable(const std::string& table) {
  const size_t dot = table.find('.');
  if (dot == std::string::npos) return {"", table};
  return {table.substr(0, dot), table.substr(dot + 1)};
}

}  // namespace

Result<PostgresLogStoreOptions> ParseLogUrl(const std::string& url) {
  PostgresLogStoreOptions o;
  const size_t q = url.find('?');
  std::string base = url.substr(0, q);
  std::vector<std::string> passed;
  if (q != std::string::npos) {
    for (const common::QueryPart& part : common::SplitQuery(url.substr(q + 1), true)) {
      const std::string& key = part.key;
      const std::string& value = part.value;
      if (key == "table") {
        o.table = value;
      } else if (key == "log") {
        o.log_id = value;
      } else {
        passed.push_back(part.raw);  // libpq's own (sslmode, connect_timeout, ...)
      }
    }
  }
  if (o.log_id.empty()) {
    return Status::InvalidArgument(fmt::format(
        "log {}: the log name (log=) is empty; name the log, e.g. log=acme/prod", url));
  }
  const auto [schema, name] = SplitTable(o.table);
  if (!IsIdentifier(name) || (!schema.empty() && !IsIdentifier(schema))) {
    return Status::InvalidArgument(fmt::format(
        "log {}: table={} is not a table name (letters, digits and _, optionally schema.table)",
        url, o.table));
  }
  for (size_t i = 0; i < passed.size(); ++i) base += (i == 0 ? "?" : "&") + passed[i];
  o.conninfo = base;
  return o;
}

Result<std::unique_ptr<PostgresLogStore>> PostgresLogStore::Open(PostgresLogStoreOptions options) {
  std::unique_ptr<PostgresLogStore> store(new PostgresLogStore(std::move(options)));
  const auto [schema, name] = SplitTable(store->options_.table);
  store->table_sql_ = schema.empty() ? Connection::QuoteIdent(name)
                                     : Connection::QuoteIdent(schema) + "." +
                                           Connection::QuoteIdent(name);
  STRATA_RETURN_IF_ERROR(store->Conn().status());
  STRATA_RETURN_IF_ERROR(store->EnsureTable());
  return store;
}

std::string PostgresLogStore::Describe() const {
  return fmt::format("PostgreSQL log \"{}\" (table {}{})", options_.log_id, options_.table,
                     where_.empty() ? "" : " on " + where_);
}

Result<Connection*> PostgresLogStore::Conn() {
  if (!conn_) {
    STRATA_ASSIGN_OR_RETURN(conn_, Connection::Open(options_.conninfo));
    where_ = conn_->description();
  }
  return conn_.get();
}

Result<QueryResult> PostgresLogStore::Run(const std::string& sql,
                                          const std::vector<Param>& params) {
  STRATA_ASSIGN_OR_RETURN(Connection * c, Conn());
  auto r = c->ExecPrepared(sql, params);
  if (!r.ok() && r.status().code() == Code::kUnavailable) conn_.reset();
  return r;
}

Status PostgresLogStore::EnsureTable() {
  const auto [schema, name] = SplitTable(options_.table);
  STRATA_ASSIGN_OR_RETURN(QueryResult exists,
                          conn_->Exec("SELECT to_regclass($1) IS NOT NULL", {table_sql_}));
  if (!exists.rows.empty() && exists.rows[0][0] == std::optional<std::string>("t")) {
    return Status::Ok();
  }
  const std::string prefix = schema.empty() ? "" : Connection::QuoteIdent(schema) + ".";
  const std::string refuse = prefix + Connection::QuoteIdent(name + "_refuse_change");
  const std::string chain = prefix + Connection::QuoteIdent(name + "_check_chain");
  // Under a transaction-level advisory lock, so writers starting at once on a new database do
  // not race each other's CREATEs (and it works behind a transaction-pooling PgBouncer).
  const std::string sql = fmt::format(R"sql(
BEGIN;
SELECT pg_advisory_xact_lock(hashtextextended({lit}, 0));
CREATE TABLE IF NOT EXISTS {t} (
  log_id      text        NOT NULL,
  seq         bigint      NOT NULL CHECK (seq > 0),
  payload     bytea       NOT NULL,
  sha256      bytea       NOT NULL CHECK (sha256 = sha256(payload)),
  prev_sha256 bytea       NOT NULL CHECK (length(prev_sha256) = 32),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (log_id, seq));
CREATE OR REPLACE FUNCTION {refuse}() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  RAISE EXCEPTION 'strata log entries are never changed or removed (% on %)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $f$;
CREATE OR REPLACE FUNCTION {chain}() RETURNS trigger LANGUAGE plpgsql AS $f$
DECLARE prev bytea;
BEGIN
  IF NEW.seq = 1 THEN
    prev := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
  ELSE
    EXECUTE format('SELECT sha256 FROM %I.%I WHERE log_id = $1 AND seq = $2',
                   TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO prev USING NEW.log_id, NEW.seq - 1;
  END IF;
  IF prev IS NULL OR prev <> NEW.prev_sha256 THEN
    RAISE EXCEPTION 'strata log "%": entry % does not follow entry % (missing, or another hash)',
      NEW.log_id, NEW.seq, NEW.seq - 1 USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $f$;
CREATE OR REPLACE TRIGGER strata_log_refuse_change BEFORE UPDATE OR DELETE ON {t}
  FOR EACH ROW EXECUTE FUNCTION {refuse}();
CREATE OR REPLACE TRIGGER strata_log_refuse_truncate BEFORE TRUNCATE ON {t}
  FOR EACH STATEMENT EXECUTE FUNCTION {refuse}();
CREATE OR REPLACE TRIGGER strata_log_check_chain BEFORE INSERT ON {t}
  FOR EACH ROW EXECUTE FUNCTION {chain}();
COMMIT;
)sql",
                                      fmt::arg("lit", Connection::QuoteLiteral("strata_log:" + options_.table)),
                                      fmt::arg("t", table_sql_), fmt::arg("refuse", refuse),
                                      fmt::arg("chain", chain));
  Status s = conn_->ExecScript(sql);
  if (!s.ok()) {
    if (conn_->in_transaction()) (void)conn_->ExecScript("ROLLBACK");
    return s.WithContext(fmt::format("creating the log table {}", options_.table));
  }
  return Status::Ok();
}

Result<Head> PostgresLogStore::ReadHead() {
  STRATA_ASSIGN_OR_RETURN(
      QueryResult r,
      Run(fmt::format("SELECT seq, sha256 FROM {} WHERE log_id = $1 ORDER BY seq DESC LIMIT 1",
                      table_sql_),
          {options_.log_id}));
  if (r.rows.empty()) return Head{};
  // The table's CHECK keeps sha256 equal to the payload's hash.
  STRATA_ASSIGN_OR_RETURN(std::string hash, FromByteaText(r.rows[0][1]));
  if (hash.size() != sizeof(Hash)) return Status::Corruption(Describe() + ": a sha256 is not 32 bytes");
  Head head{std::stoull(*r.rows[0][0]), Hash{}, std::nullopt};
  std::copy(hash.begin(), hash.end(), head.hash.begin());
  return head;
}

Result<std::vector<LogEntry>> PostgresLogStore::Read(uint64_t from, size_t limit) {
  if (from == 0 || limit == 0) {
    return Status::InvalidArgument("PostgreSQL log store: Read needs from >= 1 and limit > 0");
  }
  STRATA_ASSIGN_OR_RETURN(
      QueryResult r,
      Run(fmt::format("SELECT seq, payload FROM {} WHERE log_id = $1 AND seq >= $2 ORDER BY seq "
                      "LIMIT $3",
                      table_sql_),
          {options_.log_id, std::to_string(from), std::to_string(limit)}));
  std::vector<LogEntry> out;
  out.reserve(r.rows.size());
  for (const auto& row : r.rows) {
    LogEntry e;
    e.seq = std::stoull(*row[0]);
    STRATA_ASSIGN_OR_RETURN(e.payload, FromByteaText(row[1]));
    e.hash = Sha256(e.payload);
    out.push_back(std::move(e));
  }
  return out;
}

Result<Head> PostgresLogStore::Append(uint64_t seq, std::string_view payload) {
  pb::Commit commit;
  if (!commit.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return Status::InvalidArgument(fmt::format("{}: entry {}: the bytes are not a commit",
                                               Describe(), seq));
  }
  if (commit.seq() != seq || commit.prev_hash().size() != sizeof(Hash)) {
    return Status::InvalidArgument(fmt::format(
        "{}: entry {}: the commit in it says seq {} (prev_hash of {} bytes)", Describe(), seq,
        commit.seq(), commit.prev_hash().size()));
  }
  STRATA_RETURN_IF_ERROR(ValidateCommit(commit).WithContext(fmt::format("entry {}", seq)));
  const Hash hash = Sha256(payload);
  auto r = Run(fmt::format("INSERT INTO {} (log_id, seq, payload, sha256, prev_sha256) VALUES "
                           "($1, $2, $3::bytea, $4::bytea, $5::bytea) ON CONFLICT (log_id, seq) "
                           "DO NOTHING RETURNING seq",
                           table_sql_),
               {options_.log_id, std::to_string(seq), ByteaText(payload),
                ByteaText(HashBytes(hash)), ByteaText(commit.prev_hash())});
  if (options_.after_insert) STRATA_RETURN_IF_ERROR(options_.after_insert(seq));
  if (!r.ok()) {
    if (r.status().code() == Code::kUnavailable) {
      return Status::Unavailable(fmt::format("{}: appending commit {}: {}", Describe(), seq,
                                             r.status().message()));
    }
    if (conn_ && conn_->last_sqlstate() == "23514") {  // check_violation: the chain trigger
      return Status::InvalidArgument(fmt::format("{}: commit {} refused: {}", Describe(), seq,
                                                 r.status().message()));
    }
    return r.status();
  }
  if (r->rows.empty()) {
    return Status::Conflict(fmt::format("{}: commit {} exists already", Describe(), seq));
  }
  return Head{seq, hash, std::nullopt};
}

}  // namespace strata::postgres
