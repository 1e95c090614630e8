// Placeholder until the Postgres diff lands.
#include "engine/diff/diff.h"

namespace strata {
void DiffPostgres(const pb::PostgresSchema&, const pb::PostgresSchema&, std::vector<pb::Event>*) {}
}  // namespace strata
