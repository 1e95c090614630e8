#include "adapters/dynamodb/resource_policy.h"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>

#include <nlohmann/json.hpp>

namespace strata::dynamodb {
namespace {

using nlohmann::json;

// A value IAM treats as a set: one value or a list, in any order. Always a sorted list
// without repeats.
json AsSet(const json& value) {
  if (!value.is_array()) return json::array({value});
  std::vector<json> items(value.begin(), value.end());
  std::sort(items.begin(), items.end(),
            [](const json& a, const json& b) { return a.dump() < b.dump(); });
  items.erase(std::unique(items.begin(), items.end()), items.end());
  return json(items);
}

void SetsIn(json* object, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    auto it = object->find(key);
    if (it != object->end()) *it = AsSet(*it);
  }
}

// {"AWS": "arn"} and {"AWS": ["arn"]} are the same principal; "*" on its own is kept.
void NormalizePrincipal(json* principal) {
  if (!principal->is_object()) return;
  for (auto& [kind, value] : principal->items()) value = AsSet(value);
}

// {"StringEquals": {"aws:PrincipalTag/team": "a"}}: each condition value is a set.
void NormalizeCondition(json* condition) {
  if (!condition->is_object()) return;
  for (auto& [op, keys] : condition->items()) {
    if (!keys.is_object()) continue;
    for (auto& [key, value] : keys.items()) value = AsSet(value);
  }
}

Status NormalizeStatement(json* statement, size_t index) {
  if (!statement->is_object()) {
    return Status::InvalidArgument(fmt::format(
        "resource policy statement {} is {}, not an object; write each statement as "
        "{{\"Effect\": ..., \"Action\": ..., ...}}",
        index + 1, statement->type_name()));
  }
  SetsIn(statement, {"Action", "NotAction", "Resource", "NotResource"});
  for (const char* key : {"Principal", "NotPrincipal"}) {
    auto it = statement->find(key);
    if (it != statement->end()) NormalizePrincipal(&*it);
  }
  auto condition = statement->find("Condition");
  if (condition != statement->end()) NormalizeCondition(&*condition);
  return Status::Ok();
}

}  // namespace

Result<std::string> NormalizeResourcePolicy(const std::string& text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return Status::InvalidArgument(
        "resource policy is not valid JSON; write the policy document as JSON text");
  }
  if (!doc.is_object()) {
    return Status::InvalidArgument(fmt::format(
        "resource policy is a JSON {}, not a policy document; write "
        "{{\"Version\": \"2012-10-17\", \"Statement\": [...]}}",
        doc.type_name()));
  }
  auto statements = doc.find("Statement");
  if (statements == doc.end()) {
    return Status::InvalidArgument(
        "resource policy has no Statement; a policy document needs \"Statement\": [...]");
  }
  if (!statements->is_array()) *statements = json::array({*statements});
  for (size_t i = 0; i < statements->size(); ++i) {
    STRATA_RETURN_IF_ERROR(NormalizeStatement(&(*statements)[i], i));
  }
  *statements = AsSet(*statements);  // statement order and repeats do not matter
  std::string normalized = doc.dump();
  if (normalized.size() > kMaxResourcePolicyBytes) {
    return Status::InvalidArgument(fmt::format(
        "resource policy is {} bytes even without spaces; DynamoDB accepts at most {}, so "
        "split the permissions or move some to identity-based policies",
        normalized.size(), kMaxResourcePolicyBytes));
  }
  return normalized;
}

std::string PrettyResourcePolicy(const std::string& normalized) {
  json doc = json::parse(normalized, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return normalized;
  return doc.dump(2);
}

}  // namespace strata::dynamodb
