#include "engine/state/canonical.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace strata {
namespace {

void SortProjection(pb::DynamoProjection* projection) {
  auto* attrs = projection->mutable_non_key_attributes();
  if (std::is_sorted(attrs->begin(), attrs->end()) &&
      std::adjacent_find(attrs->begin(), attrs->end()) == attrs->end()) {
    return;
  }
  std::sort(attrs->begin(), attrs->end());
  attrs->erase(std::unique(attrs->begin(), attrs->end()), attrs->end());
}

bool IsZero(const pb::DynamoThroughput& t) {
  return t.read_capacity_units() == 0 && t.write_capacity_units() == 0;
}

bool IsZero(const pb::DynamoOnDemandThroughput& t) {
  return t.max_read_request_units() == 0 && t.max_write_request_units() == 0;
}

// No maximum and an all-zero maximum are the same thing; likewise the AWS-owned key and no
// encryption setting at all: keep one form of each.
void CanonicalizeSettings(pb::DynamoGlobalIndex* gsi) {
  if (gsi->has_on_demand_throughput() && IsZero(gsi->on_demand_throughput())) {
    gsi->clear_on_demand_throughput();
  }
}

// Replicas by region, each one's index overrides by name, and no entry for an index
// without an override.
void CanonicalizeReplicas(pb::DynamoTable* table) {
  auto* replicas = table->mutable_replicas();
  auto by_region = [](const auto& x, const auto& y) { return x.region() < y.region(); };
  if (!std::is_sorted(replicas->begin(), replicas->end(), by_region)) {
    std::sort(replicas->begin(), replicas->end(), by_region);
  }
  for (auto& r : *replicas) {
    auto* indexes = r.mutable_global_indexes();
    indexes->erase(std::remove_if(indexes->begin(), indexes->end(),
                                  [](const pb::DynamoReplicaIndex& g) {
                                    return g.read_capacity_units() == 0 &&
                                           g.max_read_request_units() == 0;
                                  }),
                   indexes->end());
    auto by_name = [](const auto& x, const auto& y) { return x.name() < y.name(); };
    if (!std::is_sorted(indexes->begin(), indexes->end(), by_name)) {
      std::sort(indexes->begin(), indexes->end(), by_name);
    }
  }
}

void CanonicalizeSettings(pb::DynamoTable* table) {
  if (table->has_on_demand_throughput() && IsZero(table->on_demand_throughput())) {
    table->clear_on_demand_throughput();
  }
  if (table->replicas_size() > 0) CanonicalizeReplicas(table);
  if (table->has_encryption() &&
      table->encryption().key() == pb::DYNAMO_ENCRYPTION_KEY_AWS_OWNED) {
    table->clear_encryption();
  }
  // One entry per stream, in ARN order.
  auto* destinations = table->mutable_kinesis_destinations();
  auto by_arn = [](const auto& x, const auto& y) { return x.stream_arn() < y.stream_arn(); };
  if (!std::is_sorted(destinations->begin(), destinations->end(), by_arn)) {
    std::sort(destinations->begin(), destinations->end(), by_arn);
  }
}

template <typename Repeated>
void SortByName(Repeated* items) {
  auto by_name = [](const auto& x, const auto& y) { return x.name() < y.name(); };
  if (!std::is_sorted(items->begin(), items->end(), by_name)) {
    std::sort(items->begin(), items->end(), by_name);
  }
}

}  // namespace

void CanonicalizeDynamoThroughput(pb::DynamoTable* table) {
  // An all-zero throughput and no throughput are the same thing: keep one form.
  if (table->has_throughput() && IsZero(table->throughput())) table->clear_throughput();
  for (auto& gsi : *table->mutable_global_indexes()) {
    if (gsi.has_throughput() && IsZero(gsi.throughput())) gsi.clear_throughput();
  }
}

void CanonicalizeDynamoTable(pb::DynamoTable* table) {
  CanonicalizeDynamoThroughput(table);
  CanonicalizeSettings(table);
  for (auto& gsi : *table->mutable_global_indexes()) CanonicalizeSettings(&gsi);
  // Replay calls this for most events: no allocation beyond one small vector.
  std::vector<std::string_view> used;
  used.reserve(2 + 2 * table->global_indexes_size() + table->local_indexes_size());
  auto use = [&used](const std::string& name) {
    if (!name.empty()) used.push_back(name);
  };
  use(table->key().partition_key());
  use(table->key().sort_key());
  for (auto& gsi : *table->mutable_global_indexes()) {
    use(gsi.key().partition_key());
    use(gsi.key().sort_key());
    SortProjection(gsi.mutable_projection());
  }
  for (auto& lsi : *table->mutable_local_indexes()) {
    use(lsi.sort_key());
    SortProjection(lsi.mutable_projection());
  }
  std::sort(used.begin(), used.end());
  SortByName(table->mutable_global_indexes());
  SortByName(table->mutable_local_indexes());

  auto* attrs = table->mutable_attributes();
  SortByName(attrs);
  // Keep the first definition of each used name; drop unused and duplicate ones.
  int keep = 0;
  for (int i = 0; i < attrs->size(); ++i) {
    const auto& a = attrs->Get(i);
    if (!std::binary_search(used.begin(), used.end(), std::string_view(a.name()))) continue;
    if (keep > 0 && attrs->Get(keep - 1).name() == a.name()) continue;
    if (keep != i) attrs->SwapElements(keep, i);
    ++keep;
  }
  while (attrs->size() > keep) attrs->RemoveLast();
}

void AddDynamoGlobalIndexCanonical(
    const pb::DynamoGlobalIndex& index,
    const google::protobuf::RepeatedPtrField<pb::DynamoAttributeDefinition>& definitions,
    pb::DynamoTable* table) {
  auto by_name = [](const auto& x, const auto& y) { return x.name() < y.name(); };
  auto* indexes = table->mutable_global_indexes();
  *indexes->Add() = index;
  pb::DynamoGlobalIndex& added = *indexes->Mutable(indexes->size() - 1);
  if (added.has_throughput() && IsZero(added.throughput())) added.clear_throughput();
  CanonicalizeSettings(&added);
  SortProjection(added.mutable_projection());
  // Rotate the new last element into place; the rest is already sorted.
  auto pos = std::upper_bound(indexes->begin(), indexes->end() - 1, added, by_name);
  std::rotate(pos, indexes->end() - 1, indexes->end());

  auto* attrs = table->mutable_attributes();
  for (const std::string* key : {&index.key().partition_key(), &index.key().sort_key()}) {
    if (key->empty()) continue;
    auto at = std::lower_bound(attrs->begin(), attrs->end(), *key,
                               [](const auto& a, const std::string& k) { return a.name() < k; });
    if (at != attrs->end() && at->name() == *key) continue;
    auto given = std::find_if(definitions.begin(), definitions.end(),
                              [key](const auto& a) { return a.name() == *key; });
    if (given == definitions.end()) continue;  // left undefined, as Canonicalize would
    const auto offset = at - attrs->begin();
    *attrs->Add() = *given;
    std::rotate(attrs->begin() + offset, attrs->end() - 1, attrs->end());
  }
}

}  // namespace strata
