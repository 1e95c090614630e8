// JsonReader reads the input field by field, each through a JsonAt that carries the value and
// its JSON pointer, so every error can name its line. Attribute definitions are read first and
// then marked as keys use them: a key without a definition, or a definition no key uses, is an
// error, as in DynamoDB. nlohmann's exceptions (a shape no check foresaw) stop at
// ReadCreateTable.
#include "adapters/dynamodb/create_table_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "adapters/dynamodb/resource_policy.h"
#include "adapters/dynamodb/suggest.h"
#include "adapters/dynamodb/table_rules.h"
#include "engine/state/canonical.h"

namespace strata::dynamodb::internal {
namespace {

using nlohmann::json;
using Pointer = JsonDocument::Pointer;

constexpr Vocabulary kJsonWords{
    "ProvisionedThroughput", "ProvisionedThroughput", "BillingMode PROVISIONED",
    "BillingMode PAY_PER_REQUEST", "ProjectionType INCLUDE", "NonKeyAttributes",
    "a RANGE element in KeySchema", "OnDemandThroughput", "WarmThroughput",
    R"("WarmThroughput": {{"ReadUnitsPerSecond": {}, "WriteUnitsPerSecond": {}}})", "ReplicaUpdates",
    "StreamSpecification { StreamEnabled: true, StreamViewType: NEW_AND_OLD_IMAGES }",
    "ProvisionedThroughputOverride", "OnDemandThroughputOverride"};

constexpr EnumWord<pb::DynamoBillingMode> kJsonBilling[] = {
    {"PROVISIONED", pb::DYNAMO_BILLING_MODE_PROVISIONED},
    {"PAY_PER_REQUEST", pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST},
};
constexpr EnumWord<pb::DynamoStreamViewType> kJsonStreams[] = {
    {"KEYS_ONLY", pb::DYNAMO_STREAM_KEYS_ONLY},
    {"NEW_IMAGE", pb::DYNAMO_STREAM_NEW_IMAGE},
    {"OLD_IMAGE", pb::DYNAMO_STREAM_OLD_IMAGE},
    {"NEW_AND_OLD_IMAGES", pb::DYNAMO_STREAM_NEW_AND_OLD_IMAGES},
};
constexpr EnumWord<pb::DynamoTableClass> kJsonTableClasses[] = {
    {"STANDARD", pb::DYNAMO_TABLE_CLASS_STANDARD},
    {"STANDARD_INFREQUENT_ACCESS", pb::DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS},
};
constexpr EnumWord<pb::DynamoContributorInsightsMode> kJsonInsightsModes[] = {
    {"ACCESSED_AND_THROTTLED_KEYS", pb::DYNAMO_CONTRIBUTOR_INSIGHTS_ACCESSED_AND_THROTTLED_KEYS},
    {"THROTTLED_KEYS", pb::DYNAMO_CONTRIBUTOR_INSIGHTS_THROTTLED_KEYS},
};
constexpr EnumWord<pb::DynamoTimestampPrecision> kJsonPrecisions[] = {
    {"MILLISECOND", pb::DYNAMO_TIMESTAMP_PRECISION_MILLISECOND},
    {"MICROSECOND", pb::DYNAMO_TIMESTAMP_PRECISION_MICROSECOND},
};
constexpr EnumWord<pb::DynamoProjectionType> kJsonProjections[] = {
    {"ALL", pb::DYNAMO_PROJECTION_TYPE_ALL},
    {"KEYS_ONLY", pb::DYNAMO_PROJECTION_TYPE_KEYS_ONLY},
    {"INCLUDE", pb::DYNAMO_PROJECTION_TYPE_INCLUDE},
};

const KeyList kJsonTableKeys = {
    "AttributeDefinitions", "TableName", "KeySchema", "LocalSecondaryIndexes",
    "GlobalSecondaryIndexes", "BillingMode", "ProvisionedThroughput", "StreamSpecification",
    "Tags", "TableClass", "DeletionProtectionEnabled", "TimeToLiveSpecification",
    "SSESpecification", "OnDemandThroughput", "WarmThroughput", "ResourcePolicy",
    "PointInTimeRecoverySpecification", "ContributorInsightsSpecification",
    "KinesisStreamSpecification", "ReplicaUpdates"};
const KeyList kJsonReplicaUpdateKeys = {"Create"};
const KeyList kJsonReplicaKeys = {"RegionName", "KMSMasterKeyId", "ProvisionedThroughputOverride",
                                  "OnDemandThroughputOverride", "GlobalSecondaryIndexes",
                                  "TableClassOverride"};
const KeyList kJsonReplicaIndexKeys = {"IndexName", "ProvisionedThroughputOverride",
                                       "OnDemandThroughputOverride"};
const KeyList kJsonReadOverrideKeys = {"ReadCapacityUnits"};
const KeyList kJsonMaxReadOverrideKeys = {"MaxReadRequestUnits"};
// CreateTable fields strata does not model: rejected rather than silently dropped.
const KeyList kJsonUnmanagedKeys = {};
const KeyList kJsonGlobalIndexKeys = {"IndexName", "KeySchema", "Projection",
                                      "ProvisionedThroughput", "OnDemandThroughput",
                                      "WarmThroughput", "ContributorInsightsSpecification"};
const KeyList kJsonInsightsKeys = {"Enabled", "Mode"};
const KeyList kJsonKinesisKeys = {"StreamArn", "ApproximateCreationDateTimePrecision"};
const KeyList kJsonSseKeys = {"Enabled", "SSEType", "KMSMasterKeyId"};
const KeyList kJsonOnDemandKeys = {"MaxReadRequestUnits", "MaxWriteRequestUnits"};
const KeyList kJsonWarmKeys = {"ReadUnitsPerSecond", "WriteUnitsPerSecond"};
// The alias DynamoDB's own KMS key goes by in every account: naming it is the AWS-managed key.
constexpr std::string_view kManagedKeyAlias = "alias/aws/dynamodb";
const KeyList kJsonLocalIndexKeys = {"IndexName", "KeySchema", "Projection"};
const KeyList kJsonAttributeKeys = {"AttributeName", "AttributeType"};
const KeyList kJsonKeyElementKeys = {"AttributeName", "KeyType"};
const KeyList kJsonThroughputKeys = {"ReadCapacityUnits", "WriteCapacityUnits"};
const KeyList kJsonProjectionKeys = {"ProjectionType", "NonKeyAttributes"};
const KeyList kJsonStreamKeys = {"StreamEnabled", "StreamViewType"};
const KeyList kJsonTagKeys = {"Key", "Value"};
const KeyList kJsonTtlKeys = {"AttributeName", "Enabled"};
const KeyList kJsonRecoveryKeys = {"PointInTimeRecoveryEnabled", "RecoveryPeriodInDays"};

// A value inside the document and where it is.
struct JsonAt {
  const json* value;
  Pointer pointer;

  bool Has(std::string_view key) const {
    return value->is_object() && value->contains(key);
  }
  JsonAt operator[](std::string_view key) const {
    return {&value->at(std::string(key)), pointer / std::string(key)};
  }
  JsonAt operator[](size_t i) const { return {&value->at(i), pointer / i}; }
};

class JsonReader {
 public:
  JsonReader(const JsonDocument& doc, const Pointer& where)
      : doc_(doc), root_{&doc.root().at(where), where} {}

  Result<pb::DynamoTable> Read();

 private:
  struct Definition {
    pb::DynamoAttributeType type = pb::DYNAMO_ATTRIBUTE_TYPE_UNSPECIFIED;
    Pointer pointer;
    bool used = false;
  };

  Status Error(const JsonAt& at, std::string_view message) const {
    return doc_.ErrorAt(at.pointer, message);
  }
  Status Object(const JsonAt& at, std::string_view context, const KeyList& allowed) const;
  Status Array(const JsonAt& at, std::string_view what) const;
  Result<std::string> String(const JsonAt& at, std::string_view what) const;
  Result<bool> Bool(const JsonAt& at, std::string_view what) const;
  template <typename E, size_t N>
  Status Enum(const JsonAt& at, std::string_view what, const EnumWord<E> (&words)[N],
              E* out) const;
  Status Required(const JsonAt& parent, std::string_view key, std::string_view context) const;

  Status Definitions();
  Status KeyElement(const JsonAt& at, std::string_view context, std::string* name,
                    std::string* key_type);
  Status KeySchema(const JsonAt& at, std::string_view context, pb::DynamoKeySchema* out,
                   int* sort_key_line);
  Status Throughput(const JsonAt& at, std::string_view context, pb::DynamoThroughput* out) const;
  Status Projection(const JsonAt& parent, std::string_view context, pb::DynamoProjection* out,
                    int* line) const;
  Status OnDemand(const JsonAt& at, std::string_view context,
                  pb::DynamoOnDemandThroughput* out) const;
  Status Warm(const JsonAt& at, std::string_view context, pb::DynamoWarmThroughput* out) const;
  Status Encryption(const JsonAt& at);
  Status Billing();
  Status GlobalIndex(const JsonAt& at);
  Status LocalIndex(const JsonAt& at);
  template <typename Each>
  Status IndexList(std::string_view key, int* line, Each each);
  Status Stream();
  Status Settings();
  Status Tags(const JsonAt& at);
  Status TimeToLive(const JsonAt& at);
  Status Recovery(const JsonAt& at);
  Status Policy(const JsonAt& at);
  Status Insights(const JsonAt& at, std::string_view context,
                  pb::DynamoContributorInsights* out, bool* on) const;
  Status Destination(const JsonAt& at, std::map<std::string, int>* seen);
  Status Destinations(const JsonAt& at);
  Status Replicas(const JsonAt& at);
  Status Replica(const JsonAt& at);
  Result<int64_t> Override(const JsonAt& parent, std::string_view key, std::string_view field,
                           const KeyList& keys, int* line) const;
  Status Unused() const;

  const JsonDocument& doc_;
  JsonAt root_;
  pb::DynamoTable table_;
  TablePlaces places_;
  std::map<std::string, Definition> definitions_;
};

std::string_view JsonKindName(const json& v) {
  switch (v.type()) {
    case json::value_t::object: return "an object";
    case json::value_t::array: return "a list";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "true/false";
    case json::value_t::null: return "null";
    default: return "a number";
  }
}

Status JsonReader::Object(const JsonAt& at, std::string_view context,
                          const KeyList& allowed) const {
  if (!at.value->is_object()) {
    return Error(at, fmt::format("{} must be an object, not {}", context,
                                 JsonKindName(*at.value)));
  }
  for (const auto& member : at.value->items()) {
    const std::string& key = member.key();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    return Error(at[key], UnknownKeyMessage(key, context, allowed));
  }
  return Status::Ok();
}

Status JsonReader::Array(const JsonAt& at, std::string_view what) const {
  if (at.value->is_array()) return Status::Ok();
  return Error(at, fmt::format("{} must be a list, not {}", what, JsonKindName(*at.value)));
}

Result<std::string> JsonReader::String(const JsonAt& at, std::string_view what) const {
  if (at.value->is_string()) return at.value->get<std::string>();
  return Error(at, fmt::format("{} must be a string, not {}", what, JsonKindName(*at.value)));
}

Result<bool> JsonReader::Bool(const JsonAt& at, std::string_view what) const {
  if (at.value->is_boolean()) return at.value->get<bool>();
  return Error(at, fmt::format("{} must be true or false, not {}", what,
                               JsonKindName(*at.value)));
}

template <typename E, size_t N>
Status JsonReader::Enum(const JsonAt& at, std::string_view what, const EnumWord<E> (&words)[N],
                        E* out) const {
  STRATA_ASSIGN_OR_RETURN(std::string word, String(at, what));
  if (LookUp(words, word, /*any_case=*/false, out)) return Status::Ok();
  return Error(at, UnknownValueMessage(what, word, WordsOf(words)));
}

Status JsonReader::Required(const JsonAt& parent, std::string_view key,
                            std::string_view context) const {
  if (parent.Has(key)) return Status::Ok();
  return Error(parent, fmt::format("{} is missing {}", context, key));
}

Status JsonReader::Definitions() {
  if (!root_.Has("AttributeDefinitions")) return Status::Ok();
  JsonAt list = root_["AttributeDefinitions"];
  STRATA_RETURN_IF_ERROR(Array(list, "AttributeDefinitions"));
  for (size_t i = 0; i < list.value->size(); ++i) {
    JsonAt def = list[i];
    STRATA_RETURN_IF_ERROR(Object(def, "AttributeDefinitions", kJsonAttributeKeys));
    STRATA_RETURN_IF_ERROR(Required(def, "AttributeName", "attribute definition"));
    STRATA_RETURN_IF_ERROR(Required(def, "AttributeType", "attribute definition"));
    STRATA_ASSIGN_OR_RETURN(std::string name, String(def["AttributeName"], "AttributeName"));
    STRATA_ASSIGN_OR_RETURN(std::string type_word, String(def["AttributeType"], "AttributeType"));
    pb::DynamoAttributeType type = pb::DYNAMO_ATTRIBUTE_TYPE_UNSPECIFIED;
    if (!LookUp(kAttributeTypes, type_word, /*any_case=*/false, &type)) {
      return Error(def["AttributeType"], BadTypeMessage(type_word));
    }
    if (std::string problem = AttributeNameProblem(name); !problem.empty()) {
      return Error(def["AttributeName"], problem);
    }
    auto [it, fresh] = definitions_.emplace(name, Definition{type, def.pointer});
    if (!fresh) {
      return Error(def, fmt::format("attribute \"{}\" is defined twice (first at line {})", name,
                                    doc_.LineOf(it->second.pointer)));
    }
  }
  return Status::Ok();
}

Status JsonReader::KeyElement(const JsonAt& at, std::string_view context, std::string* name,
                              std::string* key_type) {
  STRATA_RETURN_IF_ERROR(Object(at, fmt::format("{} KeySchema", context), kJsonKeyElementKeys));
  STRATA_RETURN_IF_ERROR(Required(at, "AttributeName", "KeySchema element"));
  STRATA_RETURN_IF_ERROR(Required(at, "KeyType", "KeySchema element"));
  STRATA_ASSIGN_OR_RETURN(*name, String(at["AttributeName"], "AttributeName"));
  STRATA_ASSIGN_OR_RETURN(*key_type, String(at["KeyType"], "KeyType"));
  if (*key_type != "HASH" && *key_type != "RANGE") {
    return Error(at["KeyType"], UnknownValueMessage("KeyType", *key_type, {"HASH", "RANGE"}));
  }
  auto def = definitions_.find(*name);
  if (def == definitions_.end()) {
    return Error(at["AttributeName"],
                 fmt::format("key attribute \"{}\" has no type; add {{\"AttributeName\": \"{}\", "
                             "\"AttributeType\": \"S\"}} (or N, B) to AttributeDefinitions",
                             *name, *name));
  }
  def->second.used = true;
  return Status::Ok();
}

// [{HASH}] or [{HASH}, {RANGE}], in that order, as DynamoDB requires.
Status JsonReader::KeySchema(const JsonAt& at, std::string_view context,
                             pb::DynamoKeySchema* out, int* sort_key_line) {
  STRATA_RETURN_IF_ERROR(Array(at, fmt::format("{} KeySchema", context)));
  const size_t n = at.value->size();
  if (n < 1 || n > 2) {
    return Error(at, fmt::format("{} KeySchema must hold a HASH element and optionally a RANGE "
                                 "element; it has {}",
                                 context, n));
  }
  for (size_t i = 0; i < n; ++i) {
    std::string name, key_type;
    STRATA_RETURN_IF_ERROR(KeyElement(at[i], context, &name, &key_type));
    const char* expected = i == 0 ? "HASH" : "RANGE";
    if (key_type != expected) {
      return Error(at[i]["KeyType"], fmt::format("{} KeySchema element {} must be {}, not {}",
                                                 context, i + 1, expected, key_type));
    }
    if (i == 0) out->set_partition_key(name);
    if (i == 1) {
      out->set_sort_key(name);
      *sort_key_line = doc_.LineOf(at[i].pointer);
    }
  }
  return Status::Ok();
}

// Zero units are what DescribeTable reports for on-demand tables: accepted, as "no capacity",
// unless the table is PROVISIONED.
Status JsonReader::Throughput(const JsonAt& at, std::string_view context,
                              pb::DynamoThroughput* out) const {
  STRATA_RETURN_IF_ERROR(Object(at, fmt::format("{} ProvisionedThroughput", context),
                                kJsonThroughputKeys));
  const bool provisioned = table_.billing_mode() == pb::DYNAMO_BILLING_MODE_PROVISIONED;
  for (std::string_view key : kJsonThroughputKeys) {
    STRATA_RETURN_IF_ERROR(Required(at, key, "ProvisionedThroughput"));
    const json& v = *at[key].value;
    if (v.is_string()) {
      // CloudFormation templates write capacities as strings; the CreateTable input does not.
      return Error(at[key], fmt::format("{} must be a number, not the string \"{}\" (write it "
                                        "without quotes, as CreateTable takes it; CloudFormation "
                                        "templates quote it)",
                                        key, v.get<std::string>()));
    }
    if (!v.is_number_integer() || v.get<int64_t>() < (provisioned ? 1 : 0)) {
      return Error(at[key], fmt::format("{} must be a whole number of at least 1", key));
    }
    if (key == "ReadCapacityUnits") out->set_read_capacity_units(v.get<int64_t>());
    if (key == "WriteCapacityUnits") out->set_write_capacity_units(v.get<int64_t>());
  }
  return Status::Ok();
}

// Each side a whole number of at least 1, or -1 (what UpdateTable takes to remove a maximum):
// no maximum on that side. At least one side, as DynamoDB requires.
Status JsonReader::OnDemand(const JsonAt& at, std::string_view context,
                            pb::DynamoOnDemandThroughput* out) const {
  const std::string what = fmt::format("{} OnDemandThroughput", context);
  STRATA_RETURN_IF_ERROR(Object(at, what, kJsonOnDemandKeys));
  if (at.value->empty()) {
    return Error(at, fmt::format("{} needs MaxReadRequestUnits, MaxWriteRequestUnits or both; "
                                 "remove it for no maximum",
                                 what));
  }
  for (std::string_view key : kJsonOnDemandKeys) {
    if (!at.Has(key)) continue;
    const json& v = *at[key].value;
    if (!v.is_number_integer() || (v.get<int64_t>() < 1 && v.get<int64_t>() != -1)) {
      return Error(at[key], fmt::format("{} must be a whole number of at least 1 (or -1 for no "
                                        "maximum)",
                                        key));
    }
    const int64_t units = std::max<int64_t>(0, v.get<int64_t>());
    if (key == "MaxReadRequestUnits") out->set_max_read_request_units(units);
    if (key == "MaxWriteRequestUnits") out->set_max_write_request_units(units);
  }
  return Status::Ok();
}

// Both sides: DynamoDB keeps them as one setting, and strata always sends both.
Status JsonReader::Warm(const JsonAt& at, std::string_view context,
                        pb::DynamoWarmThroughput* out) const {
  const std::string what = fmt::format("{} WarmThroughput", context);
  STRATA_RETURN_IF_ERROR(Object(at, what, kJsonWarmKeys));
  for (std::string_view key : kJsonWarmKeys) {
    if (!at.Has(key)) {
      return Error(at, fmt::format("{} needs both ReadUnitsPerSecond and WriteUnitsPerSecond",
                                   what));
    }
    const json& v = *at[key].value;
    if (!v.is_number_integer() || v.get<int64_t>() < 1) {
      return Error(at[key], fmt::format("{} must be a whole number of at least 1", key));
    }
    if (key == "ReadUnitsPerSecond") out->set_read_units_per_second(v.get<int64_t>());
    if (key == "WriteUnitsPerSecond") out->set_write_units_per_second(v.get<int64_t>());
  }
  return Status::Ok();
}

// No SSESpecification, or Enabled false: the AWS-owned key. Enabled true: a KMS key, the
// account's aws/dynamodb key unless KMSMasterKeyId names another.
Status JsonReader::Encryption(const JsonAt& at) {
  STRATA_RETURN_IF_ERROR(Object(at, "SSESpecification", kJsonSseKeys));
  bool enabled = false;
  if (at.Has("Enabled")) {
    STRATA_ASSIGN_OR_RETURN(enabled, Bool(at["Enabled"], "SSESpecification Enabled"));
  }
  std::string type = "KMS";
  if (at.Has("SSEType")) {
    STRATA_ASSIGN_OR_RETURN(type, String(at["SSEType"], "SSEType"));
    if (type != "KMS") {
      return Error(at["SSEType"], fmt::format("SSEType \"{}\" is not supported; DynamoDB takes "
                                              "only KMS (or leave SSESpecification out for the "
                                              "AWS-owned key)",
                                              type));
    }
  }
  if (!enabled) {
    for (std::string_view key : {"SSEType", "KMSMasterKeyId"}) {
      if (!at.Has(key)) continue;
      return Error(at[key], fmt::format("{} needs \"Enabled\": true in SSESpecification; "
                                        "without it the table uses the AWS-owned key",
                                        key));
    }
    return Status::Ok();
  }
  auto* encryption = table_.mutable_encryption();
  encryption->set_key(pb::DYNAMO_ENCRYPTION_KEY_AWS_MANAGED);
  if (!at.Has("KMSMasterKeyId")) return Status::Ok();
  STRATA_ASSIGN_OR_RETURN(std::string key, String(at["KMSMasterKeyId"], "KMSMasterKeyId"));
  if (key.empty()) {
    return Error(at["KMSMasterKeyId"], "KMSMasterKeyId is empty; name a KMS key id, key ARN or "
                                       "alias, or leave it out for the aws/dynamodb key");
  }
  if (key == kManagedKeyAlias) return Status::Ok();
  encryption->set_key(pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED);
  encryption->set_kms_key(key);
  return Status::Ok();
}

// The on-demand zero capacity read by Throughput becomes no capacity at all, and an on-demand
// maximum of -1 on both sides no maximum.
void ClearZeroThroughput(pb::DynamoTable* table) {
  auto zero = [](const pb::DynamoThroughput& t) {
    return t.read_capacity_units() == 0 && t.write_capacity_units() == 0;
  };
  auto none = [](const pb::DynamoOnDemandThroughput& t) {
    return t.max_read_request_units() == 0 && t.max_write_request_units() == 0;
  };
  if (table->has_throughput() && zero(table->throughput())) table->clear_throughput();
  if (table->has_on_demand_throughput() && none(table->on_demand_throughput())) {
    table->clear_on_demand_throughput();  // -1 on both sides: no maximum at all
  }
  for (auto& g : *table->mutable_global_indexes()) {
    if (g.has_throughput() && zero(g.throughput())) g.clear_throughput();
    if (g.has_on_demand_throughput() && none(g.on_demand_throughput())) {
      g.clear_on_demand_throughput();
    }
  }
}

// Absent: ALL. NonKeyAttributes only with INCLUDE, as DynamoDB requires.
Status JsonReader::Projection(const JsonAt& parent, std::string_view context,
                              pb::DynamoProjection* out, int* line) const {
  out->set_type(pb::DYNAMO_PROJECTION_TYPE_ALL);
  if (!parent.Has("Projection")) return Status::Ok();
  JsonAt at = parent["Projection"];
  *line = doc_.LineOf(at.pointer);
  STRATA_RETURN_IF_ERROR(Object(at, fmt::format("{} Projection", context), kJsonProjectionKeys));
  pb::DynamoProjectionType type = pb::DYNAMO_PROJECTION_TYPE_ALL;
  if (at.Has("ProjectionType")) {
    STRATA_RETURN_IF_ERROR(Enum(at["ProjectionType"], "ProjectionType", kJsonProjections, &type));
  }
  out->set_type(type);
  if (!at.Has("NonKeyAttributes")) return Status::Ok();
  JsonAt list = at["NonKeyAttributes"];
  if (type != pb::DYNAMO_PROJECTION_TYPE_INCLUDE) {
    return Error(list, "NonKeyAttributes is only allowed with ProjectionType INCLUDE");
  }
  STRATA_RETURN_IF_ERROR(Array(list, "NonKeyAttributes"));
  for (size_t i = 0; i < list.value->size(); ++i) {
    STRATA_ASSIGN_OR_RETURN(std::string name, String(list[i], "NonKeyAttributes element"));
    out->add_non_key_attributes(name);
  }
  return Status::Ok();
}

// BillingMode defaults to PAY_PER_REQUEST, or, as in DynamoDB, to PROVISIONED when
// ProvisionedThroughput is given.
Status JsonReader::Billing() {
  const bool has_throughput = root_.Has("ProvisionedThroughput");
  pb::DynamoBillingMode mode = has_throughput ? pb::DYNAMO_BILLING_MODE_PROVISIONED
                                              : pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST;
  if (root_.Has("BillingMode")) {
    places_.billing_line = doc_.LineOf(root_["BillingMode"].pointer);
    STRATA_RETURN_IF_ERROR(Enum(root_["BillingMode"], "BillingMode", kJsonBilling, &mode));
  }
  table_.set_billing_mode(mode);
  if (!has_throughput) return Status::Ok();
  JsonAt at = root_["ProvisionedThroughput"];
  places_.throughput_line = doc_.LineOf(at.pointer);
  return Throughput(at, "table", table_.mutable_throughput());
}

Status JsonReader::GlobalIndex(const JsonAt& at) {
  STRATA_RETURN_IF_ERROR(Object(at, "global index", kJsonGlobalIndexKeys));
  auto* index = table_.add_global_indexes();
  IndexPlace& place = places_.global_indexes.emplace_back();
  place.name_line = doc_.LineOf(at.pointer);
  STRATA_RETURN_IF_ERROR(Required(at, "IndexName", "global index"));
  place.name_line = doc_.LineOf(at["IndexName"].pointer);
  STRATA_ASSIGN_OR_RETURN(*index->mutable_name(), String(at["IndexName"], "IndexName"));
  const std::string what = fmt::format("global index \"{}\"", index->name());
  STRATA_RETURN_IF_ERROR(Required(at, "KeySchema", what));
  STRATA_RETURN_IF_ERROR(KeySchema(at["KeySchema"], what, index->mutable_key(),
                                   &place.sort_key_line));
  STRATA_RETURN_IF_ERROR(Projection(at, what, index->mutable_projection(),
                                    &place.projection_line));
  if (at.Has("ProvisionedThroughput")) {
    place.throughput_line = doc_.LineOf(at["ProvisionedThroughput"].pointer);
    STRATA_RETURN_IF_ERROR(Throughput(at["ProvisionedThroughput"], what,
                                      index->mutable_throughput()));
  }
  if (at.Has("OnDemandThroughput")) {
    place.on_demand_line = doc_.LineOf(at["OnDemandThroughput"].pointer);
    STRATA_RETURN_IF_ERROR(OnDemand(at["OnDemandThroughput"], what,
                                    index->mutable_on_demand_throughput()));
  }
  if (at.Has("WarmThroughput")) {
    place.warm_line = doc_.LineOf(at["WarmThroughput"].pointer);
    STRATA_RETURN_IF_ERROR(Warm(at["WarmThroughput"], what, index->mutable_warm_throughput()));
  }
  if (at.Has("ContributorInsightsSpecification")) {
    bool on = false;
    STRATA_RETURN_IF_ERROR(Insights(at["ContributorInsightsSpecification"], what,
                                    index->mutable_contributor_insights(), &on));
    if (!on) index->clear_contributor_insights();
  }
  return Status::Ok();
}

Status JsonReader::LocalIndex(const JsonAt& at) {
  STRATA_RETURN_IF_ERROR(Object(at, "local index", kJsonLocalIndexKeys));
  auto* index = table_.add_local_indexes();
  IndexPlace& place = places_.local_indexes.emplace_back();
  place.name_line = doc_.LineOf(at.pointer);
  STRATA_RETURN_IF_ERROR(Required(at, "IndexName", "local index"));
  place.name_line = doc_.LineOf(at["IndexName"].pointer);
  STRATA_ASSIGN_OR_RETURN(*index->mutable_name(), String(at["IndexName"], "IndexName"));
  const std::string what = fmt::format("local index \"{}\"", index->name());
  STRATA_RETURN_IF_ERROR(Required(at, "KeySchema", what));
  pb::DynamoKeySchema key;
  STRATA_RETURN_IF_ERROR(KeySchema(at["KeySchema"], what, &key, &place.sort_key_line));
  if (key.partition_key() != table_.key().partition_key()) {
    return Error(at["KeySchema"][0],
                 fmt::format("{}: its HASH key must be the table's partition key \"{}\", not "
                             "\"{}\"; use a global index for another partition key",
                             what, table_.key().partition_key(), key.partition_key()));
  }
  if (key.sort_key().empty()) {
    return Error(at["KeySchema"], fmt::format("{} KeySchema needs a RANGE element", what));
  }
  index->set_sort_key(key.sort_key());
  return Projection(at, what, index->mutable_projection(), &place.projection_line);
}

template <typename Each>
Status JsonReader::IndexList(std::string_view key, int* line, Each each) {
  if (!root_.Has(key)) return Status::Ok();
  JsonAt list = root_[key];
  *line = doc_.LineOf(list.pointer);
  STRATA_RETURN_IF_ERROR(Array(list, key));
  for (size_t i = 0; i < list.value->size(); ++i) {
    STRATA_RETURN_IF_ERROR((this->*each)(list[i]));
  }
  return Status::Ok();
}

Status JsonReader::Stream() {
  table_.set_stream(pb::DYNAMO_STREAM_DISABLED);
  if (!root_.Has("StreamSpecification")) return Status::Ok();
  JsonAt at = root_["StreamSpecification"];
  STRATA_RETURN_IF_ERROR(Object(at, "StreamSpecification", kJsonStreamKeys));
  if (!at.Has("StreamEnabled")) {
    return Error(at, "StreamSpecification needs StreamEnabled (true or false)");
  }
  STRATA_ASSIGN_OR_RETURN(bool enabled, Bool(at["StreamEnabled"], "StreamEnabled"));
  const bool has_view = at.Has("StreamViewType");
  if (!enabled && has_view) {
    return Error(at["StreamViewType"], "StreamViewType is set but StreamEnabled is false; "
                                       "remove StreamViewType or enable the stream");
  }
  if (!enabled) return Status::Ok();
  if (!has_view) {
    return Error(at, fmt::format("StreamEnabled is true but StreamViewType is missing; use {}",
                                 JoinOr(WordsOf(kJsonStreams))));
  }
  pb::DynamoStreamViewType view = pb::DYNAMO_STREAM_DISABLED;
  STRATA_RETURN_IF_ERROR(Enum(at["StreamViewType"], "StreamViewType", kJsonStreams, &view));
  table_.set_stream(view);
  return Status::Ok();
}

Status JsonReader::Tags(const JsonAt& at) {
  STRATA_RETURN_IF_ERROR(Array(at, "Tags"));
  std::map<std::string, int> seen;  // key -> line
  for (size_t i = 0; i < at.value->size(); ++i) {
    JsonAt tag = at[i];
    STRATA_RETURN_IF_ERROR(Object(tag, "Tags", kJsonTagKeys));
    STRATA_RETURN_IF_ERROR(Required(tag, "Key", "tag"));
    STRATA_RETURN_IF_ERROR(Required(tag, "Value", "tag"));
    STRATA_ASSIGN_OR_RETURN(std::string key, String(tag["Key"], "Key"));
    STRATA_ASSIGN_OR_RETURN(std::string value, String(tag["Value"], "Value"));
    if (std::string problem = TagKeyProblem(key); !problem.empty()) {
      return Error(tag["Key"], problem);
    }
    auto [it, fresh] = seen.emplace(key, doc_.LineOf(tag.pointer));
    if (!fresh) {
      return Error(tag["Key"], fmt::format("duplicate tag key \"{}\" (first at line {})", key,
                                           it->second));
    }
    (*table_.mutable_tags())[key] = value;
  }
  return Status::Ok();
}

// strata's extension: UpdateTimeToLive's TimeToLiveSpecification, since CreateTable has none.
Status JsonReader::TimeToLive(const JsonAt& at) {
  STRATA_RETURN_IF_ERROR(Object(at, "TimeToLiveSpecification", kJsonTtlKeys));
  STRATA_RETURN_IF_ERROR(Required(at, "Enabled", "TimeToLiveSpecification"));
  STRATA_ASSIGN_OR_RETURN(bool enabled, Bool(at["Enabled"], "Enabled"));
  if (!enabled) return Status::Ok();
  STRATA_RETURN_IF_ERROR(Required(at, "AttributeName", "TimeToLiveSpecification"));
  STRATA_ASSIGN_OR_RETURN(*table_.mutable_ttl_attribute(),
                          String(at["AttributeName"], "AttributeName"));
  if (table_.ttl_attribute().empty()) {
    return Error(at["AttributeName"], "TimeToLiveSpecification AttributeName is empty");
  }
  return Status::Ok();
}

// strata's extension, in CloudFormation's shape: {"Enabled": true, "Mode": "THROTTLED_KEYS"}.
Status JsonReader::Insights(const JsonAt& at, std::string_view context,
                            pb::DynamoContributorInsights* out, bool* on) const {
  const std::string what = fmt::format("{} ContributorInsightsSpecification", context);
  STRATA_RETURN_IF_ERROR(Object(at, what, kJsonInsightsKeys));
  STRATA_RETURN_IF_ERROR(Required(at, "Enabled", what));
  STRATA_ASSIGN_OR_RETURN(*on, Bool(at["Enabled"], "Enabled"));
  if (!*on) {
    if (at.Has("Mode")) {
      return Error(at["Mode"], "Mode is set but Enabled is false; remove Mode or set "
                               "\"Enabled\": true");
    }
    return Status::Ok();
  }
  pb::DynamoContributorInsightsMode mode =
      pb::DYNAMO_CONTRIBUTOR_INSIGHTS_ACCESSED_AND_THROTTLED_KEYS;
  if (at.Has("Mode")) STRATA_RETURN_IF_ERROR(Enum(at["Mode"], "Mode", kJsonInsightsModes, &mode));
  out->set_mode(mode);
  return Status::Ok();
}

Status JsonReader::Destination(const JsonAt& at, std::map<std::string, int>* seen) {
  STRATA_RETURN_IF_ERROR(Object(at, "KinesisStreamSpecification", kJsonKinesisKeys));
  STRATA_RETURN_IF_ERROR(Required(at, "StreamArn", "KinesisStreamSpecification"));
  auto* d = table_.add_kinesis_destinations();
  STRATA_ASSIGN_OR_RETURN(*d->mutable_stream_arn(), String(at["StreamArn"], "StreamArn"));
  if (std::string problem = StreamArnProblem(d->stream_arn()); !problem.empty()) {
    return Error(at["StreamArn"], problem);
  }
  const int line = doc_.LineOf(at["StreamArn"].pointer);
  auto [it, fresh] = seen->emplace(d->stream_arn(), line);
  if (!fresh) {
    return Error(at["StreamArn"], fmt::format("stream {} is listed twice (first at line {}); a "
                                              "table streams to each stream once",
                                              d->stream_arn(), it->second));
  }
  pb::DynamoTimestampPrecision precision = pb::DYNAMO_TIMESTAMP_PRECISION_MILLISECOND;
  if (at.Has("ApproximateCreationDateTimePrecision")) {
    STRATA_RETURN_IF_ERROR(Enum(at["ApproximateCreationDateTimePrecision"],
                                "ApproximateCreationDateTimePrecision", kJsonPrecisions,
                                &precision));
  }
  d->set_precision(precision);
  return Status::Ok();
}

// strata's extension: CloudFormation's KinesisStreamSpecification, one object, or a list of
// them for a table that streams to several Kinesis data streams.
Status JsonReader::Destinations(const JsonAt& at) {
  std::map<std::string, int> seen;
  if (!at.value->is_array()) return Destination(at, &seen);
  for (size_t i = 0; i < at.value->size(); ++i) STRATA_RETURN_IF_ERROR(Destination(at[i], &seen));
  return Status::Ok();
}

// strata's extension: UpdateContinuousBackups' PointInTimeRecoverySpecification.
Status JsonReader::Recovery(const JsonAt& at) {
  STRATA_RETURN_IF_ERROR(Object(at, "PointInTimeRecoverySpecification", kJsonRecoveryKeys));
  STRATA_RETURN_IF_ERROR(
      Required(at, "PointInTimeRecoveryEnabled", "PointInTimeRecoverySpecification"));
  STRATA_ASSIGN_OR_RETURN(bool enabled,
                          Bool(at["PointInTimeRecoveryEnabled"], "PointInTimeRecoveryEnabled"));
  if (!at.Has("RecoveryPeriodInDays")) {
    table_.set_point_in_time_recovery_days(enabled ? kDefaultRecoveryPeriodDays : 0);
    return Status::Ok();
  }
  JsonAt days = at["RecoveryPeriodInDays"];
  if (!enabled) {
    return Error(days, "RecoveryPeriodInDays is set but PointInTimeRecoveryEnabled is false; "
                       "remove RecoveryPeriodInDays or enable recovery");
  }
  if (!days.value->is_number_integer() || days.value->get<int64_t>() < 1 ||
      days.value->get<int64_t>() > kMaxRecoveryPeriodDays) {
    return Error(days, fmt::format("RecoveryPeriodInDays must be a whole number from 1 to 35, "
                                   "not {}",
                                   days.value->dump()));
  }
  table_.set_point_in_time_recovery_days(days.value->get<int>());
  return Status::Ok();
}

// CreateTable's ResourcePolicy: the policy document as a JSON string.
Status JsonReader::Policy(const JsonAt& at) {
  if (!at.value->is_string()) {
    return Error(at, fmt::format("ResourcePolicy is {}; CreateTable takes the policy document "
                                 "as one JSON string (its quotes escaped), not as an object",
                                 JsonKindName(*at.value)));
  }
  auto normalized = NormalizeResourcePolicy(at.value->get<std::string>());
  if (!normalized.ok()) return Error(at, normalized.status().message());
  table_.set_resource_policy(*normalized);
  return Status::Ok();
}

Status JsonReader::Settings() {
  STRATA_RETURN_IF_ERROR(Stream());
  table_.set_table_class(pb::DYNAMO_TABLE_CLASS_STANDARD);
  if (root_.Has("TableClass")) {
    pb::DynamoTableClass table_class = pb::DYNAMO_TABLE_CLASS_STANDARD;
    STRATA_RETURN_IF_ERROR(Enum(root_["TableClass"], "TableClass", kJsonTableClasses,
                                &table_class));
    table_.set_table_class(table_class);
  }
  if (root_.Has("DeletionProtectionEnabled")) {
    STRATA_ASSIGN_OR_RETURN(bool on, Bool(root_["DeletionProtectionEnabled"],
                                          "DeletionProtectionEnabled"));
    table_.set_deletion_protection(on);
  }
  if (root_.Has("Tags")) STRATA_RETURN_IF_ERROR(Tags(root_["Tags"]));
  if (root_.Has("TimeToLiveSpecification")) {
    STRATA_RETURN_IF_ERROR(TimeToLive(root_["TimeToLiveSpecification"]));
  }
  if (root_.Has("SSESpecification")) STRATA_RETURN_IF_ERROR(Encryption(root_["SSESpecification"]));
  if (root_.Has("OnDemandThroughput")) {
    places_.on_demand_line = doc_.LineOf(root_["OnDemandThroughput"].pointer);
    STRATA_RETURN_IF_ERROR(OnDemand(root_["OnDemandThroughput"], "table",
                                    table_.mutable_on_demand_throughput()));
  }
  if (root_.Has("WarmThroughput")) {
    places_.warm_line = doc_.LineOf(root_["WarmThroughput"].pointer);
    STRATA_RETURN_IF_ERROR(Warm(root_["WarmThroughput"], "table",
                                table_.mutable_warm_throughput()));
  }
  if (root_.Has("ContributorInsightsSpecification")) {
    bool on = false;
    STRATA_RETURN_IF_ERROR(Insights(root_["ContributorInsightsSpecification"], "table",
                                    table_.mutable_contributor_insights(), &on));
    if (!on) table_.clear_contributor_insights();
  }
  if (root_.Has("KinesisStreamSpecification")) {
    STRATA_RETURN_IF_ERROR(Destinations(root_["KinesisStreamSpecification"]));
  }
  if (root_.Has("PointInTimeRecoverySpecification")) {
    STRATA_RETURN_IF_ERROR(Recovery(root_["PointInTimeRecoverySpecification"]));
  }
  if (root_.Has("ResourcePolicy")) STRATA_RETURN_IF_ERROR(Policy(root_["ResourcePolicy"]));
  if (root_.Has("ReplicaUpdates")) STRATA_RETURN_IF_ERROR(Replicas(root_["ReplicaUpdates"]));
  return Status::Ok();
}

// strata's extension: UpdateTable's ReplicaUpdates, with one Create per replica (what would
// create the replicas this table should have).
Status JsonReader::Replicas(const JsonAt& at) {
  places_.replicas_line = doc_.LineOf(at.pointer);
  STRATA_RETURN_IF_ERROR(Array(at, "ReplicaUpdates"));
  for (size_t i = 0; i < at.value->size(); ++i) {
    JsonAt update = at[i];
    if (!update.Has("Create")) {
      return Error(update, "a ReplicaUpdates entry in a table file is {\"Create\": {...}}: it "
                           "lists the replicas the table has (remove a replica by removing its "
                           "entry)");
    }
    STRATA_RETURN_IF_ERROR(Object(update, "ReplicaUpdates entry", kJsonReplicaUpdateKeys));
    STRATA_RETURN_IF_ERROR(Replica(update["Create"]));
  }
  return Status::Ok();
}

// {"ReadCapacityUnits": N} or {"MaxReadRequestUnits": N} under `key`; 0 when absent.
Result<int64_t> JsonReader::Override(const JsonAt& parent, std::string_view key,
                                     std::string_view field, const KeyList& keys,
                                     int* line) const {
  if (!parent.Has(key)) return int64_t{0};
  JsonAt at = parent[key];
  if (line != nullptr) *line = doc_.LineOf(at.pointer);
  STRATA_RETURN_IF_ERROR(Object(at, key, keys));
  STRATA_RETURN_IF_ERROR(Required(at, field, key));
  const json& v = *at[field].value;
  if (!v.is_number_integer() || v.get<int64_t>() < 1) {
    return Error(at[field], fmt::format("{} must be a whole number of at least 1", field));
  }
  return v.get<int64_t>();
}

Status JsonReader::Replica(const JsonAt& at) {
  STRATA_RETURN_IF_ERROR(Object(at, "replica Create", kJsonReplicaKeys));
  STRATA_RETURN_IF_ERROR(Required(at, "RegionName", "replica Create"));
  auto* replica = table_.add_replicas();
  ReplicaPlace& place = places_.replicas.emplace_back();
  place.region_line = doc_.LineOf(at["RegionName"].pointer);
  STRATA_ASSIGN_OR_RETURN(*replica->mutable_region(), String(at["RegionName"], "RegionName"));
  if (at.Has("KMSMasterKeyId")) {
    STRATA_ASSIGN_OR_RETURN(*replica->mutable_kms_key(),
                            String(at["KMSMasterKeyId"], "KMSMasterKeyId"));
    if (replica->kms_key().empty()) {
      return Error(at["KMSMasterKeyId"], "KMSMasterKeyId is empty; name a KMS key of that "
                                         "region, or remove it");
    }
  }
  STRATA_ASSIGN_OR_RETURN(int64_t read,
                          Override(at, "ProvisionedThroughputOverride", "ReadCapacityUnits",
                                   kJsonReadOverrideKeys, &place.read_capacity_line));
  replica->set_read_capacity_units(read);
  STRATA_ASSIGN_OR_RETURN(int64_t max_read,
                          Override(at, "OnDemandThroughputOverride", "MaxReadRequestUnits",
                                   kJsonMaxReadOverrideKeys, nullptr));
  replica->set_max_read_request_units(max_read);
  replica->set_table_class(table_.table_class());
  if (at.Has("TableClassOverride")) {
    pb::DynamoTableClass table_class = pb::DYNAMO_TABLE_CLASS_STANDARD;
    STRATA_RETURN_IF_ERROR(Enum(at["TableClassOverride"], "TableClassOverride", kJsonTableClasses,
                                &table_class));
    replica->set_table_class(table_class);
  }
  if (!at.Has("GlobalSecondaryIndexes")) return Status::Ok();
  JsonAt list = at["GlobalSecondaryIndexes"];
  STRATA_RETURN_IF_ERROR(Array(list, "replica GlobalSecondaryIndexes"));
  for (size_t i = 0; i < list.value->size(); ++i) {
    JsonAt g = list[i];
    STRATA_RETURN_IF_ERROR(Object(g, "replica GlobalSecondaryIndexes", kJsonReplicaIndexKeys));
    STRATA_RETURN_IF_ERROR(Required(g, "IndexName", "replica GlobalSecondaryIndexes entry"));
    auto* index = replica->add_global_indexes();
    place.index_lines.push_back(doc_.LineOf(g["IndexName"].pointer));
    STRATA_ASSIGN_OR_RETURN(*index->mutable_name(), String(g["IndexName"], "IndexName"));
    int line = 0;
    STRATA_ASSIGN_OR_RETURN(int64_t index_read,
                            Override(g, "ProvisionedThroughputOverride", "ReadCapacityUnits",
                                     kJsonReadOverrideKeys, &line));
    if (line != 0 && place.read_capacity_line == 0) place.read_capacity_line = line;
    index->set_read_capacity_units(index_read);
    STRATA_ASSIGN_OR_RETURN(int64_t index_max,
                            Override(g, "OnDemandThroughputOverride", "MaxReadRequestUnits",
                                     kJsonMaxReadOverrideKeys, nullptr));
    index->set_max_read_request_units(index_max);
    if (index_read == 0 && index_max == 0) {
      return Error(g, "a replica's GlobalSecondaryIndexes entry needs OnDemandThroughputOverride "
                      "(or ProvisionedThroughputOverride); remove it when the index has no "
                      "override in that replica");
    }
  }
  return Status::Ok();
}

// DynamoDB rejects definitions no key uses; so does strata, rather than dropping them.
Status JsonReader::Unused() const {
  for (const auto& [name, def] : definitions_) {
    if (def.used) continue;
    return doc_.ErrorAt(def.pointer,
                        fmt::format("attribute \"{}\" is defined but no key uses it; DynamoDB "
                                    "rejects unused AttributeDefinitions, so remove it",
                                    name));
  }
  return Status::Ok();
}

Result<pb::DynamoTable> JsonReader::Read() {
  places_.root_line = doc_.LineOf(root_.pointer);
  for (std::string_view key : kJsonUnmanagedKeys) {
    if (!root_.Has(key)) continue;
    return Error(root_[key], fmt::format("{} is a CreateTable field strata does not manage; "
                                         "remove it from the file",
                                         key));
  }
  STRATA_RETURN_IF_ERROR(Object(root_, "CreateTable input", kJsonTableKeys));
  STRATA_RETURN_IF_ERROR(Required(root_, "TableName", "CreateTable input"));
  places_.name_line = doc_.LineOf(root_["TableName"].pointer);
  STRATA_ASSIGN_OR_RETURN(*table_.mutable_name(), String(root_["TableName"], "TableName"));
  STRATA_RETURN_IF_ERROR(Definitions());
  STRATA_RETURN_IF_ERROR(Required(root_, "KeySchema", "CreateTable input"));
  STRATA_RETURN_IF_ERROR(KeySchema(root_["KeySchema"], "table", table_.mutable_key(),
                                   &places_.sort_key_line));
  STRATA_RETURN_IF_ERROR(Billing());
  STRATA_RETURN_IF_ERROR(IndexList("GlobalSecondaryIndexes", &places_.global_indexes_line,
                                   &JsonReader::GlobalIndex));
  STRATA_RETURN_IF_ERROR(IndexList("LocalSecondaryIndexes", &places_.local_indexes_line,
                                   &JsonReader::LocalIndex));
  STRATA_RETURN_IF_ERROR(Settings());
  STRATA_RETURN_IF_ERROR(Unused());
  ClearZeroThroughput(&table_);
  STRATA_RETURN_IF_ERROR(CheckTableRules(table_, places_, kJsonWords, doc_.file_name()));
  for (const auto& [name, def] : definitions_) {
    auto* attr = table_.add_attributes();
    attr->set_name(name);
    attr->set_type(def.type);
  }
  CanonicalizeDynamoTable(&table_);
  return std::move(table_);
}

}  // namespace

Result<pb::DynamoTable> ReadCreateTable(const JsonDocument& doc, const Pointer& where) {
  try {
    return JsonReader(doc, where).Read();
  } catch (const json::exception& e) {
    return doc.ErrorAt(where, fmt::format("unexpected JSON shape: {}", e.what()));
  }
}

}  // namespace strata::dynamodb::internal
