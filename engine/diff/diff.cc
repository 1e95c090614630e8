#include "engine/diff/diff.h"

#include <fmt/format.h>

namespace strata {
namespace {

Result<pb::Engine> EngineOfPair(const pb::SchemaState& a, const pb::SchemaState& b) {
  if (a.engine() != pb::ENGINE_UNSPECIFIED && b.engine() != pb::ENGINE_UNSPECIFIED &&
      a.engine() != b.engine()) {
    return Status::InvalidArgument(fmt::format("cannot diff a {} schema against a {} schema",
                                               pb::Engine_Name(a.engine()),
                                               pb::Engine_Name(b.engine())));
  }
  return a.engine() != pb::ENGINE_UNSPECIFIED ? a.engine() : b.engine();
}

}  // namespace

Result<std::vector<pb::Event>> Diff(const pb::SchemaState& a, const pb::SchemaState& b) {
  STRATA_ASSIGN_OR_RETURN(pb::Engine engine, EngineOfPair(a, b));
  std::vector<pb::Event> out;
  switch (engine) {
    case pb::ENGINE_DYNAMODB: DiffDynamo(a.dynamodb(), b.dynamodb(), &out); break;
    case pb::ENGINE_GLUE: DiffGlue(a.glue(), b.glue(), &out); break;
    case pb::ENGINE_POSTGRES: DiffPostgres(a.postgres(), b.postgres(), &out); break;
    default: break;  // both empty
  }
  return out;
}

Status DiffInBatches(const pb::SchemaState& a, const pb::SchemaState& b, size_t batch_objects,
                     const DiffSink& sink, DiffPart part) {
  STRATA_ASSIGN_OR_RETURN(pb::Engine engine, EngineOfPair(a, b));
  if (engine == pb::ENGINE_DYNAMODB) {
    return DiffDynamoInBatches(a.dynamodb(), b.dynamodb(), batch_objects, sink, part);
  }
  if (part.index != 0) return Status::Ok();
  STRATA_ASSIGN_OR_RETURN(std::vector<pb::Event> all, Diff(a, b));
  return all.empty() ? Status::Ok() : sink(all);
}

}  // namespace strata
