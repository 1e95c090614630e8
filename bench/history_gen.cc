#include "bench/history_gen.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "engine/diff/diff.h"
#include "engine/state/apply.h"
#include "engine/state/canonical.h"
#include "engine/state/objects.h"

namespace strata::bench {
namespace {

// Names and values are drawn from small vocabularies of realistic length, so that events are
// about as big as real ones: table names in every event dominate their size.
const std::vector<std::string> kTeams = {"payments", "orders",   "catalog", "identity",
                                         "search",   "billing",  "shipping", "inventory",
                                         "growth",   "support",  "analytics", "platform"};
const std::vector<std::string> kEntities = {
    "invoices",  "customers", "sessions",  "events",        "carts",         "products",
    "prices",    "accounts",  "tokens",    "refunds",       "shipments",     "returns",
    "reviews",   "coupons",   "audit-log", "webhooks",      "subscriptions", "ledger",
    "devices",   "notices",   "addresses", "profiles",      "jobs",          "feature-flags",
    "quotes",    "warehouses", "holds",    "messages",      "settings",      "metrics"};
const std::vector<std::string> kPartitionKeys = {"pk",      "id",         "tenant_id",
                                                 "user_id", "account_id", "order_id"};
const std::vector<std::string> kSortKeys = {"sk", "created_at", "version", "event_time", "item_id"};
const std::vector<std::string> kIndexPartitionKeys = {"status", "customer_id", "email", "owner_id",
                                                      "tenant_id", "gsi1pk", "sku", "region"};
const std::vector<std::string> kIndexSortKeys = {"created_at", "updated_at", "gsi1sk", "priority",
                                                 "amount"};
const std::vector<std::string> kNonKeyAttributes = {"amount", "currency", "name",  "title",
                                                    "total",  "state",    "label", "owner"};
const std::vector<int64_t> kCapacities = {1, 5, 10, 25, 50, 100, 250, 500, 1000};
const std::vector<std::string> kEnvs = {"prod", "staging", "dev"};
const std::vector<std::string> kDataClasses = {"public", "internal", "confidential", "pii"};

struct ActorInfo {
  const char* name;
  const char* email;
  const char* host;
  const char* principal;
  int weight;
};

const std::vector<ActorInfo> kActors = {
    {"Ana Souza", "ana.souza@example.com", "ana-mbp.local", "", 14},
    {"Ben Okafor", "ben.okafor@example.com", "ben-thinkpad", "", 12},
    {"Chloe Martin", "chloe.martin@example.com", "chloe-devbox-2", "", 10},
    {"Dmitri Ivanov", "dmitri.ivanov@example.com", "dmitri-x1", "", 8},
    {"Emma Larsen", "emma.larsen@example.com", "emma-mbp.local", "", 8},
    {"Farid Haddad", "farid.haddad@example.com", "farid-ws", "", 6},
    {"ci-deploy", "ci@example.com", "ci-runner-07",
     "arn:aws:sts::123456789012:assumed-role/ci-deploy/pipeline", 42},
};

// Numeric-looking attributes are numbers; everything else is a string. Deciding by name keeps
// an attribute's type the same in every table and index that uses it.
pb::DynamoAttributeType TypeFor(const std::string& name) {
  static const std::vector<std::string> kNumeric = {"created_at", "updated_at", "version",
                                                    "event_time", "priority",   "amount"};
  return std::find(kNumeric.begin(), kNumeric.end(), name) != kNumeric.end()
             ? pb::DYNAMO_ATTRIBUTE_TYPE_N
             : pb::DYNAMO_ATTRIBUTE_TYPE_S;
}

std::string Verb(pb::DynamoChange::KindCase kind) {
  switch (kind) {
    case pb::DynamoChange::kCreateTable: return "Create";
    case pb::DynamoChange::kReplaceTable: return "Rebuild with a new key:";
    case pb::DynamoChange::kSetBilling: return "Change billing of";
    case pb::DynamoChange::kAddGlobalIndex: return "Add an index to";
    case pb::DynamoChange::kDropGlobalIndex: return "Drop an unused index from";
    case pb::DynamoChange::kSetGlobalIndexThroughput: return "Resize an index of";
    case pb::DynamoChange::kSetTimeToLive: return "Change TTL of";
    case pb::DynamoChange::kSetStream: return "Change the stream of";
    case pb::DynamoChange::kSetTableClass: return "Change the table class of";
    case pb::DynamoChange::kSetDeletionProtection: return "Toggle deletion protection on";
    default: return "Retag";
  }
}

}  // namespace

HistoryGenerator::HistoryGenerator(HistoryOptions options)
    : options_(options), rng_(options.seed) {
  tables_.reserve(options_.tables);
  created_at_.reserve(options_.tables);
}

std::string HistoryGenerator::TableName(uint32_t i) {
  return fmt::format("{}-{}-{:04}", kTeams[i % kTeams.size()],
                     kEntities[(i / kTeams.size()) % kEntities.size()], i);
}

bool HistoryGenerator::ShouldCreate() const {
  const uint32_t created = tables_created();
  if (created >= options_.tables) return false;
  if (created == 0) return true;
  const double progress = static_cast<double>(events_) / static_cast<double>(options_.events);
  const double due = std::floor(options_.tables * progress / options_.creation_span) + 1;
  return created < due;
}

pb::DynamoThroughput HistoryGenerator::Throughput() {
  pb::DynamoThroughput t;
  t.set_read_capacity_units(Pick(kCapacities));
  t.set_write_capacity_units(Pick(kCapacities));
  return t;
}

void HistoryGenerator::Define(pb::DynamoTable* t, const std::string& name) {
  for (const auto& a : t->attributes()) {
    if (a.name() == name) return;
  }
  auto* a = t->add_attributes();
  a->set_name(name);
  a->set_type(TypeFor(name));
}

pb::DynamoProjection HistoryGenerator::Projection() {
  pb::DynamoProjection p;
  const int roll = Int(1, 10);
  if (roll <= 5) {
    p.set_type(pb::DYNAMO_PROJECTION_TYPE_ALL);
  } else if (roll <= 8) {
    p.set_type(pb::DYNAMO_PROJECTION_TYPE_KEYS_ONLY);
  } else {
    p.set_type(pb::DYNAMO_PROJECTION_TYPE_INCLUDE);
    std::vector<std::string> attrs = kNonKeyAttributes;
    std::shuffle(attrs.begin(), attrs.end(), rng_);
    for (int i = Int(1, 3); i > 0; --i) p.add_non_key_attributes(attrs[static_cast<size_t>(i)]);
  }
  return p;
}

void HistoryGenerator::SetBilling(pb::DynamoTable* t, pb::DynamoBillingMode mode) {
  t->set_billing_mode(mode);
  const bool provisioned = mode == pb::DYNAMO_BILLING_MODE_PROVISIONED;
  if (provisioned) {
    *t->mutable_throughput() = Throughput();
  } else {
    t->clear_throughput();
  }
  for (auto& g : *t->mutable_global_indexes()) {
    if (provisioned) {
      *g.mutable_throughput() = Throughput();
    } else {
      g.clear_throughput();
    }
  }
}

void HistoryGenerator::AddGlobalIndex(pb::DynamoTable* t) {
  const std::string pk = Pick(kIndexPartitionKeys);
  const std::string sk = Chance(65) ? Pick(kIndexSortKeys) : "";
  const std::string name = "by_" + pk + (sk.empty() ? "" : "_" + sk);
  for (const auto& g : t->global_indexes()) {
    if (g.name() == name) return;  // already there: this mutation changes nothing
  }
  auto* g = t->add_global_indexes();
  g->set_name(name);
  g->mutable_key()->set_partition_key(pk);
  Define(t, pk);
  if (!sk.empty()) {
    g->mutable_key()->set_sort_key(sk);
    Define(t, sk);
  }
  *g->mutable_projection() = Projection();
  if (t->billing_mode() == pb::DYNAMO_BILLING_MODE_PROVISIONED) *g->mutable_throughput() = Throughput();
}

pb::DynamoTable HistoryGenerator::NewTable(uint32_t i) {
  pb::DynamoTable t;
  t.set_name(TableName(i));
  t.mutable_key()->set_partition_key(Pick(kPartitionKeys));
  Define(&t, t.key().partition_key());
  if (Chance(75)) {
    t.mutable_key()->set_sort_key(Pick(kSortKeys));
    Define(&t, t.key().sort_key());
  }
  SetBilling(&t, Chance(55) ? pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST
                            : pb::DYNAMO_BILLING_MODE_PROVISIONED);
  for (int n = Int(0, 3); n > 0; --n) AddGlobalIndex(&t);
  if (!t.key().sort_key().empty() && Chance(10)) {
    auto* l = t.add_local_indexes();
    l->set_name("by_updated_at");
    l->set_sort_key("updated_at");
    Define(&t, "updated_at");
    *l->mutable_projection() = Projection();
  }
  if (Chance(30)) t.set_ttl_attribute("expires_at");
  t.set_stream(Chance(60) ? pb::DYNAMO_STREAM_DISABLED
                          : static_cast<pb::DynamoStreamViewType>(Int(2, 5)));
  t.set_table_class(Chance(90) ? pb::DYNAMO_TABLE_CLASS_STANDARD
                               : pb::DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS);
  t.set_deletion_protection(Chance(35));
  auto& tags = *t.mutable_tags();
  tags["team"] = kTeams[i % kTeams.size()];
  tags["env"] = Pick(kEnvs);
  if (Chance(50)) tags["service"] = kEntities[(i / kTeams.size()) % kEntities.size()] + "-api";
  if (Chance(40)) tags["cost-center"] = fmt::format("cc-{}", Int(100, 999));
  CanonicalizeDynamoTable(&t);
  return t;
}

// One edit of the kind teams make day to day; key changes (a whole-table replacement) are
// rare on purpose, as they are in practice.
void HistoryGenerator::Mutate(pb::DynamoTable* t) {
  const bool provisioned = t->billing_mode() == pb::DYNAMO_BILLING_MODE_PROVISIONED;
  const double roll = std::uniform_real_distribution<double>(0, 100)(rng_);
  auto& tags = *t->mutable_tags();
  if (roll < 22) {
    static const std::vector<std::string> kKeys = {"owner", "data-classification", "on-call",
                                                   "env",   "service",             "review"};
    const std::string key = Pick(kKeys);
    if (key == "owner" || key == "on-call") {
      tags[key] = std::string(kActors[static_cast<size_t>(Int(0, 5))].email);
    } else if (key == "data-classification") {
      tags[key] = Pick(kDataClasses);
    } else if (key == "env") {
      tags[key] = Pick(kEnvs);
    } else {
      tags[key] = fmt::format("{}-{:02}", 2024 + Int(0, 1), Int(1, 12));
    }
  } else if (roll < 27) {
    if (!tags.empty()) {
      auto it = tags.begin();
      std::advance(it, Int(0, static_cast<int>(tags.size()) - 1));
      tags.erase(it);
    }
  } else if (roll < 42 && provisioned) {
    if (t->global_indexes_size() > 0 && Chance(50)) {
      auto* g = t->mutable_global_indexes(Int(0, t->global_indexes_size() - 1));
      *g->mutable_throughput() = Throughput();
    } else {
      *t->mutable_throughput() = Throughput();
    }
  } else if (roll < 47) {
    SetBilling(t, provisioned ? pb::DYNAMO_BILLING_MODE_PAY_PER_REQUEST
                              : pb::DYNAMO_BILLING_MODE_PROVISIONED);
  } else if (roll < 59 || (roll < 67 && t->global_indexes_size() == 0)) {
    if (t->global_indexes_size() < 8) {
      AddGlobalIndex(t);
    } else {
      t->mutable_global_indexes()->DeleteSubrange(Int(0, 7), 1);
    }
  } else if (roll < 67) {
    t->mutable_global_indexes()->DeleteSubrange(Int(0, t->global_indexes_size() - 1), 1);
  } else if (roll < 73) {
    t->set_ttl_attribute(t->ttl_attribute().empty() ? (Chance(50) ? "expires_at" : "ttl") : "");
  } else if (roll < 81) {
    const int now = static_cast<int>(t->stream());
    t->set_stream(static_cast<pb::DynamoStreamViewType>((now + Int(0, 3)) % 5 + 1));
  } else if (roll < 84) {
    t->set_table_class(t->table_class() == pb::DYNAMO_TABLE_CLASS_STANDARD
                           ? pb::DYNAMO_TABLE_CLASS_STANDARD_INFREQUENT_ACCESS
                           : pb::DYNAMO_TABLE_CLASS_STANDARD);
  } else if (roll < 92) {
    t->set_deletion_protection(!t->deletion_protection());
  } else if (roll < 99.5) {
    tags["revision"] = fmt::format("r{}", Int(1, 5000));
  } else {
    // A new sort key: DynamoDB cannot do that in place, so Diff replaces the table.
    std::string sk = Pick(kSortKeys);
    if (sk == t->key().sort_key()) sk.clear();
    t->mutable_key()->set_sort_key(sk);
    if (sk.empty()) {
      t->clear_local_indexes();  // a local index needs the table's sort key
    } else {
      Define(t, sk);
    }
  }
  CanonicalizeDynamoTable(t);
}

Result<HistoryGenerator::Step> HistoryGenerator::Plan(uint32_t i, bool create,
                                                      pb::DynamoTable next) {
  const std::string name = next.name();
  pb::DynamoSchema a;
  pb::DynamoSchema b;
  if (!create) (*a.mutable_tables())[name] = tables_[i];
  (*b.mutable_tables())[name] = std::move(next);
  Step step{i, create, {}, {}};
  DiffDynamo(a, b, &step.events);
  for (const auto& e : step.events) {
    Status s = ApplyDynamo(e.dynamodb(), &a);
    if (!s.ok()) {
      return Status::Internal(fmt::format("generated change to {} does not apply: {}", name,
                                          s.message()));
    }
  }
  step.table = std::move((*a.mutable_tables())[name]);
  return step;
}

void HistoryGenerator::Accept(Step step, std::vector<pb::Event>* events) {
  if (step.create) {
    tables_.push_back(std::move(step.table));
    created_at_.push_back(commits_ + 1);
  } else {
    tables_[step.table_number] = std::move(step.table);
  }
  events_ += step.events.size();
  for (auto& e : step.events) {
    Count(e);
    events->push_back(std::move(e));
  }
}

void HistoryGenerator::Count(const pb::Event& e) {
  const auto* field =
      pb::DynamoChange::descriptor()->FindFieldByNumber(e.dynamodb().kind_case());
  const std::string kind = field ? field->name() : "unknown";
  for (auto& [name, n] : kinds_) {
    if (name == kind) {
      ++n;
      return;
    }
  }
  kinds_.emplace_back(kind, 1);
}

void HistoryGenerator::FillHeader(const std::vector<pb::Event>& events, pb::Commit* commit) {
  int total = 0;
  for (const auto& a : kActors) total += a.weight;
  int pick = Int(1, total);
  const ActorInfo* actor = &kActors.back();
  for (const auto& a : kActors) {
    if ((pick -= a.weight) <= 0) {
      actor = &a;
      break;
    }
  }
  pb::Actor* out = commit->mutable_actor();
  out->set_name(actor->name);
  out->set_email(actor->email);
  out->set_host(actor->host);
  out->set_cloud_principal(actor->principal);

  const auto& first = events.front().dynamodb();
  const std::string table = DynamoTableOf(first);
  std::string message = fmt::format("{} {}", Verb(first.kind_case()), table);
  if (events.size() > 1) message += fmt::format(" and {} more changes", events.size() - 1);
  if (Chance(60)) message += fmt::format(" ({}-{})", Chance(50) ? "OPS" : "PLAT", Int(100, 9999));
  commit->set_message(std::move(message));

  // Times rise with the history's progress across the span, with some jitter, and never
  // repeat or go back.
  const double progress = static_cast<double>(events_) / static_cast<double>(options_.events);
  int64_t t = options_.start_unix_micros +
              static_cast<int64_t>(progress * static_cast<double>(options_.span_micros)) +
              int64_t{Int(0, 600)} * 1'000'000;
  t = std::max(t, last_time_ + int64_t{Int(1, 120)} * 1'000'000);
  last_time_ = t;
  commit->set_time_unix_micros(t);
}

Result<pb::Commit> HistoryGenerator::Next() {
  pb::Commit commit;
  commit.set_schema("dynamodb");
  commit.set_engine(pb::ENGINE_DYNAMODB);
  commit.set_origin(pb::ORIGIN_GENERATE);
  const size_t max_events = static_cast<size_t>(options_.max_events_per_commit);
  const size_t target = static_cast<size_t>(Int(1, options_.max_events_per_commit));
  std::vector<pb::Event> events;
  int idle = 0;
  while (events.size() < target && events_ < options_.events) {
    const bool create = ShouldCreate();
    const uint32_t i = create ? tables_created()
                              : static_cast<uint32_t>(Int(0, static_cast<int>(tables_created()) - 1));
    pb::DynamoTable next;
    if (create) {
      next = NewTable(i);
    } else {
      next = tables_[i];
      Mutate(&next);
    }
    STRATA_ASSIGN_OR_RETURN(Step step, Plan(i, create, std::move(next)));
    if (step.events.empty()) {
      if (++idle > 10'000) return Status::Internal("the generator keeps making no-op changes");
      continue;
    }
    // A change that would overflow the commit ends it (and is dropped: the next is as good).
    if (!events.empty() && events.size() + step.events.size() > max_events) break;
    Accept(std::move(step), &events);
  }
  if (events.empty()) return Status::Internal("no events left to generate");
  FillHeader(events, &commit);
  for (auto& e : events) *commit.add_events() = std::move(e);
  ++commits_;
  return commit;
}

std::vector<Probe> HistoryGenerator::Probes(int count, uint64_t seed) const {
  std::mt19937_64 rng(seed);
  std::vector<Probe> out;
  if (commits_ == 0) return out;
  for (int k = 0; k < count; ++k) {
    const uint64_t seq = std::uniform_int_distribution<uint64_t>(1, commits_)(rng);
    const auto existing = static_cast<uint32_t>(
        std::upper_bound(created_at_.begin(), created_at_.end(), seq) - created_at_.begin());
    const auto i = std::uniform_int_distribution<uint32_t>(0, existing - 1)(rng);
    out.push_back({seq, TableName(i)});
  }
  return out;
}

}  // namespace strata::bench
