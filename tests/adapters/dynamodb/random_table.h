// Seeded random DynamoDB tables for the parse(render(x)) == x property tests: canonical and
// valid by DynamoDB's rules, with names and values chosen to trip renderers (YAML words like
// "null" and "true", JSON escapes, punctuation, non-ASCII, the 3- and 255-character limits).
#pragma once

#include <fmt/format.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/state/canonical.h"
#include "proto/dynamodb.pb.h"

namespace strata::dynamodb::testing {

class RandomTable {
 public:
  explicit RandomTable(uint64_t seed) : rng_(seed) {}

  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(int percent) { return Int(1, 100) <= percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Int(0, static_cast<int>(v.size()) - 1)];
  }

  // A table or index name: [a-zA-Z0-9_.-]{3,255}, now and then one YAML reads specially.
  std::string Name() {
    static const std::vector<std::string> kTricky = {
        "null", "true", "yes", "123", "1e5", "0x1F", "-ab", ".x.", "a..b", "NaN", "000"};
    if (Chance(15)) return Pick(kTricky);
    static const std::string kChars =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";
    int length = Chance(3) ? 255 : Int(3, 24);
    std::string out;
    for (int i = 0; i < length; ++i) out += kChars[Int(0, static_cast<int>(kChars.size()) - 1)];
    return out;
  }

  // An attribute name: any UTF-8 text, so quoting is exercised.
  std::string Attribute() {
    static const std::vector<std::string> kAttributes = {
        "pk", "sk", "id", "created_at", "status", "a b", "#hash", "- dash", "key: value",
        "null", "~", "true", "42", "\"quoted\"", "it's", "[x]", "{y}", "a,b", " lead",
        "trail ", "caf\xc3\xa9", "line\nbreak", "tab\tin", "back\\slash", "%pct", "@at",
        "*star", "&amp", "!bang", "|pipe", ">gt", "?q", "x/y", "x~y"};
    return Pick(kAttributes);
  }

  std::string TagText(bool may_be_empty) {
    static const std::vector<std::string> kTexts = {
        "team", "payments", "cost-center", "a b", "yes", "no", "null", "1.0", "x:y", "k=v",
        "path/to", "@owner", "+1", "_under", "\xe6\x97\xa5\xe6\x9c\xac", "v.1"};
    if (may_be_empty && Chance(10)) return "";
    return Pick(kTexts);
  }

  pb::DynamoThroughput Throughput() {
    pb::DynamoThroughput t;
    t.set_read_capacity_units(Chance(10) ? 40000 : Int(1, 100));
    t.set_write_capacity_units(Chance(10) ? 40000 : Int(1, 100));
    return t;
  }

  pb::DynamoProjection Projection() {
    pb::DynamoProjection p;
    p.set_type(static_cast<pb::DynamoProjectionType>(Int(1, 3)));
    if (p.type() == pb::DYNAMO_PROJECTION_TYPE_INCLUDE) {
      for (int i = Int(1, 4); i > 0; --i) p.add_non_key_attributes(Attribute());
    }
    return p;
  }

  pb::DynamoTable Table() {
    pb::DynamoTable t;
    types_.clear();
    names_.clear();
    t.set_name(Name());
    Key(t.mutable_key());
    const bool provisioned = Chance(40);
    t.set_billing_mode(provisioned ? pb::DYNAMO_BILLING_MODE_PROVISIONED
                                   : pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST);
    if (provisioned) *t.mutable_throughput() = Throughput();
    int gsis = Chance(3) ? 20 : Int(0, 4);
    for (int i = 0; i < gsis; ++i) AddGlobalIndex(&t, provisioned);
    if (!t.key().sort_key().empty()) {
      int lsis = Chance(5) ? 5 : Int(0, 2);
      for (int i = 0; i < lsis; ++i) AddLocalIndex(&t);
    }
    Settings(&t);
    for (const auto& [name, type] : types_) {
      auto* a = t.add_attributes();
      a->set_name(name);
      a->set_type(type);
    }
    CanonicalizeDynamoTable(&t);
    return t;
  }

 private:
  // A key attribute, with one type per name across the table.
  std::string Typed() {
    std::string name = Attribute();
    if (!types_.count(name)) types_[name] = static_cast<pb::DynamoAttributeType>(Int(1, 3));
    return name;
  }

  void Key(pb::DynamoKeySchema* key) {
    key->set_partition_key(Typed());
    if (Chance(60)) {
      std::string sort = Typed();
      if (sort != key->partition_key()) key->set_sort_key(sort);
    }
  }

  std::string IndexName() {
    for (;;) {
      std::string name = Name();
      if (names_.insert(name).second) return name;
    }
  }

  void AddGlobalIndex(pb::DynamoTable* t, bool provisioned) {
    auto* g = t->add_global_indexes();
    g->set_name(IndexName());
    Key(g->mutable_key());
    *g->mutable_projection() = Projection();
    if (provisioned) *g->mutable_throughput() = Throughput();
  }

  void AddLocalIndex(pb::DynamoTable* t) {
    std::string sort = Typed();
    if (sort == t->key().partition_key()) return;
    auto* l = t->add_local_indexes();
    l->set_name(IndexName());
    l->set_sort_key(sort);
    *l->mutable_projection() = Projection();
  }

  void Settings(pb::DynamoTable* t) {
    if (Chance(40)) t->set_ttl_attribute(Attribute());
    t->set_stream(static_cast<pb::DynamoStreamViewType>(Int(1, 5)));
    t->set_table_class(static_cast<pb::DynamoTableClass>(Int(1, 2)));
    t->set_deletion_protection(Chance(30));
    for (int i = Int(0, 4); i > 0; --i) (*t->mutable_tags())[TagText(false)] = TagText(true);
    if (Chance(30)) t->mutable_encryption()->set_key(pb::DYNAMO_ENCRYPTION_KEY_AWS_MANAGED);
    if (Chance(30)) {
      t->mutable_encryption()->set_key(pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED);
      t->mutable_encryption()->set_kms_key("alias/" + TagText(false));
    }
    const bool on_demand = t->billing_mode() == pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST;
    Capacity(t, on_demand);
    for (auto& g : *t->mutable_global_indexes()) Capacity(&g, on_demand);
    for (int i = Int(0, 2); i > 0; --i) {
      auto* d = t->add_kinesis_destinations();
      d->set_stream_arn(fmt::format("arn:aws:kinesis:us-east-1:123456789012:stream/s{}-{}", i,
                                    Int(0, 9)));
      d->set_precision(Chance(50) ? pb::DYNAMO_TIMESTAMP_PRECISION_MICROSECOND
                                  : pb::DYNAMO_TIMESTAMP_PRECISION_MILLISECOND);
    }
  }

  template <typename Owner>
  void Capacity(Owner* o, bool on_demand) {
    if (on_demand && Chance(30)) {
      o->mutable_on_demand_throughput()->set_max_read_request_units(Int(0, 3) * 100);
      o->mutable_on_demand_throughput()->set_max_write_request_units(Int(1, 3));
    }
    if (Chance(30)) {
      // Never below what the table or index starts with: the loaders refuse that.
      const int64_t read = on_demand ? 12000 : o->throughput().read_capacity_units();
      const int64_t write = on_demand ? 4000 : o->throughput().write_capacity_units();
      o->mutable_warm_throughput()->set_read_units_per_second(read + Int(0, 28000));
      o->mutable_warm_throughput()->set_write_units_per_second(write + Int(0, 28000));
    }
    if (Chance(30)) {
      o->mutable_contributor_insights()->set_mode(
          Chance(50) ? pb::DYNAMO_CONTRIBUTOR_INSIGHTS_THROTTLED_KEYS
                     : pb::DYNAMO_CONTRIBUTOR_INSIGHTS_ACCESSED_AND_THROTTLED_KEYS);
    }
  }

  std::mt19937_64 rng_;
  std::map<std::string, pb::DynamoAttributeType> types_;
  std::set<std::string> names_;
};

}  // namespace strata::dynamodb::testing
