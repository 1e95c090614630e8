// The check every fuzz input of the strata.yaml reader goes through (project_config_fuzz.cc and
// the seed replay, fuzz_seeds_test.cc). The input is the text of a strata.yaml. The contract
// (cli/project.h):
//   - ParseProjectConfig gives a project or InvalidArgument "strata.yaml:LINE: message" with a
//     line from 1 — never a crash or an exception, whatever the YAML;
//   - what it reads is usable: schema paths are absolute, and each target resolves or fails with
//     InvalidArgument (a ${VAR} that is not set, an engine that is not known).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cli/project.h"
#include "tests/fuzz/placed_error.h"

namespace strata::fuzz {

inline std::optional<std::string> FuzzGetEnv(const std::string& name) {
  if (name == "HOME") return "/home/fuzz";
  if (name == "DEMO_ENDPOINT") return "http://127.0.0.1:8000";
  if (name == "EMPTY") return "";
  return std::nullopt;
}

inline std::string ProjectConfigViolation(std::string_view input) {
  cli::Project project;
  project.root = "/project";
  const Status parsed = cli::ParseProjectConfig(input, "strata.yaml", FuzzGetEnv, &project);
  if (!parsed.ok()) {
    if (std::string bad = PlacedErrorViolation(parsed, "strata.yaml"); !bad.empty()) return bad;
    if (parsed.message().starts_with("strata.yaml:0:")) return "an error on line 0: " + parsed.message();
    return "";
  }
  for (const auto& [name, schema] : project.schemas) {
    if (!schema.path.starts_with("/") || !schema.artifacts.starts_with("/")) {
      return "schema " + name + " has a relative path: " + schema.path;
    }
  }
  for (const auto& [name, target] : project.targets) {
    auto resolved = cli::ResolveTarget(target, FuzzGetEnv);
    if (!resolved.ok() && resolved.status().code() != Code::kInvalidArgument) {
      return "target " + name + " fails with an error that is not InvalidArgument: " +
             resolved.status().ToString();
    }
  }
  return "";
}

}  // namespace strata::fuzz
