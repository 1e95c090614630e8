// Reaching a PostgreSQL target from the cli: the connection string of `--target T` (or the
// libpq environment), psql for children, and the log's name for the PostgreSQL source.
#pragma once

#include <optional>
#include <string>

#include "adapters/postgres/migration_process.h"
#include "cli/context.h"
#include "proto/commit.pb.h"

namespace strata::cli {

// The dsn of target `target` in strata.yaml (engine: postgres), or "" for the libpq
// environment when no target is named. NotFound / InvalidArgument naming the target.
Result<std::string> PostgresConninfo(const Context& ctx, const std::optional<std::string>& target);

// The project's PostgreSQL schema source name, or "postgres".
std::string PostgresSchemaName(const Context& ctx);

// An introspected catalog as the engine's schema state (for Diff against recorded states).
inline pb::SchemaState PostgresState(pb::PostgresSchema schema) {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_POSTGRES);
  *s.mutable_postgres() = std::move(schema);
  return s;
}

struct PostgresChildren {
  postgres::ChildSetup setup;
};
// psql (`psql` when given, else from PATH) and the children's environment for `conninfo`.
Result<PostgresChildren> OpenPostgresChildren(const Context& ctx, const std::string& conninfo,
                                              const std::optional<std::string>& psql);

}  // namespace strata::cli
