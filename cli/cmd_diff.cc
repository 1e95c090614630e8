// strata diff REF [REF2]: the typed changes that turn the schema at REF into the one at REF2
// (HEAD when omitted), grouped by object, with a Terraform-style summary line.
#include <fmt/format.h>

#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "cli/describe.h"
#include "cli/exit_memory.h"
#include "cli/objects_view.h"
#include "engine/diff/diff.h"
#include "engine/threads.h"

namespace strata::cli {
namespace po = boost::program_options;

CommandResult RunDiff(Context& ctx) {
  const CommandFlags spec = DiffFlags();
  const po::options_description& o = spec.options;
  const po::positional_options_description& p = spec.positional;
  auto vm = ParseArgs(ctx, o, p);
  if (!vm.count("from")) throw UsageError{"diff needs a REF to compare from"};

  STRATA_ASSIGN_OR_RETURN(auto history, OpenHistory(ctx));
  STRATA_ASSIGN_OR_RETURN(uint64_t from, history->Resolve(vm["from"].as<std::string>()));
  STRATA_ASSIGN_OR_RETURN(uint64_t to, history->Resolve(vm["to"].as<std::string>()));
  google::protobuf::Arena* arena = ArenaFreedByExit(StateArenaOptions());
  STRATA_ASSIGN_OR_RETURN(auto states, history->index().StatesAt(from, to, arena));
  const pb::State& a = *states.first;
  const pb::State& b = *states.second;

  std::set<std::string> names;
  for (const auto& [n, _] : a.schemas()) names.insert(n);
  for (const auto& [n, _] : b.schemas()) names.insert(n);
  nlohmann::ordered_json out = {{"version", 1}, {"from", from}, {"to", to}, {"schemas", nlohmann::ordered_json::object()}};
  DiffSummary total;
  size_t count = 0;
  // By reference: a schema absent on one side compares with the empty one, never a copy.
  auto side = [](const pb::State& s, const std::string& n) -> const pb::SchemaState& {
    auto it = s.schemas().find(n);
    return it == s.schemas().end() ? pb::SchemaState::default_instance() : it->second;
  };
  // A batch of objects at a time: the events of a diff across thousands of tables would hold
  // a copy of every table created between the two points.
  constexpr size_t kBatchObjects = 256;
  // What one part of a schema's objects gave: its text (or JSON events) and counts.
  struct PartResult {
    std::ostringstream text;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    DiffSummary sum;
    size_t count = 0;
    Status status;
  };
  auto run_part = [&](const std::string& n, DiffPart part, const Context& c, PartResult* r) {
    r->status = DiffInBatches(side(a, n), side(b, n), kBatchObjects,
                              [&](std::vector<pb::Event>& events) {
      r->count += events.size();
      if (c.json) {
        for (const auto& e : events) r->list.push_back(EventJson(e));
        return Status::Ok();
      }
      DiffSummary s = PrintChanges(c, n, events);
      r->sum.add += s.add;
      r->sum.change += s.change;
      r->sum.destroy += s.destroy;
      return Status::Ok();
    }, part);
  };
  for (const auto& n : names) {
    // The objects in two halves at once: the second on another thread into a buffer, written
    // out after the first (both only read the states). In turn, as one part, without a thread.
    PartResult first, second;
    Context second_ctx = ctx;
    second_ctx.out = &second.text;
    std::optional<std::thread> helper =
        TryStartThread([&] { run_part(n, DiffPart{1, 2}, second_ctx, &second); });
    run_part(n, helper ? DiffPart{0, 2} : DiffPart{}, ctx, &first);
    if (helper) helper->join();
    STRATA_RETURN_IF_ERROR(first.status);
    STRATA_RETURN_IF_ERROR(second.status);
    if (!ctx.json) *ctx.out << second.text.view();
    count += first.count + second.count;
    total.add += first.sum.add + second.sum.add;
    total.change += first.sum.change + second.sum.change;
    total.destroy += first.sum.destroy + second.sum.destroy;
    if (ctx.json) {
      for (auto& e : second.list) first.list.push_back(std::move(e));
      out["schemas"][n] = std::move(first.list);
    }
  }
  if (ctx.json) {
    out["changes"] = count;
    ctx.PrintJson(out);
  } else if (count == 0) {
    *ctx.out << fmt::format("No differences between seq {} and seq {}.\n", from, to);
  } else {
    PrintSummaryLine(ctx, total, fmt::format("seq {} -> {}", from, to));
  }
  return count > 0 && vm["detailed-exitcode"].as<bool>() ? kExitChanges : kExitOk;
}

CommandFlags DiffFlags() {
  CommandFlags f{po::options_description("diff options"), {}};
  po::options_description& o = f.options;
  o.add_options()("from", po::value<std::string>(), "the older point")(
      "to", po::value<std::string>()->default_value("HEAD"), "the newer point")(
      "detailed-exitcode", po::bool_switch(), "exit 3 when there are differences");
  po::positional_options_description& p = f.positional;
  p.add("from", 1).add("to", 1);
  return f;
}

}  // namespace strata::cli
