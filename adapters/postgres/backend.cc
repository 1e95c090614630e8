#include "adapters/postgres/backend.h"

#include <fmt/format.h>

#include "adapters/postgres/describe_identity.h"
#include "adapters/postgres/describe.h"
#include "adapters/postgres/describe_security.h"
#include "adapters/postgres/migration_files.h"
#include "adapters/postgres/render.h"
#include "adapters/postgres/target.h"

namespace strata::postgres {
namespace {

class PostgresBackend : public backend::Backend {
 public:
  pb::Engine engine() const override { return pb::ENGINE_POSTGRES; }
  std::string_view name() const override { return "postgres"; }
  std::string_view display_name() const override { return "PostgreSQL"; }
  std::string_view object_noun() const override { return "object"; }
  std::string_view data_noun() const override { return "rows"; }
  std::string default_source_dir() const override { return "migrations"; }
  bool declarative() const override { return false; }
  bool drift_against_cursor() const override { return false; }
  std::vector<backend::SettingInfo> target_settings() const override { return TargetSettings(); }

  // Migrations write no artifacts: the log keeps each one's SQL beside its events.
  std::string InitConfig(const std::string& dir, const std::string&) const override {
    return fmt::format(R"(  postgres:
    engine: postgres
    path: {}          # track files {{timestamp}}_{{track}}_{{description}}.sql (strata migrate add)
)",
                       dir);
  }

  Result<pb::SchemaState> LoadDesired(const backend::SourceSpec& source) const override {
    return Status::Unimplemented(fmt::format(
        "schema {}: PostgreSQL schemas change through migrations; strata migrate run applies "
        "and records them",
        source.name));
  }

  // The migration files the log has not recorded, in run order. Whether a database has
  // applied them is strata migrate status's question; this one is the log's.
  Result<backend::SourceStatus> Status(const backend::SourceSpec& source,
                                       const pb::SchemaState&,
                                       const std::set<std::string>& recorded_names) const override {
    auto tracks = DiscoverTracks(source.path);
    if (!tracks.ok()) return tracks.status().WithContext("schema " + source.name);
    backend::SourceStatus s;
    s.noun = "migration";
    s.next_step = "run strata migrate run";
    for (const MigrationTrack& t : *tracks) {
      for (const MigrationFile& m : t.migrations) {
        if (!recorded_names.count(m.name.stem)) s.items.push_back(m.name.stem);
      }
    }
    return s;
  }

  Result<std::unique_ptr<backend::Target>> OpenTarget(
      const backend::TargetSpec& target, const backend::Services&) const override {
    STRATA_ASSIGN_OR_RETURN(std::unique_ptr<PostgresTarget> t, PostgresTarget::Open(target));
    return std::unique_ptr<backend::Target>(std::move(t));
  }

  // Security changes carry their own sign and text; storage, inheritance, foreign data, view
  // options, event triggers and aggregates keep the generic sign with a better text.
  backend::ChangeText DescribeChange(const pb::Event& e) const override {
    if (auto text = DescribeSecurityChange(e.postgres())) return *text;
    if (auto text = DescribeIdentityChange(e.postgres())) return *text;
    backend::ChangeText text = Backend::DescribeChange(e);
    if (auto better = DescribePostgresChange(e.postgres())) text.text = std::move(*better);
    return text;
  }

  // PostgreSQL objects read best as the DDL that would create them.
  Result<std::string> ObjectText(const pb::SchemaState& fragment,
                                 const std::string& object) const override {
    STRATA_ASSIGN_OR_RETURN(std::string ddl, RenderObjectDdl(fragment.postgres(), object));
    if (ddl.empty() || ddl.back() != '\n') ddl += "\n";
    return ddl;
  }
};

}  // namespace

const backend::Backend& TheBackend() {
  static const PostgresBackend kBackend;
  return kBackend;
}

}  // namespace strata::postgres
