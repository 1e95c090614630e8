// Schema files against the log head, shared by generate, status, plan and push: what the files
// want, the events that would record it, and recording them as one commit with its artifacts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/context.h"
#include "cli/history.h"

namespace strata::cli {

// What the schema files want, against what the log holds, for one schema source.
struct Pending {
  const SchemaSource* source = nullptr;
  pb::SchemaState desired;
  std::vector<pb::Event> events;  // empty: the files match the log head
  uint64_t head_seq = 0;
};

// Loads `source`'s files and diffs the log head against them. NotFound when the schema
// directory is missing; the files' own parse errors (FILE:LINE) otherwise.
Result<Pending> ComputePending(const Context& ctx, History& history, const SchemaSource& source);

// The schema source named `schema`, or the project's first dynamodb one. NotFound otherwise.
Result<const SchemaSource*> PickDynamoSchema(const Context& ctx,
                                             const std::optional<std::string>& schema);

struct RecordOptions {
  pb::Origin origin = pb::ORIGIN_GENERATE;
  std::string message;  // empty: one made from the changes
  std::string name;     // the artifact's name; empty: the message, else one from the changes
};
struct Recorded {
  StoredCommit stored;
  std::string artifact;  // absolute path of the numbered artifact written
};
// Appends p.events as one commit, then writes the numbered artifact and snapshot.json. When
// the artifacts cannot be written, the commit stays (the log is the truth) and the error says so.
Result<Recorded> RecordPending(const Context& ctx, const Pending& p, const RecordOptions& options);

}  // namespace strata::cli
