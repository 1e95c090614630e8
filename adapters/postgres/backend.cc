// Stand-in until the PostgreSQL backend lands: registers the engine only.
#include "adapters/postgres/backend.h"

#include <fmt/format.h>

namespace strata::postgres {
namespace {

class PostgresBackend : public backend::Backend {
 public:
  pb::Engine engine() const override { return pb::ENGINE_POSTGRES; }
  std::string_view name() const override { return "postgres"; }
  std::string_view display_name() const override { return "PostgreSQL"; }
  std::string_view object_noun() const override { return "object"; }
  std::string default_source_dir() const override { return "migrations"; }
  bool declarative() const override { return false; }
  std::vector<backend::SettingInfo> target_settings() const override {
    return {{"dsn", "", "libpq connection string"}};
  }
  std::string InitConfig(const std::string& dir, const std::string&) const override {
    return fmt::format("  postgres: {}   # track directories of {{timestamp}}_{{track}}_{{description}}.sql files\n", dir);
  }
  Result<pb::SchemaState> LoadDesired(const backend::SourceSpec& source) const override {
    return Status::Unimplemented(fmt::format(
        "schema {}: PostgreSQL schemas change through migrations; strata migrate run applies "
        "and records them",
        source.name));
  }
  Result<std::unique_ptr<backend::Target>> OpenTarget(const backend::TargetSpec&,
                                                      const backend::Services&) const override {
    return Status::Unimplemented("PostgreSQL targets are not wired yet");
  }
};

}  // namespace

const backend::Backend& TheBackend() {
  static const PostgresBackend kBackend;
  return kBackend;
}

}  // namespace strata::postgres
