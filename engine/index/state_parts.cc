#include "engine/index/state_parts.h"

#include <fmt/format.h>

#include "engine/state/apply.h"
#include "engine/state/fragments.h"
#include "engine/state/objects.h"

namespace strata {

pb::State* JoinParts(StateParts& parts) {
  if (parts.second != nullptr) {
    auto& from = *parts.second->mutable_schemas();
    if (auto it = from.find(parts.split_schema); it != from.end()) {
      MergeDisjoint(&it->second, &(*parts.first->mutable_schemas())[parts.split_schema]);
    }
    parts.second = nullptr;
    parts.split_schema.clear();
    parts.pivot.clear();
  }
  return parts.first;
}

Status ApplyCommitToParts(const pb::Commit& c, StateParts* parts) {
  if (parts->second == nullptr || c.schema() != parts->split_schema || c.events_size() == 0) {
    return ApplyCommit(c, parts->first, OnFailure::kDiscard);
  }
  // Both parts hold the split schema, with its engine: it was restored from a checkpoint.
  pb::SchemaState& first = (*parts->first->mutable_schemas())[c.schema()];
  pb::SchemaState& second = (*parts->second->mutable_schemas())[c.schema()];
  for (int i = 0; i < c.events_size(); ++i) {
    const pb::Event& e = c.events(i);
    const bool later =
        e.kind_case() == pb::Event::kDynamodb && DynamoTableOf(e.dynamodb()) >= parts->pivot;
    Status s = Apply(e, later ? &second : &first);
    if (!s.ok()) return s.WithContext(fmt::format("commit {} event {}", c.seq(), i + 1));
  }
  parts->first->set_seq(c.seq());
  return Status::Ok();
}

}  // namespace strata
