#include "adapters/postgres/connection.h"

#include <libpq-fe.h>

#include <fmt/format.h>

#include <unordered_map>

#include "adapters/postgres/libpq_loader.h"

namespace strata::postgres {
namespace {

std::string Trimmed(const char* message) { return TrimLibpqMessage(message); }

// What the caller asked for, for a connection that never came up.
std::string TargetOf(const std::string& conninfo) {
  char* err = nullptr;
  PQconninfoOption* opts = conninfo.empty() ? PQconndefaults() : PQconninfoParse(conninfo.c_str(), &err);
  if (err) PQfreemem(err);
  std::string host, port, db, user;
  if (opts) {
    PQconninfoOption* defaults = PQconndefaults();
    auto value = [&](const char* key) -> std::string {
      for (PQconninfoOption* o = opts; o->keyword; ++o) {
        if (std::string_view(o->keyword) == key && o->val && *o->val) return o->val;
      }
      for (PQconninfoOption* o = defaults; o && o->keyword; ++o) {
        if (std::string_view(o->keyword) == key && o->val && *o->val) return o->val;
      }
      return "";
    };
    host = value("host");
    if (host.empty()) host = value("hostaddr");
    port = value("port");
    db = value("dbname");
    user = value("user");
    PQconninfoFree(defaults);
    PQconninfoFree(opts);
  }
  if (host.empty()) host = "local socket";
  if (port.empty()) port = "5432";
  if (db.empty()) db = user.empty() ? "(default database)" : user;
  return fmt::format("{}:{}/{}", host, port, db);
}

}  // namespace

std::string TrimLibpqMessage(const char* message) {
  std::string m = message ? message : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

struct Connection::Impl {
  PGconn* conn = nullptr;
  std::unordered_map<std::string, std::string> prepared;  // statement text -> name
  ~Impl() {
    if (conn) PQfinish(conn);
  }
};

int QueryResult::Column(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return static_cast<int>(i);
  }
  return -1;
}

Connection::Connection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  const char* host = PQhost(impl_->conn);
  std::string h = host && *host ? host : "local socket";
  if (!h.empty() && h[0] == '/') h = "socket " + h;
  description_ = fmt::format("{}:{}/{}", h, PQport(impl_->conn), PQdb(impl_->conn));
}

Connection::~Connection() = default;

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& conninfo) {
  if (Status loaded = LoadLibpq(); !loaded.ok()) return loaded;
  auto impl = std::make_unique<Impl>();
  // expand_dbname=1 lets `dbname` carry a whole conninfo or URI.
  const char* keywords[] = {"dbname", "fallback_application_name", nullptr};
  const char* values[] = {conninfo.empty() ? nullptr : conninfo.c_str(), "strata", nullptr};
  impl->conn = PQconnectdbParams(keywords, values, 1);
  if (impl->conn == nullptr) {
    return Status::Unavailable("connecting to PostgreSQL: out of memory");
  }
  if (PQstatus(impl->conn) != CONNECTION_OK) {
    return Status::Unavailable(fmt::format("cannot connect to PostgreSQL at {}: {}",
                                           TargetOf(conninfo),
                                           Trimmed(PQerrorMessage(impl->conn))));
  }
  // Quiet NOTICEs: they would go to stderr behind the CLI's back.
  PQsetNoticeProcessor(impl->conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<Connection>(new Connection(std::move(impl)));
}

Status Connection::ErrorFromResult(void* result, std::string_view what) const {
  auto* res = static_cast<PGresult*>(result);
  if (PQstatus(impl_->conn) == CONNECTION_BAD) {
    return Status::Unavailable(fmt::format("{}: connection to {} lost: {}", what, description_,
                                           Trimmed(PQerrorMessage(impl_->conn))));
  }
  const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const char* detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : nullptr;
  std::string message = primary ? primary : Trimmed(PQerrorMessage(impl_->conn));
  if (detail) message += fmt::format(" ({})", detail);
  return Status::FailedPrecondition(fmt::format("{} on {}: {}", what, description_, message));
}

Result<QueryResult> Connection::Exec(std::string_view sql, const std::vector<Param>& params) {
  last_sqlstate_.clear();
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& p : params) values.push_back(p ? p->c_str() : nullptr);
  const std::string text(sql);
  PGresult* res = PQexecParams(impl_->conn, text.c_str(), static_cast<int>(params.size()), nullptr,
                               values.data(), nullptr, nullptr, 0);
  return Take(res);
}

Result<QueryResult> Connection::ExecPrepared(const std::string& sql,
                                             const std::vector<Param>& params) {
  auto it = impl_->prepared.find(sql);
  if (it == impl_->prepared.end()) {
    if (impl_->prepared.size() >= kMaxPrepared) return Exec(sql, params);
    last_sqlstate_.clear();
    const std::string name = fmt::format("strata_q{}", impl_->prepared.size());
    PGresult* res = PQprepare(impl_->conn, name.c_str(), sql.c_str(),
                              static_cast<int>(params.size()), nullptr);
    Result<QueryResult> prepared = Take(res);
    if (!prepared.ok()) return prepared.status();
    it = impl_->prepared.emplace(sql, name).first;
  }
  last_sqlstate_.clear();
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& p : params) values.push_back(p ? p->c_str() : nullptr);
  PGresult* res = PQexecPrepared(impl_->conn, it->second.c_str(), static_cast<int>(params.size()),
                                 values.data(), nullptr, nullptr, 0);
  return Take(res);
}

Result<QueryResult> Connection::Take(void* result) {
  auto* res = static_cast<PGresult*>(result);
  const ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    last_sqlstate_ = state ? state : "";
    Status s = ErrorFromResult(res, "query");
    PQclear(res);
    return s;
  }
  QueryResult out;
  const int ncols = PQnfields(res);
  const int nrows = PQntuples(res);
  out.columns.reserve(ncols);
  for (int c = 0; c < ncols; ++c) out.columns.emplace_back(PQfname(res, c));
  out.rows.resize(nrows);
  for (int r = 0; r < nrows; ++r) {
    auto& row = out.rows[r];
    row.reserve(ncols);
    for (int c = 0; c < ncols; ++c) {
      if (PQgetisnull(res, r, c)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(std::string(PQgetvalue(res, r, c), PQgetlength(res, r, c)));
      }
    }
  }
  PQclear(res);
  return out;
}

Status Connection::ExecScript(std::string_view sql) {
  last_sqlstate_.clear();
  const std::string text(sql);
  PGresult* res = PQexec(impl_->conn, text.c_str());
  const ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK && status != PGRES_EMPTY_QUERY) {
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    last_sqlstate_ = state ? state : "";
    Status s = ErrorFromResult(res, "statement");
    PQclear(res);
    return s;
  }
  PQclear(res);
  return Status::Ok();
}

int Connection::server_version() const { return PQserverVersion(impl_->conn); }

bool Connection::in_transaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(impl_->conn);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

std::string Connection::QuoteIdent(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Connection::QuoteLiteral(std::string_view value) {
  // E'' with doubled backslashes reads the same whatever standard_conforming_strings says.
  const bool escape = value.find('\\') != std::string_view::npos;
  std::string out = escape ? "E'" : "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

}  // namespace strata::postgres
