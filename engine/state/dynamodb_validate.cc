// Validation of DynamoDB changes: names present, no UNSPECIFIED enums, keys typed.
#include <fmt/format.h>

#include "engine/state/objects.h"
#include "engine/state/validate.h"

namespace strata {
namespace {

Status Invalid(const std::string& what, const std::string& table, const std::string& problem) {
  return Status::InvalidArgument(fmt::format("dynamodb {} {}: {}", what, table, problem));
}

Status ValidateProjection(const pb::DynamoProjection& p, const std::string& where) {
  if (p.type() == pb::DYNAMO_PROJECTION_TYPE_UNSPECIFIED) {
    return Status::InvalidArgument(where + ": projection type is UNSPECIFIED");
  }
  return Status::Ok();
}

Status ValidateEncryption(const pb::DynamoEncryption& e, const std::string& what,
                          const std::string& table) {
  switch (e.key()) {
    case pb::DYNAMO_ENCRYPTION_KEY_UNSPECIFIED:
      return Invalid(what, table, "encryption key kind is UNSPECIFIED");
    case pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED:
      if (e.kms_key().empty()) return Invalid(what, table, "customer-managed key without a key id");
      break;
    default:
      if (!e.kms_key().empty()) return Invalid(what, table, "a KMS key id without a customer-managed key");
      break;
  }
  return Status::Ok();
}

Status ValidateAmounts(const pb::DynamoOnDemandThroughput& o, const pb::DynamoWarmThroughput& w,
                       const std::string& what, const std::string& where) {
  if (o.max_read_request_units() < 0 || o.max_write_request_units() < 0) {
    return Invalid(what, where, "negative on-demand maximum");
  }
  if (w.read_units_per_second() < 0 || w.write_units_per_second() < 0) {
    return Invalid(what, where, "negative warm throughput");
  }
  return Status::Ok();
}

// DynamoDB keeps point-in-time backups for 1 to 35 days; 0 means recovery is off.
Status ValidateRecoveryPeriod(int32_t days, const std::string& what, const std::string& table) {
  if (days < 0 || days > 35) {
    return Invalid(what, table, fmt::format("point-in-time recovery period {} is not 0-35", days));
  }
  return Status::Ok();
}

Status ValidateInsights(const pb::DynamoContributorInsights& i, const std::string& what,
                        const std::string& where) {
  if (i.mode() == pb::DYNAMO_CONTRIBUTOR_INSIGHTS_MODE_UNSPECIFIED) {
    return Invalid(what, where, "contributor insights mode is UNSPECIFIED");
  }
  return Status::Ok();
}

Status ValidateDestination(const std::string& arn, pb::DynamoTimestampPrecision precision,
                           const std::string& what, const std::string& table) {
  if (arn.empty()) return Invalid(what, table, "Kinesis destination without a stream ARN");
  if (precision == pb::DYNAMO_TIMESTAMP_PRECISION_UNSPECIFIED) {
    return Invalid(what, table, "Kinesis destination " + arn + ": precision is UNSPECIFIED");
  }
  return Status::Ok();
}

Status ValidateReplica(const pb::DynamoReplica& r, const std::string& what,
                       const std::string& table) {
  if (r.region().empty()) return Invalid(what, table, "replica region is empty");
  if (r.table_class() == pb::DYNAMO_TABLE_CLASS_UNSPECIFIED) {
    return Invalid(what, table, "replica " + r.region() + " table class is UNSPECIFIED");
  }
  if (r.read_capacity_units() < 0 || r.max_read_request_units() < 0) {
    return Invalid(what, table, "replica " + r.region() + " has a negative override");
  }
  for (const auto& g : r.global_indexes()) {
    if (g.name().empty()) return Invalid(what, table, "replica " + r.region() + " index name is empty");
    if (g.read_capacity_units() < 0 || g.max_read_request_units() < 0) {
      return Invalid(what, table, "replica " + r.region() + " index " + g.name() +
                                      " has a negative override");
    }
  }
  return Status::Ok();
}

Status ValidateTable(const pb::DynamoTable& t, const std::string& what) {
  if (t.name().empty()) return Status::InvalidArgument("dynamodb " + what + ": table name is empty");
  if (t.key().partition_key().empty()) return Invalid(what, t.name(), "partition key is empty");
  if (t.billing_mode() == pb::DYNAMO_BILLING_MODE_UNSPECIFIED) {
    return Invalid(what, t.name(), "billing mode is UNSPECIFIED");
  }
  if (t.stream() == pb::DYNAMO_STREAM_VIEW_TYPE_UNSPECIFIED) {
    return Invalid(what, t.name(), "stream view type is UNSPECIFIED");
  }
  if (t.table_class() == pb::DYNAMO_TABLE_CLASS_UNSPECIFIED) {
    return Invalid(what, t.name(), "table class is UNSPECIFIED");
  }
  STRATA_RETURN_IF_ERROR(
      ValidateRecoveryPeriod(t.point_in_time_recovery_days(), what, t.name()));
  for (const auto& a : t.attributes()) {
    if (a.type() == pb::DYNAMO_ATTRIBUTE_TYPE_UNSPECIFIED) {
      return Invalid(what, t.name(), "attribute " + a.name() + " type is UNSPECIFIED");
    }
  }
  if (t.has_encryption()) STRATA_RETURN_IF_ERROR(ValidateEncryption(t.encryption(), what, t.name()));
  STRATA_RETURN_IF_ERROR(ValidateAmounts(t.on_demand_throughput(), t.warm_throughput(), what, t.name()));
  if (t.has_contributor_insights()) {
    STRATA_RETURN_IF_ERROR(ValidateInsights(t.contributor_insights(), what, t.name()));
  }
  for (int i = 0; i < t.kinesis_destinations_size(); ++i) {
    const auto& d = t.kinesis_destinations(i);
    STRATA_RETURN_IF_ERROR(ValidateDestination(d.stream_arn(), d.precision(), what, t.name()));
    if (i > 0 && t.kinesis_destinations(i - 1).stream_arn() == d.stream_arn()) {
      return Invalid(what, t.name(), "Kinesis destination " + d.stream_arn() + " listed twice");
    }
  }
  for (const auto& g : t.global_indexes()) {
    if (g.has_contributor_insights()) {
      STRATA_RETURN_IF_ERROR(
          ValidateInsights(g.contributor_insights(), what, t.name() + "." + g.name()));
    }
    STRATA_RETURN_IF_ERROR(ValidateAmounts(g.on_demand_throughput(), g.warm_throughput(), what,
                                           t.name() + "." + g.name()));
    STRATA_RETURN_IF_ERROR(ValidateProjection(
        g.projection(), fmt::format("dynamodb {} {} index {}", what, t.name(), g.name())));
  }
  for (const auto& l : t.local_indexes()) {
    STRATA_RETURN_IF_ERROR(ValidateProjection(
        l.projection(), fmt::format("dynamodb {} {} index {}", what, t.name(), l.name())));
  }
  for (const auto& r : t.replicas()) STRATA_RETURN_IF_ERROR(ValidateReplica(r, what, t.name()));
  return Status::Ok();
}

}  // namespace

const std::string& DynamoTableOf(const pb::DynamoChange& c) {
  switch (c.kind_case()) {
    case pb::DynamoChange::kCreateTable: return c.create_table().table().name();
    case pb::DynamoChange::kDropTable: return c.drop_table().table();
    case pb::DynamoChange::kReplaceTable: return c.replace_table().table().name();
    case pb::DynamoChange::kSetBilling: return c.set_billing().table();
    case pb::DynamoChange::kAddGlobalIndex: return c.add_global_index().table();
    case pb::DynamoChange::kDropGlobalIndex: return c.drop_global_index().table();
    case pb::DynamoChange::kSetGlobalIndexThroughput: return c.set_global_index_throughput().table();
    case pb::DynamoChange::kSetTimeToLive: return c.set_time_to_live().table();
    case pb::DynamoChange::kSetStream: return c.set_stream().table();
    case pb::DynamoChange::kSetTableClass: return c.set_table_class().table();
    case pb::DynamoChange::kSetDeletionProtection: return c.set_deletion_protection().table();
    case pb::DynamoChange::kSetTag: return c.set_tag().table();
    case pb::DynamoChange::kRemoveTag: return c.remove_tag().table();
    case pb::DynamoChange::kSetEncryption: return c.set_encryption().table();
    case pb::DynamoChange::kSetOnDemandThroughput: return c.set_on_demand_throughput().table();
    case pb::DynamoChange::kSetWarmThroughput: return c.set_warm_throughput().table();
    case pb::DynamoChange::kSetResourcePolicy: return c.set_resource_policy().table();
    case pb::DynamoChange::kSetPointInTimeRecovery: return c.set_point_in_time_recovery().table();
    case pb::DynamoChange::kSetContributorInsights: return c.set_contributor_insights().table();
    case pb::DynamoChange::kAddKinesisDestination: return c.add_kinesis_destination().table();
    case pb::DynamoChange::kRemoveKinesisDestination:
      return c.remove_kinesis_destination().table();
    case pb::DynamoChange::kSetKinesisDestinationPrecision:
      return c.set_kinesis_destination_precision().table();
    case pb::DynamoChange::kAddReplica: return c.add_replica().table();
    case pb::DynamoChange::kRemoveReplica: return c.remove_replica().table();
    case pb::DynamoChange::kUpdateReplica: return c.update_replica().table();
    case pb::DynamoChange::KIND_NOT_SET: break;
  }
  static const std::string kNone;
  return kNone;
}

Status ValidateDynamoChange(const pb::DynamoChange& c) {
  if (c.kind_case() == pb::DynamoChange::KIND_NOT_SET) {
    return Status::InvalidArgument("dynamodb change: kind is UNSPECIFIED");
  }
  const std::string table = DynamoTableOf(c);
  if (table.empty()) return Status::InvalidArgument("dynamodb change: table name is empty");
  switch (c.kind_case()) {
    case pb::DynamoChange::kCreateTable: return ValidateTable(c.create_table().table(), "create_table");
    case pb::DynamoChange::kReplaceTable:
      return ValidateTable(c.replace_table().table(), "replace_table");
    case pb::DynamoChange::kSetBilling:
      if (c.set_billing().billing_mode() == pb::DYNAMO_BILLING_MODE_UNSPECIFIED) {
        return Invalid("set_billing", table, "billing mode is UNSPECIFIED");
      }
      break;
    case pb::DynamoChange::kAddGlobalIndex: {
      const auto& e = c.add_global_index();
      if (e.index().name().empty()) return Invalid("add_global_index", table, "index name is empty");
      for (const auto& a : e.attributes()) {
        if (a.type() == pb::DYNAMO_ATTRIBUTE_TYPE_UNSPECIFIED) {
          return Invalid("add_global_index", table, "attribute " + a.name() + " type is UNSPECIFIED");
        }
      }
      return ValidateProjection(e.index().projection(),
                                fmt::format("dynamodb add_global_index {}", table));
    }
    case pb::DynamoChange::kSetStream:
      if (c.set_stream().stream() == pb::DYNAMO_STREAM_VIEW_TYPE_UNSPECIFIED) {
        return Invalid("set_stream", table, "stream view type is UNSPECIFIED");
      }
      break;
    case pb::DynamoChange::kSetTableClass:
      if (c.set_table_class().table_class() == pb::DYNAMO_TABLE_CLASS_UNSPECIFIED) {
        return Invalid("set_table_class", table, "table class is UNSPECIFIED");
      }
      break;
    case pb::DynamoChange::kSetEncryption:
      if (c.set_encryption().has_encryption()) {
        return ValidateEncryption(c.set_encryption().encryption(), "set_encryption", table);
      }
      break;
    case pb::DynamoChange::kSetOnDemandThroughput:
      return ValidateAmounts(c.set_on_demand_throughput().on_demand_throughput(), {},
                             "set_on_demand_throughput", table);
    case pb::DynamoChange::kSetWarmThroughput:
      return ValidateAmounts({}, c.set_warm_throughput().warm_throughput(),
                             "set_warm_throughput", table);
    case pb::DynamoChange::kSetPointInTimeRecovery:
      return ValidateRecoveryPeriod(c.set_point_in_time_recovery().recovery_period_days(),
                                    "set_point_in_time_recovery", table);
    case pb::DynamoChange::kSetContributorInsights:
      if (c.set_contributor_insights().has_insights()) {
        return ValidateInsights(c.set_contributor_insights().insights(),
                                "set_contributor_insights", table);
      }
      break;
    case pb::DynamoChange::kAddKinesisDestination:
      return ValidateDestination(c.add_kinesis_destination().destination().stream_arn(),
                                 c.add_kinesis_destination().destination().precision(),
                                 "add_kinesis_destination", table);
    case pb::DynamoChange::kRemoveKinesisDestination:
      if (c.remove_kinesis_destination().stream_arn().empty()) {
        return Invalid("remove_kinesis_destination", table, "no stream ARN");
      }
      break;
    case pb::DynamoChange::kSetKinesisDestinationPrecision:
      return ValidateDestination(c.set_kinesis_destination_precision().stream_arn(),
                                 c.set_kinesis_destination_precision().precision(),
                                 "set_kinesis_destination_precision", table);
    case pb::DynamoChange::kAddReplica:
      return ValidateReplica(c.add_replica().replica(), "add_replica", table);
    case pb::DynamoChange::kUpdateReplica:
      return ValidateReplica(c.update_replica().replica(), "update_replica", table);
    case pb::DynamoChange::kRemoveReplica:
      if (c.remove_replica().region().empty()) {
        return Invalid("remove_replica", table, "replica region is empty");
      }
      break;
    default: break;
  }
  return Status::Ok();
}

}  // namespace strata
