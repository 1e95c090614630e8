// How a plan reads to people and in JSON: the header (target, cursor, head, unapplied
// commits, unrecorded file changes), one block per object with its changes and the calls it
// makes, and the Terraform-style summary line. Any backend's plan prints the same way.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "adapters/backend/backend.h"
#include "cli/context.h"
#include "cli/describe.h"

namespace strata::cli {

struct PlanView {
  const SchemaSource* source = nullptr;
  const backend::Target* target = nullptr;
  const backend::Backend* backend = nullptr;
  uint64_t head_seq = 0;
  std::optional<CursorInfo> cursor;
  std::vector<CommitSummary> unapplied;  // newest first
  size_t unrecorded = 0;                 // schema file changes not in the log yet
  std::string files_error;               // why the schema files could not be read, if so
  // -t: the patterns, when they selected only some of the objects (`selected` of `total`).
  std::vector<std::string> filter;
  size_t selected = 0, total = 0;
  backend::Plan plan;
  // What the live objects have that strata does not manage (backend::LiveObject::warnings).
  std::vector<std::string> warnings;

  uint64_t cursor_seq() const { return cursor ? cursor->seq : 0; }
};

DiffSummary Summarize(const backend::Plan& plan);
nlohmann::ordered_json PlanJson(const PlanView& v);
void PrintPlan(const Context& ctx, const PlanView& v);

}  // namespace strata::cli
