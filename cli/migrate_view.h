// How `strata migrate` shows migration plans, runs and validations: the JSON shapes of
// docs/cli.md and the text lines, built from the Migrator's values. Printing only; nothing
// here talks to a database.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "adapters/postgres/migrator.h"
#include "cli/context.h"

namespace strata::cli {

// `path` relative to the working directory when it is inside it.
std::string Shown(const Context& ctx, const std::string& path);
// Each line of `text` with `prefix` in front.
std::string Indented(const std::string& text, const std::string& prefix);

// ---- plans (status, dry runs)
// {"applied", "pending", "out_of_order", "modified", "missing"} over every track.
nlohmann::ordered_json Counts(const std::vector<postgres::TrackPlan>& plans);
nlohmann::ordered_json PlanJson(const Context& ctx, const postgres::TrackPlan& plan);
// The track's header and one line per migration and per history row without a file.
void PrintPlan(const Context& ctx, const postgres::TrackPlan& plan);
// "2 applied, 1 pending, 0 out of order, 0 modified, 0 missing".
std::string SummaryLine(const nlohmann::ordered_json& counts);
// A warning on stderr for each history row that has no file.
void WarnMissing(const Context& ctx, const std::vector<postgres::TrackPlan>& plans);
// What a run of `plans` would apply, in order.
nlohmann::ordered_json WouldApplyJson(const Context& ctx,
                                      const std::vector<postgres::TrackPlan>& plans);

// ---- runs
nlohmann::ordered_json AppliedJson(const Context& ctx, const postgres::AppliedStep& step);
nlohmann::ordered_json FailedJson(const Context& ctx, const postgres::FailedMigration& failed);
// Progress as it happens: on stdout for people, on stderr beside --json.
postgres::RunObserver HumanProgress(const Context& ctx);
postgres::RunObserver JsonProgress(const Context& ctx);

// ---- validations
// "valid", "error", "none" (no script) or "skipped" (applied; run with --all).
std::string ValidationWord(const postgres::Migrator::Validation& v);
void PrintValidation(const Context& ctx, const postgres::Migrator::Validation& v,
                     const std::string& word);

}  // namespace strata::cli
