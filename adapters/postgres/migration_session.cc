#include "adapters/postgres/migration_session.h"

#include <libpq-fe.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "adapters/postgres/connection.h"
#include "adapters/postgres/libpq_loader.h"

namespace strata::postgres {
namespace {

std::string Trimmed(const char* message) { return TrimLibpqMessage(message); }

// A server message as psql prints it at its default verbosity, without the LINE/caret
// excerpt (the line number heading it says where): "ERROR:  text" and its DETAIL, HINT and
// CONTEXT.
std::string MessageOf(const PGresult* res, PGconn* conn) {
  const char* severity = PQresultErrorField(res, PG_DIAG_SEVERITY);
  const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
  if (primary == nullptr) return Trimmed(PQerrorMessage(conn)) + "\n";
  std::string out = fmt::format("{}:  {}\n", severity ? severity : "ERROR", primary);
  const std::pair<int, const char*> extras[] = {
      {PG_DIAG_MESSAGE_DETAIL, "DETAIL"}, {PG_DIAG_MESSAGE_HINT, "HINT"}, {PG_DIAG_CONTEXT, "CONTEXT"}};
  for (const auto& [field, label] : extras) {
    if (const char* text = PQresultErrorField(res, field)) {
      out += fmt::format("{}:  {}\n", label, Trimmed(text));
    }
  }
  return out;
}

// The line of the character at 1-based `position` (counted in characters, as the server
// does, of UTF-8 text) of a statement that starts on `first_line`.
int LineOfPosition(std::string_view statement, int first_line, long position) {
  int line = first_line;
  long chars = 0;
  for (char c : statement) {
    const bool starts_char = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (starts_char && ++chars >= position) break;
    if (c == '\n') ++line;
  }
  return line;
}

}  // namespace

struct MigrationSession::Impl {
  PGconn* conn = nullptr;
  std::string* output = nullptr;  // where notices go while a migration runs
  std::string prefix;             // "FILE:LINE: " of the statement running
  ~Impl() {
    if (conn) PQfinish(conn);
  }
};

MigrationSession::MigrationSession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MigrationSession::~MigrationSession() = default;

Result<std::unique_ptr<MigrationSession>> MigrationSession::Open(const std::string& conninfo) {
  if (Status loaded = LoadLibpq(); !loaded.ok()) return loaded;
  // psql's client encoding: PGCLIENTENCODING, else the locale's ("auto"), unless the conninfo
  // names one.
  bool conninfo_sets_encoding = false;
  if (!conninfo.empty()) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
    if (err) PQfreemem(err);
    for (PQconninfoOption* o = opts; o && o->keyword; ++o) {
      if (std::strcmp(o->keyword, "client_encoding") == 0 && o->val && *o->val) {
        conninfo_sets_encoding = true;
      }
    }
    if (opts) PQconninfoFree(opts);
  }
  const bool auto_encoding = !conninfo_sets_encoding && std::getenv("PGCLIENTENCODING") == nullptr;
  const char* keywords[] = {"dbname", "fallback_application_name",
                            auto_encoding ? "client_encoding" : nullptr, nullptr};
  const char* values[] = {conninfo.empty() ? nullptr : conninfo.c_str(), "strata", "auto",
                          nullptr};
  auto impl = std::make_unique<Impl>();
  impl->conn = PQconnectdbParams(keywords, values, 1);
  if (impl->conn == nullptr) return Status::Unavailable("connecting to PostgreSQL: out of memory");
  if (PQstatus(impl->conn) != CONNECTION_OK) {
    return Status::Unavailable(fmt::format("cannot open the connection that runs migrations: {}",
                                           Trimmed(PQerrorMessage(impl->conn))));
  }
  PQsetNoticeReceiver(
      impl->conn,
      [](void* arg, const PGresult* res) {
        auto* self = static_cast<Impl*>(arg);
        if (self->output) *self->output += self->prefix + MessageOf(res, self->conn);
      },
      impl.get());
  return std::unique_ptr<MigrationSession>(new MigrationSession(std::move(impl)));
}

bool MigrationSession::splits_like_psql() const {
  const char* std_strings = PQparameterStatus(impl_->conn, "standard_conforming_strings");
  return std_strings != nullptr && std::strcmp(std_strings, "on") == 0;
}

namespace {

// Sends one statement and reads every result. False, with the error in `output` headed by
// the line it points at, when the server refused it; Unavailable when the connection is gone.
Result<bool> Execute(PGconn* conn, std::string_view text, std::string_view display_path,
                     int first_line, int last_line, std::string& prefix, std::string& output) {
  prefix = fmt::format("{}:{}: ", display_path, last_line);
  const std::string query(text);
  bool ok = true;
  if (PQsendQuery(conn, query.c_str()) == 1) {
    while (PGresult* res = PQgetResult(conn)) {
      switch (PQresultStatus(res)) {
        case PGRES_COMMAND_OK:
        case PGRES_EMPTY_QUERY:
          break;
        case PGRES_TUPLES_OK:
          for (int r = 0; r < PQntuples(res); ++r) {
            for (int c = 0; c < PQnfields(res); ++c) {
              if (c > 0) output += '|';
              output.append(PQgetvalue(res, r, c), PQgetlength(res, r, c));
            }
            output += '\n';
          }
          break;
        case PGRES_COPY_IN:  // the split sends COPY FROM STDIN to psql; refuse if one slips by
          PQputCopyEnd(conn, "strata runs COPY FROM STDIN only through psql");
          break;
        case PGRES_COPY_OUT: {
          char* buffer = nullptr;
          while (PQgetCopyData(conn, &buffer, 0) > 0) PQfreemem(buffer);
          break;
        }
        default: {
          ok = false;
          int line = last_line;
          if (const char* pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION)) {
            line = LineOfPosition(text, first_line, std::strtol(pos, nullptr, 10));
          }
          output += fmt::format("{}:{}: {}", display_path, line, MessageOf(res, conn));
          break;
        }
      }
      PQclear(res);
    }
  } else {
    ok = false;
  }
  if (PQstatus(conn) == CONNECTION_BAD) {
    return Status::Unavailable(fmt::format("the connection running {} was lost: {}",
                                           display_path, Trimmed(PQerrorMessage(conn))));
  }
  if (!ok && output.empty()) {
    output += fmt::format("{}:{}: {}\n", display_path, last_line, Trimmed(PQerrorMessage(conn)));
  }
  return ok;
}

}  // namespace

Result<SessionOutcome> MigrationSession::Run(std::string_view display_path, std::string_view sql,
                                             const SqlSplit& split, bool in_transaction,
                                             std::string_view history_insert_sql) {
  SessionOutcome out;
  PGconn* conn = impl_->conn;
  impl_->output = &out.output;
  struct Detach {
    Impl* impl;
    ~Detach() { impl->output = nullptr; }
  } detach{impl_.get()};
  std::string& prefix = impl_->prefix;
  auto control = [&](std::string_view statement, int line) -> Result<bool> {
    return Execute(conn, statement, display_path, line, line, prefix, out.output);
  };
  const int last_line = static_cast<int>(std::count(sql.begin(), sql.end(), '\n')) + 1;

  bool ok = true;
  if (in_transaction) {
    STRATA_ASSIGN_OR_RETURN(ok, control("BEGIN", 1));
  }
  for (size_t i = 0; ok && i < split.statements.size(); ++i) {
    const SqlStatement& s = split.statements[i];
    const std::string_view text = sql.substr(s.begin, s.end - s.begin);
    const int end_line = s.line + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    STRATA_ASSIGN_OR_RETURN(ok, Execute(conn, text, display_path, s.line, end_line, prefix,
                                        out.output));
  }
  if (in_transaction && ok) {
    STRATA_ASSIGN_OR_RETURN(ok, control(history_insert_sql, last_line));
    if (ok) {
      STRATA_ASSIGN_OR_RETURN(ok, control("COMMIT", last_line));
    }
  }
  if (PQtransactionStatus(conn) != PQTRANS_IDLE) {
    // A failed migration's transaction, or a block a no-transaction file left open at its
    // failure: psql's exit would end the session and roll it back.
    STRATA_ASSIGN_OR_RETURN(bool rolled_back, control("ROLLBACK", last_line));
    (void)rolled_back;
  }
  // The next migration starts in a fresh session, as with a new psql: a new connection. Not
  // DISCARD ALL on this one: a migration's own tiny statement_timeout (or lock_timeout) can
  // cancel the DISCARD, or, on a loaded server, the statement after it.
  PQreset(conn);
  out.exit_code = ok ? 0 : 3;
  return out;
}

}  // namespace strata::postgres
