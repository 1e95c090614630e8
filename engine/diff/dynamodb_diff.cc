// Diff for DynamoDB: the finest changes DynamoDB itself can make in place, and a whole-table
// replacement where it cannot (a different key schema, local index or key attribute type).
//
// Per table the order is: replica removals (before anything they depend on changes: the
// stream, billing), global index drops, billing, global index adds, index throughput,
// on-demand maxima and warm throughput (table, then kept indexes), then the simple
// properties (time to live, stream, table class, encryption, deletion protection,
// point-in-time recovery, contributor insights of the table then of each kept index, Kinesis
// destinations removed, added and changed, resource policy, tags), then replica additions and
// replica setting updates (after the stream and billing they need). Drops come first so an index whose key
// attribute changes type can be dropped and added again with the new type.
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <map>
#include <set>

#include "engine/diff/diff.h"

namespace strata {
namespace {

// `m`'s deterministic serialization (map entries in key order) into `buffer`, whose capacity
// is reused from call to call. ByteSizeLong must have been called on `m` just before.
void SerializeDeterministic(const google::protobuf::MessageLite& m, size_t size,
                            std::string* buffer) {
  buffer->resize(size);
  google::protobuf::io::ArrayOutputStream array(buffer->data(), static_cast<int>(size));
  google::protobuf::io::CodedOutputStream out(&array);
  out.SetSerializationDeterministic(true);
  m.SerializeWithCachedSizes(&out);
}

// Two messages are the same when their deterministic serializations are: map entries are
// written in key order, proto3 scalars at their default are not written either way, a present
// sub-message is written even when empty, and these messages have no floating-point fields
// (where -0.0 and NaN would make bytes and values disagree). That is what field-by-field
// comparison (MessageDifferencer::Equals) decides, at a fraction of the cost; the buffers are
// per thread and keep their capacity, so comparing allocates nothing.
template <typename Message>
bool Same(const Message& x, const Message& y) {
  const size_t size = x.ByteSizeLong();
  if (size != y.ByteSizeLong()) return false;
  thread_local std::string x_bytes, y_bytes;
  SerializeDeterministic(x, size, &x_bytes);
  SerializeDeterministic(y, size, &y_bytes);
  return x_bytes == y_bytes;
}

pb::DynamoChange* NewChange(std::vector<pb::Event>* out) {
  out->emplace_back();
  return out->back().mutable_dynamodb();
}

pb::DynamoAttributeType TypeOf(const pb::DynamoTable& t, const std::string& name) {
  for (const auto& a : t.attributes()) {
    if (a.name() == name) return a.type();
  }
  return pb::DYNAMO_ATTRIBUTE_TYPE_UNSPECIFIED;
}

const pb::DynamoGlobalIndex* FindGsi(const pb::DynamoTable& t, const std::string& name) {
  for (const auto& g : t.global_indexes()) {
    if (g.name() == name) return &g;
  }
  return nullptr;
}

bool KeyTypesDiffer(const pb::DynamoTable& a, const pb::DynamoTable& b,
                    const pb::DynamoKeySchema& key) {
  for (const auto& k : {key.partition_key(), key.sort_key()}) {
    if (!k.empty() && TypeOf(a, k) != TypeOf(b, k)) return true;
  }
  return false;
}

// DynamoDB cannot change these in place: the table must be dropped and created again.
bool NeedsReplace(const pb::DynamoTable& a, const pb::DynamoTable& b) {
  if (!Same(a.key(), b.key())) return true;
  if (a.local_indexes_size() != b.local_indexes_size()) return true;
  for (int i = 0; i < a.local_indexes_size(); ++i) {
    if (!Same(a.local_indexes(i), b.local_indexes(i))) return true;
  }
  if (KeyTypesDiffer(a, b, a.key())) return true;
  for (const auto& l : a.local_indexes()) {
    if (!l.sort_key().empty() && TypeOf(a, l.sort_key()) != TypeOf(b, l.sort_key())) return true;
  }
  return false;
}

// A global index survives in place when b has the same definition (throughput aside) and
// none of its key attributes changes type.
bool KeepGsi(const pb::DynamoTable& a, const pb::DynamoTable& b, const pb::DynamoGlobalIndex& g) {
  const pb::DynamoGlobalIndex* other = FindGsi(b, g.name());
  if (other == nullptr) return false;
  if (!Same(g.key(), other->key()) || !Same(g.projection(), other->projection())) return false;
  return !KeyTypesDiffer(a, b, g.key());
}

void AddGsi(const pb::DynamoTable& b, const pb::DynamoGlobalIndex& g, std::vector<pb::Event>* out) {
  auto* e = NewChange(out)->mutable_add_global_index();
  e->set_table(b.name());
  *e->mutable_index() = g;
  for (const auto& k : {g.key().partition_key(), g.key().sort_key()}) {
    if (k.empty()) continue;
    auto* attr = e->add_attributes();
    attr->set_name(k);
    attr->set_type(TypeOf(b, k));
  }
}

void DiffBilling(const pb::DynamoTable& a, const pb::DynamoTable& b,
                 const std::set<std::string>& kept, std::vector<pb::Event>* out) {
  if (a.billing_mode() == b.billing_mode() && Same(a.throughput(), b.throughput())) return;
  auto* e = NewChange(out)->mutable_set_billing();
  e->set_table(b.name());
  e->set_billing_mode(b.billing_mode());
  if (b.has_throughput()) *e->mutable_throughput() = b.throughput();
  for (const auto& g : b.global_indexes()) {
    if (kept.count(g.name()) && g.has_throughput()) {
      (*e->mutable_index_throughput())[g.name()] = g.throughput();
    }
  }
}

void DiffGlobalIndexes(const pb::DynamoTable& a, const pb::DynamoTable& b,
                       std::vector<pb::Event>* out) {
  std::set<std::string> kept;
  for (const auto& g : a.global_indexes()) {
    if (KeepGsi(a, b, g)) {
      kept.insert(g.name());
      continue;
    }
    auto* e = NewChange(out)->mutable_drop_global_index();
    e->set_table(a.name());
    e->set_index(g.name());
  }
  const bool billing_changed = a.billing_mode() != b.billing_mode() ||
                               !Same(a.throughput(), b.throughput());
  DiffBilling(a, b, kept, out);
  for (const auto& g : b.global_indexes()) {
    if (!kept.count(g.name())) AddGsi(b, g, out);
  }
  if (billing_changed) return;  // SetBilling already set the kept indexes' throughput
  for (const auto& g : b.global_indexes()) {
    if (!kept.count(g.name())) continue;
    const pb::DynamoGlobalIndex* before = FindGsi(a, g.name());
    if (Same(before->throughput(), g.throughput())) continue;
    auto* e = NewChange(out)->mutable_set_global_index_throughput();
    e->set_table(b.name());
    e->set_index(g.name());
    if (g.has_throughput()) *e->mutable_throughput() = g.throughput();
  }
}

void DiffCapacitySettings(const std::string& table, const std::string& index,
                          const pb::DynamoOnDemandThroughput* a_on_demand,
                          const pb::DynamoWarmThroughput* a_warm,
                          const pb::DynamoOnDemandThroughput* b_on_demand,
                          const pb::DynamoWarmThroughput* b_warm, std::vector<pb::Event>* out) {
  auto differ = [](const auto* x, const auto* y) {
    if ((x == nullptr) != (y == nullptr)) return true;
    return x != nullptr && !Same(*x, *y);
  };
  if (differ(a_on_demand, b_on_demand)) {
    auto* e = NewChange(out)->mutable_set_on_demand_throughput();
    e->set_table(table);
    e->set_index(index);
    if (b_on_demand != nullptr) *e->mutable_on_demand_throughput() = *b_on_demand;
  }
  if (differ(a_warm, b_warm)) {
    auto* e = NewChange(out)->mutable_set_warm_throughput();
    e->set_table(table);
    e->set_index(index);
    if (b_warm != nullptr) *e->mutable_warm_throughput() = *b_warm;
  }
}

template <typename T>
const pb::DynamoOnDemandThroughput* OnDemandOf(const T& x) {
  return x.has_on_demand_throughput() ? &x.on_demand_throughput() : nullptr;
}
template <typename T>
const pb::DynamoWarmThroughput* WarmOf(const T& x) {
  return x.has_warm_throughput() ? &x.warm_throughput() : nullptr;
}

// On-demand maxima and warm throughput of the table, then of each kept global index (new
// indexes are created with theirs).
void DiffThroughputSettings(const pb::DynamoTable& a, const pb::DynamoTable& b,
                            std::vector<pb::Event>* out) {
  DiffCapacitySettings(b.name(), "", OnDemandOf(a), WarmOf(a), OnDemandOf(b), WarmOf(b), out);
  for (const auto& g : b.global_indexes()) {
    const pb::DynamoGlobalIndex* before = FindGsi(a, g.name());
    if (before == nullptr || !KeepGsi(a, b, *before)) continue;
    DiffCapacitySettings(b.name(), g.name(), OnDemandOf(*before), WarmOf(*before), OnDemandOf(g),
                         WarmOf(g), out);
  }
}

void DiffTags(const pb::DynamoTable& a, const pb::DynamoTable& b, std::vector<pb::Event>* out) {
  std::set<std::string> keys;
  for (const auto& [k, _] : a.tags()) keys.insert(k);
  for (const auto& [k, _] : b.tags()) keys.insert(k);
  for (const auto& k : keys) {
    auto in_a = a.tags().find(k);
    auto in_b = b.tags().find(k);
    if (in_b == b.tags().end()) {
      auto* e = NewChange(out)->mutable_remove_tag();
      e->set_table(b.name());
      e->set_key(k);
    } else if (in_a == a.tags().end() || in_a->second != in_b->second) {
      auto* e = NewChange(out)->mutable_set_tag();
      e->set_table(b.name());
      e->set_key(k);
      e->set_value(in_b->second);
    }
  }
}

void DiffInsightsOf(const std::string& table, const std::string& index,
                    const pb::DynamoContributorInsights* a,
                    const pb::DynamoContributorInsights* b, std::vector<pb::Event>* out) {
  if ((a == nullptr) == (b == nullptr) && (a == nullptr || Same(*a, *b))) return;
  auto* e = NewChange(out)->mutable_set_contributor_insights();
  e->set_table(table);
  e->set_index(index);
  if (b != nullptr) *e->mutable_insights() = *b;
}

template <typename T>
const pb::DynamoContributorInsights* InsightsOf(const T& x) {
  return x.has_contributor_insights() ? &x.contributor_insights() : nullptr;
}

// The table's, then each kept index's (a new index is added with its own).
void DiffInsights(const pb::DynamoTable& a, const pb::DynamoTable& b,
                  std::vector<pb::Event>* out) {
  DiffInsightsOf(b.name(), "", InsightsOf(a), InsightsOf(b), out);
  for (const auto& g : b.global_indexes()) {
    const pb::DynamoGlobalIndex* before = FindGsi(a, g.name());
    if (before == nullptr || !KeepGsi(a, b, *before)) continue;
    DiffInsightsOf(b.name(), g.name(), InsightsOf(*before), InsightsOf(g), out);
  }
}

// Streams no longer wanted go first, then new ones, then new precisions of kept ones.
void DiffDestinations(const pb::DynamoTable& a, const pb::DynamoTable& b,
                      std::vector<pb::Event>* out) {
  std::map<std::string, pb::DynamoTimestampPrecision> before, after;
  for (const auto& d : a.kinesis_destinations()) before[d.stream_arn()] = d.precision();
  for (const auto& d : b.kinesis_destinations()) after[d.stream_arn()] = d.precision();
  for (const auto& [arn, _] : before) {
    if (after.count(arn)) continue;
    auto* e = NewChange(out)->mutable_remove_kinesis_destination();
    e->set_table(b.name());
    e->set_stream_arn(arn);
  }
  for (const auto& d : b.kinesis_destinations()) {
    if (before.count(d.stream_arn())) continue;
    auto* e = NewChange(out)->mutable_add_kinesis_destination();
    e->set_table(b.name());
    *e->mutable_destination() = d;
  }
  for (const auto& [arn, precision] : after) {
    auto was = before.find(arn);
    if (was == before.end() || was->second == precision) continue;
    auto* e = NewChange(out)->mutable_set_kinesis_destination_precision();
    e->set_table(b.name());
    e->set_stream_arn(arn);
    e->set_precision(precision);
  }
}

void DiffProperties(const pb::DynamoTable& a, const pb::DynamoTable& b,
                    std::vector<pb::Event>* out) {
  if (a.ttl_attribute() != b.ttl_attribute()) {
    auto* e = NewChange(out)->mutable_set_time_to_live();
    e->set_table(b.name());
    e->set_attribute(b.ttl_attribute());
  }
  if (a.stream() != b.stream()) {
    auto* e = NewChange(out)->mutable_set_stream();
    e->set_table(b.name());
    e->set_stream(b.stream());
  }
  if (a.table_class() != b.table_class()) {
    auto* e = NewChange(out)->mutable_set_table_class();
    e->set_table(b.name());
    e->set_table_class(b.table_class());
  }
  if (!Same(a.encryption(), b.encryption()) || a.has_encryption() != b.has_encryption()) {
    auto* e = NewChange(out)->mutable_set_encryption();
    e->set_table(b.name());
    if (b.has_encryption()) *e->mutable_encryption() = b.encryption();
  }
  if (a.deletion_protection() != b.deletion_protection()) {
    auto* e = NewChange(out)->mutable_set_deletion_protection();
    e->set_table(b.name());
    e->set_enabled(b.deletion_protection());
  }
  if (a.point_in_time_recovery_days() != b.point_in_time_recovery_days()) {
    auto* e = NewChange(out)->mutable_set_point_in_time_recovery();
    e->set_table(b.name());
    e->set_recovery_period_days(b.point_in_time_recovery_days());
  }
  DiffInsights(a, b, out);
  DiffDestinations(a, b, out);
  // Policies are normalised before they reach the model, so equal text is equal meaning.
  if (a.resource_policy() != b.resource_policy()) {
    auto* e = NewChange(out)->mutable_set_resource_policy();
    e->set_table(b.name());
    e->set_policy(b.resource_policy());
  }
  DiffTags(a, b, out);
}

const pb::DynamoReplica* FindReplica(const pb::DynamoTable& t, const std::string& region) {
  for (const auto& r : t.replicas()) {
    if (r.region() == region) return &r;
  }
  return nullptr;
}

void RemoveReplicas(const pb::DynamoTable& a, const pb::DynamoTable& b,
                    std::vector<pb::Event>* out) {
  for (const auto& r : a.replicas()) {
    if (FindReplica(b, r.region()) != nullptr) continue;
    auto* e = NewChange(out)->mutable_remove_replica();
    e->set_table(b.name());
    e->set_region(r.region());
  }
}

// A replica as it is once the index changes before it are applied: overrides of an index
// that is dropped (or dropped and added again) are gone with it.
pb::DynamoReplica AfterIndexChanges(const pb::DynamoTable& a, const pb::DynamoTable& b,
                                    const pb::DynamoReplica& r) {
  pb::DynamoReplica out = r;
  auto* overrides = out.mutable_global_indexes();
  overrides->erase(std::remove_if(overrides->begin(), overrides->end(),
                                  [&](const pb::DynamoReplicaIndex& g) {
                                    const pb::DynamoGlobalIndex* index = FindGsi(a, g.name());
                                    return index == nullptr || !KeepGsi(a, b, *index);
                                  }),
                   overrides->end());
  return out;
}

void AddAndUpdateReplicas(const pb::DynamoTable& a, const pb::DynamoTable& b,
                          std::vector<pb::Event>* out) {
  for (const auto& r : b.replicas()) {
    const pb::DynamoReplica* before = FindReplica(a, r.region());
    if (before == nullptr) {
      auto* e = NewChange(out)->mutable_add_replica();
      e->set_table(b.name());
      *e->mutable_replica() = r;
    } else if (!Same(AfterIndexChanges(a, b, *before), r)) {
      auto* e = NewChange(out)->mutable_update_replica();
      e->set_table(b.name());
      *e->mutable_replica() = r;
    }
  }
}

void DiffTable(const pb::DynamoTable& a, const pb::DynamoTable& b, std::vector<pb::Event>* out) {
  if (Same(a, b)) return;
  if (NeedsReplace(a, b)) {
    auto* e = NewChange(out)->mutable_replace_table();
    *e->mutable_table() = b;
    e->set_reason(!Same(a.key(), b.key()) ? "key schema changed"
                                          : "local indexes or key attribute types changed");
    return;
  }
  RemoveReplicas(a, b, out);
  DiffGlobalIndexes(a, b, out);
  DiffThroughputSettings(a, b, out);
  DiffProperties(a, b, out);
  AddAndUpdateReplicas(a, b, out);
}

// Every table name on either side, sorted, each once: pointers to the maps' own keys, which
// stay put while the schemas are not changed.
std::vector<const std::string*> SortedNames(const pb::DynamoSchema& a,
                                            const pb::DynamoSchema& b) {
  std::vector<const std::string*> names;
  names.reserve(a.tables_size() + b.tables_size());
  for (const auto& [name, _] : a.tables()) names.push_back(&name);
  for (const auto& [name, _] : b.tables()) names.push_back(&name);
  auto less = [](const std::string* x, const std::string* y) { return *x < *y; };
  auto equal = [](const std::string* x, const std::string* y) { return *x == *y; };
  std::sort(names.begin(), names.end(), less);
  names.erase(std::unique(names.begin(), names.end(), equal), names.end());
  return names;
}

// The events of one table present on either side.
void DiffNamedTable(const pb::DynamoSchema& a, const pb::DynamoSchema& b,
                    const std::string& name, std::vector<pb::Event>* out) {
  auto in_a = a.tables().find(name);
  auto in_b = b.tables().find(name);
  if (in_b == b.tables().end()) {
    NewChange(out)->mutable_drop_table()->set_table(name);
  } else if (in_a == a.tables().end()) {
    *NewChange(out)->mutable_create_table()->mutable_table() = in_b->second;
  } else {
    DiffTable(in_a->second, in_b->second, out);
  }
}

}  // namespace

void DiffDynamo(const pb::DynamoSchema& a, const pb::DynamoSchema& b, std::vector<pb::Event>* out) {
  for (const std::string* name : SortedNames(a, b)) DiffNamedTable(a, b, *name, out);
}

Status DiffDynamoInBatches(const pb::DynamoSchema& a, const pb::DynamoSchema& b,
                           size_t batch_tables, const DiffSink& sink, DiffPart part) {
  const std::vector<const std::string*> names = SortedNames(a, b);
  const size_t count = std::max<size_t>(part.count, 1);
  const size_t begin = names.size() * part.index / count;
  const size_t end = names.size() * std::min(part.index + 1, count) / count;
  std::vector<pb::Event> batch;
  size_t tables = 0;
  for (size_t i = begin; i < end; ++i) {
    const std::string* name = names[i];
    const size_t before = batch.size();
    DiffNamedTable(a, b, *name, &batch);
    if (batch.size() == before || ++tables < batch_tables) continue;
    STRATA_RETURN_IF_ERROR(sink(batch));
    batch.clear();
    tables = 0;
  }
  return batch.empty() ? Status::Ok() : sink(batch);
}

}  // namespace strata
