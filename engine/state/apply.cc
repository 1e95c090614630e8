#include "engine/state/apply.h"

#include <fmt/format.h>

#include "engine/state/object_undo.h"
#include "engine/state/objects.h"

namespace strata {

pb::Engine EngineOf(const pb::Event& event) {
  switch (event.kind_case()) {
    case pb::Event::kDynamodb: return pb::ENGINE_DYNAMODB;
    case pb::Event::kGlue: return pb::ENGINE_GLUE;
    case pb::Event::kPostgres: return pb::ENGINE_POSTGRES;
    case pb::Event::KIND_NOT_SET: break;
  }
  return pb::ENGINE_UNSPECIFIED;
}

Status Apply(const pb::Event& event, pb::SchemaState* state) {
  const pb::Engine engine = EngineOf(event);
  if (engine == pb::ENGINE_UNSPECIFIED) return Status::InvalidArgument("event has no change set");
  const bool fresh = state->engine() == pb::ENGINE_UNSPECIFIED;
  if (fresh) {
    state->set_engine(engine);
  } else if (state->engine() != engine) {
    return Status::InvalidArgument(fmt::format("a {} event cannot apply to a {} schema",
                                               pb::Engine_Name(engine),
                                               pb::Engine_Name(state->engine())));
  }
  Status s = Status::Internal("unreachable engine");
  switch (engine) {
    case pb::ENGINE_DYNAMODB: s = ApplyDynamo(event.dynamodb(), state->mutable_dynamodb()); break;
    case pb::ENGINE_GLUE: s = ApplyGlue(event.glue(), state->mutable_glue()); break;
    case pb::ENGINE_POSTGRES: s = ApplyPostgres(event.postgres(), state->mutable_postgres()); break;
    default: break;
  }
  if (!s.ok() && fresh) state->Clear();  // "unchanged" includes not gaining an engine
  return s;
}

Status ApplyCommit(const pb::Commit& commit, pb::State* state, OnFailure on_failure) {
  if (commit.events_size() == 0) {
    state->set_seq(commit.seq());
    return Status::Ok();
  }
  auto& schemas = *state->mutable_schemas();
  const bool existed = schemas.count(commit.schema()) > 0;
  pb::SchemaState& schema = schemas[commit.schema()];
  // In place, saving each touched object first: all or nothing without copying the schema.
  const bool restore = on_failure == OnFailure::kRestore;
  ObjectUndo undo;
  for (int i = 0; i < commit.events_size(); ++i) {
    if (restore) {
      for (const std::string& object : TouchedObjects(commit.events(i), schema)) {
        undo.Save(schema, object);
      }
    }
    Status s = Apply(commit.events(i), &schema);
    if (!s.ok()) {
      if (restore && existed) undo.Restore(&schema);
      if (restore && !existed) schemas.erase(commit.schema());
      return s.WithContext(fmt::format("commit {} event {}", commit.seq(), i + 1));
    }
  }
  state->set_seq(commit.seq());
  return Status::Ok();
}

}  // namespace strata
