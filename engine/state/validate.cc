#include "engine/state/validate.h"

#include <fmt/format.h>

namespace strata {

Status ValidateEvent(const pb::Event& event) {
  switch (event.kind_case()) {
    case pb::Event::kDynamodb: return ValidateDynamoChange(event.dynamodb());
    case pb::Event::kGlue: return ValidateGlueChange(event.glue());
    case pb::Event::kPostgres: return ValidatePostgresChange(event.postgres());
    case pb::Event::KIND_NOT_SET: break;
  }
  return Status::InvalidArgument("event: no change set (kind is UNSPECIFIED)");
}

Status ValidateCommit(const pb::Commit& commit) {
  if (commit.seq() == 0) return Status::InvalidArgument("commit: seq 0 is not valid");
  if (commit.origin() == pb::ORIGIN_UNSPECIFIED) {
    return Status::InvalidArgument(fmt::format("commit {}: origin is UNSPECIFIED", commit.seq()));
  }
  if (commit.events_size() > 0 && commit.schema().empty()) {
    return Status::InvalidArgument(fmt::format("commit {}: events without a schema name", commit.seq()));
  }
  for (int i = 0; i < commit.events_size(); ++i) {
    Status s = ValidateEvent(commit.events(i));
    if (!s.ok()) return s.WithContext(fmt::format("commit {} event {}", commit.seq(), i + 1));
  }
  return Status::Ok();
}

}  // namespace strata
