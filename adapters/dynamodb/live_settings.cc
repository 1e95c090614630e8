#include "adapters/dynamodb/live_settings.h"

#include <algorithm>

namespace strata::dynamodb {
namespace {

constexpr int64_t kDefaultWarmRead = 12000;
constexpr int64_t kDefaultWarmWrite = 4000;

bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

const pb::DynamoGlobalIndex* FindIndex(const pb::DynamoTable* t, const std::string& name) {
  if (t == nullptr) return nullptr;
  for (const auto& g : t->global_indexes()) {
    if (g.name() == name) return &g;
  }
  return nullptr;
}

template <typename Owner>
void NormalizeWarm(const Owner* wanted, UnwantedWarm unwanted, Owner* live) {
  if (!live->has_warm_throughput()) return;
  if (wanted != nullptr && wanted->has_warm_throughput()) return;
  if (unwanted == UnwantedWarm::kIgnore ||
      IsDefaultWarmThroughput(live->warm_throughput(),
                              live->has_throughput() ? &live->throughput() : nullptr)) {
    live->clear_warm_throughput();
  }
}

void NormalizeEncryption(const pb::DynamoTable* wanted, KeyNames* keys, pb::DynamoTable* live) {
  if (!live->has_encryption() ||
      live->encryption().key() != pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED) {
    return;
  }
  const std::string& arn = live->encryption().kms_key();
  if (SameKey(std::string(kManagedKeyAlias), arn, keys)) {
    live->mutable_encryption()->set_key(pb::DYNAMO_ENCRYPTION_KEY_AWS_MANAGED);
    live->mutable_encryption()->clear_kms_key();
    return;
  }
  if (wanted == nullptr || !wanted->has_encryption() ||
      wanted->encryption().key() != pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED) {
    return;
  }
  if (SameKey(wanted->encryption().kms_key(), arn, keys)) {
    live->mutable_encryption()->set_kms_key(wanted->encryption().kms_key());
  }
}

// A replica's key lives in its own region, where this target's KMS cannot be asked: a key id
// and the ARN ending in it are the same key, other names are compared as written.
void NormalizeReplicaKeys(const pb::DynamoTable* wanted, pb::DynamoTable* live) {
  if (wanted == nullptr) return;
  for (auto& r : *live->mutable_replicas()) {
    for (const auto& w : wanted->replicas()) {
      if (w.region() == r.region() && SameKey(w.kms_key(), r.kms_key(), nullptr)) {
        r.set_kms_key(w.kms_key());
      }
    }
  }
}

}  // namespace

std::string KmsKeyNames::KeyArn(const std::string& name) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = known_.find(name);
    if (it != known_.end()) return it->second;
  }
  std::string arn;
  auto out = kms_.Call("DescribeKey", {{"KeyId", name}}, nullptr);
  if (out.ok() && out->is_object()) {
    auto meta = out->find("KeyMetadata");
    if (meta != out->end() && meta->is_object()) {
      auto a = meta->find("Arn");
      if (a != meta->end() && a->is_string()) arn = a->get<std::string>();
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  known_[name] = arn;
  return arn;
}

bool SameKey(const std::string& given, const std::string& live, KeyNames* keys) {
  if (given.empty() || live.empty()) return false;
  if (given == live) return true;
  if (given.find(':') == std::string::npos && given.rfind("alias/", 0) != 0 &&
      EndsWith(live, ":key/" + given)) {
    return true;  // a key id and its ARN
  }
  if (keys == nullptr) return false;
  const std::string a = keys->KeyArn(given);
  if (a.empty()) return false;
  const std::string b = live.find(":key/") != std::string::npos ? live : keys->KeyArn(live);
  return a == b;
}

bool IsDefaultWarmThroughput(const pb::DynamoWarmThroughput& warm,
                             const pb::DynamoThroughput* provisioned) {
  const int64_t read = std::max(kDefaultWarmRead, provisioned ? provisioned->read_capacity_units() : 0);
  const int64_t write =
      std::max(kDefaultWarmWrite, provisioned ? provisioned->write_capacity_units() : 0);
  return warm.read_units_per_second() <= read && warm.write_units_per_second() <= write;
}

void NormalizeLiveTable(const pb::DynamoTable* wanted, UnwantedWarm unwanted, KeyNames* keys,
                        pb::DynamoTable* live) {
  NormalizeEncryption(wanted, keys, live);
  NormalizeReplicaKeys(wanted, live);
  NormalizeWarm(wanted, unwanted, live);
  for (auto& g : *live->mutable_global_indexes()) {
    NormalizeWarm(FindIndex(wanted, g.name()), unwanted, &g);
  }
}

}  // namespace strata::dynamodb
