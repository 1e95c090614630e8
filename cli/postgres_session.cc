#include "cli/postgres_session.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <vector>

extern char** environ;

namespace strata::cli {
namespace fs = std::filesystem;

namespace {

Result<backend::TargetSpec> PostgresSpec(const Context& ctx, const std::string& name) {
  auto it = ctx.project.targets.find(name);
  if (it == ctx.project.targets.end()) {
    return Status::NotFound(fmt::format(
        "no target \"{}\" in {}", name,
        ctx.project.config_path.empty() ? "the project (no strata.yaml)"
                                        : ctx.project.config_path));
  }
  if (it->second.engine != "postgres") {
    return Status::InvalidArgument(fmt::format(
        "target {} is not a PostgreSQL target; give it engine: postgres and a dsn", name));
  }
  return ResolveTarget(it->second, ctx.getenv);
}

std::vector<std::string> ProcessEnvironment() {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e) out.emplace_back(*e);
  return out;
}

// Debian's psql on PATH is pg_wrapper, a Perl script that picks a client version and then
// starts it, which costs more than most migrations. It picks the newest client for a server
// that is not a local cluster of its own, so that one is taken here directly.
std::string PastPgWrapper(const fs::path& psql) {
  std::error_code ec;
  if (fs::canonical(psql, ec).filename() != "pg_wrapper" || ec) return psql.string();
  std::string best;
  int best_version = -1;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const std::string version = entry.path().filename().string();
    const fs::path candidate = entry.path() / "bin" / "psql";
    if (version.empty() || version.find_first_not_of("0123456789.") != std::string::npos) continue;
    if (::access(candidate.c_str(), X_OK) != 0) continue;
    const int major = std::atoi(version.c_str());
    if (major > best_version) {
      best_version = major;
      best = candidate.string();
    }
  }
  return best.empty() ? psql.string() : best;
}

Result<std::string> FindPsql(const Context& ctx, const std::optional<std::string>& psql) {
  if (psql) return fs::absolute(*psql).string();
  std::istringstream dirs(ctx.getenv("PATH").value_or("/usr/bin:/bin"));
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const fs::path p = fs::path(dir.empty() ? "." : dir) / "psql";
    if (::access(p.c_str(), X_OK) == 0) return PastPgWrapper(fs::absolute(p));
  }
  return Status::NotFound(
      "psql not found on PATH; install the PostgreSQL client (postgresql-client) or pass --psql");
}

}  // namespace

Result<std::unique_ptr<postgres::PostgresTarget>> OpenPostgresTarget(
    const Context& ctx, const std::optional<std::string>& target) {
  backend::TargetSpec spec;  // no name: libpq's environment
  spec.engine = pb::ENGINE_POSTGRES;
  if (target) {
    STRATA_ASSIGN_OR_RETURN(spec, PostgresSpec(ctx, *target));
  }
  return postgres::PostgresTarget::Open(spec);
}

std::string PostgresSchemaName(const Context& ctx) {
  for (const auto& [name, source] : ctx.project.schemas) {
    if (source.engine == pb::ENGINE_POSTGRES) return name;
  }
  return "postgres";
}

Result<postgres::ChildSetup> PsqlChildren(const Context& ctx, const std::string& conninfo,
                                          const std::optional<std::string>& psql) {
  STRATA_ASSIGN_OR_RETURN(std::string path, FindPsql(ctx, psql));
  return postgres::MakeChildSetup(path, conninfo, ProcessEnvironment());
}

}  // namespace strata::cli
