// strata log pull | status: the local mirror of a shared log against its store
// (docs/team-log.md, "The local mirror").
#include <fmt/format.h>

#include <ostream>

#include "cli/commands.h"
#include "cli/log_store.h"
#include "cli/mirror.h"
#include "engine/refs/refs.h"
#include "engine/store/local_log_store.h"

namespace strata::cli {
namespace po = boost::program_options;
using json = nlohmann::ordered_json;

namespace {

// A project whose log is a directory has nothing to pull: said, not an error.
int NotShared(Context& ctx, const char* what) {
  if (ctx.json) {
    ctx.PrintJson({{"version", 1}, {"shared", false}, {"log", ctx.project.log_dir}});
  } else {
    *ctx.out << fmt::format("The log is the directory {}; {} is for a shared log (log: URL in "
                            "strata.yaml)\n",
                            ctx.project.log_dir, what);
  }
  return kExitOk;
}

json HeadJson(const Head& h) {
  return {{"seq", h.seq}, {"hash", h.seq == 0 ? "" : HashHex(h.hash)}};
}

std::string HeadText(const Head& h) {
  return h.seq == 0 ? "empty" : fmt::format("seq {} ({})", h.seq, HashHex(h.hash).substr(0, 12));
}

}  // namespace

CommandResult RunLogPull(Context& ctx) {
  const CommandFlags spec = LogPullFlags();
  const po::options_description& o = spec.options;
  ParseArgs(ctx, o, {});
  if (ctx.project.log_url.empty()) return NotShared(ctx, "`strata log pull`");
  STRATA_ASSIGN_OR_RETURN(auto store, SharedStore(ctx));
  const std::string dir = MirrorDir(ctx.project);
  STRATA_ASSIGN_OR_RETURN(PullReport r, PullMirror(ctx, *store, dir, true));
  if (ctx.json) {
    ctx.PrintJson({{"version", 1},
                   {"shared", true},
                   {"store", store->Describe()},
                   {"mirror", dir},
                   {"pulled", r.pulled},
                   {"from", HeadJson(r.before)},
                   {"head", HeadJson(r.after)}});
  } else if (r.pulled == 0) {
    *ctx.out << fmt::format("Up to date with {}: {}\n", store->Describe(), HeadText(r.after));
  } else {
    *ctx.out << fmt::format("Pulled {} commit{} from {}: {} -> {}\n", r.pulled,
                            r.pulled == 1 ? "" : "s", store->Describe(), HeadText(r.before),
                            HeadText(r.after));
  }
  return kExitOk;
}

CommandResult RunLogStatus(Context& ctx) {
  const CommandFlags spec = LogStatusFlags();
  const po::options_description& o = spec.options;
  ParseArgs(ctx, o, {});
  if (ctx.project.log_url.empty()) return NotShared(ctx, "`strata log status`");
  const std::string dir = MirrorDir(ctx.project);
  LocalLogStoreOptions mo;
  mo.env = ctx.env;
  mo.dir = dir;
  STRATA_ASSIGN_OR_RETURN(auto mirror, LocalLogStore::Open(std::move(mo)));
  STRATA_ASSIGN_OR_RETURN(Head local, mirror->ReadHead());
  const std::optional<PullState> pulled = ReadPullState(ctx.env, dir);
  std::optional<Head> remote;
  Status unreachable;
  auto store = SharedStore(ctx);
  if (store.ok()) {
    auto head = (*store)->ReadHead();
    if (head.ok()) remote = *head;
    else unreachable = head.status();
  } else {
    unreachable = store.status();
  }
  if (!unreachable.ok() && unreachable.code() != Code::kUnavailable) return unreachable;
  const uint64_t behind = remote && remote->seq > local.seq ? remote->seq - local.seq : 0;
  if (ctx.json) {
    json j = {{"version", 1},
              {"shared", true},
              {"url", ctx.project.log_url},
              {"mirror", {{"dir", dir}, {"seq", local.seq}, {"hash", HeadJson(local)["hash"]}}},
              {"remote", remote ? HeadJson(*remote) : json(nullptr)},
              {"behind", remote ? json(behind) : json(nullptr)},
              {"last_pull", pulled ? json{{"time", FormatTime(pulled->pulled_at)},
                                          {"seq", pulled->seq}}
                                   : json(nullptr)}};
    if (!unreachable.ok()) j["error"] = unreachable.message();
    ctx.PrintJson(j);
    return kExitOk;
  }
  *ctx.out << "store      " << (store.ok() ? (*store)->Describe() : ctx.project.log_url) << "\n";
  *ctx.out << "mirror     " << HeadText(local) << "  " << ProjectRelative(ctx, dir) << "\n";
  if (remote) {
    *ctx.out << "remote     " << HeadText(*remote)
             << (behind == 0 ? "  (up to date)"
                             : fmt::format("  ({} commit{} behind: strata log pull)", behind,
                                           behind == 1 ? "" : "s"))
             << "\n";
  } else {
    *ctx.out << "remote     cannot be reached: " << unreachable.message() << "\n";
  }
  *ctx.out << "last pull  "
           << (pulled ? fmt::format("{} (seq {})", FormatTime(pulled->pulled_at), pulled->seq)
                      : std::string("never"))
           << "\n";
  return kExitOk;
}

CommandFlags LogPullFlags() {
  CommandFlags f{po::options_description("log pull options"), {}};
  return f;
}

CommandFlags LogStatusFlags() {
  CommandFlags f{po::options_description("log status options"), {}};
  return f;
}

}  // namespace strata::cli
