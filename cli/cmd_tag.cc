// strata tag [NAME [REF]] [-d NAME]: name a point in history (a commit in the log), or list.
#include <fmt/format.h>

#include <ostream>

#include "cli/commands.h"

namespace strata::cli {
namespace po = boost::program_options;

namespace {

Result<int> ListTags(Context& ctx, History& history) {
  STRATA_ASSIGN_OR_RETURN(auto tags, history.index().Tags());
  nlohmann::ordered_json out = {{"version", 1}, {"tags", nlohmann::ordered_json::array()}};
  for (const auto& t : tags) {
    if (ctx.json) out["tags"].push_back({{"name", t.name}, {"seq", t.seq}, {"tagged_at", t.tagged_at_seq}});
    else *ctx.out << fmt::format("{:<24} seq {}\n", t.name, t.seq);
  }
  if (ctx.json) ctx.PrintJson(out);
  return kExitOk;
}

}  // namespace

CommandResult RunTag(Context& ctx) {
  const CommandFlags spec = TagFlags();
  const po::options_description& o = spec.options;
  const po::positional_options_description& p = spec.positional;
  auto vm = ParseArgs(ctx, o, p);

  if (!vm.count("name")) {
    STRATA_ASSIGN_OR_RETURN(auto history, OpenHistory(ctx));
    return ListTags(ctx, *history);
  }
  const std::string name = vm["name"].as<std::string>();
  STRATA_RETURN_IF_ERROR(ValidateTagName(name));
  const bool remove = vm["delete"].as<bool>();
  uint64_t target = 0;
  // Decided against the head the tag commit is appended to: a tag another process adds at
  // the same moment is seen here, never silently moved.
  auto make = [&](const record::HeadState&) -> Result<std::optional<record::Draft>> {
    STRATA_ASSIGN_OR_RETURN(auto history, OpenHistory(ctx));
    STRATA_ASSIGN_OR_RETURN(auto existing, history->index().TagSeq(name));
    if (remove) {
      if (!existing) return Status::NotFound(fmt::format("no tag \"{}\"", name));
      target = *existing;
    } else {
      if (existing && !vm["force"].as<bool>()) {
        return Status::AlreadyExists(fmt::format(
            "tag \"{}\" already names seq {}; use --force to move it", name, *existing));
      }
      STRATA_ASSIGN_OR_RETURN(target, history->Resolve(vm["ref"].as<std::string>()));
    }
    return std::optional<record::Draft>(record::Draft::Tag(
        name, target, remove,
                              vm.count("message") ? vm["message"].as<std::string>()
                                                  : fmt::format("{} tag {}", remove ? "delete" : "add", name)));
  };
  STRATA_ASSIGN_OR_RETURN(auto recorder, OpenRecorder(ctx));
  STRATA_ASSIGN_OR_RETURN(std::optional<StoredCommit> recorded, recorder->Record(make));
  const StoredCommit& stored = *recorded;  // a tag draft is never empty
  if (ctx.json) {
    ctx.PrintJson({{"version", 1}, {"tag", name}, {"seq", target}, {"deleted", remove},
                   {"commit", stored.commit.seq()}});
  } else {
    if (remove) {
      *ctx.out << fmt::format("Deleted tag {} (it named seq {}); recorded as commit {}\n", name,
                              target, stored.commit.seq());
    } else {
      *ctx.out << fmt::format("Tagged seq {} as {}; recorded as commit {}\n", target, name,
                              stored.commit.seq());
    }
  }
  return kExitOk;
}

CommandFlags TagFlags() {
  CommandFlags f{po::options_description("tag options"), {}};
  po::options_description& o = f.options;
  o.add_options()("name", po::value<std::string>(), "the tag")(
      "ref", po::value<std::string>()->default_value("HEAD"), "what it names")(
      "delete,d", po::bool_switch(), "remove the tag")(
      "force,f", po::bool_switch(), "move an existing tag")("message,m", po::value<std::string>(),
                                                            "why");
  po::positional_options_description& p = f.positional;
  p.add("name", 1).add("ref", 1);
  return f;
}

}  // namespace strata::cli
