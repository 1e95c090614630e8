// One-line descriptions of PostgreSQL changes where the generic, field-named one says too little
// ("set table storage" without saying what storage): `log`, `diff`, `blame` and the capture's
// messages show them. Pure functions.
#pragma once

#include <optional>
#include <string>

#include "proto/postgres.pb.h"

namespace strata::postgres {

// "set storage: unlogged, fillfactor=70", "inherit from app.a, app.b", "create aggregate", ...;
// nullopt for the changes the generic description covers well.
std::optional<std::string> DescribePostgresChange(const pb::PostgresChange& change);

}  // namespace strata::postgres
