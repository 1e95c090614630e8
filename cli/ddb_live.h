// The live side of a DynamoDB target for list, drop, import and export: its tables read with
// progress on stderr, and the target as it appears in JSON output.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "adapters/dynamodb/introspect.h"
#include "cli/aws_target.h"
#include "cli/context.h"

namespace strata::cli {

// Every live table of `target` (or just `only`, each of which must exist), sorted by name.
// Notes progress on stderr when there are many. NotFound naming the first table of `only`
// that is not there; the service's errors with the target named.
Result<std::vector<dynamodb::LiveTable>> ReadLiveTables(
    const Context& ctx, DynamoTarget& target, const std::optional<std::vector<std::string>>& only);

// {"name": ..., "endpoint": ..., "region": ...}; name is null for the AWS environment.
nlohmann::ordered_json TargetJson(const DynamoTarget& target);

// "target dev (http://127.0.0.1:8000, us-east-1)" or "http://... (us-east-1)".
std::string TargetText(const DynamoTarget& target);

}  // namespace strata::cli
