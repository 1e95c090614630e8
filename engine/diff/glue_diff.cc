// Placeholder until the Glue diff lands.
#include "engine/diff/diff.h"

namespace strata {
void DiffGlue(const pb::GlueSchema&, const pb::GlueSchema&, std::vector<pb::Event>*) {}
}  // namespace strata
