#include "cli/project.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "adapters/backend/registry.h"
#include "adapters/common/yaml_documents.h"
#include "cli/log_store.h"

namespace strata::cli {
namespace fs = std::filesystem;

const SchemaSource* Project::Schema(const std::string& name) const {
  auto it = schemas.find(name);
  return it == schemas.end() ? nullptr : &it->second;
}

std::string Project::ConfigName() const {
  return config_path.empty() ? "strata.yaml" : config_path;
}

namespace {

constexpr char kConfigName[] = "strata.yaml";

std::optional<std::string> FindConfigDir(fs::path dir) {
  for (;;) {
    if (fs::exists(dir / kConfigName)) return dir.string();
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

std::string Where(const std::string& file, const YAML::Node& node) {
  return fmt::format("{}:{}", file, node.Mark().line + 1);
}

// Replaces ${NAME} with the variable's value; an unset variable is an error.
Result<std::string> Expand(const std::string& text, const GetEnv& getenv, const std::string& where) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      size_t end = text.find('}', i);
      if (end == std::string::npos) {
        return Status::InvalidArgument(where + ": unterminated ${ in \"" + text + "\"");
      }
      std::string name = text.substr(i + 2, end - i - 2);
      auto value = getenv(name);
      if (!value) {
        return Status::InvalidArgument(
            fmt::format("{}: environment variable {} is not set", where, name));
      }
      out += *value;
      i = end;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string Absolute(const std::string& root, const std::string& path) {
  fs::path p(path);
  return (p.is_absolute() ? p : fs::path(root) / p).lexically_normal().string();
}

// Whether `dir` holds PostgreSQL migration files ({timestamp}_{track}_{desc}.sql), directly
// or one level down.
bool HasSqlMigrations(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return false;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it.depth() > 1) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec) && it->path().extension() == ".sql") return true;
  }
  return false;
}

void AddDefaults(Project* p) {
  if (p->log_dir.empty()) p->log_dir = Absolute(p->root, ".strata");
  if (!p->schemas.empty()) return;
  const fs::path root(p->root);
  std::error_code ec;
  const bool dynamo_dir = fs::is_directory(root / "schema" / "dynamodb", ec);
  if (!dynamo_dir && HasSqlMigrations(root / "migrations")) {
    p->schemas["postgres"] = {"postgres", pb::ENGINE_POSTGRES, Absolute(p->root, "migrations"),
                              Absolute(p->root, "migrations/postgres"), "migrations"};
    return;
  }
  p->schemas["dynamodb"] = {"dynamodb", pb::ENGINE_DYNAMODB,
                            Absolute(p->root, "schema/dynamodb"),
                            Absolute(p->root, "migrations/dynamodb"), "schema/dynamodb"};
}

Status LoadSchemas(const YAML::Node& node, const std::string& file, const GetEnv& getenv,
                   Project* p) {
  for (const auto& entry : node) {
    const std::string name = entry.first.as<std::string>();
    std::string engine = name, path, artifacts;
    const YAML::Node& v = entry.second;
    if (v.IsScalar()) {
      STRATA_ASSIGN_OR_RETURN(path, Expand(v.as<std::string>(), getenv, Where(file, v)));
    } else if (v.IsMap()) {
      if (v["engine"]) engine = v["engine"].as<std::string>();
      if (v["path"]) {
        STRATA_ASSIGN_OR_RETURN(path, Expand(v["path"].as<std::string>(), getenv, Where(file, v)));
      }
      if (v["artifacts"]) {
        STRATA_ASSIGN_OR_RETURN(artifacts,
                                Expand(v["artifacts"].as<std::string>(), getenv, Where(file, v)));
      }
    }
    const backend::Backend* b = backend::Named(engine);
    if (b == nullptr) {
      return Status::InvalidArgument(
          fmt::format("{}: schema {} has unknown engine \"{}\"; use {}", Where(file, v), name,
                      engine, backend::NamesText()));
    }
    if (path.empty()) {
      return Status::InvalidArgument(fmt::format("{}: schema {} needs a path", Where(file, v), name));
    }
    SchemaSource s;
    s.name = name;
    s.engine = b->engine();
    s.path = Absolute(p->root, path);
    s.shown_path = fs::path(path).is_absolute() ? "" : fs::path(path).lexically_normal().string();
    s.artifacts = Absolute(p->root, artifacts.empty() ? "migrations/" + name : artifacts);
    p->schemas[name] = s;
  }
  return Status::Ok();
}

Status LoadTargets(const YAML::Node& node, const std::string& file, Project* p) {
  for (const auto& entry : node) {
    TargetConfig t;
    t.name = entry.first.as<std::string>();
    t.where = Where(file, entry.first);
    if (!entry.second.IsMap()) {
      return Status::InvalidArgument(
          fmt::format("{}: target {} must be a map of settings", Where(file, entry.second), t.name));
    }
    for (const auto& kv : entry.second) {
      const std::string key = kv.first.as<std::string>();
      if (!kv.second.IsScalar()) {
        return Status::InvalidArgument(fmt::format("{}: target {}: {} must be a single value",
                                                   Where(file, kv.second), t.name, key));
      }
      if (key == "engine") {
        t.engine = kv.second.as<std::string>();
      } else {
        t.settings[key] = {kv.second.as<std::string>(), Where(file, kv.second)};
      }
    }
    p->targets[t.name] = t;
  }
  return Status::Ok();
}

// A path from strata.yaml: ${VAR} expanded, ~/ the home directory, relative to the project.
Result<std::string> ConfigPath(const YAML::Node& v, const std::string& file, const GetEnv& getenv,
                               const Project& p) {
  STRATA_ASSIGN_OR_RETURN(std::string path, Expand(v.as<std::string>(), getenv, Where(file, v)));
  if (path == "~" || path.rfind("~/", 0) == 0) {
    auto home = getenv("HOME");
    if (!home) {
      return Status::InvalidArgument(
          fmt::format("{}: {} starts with ~ but HOME is not set", Where(file, v), path));
    }
    path = *home + path.substr(1);
  }
  return Absolute(p.root, path);
}

Status LoadSigning(const YAML::Node& node, const std::string& file, const GetEnv& getenv,
                   Project* p) {
  static const std::set<std::string> kKeys = {"key", "allowed_signers", "revoked_keys", "program",
                                              "require"};
  if (!node.IsMap()) {
    return Status::InvalidArgument(fmt::format(
        "{}: signing must be a map (key, allowed_signers, revoked_keys, program, require)",
        Where(file, node)));
  }
  SigningConfig& s = p->signing;
  s.where = Where(file, node);
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    if (!kKeys.count(key)) {
      return Status::InvalidArgument(fmt::format(
          "{}: unknown signing setting \"{}\"; expected key, allowed_signers, revoked_keys, "
          "program or require",
          Where(file, kv.first), key));
    }
    if (!kv.second.IsScalar()) {
      return Status::InvalidArgument(
          fmt::format("{}: signing.{} must be a single value", Where(file, kv.second), key));
    }
    if (key == "require") {
      const std::string v = kv.second.as<std::string>();
      if (v != "true" && v != "false") {
        return Status::InvalidArgument(fmt::format(
            "{}: signing.require must be true or false, not \"{}\"", Where(file, kv.second), v));
      }
      s.require = v == "true";
      s.require_where = Where(file, kv.second);
    } else if (key == "program") {
      // A bare name is looked for on PATH when a commit is signed; a path is the project's.
      STRATA_ASSIGN_OR_RETURN(s.program, ConfigPath(kv.second, file, getenv, *p));
      if (kv.second.as<std::string>().find('/') == std::string::npos) {
        s.program = kv.second.as<std::string>();
      }
    } else {
      STRATA_ASSIGN_OR_RETURN(std::string path, ConfigPath(kv.second, file, getenv, *p));
      (key == "key" ? s.key : key == "allowed_signers" ? s.allowed_signers : s.revoked_keys) = path;
    }
  }
  return Status::Ok();
}

Status LoadConfig(std::string_view text, const std::string& file, const GetEnv& getenv,
                  Project* p) {
  static const std::set<std::string> kKeys = {"version", "log", "schemas", "targets", "signing"};
  const std::vector<YAML::Node> documents = common::LoadYamlDocuments(text);
  if (documents.size() > 1) {
    return Status::InvalidArgument(fmt::format(
        "{}: a second YAML document; strata.yaml holds one map of settings",
        Where(file, documents[1])));
  }
  const YAML::Node root = documents.empty() ? YAML::Node() : documents[0];
  if (!root.IsMap()) return Status::InvalidArgument(file + ":1: expected a map of settings");
  for (const auto& entry : root) {
    const std::string key = entry.first.as<std::string>();
    if (!kKeys.count(key)) {
      return Status::InvalidArgument(fmt::format(
          "{}: unknown key \"{}\"; expected version, log, schemas, targets or signing",
          Where(file, entry.first), key));
    }
  }
  if (root["version"] && root["version"].as<std::string>() != "1") {
    return Status::InvalidArgument(fmt::format(
        "{}: version {} is not supported by this strata; use version: 1",
        Where(file, root["version"]), root["version"].as<std::string>()));
  }
  if (root["log"]) {
    STRATA_ASSIGN_OR_RETURN(std::string log,
                            Expand(root["log"].as<std::string>(), getenv, Where(file, root["log"])));
    if (log.find("://") != std::string::npos) {
      // A shared log: the URL is opened when a command needs the log (cli/log_store.cc).
      STRATA_RETURN_IF_ERROR(CheckLogUrlScheme(log, Where(file, root["log"])));
      p->log_url = log;
      p->log_where = Where(file, root["log"]);
      p->log_written = root["log"].as<std::string>();
    }
    if (p->log_url.empty()) p->log_dir = Absolute(p->root, log);
  }
  // Iterating a list or a scalar as a map throws without a place; say where instead.
  for (const char* section : {"schemas", "targets"}) {
    const YAML::Node node = root[section];
    if (node && !node.IsNull() && !node.IsMap()) {
      return Status::InvalidArgument(fmt::format("{}: {} must be a map, name: settings",
                                                 Where(file, node), section));
    }
  }
  if (root["schemas"]) STRATA_RETURN_IF_ERROR(LoadSchemas(root["schemas"], file, getenv, p));
  if (root["targets"]) STRATA_RETURN_IF_ERROR(LoadTargets(root["targets"], file, p));
  if (root["signing"]) STRATA_RETURN_IF_ERROR(LoadSigning(root["signing"], file, getenv, p));
  return Status::Ok();
}

}  // namespace

Status ParseProjectConfig(std::string_view text, const std::string& file, const GetEnv& getenv,
                          Project* project) {
  try {
    return LoadConfig(text, file, getenv, project);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(fmt::format("{}:{}: {}", file, e.mark.line + 1, e.msg));
  }
}

Result<std::string> ExpandVariables(const std::string& text, const GetEnv& getenv,
                                    const std::string& where) {
  return Expand(text, getenv, where);
}

Result<Project> LoadProject(const std::string& cwd, const std::optional<std::string>& project_dir,
                            const GetEnv& getenv) {
  Project p;
  std::optional<std::string> dir;
  if (project_dir) {
    fs::path d = fs::path(Absolute(cwd, *project_dir));
    if (!fs::is_directory(d)) {
      return Status::NotFound(fmt::format("--project {}: no such directory", *project_dir));
    }
    dir = d.string();
    p.root = *dir;
    if (!fs::exists(d / kConfigName)) dir.reset();
  } else {
    dir = FindConfigDir(fs::path(cwd));
    p.root = dir.value_or(cwd);
  }
  if (dir) {
    p.config_path = (fs::path(*dir) / kConfigName).string();
    std::ifstream in(p.config_path, std::ios::binary);
    if (!in) return Status::IoError(fmt::format("{}: cannot read the file", p.config_path));
    std::ostringstream text;
    text << in.rdbuf();
    STRATA_RETURN_IF_ERROR(ParseProjectConfig(text.str(), p.config_path, getenv, &p));
  }
  AddDefaults(&p);
  return p;
}

Result<backend::TargetSpec> ResolveTarget(const TargetConfig& target, const GetEnv& getenv) {
  const backend::Backend* b = backend::Named(target.engine);
  if (b == nullptr) {
    return Status::InvalidArgument(fmt::format(
        "{}: target {} has {} engine{}; give it engine: {}", target.where, target.name,
        target.engine.empty() ? "no" : "an unknown",
        target.engine.empty() ? "" : " \"" + target.engine + "\"", backend::NamesText()));
  }
  backend::TargetSpec spec;
  spec.name = target.name;
  spec.engine = b->engine();
  spec.where = target.where;
  for (const auto& [key, setting] : target.settings) {
    auto value = Expand(setting.text, getenv, setting.where);
    if (!value.ok()) {
      return Status::InvalidArgument(
          fmt::format("{} (target {} uses it)", value.status().message(), target.name));
    }
    spec.settings[key] = std::move(value).value();
  }
  return spec;
}

std::string DefaultConfigText(const std::vector<InitSource>& sources) {
  std::string text = R"(# strata project settings. Paths are relative to this file's directory;
# values may use ${ENV_VAR}.
version: 1

# Where the event log lives: a directory (the embedded default), or a shared store URL
# (s3://, dynamodb:// or postgres://) that the whole team records into; docs/team-log.md.
log: .strata

# Desired state, one entry per schema source. The key names the schema in the log.
schemas:
)";
  for (const InitSource& s : sources) text += s.backend->InitConfig(s.dir, s.artifacts);
  text += R"(
# Environments the schemas are deployed to (used by plan, apply, drift, migrate --target).
# A ${VAR} in a target is read only by commands that use that target.
# targets:
#   dev-ddb: { engine: dynamodb, region: us-east-1, endpoint: http://127.0.0.1:8000 }
#   app-db:  { engine: postgres, dsn: "postgresql://app@127.0.0.1/app" }
)";
  return text;
}

}  // namespace strata::cli
