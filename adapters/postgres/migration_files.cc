// Migration file names, discovery of a migration tree, checksums and `migrate add` templates.
//
// What discovery looks at, per directory (recursively; names starting with '.' are skipped):
//   NAME.sql            a migration; NAME must be {timestamp}_{track}_{description}
//   NAME.check.sql      the SQL validation script of NAME.sql
//   NAME[.EXT]          an executable: the validation script of NAME.sql
// A file that looks like a validation script (`.check.sql`, executable, or a script
// extension such as .sh) for a migration name must have that migration beside it. Everything
// else (README.md, notes, data files) is not a migration and is ignored.
#include "adapters/postgres/migration_files.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "engine/store/commit_store.h"

namespace strata::postgres {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSql = ".sql";
constexpr std::string_view kCheckSql = ".check.sql";
constexpr std::string_view kNoTransaction = "-- strata:no-transaction";
// PostgreSQL cuts identifiers at 63 bytes; "migrations_" takes 11 of them.
constexpr size_t kMaxTrackBytes = 63 - 11;
constexpr char kExpectedForm[] =
    "expected {timestamp}_{track}_{description}.sql, e.g. 20240101120000_core_add_users.sql "
    "(timestamp: digits; track: no '_'; description: may hold '_' and '-')";

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool IsControl(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }

// Why `track` cannot be a track name, or "" when it can.
std::string TrackProblem(std::string_view track) {
  if (track.empty()) return "the track is empty";
  if (track.find('_') != std::string_view::npos) return "a track name cannot hold '_'";
  if (track.front() == '.') return "a track name cannot start with '.'";
  for (char c : track) {
    if (c == '/' || IsControl(c)) return "a track name cannot hold '/' or control characters";
  }
  if (track.size() > kMaxTrackBytes) {
    return fmt::format(
        "track \"{}\" is {} bytes; its history table migrations_{} would exceed PostgreSQL's "
        "63-byte identifiers (at most {} bytes)",
        track, track.size(), track, kMaxTrackBytes);
  }
  return "";
}

Status BadName(std::string_view shown, std::string_view why) {
  return Status::InvalidArgument(fmt::format("{}: {}; {}", shown, why, kExpectedForm));
}

Result<MigrationName> ParseStem(std::string_view stem, std::string_view shown) {
  const size_t first = stem.find('_');
  if (first == std::string_view::npos) return BadName(shown, "no track and description");
  if (first == 0) return BadName(shown, "no timestamp");
  const std::string_view timestamp = stem.substr(0, first);
  if (!std::all_of(timestamp.begin(), timestamp.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return BadName(shown, fmt::format("timestamp \"{}\" is not all digits", timestamp));
  }
  const size_t second = stem.find('_', first + 1);
  if (second == std::string_view::npos) return BadName(shown, "no description");
  const std::string_view track = stem.substr(first + 1, second - first - 1);
  if (std::string why = TrackProblem(track); !why.empty()) return BadName(shown, why);
  const std::string_view description = stem.substr(second + 1);
  if (description.empty()) return BadName(shown, "the description is empty");
  for (char c : description) {
    if (IsControl(c)) return BadName(shown, "the description holds a control character");
  }
  return MigrationName{std::string(timestamp), std::string(track), std::string(description),
                       std::string(stem)};
}

// Timestamps as numbers: leading zeros do not count, a longer number is larger.
int CompareTimestamps(std::string_view a, std::string_view b) {
  auto strip = [](std::string_view s) {
    while (s.size() > 1 && s.front() == '0') s.remove_prefix(1);
    return s;
  };
  a = strip(a);
  b = strip(b);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

Result<std::string> ReadFileBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(fmt::format("{}: cannot read the file", path.string()));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool IsExecutable(const fs::path& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111) != 0;
}

bool HasScriptExtension(std::string_view name) {
  static const std::set<std::string, std::less<>> kScripts = {".sh", ".bash", ".nu", ".py",
                                                               ".rb", ".pl", ".zsh"};
  const size_t dot = name.rfind('.');
  return dot != std::string_view::npos && kScripts.count(name.substr(dot));
}

// One directory's files, sorted, before they are matched up.
struct DirFiles {
  std::vector<fs::path> sql;         // candidate migrations
  std::vector<fs::path> checks;      // NAME.check.sql
  std::vector<fs::path> others;      // everything else (possible executables)
};

Result<std::map<fs::path, DirFiles>> ListTree(const fs::path& root) {
  std::map<fs::path, DirFiles> dirs;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  if (ec) return Status::IoError(fmt::format("{}: cannot list: {}", root.string(), ec.message()));
  for (; it != end; it.increment(ec)) {
    if (ec) return Status::IoError(fmt::format("{}: cannot list: {}", root.string(), ec.message()));
    const fs::path& p = it->path();
    const std::string name = p.filename().string();
    if (name.empty() || name[0] == '.') {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    DirFiles& d = dirs[p.parent_path()];
    if (EndsWith(name, kCheckSql)) d.checks.push_back(p);
    else if (EndsWith(name, kSql)) d.sql.push_back(p);
    else d.others.push_back(p);
  }
  for (auto& [dir, d] : dirs) {
    std::sort(d.sql.begin(), d.sql.end());
    std::sort(d.checks.begin(), d.checks.end());
    std::sort(d.others.begin(), d.others.end());
  }
  return dirs;
}

Result<MigrationFile> LoadMigration(const fs::path& path) {
  MigrationFile m;
  const std::string name = path.filename().string();
  STRATA_ASSIGN_OR_RETURN(m.name, ParseStem(name.substr(0, name.size() - kSql.size()), path.string()));
  m.path = path.string();
  STRATA_ASSIGN_OR_RETURN(std::string bytes, ReadFileBytes(path));
  m.sha256_hex = Sha256Hex(bytes);
  m.md5_hex = Md5Hex(bytes);
  m.no_transaction = HasNoTransactionHeader(bytes);
  m.problems = CheckMigrationSql(bytes, m.no_transaction);
  return m;
}

Status AttachValidation(const ValidationScript& script, const std::string& stem,
                        std::map<std::string, MigrationFile*>& by_stem) {
  auto it = by_stem.find(stem);
  if (it == by_stem.end()) {
    return Status::InvalidArgument(fmt::format(
        "{}: validation script without its migration: no {}.sql beside it; rename or remove it",
        script.path, stem));
  }
  MigrationFile& m = *it->second;
  if (m.validation) {
    return Status::InvalidArgument(fmt::format(
        "{}: migration {} has two validation scripts, {} and {}; keep one", m.path, stem,
        fs::path(m.validation->path).filename().string(), fs::path(script.path).filename().string()));
  }
  m.validation = script;
  return Status::Ok();
}

// Matches the validation scripts of one directory to its migrations.
Status AttachValidations(const DirFiles& d, std::map<std::string, MigrationFile*>& by_stem) {
  for (const fs::path& p : d.checks) {
    const std::string name = p.filename().string();
    const std::string stem = name.substr(0, name.size() - kCheckSql.size());
    STRATA_RETURN_IF_ERROR(AttachValidation({ValidationKind::kCheckSql, p.string()}, stem, by_stem));
  }
  for (const fs::path& p : d.others) {
    const std::string name = p.filename().string();
    const std::string stem = p.has_extension() ? p.stem().string() : name;
    const bool executable = IsExecutable(p);
    if (!executable && !HasScriptExtension(name)) continue;  // notes, data files
    if (!ParseStem(stem, name).ok()) continue;               // not about a migration
    if (!executable && by_stem.count(stem)) {
      return Status::InvalidArgument(fmt::format(
          "{}: validation script is not executable; run chmod +x on it", p.string()));
    }
    STRATA_RETURN_IF_ERROR(AttachValidation({ValidationKind::kExecutable, p.string()}, stem, by_stem));
  }
  return Status::Ok();
}

Status CheckUpperCaseExtension(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".sql" && p.extension() != ".sql") {
    return Status::InvalidArgument(fmt::format(
        "{}: migration files end in lower-case .sql; rename it", p.string()));
  }
  return Status::Ok();
}

}  // namespace

Result<MigrationName> ParseMigrationFileName(std::string_view file_name) {
  if (!EndsWith(file_name, kSql)) return BadName(file_name, "not a .sql file");
  if (EndsWith(file_name, kCheckSql)) {
    return BadName(file_name, "a .check.sql file is a validation script, not a migration");
  }
  return ParseStem(file_name.substr(0, file_name.size() - kSql.size()), file_name);
}

Result<MigrationName> ParseMigrationStem(std::string_view stem) { return ParseStem(stem, stem); }

bool RunsBefore(const MigrationName& a, const MigrationName& b) {
  const int c = CompareTimestamps(a.timestamp, b.timestamp);
  return c != 0 ? c < 0 : a.stem < b.stem;
}

bool TrackRunsBefore(std::string_view a, std::string_view b) {
  if ((a == "core") != (b == "core")) return a == "core";
  return a < b;
}

Result<std::vector<MigrationTrack>> DiscoverTracks(const std::string& root) {
  if (!fs::is_directory(root)) {
    return Status::NotFound(fmt::format("{}: no such directory of migrations", root));
  }
  STRATA_ASSIGN_OR_RETURN(auto dirs, ListTree(fs::absolute(root).lexically_normal()));
  std::map<std::string, MigrationTrack> tracks;
  std::map<std::string, std::string> path_of_stem;
  for (const auto& [dir, d] : dirs) {
    for (const fs::path& p : d.others) STRATA_RETURN_IF_ERROR(CheckUpperCaseExtension(p));
    std::vector<MigrationFile> loaded;
    for (const fs::path& p : d.sql) {
      STRATA_ASSIGN_OR_RETURN(MigrationFile m, LoadMigration(p));
      auto [it, fresh] = path_of_stem.emplace(m.name.stem, m.path);
      if (!fresh) {
        return Status::InvalidArgument(fmt::format(
            "migration {} exists twice, {} and {}; keep one", m.name.stem, it->second, m.path));
      }
      loaded.push_back(std::move(m));
    }
    std::map<std::string, MigrationFile*> by_stem;
    for (MigrationFile& m : loaded) by_stem[m.name.stem] = &m;
    STRATA_RETURN_IF_ERROR(AttachValidations(d, by_stem));
    for (MigrationFile& m : loaded) {
      MigrationTrack& t = tracks[m.name.track];
      t.name = m.name.track;
      t.migrations.push_back(std::move(m));
    }
  }
  std::vector<MigrationTrack> out;
  for (auto& [name, t] : tracks) {
    std::sort(t.migrations.begin(), t.migrations.end(),
              [](const MigrationFile& a, const MigrationFile& b) { return RunsBefore(a.name, b.name); });
    out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end(), [](const MigrationTrack& a, const MigrationTrack& b) {
    return TrackRunsBefore(a.name, b.name);
  });
  return out;
}

bool HasNoTransactionHeader(std::string_view sql) {
  std::istringstream in{std::string(sql)};
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    size_t start = 0;
    while (start < line.size() && std::isspace(static_cast<unsigned char>(line[start]))) ++start;
    std::string_view l = std::string_view(line).substr(start);
    if (l.empty()) continue;
    if (!l.starts_with("--")) return false;  // the leading comments ended
    if (l == kNoTransaction) return true;
  }
  return false;
}

std::string Sha256Hex(std::string_view bytes) { return HashHex(Sha256(bytes)); }

std::string Md5Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_md5(), nullptr);
  std::string out;
  for (unsigned int i = 0; i < len; ++i) out += fmt::format("{:02x}", digest[i]);
  return out;
}

// ---- strata migrate add -------------------------------------------------------------------

std::string TimestampOf(int64_t unix_micros) {
  const time_t seconds = static_cast<time_t>(unix_micros / 1000000);
  struct tm utc;
  gmtime_r(&seconds, &utc);
  char buf[32];
  strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &utc);
  return buf;
}

std::string NextFreeTimestamp(const std::string& wanted, const std::vector<MigrationTrack>& tracks) {
  std::set<std::string> used;
  for (const MigrationTrack& t : tracks) {
    for (const MigrationFile& m : t.migrations) used.insert(m.name.timestamp);
  }
  std::string ts = wanted;
  while (used.count(ts)) {
    // Decimal increment of a digit string of any length.
    size_t i = ts.size();
    while (i > 0 && ts[i - 1] == '9') ts[--i] = '0';
    if (i == 0) ts.insert(ts.begin(), '1');
    else ++ts[i - 1];
  }
  return ts;
}

Result<std::string> DescriptionForFileName(std::string_view description) {
  std::string out;
  bool space = false;
  for (char c : description) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += '_';
    space = false;
    if (c == '/' || IsControl(c)) {
      return Status::InvalidArgument(fmt::format(
          "description \"{}\" cannot hold '/' or control characters", description));
    }
    out += c;
  }
  if (out.empty()) return Status::InvalidArgument("the description is empty; say what the migration does");
  if (out.front() == '.') {
    return Status::InvalidArgument(fmt::format("description \"{}\" cannot start with '.'", out));
  }
  return out;
}

Status CheckTrackName(std::string_view track) {
  if (std::string why = TrackProblem(track); !why.empty()) {
    return Status::InvalidArgument(fmt::format("bad track name \"{}\": {}", track, why));
  }
  return Status::Ok();
}

std::string MigrationTemplate(const MigrationName& name, std::string_view created) {
  return fmt::format(R"(-- {stem}
-- Track {track}, created {created}.
--
-- strata migrate run applies this file with psql (-X -v ON_ERROR_STOP=1) in one transaction
-- together with its row in migrations_{track}: if any statement fails, nothing of it stays.
-- psql variables set for every migration:
--   :migration_name       {stem}
--   :track_name           {track}
--   :migration_timestamp  {timestamp}
--   :execution_id         one UUID per strata migrate run
-- (write :'migration_name' for a quoted literal). A migration that cannot run inside a
-- transaction (CREATE INDEX CONCURRENTLY) needs a header line reading exactly
-- "-- strata:no-transaction" (without the quotes) among these first comment lines.

\echo applying :migration_name (run :execution_id)

-- Your SQL here.
)",
                     fmt::arg("stem", name.stem), fmt::arg("track", name.track),
                     fmt::arg("created", created), fmt::arg("timestamp", name.timestamp));
}

std::string ShellValidationTemplate(const MigrationName& name) {
  return fmt::format(R"(#!/bin/sh
# Pre-flight check for {stem}.sql: strata migrate run runs this before the migration and does
# not apply it when this exits non-zero (the output is shown). It runs in this directory with
# the libpq environment of the run (PGHOST, PGPORT, PGDATABASE, PGUSER, ...), so psql works
# without arguments, and with MIGRATION_NAME, TRACK_NAME, MIGRATION_TIMESTAMP, EXECUTION_ID
# and MIGRATION_FILE set.
set -eu

# Example: refuse to run while a table still holds rows the migration would lose.
# count=$(psql -X -At -c "SELECT count(*) FROM some_table WHERE some_condition")
# [ "$count" -eq 0 ] || {{ echo "$count rows would be lost"; exit 1; }}

exit 0
)",
                     fmt::arg("stem", name.stem));
}

std::string CheckSqlTemplate(const MigrationName& name) {
  return fmt::format(R"(-- Pre-flight check for {stem}.sql, run by psql before the migration inside a
-- transaction that is rolled back. It passes when nothing fails and nothing is printed: write
-- queries that return the offending rows (or raise an error), so an empty result means "go".
-- The migration's psql variables (:migration_name, :track_name, :migration_timestamp,
-- :execution_id) are set here too.

-- Example: rows the migration would reject.
-- SELECT id FROM some_table WHERE some_column IS NULL;
)",
                     fmt::arg("stem", name.stem));
}

}  // namespace strata::postgres
