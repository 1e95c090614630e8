// The lines people read about renames, partitions, server-reset definitions and fallback
// objects: "rename column title to name", "attach partition of public.payment FOR VALUES ...",
// "detach partition", "definition: CREATE INDEX ...", "create operator (kept as its definition)".
#pragma once

#include <optional>

#include "adapters/backend/backend.h"
#include "proto/postgres.pb.h"

namespace strata::postgres {

// The text and sign of such a change; nullopt for any other change.
std::optional<backend::ChangeText> DescribeIdentityChange(const pb::PostgresChange& change);

}  // namespace strata::postgres
