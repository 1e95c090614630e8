#include "adapters/dynamodb/backend.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <thread>

#include "adapters/dynamodb/artifact.h"
#include "adapters/dynamodb/describe.h"
#include "adapters/dynamodb/render.h"
#include "adapters/dynamodb/snapshot.h"
#include "adapters/dynamodb/table_dir.h"
#include "adapters/dynamodb/table_writer.h"
#include "adapters/dynamodb/target.h"
#include "engine/threads.h"

namespace strata::dynamodb {
namespace {
namespace fs = std::filesystem;

// How many artifact numbers a generate tries before giving up (each try lost a race to another
// generate writing an artifact at that moment).
constexpr int kMaxArtifactNameAttempts = 100;

pb::SchemaState AsState(pb::DynamoSchema schema) {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_DYNAMODB);
  *s.mutable_dynamodb() = std::move(schema);
  return s;
}

class DynamoBackend : public backend::Backend {
 public:
  pb::Engine engine() const override { return pb::ENGINE_DYNAMODB; }
  std::string_view name() const override { return "dynamodb"; }
  std::string_view display_name() const override { return "DynamoDB"; }
  std::string_view object_noun() const override { return "table"; }
  std::string_view data_noun() const override { return "items"; }
  std::string default_source_dir() const override { return "schema/dynamodb"; }
  bool declarative() const override { return true; }
  std::vector<backend::SettingInfo> target_settings() const override { return TargetSettings(); }

  std::string InitConfig(const std::string& dir, const std::string& artifacts) const override {
    return fmt::format(R"(  dynamodb:
    engine: dynamodb
    path: {}          # table files: YAML or CreateTable JSON
    artifacts: {}     # numbered migration artifacts and snapshot.json
)",
                       dir, artifacts);
  }

  Result<pb::SchemaState> LoadDesired(const backend::SourceSpec& source) const override {
    std::error_code ec;
    if (!fs::is_directory(source.path, ec)) {
      return Status::NotFound(fmt::format(
          "schema {}: no directory {}; create it and put table files in it (or run strata init)",
          source.name, source.path));
    }
    STRATA_ASSIGN_OR_RETURN(pb::DynamoSchema schema, LoadTableDir(source.path, source.shown_path));
    return AsState(std::move(schema));
  }

  Result<std::map<std::string, std::string>> FilesDefining(
      const backend::SourceSpec& source) const override {
    STRATA_ASSIGN_OR_RETURN(auto files, TableFilesIn(source.path));
    std::map<std::string, std::string> out;
    for (const auto& [name, f] : files) out[name] = f.path.string();
    return out;
  }

  Result<std::vector<std::string>> WriteArtifacts(
      const backend::SourceSpec& source, const backend::ArtifactRequest& r) const override {
    const fs::path dir(source.artifacts);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
      return Status::IoError(
          fmt::format("{}: cannot create the directory: {}", dir.string(), ec.message()));
    }
    ArtifactMetadata meta;
    meta.seq = r.seq;
    meta.name = r.name;
    meta.message = r.message;
    meta.time = r.time;
    STRATA_ASSIGN_OR_RETURN(std::string body, RenderArtifactText(r.events, meta));
    // The next number, unless another generate takes it between the listing and the write:
    // then the one after (each commit keeps an artifact of its own).
    fs::path artifact;
    for (int attempt = 0;; ++attempt) {
      STRATA_ASSIGN_OR_RETURN(std::string file, NextArtifactFileNameIn(dir, r.name));
      artifact = dir / file;
      strata::Status written = WriteNewTextFile(artifact, body);
      if (written.ok()) break;
      if (written.code() != Code::kAlreadyExists || attempt >= kMaxArtifactNameAttempts) {
        return written;
      }
    }
    STRATA_RETURN_IF_ERROR(WriteSnapshotFile(dir / "snapshot.json", r.desired.dynamodb()));
    return std::vector<std::string>{artifact.string(), (dir / "snapshot.json").string()};
  }

  Result<std::vector<backend::WrittenFile>> WriteFiles(
      const backend::SourceSpec&, const pb::SchemaState& objects,
      const backend::WriteFilesRequest& request) const override {
    std::vector<pb::DynamoTable> tables;
    for (const auto& [name, t] : objects.dynamodb().tables()) tables.push_back(t);
    std::sort(tables.begin(), tables.end(),
              [](const auto& a, const auto& b) { return a.name() < b.name(); });
    return WriteTables(tables, request.dir, request.format, request.force);
  }

  std::vector<std::string> file_formats() const override { return {"yaml", "json"}; }
  std::vector<std::string> import_formats() const override { return {"mizzle"}; }

  Result<pb::SchemaState> ReadImportFile(const std::string& format,
                                         const std::string& path) const override {
    if (format != "mizzle") return Backend::ReadImportFile(format, path);
    STRATA_ASSIGN_OR_RETURN(pb::DynamoSchema schema, ReadSnapshotFile(path));
    return AsState(std::move(schema));
  }

  Result<std::unique_ptr<backend::Target>> OpenTarget(
      const backend::TargetSpec& target, const backend::Services& services) const override {
    return dynamodb::OpenTarget(target, services);
  }

  backend::ChangeText DescribeChange(const pb::Event& event) const override {
    if (!event.has_dynamodb()) return Backend::DescribeChange(event);
    backend::ChangeText out{backend::ChangeSign(event), dynamodb::DescribeChange(event.dynamodb())};
    // The table changes; the index comes or goes.
    if (event.dynamodb().has_add_global_index() || event.dynamodb().has_drop_global_index()) {
      out.sign = '~';
    }
    return out;
  }

  nlohmann::ordered_json ObjectJson(const pb::SchemaState& fragment) const override {
    if (fragment.has_dynamodb() && fragment.dynamodb().tables_size() == 1) {
      return RenderCreateTable(fragment.dynamodb().tables().begin()->second);
    }
    return Backend::ObjectJson(fragment);
  }

  std::vector<std::string> SummaryLines(const pb::SchemaState& schema) const override {
    return Lines({&schema});
  }
  std::vector<std::string> SummaryLinesOfParts(const pb::SchemaState& first,
                                               const pb::SchemaState& second) const override {
    return Lines({&first, &second});
  }

 private:
  // The lines of a schema in one or two parts whose names do not interleave (the second's all
  // sort after the first's). Ten thousand tables' lines are a sixth of a whole-schema `show`;
  // the state is only read, so the parts are sorted on two threads at once and the lines made
  // on two threads, half each, whatever the sizes of the parts.
  static std::vector<std::string> Lines(const std::vector<const pb::SchemaState*>& parts) {
    // The map's own entries, by name.
    using Entry = google::protobuf::Map<std::string, pb::DynamoTable>::value_type;
    std::vector<std::vector<const Entry*>> sorted(parts.size());
    auto sort_part = [&](size_t i) {
      const auto& tables = parts[i]->dynamodb().tables();
      sorted[i].reserve(tables.size());
      for (const Entry& e : tables) sorted[i].push_back(&e);
      std::sort(sorted[i].begin(), sorted[i].end(),
                [](const Entry* a, const Entry* b) { return a->first < b->first; });
    };
    constexpr size_t kLinesForAThread = 512;
    size_t total = 0;
    for (const pb::SchemaState* p : parts) total += p->dynamodb().tables_size();
    std::optional<std::thread> sorter;
    if (parts.size() > 1 && total >= kLinesForAThread) {
      sorter = TryStartThread([&] {
        for (size_t i = 1; i < parts.size(); ++i) sort_part(i);
      });
    }
    sort_part(0);
    if (sorter) {
      sorter->join();
    } else {
      for (size_t i = 1; i < parts.size(); ++i) sort_part(i);
    }
    std::vector<const Entry*> tables = std::move(sorted[0]);
    for (size_t i = 1; i < parts.size(); ++i) {
      tables.insert(tables.end(), sorted[i].begin(), sorted[i].end());
    }
    std::vector<std::string> lines(tables.size());
    auto fill = [&](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) lines[i] = SummaryLine(tables[i]->second);
    };
    const size_t half = tables.size() / 2;
    std::optional<std::thread> helper;
    if (tables.size() >= kLinesForAThread) {
      helper = TryStartThread([&] { fill(half, tables.size()); });
    }
    fill(0, helper ? half : tables.size());
    if (helper) helper->join();
    return lines;
  }
};

}  // namespace

const backend::Backend& TheBackend() {
  static const DynamoBackend kBackend;
  return kBackend;
}

}  // namespace strata::dynamodb
