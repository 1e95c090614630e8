// strata list: the live objects of a target, as its backend shows them (for DynamoDB: keys,
// indexes, billing, status, item counts), and whether strata manages each one.
//
// Steps: open the target, read its objects (with -t, the names first and then only the
// objects it selects; progress on stderr), find which ones strata manages (schema files and
// log), print the backend's rows for people or its JSON.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "cli/commands.h"
#include "cli/target.h"

namespace strata::cli {
namespace po = boost::program_options;

namespace {

// Which objects strata manages. A schema file that does not parse only loses its own marks:
// list is for looking around, and the log still knows what strata recorded.
std::set<std::string> ManagedForList(const Context& ctx, const Reach& reach) {
  if (reach.source == nullptr) {
    ctx.Note(fmt::format("note: the project has no {} schema; no {} is marked as managed",
                         reach.backend->name(), reach.backend->object_noun()));
    return {};
  }
  auto managed = ManagedObjects(ctx, *reach.source, /*lenient=*/true);
  return managed.ok() ? std::move(managed).value() : std::set<std::string>();
}

std::optional<Color> ColorOf(backend::Tone tone) {
  switch (tone) {
    case backend::Tone::kPlain: return std::nullopt;
    case backend::Tone::kStrong: return Color::kBold;
    case backend::Tone::kDim: return Color::kDim;
    case backend::Tone::kGood: return Color::kGreen;
    case backend::Tone::kWarn: return Color::kYellow;
  }
  return std::nullopt;
}

// Pads every column to its widest cell, then paints.
void PrintRows(const Context& ctx, const std::vector<std::vector<backend::Cell>>& rows) {
  std::vector<size_t> width;
  for (const auto& r : rows) {
    width.resize(std::max(width.size(), r.size()));
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].text.size());
  }
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      const bool last = i + 1 == r.size();
      std::string text = r[i].right ? fmt::format("{:>{}}", r[i].text, width[i])
                         : last     ? r[i].text
                                    : fmt::format("{:<{}}", r[i].text, width[i]);
      auto color = ColorOf(r[i].tone);
      line += color && !r[i].text.empty() ? ctx.Paint(*color, text) : text;
      if (!last) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    *ctx.out << line << "\n";
  }
}

}  // namespace

CommandResult RunList(Context& ctx) {
  const CommandFlags spec = ListFlags();
  const po::options_description& o = spec.options;
  auto vm = ParseArgs(ctx, o, {});
  const ObjectFilter filter = ReadFilter(vm);
  ReachOptions options;
  options.source_required = false;
  STRATA_ASSIGN_OR_RETURN(Reach reach, OpenReach(ctx, ReadTargetFlags(vm), options));
  STRATA_ASSIGN_OR_RETURN(std::unique_ptr<backend::Live> live, ReadSelected(reach, filter));
  const std::set<std::string> managed = ManagedForList(ctx, reach);
  backend::ListView view = reach.target->List(*live, managed);
  if (ctx.json) {
    ctx.PrintJson({{"version", 1}, {"target", reach.target->Json()}, {view.key, view.items}});
    return kExitOk;
  }
  if (view.items.empty()) {
    *ctx.out << view.empty_text << "\n";
    return kExitOk;
  }
  *ctx.out << view.title << "\n\n";
  PrintRows(ctx, view.rows);
  if (!view.footer.empty()) *ctx.out << "\n" << view.footer << "\n";
  return kExitOk;
}

CommandFlags ListFlags() {
  CommandFlags f{po::options_description("list options"), {}};
  po::options_description& o = f.options;
  AddTargetOptions(o);
  AddFilterOptions(o);
  return f;
}

}  // namespace strata::cli
