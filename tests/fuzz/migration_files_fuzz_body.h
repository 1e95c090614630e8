// The check every fuzz input of the migration file readers goes through (migration_files_fuzz.cc
// and the seed replay, fuzz_seeds_test.cc). The input's first line is a file name, the rest the
// file's SQL. The contract (adapters/postgres/migration_files.h, migration_sql_check.h):
//   - ParseMigrationFileName gives the parts of {timestamp}_{track}_{description}.sql (digits; a
//     track CheckTrackName accepts; a description) whose stem parses the same, or
//     InvalidArgument starting with the name;
//   - the name `migrate add` would make from the first line as the description (and as the
//     track) parses back to those parts;
//   - the SQL checks never crash: every problem has a line of the text, in order, and a
//     message; the statements SplitMigrationSql finds lie in the text, in order, apart.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include "adapters/postgres/migration_files.h"
#include "adapters/postgres/migration_sql_check.h"

namespace strata::fuzz {

inline std::string MigrationNameViolation(std::string_view name) {
  using namespace postgres;
  Result<MigrationName> parsed = ParseMigrationFileName(name);
  if (!parsed.ok()) {
    if (parsed.status().code() != Code::kInvalidArgument ||
        !parsed.status().message().starts_with(std::string(name) + ": ")) {
      return "a bad name's error is not InvalidArgument \"NAME: ...\": " + parsed.status().ToString();
    }
    return "";
  }
  const MigrationName& m = *parsed;
  if (m.timestamp.empty() || !std::all_of(m.timestamp.begin(), m.timestamp.end(),
                                          [](char c) { return c >= '0' && c <= '9'; })) {
    return "a parsed timestamp is not all digits: " + m.timestamp;
  }
  if (!CheckTrackName(m.track).ok()) return "a parsed track is not a track name: " + m.track;
  if (m.description.empty()) return "a parsed name has no description";
  if (m.stem + ".sql" != name) return "the stem is not the name without .sql: " + m.stem;
  if (m.timestamp + "_" + m.track + "_" + m.description != m.stem) {
    return "the parts do not make up the stem: " + m.stem;
  }
  Result<MigrationName> stem = ParseMigrationStem(m.stem);
  if (!stem.ok() || stem->timestamp != m.timestamp || stem->track != m.track ||
      stem->description != m.description) {
    return "the stem does not parse to the same parts: " + m.stem;
  }
  if (RunsBefore(m, m)) return "a migration runs before itself";
  return "";
}

// `migrate add`'s name for `description` on `track` parses back to them.
inline std::string AddedNameViolation(std::string_view track, std::string_view description) {
  using namespace postgres;
  if (!CheckTrackName(track).ok()) return "";
  Result<std::string> shown = DescriptionForFileName(description);
  if (!shown.ok()) return "";
  const std::string name = "20260301120000_" + std::string(track) + "_" + *shown + ".sql";
  Result<MigrationName> parsed = ParseMigrationFileName(name);
  if (!parsed.ok()) return "a name migrate add would make does not parse: " + name;
  if (parsed->track != track || parsed->description != *shown) {
    return "a name migrate add would make parses to other parts: " + name;
  }
  return "";
}

inline std::string MigrationSqlViolation(std::string_view sql) {
  using namespace postgres;
  const int lines = 1 + static_cast<int>(std::count(sql.begin(), sql.end(), '\n'));
  const bool no_transaction = HasNoTransactionHeader(sql);
  int last_line = 0;
  for (const SqlProblem& p : CheckMigrationSql(sql, no_transaction)) {
    if (p.line < 1 || p.line > lines) return "a problem on a line the text does not have";
    if (p.line < last_line) return "problems out of line order";
    if (p.message.empty()) return "a problem without a message";
    last_line = p.line;
  }
  const SqlSplit split = SplitMigrationSql(sql);
  size_t end = 0;
  for (const SqlStatement& s : split.statements) {
    if (s.begin < end || s.end < s.begin || s.end > sql.size()) {
      return "a statement outside the text or overlapping the one before";
    }
    if (s.line < 1 || s.line > lines) return "a statement on a line the text does not have";
    end = s.end;
  }
  if (split.psql_line != 0 && (split.psql_line < 1 || split.psql_line > lines ||
                               split.psql_reason.empty())) {
    return "a reason to need psql without a line of the text or a reason";
  }
  return "";
}

inline std::string MigrationFilesViolation(std::string_view input) {
  const size_t newline = input.find('\n');
  const std::string_view name = input.substr(0, newline);
  const std::string_view sql =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  for (std::string violation :
       {MigrationNameViolation(name), AddedNameViolation("core", name), AddedNameViolation(name, "x"),
        MigrationSqlViolation(sql)}) {
    if (!violation.empty()) return violation;
  }
  return "";
}

}  // namespace strata::fuzz
