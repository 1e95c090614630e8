#include "adapters/glue/backend.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "adapters/glue/ddl.h"
#include "adapters/glue/describe.h"
#include "adapters/glue/introspect.h"
#include "adapters/glue/table_dir.h"
#include "adapters/glue/table_writer.h"
#include "adapters/glue/target.h"

namespace strata::glue {
namespace {
namespace fs = std::filesystem;

pb::SchemaState AsState(pb::GlueSchema schema) {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_GLUE);
  *s.mutable_glue() = std::move(schema);
  return s;
}

// The one table a fragment holds ("sales.orders"), or null.
const pb::GlueTable* TableIn(const pb::SchemaState& fragment, const std::string& object) {
  auto [db, table] = SplitObject(object);
  auto d = fragment.glue().databases().find(db);
  if (d == fragment.glue().databases().end()) return nullptr;
  auto t = d->second.tables().find(table);
  return t == d->second.tables().end() ? nullptr : &t->second;
}

class GlueBackend : public backend::Backend {
 public:
  pb::Engine engine() const override { return pb::ENGINE_GLUE; }
  std::string_view name() const override { return "glue"; }
  std::string_view display_name() const override { return "Glue"; }
  std::string_view object_noun() const override { return "table"; }
  // What a dropped or replaced table loses from the catalog (its files in S3 stay).
  std::string_view data_noun() const override { return "partitions"; }
  std::string default_source_dir() const override { return "schema/athena"; }
  bool declarative() const override { return true; }
  bool writes_artifacts() const override { return false; }
  std::vector<backend::SettingInfo> target_settings() const override { return TargetSettings(); }

  // Generate writes no artifacts for Glue: the log keeps the typed changes, strata show
  // prints any table's DDL at any point, and the table files are the DDL itself.
  std::string InitConfig(const std::string& dir, const std::string&) const override {
    return fmt::format(R"(  glue:
    engine: glue
    path: {}          # one CREATE EXTERNAL TABLE per file: <database>/<table>.sql
)",
                       dir);
  }

  Result<pb::SchemaState> LoadDesired(const backend::SourceSpec& source) const override {
    std::error_code ec;
    if (!fs::is_directory(source.path, ec)) {
      return Status::NotFound(fmt::format(
          "schema {}: no directory {}; create it and put table files in it (or run strata init)",
          source.name, source.path));
    }
    STRATA_ASSIGN_OR_RETURN(pb::GlueSchema schema, LoadTableDir(source.path, source.shown_path));
    return AsState(std::move(schema));
  }

  Result<std::map<std::string, std::string>> FilesDefining(
      const backend::SourceSpec& source) const override {
    std::map<std::string, std::string> out;
    std::error_code ec;
    if (!fs::is_directory(source.path, ec)) return out;
    STRATA_ASSIGN_OR_RETURN(pb::GlueSchema schema, LoadTableDir(source.path));
    for (const auto& [db, d] : schema.databases()) {
      for (const auto& [name, t] : d.tables()) {
        out[db + "." + name] = TableFilePath(source.path, db, name).string();
      }
    }
    return out;
  }

  Result<std::vector<backend::WrittenFile>> WriteFiles(
      const backend::SourceSpec&, const pb::SchemaState& objects,
      const backend::WriteFilesRequest& request) const override {
    return WriteTables(objects.glue(), request.dir, request.format, request.force);
  }

  std::vector<std::string> file_formats() const override { return {"sql"}; }

  Result<std::unique_ptr<backend::Target>> OpenTarget(
      const backend::TargetSpec& target, const backend::Services& services) const override {
    return glue::OpenTarget(target, services);
  }

  backend::ChangeText DescribeChange(const pb::Event& event) const override {
    if (!event.has_glue()) return Backend::DescribeChange(event);
    return {backend::ChangeSign(event), glue::DescribeChange(event.glue())};
  }

  Result<std::string> ObjectText(const pb::SchemaState& fragment,
                                 const std::string& object) const override {
    if (const pb::GlueTable* t = TableIn(fragment, object)) {
      return RenderCreateTable(SplitObject(object).first, *t);
    }
    if (fragment.glue().databases().count(object)) {
      return fmt::format("CREATE DATABASE `{}`;\n", object);
    }
    return Backend::ObjectText(fragment, object);
  }

  std::vector<std::string> SummaryLines(const pb::SchemaState& schema) const override {
    std::map<std::string, const pb::GlueDatabase*> dbs;
    for (const auto& [name, d] : schema.glue().databases()) dbs[name] = &d;
    std::vector<std::string> lines;
    for (const auto& [db, d] : dbs) {
      std::map<std::string, const pb::GlueTable*> tables;
      for (const auto& [name, t] : d->tables()) tables[name] = &t;
      if (tables.empty()) lines.push_back(db + "  (database, no tables)");
      for (const auto& [name, t] : tables) lines.push_back(SummaryLine(db, *t));
    }
    return lines;
  }
};

}  // namespace

const backend::Backend& TheBackend() {
  static const GlueBackend kBackend;
  return kBackend;
}

}  // namespace strata::glue
