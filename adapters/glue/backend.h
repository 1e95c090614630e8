// The Glue backend: one CREATE EXTERNAL TABLE per file (<database>/<table>.sql) as the desired
// state, the tables of a Glue Data Catalog as targets (what Athena queries), plans with Glue's
// rules (plan.h: changed in place through UpdateTable, read-modify-write, never dropped and
// created again to change them), execution (execute.h), and DDL as the tables' text form.
// Registered in adapters/backend.
#pragma once

#include "adapters/backend/backend.h"

namespace strata::glue {

const backend::Backend& TheBackend();

}  // namespace strata::glue
