// Project: where strata.yaml is, what it says, and the defaults when there is none.
//
// Found like git finds a repository: strata.yaml in the current directory or a parent, or
// the directory given by --project. Without a file, defaults apply in the current directory.
// Values may reference ${ENV_VAR}; expansion uses the environment passed in (cli only).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "engine/status.h"

namespace strata::cli {

struct SchemaSource {
  std::string name;    // the key under `schemas:`, also the log's schema name
  std::string engine;  // dynamodb | glue | postgres
  std::string path;    // absolute directory of the schema files
  std::string artifacts;  // absolute directory of generated artifacts
};

struct Target {
  std::string name;
  std::map<std::string, std::string> settings;  // engine, region, endpoint, dsn, ...
};

struct Project {
  std::string root;         // absolute
  std::string config_path;  // absolute; empty when running on defaults
  std::string log_dir;      // absolute
  std::map<std::string, SchemaSource> schemas;
  std::map<std::string, Target> targets;

  const SchemaSource* Schema(const std::string& name) const;
};

using GetEnv = std::function<std::optional<std::string>(const std::string&)>;

// Finds and loads the project. InvalidArgument naming the file and line for a bad
// strata.yaml; NotFound when --project names a directory that does not exist.
Result<Project> LoadProject(const std::string& cwd, const std::optional<std::string>& project_dir,
                            const GetEnv& getenv);

// The commented strata.yaml that `strata init` writes.
std::string DefaultConfigText(const std::string& dynamodb_dir, const std::string& artifacts_dir);

}  // namespace strata::cli
