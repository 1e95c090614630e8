#include "adapters/dynamodb/live_fields.h"

#include <algorithm>
#include <cstdint>

namespace strata::dynamodb {

using nlohmann::json;

// To manage a setting, change its role to kManaged (or add it so) in these lists.
const std::vector<KnownField> kTableFields = {
    {"TableName", FieldRole::kManaged},
    {"KeySchema", FieldRole::kManaged},
    {"AttributeDefinitions", FieldRole::kManaged},
    {"BillingModeSummary", FieldRole::kManaged},
    {"ProvisionedThroughput", FieldRole::kManaged},
    {"GlobalSecondaryIndexes", FieldRole::kManaged},
    {"LocalSecondaryIndexes", FieldRole::kManaged},
    {"StreamSpecification", FieldRole::kManaged},
    {"TableClassSummary", FieldRole::kManaged},
    {"DeletionProtectionEnabled", FieldRole::kManaged},
    {"SSEDescription", FieldRole::kManaged},
    {"OnDemandThroughput", FieldRole::kManaged},
    {"WarmThroughput", FieldRole::kManaged},
    {"Replicas", FieldRole::kManaged},
    {"GlobalTableVersion", FieldRole::kState},
    {"TableStatus", FieldRole::kState},
    {"CreationDateTime", FieldRole::kState},
    {"TableSizeBytes", FieldRole::kState},
    {"ItemCount", FieldRole::kState},
    {"TableArn", FieldRole::kState},
    {"TableId", FieldRole::kState},
    {"LatestStreamLabel", FieldRole::kState},
    {"LatestStreamArn", FieldRole::kState},
    {"ArchivalSummary", FieldRole::kState},
    {"RestoreSummary", FieldRole::kState},
};

const std::vector<KnownField> kGlobalIndexFields = {
    {"IndexName", FieldRole::kManaged},
    {"KeySchema", FieldRole::kManaged},
    {"Projection", FieldRole::kManaged},
    {"ProvisionedThroughput", FieldRole::kManaged},
    {"OnDemandThroughput", FieldRole::kManaged},
    {"WarmThroughput", FieldRole::kManaged},
    {"IndexStatus", FieldRole::kState},
    {"Backfilling", FieldRole::kState},
    {"IndexSizeBytes", FieldRole::kState},
    {"ItemCount", FieldRole::kState},
    {"IndexArn", FieldRole::kState},
};

const std::vector<KnownField> kLocalIndexFields = {
    {"IndexName", FieldRole::kManaged},
    {"KeySchema", FieldRole::kManaged},
    {"Projection", FieldRole::kManaged},
    {"IndexSizeBytes", FieldRole::kState},
    {"ItemCount", FieldRole::kState},
    {"IndexArn", FieldRole::kState},
};

namespace {

// What a new table or index gets without asking (the service's documented starting values).
constexpr int64_t kDefaultWarmReads = 12000;
constexpr int64_t kDefaultWarmWrites = 4000;

bool Known(const std::vector<KnownField>& fields, const std::string& name) {
  return std::any_of(fields.begin(), fields.end(),
                     [&](const KnownField& f) { return f.name == name; });
}

int64_t Number(const json& object, const char* key) {
  if (!object.is_object()) return 0;
  auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<int64_t>() : 0;
}

// Warm throughput is reported for every table and index; only a value above what a new
// one starts with (the default, or its provisioned capacity when higher) was set by someone.
bool WarmAtDefault(const json& warm, const json& owner) {
  const json& provisioned = owner.value("ProvisionedThroughput", json::object());
  return Number(warm, "ReadUnitsPerSecond") <=
             std::max(kDefaultWarmReads, Number(provisioned, "ReadCapacityUnits")) &&
         Number(warm, "WriteUnitsPerSecond") <=
             std::max(kDefaultWarmWrites, Number(provisioned, "WriteCapacityUnits"));
}

bool SaysNothing(const std::string& name, const json& value, const json& owner) {
  if (value.is_null()) return true;
  if ((value.is_array() || value.is_object()) && value.empty()) return true;
  if (name == "WarmThroughput") return WarmAtDefault(value, owner);
  return false;
}

void Collect(const json& object, const std::vector<KnownField>& known, const std::string& prefix,
             std::vector<std::string>* out) {
  if (!object.is_object()) return;
  for (const auto& [name, value] : object.items()) {
    if (Known(known, name) || SaysNothing(name, value, object)) continue;
    out->push_back(prefix + name);
  }
}

void CollectIndexes(const json& table, const char* key, const char* noun,
                    const std::vector<KnownField>& known, std::vector<std::string>* out) {
  auto list = table.find(key);
  if (list == table.end() || !list->is_array()) return;
  for (const auto& index : *list) {
    const std::string name = index.is_object() ? index.value("IndexName", "") : "";
    Collect(index, known, std::string(noun) + " " + name + ": ", out);
  }
}

}  // namespace

std::vector<std::string> UnmanagedFields(const json& table) {
  std::vector<std::string> out;
  if (!table.is_object()) return out;
  Collect(table, kTableFields, "", &out);
  CollectIndexes(table, "GlobalSecondaryIndexes", "global index", kGlobalIndexFields, &out);
  CollectIndexes(table, "LocalSecondaryIndexes", "local index", kLocalIndexFields, &out);
  return out;
}

}  // namespace strata::dynamodb
