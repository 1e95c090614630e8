#include "adapters/dynamodb/introspect.h"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>
#include <set>

#include "adapters/aws/json_members.h"
#include "adapters/common/parallel.h"
#include "adapters/dynamodb/errors.h"
#include "adapters/dynamodb/live_fields.h"
#include "adapters/dynamodb/resource_policy.h"
#include "engine/state/canonical.h"

namespace strata::dynamodb {
namespace {

using nlohmann::json;

// DescribeTable answers are read field by field; anything strata cannot model is an error
// naming the table and the field, never a guess.
class Reader {
 public:
  explicit Reader(std::string table) : table_(std::move(table)) {}

  Status Bad(std::string_view field, const json& value) const {
    return Status::InvalidArgument(fmt::format(
        "dynamodb table {}: DescribeTable answered {} = {}, which strata cannot model", table_,
        field, value.dump()));
  }

  template <typename Enum>
  Result<Enum> Parse(std::string_view field, const json& value,
                     std::initializer_list<std::pair<std::string_view, Enum>> names) const {
    if (value.is_string()) {
      for (const auto& [name, e] : names) {
        if (value.get<std::string>() == name) return e;
      }
    }
    return Bad(field, value);
  }

 private:
  std::string table_;
};

Status ReadKey(const Reader& r, const json& key_schema, pb::DynamoKeySchema* key) {
  if (!key_schema.is_array()) return r.Bad("KeySchema", key_schema);
  for (const auto& element : key_schema) {
    const std::string type = aws::JsonString(element, "KeyType");
    if (type == "HASH") {
      key->set_partition_key(aws::JsonString(element, "AttributeName"));
    } else if (type == "RANGE") {
      key->set_sort_key(aws::JsonString(element, "AttributeName"));
    } else {
      return r.Bad("KeySchema.KeyType", element);
    }
  }
  if (key->partition_key().empty()) return r.Bad("KeySchema", key_schema);
  return Status::Ok();
}

Status ReadProjection(const Reader& r, const json& p, pb::DynamoProjection* out) {
  STRATA_ASSIGN_OR_RETURN(auto type,
                          r.Parse<pb::DynamoProjectionType>(
                              "Projection.ProjectionType", aws::JsonMember(p, "ProjectionType"),
                              {{"ALL", pb::DYNAMO_PROJECTION_TYPE_ALL},
                               {"KEYS_ONLY", pb::DYNAMO_PROJECTION_TYPE_KEYS_ONLY},
                               {"INCLUDE", pb::DYNAMO_PROJECTION_TYPE_INCLUDE}}));
  out->set_type(type);
  const json& attrs = aws::JsonMember(p, "NonKeyAttributes");
  if (attrs.is_array()) {
    for (const auto& a : attrs) {
      if (a.is_string()) out->add_non_key_attributes(a.get<std::string>());
    }
  }
  return Status::Ok();
}

void ReadThroughput(const json& t, pb::DynamoThroughput* out) {
  out->set_read_capacity_units(aws::JsonInt(t, "ReadCapacityUnits"));
  out->set_write_capacity_units(aws::JsonInt(t, "WriteCapacityUnits"));
}

// Absent, or -1 on a side: no maximum there. Only on-demand tables have one.
template <typename Owner>
void ReadOnDemand(const json& owner, bool on_demand, Owner* out) {
  const json& o = aws::JsonMember(owner, "OnDemandThroughput");
  if (!on_demand || !o.is_object()) return;
  const int64_t read = std::max<int64_t>(0, aws::JsonInt(o, "MaxReadRequestUnits"));
  const int64_t write = std::max<int64_t>(0, aws::JsonInt(o, "MaxWriteRequestUnits"));
  if (read == 0 && write == 0) return;
  out->mutable_on_demand_throughput()->set_max_read_request_units(read);
  out->mutable_on_demand_throughput()->set_max_write_request_units(write);
}

// Every table and index reports one; which of them strata keeps is live_settings.h's call.
template <typename Owner>
void ReadWarm(const json& owner, const std::string& who, Owner* out,
              std::vector<std::string>* busy) {
  const json& w = aws::JsonMember(owner, "WarmThroughput");
  if (!w.is_object()) return;
  const std::string status = aws::JsonString(w, "Status");
  if (!status.empty() && status != "ACTIVE") busy->push_back(who + "warm throughput " + status);
  const int64_t read = aws::JsonInt(w, "ReadUnitsPerSecond"),
                write = aws::JsonInt(w, "WriteUnitsPerSecond");
  if (read <= 0 && write <= 0) return;
  out->mutable_warm_throughput()->set_read_units_per_second(read);
  out->mutable_warm_throughput()->set_write_units_per_second(write);
}

// No SSEDescription (or one being disabled): the AWS-owned key. Otherwise a KMS key, by its
// ARN: live_settings.h tells the aws/dynamodb key from a customer's.
void ReadEncryption(const json& d, LiveTable* live) {
  const json& sse = aws::JsonMember(d, "SSEDescription");
  if (!sse.is_object()) return;
  const std::string status = aws::JsonString(sse, "Status");
  if (status == "UPDATING" || status == "ENABLING" || status == "DISABLING") {
    live->busy_settings.push_back("encryption " + status);
  }
  if (status == "DISABLED" || status == "DISABLING") return;
  const std::string arn = aws::JsonString(sse, "KMSMasterKeyArn");
  auto* e = live->table.mutable_encryption();
  e->set_key(arn.empty() ? pb::DYNAMO_ENCRYPTION_KEY_AWS_MANAGED
                         : pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED);
  e->set_kms_key(arn);
}

Status ReadAttributes(const Reader& r, const json& defs, pb::DynamoTable* t) {
  if (!defs.is_array()) return r.Bad("AttributeDefinitions", defs);
  for (const auto& d : defs) {
    STRATA_ASSIGN_OR_RETURN(auto type,
                            r.Parse<pb::DynamoAttributeType>("AttributeDefinitions.AttributeType",
                                                             aws::JsonMember(d, "AttributeType"),
                                                             {{"S", pb::DYNAMO_ATTRIBUTE_TYPE_S},
                                                              {"N", pb::DYNAMO_ATTRIBUTE_TYPE_N},
                                                              {"B", pb::DYNAMO_ATTRIBUTE_TYPE_B}}));
    auto* a = t->add_attributes();
    a->set_name(aws::JsonString(d, "AttributeName"));
    a->set_type(type);
  }
  return Status::Ok();
}

std::string IndexStatusOf(const json& g) {
  std::string status = aws::JsonString(g, "IndexStatus");
  if (status.empty()) status = "ACTIVE";
  auto backfilling = g.find("Backfilling");
  if (backfilling != g.end() && backfilling->is_boolean() && backfilling->get<bool>()) {
    status += " (backfilling)";
  }
  return status;
}

Status ReadGlobalIndexes(const Reader& r, const json& list, LiveTable* live) {
  if (list.is_null()) return Status::Ok();
  if (!list.is_array()) return r.Bad("GlobalSecondaryIndexes", list);
  const bool provisioned = live->table.billing_mode() == pb::DYNAMO_BILLING_MODE_PROVISIONED;
  for (const auto& g : list) {
    const std::string status = IndexStatusOf(g);
    live->index_status[aws::JsonString(g, "IndexName")] = status;
    if (status == "DELETING") continue;  // on its way out: not part of the table any more
    auto* index = live->table.add_global_indexes();
    index->set_name(aws::JsonString(g, "IndexName"));
    STRATA_RETURN_IF_ERROR(ReadKey(r, aws::JsonMember(g, "KeySchema"), index->mutable_key()));
    STRATA_RETURN_IF_ERROR(
        ReadProjection(r, aws::JsonMember(g, "Projection"), index->mutable_projection()));
    if (provisioned)
      ReadThroughput(aws::JsonMember(g, "ProvisionedThroughput"), index->mutable_throughput());
    ReadOnDemand(g, !provisioned, index);
    ReadWarm(g, "index " + index->name() + " ", index, &live->busy_settings);
  }
  return Status::Ok();
}

Status ReadLocalIndexes(const Reader& r, const json& list, pb::DynamoTable* t) {
  if (list.is_null()) return Status::Ok();
  if (!list.is_array()) return r.Bad("LocalSecondaryIndexes", list);
  for (const auto& l : list) {
    auto* index = t->add_local_indexes();
    index->set_name(aws::JsonString(l, "IndexName"));
    pb::DynamoKeySchema key;
    STRATA_RETURN_IF_ERROR(ReadKey(r, aws::JsonMember(l, "KeySchema"), &key));
    index->set_sort_key(key.sort_key());
    STRATA_RETURN_IF_ERROR(
        ReadProjection(r, aws::JsonMember(l, "Projection"), index->mutable_projection()));
  }
  return Status::Ok();
}

// A table created PROVISIONED that never switched has no BillingModeSummary.
Status ReadBilling(const Reader& r, const json& d, pb::DynamoTable* t) {
  const json& mode = aws::JsonMember(aws::JsonMember(d, "BillingModeSummary"), "BillingMode");
  pb::DynamoBillingMode billing = pb::DYNAMO_BILLING_MODE_PROVISIONED;
  if (!mode.is_null()) {
    STRATA_ASSIGN_OR_RETURN(
        billing, r.Parse<pb::DynamoBillingMode>(
                     "BillingModeSummary.BillingMode", mode,
                     {{"PROVISIONED", pb::DYNAMO_BILLING_MODE_PROVISIONED},
                      {"PAY_PER_REQUEST", pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST}}));
  }
  t->set_billing_mode(billing);
  if (billing == pb::DYNAMO_BILLING_MODE_PROVISIONED) {
    ReadThroughput(aws::JsonMember(d, "ProvisionedThroughput"), t->mutable_throughput());
  }
  return Status::Ok();
}

Status ReadSettings(const Reader& r, const json& d, pb::DynamoTable* t) {
  const json& stream = aws::JsonMember(d, "StreamSpecification");
  t->set_stream(pb::DYNAMO_STREAM_DISABLED);
  if (aws::JsonMember(stream, "StreamEnabled") == json(true)) {
    STRATA_ASSIGN_OR_RETURN(
        auto view,
        r.Parse<pb::DynamoStreamViewType>(
            "StreamSpecification.StreamViewType", aws::JsonMember(stream, "StreamViewType"),
            {{"KEYS_ONLY", pb::DYNAMO_STREAM_KEYS_ONLY},
             {"NEW_IMAGE", pb::DYNAMO_STREAM_NEW_IMAGE},
             {"OLD_IMAGE", pb::DYNAMO_STREAM_OLD_IMAGE},
             {"NEW_AND_OLD_IMAGES", pb::DYNAMO_STREAM_NEW_AND_OLD_IMAGES}}));
    t->set_stream(view);
  }
  // Absent for tables that were never given a class: those are STANDARD.
  const json& table_class = aws::JsonMember(aws::JsonMember(d, "TableClassSummary"), "TableClass");
  t->set_table_class(pb::DYNAMO_TABLE_CLASS_STANDARD);
  if (!table_class.is_null()) {
    STRATA_ASSIGN_OR_RETURN(
        auto c, r.Parse<pb::DynamoTableClass>(
                    "TableClassSummary.TableClass", table_class,
                    {{"STANDARD", pb::DYNAMO_TABLE_CLASS_STANDARD},
                     {"STANDARD_INFREQUENT_ACCESS", pb::DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS}}));
    t->set_table_class(c);
  }
  t->set_deletion_protection(aws::JsonMember(d, "DeletionProtectionEnabled") == json(true));
  return Status::Ok();
}

// Global tables (2019.11.21): each replica in another region with its own read-side settings.
// A replica being deleted is not part of the table any more; its class defaults to the table's.
void ReadReplicas(const json& d, LiveTable* live) {
  const json& list = aws::JsonMember(d, "Replicas");
  if (!list.is_array()) return;
  pb::DynamoTable& t = live->table;
  for (const auto& r : list) {
    const std::string region = aws::JsonString(r, "RegionName");
    if (region.empty()) continue;
    std::string status = aws::JsonString(r, "ReplicaStatus");
    if (status.empty()) status = "ACTIVE";
    live->replica_status[region] = status;
    if (status != "ACTIVE" && !aws::JsonString(r, "ReplicaStatusDescription").empty()) {
      live->replica_problems[region] = aws::JsonString(r, "ReplicaStatusDescription");
    }
    if (status == "DELETING") continue;
    auto* replica = t.add_replicas();
    replica->set_region(region);
    replica->set_kms_key(aws::JsonString(r, "KMSMasterKeyId"));
    replica->set_read_capacity_units(
        aws::JsonInt(aws::JsonMember(r, "ProvisionedThroughputOverride"), "ReadCapacityUnits"));
    replica->set_max_read_request_units(std::max<int64_t>(
        0, aws::JsonInt(aws::JsonMember(r, "OnDemandThroughputOverride"), "MaxReadRequestUnits")));
    const std::string cls =
        aws::JsonString(aws::JsonMember(r, "ReplicaTableClassSummary"), "TableClass");
    replica->set_table_class(cls == "STANDARD_INFREQUENT_ACCESS"
                                 ? pb::DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS
                             : cls == "STANDARD" ? pb::DYNAMO_TABLE_CLASS_STANDARD
                                                 : t.table_class());
    const json& indexes = aws::JsonMember(r, "GlobalSecondaryIndexes");
    if (!indexes.is_array()) continue;
    for (const auto& g : indexes) {
      auto* index = replica->add_global_indexes();
      index->set_name(aws::JsonString(g, "IndexName"));
      index->set_read_capacity_units(
          aws::JsonInt(aws::JsonMember(g, "ProvisionedThroughputOverride"), "ReadCapacityUnits"));
      index->set_max_read_request_units(std::max<int64_t>(
          0,
          aws::JsonInt(aws::JsonMember(g, "OnDemandThroughputOverride"), "MaxReadRequestUnits")));
    }
  }
}

// ENABLING counts as on and DISABLING as off: the change has been asked for and cannot be
// taken back while it completes.
void ReadTimeToLive(const json& ttl, pb::DynamoTable* t) {
  const std::string status = aws::JsonString(ttl, "TimeToLiveStatus");
  if (status == "ENABLED" || status == "ENABLING")
    t->set_ttl_attribute(aws::JsonString(ttl, "AttributeName"));
}

Result<LiveTable> Project(const json& d, const json& ttl,
                          const std::map<std::string, std::string>& tags) {
  if (!d.is_object()) return Status::InvalidArgument("dynamodb DescribeTable: no Table in the answer");
  LiveTable live;
  pb::DynamoTable& t = live.table;
  t.set_name(aws::JsonString(d, "TableName"));
  Reader r(t.name());
  live.status = aws::JsonString(d, "TableStatus");
  live.item_count = aws::JsonInt(d, "ItemCount");
  live.size_bytes = aws::JsonInt(d, "TableSizeBytes");
  live.arn = aws::JsonString(d, "TableArn");
  STRATA_RETURN_IF_ERROR(ReadKey(r, aws::JsonMember(d, "KeySchema"), t.mutable_key()));
  STRATA_RETURN_IF_ERROR(ReadAttributes(r, aws::JsonMember(d, "AttributeDefinitions"), &t));
  STRATA_RETURN_IF_ERROR(ReadBilling(r, d, &t));
  STRATA_RETURN_IF_ERROR(ReadGlobalIndexes(r, aws::JsonMember(d, "GlobalSecondaryIndexes"), &live));
  STRATA_RETURN_IF_ERROR(ReadLocalIndexes(r, aws::JsonMember(d, "LocalSecondaryIndexes"), &t));
  STRATA_RETURN_IF_ERROR(ReadSettings(r, d, &t));
  ReadOnDemand(d, t.billing_mode() == pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST, &t);
  ReadWarm(d, "", &t, &live.busy_settings);
  ReadEncryption(d, &live);
  ReadTimeToLive(ttl, &t);
  ReadReplicas(d, &live);
  for (const auto& [k, v] : tags) (*t.mutable_tags())[k] = v;
  CanonicalizeDynamoTable(&t);
  live.unmanaged = UnmanagedFields(d);
  return live;
}

// All pages of ListTagsOfResource. `*supported` turns false when the target has no tagging.
Result<std::map<std::string, std::string>> ReadTags(aws::JsonService& ddb, const std::string& table,
                                                    const std::string& arn, bool* supported) {
  std::map<std::string, std::string> tags;
  json input = {{"ResourceArn", arn}};
  while (true) {
    aws::ServiceError error;
    auto out = CallTable(ddb, "ListTagsOfResource", table, input, &error);
    if (!out.ok() && error.code == "UnknownOperationException") {
      *supported = false;
      return tags;
    }
    if (!out.ok()) return out.status();
    for (const auto& tag : aws::JsonMember(*out, "Tags"))
      tags[aws::JsonString(tag, "Key")] = aws::JsonString(tag, "Value");
    const std::string next = aws::JsonString(*out, "NextToken");
    if (next.empty()) return tags;
    input["NextToken"] = next;
  }
}

}  // namespace

Status AddExtras(const RecoveryState& recovery, const PolicyState& policy, LiveTable* live) {
  live->recovery_supported = recovery.supported;
  live->policy_supported = policy.supported;
  live->table.set_point_in_time_recovery_days(recovery.on() ? recovery.days : 0);
  if (policy.policy.empty()) return Status::Ok();
  auto normalized = NormalizeResourcePolicy(policy.policy);
  if (!normalized.ok()) {
    return normalized.status().WithContext(
        fmt::format("dynamodb table {}: GetResourcePolicy answered a policy strata cannot read",
                    live->table.name()));
  }
  live->table.set_resource_policy(*normalized);
  return Status::Ok();
}

void AddStreamingExtras(const InsightsState& table,
                        const std::map<std::string, InsightsState>& indexes,
                        const KinesisState& kinesis, LiveTable* live) {
  auto set = [](const InsightsState& state, auto* owner) {
    owner->clear_contributor_insights();
    if (!state.supported || !state.on()) return;
    owner->mutable_contributor_insights()->set_mode(
        state.mode == "THROTTLED_KEYS" ? pb::DYNAMO_CONTRIBUTOR_INSIGHTS_THROTTLED_KEYS
                                       : pb::DYNAMO_CONTRIBUTOR_INSIGHTS_ACCESSED_AND_THROTTLED_KEYS);
  };
  live->insights_supported = table.supported;
  set(table, &live->table);
  for (auto& g : *live->table.mutable_global_indexes()) {
    auto it = indexes.find(g.name());
    if (it != indexes.end()) set(it->second, &g);
  }
  live->kinesis_supported = kinesis.supported;
  live->table.clear_kinesis_destinations();
  for (const auto& d : kinesis.destinations) {
    if (d.status != "ACTIVE" && d.status != "ENABLING" && d.status != "UPDATING") continue;
    auto* out = live->table.add_kinesis_destinations();
    out->set_stream_arn(d.stream_arn);
    out->set_precision(d.precision == "MICROSECOND" ? pb::DYNAMO_TIMESTAMP_PRECISION_MICROSECOND
                                                    : pb::DYNAMO_TIMESTAMP_PRECISION_MILLISECOND);
  }
  CanonicalizeDynamoTable(&live->table);
}

void TakeUnreportedSettings(const LiveTable& t, const pb::DynamoTable& known,
                            pb::DynamoTable* live) {
  if (!t.insights_supported) {
    if (known.has_contributor_insights()) {
      *live->mutable_contributor_insights() = known.contributor_insights();
    } else {
      live->clear_contributor_insights();
    }
    for (auto& g : *live->mutable_global_indexes()) {
      g.clear_contributor_insights();
      for (const auto& k : known.global_indexes()) {
        if (k.name() == g.name() && k.has_contributor_insights()) {
          *g.mutable_contributor_insights() = k.contributor_insights();
        }
      }
    }
  }
  if (!t.kinesis_supported) {
    *live->mutable_kinesis_destinations() = known.kinesis_destinations();
  }
}

// Contributor insights of the table and its indexes (the indexes only where the table's could
// be read), and the Kinesis destinations. NotFound when the table went away meanwhile.
Status ReadStreamingExtras(aws::JsonService& ddb, LiveTable* live) {
  const std::string& name = live->table.name();
  STRATA_ASSIGN_OR_RETURN(InsightsState table, ReadInsights(ddb, name, ""));
  std::map<std::string, InsightsState> indexes;
  if (table.supported) {
    for (const auto& g : live->table.global_indexes()) {
      STRATA_ASSIGN_OR_RETURN(indexes[g.name()], ReadInsights(ddb, name, g.name()));
    }
  }
  STRATA_ASSIGN_OR_RETURN(KinesisState kinesis, ReadKinesis(ddb, name));
  AddStreamingExtras(table, indexes, kinesis, live);
  return Status::Ok();
}

bool LiveTable::Ready() const {
  if (status != "ACTIVE" || !busy_settings.empty()) return false;
  auto active = [](const auto& entry) { return entry.second == "ACTIVE"; };
  return std::all_of(index_status.begin(), index_status.end(), active) &&
         std::all_of(replica_status.begin(), replica_status.end(), active);
}

Result<LiveTable> LiveTableFromDescription(const json& table, const json& time_to_live,
                                           const std::map<std::string, std::string>& tags) {
  try {
    return Project(table, time_to_live, tags);
  } catch (const json::exception& e) {
    return Status::InvalidArgument(
        fmt::format("dynamodb table {}: unexpected DescribeTable answer: {}",
                    table.is_object() ? aws::JsonString(table, "TableName") : "?", e.what()));
  }
}

Result<std::optional<LiveTable>> DescribeLiveTable(aws::JsonService& ddb, const std::string& name) {
  aws::ServiceError error;
  auto described = CallTable(ddb, "DescribeTable", name, {{"TableName", name}}, &error);
  if (!described.ok() && IsTableNotFound(error)) return std::optional<LiveTable>();
  if (!described.ok()) return described.status();
  auto ttl = CallTable(ddb, "DescribeTimeToLive", name, {{"TableName", name}}, &error);
  if (!ttl.ok() && IsTableNotFound(error)) return std::optional<LiveTable>();
  if (!ttl.ok()) return ttl.status();
  const json& d = aws::JsonMember(*described, "Table");
  bool tags_supported = true;
  auto tags = ReadTags(ddb, name, aws::JsonString(d, "TableArn"), &tags_supported);
  if (!tags.ok() && tags.status().code() == Code::kNotFound) return std::optional<LiveTable>();
  if (!tags.ok()) return tags.status();
  STRATA_ASSIGN_OR_RETURN(
      LiveTable live,
      LiveTableFromDescription(d, aws::JsonMember(*ttl, "TimeToLiveDescription"), *tags));
  live.tags_supported = tags_supported;
  auto recovery = ReadRecovery(ddb, name);
  if (!recovery.ok() && recovery.status().code() == Code::kNotFound) {
    return std::optional<LiveTable>();
  }
  if (!recovery.ok()) return recovery.status();
  auto policy = ReadPolicy(ddb, name, live.arn.empty() ? name : live.arn);
  if (!policy.ok() && policy.status().code() == Code::kNotFound) return std::optional<LiveTable>();
  if (!policy.ok()) return policy.status();
  STRATA_RETURN_IF_ERROR(AddExtras(*recovery, *policy, &live));
  Status streaming = ReadStreamingExtras(ddb, &live);
  if (streaming.code() == Code::kNotFound) return std::optional<LiveTable>();
  STRATA_RETURN_IF_ERROR(streaming);
  return std::optional<LiveTable>(std::move(live));
}

Result<std::vector<std::string>> ListTableNames(aws::JsonService& ddb) {
  std::vector<std::string> names;
  json input = {{"Limit", 100}};
  while (true) {
    auto out = ddb.Call("ListTables", input, nullptr);
    if (!out.ok()) return out.status().WithContext("listing dynamodb tables");
    for (const auto& n : aws::JsonMember(*out, "TableNames")) {
      if (n.is_string()) names.push_back(n.get<std::string>());
    }
    const std::string last = aws::JsonString(*out, "LastEvaluatedTableName");
    if (last.empty()) break;
    input["ExclusiveStartTableName"] = last;
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::vector<LiveTable>> ListLiveTables(aws::JsonService& ddb, const IntrospectOptions& options) {
  std::vector<std::string> names;
  if (options.only.has_value()) {
    std::set<std::string> unique(options.only->begin(), options.only->end());
    names.assign(unique.begin(), unique.end());
  } else {
    STRATA_ASSIGN_OR_RETURN(names, ListTableNames(ddb));
  }
  std::vector<std::optional<LiveTable>> found(names.size());
  std::mutex progress_mu;
  size_t done = 0;
  auto describe = [&](size_t i) -> Status {
    STRATA_ASSIGN_OR_RETURN(found[i], DescribeLiveTable(ddb, names[i]));
    if (options.progress) {
      std::lock_guard<std::mutex> lock(progress_mu);
      options.progress(++done, names.size());
    }
    return Status::Ok();
  };
  STRATA_RETURN_IF_ERROR(
      common::RunParallelUntilFailure(names.size(), options.max_concurrency, describe));
  std::vector<LiveTable> tables;
  tables.reserve(names.size());
  for (auto& t : found) {
    if (t.has_value()) tables.push_back(std::move(*t));
  }
  return tables;
}

pb::DynamoSchema SchemaOf(const std::vector<LiveTable>& tables) {
  pb::DynamoSchema schema;
  for (const auto& t : tables) (*schema.mutable_tables())[t.table.name()] = t.table;
  return schema;
}

}  // namespace strata::dynamodb
