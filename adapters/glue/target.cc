#include "adapters/glue/target.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "adapters/aws/session.h"
#include "adapters/glue/execute.h"
#include "adapters/glue/list_view.h"
#include "adapters/glue/plan.h"
#include "adapters/glue/table_input.h"

namespace strata::glue {
namespace {

// Reading a database's tables takes a request or more; below this many databases the wait is
// too short to report.
constexpr size_t kProgressFrom = 20;

std::string Setting(const backend::TargetSpec& spec, const char* key) {
  auto it = spec.settings.find(key);
  return it == spec.settings.end() ? "" : it->second;
}

// The plan's detail: Glue's own plan, with the API inputs.
struct GluePlanDetail : backend::PlanDetail {
  Plan plan;
};

backend::Plan ToBackendPlan(std::shared_ptr<GluePlanDetail> detail) {
  backend::Plan plan;
  plan.unmanaged = detail->plan.unmanaged;
  for (const ObjectPlan& o : detail->plan.objects) {
    backend::ObjectPlan p;
    p.object = o.object;
    p.action = o.action;
    for (const auto& c : o.changes) *p.changes.emplace_back().mutable_glue() = c;
    for (const auto& op : o.operations) {
      p.operations.push_back({op.api, op.summary, op.destructive, false, "", ""});
    }
    p.replace_reason = o.replace_reason;
    p.blocked = o.blocked;
    p.blocked_reason = o.blocked_reason;
    p.notes = o.notes;
    plan.objects.push_back(std::move(p));
  }
  plan.detail = std::move(detail);
  return plan;
}

// Why a name the caller asked for is not among the objects found.
Status Missing(const std::string& name, const std::string& target_text) {
  const std::string lower = Lower(name);
  const char* kind = name.find('.') == std::string::npos ? "database" : "table";
  if (lower != name) {
    return Status::NotFound(fmt::format("no {} {} on {}: Glue names are lower case ({})", kind,
                                        name, target_text, lower));
  }
  return Status::NotFound(fmt::format("no {} {} on {}; strata list shows the tables there", kind,
                                      name, target_text));
}

class GlueTarget : public backend::Target {
 public:
  GlueTarget(std::string name, std::unique_ptr<aws::Session> session,
             std::unique_ptr<aws::JsonService> glue, std::string endpoint,
             std::string catalog_id, backend::Services services)
      : name_(std::move(name)),
        session_(std::move(session)),
        glue_(std::move(glue)),
        endpoint_(std::move(endpoint)),
        catalog_{glue_.get(), std::move(catalog_id)},
        services_(std::move(services)) {}

  std::string Label() const override { return name_.empty() ? endpoint_ : name_; }
  std::string Text() const override {
    std::string region = session_->region();
    if (!catalog_.catalog_id.empty()) region += ", catalog " + catalog_.catalog_id;
    if (name_.empty()) return fmt::format("{} ({})", endpoint_, region);
    return fmt::format("target {} ({}, {})", name_, endpoint_, region);
  }
  nlohmann::ordered_json Json() const override {
    nlohmann::ordered_json j;
    j["name"] = name_.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(name_);
    j["endpoint"] = endpoint_;
    j["region"] = session_->region();
    if (!catalog_.catalog_id.empty()) j["catalog_id"] = catalog_.catalog_id;
    return j;
  }
  std::string Principal() override {
    auto caller = session_->Caller();
    return caller.ok() ? caller->arn : "";
  }

  Result<std::unique_ptr<backend::Live>> Read(const backend::ReadRequest& request) override {
    ReadOptions o;
    if (request.only) {
      std::vector<std::string> lower;
      for (const auto& name : *request.only) lower.push_back(Lower(name));
      o.only = std::move(lower);
    }
    o.max_concurrency = services_.concurrency;
    size_t last_note = 0;
    o.progress = [this, &last_note](size_t done, size_t all) {
      if (all < kProgressFrom || !services_.note) return;
      if (done == all || done >= last_note + std::max<size_t>(1, all / 10)) {
        last_note = done;
        services_.note(fmt::format("read the tables of {}/{} databases", done, all));
      }
    };
    auto catalog = ReadCatalog(catalog_, o);
    if (!catalog.ok()) return catalog.status().WithContext("reading the catalog of " + Text());
    auto live = std::make_unique<GlueLive>(std::move(catalog).value());
    if (request.only && !request.missing_ok) {
      std::set<std::string> found;
      for (const auto& obj : live->Objects()) found.insert(obj.name);
      for (const auto& name : *request.only) {
        if (!found.count(name)) return Missing(name, Text());
      }
    }
    return std::unique_ptr<backend::Live>(std::move(live));
  }

  Result<backend::Plan> MakePlan(const backend::Live& live, const pb::SchemaState& desired,
                                 const backend::PlanRequest& request) override {
    PlanOptions o;
    o.managed = request.managed;
    o.allow_replace = request.allow_replace;
    if (request.deployed != nullptr) o.deployed = &request.deployed->glue();
    o.has_partitions = [this](const LiveTable& t) { return HasPartitions(catalog_, t); };
    auto detail = std::make_shared<GluePlanDetail>();
    STRATA_ASSIGN_OR_RETURN(detail->plan, PlanChanges(static_cast<const GlueLive&>(live).catalog(),
                                                      desired.glue(), o));
    return ToBackendPlan(std::move(detail));
  }

  backend::ExecuteReport Execute(const backend::Plan& plan,
                                 const backend::ExecuteRequest& request) override {
    const auto* detail = dynamic_cast<const GluePlanDetail*>(plan.detail.get());
    if (detail == nullptr) {
      backend::ExecuteReport r;
      r.status = Status::Internal("a plan not made by the glue backend");
      return r;
    }
    return glue::Execute(catalog_, detail->plan, request.progress);
  }

  std::string DropRefusal(const backend::LiveObject& object,
                          const backend::DropRequest&) const override {
    const bool database = std::find(object.marks.begin(), object.marks.end(), kDatabaseMark) !=
                          object.marks.end();
    return database ? DatabaseDropRefusal(object.name) : "";
  }

  backend::ExecuteReport Drop(const std::vector<std::string>& names,
                              const backend::DropRequest& request) override {
    return DropTables(catalog_, names, request.progress);
  }

  Result<std::vector<std::string>> Gone(const std::vector<std::string>& names) override {
    ReadOptions o;
    o.only = names;
    o.max_concurrency = services_.concurrency;
    STRATA_ASSIGN_OR_RETURN(LiveCatalog now, ReadCatalog(catalog_, o));
    std::set<std::string> there(now.databases.begin(), now.databases.end());
    for (const auto& t : now.tables) there.insert(t.object());
    std::vector<std::string> gone;
    for (const auto& name : names) {
      if (!there.count(name)) gone.push_back(name);
    }
    return gone;
  }

  backend::ListView List(const backend::Live& live,
                         const std::set<std::string>& managed) const override {
    return ListTables(static_cast<const GlueLive&>(live).catalog(), managed, Text());
  }

 private:
  std::string name_;
  std::unique_ptr<aws::Session> session_;
  std::unique_ptr<aws::JsonService> glue_;
  std::string endpoint_;
  Catalog catalog_;
  backend::Services services_;
};

}  // namespace

const std::vector<backend::SettingInfo>& TargetSettings() {
  static const std::vector<backend::SettingInfo> kSettings = {
      {"region", "region", "AWS region (overrides the target's)"},
      {"profile", "profile", "AWS profile (overrides the target's)"},
      {"endpoint", "endpoint-url",
       "service endpoint, e.g. http://127.0.0.1:8000 (overrides the target's)"},
      {"catalog_id", "catalog-id",
       "Glue Data Catalog id: the AWS account that owns the catalog (default: the caller's)"},
  };
  return kSettings;
}

GlueLive::GlueLive(LiveCatalog catalog) : catalog_(std::move(catalog)) {
  for (const auto& db : catalog_.databases) {
    backend::LiveObject o;
    o.name = db;
    o.marks.push_back(kDatabaseMark);
    objects_.push_back(std::move(o));
  }
  for (const auto& t : catalog_.tables) {
    backend::LiveObject o;
    o.name = t.object();
    objects_.push_back(std::move(o));
  }
  std::sort(objects_.begin(), objects_.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
}

pb::SchemaState GlueLive::Schema(const pb::SchemaState* base) const {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_GLUE);
  const pb::GlueSchema* known = base != nullptr && base->has_glue() ? &base->glue() : nullptr;
  auto database = [&s, known](const std::string& name) -> pb::GlueDatabase& {
    auto& dbs = *s.mutable_glue()->mutable_databases();
    if (auto it = dbs.find(name); it != dbs.end()) return it->second;
    pb::GlueDatabase& db = dbs[name];
    if (known != nullptr) {
      if (auto it = known->databases().find(name); it != known->databases().end()) {
        db = it->second;
        db.clear_tables();
      }
    }
    db.set_name(name);
    return db;
  };
  for (const auto& name : catalog_.databases) database(name);
  for (const auto& t : catalog_.tables) {
    const pb::GlueTable* known_table = nullptr;
    if (known != nullptr) {
      if (auto d = known->databases().find(t.database); d != known->databases().end()) {
        if (auto k = d->second.tables().find(t.table.name()); k != d->second.tables().end()) {
          known_table = &k->second;
        }
      }
    }
    (*database(t.database).mutable_tables())[t.table.name()] = TableFromGlue(t.glue, known_table);
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
          "target {}: unknown setting \"{}\"; a glue target takes engine, region, endpoint, "
          "profile and catalog_id",
          spec.name, key));
    }
  }
  STRATA_ASSIGN_OR_RETURN(
      aws::ServiceSession aws,
      aws::OpenServiceSession({spec.name, Setting(spec, "region"), Setting(spec, "profile"),
                               Setting(spec, "endpoint"), services.getenv, "glue"}));
  return std::unique_ptr<backend::Target>(
      new GlueTarget(spec.name, std::move(aws.session), std::move(aws.client),
                     std::move(aws.endpoint), Setting(spec, "catalog_id"), services));
}

}  // namespace strata::glue
