// Recording what a declarative schema source's files want, shared by generate and push: against
// whatever head the log has when the commit is appended, load the files (after reading that
// head), diff, record one commit, and write the backend's artifacts beside it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/context.h"
#include "engine/state/object_filter.h"

namespace strata::cli {

struct GenerateRequest {
  pb::Origin origin = pb::ORIGIN_GENERATE;  // or ORIGIN_PUSH
  std::string message;  // empty: one made from the changes
  std::string name;     // the artifact's name; empty: the message, else one from the changes
  // push -t: only the changes to the objects it selects (and what they live in) are recorded.
  ObjectFilter filter;
};

struct Generated {
  std::vector<pb::Event> events;   // empty: the files match the log
  uint64_t head_seq = 0;           // the head they were compared with
  std::optional<StoredCommit> stored;
  std::vector<std::string> artifacts;  // absolute paths written beside the commit
  // Another writer appended first and the changes were recomputed against its commit.
  bool rebased = false;
};

// Loads `source`'s files (NotFound when the directory is missing; the files' own errors) and
// records the changes they hold against the log head as one commit (with a filter, those of
// the objects it selects; InvalidArgument when a pattern selects none), recomputed (the files read
// again) if another writer appends first (a second identical generate records nothing). When
// the artifacts cannot be written, the commit stays (the log is the truth) and the error says
// so.
Result<Generated> RecordFiles(const Context& ctx, const SchemaSource& source,
                              const GenerateRequest& request);

// What the files would record, without recording (dry runs, status).
Result<Generated> PendingFiles(const Context& ctx, const SchemaSource& source);

}  // namespace strata::cli
