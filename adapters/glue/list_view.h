// What `strata list` shows of a Glue target: one row per table (its columns, partition keys,
// storage format, location, and whether strata manages it), and the same as JSON items, each
// with its database.
#pragma once

#include <set>
#include <string>

#include "adapters/backend/backend.h"
#include "adapters/glue/introspect.h"

namespace strata::glue {

backend::ListView ListTables(const LiveCatalog& catalog, const std::set<std::string>& managed,
                             const std::string& target_text);

}  // namespace strata::glue
