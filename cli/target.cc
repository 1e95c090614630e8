#include "cli/target.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

#include "adapters/backend/registry.h"
#include "cli/commands.h"
#include "engine/state/fragments.h"

namespace strata::cli {
namespace po = boost::program_options;

namespace {

// Every setting flag of every backend, once (two backends may share --region).
std::map<std::string, std::string> SettingFlags() {
  std::map<std::string, std::string> flags;  // flag -> help
  for (const backend::Backend* b : backend::All()) {
    for (const auto& s : b->target_settings()) {
      if (!s.flag.empty()) flags.emplace(s.flag, s.help);
    }
  }
  return flags;
}

bool Serves(const backend::Backend& b, Needs needs) {
  return needs == Needs::kAny || b.declarative();
}

// "dynamodb" or "dynamodb or glue": the engines a command works with.
std::string EngineNames(Needs needs, bool display) {
  std::vector<std::string> names;
  for (const backend::Backend* b : backend::All()) {
    if (Serves(*b, needs)) names.emplace_back(display ? b->display_name() : b->name());
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

std::string TargetNames(const Context& ctx) {
  std::vector<std::string> names;
  for (const auto& [name, t] : ctx.project.targets) names.push_back(name);
  return names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "));
}

std::string Joined(const std::vector<std::string>& names) {
  return fmt::format("{}", fmt::join(names, ", "));
}

// The engine a command without --target works on: the --schema's, else the only one the
// project's schema sources have among those the command serves.
Result<const backend::Backend*> PickEngine(const Context& ctx, const TargetFlags& flags,
                                           Needs needs) {
  if (flags.schema) {
    const SchemaSource* s = ctx.project.Schema(*flags.schema);
    if (s == nullptr) {
      return Status::NotFound(fmt::format("no schema \"{}\" in the project", *flags.schema));
    }
    return &BackendOf(*s);
  }
  std::vector<const backend::Backend*> engines;
  for (const auto& [name, s] : ctx.project.schemas) {
    const backend::Backend* b = &BackendOf(s);
    if (Serves(*b, needs) && std::find(engines.begin(), engines.end(), b) == engines.end()) {
      engines.push_back(b);
    }
  }
  if (engines.size() == 1) return engines.front();
  if (engines.empty()) {
    return Status::NotFound(fmt::format(
        "the project has no {} schema; add one under schemas: in {}", EngineNames(needs, false),
        ctx.project.ConfigName()));
  }
  std::vector<std::string> names;
  for (const auto* b : engines) names.emplace_back(b->name());
  return Status::InvalidArgument(fmt::format(
      "the project has {} schemas; choose a target with --target ({}) or a schema with --schema",
      fmt::format("{}", fmt::join(names, " and ")), TargetNames(ctx)));
}

// The strata.yaml target --target names, or the only one of `engine`; nullptr for the
// environment.
Result<const TargetConfig*> PickTarget(const Context& ctx, const TargetFlags& flags, Needs needs,
                                       const backend::Backend** engine) {
  if (flags.target) {
    auto it = ctx.project.targets.find(*flags.target);
    if (it == ctx.project.targets.end()) {
      return Status::InvalidArgument(fmt::format(
          "no target \"{}\" in {} (targets: {}); add it under targets: with engine: {}",
          *flags.target, ctx.project.ConfigName(), TargetNames(ctx), EngineNames(needs, false)));
    }
    const backend::Backend* b = backend::Named(it->second.engine);
    if (b != nullptr && !Serves(*b, needs)) {
      return Status::InvalidArgument(fmt::format(
          "target {} is not a {} target (engine: {}); this command needs engine: {}",
          *flags.target, EngineNames(needs, true), it->second.engine, EngineNames(needs, false)));
    }
    *engine = b;  // null when the engine is unknown: ResolveTarget says so with the line
    return &it->second;
  }
  STRATA_ASSIGN_OR_RETURN(*engine, PickEngine(ctx, flags, needs));
  std::vector<const TargetConfig*> same;
  for (const auto& [name, t] : ctx.project.targets) {
    if (t.engine == (*engine)->name()) same.push_back(&t);
  }
  if (same.size() > 1) {
    std::vector<std::string> names;
    for (const TargetConfig* t : same) names.push_back(t->name);
    return Status::InvalidArgument(fmt::format("{} has several {} targets ({}); choose one with --target",
                                               ctx.project.ConfigName(), (*engine)->name(),
                                               Joined(names)));
  }
  return same.empty() ? nullptr : same.front();
}

// The schema source a target of `engine` deploys: --schema, or the only source of its engine.
Result<const SchemaSource*> PickSource(const Context& ctx, const TargetFlags& flags,
                                       const backend::Backend& engine, bool required) {
  if (flags.schema) {
    const SchemaSource* s = ctx.project.Schema(*flags.schema);
    if (s == nullptr) {
      return Status::NotFound(fmt::format("no schema \"{}\" in the project", *flags.schema));
    }
    if (s->engine != engine.engine()) {
      return Status::InvalidArgument(fmt::format("schema {} is not a {} schema; the target is",
                                                 s->name, engine.name()));
    }
    return s;
  }
  std::vector<const SchemaSource*> same;
  for (const auto& [name, s] : ctx.project.schemas) {
    if (s.engine == engine.engine()) same.push_back(&s);
  }
  if (same.size() == 1) return same.front();
  if (same.empty()) {
    if (!required) return nullptr;
    return Status::NotFound(fmt::format(
        "the project has no {} schema; add one under schemas: in {}", engine.name(),
        ctx.project.ConfigName()));
  }
  std::vector<std::string> names;
  for (const auto* s : same) names.push_back(s->name);
  return Status::InvalidArgument(fmt::format("the project has several {} schemas ({}); choose one with --schema",
                                             engine.name(), Joined(names)));
}

// Applies the setting flags given on the command line to the resolved spec.
Status ApplyFlags(const TargetFlags& flags, const backend::Backend& b, backend::TargetSpec* spec) {
  for (const auto& [flag, value] : flags.flags) {
    bool known = false;
    for (const auto& s : b.target_settings()) {
      if (s.flag == flag) {
        spec->settings[s.key] = value;
        known = true;
      }
    }
    if (!known) {
      return Status::InvalidArgument(
          fmt::format("--{} does not apply to {} targets", flag, b.name()));
    }
  }
  return Status::Ok();
}

// "orders, users" or "a, b, ... and 980 more": what is there, for a pattern that matched none.
std::string Listing(const std::vector<std::string>& names) {
  constexpr size_t kShown = 20;
  if (names.empty()) return "it has none";
  if (names.size() <= kShown) return fmt::format("it has: {}", Joined(names));
  return fmt::format("it has: {}, ... and {} more",
                     Joined({names.begin(), names.begin() + kShown}), names.size() - kShown);
}

// Glue stores names in lower case, so "Sales.*" matching nothing is most likely a case slip.
std::string CaseHint(const std::vector<std::string>& unmatched,
                     const std::vector<std::string>& names) {
  for (const std::string& p : unmatched) {
    auto near = MatchesIgnoringCase(p, names);
    if (near.empty()) continue;
    return fmt::format(" (patterns match case-sensitively; \"{}\" differs only in case from {}{})",
                       p, near.front(), near.size() > 1 ? " and others" : "");
  }
  return "";
}

}  // namespace

void AddFilterOptions(po::options_description& o) {
  o.add_options()("filter,t", po::value<std::vector<std::string>>()->composing(),
                  "only objects whose name matches PATTERN (* for any characters: orders_*, "
                  "sales.*, *.logs); repeat for more");
}

ObjectFilter ReadFilter(const po::variables_map& vm, const std::vector<std::string>& names) {
  std::vector<std::string> patterns = names;
  if (vm.count("filter")) {
    for (const auto& p : vm["filter"].as<std::vector<std::string>>()) patterns.push_back(p);
  }
  auto filter = ObjectFilter::Make(patterns);
  if (!filter.ok()) throw UsageError{filter.status().message()};
  return std::move(filter).value();
}

std::string FilterFlags(const std::vector<std::string>& patterns) {
  std::vector<std::string> flags;
  for (const auto& p : patterns) {
    const bool plain = std::all_of(p.begin(), p.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
    flags.push_back(plain ? "-t " + p : "-t '" + p + "'");
  }
  return fmt::format("{}", fmt::join(flags, " "));
}

Result<std::set<std::string>> SelectNames(const ObjectFilter& filter,
                                          const std::vector<std::string>& names,
                                          const backend::Backend& backend,
                                          const std::string& where) {
  ObjectFilter::Selection s = filter.Select(names, backend.engine());
  if (s.unmatched.empty()) return std::move(s.objects);
  // A plain name reads as one ("no table ghost on ..."), a pattern as what it is.
  std::vector<std::string> plain, quoted, parts;
  for (const auto& p : s.unmatched) {
    if (p.find('*') == std::string::npos) plain.push_back(p);
    else quoted.push_back(fmt::format("\"{}\"", p));
  }
  const std::string_view noun = backend.object_noun();
  if (!plain.empty()) parts.push_back(fmt::format("no {} {} {}", noun, fmt::join(plain, " or "), where));
  if (!quoted.empty()) {
    parts.push_back(fmt::format("no {} {} matches {}", noun, where, fmt::join(quoted, " or ")));
  }
  std::vector<std::string> sorted = names;
  std::sort(sorted.begin(), sorted.end());
  return Status::InvalidArgument(fmt::format("{}{}; {}", fmt::join(parts, "; "),
                                             CaseHint(s.unmatched, sorted), Listing(sorted)));
}

Result<std::unique_ptr<backend::Live>> ReadSelected(const Reach& reach, const ObjectFilter& filter) {
  if (filter.everything()) return reach.target->Read(backend::ReadRequest{});
  STRATA_ASSIGN_OR_RETURN(std::vector<std::string> names, reach.target->Names());
  STRATA_ASSIGN_OR_RETURN(std::set<std::string> selected,
                          SelectNames(filter, names, *reach.backend, "on " + reach.target->Text()));
  backend::ReadRequest r;
  r.only = std::vector<std::string>(selected.begin(), selected.end());
  r.missing_ok = true;  // one deleted since it was listed is simply not there any more
  return reach.target->Read(r);
}

void AddTargetOptions(po::options_description& o) {
  o.add_options()("target", po::value<std::string>(),
                  "a target in strata.yaml (default: the only one of the schema's engine, else "
                  "the environment)")(
      "schema", po::value<std::string>(), "which schema source (default: the only one of the "
                                          "target's engine)");
  for (const auto& [flag, help] : SettingFlags()) {
    o.add_options()(flag.c_str(), po::value<std::string>(), help.c_str());
  }
  o.add_options()("concurrency", po::value<int>()->default_value(16),
                  "objects read at once (1: one request at a time)");
}

TargetFlags ReadTargetFlags(const po::variables_map& vm) {
  TargetFlags f;
  f.target = OptArg(vm, "target");
  f.schema = OptArg(vm, "schema");
  for (const auto& [flag, help] : SettingFlags()) {
    if (auto v = OptArg(vm, flag.c_str())) f.flags[flag] = *v;
  }
  if (vm.count("concurrency")) {
    f.concurrency = vm["concurrency"].as<int>();
    if (f.concurrency < 1 || f.concurrency > 256) {
      throw UsageError{"--concurrency takes a number from 1 to 256"};
    }
  }
  return f;
}

Result<Reach> OpenReach(const Context& ctx, const TargetFlags& flags, const ReachOptions& options) {
  Reach r;
  STRATA_ASSIGN_OR_RETURN(const TargetConfig* config,
                          PickTarget(ctx, flags, options.needs, &r.backend));
  if (config != nullptr) {
    STRATA_ASSIGN_OR_RETURN(r.spec, ResolveTarget(*config, ctx.getenv));
    r.backend = backend::ForEngine(r.spec.engine);
  } else {
    r.spec.engine = r.backend->engine();
  }
  STRATA_ASSIGN_OR_RETURN(r.source, PickSource(ctx, flags, *r.backend, options.source_required));
  STRATA_RETURN_IF_ERROR(ApplyFlags(flags, *r.backend, &r.spec));
  backend::Services services = ServicesFor(ctx);
  services.concurrency = flags.concurrency;
  STRATA_ASSIGN_OR_RETURN(r.target, r.backend->OpenTarget(r.spec, services));
  return r;
}

Result<std::set<std::string>> ManagedObjects(const Context& ctx, const SchemaSource& source,
                                             bool lenient) {
  std::set<std::string> names;
  auto desired = BackendOf(source).declarative() ? BackendOf(source).LoadDesired(source)
                                                 : Result<pb::SchemaState>(pb::SchemaState());
  if (desired.ok()) {
    for (auto& n : ObjectNames(*desired)) names.insert(std::move(n));
  } else if (desired.status().code() != Code::kNotFound) {
    if (!lenient) return desired.status();
    ctx.Note(fmt::format("warning: {}; managed marks come from the log only",
                         desired.status().message()));
  }
  auto logged = [&]() -> Result<std::set<std::string>> {
    STRATA_ASSIGN_OR_RETURN(auto history, OpenHistory(ctx));
    return history->ObjectsEverRecorded(source.name);
  }();
  if (!logged.ok()) {
    if (!lenient) return logged.status();
    ctx.Note(fmt::format("warning: reading the log: {}; managed marks come from the schema files only",
                         logged.status().message()));
  } else {
    names.insert(logged->begin(), logged->end());
  }
  return names;
}

std::vector<std::string> LiveWarnings(const backend::Live& live,
                                      const std::set<std::string>* names) {
  std::vector<std::string> out;
  for (const auto& o : live.Objects()) {
    if (names != nullptr && !names->count(o.name)) continue;
    out.insert(out.end(), o.warnings.begin(), o.warnings.end());
  }
  return out;
}

void PrintWarnings(const Context& ctx, const std::vector<std::string>& warnings) {
  if (ctx.json) return;
  for (const auto& w : warnings) ctx.Note("warning: " + w);
}

}  // namespace strata::cli
