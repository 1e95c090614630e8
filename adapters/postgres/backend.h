// The PostgreSQL backend: migration tracks as the source, databases as targets.
#pragma once

#include "adapters/backend/backend.h"

namespace strata::postgres {

const backend::Backend& TheBackend();

}  // namespace strata::postgres
