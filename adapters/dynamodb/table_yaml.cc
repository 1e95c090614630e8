// YamlReader walks the document once, map by map: each map's keys are checked (repeated,
// unknown with a suggestion, missing values) before any of its values is read, and each value
// is checked where it is read, so errors name the line of the key or value at fault. Key
// attribute types are remembered as they appear, so one attribute cannot have two types.
// yaml-cpp's exceptions stop at ReadTableYaml.
#include "adapters/dynamodb/table_yaml.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "adapters/common/utf8.h"
#include "adapters/common/yaml_documents.h"
#include "adapters/dynamodb/resource_policy.h"
#include "adapters/dynamodb/suggest.h"
#include "adapters/dynamodb/table_rules.h"
#include "engine/state/canonical.h"

namespace strata::dynamodb::internal {
namespace {

constexpr Vocabulary kYamlWords{
    "capacity", "capacity: { read: N, write: N }", "billing: provisioned",
    "billing: pay_per_request", "projection include", "projection: { include: [attr, ...] }",
    "sort_key", "on_demand_throughput", "warm_throughput", "warm_throughput: {{ read: {}, write: {} }}",
    "replicas", "stream: new_and_old_images", "read_capacity", "max_read"};

constexpr EnumWord<pb::DynamoBillingMode> kYamlBilling[] = {
    {"pay_per_request", pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST},
    {"provisioned", pb::DYNAMO_BILLING_MODE_PROVISIONED},
};
constexpr EnumWord<pb::DynamoStreamViewType> kYamlStreams[] = {
    {"disabled", pb::DYNAMO_STREAM_DISABLED},
    {"keys_only", pb::DYNAMO_STREAM_KEYS_ONLY},
    {"new_image", pb::DYNAMO_STREAM_NEW_IMAGE},
    {"old_image", pb::DYNAMO_STREAM_OLD_IMAGE},
    {"new_and_old_images", pb::DYNAMO_STREAM_NEW_AND_OLD_IMAGES},
};
constexpr EnumWord<pb::DynamoTableClass> kYamlTableClasses[] = {
    {"standard", pb::DYNAMO_TABLE_CLASS_STANDARD},
    {"standard_infrequent_access", pb::DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS},
};
constexpr EnumWord<pb::DynamoContributorInsightsMode> kYamlInsightsModes[] = {
    {"accessed_and_throttled_keys", pb::DYNAMO_CONTRIBUTOR_INSIGHTS_ACCESSED_AND_THROTTLED_KEYS},
    {"throttled_keys", pb::DYNAMO_CONTRIBUTOR_INSIGHTS_THROTTLED_KEYS},
};
constexpr EnumWord<pb::DynamoTimestampPrecision> kYamlPrecisions[] = {
    {"millisecond", pb::DYNAMO_TIMESTAMP_PRECISION_MILLISECOND},
    {"microsecond", pb::DYNAMO_TIMESTAMP_PRECISION_MICROSECOND},
};
constexpr EnumWord<pb::DynamoProjectionType> kYamlProjections[] = {
    {"all", pb::DYNAMO_PROJECTION_TYPE_ALL},
    {"keys_only", pb::DYNAMO_PROJECTION_TYPE_KEYS_ONLY},
};

const KeyList kYamlTableKeys = {"table",       "partition_key",       "sort_key",
                                "billing",     "capacity",            "global_indexes",
                                "local_indexes", "ttl",               "stream",
                                "table_class", "deletion_protection", "tags",
                                "encryption",  "on_demand_throughput", "warm_throughput",
                                "point_in_time_recovery", "resource_policy",
                                "contributor_insights", "kinesis_destinations", "replicas"};
const KeyList kYamlReplicaKeys = {"region", "kms_key", "read_capacity", "max_read",
                                  "table_class", "global_indexes"};
const KeyList kYamlReplicaIndexKeys = {"name", "read_capacity", "max_read"};
const KeyList kYamlGlobalIndexKeys = {"name",     "partition_key",        "sort_key",
                                      "projection", "capacity", "on_demand_throughput",
                                      "warm_throughput", "contributor_insights"};
const KeyList kYamlInsightsKeys = {"mode"};
const KeyList kYamlDestinationKeys = {"stream_arn", "precision"};
const KeyList kYamlOnDemandKeys = {"max_read", "max_write"};
const KeyList kYamlWarmKeys = {"read", "write"};
const KeyList kYamlEncryptionKeys = {"kms_key"};
const KeyList kYamlLocalIndexKeys = {"name", "sort_key", "projection"};
const KeyList kYamlKeyKeys = {"name", "type"};
const KeyList kYamlCapacityKeys = {"read", "write"};
const KeyList kYamlProjectionKeys = {"include"};
const KeyList kYamlRecoveryKeys = {"recovery_period_days"};

// Lists and maps that may be written with nothing under them (`tags:`).
bool MayBeEmpty(std::string_view key) {
  return key == "global_indexes" || key == "local_indexes" || key == "tags" ||
         key == "kinesis_destinations" || key == "replicas";
}

int LineOf(const YAML::Node& node) { return node.Mark().line >= 0 ? node.Mark().line + 1 : 0; }

std::string_view KindName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "a single value";
    default: return "nothing";
  }
}

// The members of one YAML map, in file order, checked for repeated and unknown keys.
struct YamlField {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};

class YamlReader {
 public:
  explicit YamlReader(std::string_view file) : file_(file) {}

  Result<pb::DynamoTable> Read(const YAML::Node& root);

 private:
  using Fields = std::vector<YamlField>;

  Status Error(const YAML::Node& node, std::string_view message) const {
    int line = LineOf(node);
    return ErrorAt(file_, line ? line : places_.root_line, message);
  }
  static const YamlField* Find(const Fields& fields, std::string_view key) {
    for (const auto& f : fields) {
      if (f.key == key) return &f;
    }
    return nullptr;
  }

  Result<Fields> MapFields(const YAML::Node& node, std::string_view context,
                           const KeyList* allowed, std::string_view example) const;
  Result<std::string> Scalar(const YAML::Node& node, std::string_view what) const;
  template <typename E, size_t N>
  Status Enum(const YAML::Node& node, std::string_view what, const EnumWord<E> (&words)[N],
              E* out) const;
  Status KeyAttribute(const YAML::Node& node, std::string_view what, std::string* name);
  Status Capacity(const YAML::Node& node, std::string_view what, pb::DynamoThroughput* out) const;
  Status Projection(const YAML::Node& node, std::string_view what, pb::DynamoProjection* out,
                    int* line) const;
  Result<int64_t> Units(const YamlField& field, std::string_view what) const;
  Status OnDemand(const YAML::Node& node, std::string_view what,
                  pb::DynamoOnDemandThroughput* out) const;
  Status Warm(const YAML::Node& node, std::string_view what, pb::DynamoWarmThroughput* out) const;
  Status Encryption(const YAML::Node& node);
  Status TableKeys(const Fields& fields);
  Status Billing(const Fields& fields);
  Status GlobalIndex(const YAML::Node& node);
  Status LocalIndex(const YAML::Node& node);
  template <typename Each>
  Status IndexList(const Fields& fields, std::string_view key, int* line, Each each);
  Status Settings(const Fields& fields);
  Status Tags(const YAML::Node& node);
  Status Recovery(const YAML::Node& node);
  Status Policy(const YAML::Node& node);
  Status Insights(const YAML::Node& node, std::string_view what,
                  pb::DynamoContributorInsights* out, bool* on) const;
  Status Destinations(const YAML::Node& node);
  Status Replicas(const YamlField& field);
  Status Replica(const YAML::Node& node);
  Status ReplicaIndex(const YAML::Node& node, pb::DynamoReplica* replica, ReplicaPlace* place);

  std::string_view file_;
  pb::DynamoTable table_;
  TablePlaces places_;
  std::map<std::string, std::pair<pb::DynamoAttributeType, int>> types_;  // name -> type, line
};

Result<YamlReader::Fields> YamlReader::MapFields(const YAML::Node& node,
                                                 std::string_view context,
                                                 const KeyList* allowed,
                                                 std::string_view example) const {
  if (!node.IsMap()) {
    return Error(node, fmt::format("{} must be a map like {}, not {}", context, example,
                                   KindName(node)));
  }
  Fields fields;
  for (const auto& member : node) {
    if (!member.first.IsScalar()) return Error(member.first, "keys must be plain names");
    std::string key = member.first.Scalar();
    if (const YamlField* first = Find(fields, key)) {
      return Error(member.first, fmt::format("duplicate key \"{}\" in {} (first at line {})", key,
                                             context, LineOf(first->key_node)));
    }
    if (allowed && std::find(allowed->begin(), allowed->end(), key) == allowed->end()) {
      return Error(member.first, UnknownKeyMessage(key, context, *allowed));
    }
    // A missing value is marked where the next token starts: point at the key instead.
    if (allowed && member.second.IsNull() && !MayBeEmpty(key)) {
      return Error(member.first, fmt::format("{} has no value", key));
    }
    fields.push_back({std::move(key), member.first, member.second});
  }
  return fields;
}

Result<std::string> YamlReader::Scalar(const YAML::Node& node, std::string_view what) const {
  if (node.IsNull()) return Error(node, fmt::format("{} has no value", what));
  if (!node.IsScalar()) {
    return Error(node, fmt::format("{} must be a single value, not {}", what, KindName(node)));
  }
  return node.Scalar();
}

template <typename E, size_t N>
Status YamlReader::Enum(const YAML::Node& node, std::string_view what,
                        const EnumWord<E> (&words)[N], E* out) const {
  STRATA_ASSIGN_OR_RETURN(std::string word, Scalar(node, what));
  if (LookUp(words, word, /*any_case=*/true, out)) return Status::Ok();
  return Error(node, UnknownValueMessage(what, word, WordsOf(words)));
}

// `{ name: ATTR, type: S }`; remembers the type so every use of ATTR agrees on it.
Status YamlReader::KeyAttribute(const YAML::Node& node, std::string_view what,
                                std::string* name) {
  STRATA_ASSIGN_OR_RETURN(Fields fields,
                          MapFields(node, what, &kYamlKeyKeys, "{ name: ATTR, type: S }"));
  const YamlField* name_field = Find(fields, "name");
  if (!name_field) {
    return Error(node, fmt::format("{} needs a name: {{ name: ATTR, type: S }}", what));
  }
  STRATA_ASSIGN_OR_RETURN(*name, Scalar(name_field->value, fmt::format("{} name", what)));
  if (std::string problem = AttributeNameProblem(*name); !problem.empty()) {
    return Error(name_field->value, problem);
  }
  const YamlField* type_field = Find(fields, "type");
  if (!type_field) {
    return Error(node, fmt::format("key attribute \"{}\" has no type; add type: S, N or B", *name));
  }
  STRATA_ASSIGN_OR_RETURN(std::string word, Scalar(type_field->value, "type"));
  pb::DynamoAttributeType type = pb::DYNAMO_ATTRIBUTE_TYPE_UNSPECIFIED;
  if (!LookUp(kAttributeTypes, word, /*any_case=*/true, &type)) {
    return Error(type_field->value, BadTypeMessage(word));
  }
  const int line = LineOf(type_field->value);
  auto [it, fresh] = types_.emplace(*name, std::make_pair(type, line));
  if (!fresh && it->second.first != type) {
    return Error(type_field->value,
                 fmt::format("key attribute \"{}\" is {} here but {} at line {}; an attribute "
                             "has one type in every key",
                             *name, word, kAttributeTypes[it->second.first - 1].word,
                             it->second.second));
  }
  return Status::Ok();
}

Status YamlReader::Capacity(const YAML::Node& node, std::string_view what,
                            pb::DynamoThroughput* out) const {
  STRATA_ASSIGN_OR_RETURN(Fields fields, MapFields(node, what, &kYamlCapacityKeys,
                                                   "{ read: N, write: N }"));
  for (std::string_view part : kYamlCapacityKeys) {
    const YamlField* field = Find(fields, part);
    if (!field) {
      return Error(node, fmt::format("{} needs both read and write: {{ read: N, write: N }}",
                                     what));
    }
    int64_t units = 0;
    if (!field->value.IsScalar() || !YAML::convert<int64_t>::decode(field->value, units) ||
        units < 1) {
      return Error(field->value,
                   fmt::format("{} {} must be a whole number of at least 1", what, part));
    }
    if (part == "read") out->set_read_capacity_units(units);
    if (part == "write") out->set_write_capacity_units(units);
  }
  return Status::Ok();
}

Result<int64_t> YamlReader::Units(const YamlField& field, std::string_view what) const {
  int64_t units = 0;
  if (!field.value.IsScalar() || !YAML::convert<int64_t>::decode(field.value, units) ||
      units < 1) {
    return Error(field.value,
                 fmt::format("{} {} must be a whole number of at least 1", what, field.key));
  }
  return units;
}

// `{ max_read: N, max_write: N }`, either or both: a side left out has no maximum.
Status YamlReader::OnDemand(const YAML::Node& node, std::string_view what,
                            pb::DynamoOnDemandThroughput* out) const {
  STRATA_ASSIGN_OR_RETURN(Fields fields, MapFields(node, what, &kYamlOnDemandKeys,
                                                   "{ max_read: N, max_write: N }"));
  if (fields.empty()) {
    return Error(node, fmt::format("{} needs max_read, max_write or both: "
                                   "{{ max_read: N, max_write: N }}; remove it for no maximum",
                                   what));
  }
  for (const auto& field : fields) {
    STRATA_ASSIGN_OR_RETURN(int64_t units, Units(field, what));
    if (field.key == "max_read") out->set_max_read_request_units(units);
    if (field.key == "max_write") out->set_max_write_request_units(units);
  }
  return Status::Ok();
}

// `{ read: N, write: N }`, both: DynamoDB keeps the two as one setting.
Status YamlReader::Warm(const YAML::Node& node, std::string_view what,
                        pb::DynamoWarmThroughput* out) const {
  STRATA_ASSIGN_OR_RETURN(Fields fields,
                          MapFields(node, what, &kYamlWarmKeys, "{ read: N, write: N }"));
  for (std::string_view part : kYamlWarmKeys) {
    const YamlField* field = Find(fields, part);
    if (!field) {
      return Error(node, fmt::format("{} needs both read and write: {{ read: N, write: N }} "
                                     "(units per second)",
                                     what));
    }
    STRATA_ASSIGN_OR_RETURN(int64_t units, Units(*field, what));
    if (part == "read") out->set_read_units_per_second(units);
    if (part == "write") out->set_write_units_per_second(units);
  }
  return Status::Ok();
}

// `aws_owned` (the default), `aws_managed`, or `{ kms_key: KEY }` for a customer-managed key.
Status YamlReader::Encryption(const YAML::Node& node) {
  if (node.IsScalar()) {
    const std::string word = Lower(node.Scalar());
    if (word == "aws_owned") return Status::Ok();
    if (word == "aws_managed") {
      table_.mutable_encryption()->set_key(pb::DYNAMO_ENCRYPTION_KEY_AWS_MANAGED);
      return Status::Ok();
    }
    return Error(node, fmt::format("unknown encryption \"{}\"; use aws_owned, aws_managed or "
                                   "{{ kms_key: KEY }} (a KMS key id, key ARN or alias)",
                                   node.Scalar()));
  }
  STRATA_ASSIGN_OR_RETURN(Fields fields, MapFields(node, "encryption", &kYamlEncryptionKeys,
                                                   "{ kms_key: alias/my-key }"));
  const YamlField* key = Find(fields, "kms_key");
  if (!key) {
    return Error(node, "encryption needs kms_key: { kms_key: KEY }, or write encryption: "
                       "aws_managed for the account's aws/dynamodb key");
  }
  STRATA_ASSIGN_OR_RETURN(std::string id, Scalar(key->value, "kms_key"));
  if (id.empty()) return Error(key->value, "kms_key is empty; name a KMS key id, key ARN or alias");
  table_.mutable_encryption()->set_key(pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED);
  table_.mutable_encryption()->set_kms_key(id);
  return Status::Ok();
}

// `all`, `keys_only` or `{ include: [attr, ...] }`.
Status YamlReader::Projection(const YAML::Node& node, std::string_view what,
                              pb::DynamoProjection* out, int* line) const {
  *line = LineOf(node);
  if (node.IsScalar() && Lower(node.Scalar()) == "include") {
    return Error(node, fmt::format("{} projection include needs its attributes; write "
                                   "projection: {{ include: [attr, ...] }}",
                                   what));
  }
  if (!node.IsMap()) {
    pb::DynamoProjectionType type = pb::DYNAMO_PROJECTION_TYPE_ALL;
    STRATA_ASSIGN_OR_RETURN(std::string word, Scalar(node, fmt::format("{} projection", what)));
    if (!LookUp(kYamlProjections, word, /*any_case=*/true, &type)) {
      return Error(node, fmt::format("unknown projection \"{}\"; use all, keys_only or "
                                     "{{ include: [attr, ...] }}",
                                     word));
    }
    out->set_type(type);
    return Status::Ok();
  }
  STRATA_ASSIGN_OR_RETURN(Fields fields, MapFields(node, fmt::format("{} projection", what),
                                                   &kYamlProjectionKeys,
                                                   "{ include: [attr, ...] }"));
  const YamlField* include = Find(fields, "include");
  if (!include || !include->value.IsSequence()) {
    return Error(include ? include->value : node,
                 "projection include must be a list of attribute names: { include: [a, b] }");
  }
  out->set_type(pb::DYNAMO_PROJECTION_TYPE_INCLUDE);
  for (const auto& attr : include->value) {
    STRATA_ASSIGN_OR_RETURN(std::string name, Scalar(attr, "projection include attribute"));
    out->add_non_key_attributes(name);
  }
  return Status::Ok();
}

Status YamlReader::TableKeys(const Fields& fields) {
  const YamlField* name = Find(fields, "table");
  if (!name) return ErrorAt(file_, places_.root_line, "missing key \"table\"; name the table "
                                                      "with table: NAME");
  places_.name_line = LineOf(name->value);
  STRATA_ASSIGN_OR_RETURN(*table_.mutable_name(), Scalar(name->value, "table"));
  const YamlField* pk = Find(fields, "partition_key");
  if (!pk) {
    return ErrorAt(file_, places_.root_line,
                   "missing key \"partition_key\"; add partition_key: { name: ATTR, type: S }");
  }
  auto* key = table_.mutable_key();
  STRATA_RETURN_IF_ERROR(KeyAttribute(pk->value, "partition_key", key->mutable_partition_key()));
  if (const YamlField* sk = Find(fields, "sort_key")) {
    places_.sort_key_line = LineOf(sk->value);
    STRATA_RETURN_IF_ERROR(KeyAttribute(sk->value, "sort_key", key->mutable_sort_key()));
  }
  return Status::Ok();
}

// Billing defaults to pay_per_request, or to provisioned when only capacity is given.
Status YamlReader::Billing(const Fields& fields) {
  const YamlField* capacity = Find(fields, "capacity");
  if (capacity) {
    places_.throughput_line = LineOf(capacity->key_node);
    STRATA_RETURN_IF_ERROR(Capacity(capacity->value, "capacity", table_.mutable_throughput()));
  }
  pb::DynamoBillingMode mode = capacity ? pb::DYNAMO_BILLING_MODE_PROVISIONED
                                        : pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST;
  if (const YamlField* billing = Find(fields, "billing")) {
    places_.billing_line = LineOf(billing->value);
    STRATA_RETURN_IF_ERROR(Enum(billing->value, "billing mode", kYamlBilling, &mode));
  }
  table_.set_billing_mode(mode);
  return Status::Ok();
}

Status YamlReader::GlobalIndex(const YAML::Node& node) {
  STRATA_ASSIGN_OR_RETURN(Fields fields, MapFields(node, "global index", &kYamlGlobalIndexKeys,
                                                   "{ name: NAME, partition_key: ... }"));
  auto* index = table_.add_global_indexes();
  IndexPlace& place = places_.global_indexes.emplace_back();
  place.name_line = LineOf(node);
  const YamlField* name = Find(fields, "name");
  if (!name) return Error(node, "global index needs a name: name: NAME");
  place.name_line = LineOf(name->value);
  STRATA_ASSIGN_OR_RETURN(*index->mutable_name(), Scalar(name->value, "global index name"));
  const std::string what = fmt::format("global index \"{}\"", index->name());
  const YamlField* pk = Find(fields, "partition_key");
  if (!pk) {
    return Error(node, fmt::format("{} needs partition_key: {{ name: ATTR, type: S }}", what));
  }
  auto* key = index->mutable_key();
  STRATA_RETURN_IF_ERROR(KeyAttribute(pk->value, what + " partition_key",
                                      key->mutable_partition_key()));
  if (const YamlField* sk = Find(fields, "sort_key")) {
    place.sort_key_line = LineOf(sk->value);
    STRATA_RETURN_IF_ERROR(KeyAttribute(sk->value, what + " sort_key", key->mutable_sort_key()));
  }
  index->mutable_projection()->set_type(pb::DYNAMO_PROJECTION_TYPE_ALL);
  if (const YamlField* p = Find(fields, "projection")) {
    STRATA_RETURN_IF_ERROR(Projection(p->value, what, index->mutable_projection(),
                                      &place.projection_line));
  }
  if (const YamlField* c = Find(fields, "capacity")) {
    place.throughput_line = LineOf(c->key_node);
    STRATA_RETURN_IF_ERROR(Capacity(c->value, what + " capacity", index->mutable_throughput()));
  }
  if (const YamlField* o = Find(fields, "on_demand_throughput")) {
    place.on_demand_line = LineOf(o->key_node);
    STRATA_RETURN_IF_ERROR(OnDemand(o->value, what + " on_demand_throughput",
                                    index->mutable_on_demand_throughput()));
  }
  if (const YamlField* w = Find(fields, "warm_throughput")) {
    place.warm_line = LineOf(w->key_node);
    STRATA_RETURN_IF_ERROR(Warm(w->value, what + " warm_throughput",
                                index->mutable_warm_throughput()));
  }
  if (const YamlField* ci = Find(fields, "contributor_insights")) {
    bool on = false;
    STRATA_RETURN_IF_ERROR(Insights(ci->value, what + " contributor_insights",
                                    index->mutable_contributor_insights(), &on));
    if (!on) index->clear_contributor_insights();
  }
  return Status::Ok();
}

Status YamlReader::LocalIndex(const YAML::Node& node) {
  if (node.IsMap() && node["partition_key"]) {
    return Error(node["partition_key"],
                 "a local index always uses the table's partition key; remove partition_key "
                 "(or make it a global index)");
  }
  STRATA_ASSIGN_OR_RETURN(Fields fields, MapFields(node, "local index", &kYamlLocalIndexKeys,
                                                   "{ name: NAME, sort_key: ... }"));
  auto* index = table_.add_local_indexes();
  IndexPlace& place = places_.local_indexes.emplace_back();
  const YamlField* name = Find(fields, "name");
  if (!name) return Error(node, "local index needs a name: name: NAME");
  place.name_line = LineOf(name->value);
  STRATA_ASSIGN_OR_RETURN(*index->mutable_name(), Scalar(name->value, "local index name"));
  const std::string what = fmt::format("local index \"{}\"", index->name());
  const YamlField* sk = Find(fields, "sort_key");
  if (!sk) return Error(node, fmt::format("{} needs sort_key: {{ name: ATTR, type: S }}", what));
  place.sort_key_line = LineOf(sk->value);
  STRATA_RETURN_IF_ERROR(KeyAttribute(sk->value, what + " sort_key", index->mutable_sort_key()));
  index->mutable_projection()->set_type(pb::DYNAMO_PROJECTION_TYPE_ALL);
  if (const YamlField* p = Find(fields, "projection")) {
    STRATA_RETURN_IF_ERROR(Projection(p->value, what, index->mutable_projection(),
                                      &place.projection_line));
  }
  return Status::Ok();
}

template <typename Each>
Status YamlReader::IndexList(const Fields& fields, std::string_view key, int* line, Each each) {
  const YamlField* list = Find(fields, key);
  if (!list) return Status::Ok();
  *line = LineOf(list->key_node);
  if (list->value.IsNull()) return Status::Ok();  // `global_indexes:` with nothing under it
  if (!list->value.IsSequence()) {
    return Error(list->value, fmt::format("{} must be a list (- name: ...), not {}", key,
                                          KindName(list->value)));
  }
  for (const auto& item : list->value) STRATA_RETURN_IF_ERROR((this->*each)(item));
  return Status::Ok();
}

Status YamlReader::Settings(const Fields& fields) {
  table_.set_stream(pb::DYNAMO_STREAM_DISABLED);
  table_.set_table_class(pb::DYNAMO_TABLE_CLASS_STANDARD);
  if (const YamlField* ttl = Find(fields, "ttl")) {
    STRATA_ASSIGN_OR_RETURN(*table_.mutable_ttl_attribute(), Scalar(ttl->value, "ttl"));
    if (table_.ttl_attribute().empty()) {
      return Error(ttl->value, "ttl needs an attribute name; remove the key to keep time to "
                               "live off");
    }
  }
  if (const YamlField* stream = Find(fields, "stream")) {
    pb::DynamoStreamViewType view = pb::DYNAMO_STREAM_DISABLED;
    STRATA_RETURN_IF_ERROR(Enum(stream->value, "stream view type", kYamlStreams, &view));
    table_.set_stream(view);
  }
  if (const YamlField* cls = Find(fields, "table_class")) {
    pb::DynamoTableClass table_class = pb::DYNAMO_TABLE_CLASS_STANDARD;
    STRATA_RETURN_IF_ERROR(Enum(cls->value, "table class", kYamlTableClasses, &table_class));
    table_.set_table_class(table_class);
  }
  if (const YamlField* dp = Find(fields, "deletion_protection")) {
    bool on = false;
    if (!dp->value.IsScalar() || !YAML::convert<bool>::decode(dp->value, on)) {
      return Error(dp->value, "deletion_protection must be true or false");
    }
    table_.set_deletion_protection(on);
  }
  if (const YamlField* tags = Find(fields, "tags")) STRATA_RETURN_IF_ERROR(Tags(tags->value));
  if (const YamlField* e = Find(fields, "encryption")) STRATA_RETURN_IF_ERROR(Encryption(e->value));
  if (const YamlField* o = Find(fields, "on_demand_throughput")) {
    places_.on_demand_line = LineOf(o->key_node);
    STRATA_RETURN_IF_ERROR(
        OnDemand(o->value, "on_demand_throughput", table_.mutable_on_demand_throughput()));
  }
  if (const YamlField* w = Find(fields, "warm_throughput")) {
    places_.warm_line = LineOf(w->key_node);
    STRATA_RETURN_IF_ERROR(Warm(w->value, "warm_throughput", table_.mutable_warm_throughput()));
  }
  if (const YamlField* ci = Find(fields, "contributor_insights")) {
    bool on = false;
    STRATA_RETURN_IF_ERROR(Insights(ci->value, "contributor_insights",
                                    table_.mutable_contributor_insights(), &on));
    if (!on) table_.clear_contributor_insights();
  }
  if (const YamlField* k = Find(fields, "kinesis_destinations")) {
    STRATA_RETURN_IF_ERROR(Destinations(k->value));
  }
  if (const YamlField* pitr = Find(fields, "point_in_time_recovery")) {
    STRATA_RETURN_IF_ERROR(Recovery(pitr->value));
  }
  if (const YamlField* policy = Find(fields, "resource_policy")) {
    STRATA_RETURN_IF_ERROR(Policy(policy->value));
  }
  if (const YamlField* replicas = Find(fields, "replicas")) {
    STRATA_RETURN_IF_ERROR(Replicas(*replicas));
  }
  return Status::Ok();
}

// `- region: eu-west-1` with optional per-replica settings; the table's class when none.
Status YamlReader::Replicas(const YamlField& field) {
  places_.replicas_line = LineOf(field.key_node);
  if (field.value.IsNull()) return Status::Ok();
  if (!field.value.IsSequence()) {
    return Error(field.value, fmt::format("replicas must be a list (- region: eu-west-1), not {}",
                                          KindName(field.value)));
  }
  for (const auto& item : field.value) STRATA_RETURN_IF_ERROR(Replica(item));
  return Status::Ok();
}

Status YamlReader::Replica(const YAML::Node& node) {
  if (node.IsScalar()) {
    return Error(node, fmt::format("write a replica as a map: - region: {}", node.Scalar()));
  }
  STRATA_ASSIGN_OR_RETURN(Fields fields, MapFields(node, "replica", &kYamlReplicaKeys,
                                                   "{ region: eu-west-1 }"));
  auto* replica = table_.add_replicas();
  ReplicaPlace& place = places_.replicas.emplace_back();
  place.region_line = LineOf(node);
  const YamlField* region = Find(fields, "region");
  if (!region) return Error(node, "replica needs a region: region: eu-west-1");
  place.region_line = LineOf(region->value);
  STRATA_ASSIGN_OR_RETURN(*replica->mutable_region(), Scalar(region->value, "replica region"));
  const std::string what = fmt::format("replica {}", replica->region());
  if (const YamlField* key = Find(fields, "kms_key")) {
    STRATA_ASSIGN_OR_RETURN(*replica->mutable_kms_key(), Scalar(key->value, what + " kms_key"));
    if (replica->kms_key().empty()) {
      return Error(key->value, "kms_key is empty; name a KMS key of that region, or remove it");
    }
  }
  if (const YamlField* rc = Find(fields, "read_capacity")) {
    place.read_capacity_line = LineOf(rc->key_node);
    STRATA_ASSIGN_OR_RETURN(int64_t units, Units(*rc, what));
    replica->set_read_capacity_units(units);
  }
  if (const YamlField* mr = Find(fields, "max_read")) {
    STRATA_ASSIGN_OR_RETURN(int64_t units, Units(*mr, what));
    replica->set_max_read_request_units(units);
  }
  replica->set_table_class(table_.table_class());
  if (const YamlField* cls = Find(fields, "table_class")) {
    pb::DynamoTableClass table_class = pb::DYNAMO_TABLE_CLASS_STANDARD;
    STRATA_RETURN_IF_ERROR(Enum(cls->value, what + " table class", kYamlTableClasses,
                                &table_class));
    replica->set_table_class(table_class);
  }
  if (const YamlField* list = Find(fields, "global_indexes")) {
    if (!list->value.IsSequence()) {
      return Error(list->value, fmt::format("{} global_indexes must be a list (- name: ...), not "
                                            "{}",
                                            what, KindName(list->value)));
    }
    for (const auto& item : list->value) {
      STRATA_RETURN_IF_ERROR(ReplicaIndex(item, replica, &place));
    }
  }
  return Status::Ok();
}

// `- name: INDEX` with `max_read` (or `read_capacity`) for that index in the replica.
Status YamlReader::ReplicaIndex(const YAML::Node& node, pb::DynamoReplica* replica,
                                ReplicaPlace* place) {
  STRATA_ASSIGN_OR_RETURN(Fields fields, MapFields(node, "replica global index",
                                                   &kYamlReplicaIndexKeys,
                                                   "{ name: INDEX, max_read: N }"));
  const YamlField* name = Find(fields, "name");
  if (!name) return Error(node, "replica global index needs a name: name: INDEX");
  auto* index = replica->add_global_indexes();
  place->index_lines.push_back(LineOf(name->value));
  STRATA_ASSIGN_OR_RETURN(*index->mutable_name(), Scalar(name->value, "replica global index name"));
  const std::string what = fmt::format("replica {} global index \"{}\"", replica->region(),
                                       index->name());
  if (const YamlField* rc = Find(fields, "read_capacity")) {
    if (place->read_capacity_line == 0) place->read_capacity_line = LineOf(rc->key_node);
    STRATA_ASSIGN_OR_RETURN(int64_t units, Units(*rc, what));
    index->set_read_capacity_units(units);
  }
  if (const YamlField* mr = Find(fields, "max_read")) {
    STRATA_ASSIGN_OR_RETURN(int64_t units, Units(*mr, what));
    index->set_max_read_request_units(units);
  }
  if (index->read_capacity_units() == 0 && index->max_read_request_units() == 0) {
    return Error(node, fmt::format("{} needs max_read (or read_capacity); remove it when the "
                                   "index has no override in that replica",
                                   what));
  }
  return Status::Ok();
}

// `true` (35 days, DynamoDB's default), `false`, or `{ recovery_period_days: N }`.
Status YamlReader::Recovery(const YAML::Node& node) {
  constexpr std::string_view kForms =
      "write point_in_time_recovery: true, false or { recovery_period_days: N } (N from 1 to 35)";
  bool on = false;
  if (node.IsScalar() && YAML::convert<bool>::decode(node, on)) {
    table_.set_point_in_time_recovery_days(on ? kDefaultRecoveryPeriodDays : 0);
    return Status::Ok();
  }
  if (!node.IsMap()) {
    return Error(node, fmt::format("point_in_time_recovery is {}; {}", KindName(node), kForms));
  }
  STRATA_ASSIGN_OR_RETURN(Fields fields, MapFields(node, "point_in_time_recovery",
                                                   &kYamlRecoveryKeys,
                                                   "{ recovery_period_days: 7 }"));
  const YamlField* days = Find(fields, "recovery_period_days");
  if (!days) return Error(node, std::string(kForms));
  int value = 0;
  if (!days->value.IsScalar() || !YAML::convert<int>::decode(days->value, value) ||
      value < 1 || value > kMaxRecoveryPeriodDays) {
    return Error(days->value,
                 fmt::format("recovery_period_days must be a whole number from 1 to 35, not "
                             "\"{}\"",
                             days->value.IsScalar() ? days->value.Scalar() : "a list or map"));
  }
  table_.set_point_in_time_recovery_days(value);
  return Status::Ok();
}

// `true` (the service's default mode, accessed_and_throttled_keys), `false`, or
// `{ mode: throttled_keys }`.
Status YamlReader::Insights(const YAML::Node& node, std::string_view what,
                            pb::DynamoContributorInsights* out, bool* on) const {
  const std::string forms = fmt::format(
      "write {}: true, false or {{ mode: accessed_and_throttled_keys }} (or throttled_keys)",
      what);
  if (node.IsScalar() && YAML::convert<bool>::decode(node, *on)) {
    if (*on) out->set_mode(pb::DYNAMO_CONTRIBUTOR_INSIGHTS_ACCESSED_AND_THROTTLED_KEYS);
    return Status::Ok();
  }
  if (!node.IsMap()) return Error(node, fmt::format("{} is {}; {}", what, KindName(node), forms));
  STRATA_ASSIGN_OR_RETURN(Fields fields, MapFields(node, what, &kYamlInsightsKeys,
                                                   "{ mode: throttled_keys }"));
  const YamlField* mode = Find(fields, "mode");
  if (!mode) return Error(node, forms);
  pb::DynamoContributorInsightsMode value = pb::DYNAMO_CONTRIBUTOR_INSIGHTS_MODE_UNSPECIFIED;
  STRATA_RETURN_IF_ERROR(Enum(mode->value, "contributor insights mode", kYamlInsightsModes,
                              &value));
  out->set_mode(value);
  *on = true;
  return Status::Ok();
}

// A list of `{ stream_arn: ARN, precision: millisecond }`, precision optional.
Status YamlReader::Destinations(const YAML::Node& node) {
  if (node.IsNull()) return Status::Ok();
  if (!node.IsSequence()) {
    return Error(node, fmt::format("kinesis_destinations must be a list (- stream_arn: ARN), "
                                   "not {}",
                                   KindName(node)));
  }
  std::map<std::string, int> seen;  // ARN -> line
  for (const auto& item : node) {
    STRATA_ASSIGN_OR_RETURN(Fields fields,
                            MapFields(item, "Kinesis destination", &kYamlDestinationKeys,
                                      "{ stream_arn: ARN, precision: millisecond }"));
    const YamlField* arn = Find(fields, "stream_arn");
    if (!arn) {
      return Error(item, "a Kinesis destination needs stream_arn: the ARN of the Kinesis data "
                         "stream to send the table's changes to");
    }
    auto* d = table_.add_kinesis_destinations();
    STRATA_ASSIGN_OR_RETURN(*d->mutable_stream_arn(), Scalar(arn->value, "stream_arn"));
    if (std::string problem = StreamArnProblem(d->stream_arn()); !problem.empty()) {
      return Error(arn->value, problem);
    }
    auto [it, fresh] = seen.emplace(d->stream_arn(), LineOf(arn->value));
    if (!fresh) {
      return Error(arn->value, fmt::format("stream {} is listed twice (first at line {}); a "
                                           "table streams to each stream once",
                                           d->stream_arn(), it->second));
    }
    pb::DynamoTimestampPrecision precision = pb::DYNAMO_TIMESTAMP_PRECISION_MILLISECOND;
    if (const YamlField* p = Find(fields, "precision")) {
      STRATA_RETURN_IF_ERROR(Enum(p->value, "timestamp precision", kYamlPrecisions, &precision));
    }
    d->set_precision(precision);
  }
  return Status::Ok();
}

// The policy document as JSON text (a block scalar: resource_policy: |).
Status YamlReader::Policy(const YAML::Node& node) {
  if (!node.IsScalar()) {
    return Error(node, fmt::format("resource_policy is {}; write the policy document as JSON "
                                   "text in a block: resource_policy: | followed by the JSON, "
                                   "indented",
                                   KindName(node)));
  }
  auto normalized = NormalizeResourcePolicy(node.Scalar());
  if (!normalized.ok()) return Error(node, normalized.status().message());
  table_.set_resource_policy(*normalized);
  return Status::Ok();
}

Status YamlReader::Tags(const YAML::Node& node) {
  if (node.IsNull()) return Status::Ok();
  STRATA_ASSIGN_OR_RETURN(Fields fields, MapFields(node, "tags", nullptr, "{ team: payments }"));
  for (const auto& tag : fields) {
    if (std::string problem = TagKeyProblem(tag.key); !problem.empty()) {
      return Error(tag.key_node, problem);
    }
    if (tag.value.IsNull()) {
      return Error(tag.key_node, fmt::format("tag \"{}\" has no value; write {}: \"\" for an "
                                             "empty one",
                                             tag.key, tag.key));
    }
    STRATA_ASSIGN_OR_RETURN(std::string value, Scalar(tag.value, fmt::format("tag \"{}\"",
                                                                             tag.key)));
    (*table_.mutable_tags())[tag.key] = value;
  }
  return Status::Ok();
}

Result<pb::DynamoTable> YamlReader::Read(const YAML::Node& root) {
  if (root.IsNull()) {
    return ErrorAt(file_, 1, "no table here; a table file starts with table: NAME");
  }
  places_.root_line = std::max(1, LineOf(root));
  STRATA_ASSIGN_OR_RETURN(Fields fields, MapFields(root, "table file", &kYamlTableKeys,
                                                   "{ table: NAME, partition_key: ... }"));
  STRATA_RETURN_IF_ERROR(TableKeys(fields));
  STRATA_RETURN_IF_ERROR(Billing(fields));
  STRATA_RETURN_IF_ERROR(IndexList(fields, "global_indexes", &places_.global_indexes_line,
                                   &YamlReader::GlobalIndex));
  STRATA_RETURN_IF_ERROR(IndexList(fields, "local_indexes", &places_.local_indexes_line,
                                   &YamlReader::LocalIndex));
  STRATA_RETURN_IF_ERROR(Settings(fields));
  STRATA_RETURN_IF_ERROR(CheckTableRules(table_, places_, kYamlWords, file_));
  for (const auto& [name, type_line] : types_) {
    auto* attr = table_.add_attributes();
    attr->set_name(name);
    attr->set_type(type_line.first);
  }
  CanonicalizeDynamoTable(&table_);
  return std::move(table_);
}

// "yaml-cpp: error at line 2, column 1: end of sequence flow not found" -> the last part.
Status YamlSyntaxError(std::string_view file, const YAML::Exception& e) {
  return ErrorAt(file, e.mark.line >= 0 ? e.mark.line + 1 : 1,
                 fmt::format("invalid YAML: {}", e.msg));
}

}  // namespace

Result<pb::DynamoTable> ReadTableYaml(std::string_view text, std::string_view file_name) {
  // yaml-cpp passes any bytes through, and names that are not UTF-8 would make the table
  // unrenderable as JSON (found by the dynamodb_table fuzz target).
  if (const auto bad = common::FindInvalidUtf8(text)) {
    return ErrorAt(file_name, bad->line,
                   fmt::format("byte 0x{:02X} is not valid UTF-8; save the file as UTF-8",
                               bad->byte));
  }
  try {
    std::vector<YAML::Node> documents = common::LoadYamlDocuments(text);
    if (documents.size() > 1) {
      return ErrorAt(file_name, LineOf(documents[1]),
                     "a second YAML document; a table file holds one table");
    }
    return YamlReader(file_name).Read(documents.empty() ? YAML::Node() : documents[0]);
  } catch (const YAML::Exception& e) {
    return YamlSyntaxError(file_name, e);
  }
}

}  // namespace strata::dynamodb::internal
