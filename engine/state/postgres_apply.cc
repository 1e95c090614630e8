// Placeholder until the Postgres state model lands.
#include "engine/state/apply.h"
#include "engine/state/objects.h"
#include "engine/state/validate.h"

namespace strata {
Status ApplyPostgres(const pb::PostgresChange&, pb::PostgresSchema*) { return Status::Unimplemented("postgres apply"); }
Status ValidatePostgresChange(const pb::PostgresChange&) { return Status::Unimplemented("postgres validate"); }
}  // namespace strata
namespace strata {
void TouchedPostgres(const pb::PostgresChange&, std::vector<std::string>*) {}
}  // namespace strata
