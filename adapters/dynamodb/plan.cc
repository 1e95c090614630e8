#include "adapters/dynamodb/plan.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <optional>

#include "adapters/dynamodb/render.h"
#include "engine/diff/diff.h"
#include "engine/state/apply.h"
#include "engine/state/objects.h"
#include "engine/state/validate.h"

namespace strata::dynamodb {
namespace {

using nlohmann::json;

json Plain(const nlohmann::ordered_json& j) { return json::parse(j.dump()); }

std::string Capacity(const pb::DynamoThroughput& t) {
  return fmt::format("{} read, {} write", t.read_capacity_units(), t.write_capacity_units());
}

bool SameThroughput(const pb::DynamoThroughput& a, const pb::DynamoThroughput& b) {
  return a.read_capacity_units() == b.read_capacity_units() &&
         a.write_capacity_units() == b.write_capacity_units();
}

const pb::DynamoGlobalIndex* FindIndex(const pb::DynamoTable& t, const std::string& name) {
  for (const auto& g : t.global_indexes()) {
    if (g.name() == name) return &g;
  }
  return nullptr;
}

// Builds one table's operations while keeping `current`, the table as it will be after the
// operations so far, so each step can see what it changes from.
class OperationBuilder {
 public:
  OperationBuilder(const LiveTable* live, std::string table, bool lift_protection)
      : table_(std::move(table)), lift_protection_(lift_protection) {
    if (live != nullptr) {
      (*current_.mutable_tables())[table_] = live->table;
      arn_ = live->arn;
    }
  }

  void Add(const pb::DynamoChange& change);
  std::vector<Operation> Finish();

 private:
  const pb::DynamoTable* Current() const {
    auto it = current_.tables().find(table_);
    return it == current_.tables().end() ? nullptr : &it->second;
  }
  Operation& Push(std::string api, json input, std::string summary, bool wait = true) {
    Operation op;
    op.table = table_;
    op.api = std::move(api);
    op.input = std::move(input);
    op.summary = std::move(summary);
    op.wait_for_active = wait;
    ops_.push_back(std::move(op));
    return ops_.back();
  }
  json Update() const { return {{"TableName", table_}}; }

  void Create(const pb::DynamoTable& t, bool destructive);
  // UpdateTable turning deletion protection off, when the table has it ("to delete the table").
  void LiftProtection(const std::string& why);
  void Delete();
  void Replace(const pb::DynamoReplaceTable& e);
  void Billing(const pb::DynamoSetBilling& e);
  void AddIndex(const pb::DynamoAddGlobalIndex& e);
  void TimeToLive(const std::string& attribute);
  void Encryption(const pb::DynamoSetEncryption& e);
  void OnDemand(const pb::DynamoSetOnDemandThroughput& e);
  void Warm(const pb::DynamoSetWarmThroughput& e);
  void Recovery(int days);
  void Policy(const std::string& policy);
  void Insights(const std::string& index, const pb::DynamoContributorInsights* insights);
  void AddDestination(const pb::DynamoKinesisDestination& d);
  void RemoveDestination(const std::string& arn);
  void DestinationPrecision(const std::string& arn, pb::DynamoTimestampPrecision precision);
  void Stream(pb::DynamoStreamViewType stream);
  void AddReplica(const pb::DynamoReplica& replica, bool destructive);
  void RemoveReplica(const std::string& region, const std::string& why);
  void UpdateReplica(const pb::DynamoReplica& replica);
  // Removes every replica the table has, one call each: DynamoDB deletes no table with replicas.
  void RemoveAllReplicas(const std::string& why);

  std::string table_;
  bool lift_protection_ = false;  // consent to turn deletion protection off to delete the table
  std::string arn_;
  pb::DynamoSchema current_;
  std::vector<Operation> ops_;
  std::map<std::string, std::string> set_tags_;
  std::vector<std::string> removed_tags_;
};

void OperationBuilder::Create(const pb::DynamoTable& t, bool destructive) {
  json input = Plain(RenderCreateTable(t));
  // strata's extensions: UpdateTimeToLive and UpdateContinuousBackups do them.
  input.erase("TimeToLiveSpecification");
  input.erase("PointInTimeRecoverySpecification");
  input.erase("ContributorInsightsSpecification");
  input.erase("KinesisStreamSpecification");
  if (input.contains("GlobalSecondaryIndexes")) {
    for (auto& g : input["GlobalSecondaryIndexes"]) g.erase("ContributorInsightsSpecification");
  }
  input.erase("ReplicaUpdates");
  Push("CreateTable", std::move(input),
       t.resource_policy().empty() ? "create table " + t.name()
                                   : "create table " + t.name() + " with its resource policy")
      .destructive = destructive;
  if (!t.ttl_attribute().empty()) {
    Push("UpdateTimeToLive",
         {{"TableName", table_},
          {"TimeToLiveSpecification", {{"AttributeName", t.ttl_attribute()}, {"Enabled", true}}}},
         "turn on time to live on attribute " + t.ttl_attribute(), false)
        .destructive = destructive;
  }
  if (t.point_in_time_recovery_days() > 0) {
    Recovery(t.point_in_time_recovery_days());
    ops_.back().destructive = destructive;
  }
  // Contributor insights and Kinesis destinations have calls of their own, once ACTIVE.
  if (t.has_contributor_insights()) {
    Insights("", &t.contributor_insights());
    ops_.back().destructive = destructive;
  }
  for (const auto& g : t.global_indexes()) {
    if (!g.has_contributor_insights()) continue;
    Insights(g.name(), &g.contributor_insights());
    ops_.back().destructive = destructive;
  }
  for (const auto& d : t.kinesis_destinations()) {
    AddDestination(d);
    ops_.back().destructive = destructive;
  }
  // Replicas last, once the table (and its stream) exists: one Create per call.
  for (const auto& r : t.replicas()) AddReplica(r, destructive);
}

// One call for the table or one index: ENABLE with the mode (also how the mode changes), or
// DISABLE.
void OperationBuilder::Insights(const std::string& index,
                                const pb::DynamoContributorInsights* insights) {
  json input = {{"TableName", table_}};
  if (!index.empty()) input["IndexName"] = index;
  input["ContributorInsightsAction"] = insights != nullptr ? "ENABLE" : "DISABLE";
  const pb::DynamoContributorInsights* before = nullptr;
  if (const pb::DynamoTable* now = Current()) {
    if (index.empty() && now->has_contributor_insights()) before = &now->contributor_insights();
    if (const pb::DynamoGlobalIndex* g = index.empty() ? nullptr : FindIndex(*now, index);
        g != nullptr && g->has_contributor_insights()) {
      before = &g->contributor_insights();
    }
  }
  const std::string of = index.empty() ? "" : " of global index " + index;
  std::string summary;
  if (insights == nullptr) {
    summary = "turn off contributor insights" + of;
  } else {
    input["ContributorInsightsMode"] = InsightsModeName(insights->mode());
    summary = before != nullptr
                  ? fmt::format("switch contributor insights{} from {} to {}", of,
                                InsightsModeName(before->mode()), InsightsModeName(insights->mode()))
                  : fmt::format("turn on contributor insights{} ({})", of,
                                InsightsModeName(insights->mode()));
  }
  Push("UpdateContributorInsights", std::move(input), std::move(summary), false)
      .wait_for_insights = true;
}

void OperationBuilder::AddDestination(const pb::DynamoKinesisDestination& d) {
  Push("EnableKinesisStreamingDestination",
       {{"TableName", table_},
        {"StreamArn", d.stream_arn()},
        {"EnableKinesisStreamingConfiguration",
         {{"ApproximateCreationDateTimePrecision", PrecisionName(d.precision())}}}},
       fmt::format("start streaming to Kinesis stream {} ({} timestamps)", d.stream_arn(),
                   PrecisionName(d.precision())),
       false)
      .wait_for_kinesis = true;
}

void OperationBuilder::RemoveDestination(const std::string& arn) {
  Push("DisableKinesisStreamingDestination", {{"TableName", table_}, {"StreamArn", arn}},
       "stop streaming to Kinesis stream " + arn, false)
      .wait_for_kinesis = true;
}

// The precision changes in place: disabling and enabling again would leave a gap in which
// changes reach no stream.
void OperationBuilder::DestinationPrecision(const std::string& arn,
                                            pb::DynamoTimestampPrecision precision) {
  Push("UpdateKinesisStreamingDestination",
       {{"TableName", table_},
        {"StreamArn", arn},
        {"UpdateKinesisStreamingConfiguration",
         {{"ApproximateCreationDateTimePrecision", PrecisionName(precision)}}}},
       fmt::format("set the timestamp precision of Kinesis stream {} to {}", arn,
                   PrecisionName(precision)),
       false)
      .wait_for_kinesis = true;
}

void OperationBuilder::AddReplica(const pb::DynamoReplica& replica, bool destructive) {
  const pb::DynamoTable* now = Current();
  const auto table_class = now != nullptr ? now->table_class() : replica.table_class();
  json input = Update();
  input["ReplicaUpdates"] = {{{"Create", Plain(RenderReplica(replica, table_class))}}};
  const std::string own = ReplicaText(replica, table_class);
  Operation& op = Push("UpdateTable", std::move(input),
                       fmt::format("add replica {}{}", replica.region(),
                                   own.empty() ? "" : " (" + own + ")"),
                       false);
  op.wait_for_replica = replica.region();
  op.destructive = destructive;
}

void OperationBuilder::RemoveReplica(const std::string& region, const std::string& why) {
  json input = Update();
  input["ReplicaUpdates"] = {{{"Delete", {{"RegionName", region}}}}};
  Operation& op = Push("UpdateTable", std::move(input),
                       fmt::format("remove replica {}{} (its items in {} are deleted)", region,
                                   why, region),
                       false);
  op.wait_for_replica = region;
  op.replica_gone = true;
  op.destructive = true;
}

void OperationBuilder::RemoveAllReplicas(const std::string& why) {
  const pb::DynamoTable* now = Current();
  if (now == nullptr) return;
  std::vector<std::string> regions;
  for (const auto& r : now->replicas()) regions.push_back(r.region());
  for (const auto& region : regions) RemoveReplica(region, " to " + why + " the table");
}

// The whole replica is sent: its class always, and -1 for an on-demand override taken away.
void OperationBuilder::UpdateReplica(const pb::DynamoReplica& replica) {
  const pb::DynamoTable* now = Current();
  const pb::DynamoReplica* before = nullptr;
  if (now != nullptr) {
    for (const auto& r : now->replicas()) {
      if (r.region() == replica.region()) before = &r;
    }
  }
  json body = Plain(RenderReplica(replica, pb::DYNAMO_TABLE_CLASS_UNSPECIFIED));
  if (before != nullptr && before->max_read_request_units() > 0 &&
      replica.max_read_request_units() == 0) {
    body["OnDemandThroughputOverride"] = {{"MaxReadRequestUnits", -1}};
  }
  json input = Update();
  input["ReplicaUpdates"] = {{{"Update", std::move(body)}}};
  const std::string own =
      ReplicaText(replica, now != nullptr ? now->table_class() : replica.table_class());
  Operation& op = Push("UpdateTable", std::move(input),
                       fmt::format("update replica {}: {}", replica.region(),
                                   own.empty() ? "the table's own settings" : own),
                       false);
  op.wait_for_replica = replica.region();
}

// One call either way; turning it on sets the period, and a new period is the same call.
void OperationBuilder::Recovery(int days) {
  json spec = {{"PointInTimeRecoveryEnabled", days > 0}};
  if (days > 0) spec["RecoveryPeriodInDays"] = days;
  const pb::DynamoTable* before = Current();
  const int old = before != nullptr ? before->point_in_time_recovery_days() : 0;
  std::string summary =
      days == 0 ? "turn off point-in-time recovery"
      : old > 0 ? fmt::format("set the point-in-time recovery period from {} to {} days", old, days)
                : fmt::format("turn on point-in-time recovery ({} days)", days);
  Operation& op = Push("UpdateContinuousBackups",
                       {{"TableName", table_}, {"PointInTimeRecoverySpecification", spec}},
                       std::move(summary), false);
  op.wait_for_recovery = true;
  // Right after CreateTable the service may still be switching continuous backups on.
  op.retry_on = {"ContinuousBackupsUnavailableException"};
}

// DynamoDB refuses a policy update within about 15 s of the last one, and the call is
// answered before every reader sees it: each is retried while refused, then waited for.
void OperationBuilder::Policy(const std::string& policy) {
  const pb::DynamoTable* before = Current();
  const bool had = before != nullptr && !before->resource_policy().empty();
  Operation* op = nullptr;
  if (policy.empty()) {
    op = &Push("DeleteResourcePolicy", {{"ResourceArn", arn_}}, "remove the resource policy",
               false);
  } else {
    op = &Push("PutResourcePolicy", {{"ResourceArn", arn_}, {"Policy", policy}},
               had ? "replace the resource policy" : "attach a resource policy", false);
  }
  op->wait_for_policy = true;
  op->retry_on = {"ResourceInUseException", "LimitExceededException"};
}

void OperationBuilder::LiftProtection(const std::string& why) {
  const pb::DynamoTable* before = Current();
  if (before == nullptr || !before->deletion_protection()) return;
  json input = Update();
  input["DeletionProtectionEnabled"] = false;
  Push("UpdateTable", std::move(input), "turn off deletion protection to " + why + " the table")
      .destructive = true;
}

void OperationBuilder::Delete() {
  Operation& op = Push("DeleteTable", Update(), "delete table " + table_, false);
  op.wait_for_deleted = true;
  op.destructive = true;
}

void OperationBuilder::Replace(const pb::DynamoReplaceTable& e) {
  RemoveAllReplicas("replace");
  LiftProtection("replace");
  Delete();
  Create(e.table(), true);
}

void OperationBuilder::Billing(const pb::DynamoSetBilling& e) {
  const pb::DynamoTable* before = Current();
  const bool switching = before == nullptr || before->billing_mode() != e.billing_mode();
  json input = Update();
  if (switching) input["BillingMode"] = BillingModeName(e.billing_mode());
  if (e.billing_mode() != pb::DYNAMO_BILLING_MODE_PROVISIONED) {
    Push("UpdateTable", std::move(input), "switch billing to PAY_PER_REQUEST");
    return;
  }
  if (switching || !SameThroughput(before->throughput(), e.throughput())) {
    input["ProvisionedThroughput"] = Plain(RenderThroughput(e.throughput()));
  }
  std::map<std::string, pb::DynamoThroughput> sorted(e.index_throughput().begin(),
                                                     e.index_throughput().end());
  for (const auto& [name, throughput] : sorted) {
    const pb::DynamoGlobalIndex* index = before != nullptr ? FindIndex(*before, name) : nullptr;
    if (!switching && index != nullptr && SameThroughput(index->throughput(), throughput)) continue;
    input["GlobalSecondaryIndexUpdates"].push_back(
        {{"Update",
          {{"IndexName", name}, {"ProvisionedThroughput", Plain(RenderThroughput(throughput))}}}});
  }
  Push("UpdateTable", std::move(input),
       switching ? "switch billing to PROVISIONED (" + Capacity(e.throughput()) + ")"
                 : "set provisioned throughput to " + Capacity(e.throughput()));
}

// The attribute definitions sent are every one the table's keys and indexes use once the index
// exists, not only the new index's: the service documents the full set, and a server that
// replaces the table's definitions with what it is sent (moto does) keeps the others.
void OperationBuilder::AddIndex(const pb::DynamoAddGlobalIndex& e) {
  std::map<std::string, pb::DynamoAttributeDefinition> attributes;
  if (const pb::DynamoTable* before = Current()) {
    for (const auto& a : before->attributes()) attributes[a.name()] = a;
  }
  for (const auto& a : e.attributes()) attributes[a.name()] = a;
  json definitions = json::array();
  for (const auto& [name, a] : attributes) definitions.push_back(Plain(RenderAttributeDefinition(a)));
  json input = Update();
  input["AttributeDefinitions"] = std::move(definitions);
  input["GlobalSecondaryIndexUpdates"] = {{{"Create", Plain(RenderGlobalIndex(e.index()))}}};
  Push("UpdateTable", std::move(input), "add global index " + e.index().name());
  if (e.index().has_contributor_insights()) {
    Insights(e.index().name(), &e.index().contributor_insights());
  }
}

// DynamoDB switches time to live on or off, never from one attribute to another, and takes
// one change per table an hour: a new attribute is turned off now and on in a later run.
void OperationBuilder::TimeToLive(const std::string& attribute) {
  const pb::DynamoTable* before = Current();
  const std::string old = before != nullptr ? before->ttl_attribute() : "";
  if (!old.empty()) {
    Push("UpdateTimeToLive",
         {{"TableName", table_},
          {"TimeToLiveSpecification", {{"AttributeName", old}, {"Enabled", false}}}},
         "turn off time to live (attribute " + old + ")", false);
  }
  if (!attribute.empty()) {
    Operation& on = Push(
        "UpdateTimeToLive",
        {{"TableName", table_},
         {"TimeToLiveSpecification", {{"AttributeName", attribute}, {"Enabled", true}}}},
        "turn on time to live on attribute " + attribute, false);
    if (!old.empty()) {
      on.held = fmt::format(
          "DynamoDB takes one time-to-live change per table an hour, so this runs in an apply at "
          "least an hour after time to live on {} is turned off",
          old);
    }
  }
}

void OperationBuilder::Encryption(const pb::DynamoSetEncryption& e) {
  pb::DynamoTable wanted;
  if (e.has_encryption()) *wanted.mutable_encryption() = e.encryption();
  json input = Update();
  input["SSESpecification"] = Plain(RenderSseSpecification(wanted));
  const pb::DynamoTable* before = Current();
  Push("UpdateTable", std::move(input),
       fmt::format("switch encryption {}to the {}",
                   before != nullptr ? "from the " + EncryptionText(*before) + " " : "",
                   EncryptionText(wanted)));
}

// A maximum only applies to on-demand capacity: under PROVISIONED there is nothing to send
// (DynamoDB refuses it) and nothing that would be kept.
void OperationBuilder::OnDemand(const pb::DynamoSetOnDemandThroughput& e) {
  const pb::DynamoTable* before = Current();
  if (before != nullptr && before->billing_mode() == pb::DYNAMO_BILLING_MODE_PROVISIONED) return;
  const json value = Plain(RenderOnDemandThroughput(e.on_demand_throughput(), true));
  const std::string text =
      e.has_on_demand_throughput() ? OnDemandText(&e.on_demand_throughput()) : "no maximum";
  json input = Update();
  if (e.index().empty()) {
    input["OnDemandThroughput"] = value;
    Push("UpdateTable", std::move(input), "set on-demand throughput to " + text);
    return;
  }
  input["GlobalSecondaryIndexUpdates"] = {
      {{"Update", {{"IndexName", e.index()}, {"OnDemandThroughput", value}}}}};
  Push("UpdateTable", std::move(input),
       fmt::format("set on-demand throughput of global index {} to {}", e.index(), text));
}

// Both values are always sent: DynamoDB keeps them as one setting, and a server that replaces
// it with what it is sent (moto does) would otherwise lose the other one.
void OperationBuilder::Warm(const pb::DynamoSetWarmThroughput& e) {
  if (!e.has_warm_throughput()) return;  // no longer managed: the table keeps what it has
  const json value = Plain(RenderWarmThroughput(e.warm_throughput()));
  json input = Update();
  if (e.index().empty()) {
    input["WarmThroughput"] = value;
    Push("UpdateTable", std::move(input),
         "raise warm throughput to " + WarmText(e.warm_throughput()));
    return;
  }
  input["GlobalSecondaryIndexUpdates"] = {
      {{"Update", {{"IndexName", e.index()}, {"WarmThroughput", value}}}}};
  Push("UpdateTable", std::move(input),
       fmt::format("raise warm throughput of global index {} to {}", e.index(),
                   WarmText(e.warm_throughput())));
}

// A stream cannot change its view type in place: it is turned off, then on again.
void OperationBuilder::Stream(pb::DynamoStreamViewType stream) {
  const pb::DynamoTable* before = Current();
  const bool was_on = before != nullptr && before->stream() != pb::DYNAMO_STREAM_DISABLED;
  if (was_on) {
    json input = Update();
    input["StreamSpecification"] = {{"StreamEnabled", false}};
    Push("UpdateTable", std::move(input),
         stream == pb::DYNAMO_STREAM_DISABLED
             ? "turn off stream"
             : fmt::format("switch stream from {} to {}: turn it off",
                           StreamViewTypeName(before->stream()), StreamViewTypeName(stream)));
  }
  if (stream == pb::DYNAMO_STREAM_DISABLED) return;
  json input = Update();
  input["StreamSpecification"] = {{"StreamEnabled", true},
                                  {"StreamViewType", StreamViewTypeName(stream)}};
  Push("UpdateTable", std::move(input),
       was_on ? fmt::format("switch stream from {} to {}: turn it on",
                            StreamViewTypeName(before->stream()), StreamViewTypeName(stream))
              : fmt::format("turn on stream ({})", StreamViewTypeName(stream)));
}

void OperationBuilder::Add(const pb::DynamoChange& c) {
  switch (c.kind_case()) {
    case pb::DynamoChange::kCreateTable: Create(c.create_table().table(), false); break;
    case pb::DynamoChange::kDropTable:
      RemoveAllReplicas("delete");
      if (lift_protection_) LiftProtection("delete");
      Delete();
      break;
    case pb::DynamoChange::kReplaceTable: Replace(c.replace_table()); break;
    case pb::DynamoChange::kSetBilling: Billing(c.set_billing()); break;
    case pb::DynamoChange::kAddGlobalIndex: AddIndex(c.add_global_index()); break;
    case pb::DynamoChange::kDropGlobalIndex: {
      json input = Update();
      input["GlobalSecondaryIndexUpdates"] = {
          {{"Delete", {{"IndexName", c.drop_global_index().index()}}}}};
      Push("UpdateTable", std::move(input), "delete global index " + c.drop_global_index().index());
      break;
    }
    case pb::DynamoChange::kSetGlobalIndexThroughput: {
      const auto& e = c.set_global_index_throughput();
      json input = Update();
      input["GlobalSecondaryIndexUpdates"] = {
          {{"Update",
            {{"IndexName", e.index()},
             {"ProvisionedThroughput", Plain(RenderThroughput(e.throughput()))}}}}};
      Push("UpdateTable", std::move(input),
           fmt::format("set throughput of global index {} to {}", e.index(),
                       Capacity(e.throughput())));
      break;
    }
    case pb::DynamoChange::kSetTimeToLive: TimeToLive(c.set_time_to_live().attribute()); break;
    case pb::DynamoChange::kSetStream: Stream(c.set_stream().stream()); break;
    case pb::DynamoChange::kSetTableClass: {
      json input = Update();
      input["TableClass"] = TableClassName(c.set_table_class().table_class());
      Push("UpdateTable", std::move(input),
           fmt::format("set table class to {}", TableClassName(c.set_table_class().table_class())));
      break;
    }
    case pb::DynamoChange::kSetDeletionProtection: {
      json input = Update();
      const bool on = c.set_deletion_protection().enabled();
      input["DeletionProtectionEnabled"] = on;
      Push("UpdateTable", std::move(input),
           on ? "turn on deletion protection" : "turn off deletion protection");
      break;
    }
    case pb::DynamoChange::kSetPointInTimeRecovery:
      Recovery(c.set_point_in_time_recovery().recovery_period_days());
      break;
    case pb::DynamoChange::kSetResourcePolicy: Policy(c.set_resource_policy().policy()); break;
    case pb::DynamoChange::kSetTag: set_tags_[c.set_tag().key()] = c.set_tag().value(); break;
    case pb::DynamoChange::kRemoveTag: removed_tags_.push_back(c.remove_tag().key()); break;
    case pb::DynamoChange::kSetEncryption: Encryption(c.set_encryption()); break;
    case pb::DynamoChange::kSetOnDemandThroughput: OnDemand(c.set_on_demand_throughput()); break;
    case pb::DynamoChange::kSetWarmThroughput: Warm(c.set_warm_throughput()); break;
    case pb::DynamoChange::kSetContributorInsights: {
      const auto& e = c.set_contributor_insights();
      Insights(e.index(), e.has_insights() ? &e.insights() : nullptr);
      break;
    }
    case pb::DynamoChange::kAddKinesisDestination:
      AddDestination(c.add_kinesis_destination().destination());
      break;
    case pb::DynamoChange::kRemoveKinesisDestination:
      RemoveDestination(c.remove_kinesis_destination().stream_arn());
      break;
    case pb::DynamoChange::kSetKinesisDestinationPrecision:
      DestinationPrecision(c.set_kinesis_destination_precision().stream_arn(),
                           c.set_kinesis_destination_precision().precision());
      break;
    case pb::DynamoChange::kAddReplica: AddReplica(c.add_replica().replica(), false); break;
    case pb::DynamoChange::kRemoveReplica: RemoveReplica(c.remove_replica().region(), ""); break;
    case pb::DynamoChange::kUpdateReplica: UpdateReplica(c.update_replica().replica()); break;
    case pb::DynamoChange::KIND_NOT_SET: break;
  }
  // Keeps `current_` in step; a change that does not apply leaves it as it was, which only
  // affects how later summaries read.
  (void)ApplyDynamo(c, &current_);
}

// Tags go last, in one call each way, addressed by the table's ARN.
std::vector<Operation> OperationBuilder::Finish() {
  if (!set_tags_.empty()) {
    json tags = json::array();
    std::vector<std::string> shown;
    for (const auto& [k, v] : set_tags_) {
      tags.push_back({{"Key", k}, {"Value", v}});
      shown.push_back(k + "=" + v);
    }
    Push("TagResource", {{"ResourceArn", arn_}, {"Tags", std::move(tags)}},
         fmt::format("set tags {}", fmt::join(shown, ", ")), false);
  }
  if (!removed_tags_.empty()) {
    Push("UntagResource", {{"ResourceArn", arn_}, {"TagKeys", removed_tags_}},
         fmt::format("remove tags {}", fmt::join(removed_tags_, ", ")), false);
  }
  return std::move(ops_);
}

TableAction ActionOf(const pb::DynamoChange& first) {
  switch (first.kind_case()) {
    case pb::DynamoChange::kCreateTable: return TableAction::kCreate;
    case pb::DynamoChange::kDropTable: return TableAction::kDelete;
    case pb::DynamoChange::kReplaceTable: return TableAction::kReplace;
    default: return TableAction::kUpdate;
  }
}

// Live tables strata manages, as a schema to diff from. Where the target cannot tag, hold
// continuous backups or resource policies, the live value is taken to be the desired one, so
// nothing is planned for it.
pb::DynamoSchema ManagedLiveSchema(const std::vector<LiveTable>& live,
                                   const pb::DynamoSchema& desired, const PlanOptions& options,
                                   std::map<std::string, const LiveTable*>* by_name,
                                   std::vector<std::string>* unmanaged) {
  pb::DynamoSchema schema;
  for (const auto& t : live) {
    const std::string& name = t.table.name();
    if (!options.managed.count(name)) {
      unmanaged->push_back(name);
      continue;
    }
    if (t.status == "DELETING") continue;
    pb::DynamoTable table = t.table;
    auto wanted = desired.tables().find(name);
    if (wanted != desired.tables().end()) {
      if (!t.tags_supported) *table.mutable_tags() = wanted->second.tags();
      if (!t.recovery_supported) {
        table.set_point_in_time_recovery_days(wanted->second.point_in_time_recovery_days());
      }
      if (!t.policy_supported) table.set_resource_policy(wanted->second.resource_policy());
      TakeUnreportedSettings(t, wanted->second, &table);
    }
    NormalizeLiveTable(wanted != desired.tables().end() ? &wanted->second : nullptr,
                       UnwantedWarm::kIgnore, options.keys, &table);
    (*schema.mutable_tables())[name] = std::move(table);
    (*by_name)[name] = &t;
  }
  return schema;
}

// "table orders" or "global index by_email of table orders" asks for less warm throughput than
// it has; empty when nothing does.
std::string WarmDecrease(const pb::DynamoTable& live, const std::vector<pb::DynamoChange>& changes) {
  for (const auto& c : changes) {
    if (c.kind_case() != pb::DynamoChange::kSetWarmThroughput) continue;
    const auto& e = c.set_warm_throughput();
    if (!e.has_warm_throughput()) continue;
    const pb::DynamoWarmThroughput* now = nullptr;
    if (e.index().empty()) {
      if (live.has_warm_throughput()) now = &live.warm_throughput();
    } else if (const pb::DynamoGlobalIndex* g = FindIndex(live, e.index());
               g != nullptr && g->has_warm_throughput()) {
      now = &g->warm_throughput();
    }
    if (now == nullptr) continue;
    const auto& want = e.warm_throughput();
    if (want.read_units_per_second() >= now->read_units_per_second() &&
        want.write_units_per_second() >= now->write_units_per_second()) {
      continue;
    }
    const std::string key = e.index().empty() ? "warm_throughput" : "the index's warm_throughput";
    return fmt::format(
        "{} has a warm throughput of {} and DynamoDB never lowers it, so {} cannot be reached; "
        "set {} to at least {{ read: {}, write: {} }} in the table file (or leave it out to let "
        "DynamoDB keep what it has), record that with strata generate, then apply again",
        e.index().empty() ? "table " + e.table() : "global index " + e.index() + " of table " + e.table(),
        WarmText(*now), WarmText(want), key, now->read_units_per_second(),
        now->write_units_per_second());
  }
  return "";
}

// Consent is per table ("orders") or per replica ("orders:eu-west-1").
std::string ReplicaRemovalRefusal(const TablePlan& plan, const PlanOptions& options) {
  std::vector<std::string> regions;
  for (const auto& op : plan.operations) {
    if (!op.replica_gone || op.wait_for_replica.empty()) continue;
    if (options.allow_replica_removal.count(plan.table) ||
        options.allow_replica_removal.count(plan.table + ":" + op.wait_for_replica)) {
      continue;
    }
    regions.push_back(op.wait_for_replica);
  }
  if (regions.empty()) return "";
  if (plan.action == TableAction::kDelete || plan.action == TableAction::kReplace) {
    return fmt::format(
        "table {} has replicas in {}; DynamoDB deletes no table with replicas, so they are "
        "removed first, which deletes their items in those regions; allow it with "
        "--allow-replica-removal {}",
        plan.table, fmt::join(regions, ", "), plan.table);
  }
  std::vector<std::string> flags;
  for (const auto& r : regions) flags.push_back("--allow-replica-removal " + plan.table + ":" + r);
  return fmt::format(
      "removing the replica{} of table {} in {} deletes {} items in {}; allow it with {} (or put "
      "the replica back in the table file to keep it)",
      regions.size() == 1 ? "" : "s", plan.table, fmt::join(regions, ", "),
      regions.size() == 1 ? "its" : "their", regions.size() == 1 ? "that region" : "those regions",
      fmt::join(flags, " "));
}

// Replica rules that need the target: its own region is never a replica, and DynamoDB takes
// no stream change while a table keeps replicas.
std::string ReplicaRuleRefusal(const pb::DynamoTable* live_table, const pb::DynamoTable* wanted,
                               const TablePlan& plan, const PlanOptions& options) {
  if (wanted != nullptr && !options.region.empty()) {
    for (const auto& r : wanted->replicas()) {
      if (r.region() != options.region) continue;
      return fmt::format(
          "table {} lists a replica in {}, the target's own region, where the table itself "
          "is; remove that replica from the table file (or deploy to a target in another "
          "region), record that with strata generate, then apply again",
          plan.table, options.region);
    }
  }
  if (live_table == nullptr || wanted == nullptr || plan.action != TableAction::kUpdate) return "";
  const bool stream_changes =
      std::any_of(plan.changes.begin(), plan.changes.end(), [](const pb::DynamoChange& c) {
        return c.kind_case() == pb::DynamoChange::kSetStream;
      });
  if (!stream_changes) return "";
  for (const auto& r : live_table->replicas()) {
    for (const auto& w : wanted->replicas()) {
      if (w.region() != r.region()) continue;
      return fmt::format(
          "table {} keeps its replica in {}, and DynamoDB changes no stream while a table has "
          "replicas; keep stream: new_and_old_images in the table file, or remove the replicas "
          "first (an apply of its own), then change the stream",
          plan.table, r.region());
    }
  }
  return "";
}

void Judge(const LiveTable* live, const pb::DynamoTable* live_table, const PlanOptions& options,
           TablePlan* plan) {
  if (live_table != nullptr && plan->action == TableAction::kUpdate) {
    if (std::string why = WarmDecrease(*live_table, plan->changes); !why.empty()) {
      plan->blocked = true;
      plan->blocked_reason = std::move(why);
    }
  }
  if (plan->action == TableAction::kReplace) {
    plan->replace_reason = plan->changes.front().replace_table().reason();
    if (!options.allow_replace.count(plan->table)) {
      plan->blocked = true;
      plan->blocked_reason = fmt::format(
          "replacing table {} deletes all its items ({}); allow it with --allow-replace {}",
          plan->table, plan->replace_reason, plan->table);
    }
  }
  if (plan->action == TableAction::kDelete && live != nullptr &&
      live->table.deletion_protection() && !options.lift_protection.count(plan->table)) {
    plan->blocked = true;
    plan->blocked_reason = fmt::format(
        "table {} has deletion protection on, so it cannot be deleted; to turn protection off "
        "and delete it with all its items, run again with --lift-deletion-protection {} (or "
        "put its table file back to keep it)",
        plan->table, plan->table);
  }
  if (!plan->blocked) {
    if (std::string why = ReplicaRemovalRefusal(*plan, options); !why.empty()) {
      plan->blocked = true;
      plan->blocked_reason = std::move(why);
    }
  }
  if (live != nullptr) {
    for (const auto& [region, problem] : live->replica_problems) {
      plan->notes.push_back(fmt::format("replica {} is {}: {}", region,
                                        live->replica_status.at(region), problem));
    }
  }
  if (live != nullptr && !live->tags_supported) {
    plan->notes.push_back("tags left alone: the target does not support tagging");
  }
  if (live != nullptr && !live->recovery_supported) {
    plan->notes.push_back(
        "point-in-time recovery left alone: the target does not support continuous backups");
  }
  if (live != nullptr && !live->policy_supported) {
    plan->notes.push_back(
        "resource policy left alone: the target does not support resource policies");
  }
  if (live != nullptr && !live->insights_supported) {
    plan->notes.push_back(
        "contributor insights left alone: the target does not support contributor insights");
  }
  if (live != nullptr && !live->kinesis_supported) {
    plan->notes.push_back(
        "Kinesis streaming destinations left alone: the target does not support them");
  }
}

}  // namespace

std::string_view TableActionName(TableAction action) {
  switch (action) {
    case TableAction::kCreate: return "create";
    case TableAction::kUpdate: return "update";
    case TableAction::kReplace: return "replace";
    case TableAction::kDelete: return "delete";
  }
  return "update";
}

std::vector<Operation> OperationsFor(const LiveTable* live,
                                     const std::vector<pb::DynamoChange>& changes,
                                     bool lift_protection) {
  if (changes.empty()) return {};
  OperationBuilder builder(live, DynamoTableOf(changes.front()), lift_protection);
  for (const auto& c : changes) builder.Add(c);
  return builder.Finish();
}

Result<Plan> PlanChanges(const std::vector<LiveTable>& live, const pb::DynamoSchema& desired,
                         const PlanOptions& options) {
  Plan plan;
  std::map<std::string, const LiveTable*> by_name;
  pb::DynamoSchema from = ManagedLiveSchema(live, desired, options, &by_name, &plan.unmanaged);
  pb::DynamoSchema to;
  for (const auto& [name, table] : desired.tables()) {
    if (options.managed.count(name)) (*to.mutable_tables())[name] = table;
  }
  std::vector<pb::Event> events;
  DiffDynamo(from, to, &events);
  std::map<std::string, std::vector<pb::DynamoChange>> grouped;
  for (const auto& e : events) {
    STRATA_RETURN_IF_ERROR(ValidateDynamoChange(e.dynamodb()));
    grouped[DynamoTableOf(e.dynamodb())].push_back(e.dynamodb());
  }
  for (auto& [name, changes] : grouped) {
    TablePlan t;
    t.table = name;
    t.action = ActionOf(changes.front());
    auto found = by_name.find(name);
    const LiveTable* current = found == by_name.end() ? nullptr : found->second;
    std::optional<LiveTable> seen;  // the live table in the schema's terms, for summaries
    if (current != nullptr) {
      seen = *current;
      seen->table = from.tables().at(name);
    }
    t.operations = OperationsFor(seen ? &*seen : nullptr, changes, options.lift_protection.count(name) > 0);
    t.changes = std::move(changes);
    auto normalized = from.tables().find(name);
    const pb::DynamoTable* live_table =
        normalized != from.tables().end() ? &normalized->second : nullptr;
    auto wanted = to.tables().find(name);
    if (std::string why = ReplicaRuleRefusal(
            live_table, wanted != to.tables().end() ? &wanted->second : nullptr, t, options);
        !why.empty()) {
      t.blocked = true;
      t.blocked_reason = std::move(why);
    }
    Judge(current, live_table, options, &t);
    plan.tables.push_back(std::move(t));
  }
  std::sort(plan.unmanaged.begin(), plan.unmanaged.end());
  return plan;
}

}  // namespace strata::dynamodb
