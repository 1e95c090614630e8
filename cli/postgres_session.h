// What the PostgreSQL commands (migrate, replay) take from the process: the database of
// `--target T` (or libpq's environment), psql and the environment its children get, and the
// log's name for the PostgreSQL source. Everything else they do is in adapters/postgres.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "adapters/postgres/migration_process.h"
#include "adapters/postgres/target.h"
#include "cli/context.h"

namespace strata::cli {

// Connects to target `target` of strata.yaml (engine: postgres, a dsn), or to libpq's
// environment when none is named. NotFound for a target strata.yaml lacks; InvalidArgument for
// one of another engine or without a dsn; Unavailable when the server cannot be reached.
Result<std::unique_ptr<postgres::PostgresTarget>> OpenPostgresTarget(
    const Context& ctx, const std::optional<std::string>& target);

// The project's PostgreSQL schema source name, or "postgres".
std::string PostgresSchemaName(const Context& ctx);

// psql (`psql` when given, else the first on PATH) and the children's environment: this
// process's, with the connection of `conninfo` laid over it. NotFound when there is no psql.
Result<postgres::ChildSetup> PsqlChildren(const Context& ctx, const std::string& conninfo,
                                          const std::optional<std::string>& psql);

}  // namespace strata::cli
