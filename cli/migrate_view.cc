#include "cli/migrate_view.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <ostream>
#include <sstream>

namespace strata::cli {
namespace fs = std::filesystem;
namespace pg = strata::postgres;
using json = nlohmann::ordered_json;

namespace {

json MigrationJson(const Context& ctx, const pg::PlannedMigration& m) {
  json j = {{"name", m.file->name.stem},
            {"file", Shown(ctx, m.file->path)},
            {"timestamp", m.file->name.timestamp},
            {"state", pg::StateName(m.state)},
            {"no_transaction", m.file->no_transaction},
            {"validation", m.file->validation ? json(Shown(ctx, m.file->validation->path))
                                              : json(nullptr)}};
  if (m.applied) {
    j["applied_at"] = m.applied->applied_at;
    j["hash"] = m.applied->hash;
    j["hash_kind"] = m.match == pg::HashMatch::kMd5 ? "md5" : m.match == pg::HashMatch::kSha256 ? "sha256" : "other";
    j["execution_time_ms"] = m.applied->execution_time_ms ? json(*m.applied->execution_time_ms) : json(nullptr);
  }
  return j;
}

std::string StateLabel(const Context& ctx, pg::MigrationState s) {
  switch (s) {
    case pg::MigrationState::kApplied: return ctx.Paint(Color::kGreen, "applied     ");
    case pg::MigrationState::kPending: return ctx.Paint(Color::kYellow, "pending     ");
    case pg::MigrationState::kOutOfOrder: return ctx.Paint(Color::kYellow, "out-of-order");
    case pg::MigrationState::kModified: return ctx.Paint(Color::kRed, "MODIFIED    ");
  }
  return "";
}

}  // namespace

std::string Shown(const Context& ctx, const std::string& path) {
  const fs::path rel = fs::path(path).lexically_relative(ctx.cwd);
  if (rel.empty() || *rel.begin() == "..") return path;
  return rel.string();
}

std::string Indented(const std::string& text, const std::string& prefix) {
  std::string out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out += prefix + line + "\n";
  return out;
}

json Counts(const std::vector<pg::TrackPlan>& plans) {
  size_t c[4] = {0, 0, 0, 0}, missing = 0;
  for (const auto& p : plans) {
    for (int s = 0; s < 4; ++s) c[s] += p.Count(static_cast<pg::MigrationState>(s));
    missing += p.missing.size();
  }
  return {{"applied", c[0]}, {"pending", c[1]}, {"out_of_order", c[2]}, {"modified", c[3]},
          {"missing", missing}};
}

json PlanJson(const Context& ctx, const pg::TrackPlan& p) {
  json j = {{"track", p.track->name}, {"table", p.table.DisplayName()},
            {"table_exists", p.table_exists}, {"migrations", json::array()},
            {"missing", json::array()}, {"counts", Counts({p})}};
  for (const auto& m : p.migrations) j["migrations"].push_back(MigrationJson(ctx, m));
  for (const auto& a : p.missing) {
    j["missing"].push_back({{"name", a.name}, {"hash", a.hash}, {"applied_at", a.applied_at}});
  }
  return j;
}

void PrintPlan(const Context& ctx, const pg::TrackPlan& p) {
  *ctx.out << ctx.Paint(Color::kBold, p.track->name) << " (" << p.table.DisplayName()
           << (p.table_exists ? "" : ", not created yet") << ")\n";
  for (const auto& m : p.migrations) {
    std::string note;
    if (m.applied) note = "  " + m.applied->applied_at;
    if (m.match == pg::HashMatch::kMd5 && m.applied) note += "  (md5)";
    if (m.state == pg::MigrationState::kModified) note = "  file changed since it was applied";
    if (m.file->no_transaction) note = "  (no transaction)" + note;
    *ctx.out << "  " << StateLabel(ctx, m.state) << "  " << m.file->name.stem << note << "\n";
  }
  for (const auto& a : p.missing) {
    *ctx.out << "  " << ctx.Paint(Color::kYellow, "MISSING     ") << "  " << a.name
             << "  applied " << a.applied_at << ", no file\n";
  }
}

std::string SummaryLine(const json& c) {
  return fmt::format("{} applied, {} pending, {} out of order, {} modified, {} missing",
                     c["applied"].get<size_t>(), c["pending"].get<size_t>(),
                     c["out_of_order"].get<size_t>(), c["modified"].get<size_t>(),
                     c["missing"].get<size_t>());
}

void WarnMissing(const Context& ctx, const std::vector<pg::TrackPlan>& plans) {
  for (const auto& p : plans) {
    for (const auto& a : p.missing) {
      ctx.Note(fmt::format("warning: {} records {} (applied {}), but there is no file for it",
                           p.table.DisplayName(), a.name, a.applied_at));
    }
  }
}

json AppliedJson(const Context& ctx, const pg::AppliedStep& a) {
  return {{"track", a.file->name.track},
          {"name", a.file->name.stem},
          {"file", Shown(ctx, a.file->path)},
          {"hash", a.row.hash},
          {"applied_at", a.row.applied_at},
          {"execution_time_ms", a.row.execution_time_ms ? json(*a.row.execution_time_ms) : json(nullptr)},
          {"no_transaction", a.file->no_transaction},
          {"validation", a.validation ? json("passed") : json(nullptr)},
          {"ran_with", a.psql_reason.empty() ? "strata" : "psql"},
          {"psql_because", a.psql_reason.empty() ? json(nullptr) : json(a.psql_reason)},
          {"output", a.output}};
}

json WouldApplyJson(const Context& ctx, const std::vector<pg::TrackPlan>& plans) {
  json list = json::array();
  for (const auto& p : plans) {
    for (const pg::PlannedMigration* m : p.ToRun()) {
      list.push_back({{"track", p.track->name}, {"name", m->file->name.stem},
                      {"file", Shown(ctx, m->file->path)}, {"state", pg::StateName(m->state)},
                      {"no_transaction", m->file->no_transaction},
                      {"validation", m->file->validation
                                         ? json(Shown(ctx, m->file->validation->path))
                                         : json(nullptr)}});
    }
  }
  return list;
}

pg::RunObserver HumanProgress(const Context& ctx) {
  pg::RunObserver o;
  o.on_track = [&ctx](const pg::TrackPlan& p) {
    const size_t n = p.ToRun().size();
    *ctx.out << ctx.Paint(Color::kBold, p.track->name) << ": "
             << (n == 0 ? std::string("up to date") : fmt::format("{} to apply", n)) << "\n";
    WarnMissing(ctx, {p});
  };
  o.on_start = [&ctx](const pg::MigrationFile& f) { *ctx.out << "  applying " << f.name.stem << "\n"; };
  o.on_validated = [&ctx](const pg::MigrationFile& f, const pg::ValidationOutcome& v) {
    if (v.passed) *ctx.out << "    validation passed (" << fs::path(f.validation->path).filename().string() << ")\n";
  };
  o.on_applied = [&ctx](const pg::AppliedStep& a) {
    *ctx.out << Indented(a.output, "    | ");
    *ctx.out << "  " << ctx.Paint(Color::kGreen, "applied") << " " << a.file->name.stem << " in "
             << a.row.execution_time_ms.value_or(0) << " ms";
    // Which migrations needed psql, and why, when strata ran the others itself.
    if (!a.psql_reason.empty() && a.psql_reason != "--with-psql") {
      *ctx.out << " (by psql: " << a.psql_reason << ")";
    }
    *ctx.out << "\n";
  };
  return o;
}

pg::RunObserver JsonProgress(const Context& ctx) {
  pg::RunObserver o;
  o.on_track = [&ctx](const pg::TrackPlan& p) { WarnMissing(ctx, {p}); };
  o.on_start = [&ctx](const pg::MigrationFile& f) { ctx.Note("applying " + f.name.stem); };
  return o;
}

json FailedJson(const Context& ctx, const pg::FailedMigration& f) {
  return {{"track", f.file->name.track}, {"name", f.file->name.stem},
          {"file", Shown(ctx, f.file->path)}, {"stage", pg::FailureStageName(f.stage)},
          {"exit_code", f.exit_code}, {"output", f.output}};
}

void PrintValidation(const Context& ctx, const pg::Migrator::Validation& v, const std::string& word) {
  static const std::map<std::string, std::string> kLabels = {
      {"valid", "VALID"}, {"error", "ERROR"}, {"none", "No validation script"},
      {"skipped", "applied, not run"}};
  const pg::MigrationFile& f = *v.planned->file;
  std::string label = kLabels.at(word);
  if (word == "valid") label = ctx.Paint(Color::kGreen, label);
  if (word == "error") label = ctx.Paint(Color::kRed, label);
  *ctx.out << "  " << f.name.stem << ": " << label;
  if (f.validation && v.outcome) *ctx.out << " (" << fs::path(f.validation->path).filename().string() << ")";
  if (v.planned->state == pg::MigrationState::kModified) {
    *ctx.out << ", " << ctx.Paint(Color::kRed, "MODIFIED") << " since it was applied";
  }
  *ctx.out << "\n";
  if (word == "error") *ctx.out << Indented(v.outcome->output, "    | ");
}

// "valid", "error", "none" (no script) or "skipped" (applied; run with --all).
std::string ValidationWord(const pg::Migrator::Validation& v) {
  if (!v.planned->file->validation) return "none";
  if (!v.outcome) return "skipped";
  return v.outcome->passed ? "valid" : "error";
}

}  // namespace strata::cli
