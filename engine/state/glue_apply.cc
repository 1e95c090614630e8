// Placeholder until the Glue state model lands.
#include "engine/state/apply.h"
#include "engine/state/objects.h"
#include "engine/state/validate.h"

namespace strata {
Status ApplyGlue(const pb::GlueChange&, pb::GlueSchema*) { return Status::Unimplemented("glue apply"); }
Status ValidateGlueChange(const pb::GlueChange&) { return Status::Unimplemented("glue validate"); }
}  // namespace strata
namespace strata {
void TouchedGlue(const pb::GlueChange&, const pb::GlueSchema&, std::vector<std::string>*) {}
}  // namespace strata
