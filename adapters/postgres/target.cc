#include "adapters/postgres/target.h"

#include <fmt/format.h>

#include <algorithm>

#include "adapters/postgres/introspect.h"
#include "adapters/postgres/list_view.h"
#include "engine/state/fragments.h"

namespace strata::postgres {
namespace {

backend::ExecuteReport Refused(Status status) {
  backend::ExecuteReport r;
  r.status = std::move(status);
  return r;
}

// Settings are checked before connecting: a typo must not silently fall back to libpq's
// environment, which may well point at another database.
Status CheckSettings(const backend::TargetSpec& spec) {
  if (spec.engine != pb::ENGINE_POSTGRES && spec.engine != pb::ENGINE_UNSPECIFIED) {
    return Status::InvalidArgument(fmt::format(
        "target {} is not a PostgreSQL target; give it engine: postgres and a dsn", spec.name));
  }
  const auto& known = TargetSettings();
  for (const auto& setting : spec.settings) {
    // Named, not a structured binding: clang 14 (the fuzz build's) cannot capture those.
    const std::string& key = setting.first;
    if (std::none_of(known.begin(), known.end(), [&](const auto& s) { return s.key == key; })) {
      return Status::InvalidArgument(fmt::format(
          "target {}: unknown setting \"{}\"; a postgres target takes engine and dsn (a "
          "postgresql:// URI or key=value conninfo)",
          spec.name, key));
    }
  }
  auto dsn = spec.settings.find("dsn");
  if (!spec.name.empty() && (dsn == spec.settings.end() || dsn->second.empty())) {
    return Status::InvalidArgument(fmt::format(
        "target {} has no dsn; add dsn: \"postgresql://user@host:5432/db\" (or key=value "
        "conninfo) to it in strata.yaml",
        spec.name));
  }
  return Status::Ok();
}

}  // namespace

const std::vector<backend::SettingInfo>& TargetSettings() {
  static const std::vector<backend::SettingInfo> kSettings = {
      {"dsn", "",
       "the database: a postgresql:// URI or key=value conninfo (libpq's environment fills in "
       "what it leaves out)"},
  };
  return kSettings;
}

Result<std::unique_ptr<PostgresTarget>> PostgresTarget::Open(const backend::TargetSpec& spec) {
  STRATA_RETURN_IF_ERROR(CheckSettings(spec));
  auto dsn = spec.settings.find("dsn");
  std::string conninfo = dsn == spec.settings.end() ? "" : dsn->second;
  STRATA_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, Connection::Open(conninfo));
  return std::unique_ptr<PostgresTarget>(
      new PostgresTarget(spec.name, std::move(conninfo), std::move(conn)));
}

std::string PostgresTarget::Label() const {
  return name_.empty() ? conn_->description() : name_;
}

std::string PostgresTarget::Text() const {
  if (name_.empty()) return conn_->description();
  return fmt::format("target {} ({})", name_, conn_->description());
}

nlohmann::ordered_json PostgresTarget::Json() const {
  nlohmann::ordered_json j;
  j["name"] = name_.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(name_);
  j["database"] = conn_->description();
  return j;
}

std::string PostgresTarget::MigrateHint() const {
  return name_.empty() ? "strata migrate run" : "strata migrate run --target " + name_;
}

Result<std::unique_ptr<backend::Live>> PostgresTarget::Read(const backend::ReadRequest& request) {
  auto schema = IntrospectState(*conn_);
  if (!schema.ok()) return schema.status().WithContext("reading the catalog of " + Text());
  if (request.only) {
    const std::vector<std::string> names = ObjectNames(*schema);
    for (const std::string& name : *request.only) {
      if (!request.missing_ok && !std::binary_search(names.begin(), names.end(), name)) {
        return Status::NotFound(fmt::format("no object {} in {}; strata list shows the objects there",
                                            name, Text()));
      }
    }
    *schema = SelectObjects(*schema, {request.only->begin(), request.only->end()});
  }
  return std::unique_ptr<backend::Live>(new PostgresLive(std::move(schema).value()));
}

Result<backend::Plan> PostgresTarget::MakePlan(const backend::Live&, const pb::SchemaState&,
                                               const backend::PlanRequest&) {
  return Status::Unimplemented(fmt::format(
      "{} changes through migrations, not plans: write one (strata migrate add) and run {}",
      Text(), MigrateHint()));
}

backend::ExecuteReport PostgresTarget::Execute(const backend::Plan&,
                                               const backend::ExecuteRequest&) {
  return Refused(Status::Unimplemented(
      fmt::format("{} changes through migrations: run {}", Text(), MigrateHint())));
}

backend::ExecuteReport PostgresTarget::Drop(const std::vector<std::string>&,
                                            const backend::DropRequest&) {
  return Refused(Status::Unimplemented(fmt::format(
      "PostgreSQL objects are dropped by a migration: write one (strata migrate add) with the "
      "DROP statements and run {}",
      MigrateHint())));
}

Result<std::vector<std::string>> PostgresTarget::Gone(const std::vector<std::string>&) {
  return Status::Unimplemented(fmt::format(
      "{} records drops through migrations; strata drift compares it with the log", Text()));
}

backend::ListView PostgresTarget::List(const backend::Live& live,
                                       const std::set<std::string>& managed) const {
  return ListObjects(live.Schema(), managed, Text());
}

PostgresLive::PostgresLive(pb::SchemaState schema) : schema_(std::move(schema)) {
  for (std::string& name : ObjectNames(schema_)) {
    if (name.empty()) continue;  // an empty catalog's engine-only fragment
    backend::LiveObject o;
    o.name = std::move(name);
    objects_.push_back(std::move(o));
  }
}

}  // namespace strata::postgres
