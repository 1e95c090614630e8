// A connection to one PostgreSQL database over libpq, with results as plain strings.
//
// Connection parameters come from a libpq conninfo string or URI; what it leaves out comes from
// libpq's own environment (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSERVICE, the
// service file and .pgpass), which the caller controls. Not thread-safe: one connection per
// thread. Every error names the server ("127.0.0.1:5432/app") and carries libpq's message.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace strata::postgres {

// Rows of text values; NULL is std::nullopt.
struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;

  // The index of a column by name; -1 when absent.
  int Column(std::string_view name) const;
};

// A libpq message without its trailing newline and spaces (one line where possible).
std::string TrimLibpqMessage(const char* message);

// A parameter of Exec: text, or NULL.
using Param = std::optional<std::string>;

class Connection {
 public:
  // Connects; Unavailable (naming host, port and database, and libpq's reason) on failure.
  // `conninfo` may be empty (everything from the environment), "key=value ..." or a URI.
  static Result<std::unique_ptr<Connection>> Open(const std::string& conninfo);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement (with $1.. parameters when `params` is non-empty) and returns its rows.
  // FailedPrecondition (with the server's message and the server named; the SQLSTATE is in
  // last_sqlstate()) when the server refuses it; Unavailable when the connection is lost.
  Result<QueryResult> Exec(std::string_view sql, const std::vector<Param>& params = {});
  // Like Exec, but the statement is prepared once per connection and executed by name from
  // then on, so that the server parses and plans it once: for statements run again and again
  // with the same text. At most kMaxPrepared are kept; past that it is Exec.
  Result<QueryResult> ExecPrepared(const std::string& sql, const std::vector<Param>& params = {});
  static constexpr size_t kMaxPrepared = 256;
  // Runs one or more statements without parameters, discarding results.
  Status ExecScript(std::string_view sql);

  // The SQLSTATE of the last failed statement ("" after a success).
  const std::string& last_sqlstate() const { return last_sqlstate_; }
  // "host:port/dbname" of the server actually connected to.
  const std::string& description() const { return description_; }
  // The server's version number, e.g. 150018.
  int server_version() const;
  // True inside a transaction block (BEGIN ... not yet committed), failed ones included.
  bool in_transaction() const;
  // Quotes an identifier for SQL text ("my table" -> "\"my table\"").
  static std::string QuoteIdent(std::string_view name);
  // Quotes a literal for SQL text ('it''s').
  static std::string QuoteLiteral(std::string_view value);

 private:
  struct Impl;
  explicit Connection(std::unique_ptr<Impl> impl);
  Status ErrorFromResult(void* result, std::string_view what) const;
  // The rows of a successful result, or its error; clears it.
  Result<QueryResult> Take(void* result);

  std::unique_ptr<Impl> impl_;
  std::string description_;
  std::string last_sqlstate_;
};

}  // namespace strata::postgres
