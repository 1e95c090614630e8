#include "adapters/dynamodb/render.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <vector>

#include "adapters/dynamodb/resource_policy.h"

namespace strata::dynamodb {
namespace {

using nlohmann::ordered_json;

ordered_json KeySchema(std::string_view partition_key, std::string_view sort_key) {
  ordered_json out = ordered_json::array();
  out.push_back({{"AttributeName", partition_key}, {"KeyType", "HASH"}});
  if (!sort_key.empty()) out.push_back({{"AttributeName", sort_key}, {"KeyType", "RANGE"}});
  return out;
}

ordered_json Projection(const pb::DynamoProjection& projection) {
  ordered_json out = {{"ProjectionType", ProjectionTypeName(projection.type())}};
  if (projection.non_key_attributes_size() > 0) {
    out["NonKeyAttributes"] = std::vector<std::string>(projection.non_key_attributes().begin(),
                                                       projection.non_key_attributes().end());
  }
  return out;
}

ordered_json LocalIndex(const pb::DynamoLocalIndex& index, std::string_view partition_key) {
  return {{"IndexName", index.name()},
          {"KeySchema", KeySchema(partition_key, index.sort_key())},
          {"Projection", Projection(index.projection())}};
}

// Proto maps have no order; output does.
std::map<std::string, std::string> SortedTags(const pb::DynamoTable& table) {
  return {table.tags().begin(), table.tags().end()};
}

ordered_json Tags(const pb::DynamoTable& table) {
  ordered_json out = ordered_json::array();
  for (const auto& [key, value] : SortedTags(table)) {
    out.push_back({{"Key", key}, {"Value", value}});
  }
  return out;
}

}  // namespace

std::string_view BillingModeName(pb::DynamoBillingMode mode) {
  switch (mode) {
    case pb::DYNAMO_BILLING_MODE_PROVISIONED: return "PROVISIONED";
    case pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST: return "PAY_PER_REQUEST";
    default: return "UNSPECIFIED";
  }
}

std::string_view StreamViewTypeName(pb::DynamoStreamViewType stream) {
  switch (stream) {
    case pb::DYNAMO_STREAM_DISABLED: return "DISABLED";
    case pb::DYNAMO_STREAM_KEYS_ONLY: return "KEYS_ONLY";
    case pb::DYNAMO_STREAM_NEW_IMAGE: return "NEW_IMAGE";
    case pb::DYNAMO_STREAM_OLD_IMAGE: return "OLD_IMAGE";
    case pb::DYNAMO_STREAM_NEW_AND_OLD_IMAGES: return "NEW_AND_OLD_IMAGES";
    default: return "UNSPECIFIED";
  }
}

std::string_view InsightsModeName(pb::DynamoContributorInsightsMode mode) {
  switch (mode) {
    case pb::DYNAMO_CONTRIBUTOR_INSIGHTS_ACCESSED_AND_THROTTLED_KEYS:
      return "ACCESSED_AND_THROTTLED_KEYS";
    case pb::DYNAMO_CONTRIBUTOR_INSIGHTS_THROTTLED_KEYS: return "THROTTLED_KEYS";
    default: return "UNSPECIFIED";
  }
}

std::string_view PrecisionName(pb::DynamoTimestampPrecision precision) {
  switch (precision) {
    case pb::DYNAMO_TIMESTAMP_PRECISION_MILLISECOND: return "MILLISECOND";
    case pb::DYNAMO_TIMESTAMP_PRECISION_MICROSECOND: return "MICROSECOND";
    default: return "UNSPECIFIED";
  }
}

ordered_json RenderInsightsSpecification(const pb::DynamoContributorInsights& insights) {
  return {{"Enabled", true}, {"Mode", InsightsModeName(insights.mode())}};
}

ordered_json RenderKinesisSpecification(const pb::DynamoKinesisDestination& d) {
  return {{"StreamArn", d.stream_arn()},
          {"ApproximateCreationDateTimePrecision", PrecisionName(d.precision())}};
}

std::string_view TableClassName(pb::DynamoTableClass table_class) {
  switch (table_class) {
    case pb::DYNAMO_TABLE_CLASS_STANDARD: return "STANDARD";
    case pb::DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS: return "STANDARD_INFREQUENT_ACCESS";
    default: return "UNSPECIFIED";
  }
}

std::string_view ProjectionTypeName(pb::DynamoProjectionType type) {
  switch (type) {
    case pb::DYNAMO_PROJECTION_TYPE_ALL: return "ALL";
    case pb::DYNAMO_PROJECTION_TYPE_KEYS_ONLY: return "KEYS_ONLY";
    case pb::DYNAMO_PROJECTION_TYPE_INCLUDE: return "INCLUDE";
    default: return "UNSPECIFIED";
  }
}

std::string_view AttributeTypeName(pb::DynamoAttributeType type) {
  switch (type) {
    case pb::DYNAMO_ATTRIBUTE_TYPE_S: return "S";
    case pb::DYNAMO_ATTRIBUTE_TYPE_N: return "N";
    case pb::DYNAMO_ATTRIBUTE_TYPE_B: return "B";
    default: return "UNSPECIFIED";
  }
}

ordered_json RenderAttributeDefinition(const pb::DynamoAttributeDefinition& attribute) {
  return {{"AttributeName", attribute.name()},
          {"AttributeType", AttributeTypeName(attribute.type())}};
}

ordered_json RenderAttributeDefinitions(const pb::DynamoTable& table) {
  ordered_json out = ordered_json::array();
  for (const auto& a : table.attributes()) out.push_back(RenderAttributeDefinition(a));
  return out;
}

ordered_json RenderThroughput(const pb::DynamoThroughput& throughput) {
  return {{"ReadCapacityUnits", throughput.read_capacity_units()},
          {"WriteCapacityUnits", throughput.write_capacity_units()}};
}

ordered_json RenderOnDemandThroughput(const pb::DynamoOnDemandThroughput& o, bool remove_unset) {
  ordered_json out = ordered_json::object();
  auto side = [&](const char* key, int64_t units) {
    if (units > 0) {
      out[key] = units;
    } else if (remove_unset) {
      out[key] = -1;
    }
  };
  side("MaxReadRequestUnits", o.max_read_request_units());
  side("MaxWriteRequestUnits", o.max_write_request_units());
  return out;
}

ordered_json RenderWarmThroughput(const pb::DynamoWarmThroughput& w) {
  return {{"ReadUnitsPerSecond", w.read_units_per_second()},
          {"WriteUnitsPerSecond", w.write_units_per_second()}};
}

ordered_json RenderSseSpecification(const pb::DynamoTable& table) {
  if (!table.has_encryption() ||
      table.encryption().key() == pb::DYNAMO_ENCRYPTION_KEY_AWS_OWNED) {
    return {{"Enabled", false}};
  }
  ordered_json out = {{"Enabled", true}, {"SSEType", "KMS"}};
  if (table.encryption().key() == pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED) {
    out["KMSMasterKeyId"] = table.encryption().kms_key();
  }
  return out;
}

std::string EncryptionText(const pb::DynamoTable& table) {
  if (!table.has_encryption()) return "AWS-owned key";
  switch (table.encryption().key()) {
    case pb::DYNAMO_ENCRYPTION_KEY_AWS_MANAGED: return "AWS-managed key (aws/dynamodb)";
    case pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED: return "KMS key " + table.encryption().kms_key();
    default: return "AWS-owned key";
  }
}

std::string OnDemandText(const pb::DynamoOnDemandThroughput* o) {
  if (o == nullptr) return "no maximum";
  auto side = [](int64_t units) { return units > 0 ? std::to_string(units) : std::string("no max"); };
  return side(o->max_read_request_units()) + " read, " + side(o->max_write_request_units()) +
         " write request units at most";
}

std::string WarmText(const pb::DynamoWarmThroughput& w) {
  return std::to_string(w.read_units_per_second()) + " read, " +
         std::to_string(w.write_units_per_second()) + " write units per second";
}

ordered_json RenderGlobalIndex(const pb::DynamoGlobalIndex& index) {
  ordered_json out = {{"IndexName", index.name()},
                      {"KeySchema", KeySchema(index.key().partition_key(), index.key().sort_key())},
                      {"Projection", Projection(index.projection())}};
  if (index.has_throughput()) out["ProvisionedThroughput"] = RenderThroughput(index.throughput());
  if (index.has_on_demand_throughput()) {
    out["OnDemandThroughput"] = RenderOnDemandThroughput(index.on_demand_throughput());
  }
  if (index.has_warm_throughput()) {
    out["WarmThroughput"] = RenderWarmThroughput(index.warm_throughput());
  }
  return out;
}

ordered_json RenderReplica(const pb::DynamoReplica& replica, pb::DynamoTableClass table_class) {
  ordered_json out;
  out["RegionName"] = replica.region();
  if (!replica.kms_key().empty()) out["KMSMasterKeyId"] = replica.kms_key();
  if (replica.read_capacity_units() > 0) {
    out["ProvisionedThroughputOverride"] = {{"ReadCapacityUnits", replica.read_capacity_units()}};
  }
  if (replica.max_read_request_units() > 0) {
    out["OnDemandThroughputOverride"] = {
        {"MaxReadRequestUnits", replica.max_read_request_units()}};
  }
  if (replica.global_indexes_size() > 0) {
    ordered_json& list = out["GlobalSecondaryIndexes"] = ordered_json::array();
    for (const auto& g : replica.global_indexes()) {
      ordered_json index;
      index["IndexName"] = g.name();
      if (g.read_capacity_units() > 0) {
        index["ProvisionedThroughputOverride"] = {{"ReadCapacityUnits", g.read_capacity_units()}};
      }
      if (g.max_read_request_units() > 0) {
        index["OnDemandThroughputOverride"] = {{"MaxReadRequestUnits", g.max_read_request_units()}};
      }
      list.push_back(std::move(index));
    }
  }
  if (replica.table_class() != table_class &&
      replica.table_class() != pb::DYNAMO_TABLE_CLASS_UNSPECIFIED) {
    out["TableClassOverride"] = TableClassName(replica.table_class());
  }
  return out;
}

std::string ReplicaText(const pb::DynamoReplica& replica, pb::DynamoTableClass table_class) {
  std::vector<std::string> parts;
  if (!replica.kms_key().empty()) parts.push_back("KMS key " + replica.kms_key());
  if (replica.read_capacity_units() > 0) {
    parts.push_back(fmt::format("read capacity {}", replica.read_capacity_units()));
  }
  if (replica.max_read_request_units() > 0) {
    parts.push_back(fmt::format("max {} read request units", replica.max_read_request_units()));
  }
  for (const auto& g : replica.global_indexes()) {
    parts.push_back(fmt::format("index {} {}", g.name(),
                                g.max_read_request_units() > 0
                                    ? fmt::format("max {} read request units",
                                                  g.max_read_request_units())
                                    : fmt::format("read capacity {}", g.read_capacity_units())));
  }
  if (replica.table_class() != table_class) {
    parts.push_back(fmt::format("table class {}", TableClassName(replica.table_class())));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

ordered_json RenderCreateTable(const pb::DynamoTable& table) {
  ordered_json out;
  out["AttributeDefinitions"] = RenderAttributeDefinitions(table);
  out["TableName"] = table.name();
  out["KeySchema"] = KeySchema(table.key().partition_key(), table.key().sort_key());
  if (table.local_indexes_size() > 0) {
    ordered_json& list = out["LocalSecondaryIndexes"] = ordered_json::array();
    for (const auto& l : table.local_indexes()) {
      list.push_back(LocalIndex(l, table.key().partition_key()));
    }
  }
  if (table.global_indexes_size() > 0) {
    ordered_json& list = out["GlobalSecondaryIndexes"] = ordered_json::array();
    for (const auto& g : table.global_indexes()) {
      list.push_back(RenderGlobalIndex(g));
      if (g.has_contributor_insights()) {
        list.back()["ContributorInsightsSpecification"] =
            RenderInsightsSpecification(g.contributor_insights());
      }
    }
  }
  out["BillingMode"] = BillingModeName(table.billing_mode());
  if (table.has_throughput()) out["ProvisionedThroughput"] = RenderThroughput(table.throughput());
  if (table.stream() != pb::DYNAMO_STREAM_DISABLED &&
      table.stream() != pb::DYNAMO_STREAM_VIEW_TYPE_UNSPECIFIED) {
    out["StreamSpecification"] = {{"StreamEnabled", true},
                                  {"StreamViewType", StreamViewTypeName(table.stream())}};
  }
  if (table.has_encryption()) out["SSESpecification"] = RenderSseSpecification(table);
  if (!table.tags().empty()) out["Tags"] = Tags(table);
  out["TableClass"] = TableClassName(table.table_class());
  out["DeletionProtectionEnabled"] = table.deletion_protection();
  if (table.has_warm_throughput()) {
    out["WarmThroughput"] = RenderWarmThroughput(table.warm_throughput());
  }
  if (table.has_on_demand_throughput()) {
    out["OnDemandThroughput"] = RenderOnDemandThroughput(table.on_demand_throughput());
  }
  if (!table.resource_policy().empty()) out["ResourcePolicy"] = table.resource_policy();
  if (!table.ttl_attribute().empty()) {
    out["TimeToLiveSpecification"] = {{"AttributeName", table.ttl_attribute()},
                                      {"Enabled", true}};
  }
  if (table.point_in_time_recovery_days() > 0) {
    out["PointInTimeRecoverySpecification"] = {
        {"PointInTimeRecoveryEnabled", true},
        {"RecoveryPeriodInDays", table.point_in_time_recovery_days()}};
  }
  if (table.has_contributor_insights()) {
    out["ContributorInsightsSpecification"] =
        RenderInsightsSpecification(table.contributor_insights());
  }
  if (table.kinesis_destinations_size() == 1) {
    out["KinesisStreamSpecification"] = RenderKinesisSpecification(table.kinesis_destinations(0));
  } else if (table.kinesis_destinations_size() > 1) {
    ordered_json& list = out["KinesisStreamSpecification"] = ordered_json::array();
    for (const auto& d : table.kinesis_destinations()) list.push_back(RenderKinesisSpecification(d));
  }
  if (table.replicas_size() > 0) {
    ordered_json& list = out["ReplicaUpdates"] = ordered_json::array();
    for (const auto& r : table.replicas()) {
      list.push_back({{"Create", RenderReplica(r, table.table_class())}});
    }
  }
  return out;
}

std::string RenderCreateTableText(const pb::DynamoTable& table) {
  return RenderCreateTable(table).dump(2) + "\n";
}

// ---- YAML ---------------------------------------------------------------------------------

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Finds a key attribute's type among the table's definitions ("S" when undefined, which a
// valid table never is).
std::string_view TypeOf(const pb::DynamoTable& table, const std::string& name) {
  for (const auto& a : table.attributes()) {
    if (a.name() == name) return AttributeTypeName(a.type());
  }
  return "S";
}

void EmitKey(YAML::Emitter& out, const pb::DynamoTable& table, std::string_view key,
             const std::string& attribute) {
  out << YAML::Key << std::string(key) << YAML::Value << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << attribute;
  out << YAML::Key << "type" << YAML::Value << std::string(TypeOf(table, attribute));
  out << YAML::EndMap;
}

void EmitCapacity(YAML::Emitter& out, const pb::DynamoThroughput& t) {
  out << YAML::Key << "capacity" << YAML::Value << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "read" << YAML::Value << t.read_capacity_units();
  out << YAML::Key << "write" << YAML::Value << t.write_capacity_units();
  out << YAML::EndMap;
}

void EmitOnDemand(YAML::Emitter& out, const pb::DynamoOnDemandThroughput& o) {
  out << YAML::Key << "on_demand_throughput" << YAML::Value << YAML::Flow << YAML::BeginMap;
  if (o.max_read_request_units() > 0) {
    out << YAML::Key << "max_read" << YAML::Value << o.max_read_request_units();
  }
  if (o.max_write_request_units() > 0) {
    out << YAML::Key << "max_write" << YAML::Value << o.max_write_request_units();
  }
  out << YAML::EndMap;
}

void EmitWarm(YAML::Emitter& out, const pb::DynamoWarmThroughput& w) {
  out << YAML::Key << "warm_throughput" << YAML::Value << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "read" << YAML::Value << w.read_units_per_second();
  out << YAML::Key << "write" << YAML::Value << w.write_units_per_second();
  out << YAML::EndMap;
}

// `true` for the service's default mode, the mode spelled out otherwise.
void EmitInsights(YAML::Emitter& out, const pb::DynamoContributorInsights& insights) {
  out << YAML::Key << "contributor_insights" << YAML::Value;
  if (insights.mode() == pb::DYNAMO_CONTRIBUTOR_INSIGHTS_ACCESSED_AND_THROTTLED_KEYS) {
    out << true;
    return;
  }
  out << YAML::Flow << YAML::BeginMap << YAML::Key << "mode" << YAML::Value
      << Lower(InsightsModeName(insights.mode())) << YAML::EndMap;
}

void EmitDestinations(YAML::Emitter& out, const pb::DynamoTable& table) {
  if (table.kinesis_destinations_size() == 0) return;
  out << YAML::Key << "kinesis_destinations" << YAML::Value << YAML::BeginSeq;
  for (const auto& d : table.kinesis_destinations()) {
    out << YAML::BeginMap << YAML::Key << "stream_arn" << YAML::Value << d.stream_arn();
    if (d.precision() != pb::DYNAMO_TIMESTAMP_PRECISION_MILLISECOND) {
      out << YAML::Key << "precision" << YAML::Value << Lower(PrecisionName(d.precision()));
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void EmitEncryption(YAML::Emitter& out, const pb::DynamoTable& table) {
  if (!table.has_encryption()) return;
  out << YAML::Key << "encryption" << YAML::Value;
  if (table.encryption().key() != pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED) {
    out << "aws_managed";
    return;
  }
  out << YAML::Flow << YAML::BeginMap << YAML::Key << "kms_key" << YAML::Value
      << table.encryption().kms_key() << YAML::EndMap;
}

void EmitProjection(YAML::Emitter& out, const pb::DynamoProjection& p) {
  out << YAML::Key << "projection" << YAML::Value;
  if (p.type() != pb::DYNAMO_PROJECTION_TYPE_INCLUDE) {
    out << Lower(ProjectionTypeName(p.type()));
    return;
  }
  out << YAML::Flow << YAML::BeginMap << YAML::Key << "include" << YAML::Value << YAML::Flow
      << YAML::BeginSeq;
  for (const auto& attr : p.non_key_attributes()) out << attr;
  out << YAML::EndSeq << YAML::EndMap;
}

void EmitGlobalIndexes(YAML::Emitter& out, const pb::DynamoTable& table) {
  if (table.global_indexes_size() == 0) return;
  out << YAML::Key << "global_indexes" << YAML::Value << YAML::BeginSeq;
  for (const auto& g : table.global_indexes()) {
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << g.name();
    EmitKey(out, table, "partition_key", g.key().partition_key());
    if (!g.key().sort_key().empty()) EmitKey(out, table, "sort_key", g.key().sort_key());
    EmitProjection(out, g.projection());
    if (g.has_throughput()) EmitCapacity(out, g.throughput());
    if (g.has_on_demand_throughput()) EmitOnDemand(out, g.on_demand_throughput());
    if (g.has_warm_throughput()) EmitWarm(out, g.warm_throughput());
    if (g.has_contributor_insights()) EmitInsights(out, g.contributor_insights());
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void EmitLocalIndexes(YAML::Emitter& out, const pb::DynamoTable& table) {
  if (table.local_indexes_size() == 0) return;
  out << YAML::Key << "local_indexes" << YAML::Value << YAML::BeginSeq;
  for (const auto& l : table.local_indexes()) {
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << l.name();
    EmitKey(out, table, "sort_key", l.sort_key());
    EmitProjection(out, l.projection());
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

// `true` for DynamoDB's default period, the period spelled out otherwise.
void EmitRecovery(YAML::Emitter& out, int days) {
  if (days <= 0) return;
  out << YAML::Key << "point_in_time_recovery" << YAML::Value;
  if (days == 35) {
    out << true;
    return;
  }
  out << YAML::Flow << YAML::BeginMap << YAML::Key << "recovery_period_days" << YAML::Value
      << days << YAML::EndMap;
}

void EmitReplicas(YAML::Emitter& out, const pb::DynamoTable& table) {
  if (table.replicas_size() == 0) return;
  out << YAML::Key << "replicas" << YAML::Value << YAML::BeginSeq;
  for (const auto& r : table.replicas()) {
    out << YAML::BeginMap << YAML::Key << "region" << YAML::Value << r.region();
    if (!r.kms_key().empty()) out << YAML::Key << "kms_key" << YAML::Value << r.kms_key();
    if (r.read_capacity_units() > 0) {
      out << YAML::Key << "read_capacity" << YAML::Value << r.read_capacity_units();
    }
    if (r.max_read_request_units() > 0) {
      out << YAML::Key << "max_read" << YAML::Value << r.max_read_request_units();
    }
    if (r.table_class() != table.table_class()) {
      out << YAML::Key << "table_class" << YAML::Value << Lower(TableClassName(r.table_class()));
    }
    if (r.global_indexes_size() > 0) {
      out << YAML::Key << "global_indexes" << YAML::Value << YAML::BeginSeq;
      for (const auto& g : r.global_indexes()) {
        out << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << g.name();
        if (g.read_capacity_units() > 0) {
          out << YAML::Key << "read_capacity" << YAML::Value << g.read_capacity_units();
        }
        if (g.max_read_request_units() > 0) {
          out << YAML::Key << "max_read" << YAML::Value << g.max_read_request_units();
        }
        out << YAML::EndMap;
      }
      out << YAML::EndSeq;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void EmitSettings(YAML::Emitter& out, const pb::DynamoTable& table) {
  if (!table.ttl_attribute().empty()) {
    out << YAML::Key << "ttl" << YAML::Value << table.ttl_attribute();
  }
  if (table.stream() != pb::DYNAMO_STREAM_DISABLED) {
    out << YAML::Key << "stream" << YAML::Value << Lower(StreamViewTypeName(table.stream()));
  }
  if (table.table_class() != pb::DYNAMO_TABLE_CLASS_STANDARD) {
    out << YAML::Key << "table_class" << YAML::Value
        << Lower(TableClassName(table.table_class()));
  }
  EmitEncryption(out, table);
  if (table.deletion_protection()) {
    out << YAML::Key << "deletion_protection" << YAML::Value << true;
  }
  EmitRecovery(out, table.point_in_time_recovery_days());
  if (table.has_contributor_insights()) EmitInsights(out, table.contributor_insights());
  EmitDestinations(out, table);
  if (!table.resource_policy().empty()) {
    out << YAML::Key << "resource_policy" << YAML::Value << YAML::Literal
        << PrettyResourcePolicy(table.resource_policy());
  }
  EmitReplicas(out, table);
  if (table.tags().empty()) return;
  out << YAML::Key << "tags" << YAML::Value << YAML::BeginMap;
  for (const auto& [key, value] : SortedTags(table)) {
    out << YAML::Key << key << YAML::Value << value;
  }
  out << YAML::EndMap;
}

}  // namespace

std::string RenderTableYaml(const pb::DynamoTable& table) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "table" << YAML::Value << table.name();
  EmitKey(out, table, "partition_key", table.key().partition_key());
  if (!table.key().sort_key().empty()) EmitKey(out, table, "sort_key", table.key().sort_key());
  out << YAML::Key << "billing" << YAML::Value << Lower(BillingModeName(table.billing_mode()));
  if (table.has_throughput()) EmitCapacity(out, table.throughput());
  if (table.has_on_demand_throughput()) EmitOnDemand(out, table.on_demand_throughput());
  if (table.has_warm_throughput()) EmitWarm(out, table.warm_throughput());
  EmitGlobalIndexes(out, table);
  EmitLocalIndexes(out, table);
  EmitSettings(out, table);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace strata::dynamodb
