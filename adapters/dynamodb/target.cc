#include "adapters/dynamodb/target.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "adapters/dynamodb/execute.h"
#include "adapters/dynamodb/list_view.h"
#include "adapters/dynamodb/plan.h"

namespace strata::dynamodb {
namespace {

// Reading a table takes a few requests; below this many the wait is too short to report.
constexpr size_t kProgressFrom = 20;

std::string Setting(const backend::TargetSpec& spec, const char* key) {
  auto it = spec.settings.find(key);
  return it == spec.settings.end() ? "" : it->second;
}

// The plan's detail: DynamoDB's own plan, with the API inputs.
struct DynamoPlanDetail : backend::PlanDetail {
  Plan plan;
};

// What an operation waits for afterwards, in the service's words; empty: nothing.
std::string WaitsFor(const Operation& op) {
  if (op.wait_for_active) return "ACTIVE";
  if (op.wait_for_deleted) return "deleted";
  if (op.wait_for_recovery) return "point-in-time recovery to show the change";
  if (op.wait_for_policy) return "the resource policy to show the change";
  if (op.wait_for_insights) return "contributor insights to show the change";
  if (op.wait_for_kinesis) return "the Kinesis destination to show the change";
  if (!op.wait_for_replica.empty()) {
    return fmt::format("replica {} to be {}", op.wait_for_replica,
                       op.replica_gone ? "deleted" : "ACTIVE");
  }
  return "";
}

// The warning for a live table's settings strata does not manage.
std::string UnmanagedWarning(const LiveTable& t) {
  return fmt::format(
      "table {} has settings strata does not manage: {}; strata leaves them as they are, but "
      "a table created from its table file would not have them",
      t.table.name(), fmt::join(t.unmanaged, ", "));
}

backend::Action ToAction(TableAction a) {
  switch (a) {
    case TableAction::kCreate: return backend::Action::kCreate;
    case TableAction::kUpdate: return backend::Action::kUpdate;
    case TableAction::kReplace: return backend::Action::kReplace;
    case TableAction::kDelete: return backend::Action::kDelete;
  }
  return backend::Action::kUpdate;
}

std::function<void(const ProgressEvent&)> Forward(
    const std::function<void(const backend::Progress&)>& progress) {
  if (!progress) return {};
  return [progress](const ProgressEvent& e) {
    progress(backend::Progress{e.index, e.total, e.table, e.summary, e.phase});
  };
}

backend::ExecuteReport Report(ExecuteReport r) {
  backend::ExecuteReport out;
  out.status = std::move(r.status);
  out.operations_done = r.operations_done;
  out.done = std::move(r.done);
  out.pending = std::move(r.pending);
  out.notes = std::move(r.notes);
  for (auto& t : r.tables) {
    out.objects.push_back({std::move(t.table), std::move(t.result), std::move(t.detail),
                           t.steps_done, t.steps});
  }
  return out;
}

class DynamoTarget : public backend::Target {
 public:
  DynamoTarget(std::string name, std::unique_ptr<aws::Session> session,
               std::unique_ptr<aws::JsonService> ddb, std::unique_ptr<aws::JsonService> kms,
               std::string endpoint, backend::Services services)
      : name_(std::move(name)),
        session_(std::move(session)),
        ddb_(std::move(ddb)),
        kms_(std::move(kms)),
        keys_(kms_ ? std::make_shared<KmsKeyNames>(*kms_) : nullptr),
        endpoint_(std::move(endpoint)),
        services_(std::move(services)) {}

  std::string Label() const override { return name_.empty() ? endpoint_ : name_; }
  std::string Text() const override {
    if (name_.empty()) return fmt::format("{} ({})", endpoint_, session_->region());
    return fmt::format("target {} ({}, {})", name_, endpoint_, session_->region());
  }
  nlohmann::ordered_json Json() const override {
    nlohmann::ordered_json j;
    j["name"] = name_.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(name_);
    j["endpoint"] = endpoint_;
    j["region"] = session_->region();
    return j;
  }
  std::string Principal() override {
    auto caller = session_->Caller();
    return caller.ok() ? caller->arn : "";
  }

  Result<std::unique_ptr<backend::Live>> Read(const backend::ReadRequest& request) override {
    IntrospectOptions o;
    o.only = request.only;
    o.max_concurrency = services_.concurrency;
    size_t last_note = 0;
    o.progress = [this, &last_note](size_t done, size_t all) {
      if (all < kProgressFrom || !services_.note) return;
      if (done == all || done >= last_note + std::max<size_t>(1, all / 10)) {
        last_note = done;
        services_.note(fmt::format("described {}/{} tables", done, all));
      }
    };
    auto live = ListLiveTables(*ddb_, o);
    if (!live.ok()) return live.status().WithContext("reading the tables of " + Text());
    std::sort(live->begin(), live->end(),
              [](const auto& a, const auto& b) { return a.table.name() < b.table.name(); });
    if (request.only && !request.missing_ok) {
      std::set<std::string> found;
      for (const auto& t : *live) found.insert(t.table.name());
      for (const auto& name : *request.only) {
        if (!found.count(name)) {
          return Status::NotFound(fmt::format(
              "no table {} on {}; strata list shows the tables there", name, Text()));
        }
      }
    }
    return std::unique_ptr<backend::Live>(new DynamoLive(std::move(live).value(), keys_));
  }

  Result<std::vector<std::string>> Names() override {
    auto names = ListTableNames(*ddb_);
    if (!names.ok()) return names.status().WithContext("reading the tables of " + Text());
    return names;
  }

  Result<backend::Plan> MakePlan(const backend::Live& live, const pb::SchemaState& desired,
                                 const backend::PlanRequest& request) override {
    const auto& tables = static_cast<const DynamoLive&>(live).tables();
    PlanOptions o;
    o.managed = request.managed;
    o.allow_replace = request.allow_replace;
    o.keys = keys_.get();
    o.lift_protection = request.lift_protection;
    o.allow_replica_removal = request.allow_replica_removal;
    o.region = session_->region();
    auto detail = std::make_shared<DynamoPlanDetail>();
    STRATA_ASSIGN_OR_RETURN(detail->plan, PlanChanges(tables, desired.dynamodb(), o));
    backend::Plan plan;
    plan.unmanaged = detail->plan.unmanaged;
    for (const TablePlan& t : detail->plan.tables) {
      backend::ObjectPlan p;
      p.object = t.table;
      p.action = ToAction(t.action);
      for (const auto& c : t.changes) *p.changes.emplace_back().mutable_dynamodb() = c;
      for (const auto& op : t.operations) {
        p.operations.push_back({op.api, op.summary, op.destructive, WaitsFor(op) != "",
                                WaitsFor(op), op.held});
      }
      p.replace_reason = t.replace_reason;
      p.blocked = t.blocked;
      p.blocked_reason = t.blocked_reason;
      p.notes = t.notes;
      plan.objects.push_back(std::move(p));
    }
    plan.detail = std::move(detail);
    return plan;
  }

  backend::ExecuteReport Execute(const backend::Plan& plan,
                                 const backend::ExecuteRequest& request) override {
    const auto* detail = dynamic_cast<const DynamoPlanDetail*>(plan.detail.get());
    if (detail == nullptr) {
      backend::ExecuteReport r;
      r.status = Status::Internal("a plan not made by the dynamodb backend");
      return r;
    }
    ExecuteOptions o;
    o.wait = request.wait;
    o.poll_interval_ms = services_.poll_interval_ms;
    o.sleep = services_.sleep_ms;
    o.now_ms = services_.steady_ms;
    o.unix_ms = services_.unix_ms;
    o.progress = Forward(request.progress);
    return Report(dynamodb::Execute(*ddb_, detail->plan, o));
  }

  std::string DropRefusal(const backend::LiveObject& object,
                          const backend::DropRequest& request) const override {
    const bool is_protected = std::find(object.marks.begin(), object.marks.end(),
                                        kDeletionProtectionMark) != object.marks.end();
    if (is_protected && !request.lift_protection) {
      return fmt::format(
          "{} has deletion protection on; pass --lift-deletion-protection to turn it off and "
          "delete it",
          object.name);
    }
    return "";
  }

  backend::ExecuteReport Drop(const std::vector<std::string>& names,
                              const backend::DropRequest& request) override {
    DropOptions o;
    o.lift_protection = request.lift_protection;
    o.wait = request.wait;
    o.poll_interval_ms = services_.poll_interval_ms;
    o.sleep = services_.sleep_ms;
    o.now_ms = services_.steady_ms;
    o.progress = Forward(request.progress);
    return Report(DropTables(*ddb_, names, o));
  }

  Result<std::vector<std::string>> Gone(const std::vector<std::string>& names) override {
    std::vector<std::string> gone;
    for (const auto& name : names) {
      STRATA_ASSIGN_OR_RETURN(std::optional<LiveTable> now, DescribeLiveTable(*ddb_, name));
      if (!now || now->status == "DELETING") gone.push_back(name);
    }
    return gone;
  }

  backend::ListView List(const backend::Live& live,
                         const std::set<std::string>& managed) const override {
    return ListTables(static_cast<const DynamoLive&>(live).tables(), managed, Text());
  }

 private:
  std::string name_;
  std::unique_ptr<aws::Session> session_;
  std::unique_ptr<aws::JsonService> ddb_;
  std::unique_ptr<aws::JsonService> kms_;  // to tell KMS key names apart; may be null
  std::shared_ptr<KmsKeyNames> keys_;
  std::string endpoint_;
  backend::Services services_;
};

}  // namespace

const std::vector<backend::SettingInfo>& TargetSettings() {
  static const std::vector<backend::SettingInfo> kSettings = {
      {"region", "region", "AWS region (overrides the target's)"},
      {"profile", "profile", "AWS profile (overrides the target's)"},
      {"endpoint", "endpoint-url",
       "service endpoint, e.g. http://127.0.0.1:8000 (overrides the target's)"},
  };
  return kSettings;
}

DynamoLive::DynamoLive(std::vector<LiveTable> tables, std::shared_ptr<KeyNames> keys)
    : tables_(std::move(tables)), keys_(std::move(keys)) {
  for (const LiveTable& t : tables_) {
    backend::LiveObject o;
    o.name = t.table.name();
    o.status = t.status;
    o.leaving = t.status == "DELETING";
    o.size_text = fmt::format("{} item{}", t.item_count, t.item_count == 1 ? "" : "s");
    if (t.table.deletion_protection()) o.marks.push_back(kDeletionProtectionMark);
    if (!t.unmanaged.empty()) o.warnings.push_back(UnmanagedWarning(t));
    objects_.push_back(std::move(o));
  }
}

pb::SchemaState DynamoLive::Schema(const pb::SchemaState* base) const {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_DYNAMODB);
  *s.mutable_dynamodb() = SchemaOf(tables_);
  const bool has_base = base != nullptr && base->has_dynamodb();
  // Keys named the base's way, and warm throughput only where the base has it or someone
  // raised it above the service's own.
  for (auto& [name, table] : *s.mutable_dynamodb()->mutable_tables()) {
    const pb::DynamoTable* known = nullptr;
    if (has_base) {
      auto it = base->dynamodb().tables().find(name);
      if (it != base->dynamodb().tables().end()) known = &it->second;
    }
    NormalizeLiveTable(known, UnwantedWarm::kKeepIfRaised, keys_.get(), &table);
  }
  if (!has_base) return s;
  // A target that cannot report tags (recovery, policies) says nothing about them: take the
  // base's.
  for (const LiveTable& t : tables_) {
    auto known = base->dynamodb().tables().find(t.table.name());
    auto live = s.mutable_dynamodb()->mutable_tables()->find(t.table.name());
    if (known == base->dynamodb().tables().end() ||
        live == s.mutable_dynamodb()->mutable_tables()->end()) {
      continue;
    }
    if (!t.tags_supported) *live->second.mutable_tags() = known->second.tags();
    if (!t.recovery_supported) {
      live->second.set_point_in_time_recovery_days(known->second.point_in_time_recovery_days());
    }
    if (!t.policy_supported) live->second.set_resource_policy(known->second.resource_policy());
    TakeUnreportedSettings(t, known->second, &live->second);
  }
  return s;
}

Result<std::unique_ptr<backend::Target>> OpenTarget(const backend::TargetSpec& spec,
                                                    const backend::Services& services) {
  for (const auto& setting : spec.settings) {
    // Named, not a structured binding: clang 14 (the fuzz build's) cannot capture those.
    const std::string& key = setting.first;
    const auto& known = TargetSettings();
    if (std::none_of(known.begin(), known.end(), [&](const auto& s) { return s.key == key; })) {
      return Status::InvalidArgument(fmt::format(
          "target {}: unknown setting \"{}\"; a dynamodb target takes engine, region, endpoint "
          "and profile",
          spec.name, key));
    }
  }
  STRATA_ASSIGN_OR_RETURN(
      aws::ServiceSession aws,
      aws::OpenServiceSession({spec.name, Setting(spec, "region"), Setting(spec, "profile"),
                               Setting(spec, "endpoint"), services.getenv, "dynamodb"}));
  // KMS tells key names apart. A DynamoDB served elsewhere than AWS (a local server) is never
  // paired with AWS's own KMS: names are then compared as written.
  auto is_aws = [](const std::string& url) {
    return url.find(".amazonaws.com") != std::string::npos;
  };
  std::unique_ptr<aws::JsonService> kms;
  if (is_aws(aws.session->EndpointFor("kms")) == is_aws(aws.session->EndpointFor("dynamodb"))) {
    auto client = aws.session->Json("kms");
    if (!client.ok()) return client.status().WithContext("target " + spec.name);
    kms = std::move(client).value();
  }
  return std::unique_ptr<backend::Target>(
      new DynamoTarget(spec.name, std::move(aws.session), std::move(aws.client), std::move(kms),
                       std::move(aws.endpoint), services));
}

}  // namespace strata::dynamodb
