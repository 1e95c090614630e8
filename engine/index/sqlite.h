// A thin RAII layer over SQLite prepared statements, turning SQLite errors into Status.
// Statements are not thread-safe; neither is the connection they belong to.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace strata::sql {

class Statement {
 public:
  Statement(sqlite3* db, std::string_view text);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Ok when the statement compiled; the SQLite error otherwise.
  const Status& status() const { return status_; }

  Statement& Bind(int i, int64_t v);
  Statement& Bind(int i, uint64_t v) { return Bind(i, static_cast<int64_t>(v)); }
  Statement& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Statement& Bind(int i, std::string_view text);
  Statement& BindBlob(int i, std::string_view bytes);

  // true while there is a row; false at the end; an error Status on failure.
  Result<bool> Step();
  // Runs to completion and resets for reuse.
  Status Run();
  void Reset();

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string Text(int col) const;
  std::string_view Blob(int col) const;
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  Status status_;
};

// Runs one or more statements without results.
Status Exec(sqlite3* db, std::string_view sql);
Status Error(sqlite3* db, std::string_view what);

}  // namespace strata::sql
