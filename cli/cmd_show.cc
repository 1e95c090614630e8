// strata show [--at REF] [OBJECT]: the schema, or one object, as it was at REF.
#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include <ostream>

#include "adapters/backend/registry.h"
#include "cli/commands.h"
#include "cli/exit_memory.h"
#include "cli/objects_view.h"

namespace strata::cli {
namespace po = boost::program_options;

namespace {

// The state's parts in turn: the split schema's lines are one per table, and every table in
// the first part sorts before every table in the second.
void PrintSummary(const Context& ctx, const StateParts& parts) {
  const pb::State& state = *parts.first;
  if (state.schemas().empty()) {
    *ctx.out << "(no schemas recorded yet)\n";
    return;
  }
  for (const auto& name : SortedKeys(state.schemas())) {
    const pb::SchemaState& schema = state.schemas().at(name);
    *ctx.out << ctx.Paint(Color::kBold, fmt::format("{} ({})", name, EngineName(schema.engine())))
             << "\n";
    const bool split = parts.second != nullptr && name == parts.split_schema;
    const std::vector<std::string> lines =
        split ? SummaryLines(schema, parts.second->schemas().at(name)) : SummaryLines(schema);
    // One write for ten thousand lines, not three stream insertions per line.
    size_t bytes = 0;
    for (const auto& line : lines) bytes += line.size() + 3;
    std::string text;
    text.reserve(bytes);
    for (const auto& line : lines) {
      text += "  ";
      text += line;
      text += '\n';
    }
    ctx.out->write(text.data(), static_cast<std::streamsize>(text.size()));
  }
}

}  // namespace

CommandResult RunShow(Context& ctx) {
  const CommandFlags spec = ShowFlags();
  const po::options_description& o = spec.options;
  const po::positional_options_description& p = spec.positional;
  auto vm = ParseArgs(ctx, o, p);
  const std::string at = vm["at"].as<std::string>();

  STRATA_ASSIGN_OR_RETURN(auto history, OpenHistory(ctx));
  STRATA_ASSIGN_OR_RETURN(uint64_t seq, history->Resolve(at));
  if (!vm.count("object")) {
    google::protobuf::Arena* arena = ArenaFreedByExit(StateArenaOptions());
    STRATA_ASSIGN_OR_RETURN(StateParts parts, history->index().StatePartsAt(seq, arena));
    if (ctx.json) {
      ctx.PrintJson({{"version", 1}, {"seq", seq}, {"schemas", StateJson(*JoinParts(parts))}});
    } else {
      *ctx.out << ctx.Paint(Color::kDim, fmt::format("as of seq {} ({})", seq, at)) << "\n";
      PrintSummary(ctx, parts);
    }
    return kExitOk;
  }
  STRATA_ASSIGN_OR_RETURN(ObjectRef ref, ParseObjectRef(vm["object"].as<std::string>()));
  STRATA_ASSIGN_OR_RETURN(pb::State state, history->index().ObjectStateAt(seq, ref.name));
  STRATA_ASSIGN_OR_RETURN(FoundObject found, FindObject(state, ref, seq));
  if (ctx.json) {
    ctx.PrintJson({{"version", 1}, {"seq", seq}, {"schema", found.schema},
                   {"engine", EngineName(found.engine)}, {"object", ref.name},
                   {"definition", found.definition}});
  } else if (const backend::Backend* b = backend::ForEngine(found.engine)) {
    // Each backend's own form: CreateTable JSON, or DDL for PostgreSQL.
    STRATA_ASSIGN_OR_RETURN(std::string text, b->ObjectText(found.fragment, ref.name));
    *ctx.out << text << (text.empty() || text.back() == '\n' ? "" : "\n");
  } else {
    *ctx.out << found.definition.dump(2) << "\n";
  }
  return kExitOk;
}

CommandFlags ShowFlags() {
  CommandFlags f{po::options_description("show options"), {}};
  po::options_description& o = f.options;
  o.add_options()("at", po::value<std::string>()->default_value("HEAD"), "the point in history")(
      "object", po::value<std::string>(),
      "one object: a DynamoDB table, a Glue table, a PostgreSQL object such as public.users "
      "(schema:name when ambiguous)");
  po::positional_options_description& p = f.positional;
  p.add("object", 1);
  return f;
}

}  // namespace strata::cli
