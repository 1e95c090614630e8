// Project: where strata.yaml is, what it says (parsed once into typed structs), and the
// defaults when there is none.
//
// Found like git finds a repository: strata.yaml in the current directory or a parent, or
// the directory given by --project. Without a file, the project has a dynamodb schema at
// schema/dynamodb — or, when only a `migrations` directory of SQL tracks is there, a postgres
// one. Schema sources are checked when loaded; a target's settings are kept as written and
// resolved (${ENV_VAR} expanded, checked by its backend) only when a command uses that target,
// so a target that cannot be used stops no command that does not need it.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/backend/backend.h"
#include "engine/status.h"

namespace strata::cli {

using GetEnv = std::function<std::optional<std::string>(const std::string&)>;
using SchemaSource = backend::SourceSpec;

// A target as strata.yaml writes it.
struct TargetConfig {
  struct Setting {
    std::string text;   // as written, ${VAR} unexpanded
    std::string where;  // "strata.yaml:12"
  };
  std::string name;
  std::string engine;  // as written; checked when the target is used
  std::map<std::string, Setting> settings;  // everything but engine
  std::string where;   // the target's own line
};

// strata.yaml's signing: section (docs/signing.md). Paths are absolute once loaded.
struct SigningConfig {
  std::string key;              // the key ssh-keygen signs with (private, or .pub for the agent)
  std::string allowed_signers;  // who may sign; empty: none configured
  std::string revoked_keys;     // keys no longer trusted; empty: none
  std::string program;          // ssh-keygen's path as written; empty: ssh-keygen on PATH
  bool require = false;         // new commits must be signed
  std::string where;            // "strata.yaml:7", where the signing: section starts
  std::string require_where;    // the require: line
};

struct Project {
  std::string root;         // absolute
  std::string config_path;  // absolute; empty when running on defaults
  std::string log_dir;      // absolute
  // A shared log store ("postgres://..."); empty: the log is the directory log_dir.
  std::string log_url;
  std::string log_where;    // "strata.yaml:2", for messages about log_url
  // The log: line's value as written (${VAR} unexpanded): names the local mirror of log_url, so
  // the mirror stays the same when a variable in the URL changes (a password, a port).
  std::string log_written;
  std::map<std::string, SchemaSource> schemas;
  std::map<std::string, TargetConfig> targets;
  SigningConfig signing;

  const SchemaSource* Schema(const std::string& name) const;
  // "strata.yaml" as messages name it.
  std::string ConfigName() const;
};

// Finds and loads the project. InvalidArgument naming the file and line for a bad
// strata.yaml; NotFound when --project names a directory that does not exist.
Result<Project> LoadProject(const std::string& cwd, const std::optional<std::string>& project_dir,
                            const GetEnv& getenv);

// Reads the text of a strata.yaml (`file`, as messages name it) into `project`, whose root is
// set: the log, the schema sources, the targets. InvalidArgument "FILE:LINE: message" for
// anything wrong, YAML syntax included; never throws. LoadProject reads the file through it.
Status ParseProjectConfig(std::string_view text, const std::string& file, const GetEnv& getenv,
                          Project* project);

// `text` with each ${VAR} replaced by the variable's value; InvalidArgument naming `where` for
// an unset variable.
Result<std::string> ExpandVariables(const std::string& text, const GetEnv& getenv,
                                    const std::string& where);

// The target's settings with ${VAR} expanded and its engine checked. InvalidArgument naming
// the file and line ("strata.yaml:10: environment variable DEMO_ENDPOINT is not set (target
// dev)").
Result<backend::TargetSpec> ResolveTarget(const TargetConfig& target, const GetEnv& getenv);

// The commented strata.yaml that `strata init` writes, with one schema source per entry
// (backend, directory, artifacts directory).
struct InitSource {
  const backend::Backend* backend = nullptr;
  std::string dir, artifacts;
};
std::string DefaultConfigText(const std::vector<InitSource>& sources);

}  // namespace strata::cli
