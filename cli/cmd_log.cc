// strata log: commits newest first, with filters.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <ostream>

#include "cli/commands.h"
#include "cli/describe.h"
#include "cli/objects_view.h"
#include "cli/signing.h"
#include "engine/state/objects.h"

namespace strata::cli {
namespace po = boost::program_options;

namespace {

Result<pb::Origin> ParseOrigin(const std::string& name) {
  for (int i = pb::Origin_MIN + 1; i <= pb::Origin_MAX; ++i) {
    auto o = static_cast<pb::Origin>(i);
    if (pb::Origin_IsValid(i) && OriginName(o) == name) return o;
  }
  return Status::InvalidArgument(fmt::format(
      "unknown origin \"{}\"; use generate, migrate, import, drop, deploy, push, recovered or tag",
      name));
}

Result<int64_t> ParseInstant(const std::string& text) {
  std::string t = text.rfind('@', 0) == 0 ? text : "@" + text;
  STRATA_ASSIGN_OR_RETURN(Ref ref, ParseRef(t));
  if (ref.kind != Ref::Kind::kTime || ref.back != 0) {
    return Status::InvalidArgument(fmt::format(
        "\"{}\" is not a time; use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", text));
  }
  return ref.unix_micros;
}

// Whether an event is about `object`: it touches the object, something inside it, or an
// object it lives in as a whole (a dropped Glue database). A commit that touched `object`
// may hold other objects' events too; `log OBJECT --events` lists only these.
bool Concerns(const pb::Event& event, const std::string& object) {
  const std::vector<std::string> parents = ObjectAndParents(object);
  for (const std::string& t : TouchedObjects(event, pb::SchemaState())) {
    if (t.rfind(object + ".", 0) == 0) return true;
    if (std::find(parents.begin(), parents.end(), t) != parents.end()) return true;
  }
  return false;
}

const char* OutcomeName(pb::DeploymentOutcome o) {
  return o == pb::DEPLOYMENT_SUCCEEDED ? "succeeded"
         : o == pb::DEPLOYMENT_PARTIAL ? "partial"
                                       : "failed";
}

const char* ObjectResultName(pb::DeploymentObjectResult r) {
  switch (r) {
    case pb::DEPLOYMENT_OBJECT_DONE: return "done";
    case pb::DEPLOYMENT_OBJECT_FAILED: return "failed";
    case pb::DEPLOYMENT_OBJECT_PENDING: return "pending";
    case pb::DEPLOYMENT_OBJECT_SKIPPED: return "skipped";
    case pb::DEPLOYMENT_OBJECT_NOT_RUN: return "not run";
    default: return "unknown";
  }
}

nlohmann::ordered_json DeploymentJson(const pb::Deployment& d) {
  nlohmann::ordered_json j = {{"target", d.target()},     {"from_seq", d.from_seq()},
                              {"to_seq", d.to_seq()},     {"outcome", OutcomeName(d.outcome())},
                              {"detail", d.detail()}};
  if (d.objects_size() > 0) {
    j["objects"] = nlohmann::ordered_json::array();
    for (const auto& o : d.objects()) {
      j["objects"].push_back({{"name", o.name()},
                              {"result", ObjectResultName(o.result())},
                              {"steps_done", o.steps_done()},
                              {"steps", o.steps()},
                              {"detail", o.detail()}});
    }
  }
  return j;
}

nlohmann::ordered_json CommitJson(const CommitSummary& c, const std::vector<pb::Event>* events) {
  nlohmann::ordered_json j = {{"seq", c.seq},
                      {"hash", HashHex(c.hash)},
                      {"time", FormatTime(c.time_unix_micros)},
                      {"actor", {{"name", c.actor_name}, {"email", c.actor_email}}},
                      {"origin", OriginName(c.origin)},
                      {"schema", c.schema},
                      {"message", c.message},
                      {"event_count", c.event_count}};
  if (events != nullptr) {
    j["events"] = nlohmann::ordered_json::array();
    for (const auto& e : *events) j["events"].push_back(EventJson(e));
  }
  return j;
}

void PrintCommit(const Context& ctx, const CommitSummary& c, const std::vector<pb::Event>* events,
                 const pb::Deployment* deployment, const sign::SignatureCheck* signature) {
  std::string who = c.actor_email.empty() ? c.actor_name
                                          : fmt::format("{} <{}>", c.actor_name, c.actor_email);
  *ctx.out << ctx.Paint(Color::kYellow, fmt::format("{:>5}  {}", c.seq, HashHex(c.hash).substr(0, 12)))
           << "  " << FormatTime(c.time_unix_micros) << "  " << who << "  "
           << ctx.Paint(Color::kCyan, OriginName(c.origin))
           << (c.schema.empty() ? "" : " " + c.schema) << "\n";
  if (signature != nullptr) {
    *ctx.out << "       " << ctx.Paint(SignatureColor(*signature), signature->Describe()) << "\n";
  }
  if (!c.message.empty()) *ctx.out << "       " << c.message << "\n";
  if (deployment != nullptr && !deployment->detail().empty()) {
    // What the deployment did beyond its message: protection lifted, a step held for later.
    *ctx.out << "       " << OutcomeName(deployment->outcome()) << ": " << deployment->detail()
             << "\n";
  }
  if (deployment != nullptr && deployment->outcome() != pb::DEPLOYMENT_SUCCEEDED) {
    // Which objects got all their steps and which did not.
    for (const auto& o : deployment->objects()) {
      *ctx.out << "       " << o.name() << ": " << ObjectResultName(o.result())
               << fmt::format(" ({} of {})", o.steps_done(), o.steps()) << "\n";
    }
  }
  if (events != nullptr) {
    for (const auto& e : *events) {
      // The sign is the object's ("~ public.users: create index ..."): a line reading
      // "+ public.users" would say the table was added.
      EventText t = Describe(e);
      *ctx.out << "       " << ObjectSign(e) << " " << t.object << ": " << t.text << "\n";
    }
  } else if (c.event_count > 0) {
    *ctx.out << ctx.Paint(Color::kDim, fmt::format("       ({} change{})", c.event_count,
                                                   c.event_count == 1 ? "" : "s"))
             << "\n";
  }
}

}  // namespace

CommandResult RunLog(Context& ctx) {
  // Subcommands; an object of one of these names is written SCHEMA:NAME.
  if (!ctx.args.empty() && (ctx.args[0] == "pull" || ctx.args[0] == "status" ||
                            ctx.args[0] == "push")) {
    const std::string sub = ctx.args[0];
    ctx.args.erase(ctx.args.begin());
    if (sub == "pull") return RunLogPull(ctx);
    if (sub == "status") return RunLogStatus(ctx);
    return RunLogPush(ctx);
  }
  const CommandFlags spec = LogFlags();
  const po::options_description& o = spec.options;
  const po::positional_options_description& p = spec.positional;
  auto vm = ParseArgs(ctx, o, p);

  CommitFilter f;
  if (vm.count("object")) {
    // As show names it: SCHEMA:NAME, and the quoted form ("public.\"my.table\"") too.
    STRATA_ASSIGN_OR_RETURN(ObjectRef ref, ParseObjectRef(vm["object"].as<std::string>()));
    f.object = ref.name;
    f.schema = ref.schema;
  }
  if (vm.count("actor")) f.actor = vm["actor"].as<std::string>();
  if (vm.count("since")) {
    STRATA_ASSIGN_OR_RETURN(f.since_micros, ParseInstant(vm["since"].as<std::string>()));
  }
  if (vm.count("until")) {
    STRATA_ASSIGN_OR_RETURN(f.until_micros, ParseInstant(vm["until"].as<std::string>()));
  }
  if (vm.count("origin")) {
    STRATA_ASSIGN_OR_RETURN(f.origin, ParseOrigin(vm["origin"].as<std::string>()));
  }
  if (vm.count("max-count")) f.limit = vm["max-count"].as<uint64_t>();
  const bool with_events = vm["events"].as<bool>() || ctx.json;

  const bool show_signature = vm["show-signature"].as<bool>();
  TrustFiles trust;
  if (show_signature) {
    STRATA_ASSIGN_OR_RETURN(trust, LoadTrust(ctx));
  }

  STRATA_ASSIGN_OR_RETURN(auto history, OpenHistory(ctx));
  STRATA_ASSIGN_OR_RETURN(auto commits, history->index().Commits(f));
  nlohmann::ordered_json out = {{"version", 1}, {"commits", nlohmann::ordered_json::array()}};
  for (const auto& c : commits) {
    std::vector<pb::Event> events;
    std::optional<pb::Deployment> deployment;
    std::optional<sign::SignatureCheck> signature;
    if ((with_events && c.event_count > 0) || c.origin == pb::ORIGIN_DEPLOY || show_signature) {
      STRATA_ASSIGN_OR_RETURN(StoredCommit stored, history->reader().ReadAt(c.position));
      if (show_signature) {
        signature = sign::CheckCommitSignature(stored.payload, stored.commit.time_unix_micros(),
                                               trust.trust());
      }
      for (const auto& e : stored.commit.events()) {
        if (with_events && (!f.object || Concerns(e, *f.object))) events.push_back(e);
      }
      if (stored.commit.has_deployment()) deployment = stored.commit.deployment();
    }
    if (ctx.json) {
      auto j = CommitJson(c, &events);
      if (deployment) j["deployment"] = DeploymentJson(*deployment);
      if (signature) j["signature"] = SignatureJson(*signature);
      out["commits"].push_back(std::move(j));
    } else {
      PrintCommit(ctx, c, with_events ? &events : nullptr, deployment ? &*deployment : nullptr,
                  signature ? &*signature : nullptr);
    }
  }
  if (ctx.json) ctx.PrintJson(out);
  else if (commits.empty()) ctx.Note("no commits match");
  return kExitOk;
}

CommandFlags LogFlags() {
  CommandFlags f{po::options_description("log options"), {}};
  po::options_description& o = f.options;
  o.add_options()("object", po::value<std::string>(), "only commits that touched this object")(
      "actor", po::value<std::string>(), "only commits by this name or email")(
      "since", po::value<std::string>(), "only commits at or after this time")(
      "until", po::value<std::string>(), "only commits at or before this time")(
      "origin", po::value<std::string>(), "only commits of this origin")(
      "max-count,n", po::value<uint64_t>(), "at most N commits")("events,e", po::bool_switch(),
                                                                 "list each commit's changes")(
      "show-signature", po::bool_switch(), "check and show each commit's signature");
  po::positional_options_description& p = f.positional;
  p.add("object", 1);
  return f;
}

}  // namespace strata::cli
