// The PostgreSQL backend: schema files are migrations ({timestamp}_{track}_{description}.sql,
// run by strata migrate), not a desired state, so there is nothing to generate or plan; the
// log learns the schema from what each migration changed (capture.h). Targets are databases
// read by introspecting the catalog (target.h); objects are shown as DDL. Registered in
// adapters/backend.
#pragma once

#include "adapters/backend/backend.h"

namespace strata::postgres {

const backend::Backend& TheBackend();

}  // namespace strata::postgres
