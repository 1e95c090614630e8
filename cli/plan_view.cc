#include "cli/plan_view.h"

#include <fmt/format.h>

#include <ostream>

#include "cli/target.h"
#include "engine/refs/refs.h"

namespace strata::cli {
using json = nlohmann::ordered_json;
using backend::Action;

DiffSummary Summarize(const backend::Plan& plan) {
  DiffSummary s;
  for (const auto& o : plan.objects) {
    switch (o.action) {
      case Action::kCreate: ++s.add; break;
      case Action::kUpdate: ++s.change; break;
      case Action::kReplace: ++s.add; ++s.destroy; break;
      case Action::kDelete: ++s.destroy; break;
    }
  }
  return s;
}

json PlanJson(const PlanView& v) {
  json objects = json::array();
  for (const auto& o : v.plan.objects) {
    json changes = json::array(), ops = json::array();
    for (const auto& c : o.changes) changes.push_back(EventJson(c));
    for (const auto& op : o.operations) {
      json jop = {{"api", op.api}, {"summary", op.summary}, {"destructive", op.destructive},
                  {"waits", op.waits}};
      if (!op.held.empty()) jop["held"] = op.held;
      ops.push_back(std::move(jop));
    }
    json jo = {{"table", o.object}, {"action", backend::ActionName(o.action)},
               {"blocked", o.blocked}, {"changes", changes}, {"operations", ops}};
    if (!o.replace_reason.empty()) jo["replace_reason"] = o.replace_reason;
    if (!o.blocked_reason.empty()) jo["blocked_reason"] = o.blocked_reason;
    if (!o.notes.empty()) jo["notes"] = o.notes;
    objects.push_back(std::move(jo));
  }
  json unapplied = json::array();
  for (const auto& c : v.unapplied) {
    unapplied.push_back({{"seq", c.seq}, {"time", FormatTime(c.time_unix_micros)},
                         {"actor", c.actor_name}, {"origin", OriginName(c.origin)},
                         {"message", c.message}});
  }
  const DiffSummary s = Summarize(v.plan);
  json target = v.target->Json();
  target["name"] = v.target->Label();
  json out = {{"version", 1},
          {"target", target},
          {"schema", v.source->name},
          {"head_seq", v.head_seq},
          {"target_seq", v.cursor_seq()},
          {"unrecorded_changes", v.unrecorded},
          {"files_error", v.files_error.empty() ? json() : json(v.files_error)},
          {"unapplied_commits", unapplied},
          {"tables", objects},
          {"summary", {{"add", s.add}, {"change", s.change}, {"destroy", s.destroy}}},
          {"warnings", v.warnings}};
  if (!v.filter.empty()) {
    out["filter"] = {{"patterns", v.filter}, {"selected", v.selected}, {"of", v.total}};
  }
  return out;
}

namespace {

void PrintHeader(const Context& ctx, const PlanView& v) {
  json where = v.target->Json();
  std::vector<std::string> parts = {std::string(v.backend->name())};
  for (const auto& [key, value] : where.items()) {
    if (key != "name" && value.is_string()) parts.push_back(value.get<std::string>());
  }
  *ctx.out << fmt::format("Target {} ({})\n", v.target->Label(), fmt::join(parts, ", "));
  if (v.cursor) {
    *ctx.out << fmt::format("  last deployed: seq {} (deployment commit {})\n", v.cursor->seq,
                            v.cursor->deployment_seq);
  } else {
    *ctx.out << "  never deployed by strata\n";
  }
  *ctx.out << fmt::format("  log head: seq {}\n", v.head_seq);
  if (!v.filter.empty()) {
    *ctx.out << fmt::format("  only {} of {} {}s ({}); the others are not read or planned\n",
                            v.selected, v.total, v.backend->object_noun(), FilterFlags(v.filter));
  }
  if (!v.unapplied.empty()) {
    *ctx.out << fmt::format("  {} commit{} of {} not applied to {} yet:\n", v.unapplied.size(),
                            v.unapplied.size() == 1 ? "" : "s", v.source->name, v.target->Label());
    size_t shown = 0;
    for (const auto& c : v.unapplied) {
      if (++shown > 10) {
        *ctx.out << fmt::format("    ... and {} older\n", v.unapplied.size() - 10);
        break;
      }
      *ctx.out << fmt::format("    {:>5}  {}  {}  {}\n", c.seq, FormatTime(c.time_unix_micros),
                              c.actor_name, c.message);
    }
  }
  if (!v.files_error.empty()) {
    *ctx.out << ctx.Paint(Color::kYellow, "  the schema files cannot be read: " + v.files_error)
             << "\n";
  }
  for (const auto& w : v.warnings) {
    *ctx.out << ctx.Paint(Color::kYellow, "  warning: " + w) << "\n";
  }
  if (v.unrecorded > 0) {
    *ctx.out << ctx.Paint(Color::kYellow,
                          fmt::format("  the schema files have {} change{} not recorded yet; run "
                                      "strata generate (or strata push) to include {}\n",
                                      v.unrecorded, v.unrecorded == 1 ? "" : "s",
                                      v.unrecorded == 1 ? "it" : "them"));
  }
  *ctx.out << "\n";
}

void PrintObjectPlan(const Context& ctx, const backend::Backend& b, const backend::ObjectPlan& o) {
  const bool red = o.action == Action::kDelete || o.action == Action::kReplace;
  const char* sign = o.action == Action::kCreate    ? "+"
                     : o.action == Action::kDelete  ? "-"
                     : o.action == Action::kReplace ? "-/+"
                                                    : "~";
  std::string head = fmt::format("{} {} {}", sign, backend::ActionName(o.action), o.object);
  if (o.action == Action::kReplace) head += fmt::format(" (its {} are deleted)", b.data_noun());
  *ctx.out << ctx.Paint(red ? Color::kRed : o.action == Action::kCreate ? Color::kGreen
                                                                        : Color::kYellow,
                        head)
           << "\n";
  if (!o.replace_reason.empty()) {
    *ctx.out << ctx.Paint(Color::kRed, "    must be replaced: " + o.replace_reason) << "\n";
  }
  for (const auto& c : o.changes) {
    EventText text = Describe(c);
    *ctx.out << "    " << text.sign << " " << text.text << "\n";
  }
  for (const auto& op : o.operations) {
    std::string line = fmt::format("      {} {}{}", op.api, op.summary,
                                   op.waits_for.empty() ? "" : " (then waits for " + op.waits_for + ")");
    *ctx.out << (op.destructive ? ctx.Paint(Color::kRed, line) : ctx.Paint(Color::kDim, line))
             << "\n";
    if (!op.held.empty()) {
      *ctx.out << ctx.Paint(Color::kYellow, "        held for a later apply: " + op.held) << "\n";
    }
  }
  for (const auto& note : o.notes) *ctx.out << ctx.Paint(Color::kDim, "    note: " + note) << "\n";
  if (o.blocked) {
    *ctx.out << ctx.Paint(Color::kRed, "    blocked: " + o.blocked_reason) << "\n";
  }
}

}  // namespace

void PrintPlan(const Context& ctx, const PlanView& v) {
  PrintHeader(ctx, v);
  if (v.plan.objects.empty()) {
    *ctx.out << fmt::format("No changes: the {}live {}s of {} match seq {}.\n",
                            v.filter.empty() ? "" : "selected ", v.backend->object_noun(),
                            v.target->Label(), v.head_seq);
    return;
  }
  for (const auto& o : v.plan.objects) PrintObjectPlan(ctx, *v.backend, o);
  *ctx.out << "\n";
  PrintSummaryLine(ctx, Summarize(v.plan), "Plan");
}

}  // namespace strata::cli
