#include "cli/ddb_live.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace strata::cli {

namespace {

// Describing a table takes a few requests; below this many the wait is too short to report.
constexpr size_t kProgressFrom = 20;

}  // namespace

Result<std::vector<dynamodb::LiveTable>> ReadLiveTables(
    const Context& ctx, DynamoTarget& target, const std::optional<std::vector<std::string>>& only) {
  dynamodb::IntrospectOptions o;
  o.only = only;
  o.max_concurrency = target.concurrency;
  size_t last_note = 0;
  o.progress = [&ctx, &last_note](size_t done, size_t all) {
    if (all < kProgressFrom) return;
    if (done == all || done >= last_note + std::max<size_t>(1, all / 10)) {
      last_note = done;
      ctx.Note(fmt::format("described {}/{} tables", done, all));
    }
  };
  auto live = dynamodb::ListLiveTables(*target.ddb, o);
  if (!live.ok()) return live.status().WithContext("reading the tables of " + TargetText(target));
  std::sort(live->begin(), live->end(),
            [](const auto& a, const auto& b) { return a.table.name() < b.table.name(); });
  if (only) {
    std::set<std::string> found;
    for (const auto& t : *live) found.insert(t.table.name());
    for (const auto& name : *only) {
      if (!found.count(name)) {
        return Status::NotFound(fmt::format("no table {} on {}; strata list shows the tables there",
                                            name, TargetText(target)));
      }
    }
  }
  return live;
}

nlohmann::ordered_json TargetJson(const DynamoTarget& target) {
  nlohmann::ordered_json j;
  j["name"] = target.name.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(target.name);
  j["endpoint"] = target.endpoint;
  j["region"] = target.session->region();
  return j;
}

std::string TargetText(const DynamoTarget& target) {
  if (target.name.empty()) return fmt::format("{} ({})", target.endpoint, target.session->region());
  return fmt::format("target {} ({}, {})", target.name, target.endpoint, target.session->region());
}

}  // namespace strata::cli
