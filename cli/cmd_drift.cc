// strata drift: a live target against the recorded schema, for any backend.
//
// Steps: open the target; the recorded point (--at, else what the target was last deployed
// with — or the log head for backends that do not track deployments per target); the live
// objects of that schema (-t: those it selects); the typed changes that turn the record into
// what the target has. Exit 3 when there are any.
#include <fmt/format.h>

#include <set>

#include "cli/commands.h"
#include "cli/describe.h"
#include "cli/target.h"
#include "engine/diff/diff.h"
#include "engine/state/fragments.h"

namespace strata::cli {
namespace po = boost::program_options;
using json = nlohmann::ordered_json;

CommandResult RunDrift(Context& ctx) {
  const CommandFlags spec = DriftFlags();
  const po::options_description& o = spec.options;
  auto vm = ParseArgs(ctx, o, {});
  const ObjectFilter filter = ReadFilter(vm);
  ReachOptions options;
  options.needs = Needs::kAny;
  STRATA_ASSIGN_OR_RETURN(Reach reach, OpenReach(ctx, ReadTargetFlags(vm), options));
  const SchemaSource& source = *reach.source;
  backend::Target& target = *reach.target;

  STRATA_ASSIGN_OR_RETURN(auto history, OpenHistory(ctx));
  uint64_t seq = history->head().seq;
  if (vm.count("at")) {
    STRATA_ASSIGN_OR_RETURN(seq, history->Resolve(vm["at"].as<std::string>()));
  } else if (reach.backend->drift_against_cursor()) {
    STRATA_ASSIGN_OR_RETURN(auto cursor, history->Cursor(target.Label()));
    if (cursor) seq = cursor->seq;
    if (cursor && cursor->outcome == pb::DEPLOYMENT_PARTIAL) {
      ctx.Note(fmt::format(
          "note: the last deployment to {} (commit {}) was partial, so what it did apply shows "
          "as drift from seq {}; strata drift --at HEAD compares with the log head",
          target.Label(), cursor->deployment_seq, cursor->seq));
    }
  }
  STRATA_ASSIGN_OR_RETURN(pb::SchemaState recorded, history->SchemaAt(seq, source.name));
  if (recorded.engine() == pb::ENGINE_UNSPECIFIED) recorded.set_engine(source.engine);

  // Declarative backends compare the objects the record holds (other live objects are not
  // strata's), or those of them -t selects; others compare the whole database, or what -t
  // selects of the record and the database.
  backend::ReadRequest read;
  if (reach.backend->declarative()) {
    if (!filter.everything()) {
      STRATA_ASSIGN_OR_RETURN(
          std::set<std::string> selected,
          SelectNames(filter, ObjectNames(recorded), *reach.backend,
                      fmt::format("recorded in schema {} at seq {}", source.name, seq)));
      recorded = SelectObjects(recorded, selected);
    }
    read.only = ObjectNames(recorded);
    read.missing_ok = true;
  }
  STRATA_ASSIGN_OR_RETURN(std::unique_ptr<backend::Live> live, target.Read(read));
  pb::SchemaState has = live->Schema(&recorded);
  if (!reach.backend->declarative() && !filter.everything()) {
    std::set<std::string> names;
    for (auto& n : ObjectNames(recorded)) names.insert(std::move(n));
    for (auto& n : ObjectNames(has)) names.insert(std::move(n));
    STRATA_ASSIGN_OR_RETURN(
        std::set<std::string> selected,
        SelectNames(filter, {names.begin(), names.end()}, *reach.backend,
                    fmt::format("in schema {} at seq {} or on {}", source.name, seq,
                                target.Text())));
    recorded = SelectObjects(recorded, selected);
    has = SelectObjects(has, selected);
  }
  // The changes that turn the recorded schema into what the target has.
  STRATA_ASSIGN_OR_RETURN(std::vector<pb::Event> drift, Diff(recorded, has));
  std::set<std::string> compared;
  for (auto& n : ObjectNames(recorded)) compared.insert(std::move(n));
  for (auto& n : ObjectNames(has)) compared.insert(std::move(n));
  const std::vector<std::string> warnings = LiveWarnings(*live, &compared);
  PrintWarnings(ctx, warnings);
  const size_t objects = ObjectNames(recorded).size();
  const std::string noun(reach.backend->object_noun());
  if (ctx.json) {
    json changes = json::array();
    for (const auto& e : drift) changes.push_back(EventJson(e));
    json out = {{"version", 1}, {"target", target.Label()}};
    const json where = target.Json();  // items() refers into it: keep it alive for the loop
    for (const auto& [key, value] : where.items()) {
      if (key != "name") out[key] = value;
    }
    out["schema"] = source.name;
    out["seq"] = seq;
    out["drift"] = !drift.empty();
    out["changes"] = changes;
    out["warnings"] = warnings;
    ctx.PrintJson(out);
  } else if (drift.empty()) {
    *ctx.out << fmt::format("No drift: {} matches the recorded {} schema at seq {} ({} {}{}).\n",
                            target.Text(), source.name, seq, objects, noun,
                            objects == 1 ? "" : "s");
  } else {
    *ctx.out << fmt::format(
        "{} differs from the recorded {} schema at seq {}; what turns the record into what it "
        "has:\n",
        target.Text(), source.name, seq);
    DiffSummary s = PrintChanges(ctx, source.name, drift);
    PrintSummaryLine(ctx, s, "Drift");
    if (reach.backend->declarative()) {
      *ctx.out << "Run strata apply to bring the target back to the log, or strata import to "
                  "record what it has.\n";
    }
  }
  return drift.empty() ? kExitOk : kExitChanges;
}

CommandFlags DriftFlags() {
  CommandFlags f{po::options_description("drift options"), {}};
  po::options_description& o = f.options;
  AddTargetOptions(o);
  AddFilterOptions(o);
  o.add_options()("at", po::value<std::string>(),
                  "the recorded point to compare with (default: what the target was last deployed "
                  "with, else the log head)");
  return f;
}

}  // namespace strata::cli
