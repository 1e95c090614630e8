// Resource-based policies of DynamoDB tables, in the one normalised form strata keeps them in.
//
// A policy is an IAM policy document. Two documents IAM reads the same normalise to the same
// text, so the model, the diff and drift compare policies by string equality. What is
// normalised (and nothing else) is listed in docs/dynamodb-table-files.md:
//   - whitespace and object key order (the text is compact JSON with keys sorted);
//   - `Statement` given as one object or as a list;
//   - in each statement, `Action`, `NotAction`, `Resource`, `NotResource`, each value under
//     `Principal`/`NotPrincipal` (`AWS`, `Service`, ...) and each condition value: a single
//     value or a list of values, in any order, with or without repeats;
//   - the order of statements (and repeated identical statements).
// Case is kept as written (IAM matches action names without regard to case, but ARNs and
// condition values with it), and `"Principal": "*"` stays distinct from `{"AWS": "*"}`.
// Pure functions.
#pragma once

#include <string>

#include "engine/status.h"

namespace strata::dynamodb {

// The largest policy DynamoDB accepts, in bytes, whitespace included.
inline constexpr size_t kMaxResourcePolicyBytes = 20 * 1024;

// The normalised form of a policy document given as JSON text. InvalidArgument, with a message
// that says what is wrong and can follow a location ("...: resource policy ..."), when the text
// is not JSON, not an object, has no Statement, a statement is not an object, or the
// normalised policy is larger than kMaxResourcePolicyBytes.
Result<std::string> NormalizeResourcePolicy(const std::string& text);

// The normalised policy indented for people and files (two spaces, keys sorted). Returns the
// text unchanged if it is not JSON.
std::string PrettyResourcePolicy(const std::string& normalized);

}  // namespace strata::dynamodb
