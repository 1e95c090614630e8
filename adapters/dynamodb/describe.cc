#include "adapters/dynamodb/describe.h"

#include <fmt/format.h>

#include <vector>

#include "adapters/dynamodb/render.h"

namespace strata::dynamodb {
namespace {

// "DYNAMO_STREAM_NEW_IMAGE" -> "NEW_IMAGE": the enum's type prefix is noise to a reader.
std::string Short(const std::string& enum_name, const std::string& prefix) {
  return enum_name.rfind(prefix, 0) == 0 ? enum_name.substr(prefix.size()) : enum_name;
}

std::string_view TypeLetter(const pb::DynamoTable& t, const std::string& attr) {
  for (const auto& a : t.attributes()) {
    if (a.name() == attr) return AttributeTypeName(a.type());
  }
  return "?";
}

}  // namespace

std::string DescribeChange(const pb::DynamoChange& c) {
  switch (c.kind_case()) {
    case pb::DynamoChange::kCreateTable: return "create table";
    case pb::DynamoChange::kDropTable: return "drop table";
    case pb::DynamoChange::kReplaceTable:
      return "replace table (" + c.replace_table().reason() + "; all items are lost)";
    case pb::DynamoChange::kSetBilling:
      return "billing " + Short(pb::DynamoBillingMode_Name(c.set_billing().billing_mode()),
                                "DYNAMO_BILLING_MODE_") +
             (c.set_billing().has_throughput()
                  ? fmt::format(" (read {}, write {})",
                                c.set_billing().throughput().read_capacity_units(),
                                c.set_billing().throughput().write_capacity_units())
                  : "");
    case pb::DynamoChange::kAddGlobalIndex:
      return "add global index " + c.add_global_index().index().name();
    case pb::DynamoChange::kDropGlobalIndex:
      return "drop global index " + c.drop_global_index().index();
    case pb::DynamoChange::kSetGlobalIndexThroughput:
      return fmt::format("global index {} throughput (read {}, write {})",
                         c.set_global_index_throughput().index(),
                         c.set_global_index_throughput().throughput().read_capacity_units(),
                         c.set_global_index_throughput().throughput().write_capacity_units());
    case pb::DynamoChange::kSetTimeToLive:
      return c.set_time_to_live().attribute().empty()
                 ? "disable time to live"
                 : "time to live on " + c.set_time_to_live().attribute();
    case pb::DynamoChange::kSetStream:
      return "stream " +
             Short(pb::DynamoStreamViewType_Name(c.set_stream().stream()), "DYNAMO_STREAM_");
    case pb::DynamoChange::kSetTableClass:
      return "table class " + Short(pb::DynamoTableClass_Name(c.set_table_class().table_class()),
                                    "DYNAMO_TABLE_CLASS_");
    case pb::DynamoChange::kSetDeletionProtection:
      return c.set_deletion_protection().enabled() ? "enable deletion protection"
                                                   : "disable deletion protection";
    case pb::DynamoChange::kSetTag:
      return fmt::format("tag {}={}", c.set_tag().key(), c.set_tag().value());
    case pb::DynamoChange::kRemoveTag: return "remove tag " + c.remove_tag().key();
    case pb::DynamoChange::kSetEncryption: {
      pb::DynamoTable t;
      if (c.set_encryption().has_encryption()) *t.mutable_encryption() = c.set_encryption().encryption();
      return "encrypt with " + EncryptionText(t);
    }
    case pb::DynamoChange::kSetOnDemandThroughput: {
      const auto& e = c.set_on_demand_throughput();
      const std::string where = e.index().empty() ? "" : "global index " + e.index() + " ";
      return e.has_on_demand_throughput()
                 ? where + "on-demand throughput " + OnDemandText(&e.on_demand_throughput())
                 : where + "on-demand throughput: no maximum";
    }
    case pb::DynamoChange::kSetWarmThroughput: {
      const auto& e = c.set_warm_throughput();
      const std::string where = e.index().empty() ? "" : "global index " + e.index() + " ";
      return e.has_warm_throughput() ? where + "warm throughput " + WarmText(e.warm_throughput())
                                     : where + "warm throughput no longer managed";
    }
    case pb::DynamoChange::kSetPointInTimeRecovery: {
      const int days = c.set_point_in_time_recovery().recovery_period_days();
      return days == 0 ? "disable point-in-time recovery"
                       : fmt::format("point-in-time recovery ({} days)", days);
    }
    case pb::DynamoChange::kSetResourcePolicy:
      return c.set_resource_policy().policy().empty() ? "remove resource policy"
                                                      : "set resource policy";
    case pb::DynamoChange::kSetContributorInsights: {
      const auto& e = c.set_contributor_insights();
      const std::string where = e.index().empty() ? "" : "global index " + e.index() + " ";
      return e.has_insights() ? fmt::format("{}contributor insights ({})", where,
                                            InsightsModeName(e.insights().mode()))
                              : where + "disable contributor insights";
    }
    case pb::DynamoChange::kAddKinesisDestination: {
      const auto& d = c.add_kinesis_destination().destination();
      return fmt::format("stream to Kinesis {} ({})", d.stream_arn(),
                         PrecisionName(d.precision()));
    }
    case pb::DynamoChange::kRemoveKinesisDestination:
      return "stop streaming to Kinesis " + c.remove_kinesis_destination().stream_arn();
    case pb::DynamoChange::kSetKinesisDestinationPrecision: {
      const auto& e = c.set_kinesis_destination_precision();
      return fmt::format("Kinesis {} timestamp precision {}", e.stream_arn(),
                         PrecisionName(e.precision()));
    }
    case pb::DynamoChange::kAddReplica: {
      const auto& r = c.add_replica().replica();
      const std::string own = ReplicaText(r, pb::DYNAMO_TABLE_CLASS_UNSPECIFIED);
      return "add replica " + r.region() + (own.empty() ? "" : " (" + own + ")");
    }
    case pb::DynamoChange::kRemoveReplica:
      return "remove replica " + c.remove_replica().region() + " (its items in that region are lost)";
    case pb::DynamoChange::kUpdateReplica: {
      const auto& r = c.update_replica().replica();
      const std::string own = ReplicaText(r, pb::DYNAMO_TABLE_CLASS_UNSPECIFIED);
      return "replica " + r.region() + " settings: " + (own.empty() ? "the table's" : own);
    }
    case pb::DynamoChange::KIND_NOT_SET: break;
  }
  return "unknown change";
}

std::string SummaryLine(const pb::DynamoTable& t) {
  // Appended piece by piece: a whole-schema `show` makes one line per table.
  std::string s;
  s.reserve(128);
  auto key = [&](const char* label, const std::string& attr) {
    s += label;
    s += attr;
    s += " (";
    s += TypeLetter(t, attr);
    s += ')';
  };
  auto names = [&](const char* label, const auto& indexes) {
    if (indexes.empty()) return;
    s += label;
    for (int i = 0; i < indexes.size(); ++i) {
      if (i > 0) s += ',';
      s += indexes[i].name();
    }
  };
  s += t.name();
  key("  PK ", t.key().partition_key());
  if (!t.key().sort_key().empty()) key("  SK ", t.key().sort_key());
  names("  GSI ", t.global_indexes());
  names("  LSI ", t.local_indexes());
  if (t.billing_mode() == pb::DYNAMO_BILLING_MODE_PROVISIONED) {
    fmt::format_to(std::back_inserter(s), "  provisioned {}/{}",
                   t.throughput().read_capacity_units(), t.throughput().write_capacity_units());
  } else {
    s += "  on-demand";
  }
  return s;
}

}  // namespace strata::dynamodb
