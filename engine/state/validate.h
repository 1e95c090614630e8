// Validation of events read from the log or built from user input.
//
// An event whose enums are UNSPECIFIED (0), whose oneof is unset, or whose names are empty is
// rejected with InvalidArgument naming the field: UNSPECIFIED is never a default.
#pragma once

#include "engine/status.h"
#include "proto/commit.pb.h"

namespace strata {

Status ValidateEvent(const pb::Event& event);
Status ValidateCommit(const pb::Commit& commit);

// Per-engine halves, each in its own file.
Status ValidateDynamoChange(const pb::DynamoChange& change);
Status ValidateGlueChange(const pb::GlueChange& change);
Status ValidatePostgresChange(const pb::PostgresChange& change);

}  // namespace strata
