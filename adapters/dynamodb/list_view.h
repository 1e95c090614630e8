// What `strata list` shows of a DynamoDB target: per table its keys, billing, status, item
// count and whether strata manages it, then one row per index; and the same as JSON.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "adapters/backend/backend.h"
#include "adapters/dynamodb/introspect.h"

namespace strata::dynamodb {

// The mark a protected table carries in backend::LiveObject::marks.
inline constexpr char kDeletionProtectionMark[] = "deletion protection on";

backend::ListView ListTables(const std::vector<LiveTable>& tables,
                             const std::set<std::string>& managed, const std::string& target_text);

}  // namespace strata::dynamodb
