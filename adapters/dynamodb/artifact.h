// The readable migration artifact `generate` writes beside each DynamoDB commit:
// {"version":1,"seq":N,"name":..,"message":..,"time":..,"operations":[...]}, one operation per
// event ({"op":"create_table","table":"orders","definition":{CreateTable input}}, ...), and the
// choice of its file name, NNNN_<name>.json. For people and reviews; the log stays the record.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/status.h"
#include "proto/commit.pb.h"

namespace strata::dynamodb {

struct ArtifactMetadata {
  uint64_t seq = 0;
  std::string name;     // short name, e.g. "add_orders_by_status"
  std::string message;  // the commit message
  std::string time;     // as the caller formats it, e.g. "2026-03-01T12:00:00Z"
};

// Returns InvalidArgument "event N: ..." (N 1-based) when an event is not a DynamoDB change
// or fails ValidateEvent.
Result<nlohmann::ordered_json> RenderArtifact(const std::vector<pb::Event>& events,
                                              const ArtifactMetadata& metadata);
// RenderArtifact as text: two-space indent, trailing newline. Same errors.
Result<std::string> RenderArtifactText(const std::vector<pb::Event>& events,
                                       const ArtifactMetadata& metadata);

// One operation object for one change; never fails (an unset change gives {"op":"unknown"}).
nlohmann::ordered_json RenderOperation(const pb::DynamoChange& change);

// `name` lowercased with every run of characters outside [a-z0-9_] turned into one '_',
// trimmed of '_' at both ends and cut to 64 characters; "migration" when nothing is left.
std::string SanitizeArtifactName(std::string_view name);

// The next artifact file name after `existing` (file names, not paths): NNNN_<sanitized>.json
// with NNNN one more than the largest number in a name of the form NNNN_*.json or NNNN.json,
// 0000 when there is none. Never fails.
std::string NextArtifactFileName(const std::vector<std::string>& existing, std::string_view name);

// NextArtifactFileName over the files in `dir`; a missing `dir` counts as empty. Returns
// IoError when `dir` exists but cannot be listed.
Result<std::string> NextArtifactFileNameIn(const std::filesystem::path& dir,
                                           std::string_view name);

}  // namespace strata::dynamodb
