#include "engine/diff/diff.h"

#include <fmt/format.h>

namespace strata {

Result<std::vector<pb::Event>> Diff(const pb::SchemaState& a, const pb::SchemaState& b) {
  pb::Engine engine = a.engine() != pb::ENGINE_UNSPECIFIED ? a.engine() : b.engine();
  if (a.engine() != pb::ENGINE_UNSPECIFIED && b.engine() != pb::ENGINE_UNSPECIFIED &&
      a.engine() != b.engine()) {
    return Status::InvalidArgument(fmt::format("cannot diff a {} schema against a {} schema",
                                               pb::Engine_Name(a.engine()),
                                               pb::Engine_Name(b.engine())));
  }
  std::vector<pb::Event> out;
  switch (engine) {
    case pb::ENGINE_DYNAMODB: DiffDynamo(a.dynamodb(), b.dynamodb(), &out); break;
    case pb::ENGINE_GLUE: DiffGlue(a.glue(), b.glue(), &out); break;
    case pb::ENGINE_POSTGRES: DiffPostgres(a.postgres(), b.postgres(), &out); break;
    default: break;  // both empty
  }
  return out;
}

}  // namespace strata
