// Seeded random DynamoDB schemas for property tests: canonical, valid states, and mutations
// of them that exercise every kind of change (keys, indexes, billing, TTL, streams, recovery, policies, tags).
#pragma once

#include <algorithm>
#include <random>
#include <string>

#include "engine/state/canonical.h"
#include "proto/commit.pb.h"

namespace strata::testing {

class RandomDynamo {
 public:
  explicit RandomDynamo(uint64_t seed) : rng_(seed) {}

  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(int percent) { return Int(1, 100) <= percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) { return v[Int(0, static_cast<int>(v.size()) - 1)]; }

  pb::DynamoAttributeType Type() {
    return static_cast<pb::DynamoAttributeType>(Int(1, 3));
  }
  std::string Attr() { return Pick<std::string>({"pk", "sk", "a", "b", "c", "d", "e", "ts"}); }

  pb::DynamoProjection Projection() {
    pb::DynamoProjection p;
    p.set_type(static_cast<pb::DynamoProjectionType>(Int(1, 3)));
    if (p.type() == pb::DYNAMO_PROJECTION_TYPE_INCLUDE) {
      for (int i = Int(1, 3); i > 0; --i) p.add_non_key_attributes("x" + std::to_string(Int(0, 5)));
    }
    return p;
  }

  pb::DynamoThroughput Throughput() {
    pb::DynamoThroughput t;
    t.set_read_capacity_units(Int(1, 4) * 5);
    t.set_write_capacity_units(Int(1, 4) * 5);
    return t;
  }

  // Adds a definition for `name` unless one exists (keeping types consistent per table).
  void Define(pb::DynamoTable* t, const std::string& name) {
    for (const auto& a : t->attributes()) {
      if (a.name() == name) return;
    }
    auto* a = t->add_attributes();
    a->set_name(name);
    a->set_type(Type());
  }

  void AddGsi(pb::DynamoTable* t, const std::string& name) {
    auto* g = t->add_global_indexes();
    g->set_name(name);
    g->mutable_key()->set_partition_key(Attr());
    Define(t, g->key().partition_key());
    if (Chance(60)) {
      std::string sk = Attr();
      if (sk != g->key().partition_key()) {
        g->mutable_key()->set_sort_key(sk);
        Define(t, sk);
      }
    }
    *g->mutable_projection() = Projection();
    if (t->billing_mode() == pb::DYNAMO_BILLING_MODE_PROVISIONED) *g->mutable_throughput() = Throughput();
  }

  pb::DynamoTable Table(const std::string& name) {
    pb::DynamoTable t;
    t.set_name(name);
    t.mutable_key()->set_partition_key("pk");
    Define(&t, "pk");
    if (Chance(70)) {
      t.mutable_key()->set_sort_key("sk");
      Define(&t, "sk");
    }
    SetBilling(&t, Chance(50));
    for (int i = Int(0, 3); i > 0; --i) {
      std::string gname = "gsi" + std::to_string(Int(0, 5));
      bool dup = false;
      for (const auto& g : t.global_indexes()) dup |= g.name() == gname;
      if (!dup) AddGsi(&t, gname);
    }
    if (!t.key().sort_key().empty() && Chance(30)) {
      auto* l = t.add_local_indexes();
      l->set_name("lsi" + std::to_string(Int(0, 2)));
      l->set_sort_key(Pick<std::string>({"a", "ts"}));
      Define(&t, l->sort_key());
      *l->mutable_projection() = Projection();
    }
    t.set_ttl_attribute(Chance(30) ? "expires_at" : "");
    t.set_stream(static_cast<pb::DynamoStreamViewType>(Int(1, 5)));
    t.set_table_class(static_cast<pb::DynamoTableClass>(Int(1, 2)));
    t.set_deletion_protection(Chance(20));
    t.set_point_in_time_recovery_days(Chance(30) ? Pick<int>({1, 7, 35}) : 0);
    t.set_resource_policy(Chance(25) ? Policy() : "");
    for (int i = Int(0, 3); i > 0; --i) {
      (*t.mutable_tags())["k" + std::to_string(Int(0, 4))] = "v" + std::to_string(Int(0, 3));
    }
    Encryption(&t);
    Capacities(&t);
    InsightsAndDestinations(&t);
    Replicas(&t);  // drawn last, so the fields above are what they were before replicas
    CanonicalizeDynamoTable(&t);
    return t;
  }

  // Contributor insights on the table and its indexes, and Kinesis destinations.
  void InsightsAndDestinations(pb::DynamoTable* t) {
    auto insights = [this](auto* owner) {
      owner->clear_contributor_insights();
      if (Chance(30)) {
        owner->mutable_contributor_insights()->set_mode(
            static_cast<pb::DynamoContributorInsightsMode>(Int(1, 2)));
      }
    };
    insights(t);
    for (auto& g : *t->mutable_global_indexes()) insights(&g);
    t->clear_kinesis_destinations();
    for (int i = Int(0, 3); i > 0; --i) {
      const std::string arn =
          "arn:aws:kinesis:us-east-1:123456789012:stream/s" + std::to_string(Int(0, 3));
      bool dup = false;
      for (const auto& d : t->kinesis_destinations()) dup |= d.stream_arn() == arn;
      if (dup) continue;
      auto* d = t->add_kinesis_destinations();
      d->set_stream_arn(arn);
      d->set_precision(static_cast<pb::DynamoTimestampPrecision>(Int(1, 2)));
    }
  }

  // Up to two replicas in other regions, with random read-side overrides.
  void Replicas(pb::DynamoTable* t) {
    t->clear_replicas();
    for (const char* region : {"eu-west-1", "us-west-2", "ap-south-1"}) {
      if (Chance(25)) *t->add_replicas() = Replica(*t, region);
    }
  }
  pb::DynamoReplica Replica(const pb::DynamoTable& t, const std::string& region) {
    pb::DynamoReplica r;
    r.set_region(region);
    r.set_table_class(Chance(70) ? t.table_class() : static_cast<pb::DynamoTableClass>(Int(1, 2)));
    if (Chance(30)) r.set_kms_key("alias/r" + std::to_string(Int(0, 1)));
    if (Chance(30)) r.set_max_read_request_units(Int(1, 3) * 100);
    for (const auto& g : t.global_indexes()) {
      if (!Chance(30)) continue;
      auto* o = r.add_global_indexes();
      o->set_name(g.name());
      o->set_max_read_request_units(Int(1, 3) * 50);
    }
    return r;
  }
  // Overrides of indexes the table no longer has are gone (as DynamoDB drops them).
  static void PruneReplicaIndexes(pb::DynamoTable* t) {
    for (auto& r : *t->mutable_replicas()) {
      auto* o = r.mutable_global_indexes();
      o->erase(std::remove_if(o->begin(), o->end(),
                              [t](const pb::DynamoReplicaIndex& x) {
                                for (const auto& g : t->global_indexes()) {
                                  if (g.name() == x.name()) return false;
                                }
                                return true;
                              }),
               o->end());
    }
  }

  void Encryption(pb::DynamoTable* t) {
    t->clear_encryption();
    switch (Int(0, 3)) {
      case 1: t->mutable_encryption()->set_key(pb::DYNAMO_ENCRYPTION_KEY_AWS_MANAGED); break;
      case 2:
      case 3:
        t->mutable_encryption()->set_key(pb::DYNAMO_ENCRYPTION_KEY_CUSTOMER_MANAGED);
        t->mutable_encryption()->set_kms_key("alias/k" + std::to_string(Int(0, 1)));
        break;
    }
  }

  // On-demand maxima (on-demand tables only) and warm throughput, table and indexes.
  template <typename Owner>
  void Capacity(Owner* o, bool on_demand) {
    o->clear_on_demand_throughput();
    o->clear_warm_throughput();
    if (on_demand && Chance(40)) {
      o->mutable_on_demand_throughput()->set_max_read_request_units(Int(0, 2) * 100);
      o->mutable_on_demand_throughput()->set_max_write_request_units(Int(1, 2) * 50);
    }
    if (Chance(40)) {
      o->mutable_warm_throughput()->set_read_units_per_second(12000 + Int(0, 2) * 1000);
      o->mutable_warm_throughput()->set_write_units_per_second(4000 + Int(0, 2) * 500);
    }
  }
  void Capacities(pb::DynamoTable* t) {
    const bool on_demand = t->billing_mode() == pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST;
    Capacity(t, on_demand);
    for (auto& g : *t->mutable_global_indexes()) Capacity(&g, on_demand);
  }

  // A resource policy in the normalised form the table file loaders produce.
  std::string Policy() {
    return std::string(R"({"Statement":[{"Action":[")") +
           Pick<std::string>({"dynamodb:GetItem", "dynamodb:Query", "dynamodb:*"}) +
           R"("],"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root"]},)"
           R"("Resource":["*"]}],"Version":"2012-10-17"})";
  }

  void SetBilling(pb::DynamoTable* t, bool provisioned) {
    if (provisioned) {
      t->set_billing_mode(pb::DYNAMO_BILLING_MODE_PROVISIONED);
      *t->mutable_throughput() = Throughput();
      for (auto& g : *t->mutable_global_indexes()) *g.mutable_throughput() = Throughput();
    } else {
      t->set_billing_mode(pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST);
      t->clear_throughput();
      for (auto& g : *t->mutable_global_indexes()) g.clear_throughput();
    }
    if (provisioned) {  // maxima cap on-demand capacity only
      t->clear_on_demand_throughput();
      for (auto& g : *t->mutable_global_indexes()) g.clear_on_demand_throughput();
    }
  }

  pb::DynamoSchema Schema() {
    pb::DynamoSchema s;
    for (int i = Int(0, 6); i > 0; --i) {
      std::string name = "t" + std::to_string(Int(0, 9));
      (*s.mutable_tables())[name] = Table(name);
    }
    return s;
  }

  // One random edit of an existing table, keeping it valid and canonical.
  void Mutate(pb::DynamoTable* t) {
    switch (Int(0, 16)) {
      case 0: *t = Table(t->name()); break;  // anything may change, keys included
      case 1: if (t->global_indexes_size() > 0) t->mutable_global_indexes()->RemoveLast(); break;
      case 2: AddGsi(t, "gsi_new" + std::to_string(Int(0, 3))); break;
      case 3: SetBilling(t, t->billing_mode() != pb::DYNAMO_BILLING_MODE_PROVISIONED); break;
      case 4: t->set_ttl_attribute(t->ttl_attribute().empty() ? "ttl" : ""); break;
      case 5: t->set_stream(static_cast<pb::DynamoStreamViewType>(Int(1, 5))); break;
      case 6: t->set_deletion_protection(!t->deletion_protection()); break;
      case 7: (*t->mutable_tags())["k" + std::to_string(Int(0, 4))] = "changed"; break;
      case 8: t->mutable_tags()->clear(); break;
      case 9:  // retype one attribute: forces index re-creation or table replacement
        if (t->attributes_size() > 0) {
          auto* a = t->mutable_attributes(Int(0, t->attributes_size() - 1));
          a->set_type(static_cast<pb::DynamoAttributeType>(a->type() % 3 + 1));
        }
        break;
      case 11: Encryption(t); break;
      case 12: Capacities(t); break;
      case 10:
        if (t->billing_mode() == pb::DYNAMO_BILLING_MODE_PROVISIONED && t->global_indexes_size()) {
          *t->mutable_global_indexes(0)->mutable_throughput() = Throughput();
        }
        break;
      case 13: t->set_point_in_time_recovery_days(Pick<int>({0, 1, 7, 35})); break;
      case 14: t->set_resource_policy(Chance(50) ? Policy() : ""); break;
      case 15: Replicas(t); break;
      case 16:
        if (t->replicas_size() > 0) {
          const int i = Int(0, t->replicas_size() - 1);
          *t->mutable_replicas(i) = Replica(*t, t->replicas(i).region());
        }
        break;
    }
    // Apart from the one edit above, so that the switch's numbers stay as they are.
    if (Chance(15)) InsightsAndDestinations(t);
    // A GSI added with a clashing name is dropped again rather than left duplicated.
    auto* g = t->mutable_global_indexes();
    for (int i = 0; i < g->size(); ++i) {
      for (int j = i + 1; j < g->size(); ++j) {
        if (g->Get(i).name() == g->Get(j).name()) {
          g->DeleteSubrange(j, 1);
          --j;
        }
      }
    }
    PruneReplicaIndexes(t);
    CanonicalizeDynamoTable(t);
  }

  pb::DynamoSchema Mutated(pb::DynamoSchema s) {
    for (int i = Int(1, 4); i > 0; --i) {
      int what = Int(0, 9);
      std::string name = "t" + std::to_string(Int(0, 9));
      if (what == 0) {
        s.mutable_tables()->erase(name);
      } else if (what == 1 || !s.tables().count(name)) {
        (*s.mutable_tables())[name] = Table(name);
      } else {
        Mutate(&(*s.mutable_tables())[name]);
      }
    }
    return s;
  }

 private:
  std::mt19937_64 rng_;
};

}  // namespace strata::testing
