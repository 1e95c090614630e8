// Apply for DynamoDB changes. Each handler checks everything first and mutates last, so a
// failing event leaves the schema untouched.
#include <fmt/format.h>

#include <algorithm>

#include "engine/state/apply.h"
#include "engine/state/canonical.h"
#include "engine/state/objects.h"

namespace strata {
namespace {

using Tables = google::protobuf::Map<std::string, pb::DynamoTable>;

Result<pb::DynamoTable*> FindTable(Tables* tables, const std::string& name) {
  auto it = tables->find(name);
  if (it == tables->end()) {
    return Status::NotFound(fmt::format("dynamodb table {} does not exist", name));
  }
  return &it->second;
}

int FindGlobalIndex(const pb::DynamoTable& table, const std::string& name) {
  for (int i = 0; i < table.global_indexes_size(); ++i) {
    if (table.global_indexes(i).name() == name) return i;
  }
  return -1;
}

const pb::DynamoAttributeDefinition* FindAttribute(const pb::DynamoTable& table,
                                                  const std::string& name) {
  for (const auto& a : table.attributes()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

Status CreateTable(const pb::DynamoCreateTable& e, Tables* tables) {
  const auto& name = e.table().name();
  if (tables->count(name)) {
    return Status::AlreadyExists(fmt::format("dynamodb table {} already exists", name));
  }
  pb::DynamoTable table = e.table();
  CanonicalizeDynamoTable(&table);
  (*tables)[name] = std::move(table);
  return Status::Ok();
}

Status DropTable(const pb::DynamoDropTable& e, Tables* tables) {
  if (!tables->erase(e.table())) {
    return Status::NotFound(fmt::format("dynamodb table {} does not exist", e.table()));
  }
  return Status::Ok();
}

Status ReplaceTable(const pb::DynamoReplaceTable& e, Tables* tables) {
  STRATA_ASSIGN_OR_RETURN(pb::DynamoTable * table, FindTable(tables, e.table().name()));
  *table = e.table();
  CanonicalizeDynamoTable(table);
  return Status::Ok();
}

Status SetBilling(const pb::DynamoSetBilling& e, Tables* tables) {
  STRATA_ASSIGN_OR_RETURN(pb::DynamoTable * table, FindTable(tables, e.table()));
  for (const auto& [index, _] : e.index_throughput()) {
    if (FindGlobalIndex(*table, index) < 0) {
      return Status::NotFound(
          fmt::format("dynamodb index {}.{} does not exist", e.table(), index));
    }
  }
  table->set_billing_mode(e.billing_mode());
  *table->mutable_throughput() = e.throughput();
  for (auto& gsi : *table->mutable_global_indexes()) {
    auto it = e.index_throughput().find(gsi.name());
    if (it != e.index_throughput().end()) {
      *gsi.mutable_throughput() = it->second;
    } else {
      gsi.clear_throughput();
    }
  }
  CanonicalizeDynamoThroughput(table);
  return Status::Ok();
}

// The index may bring attribute definitions; an existing definition must agree.
Status AddGlobalIndex(const pb::DynamoAddGlobalIndex& e, Tables* tables) {
  STRATA_ASSIGN_OR_RETURN(pb::DynamoTable * table, FindTable(tables, e.table()));
  const auto& index = e.index();
  if (FindGlobalIndex(*table, index.name()) >= 0) {
    return Status::AlreadyExists(
        fmt::format("dynamodb index {}.{} already exists", e.table(), index.name()));
  }
  for (const auto& key : {index.key().partition_key(), index.key().sort_key()}) {
    if (key.empty()) continue;
    const auto* existing = FindAttribute(*table, key);
    auto given = std::find_if(e.attributes().begin(), e.attributes().end(),
                              [&key](const auto& a) { return a.name() == key; });
    if (existing == nullptr && given == e.attributes().end()) {
      return Status::InvalidArgument(fmt::format(
          "dynamodb index {}.{}: key attribute {} has no type", e.table(), index.name(), key));
    }
    if (existing != nullptr && given != e.attributes().end() &&
        existing->type() != given->type()) {
      return Status::InvalidArgument(
          fmt::format("dynamodb index {}.{}: attribute {} is already defined as {}", e.table(),
                      index.name(), key, pb::DynamoAttributeType_Name(existing->type())));
    }
  }
  AddDynamoGlobalIndexCanonical(index, e.attributes(), table);
  return Status::Ok();
}

Status DropGlobalIndex(const pb::DynamoDropGlobalIndex& e, Tables* tables) {
  STRATA_ASSIGN_OR_RETURN(pb::DynamoTable * table, FindTable(tables, e.table()));
  int i = FindGlobalIndex(*table, e.index());
  if (i < 0) {
    return Status::NotFound(
        fmt::format("dynamodb index {}.{} does not exist", e.table(), e.index()));
  }
  table->mutable_global_indexes()->DeleteSubrange(i, 1);
  // The replicas' overrides for the index go with it.
  for (auto& r : *table->mutable_replicas()) {
    auto* overrides = r.mutable_global_indexes();
    overrides->erase(std::remove_if(overrides->begin(), overrides->end(),
                                    [&e](const auto& g) { return g.name() == e.index(); }),
                     overrides->end());
  }
  CanonicalizeDynamoTable(table);  // drops attribute definitions only that index used
  return Status::Ok();
}

Status SetGlobalIndexThroughput(const pb::DynamoSetGlobalIndexThroughput& e, Tables* tables) {
  STRATA_ASSIGN_OR_RETURN(pb::DynamoTable * table, FindTable(tables, e.table()));
  int i = FindGlobalIndex(*table, e.index());
  if (i < 0) {
    return Status::NotFound(
        fmt::format("dynamodb index {}.{} does not exist", e.table(), e.index()));
  }
  *table->mutable_global_indexes(i)->mutable_throughput() = e.throughput();
  CanonicalizeDynamoThroughput(table);
  return Status::Ok();
}

// Sets `field` of the table itself when `index` is empty, else of that global index.
template <typename Event, typename SetOn>
Status SetTableOrIndex(const Event& e, Tables* tables, SetOn set_on) {
  STRATA_ASSIGN_OR_RETURN(pb::DynamoTable * table, FindTable(tables, e.table()));
  if (e.index().empty()) {
    set_on(table);
  } else {
    int i = FindGlobalIndex(*table, e.index());
    if (i < 0) {
      return Status::NotFound(
          fmt::format("dynamodb index {}.{} does not exist", e.table(), e.index()));
    }
    set_on(table->mutable_global_indexes(i));
  }
  CanonicalizeDynamoTable(table);
  return Status::Ok();
}

Status SetOnDemand(const pb::DynamoSetOnDemandThroughput& e, Tables* tables) {
  return SetTableOrIndex(e, tables, [&e](auto* owner) {
    if (e.has_on_demand_throughput()) {
      *owner->mutable_on_demand_throughput() = e.on_demand_throughput();
    } else {
      owner->clear_on_demand_throughput();
    }
  });
}

Status SetWarm(const pb::DynamoSetWarmThroughput& e, Tables* tables) {
  return SetTableOrIndex(e, tables, [&e](auto* owner) {
    if (e.has_warm_throughput()) {
      *owner->mutable_warm_throughput() = e.warm_throughput();
    } else {
      owner->clear_warm_throughput();
    }
  });
}

Status SetInsights(const pb::DynamoSetContributorInsights& e, Tables* tables) {
  return SetTableOrIndex(e, tables, [&e](auto* owner) {
    if (e.has_insights()) {
      *owner->mutable_contributor_insights() = e.insights();
    } else {
      owner->clear_contributor_insights();
    }
  });
}

int FindDestination(const pb::DynamoTable& table, const std::string& arn) {
  for (int i = 0; i < table.kinesis_destinations_size(); ++i) {
    if (table.kinesis_destinations(i).stream_arn() == arn) return i;
  }
  return -1;
}

int FindReplica(const pb::DynamoTable& table, const std::string& region) {
  for (int i = 0; i < table.replicas_size(); ++i) {
    if (table.replicas(i).region() == region) return i;
  }
  return -1;
}

Status AddDestination(const pb::DynamoAddKinesisDestination& e, Tables* tables) {
  STRATA_ASSIGN_OR_RETURN(pb::DynamoTable * table, FindTable(tables, e.table()));
  if (FindDestination(*table, e.destination().stream_arn()) >= 0) {
    return Status::AlreadyExists(fmt::format("dynamodb table {} already streams to {}",
                                             e.table(), e.destination().stream_arn()));
  }
  *table->add_kinesis_destinations() = e.destination();
  CanonicalizeDynamoTable(table);
  return Status::Ok();
}

Status AddReplica(const pb::DynamoAddReplica& e, Tables* tables) {
  STRATA_ASSIGN_OR_RETURN(pb::DynamoTable * table, FindTable(tables, e.table()));
  if (FindReplica(*table, e.replica().region()) >= 0) {
    return Status::AlreadyExists(fmt::format("dynamodb table {} already has a replica in {}",
                                             e.table(), e.replica().region()));
  }
  *table->add_replicas() = e.replica();
  CanonicalizeDynamoTable(table);
  return Status::Ok();
}

Status RemoveDestination(const pb::DynamoRemoveKinesisDestination& e, Tables* tables) {
  STRATA_ASSIGN_OR_RETURN(pb::DynamoTable * table, FindTable(tables, e.table()));
  const int i = FindDestination(*table, e.stream_arn());
  if (i < 0) {
    return Status::NotFound(
        fmt::format("dynamodb table {} does not stream to {}", e.table(), e.stream_arn()));
  }
  table->mutable_kinesis_destinations()->DeleteSubrange(i, 1);
  return Status::Ok();
}

Status SetDestinationPrecision(const pb::DynamoSetKinesisDestinationPrecision& e,
                               Tables* tables) {
  STRATA_ASSIGN_OR_RETURN(pb::DynamoTable * table, FindTable(tables, e.table()));
  const int i = FindDestination(*table, e.stream_arn());
  if (i < 0) {
    return Status::NotFound(
        fmt::format("dynamodb table {} does not stream to {}", e.table(), e.stream_arn()));
  }
  table->mutable_kinesis_destinations(i)->set_precision(e.precision());
  return Status::Ok();
}

Status RemoveReplica(const pb::DynamoRemoveReplica& e, Tables* tables) {
  STRATA_ASSIGN_OR_RETURN(pb::DynamoTable * table, FindTable(tables, e.table()));
  int i = FindReplica(*table, e.region());
  if (i < 0) {
    return Status::NotFound(
        fmt::format("dynamodb table {} has no replica in {}", e.table(), e.region()));
  }
  table->mutable_replicas()->DeleteSubrange(i, 1);
  return Status::Ok();
}

Status UpdateReplica(const pb::DynamoUpdateReplica& e, Tables* tables) {
  STRATA_ASSIGN_OR_RETURN(pb::DynamoTable * table, FindTable(tables, e.table()));
  int i = FindReplica(*table, e.replica().region());
  if (i < 0) {
    return Status::NotFound(fmt::format("dynamodb table {} has no replica in {}", e.table(),
                                        e.replica().region()));
  }
  *table->mutable_replicas(i) = e.replica();
  CanonicalizeDynamoTable(table);
  return Status::Ok();
}

template <typename Event, typename Set>
Status SetField(const Event& e, Tables* tables, Set set) {
  STRATA_ASSIGN_OR_RETURN(pb::DynamoTable * table, FindTable(tables, e.table()));
  set(table);
  return Status::Ok();
}

Status RemoveTag(const pb::DynamoRemoveTag& e, Tables* tables) {
  STRATA_ASSIGN_OR_RETURN(pb::DynamoTable * table, FindTable(tables, e.table()));
  if (!table->mutable_tags()->erase(e.key())) {
    return Status::NotFound(
        fmt::format("dynamodb table {} has no tag {}", e.table(), e.key()));
  }
  return Status::Ok();
}

}  // namespace

Status ApplyDynamo(const pb::DynamoChange& c, pb::DynamoSchema* schema) {
  Tables* t = schema->mutable_tables();
  switch (c.kind_case()) {
    case pb::DynamoChange::kCreateTable: return CreateTable(c.create_table(), t);
    case pb::DynamoChange::kDropTable: return DropTable(c.drop_table(), t);
    case pb::DynamoChange::kReplaceTable: return ReplaceTable(c.replace_table(), t);
    case pb::DynamoChange::kSetBilling: return SetBilling(c.set_billing(), t);
    case pb::DynamoChange::kAddGlobalIndex: return AddGlobalIndex(c.add_global_index(), t);
    case pb::DynamoChange::kDropGlobalIndex: return DropGlobalIndex(c.drop_global_index(), t);
    case pb::DynamoChange::kSetGlobalIndexThroughput:
      return SetGlobalIndexThroughput(c.set_global_index_throughput(), t);
    case pb::DynamoChange::kSetTimeToLive:
      return SetField(c.set_time_to_live(), t, [&](pb::DynamoTable* x) {
        x->set_ttl_attribute(c.set_time_to_live().attribute());
      });
    case pb::DynamoChange::kSetStream:
      return SetField(c.set_stream(), t,
                      [&](pb::DynamoTable* x) { x->set_stream(c.set_stream().stream()); });
    case pb::DynamoChange::kSetTableClass:
      return SetField(c.set_table_class(), t, [&](pb::DynamoTable* x) {
        x->set_table_class(c.set_table_class().table_class());
      });
    case pb::DynamoChange::kSetDeletionProtection:
      return SetField(c.set_deletion_protection(), t, [&](pb::DynamoTable* x) {
        x->set_deletion_protection(c.set_deletion_protection().enabled());
      });
    case pb::DynamoChange::kSetTag:
      return SetField(c.set_tag(), t, [&](pb::DynamoTable* x) {
        (*x->mutable_tags())[c.set_tag().key()] = c.set_tag().value();
      });
    case pb::DynamoChange::kRemoveTag: return RemoveTag(c.remove_tag(), t);
    case pb::DynamoChange::kSetEncryption:
      return SetField(c.set_encryption(), t, [&](pb::DynamoTable* x) {
        if (c.set_encryption().has_encryption()) {
          *x->mutable_encryption() = c.set_encryption().encryption();
        } else {
          x->clear_encryption();
        }
        CanonicalizeDynamoTable(x);
      });
    case pb::DynamoChange::kSetOnDemandThroughput:
      return SetOnDemand(c.set_on_demand_throughput(), t);
    case pb::DynamoChange::kSetWarmThroughput: return SetWarm(c.set_warm_throughput(), t);
    case pb::DynamoChange::kSetResourcePolicy:
      return SetField(c.set_resource_policy(), t, [&](pb::DynamoTable* x) {
        x->set_resource_policy(c.set_resource_policy().policy());
      });
    case pb::DynamoChange::kSetPointInTimeRecovery:
      return SetField(c.set_point_in_time_recovery(), t, [&](pb::DynamoTable* x) {
        x->set_point_in_time_recovery_days(c.set_point_in_time_recovery().recovery_period_days());
      });
    case pb::DynamoChange::kSetContributorInsights:
      return SetInsights(c.set_contributor_insights(), t);
    case pb::DynamoChange::kAddKinesisDestination:
      return AddDestination(c.add_kinesis_destination(), t);
    case pb::DynamoChange::kRemoveKinesisDestination:
      return RemoveDestination(c.remove_kinesis_destination(), t);
    case pb::DynamoChange::kSetKinesisDestinationPrecision:
      return SetDestinationPrecision(c.set_kinesis_destination_precision(), t);
    case pb::DynamoChange::kAddReplica: return AddReplica(c.add_replica(), t);
    case pb::DynamoChange::kRemoveReplica: return RemoveReplica(c.remove_replica(), t);
    case pb::DynamoChange::kUpdateReplica: return UpdateReplica(c.update_replica(), t);
    case pb::DynamoChange::KIND_NOT_SET: break;
  }
  return Status::InvalidArgument("dynamodb change: kind is UNSPECIFIED");
}

// The one top-level object every DynamoDB change touches is its table.
void TouchedDynamo(const pb::DynamoChange& c, std::vector<std::string>* out) {
  std::string table = DynamoTableOf(c);
  if (!table.empty()) out->push_back(std::move(table));
}

}  // namespace strata
