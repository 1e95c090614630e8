// Execution: runs a Plan's Glue calls in order, and drops tables.
//
// Glue's catalog calls take effect at once, so nothing is waited for: objects are handled one
// after another, each object's operations in plan order, blocked objects skipped, and the first
// failure stops everything (nothing runs after it). A step whose goal another writer reached
// in between counts as done: a database that exists by the time CreateDatabase runs, a table
// already gone when DeleteTable runs. Blocking; progress callbacks run on the calling thread.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "adapters/backend/backend.h"
#include "adapters/glue/errors.h"
#include "adapters/glue/plan.h"

namespace strata::glue {

using ProgressFn = std::function<void(const backend::Progress&)>;

backend::ExecuteReport Execute(const Catalog& catalog, const Plan& plan,
                               const ProgressFn& progress);

// Deletes the named tables ("sales.orders", folded to lower case; DeleteTable each, in the
// order given). Checks them all first: a database name is FailedPrecondition (strata never
// deletes databases) and a missing table NotFound; nothing is deleted when a check fails.
backend::ExecuteReport DropTables(const Catalog& catalog, const std::vector<std::string>& names,
                                  const ProgressFn& progress);

// Why strata does not delete the database `name`, and what to do instead.
std::string DatabaseDropRefusal(const std::string& name);

}  // namespace strata::glue
