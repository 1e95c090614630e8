#include "cli/aws_target.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "adapters/dynamodb/table_dir.h"
#include "cli/commands.h"
#include "cli/generate.h"
#include "cli/history.h"
#include "engine/state/objects.h"

namespace strata::cli {
namespace po = boost::program_options;

namespace {

// The settings a dynamodb target may have; anything else is most likely a typo, and a typo in
// `endpoint` would send requests to AWS itself.
const std::set<std::string>& KnownSettings() {
  static const std::set<std::string> kKnown = {"engine", "region", "endpoint", "profile"};
  return kKnown;
}

bool IsDynamo(const Target& t) {
  auto it = t.settings.find("engine");
  return it != t.settings.end() && it->second == "dynamodb";
}

std::string TargetNames(const Context& ctx) {
  std::vector<std::string> names;
  for (const auto& [name, t] : ctx.project.targets) names.push_back(name);
  return names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "));
}

// The target --target names, the only dynamodb target, or none (environment only).
Result<const Target*> PickTarget(const Context& ctx, const std::optional<std::string>& name) {
  const std::string where =
      ctx.project.config_path.empty() ? "strata.yaml" : ctx.project.config_path;
  if (name) {
    auto it = ctx.project.targets.find(*name);
    if (it == ctx.project.targets.end()) {
      return Status::InvalidArgument(fmt::format(
          "no target \"{}\" in {} (targets: {}); add it under targets: with engine: dynamodb",
          *name, where, TargetNames(ctx)));
    }
    if (!IsDynamo(it->second)) {
      auto engine = it->second.settings.find("engine");
      return Status::InvalidArgument(fmt::format(
          "target {} is not a DynamoDB target (engine: {}); this command needs engine: dynamodb",
          *name, engine == it->second.settings.end() ? "unset" : engine->second));
    }
    return &it->second;
  }
  std::vector<const Target*> dynamo;
  for (const auto& [n, t] : ctx.project.targets) {
    if (IsDynamo(t)) dynamo.push_back(&t);
  }
  if (dynamo.size() > 1) {
    std::vector<std::string> names;
    for (const Target* t : dynamo) names.push_back(t->name);
    return Status::InvalidArgument(
        fmt::format("{} has several dynamodb targets ({}); choose one with --target", where,
                    fmt::join(names, ", ")));
  }
  return dynamo.empty() ? nullptr : dynamo.front();
}

Status CheckSettings(const Target& t) {
  for (const auto& [key, value] : t.settings) {
    if (!KnownSettings().count(key)) {
      return Status::InvalidArgument(fmt::format(
          "target {}: unknown setting \"{}\"; a dynamodb target takes engine, region, endpoint "
          "and profile",
          t.name, key));
    }
  }
  return Status::Ok();
}

std::string Setting(const Target* t, const char* key) {
  if (t == nullptr) return "";
  auto it = t->settings.find(key);
  return it == t->settings.end() ? "" : it->second;
}

std::string FirstEnv(const Context& ctx, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (auto v = ctx.getenv(n); v && !v->empty()) return *v;
  }
  return "";
}

// The endpoint requests go to, for messages and deployment records: what the session will
// use (explicit URL, then AWS_ENDPOINT_URL_DYNAMODB, then AWS_ENDPOINT_URL, then AWS's own).
std::string EndpointLabel(const Context& ctx, const std::string& explicit_url,
                          const std::string& region) {
  if (!explicit_url.empty()) return explicit_url;
  std::string env = FirstEnv(ctx, {"AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL"});
  if (!env.empty()) return env;
  return fmt::format("https://dynamodb.{}.amazonaws.com", region);
}

// Proxies as curl users set them, the lower-case names first.
aws::HttpOptions HttpFromEnv(const Context& ctx) {
  aws::HttpOptions http;
  http.https_proxy = FirstEnv(ctx, {"https_proxy", "HTTPS_PROXY"});
  http.http_proxy = FirstEnv(ctx, {"http_proxy", "HTTP_PROXY"});
  http.no_proxy = FirstEnv(ctx, {"no_proxy", "NO_PROXY"});
  return http;
}

}  // namespace

void AddTargetOptions(po::options_description& o) {
  o.add_options()("target", po::value<std::string>(),
                  "a dynamodb target in strata.yaml (default: the only one, else the AWS "
                  "environment)")("region", po::value<std::string>(),
                                  "AWS region (overrides the target's)")(
      "profile", po::value<std::string>(), "AWS profile (overrides the target's)")(
      "endpoint-url", po::value<std::string>(),
      "DynamoDB endpoint, e.g. http://127.0.0.1:8000 (overrides the target's)")(
      "concurrency", po::value<int>()->default_value(16),
      "tables described at once (1: one request at a time)");
}

TargetFlags ReadTargetFlags(const po::variables_map& vm) {
  TargetFlags f;
  f.target = OptArg(vm, "target");
  f.region = OptArg(vm, "region");
  f.profile = OptArg(vm, "profile");
  f.endpoint = OptArg(vm, "endpoint-url");
  if (vm.count("concurrency")) {
    f.concurrency = vm["concurrency"].as<int>();
    if (f.concurrency < 1 || f.concurrency > 256) {
      throw UsageError{"--concurrency takes a number from 1 to 256"};
    }
  }
  return f;
}

Result<DynamoTarget> OpenDynamoTarget(const Context& ctx, const TargetFlags& flags) {
  STRATA_ASSIGN_OR_RETURN(const Target* target, PickTarget(ctx, flags.target));
  if (target != nullptr) STRATA_RETURN_IF_ERROR(CheckSettings(*target));
  aws::SessionOptions o;
  o.getenv = ctx.getenv;
  o.home_dir = FirstEnv(ctx, {"HOME"});
  o.region = flags.region.value_or(Setting(target, "region"));
  o.profile = flags.profile.value_or(Setting(target, "profile"));
  o.endpoint_url = flags.endpoint.value_or(Setting(target, "endpoint"));
  o.http = HttpFromEnv(ctx);
  const std::string label_for = target ? "target " + target->name : "the AWS environment";
  DynamoTarget t;
  t.name = target ? target->name : "";
  t.concurrency = flags.concurrency;
  auto session = aws::Session::Open(o);
  if (!session.ok()) return session.status().WithContext(label_for);
  t.session = std::move(session).value();
  t.endpoint = EndpointLabel(ctx, o.endpoint_url, t.session->region());
  auto ddb = t.session->Json("dynamodb");
  if (!ddb.ok()) return ddb.status().WithContext(label_for);
  t.ddb = std::move(ddb).value();
  return t;
}

int64_t SteadyMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t PollIntervalMs(const Context& ctx) {
  auto v = ctx.getenv("STRATA_POLL_INTERVAL_MS");
  if (!v) return 1000;
  try {
    return std::clamp<int64_t>(std::stoll(*v), 10, 60000);
  } catch (const std::exception&) {
    return 1000;
  }
}

void AddCallerToActor(Context& ctx, DynamoTarget& t) {
  auto caller = t.session->Caller();
  if (caller.ok() && !caller->arn.empty()) ctx.actor.set_cloud_principal(caller->arn);
}

Result<std::set<std::string>> DynamoTablesInFiles(const SchemaSource& schema) {
  std::error_code ec;
  if (!std::filesystem::is_directory(schema.path, ec)) return std::set<std::string>();
  STRATA_ASSIGN_OR_RETURN(pb::DynamoSchema files, dynamodb::LoadTableDir(schema.path));
  std::set<std::string> names;
  for (const auto& [name, table] : files.tables()) names.insert(name);
  return names;
}

Result<std::set<std::string>> DynamoTablesInLog(const Context& ctx, const std::string& schema) {
  STRATA_ASSIGN_OR_RETURN(auto history, History::Open(ctx));
  CommitFilter filter;
  filter.schema = schema;
  STRATA_ASSIGN_OR_RETURN(std::vector<CommitSummary> commits, history->index().Commits(filter));
  std::set<std::string> names;
  for (const CommitSummary& c : commits) {
    if (c.event_count == 0) continue;
    STRATA_ASSIGN_OR_RETURN(StoredCommit stored, history->reader().ReadAt(c.position));
    for (const pb::Event& e : stored.commit.events()) {
      if (!e.has_dynamodb()) continue;
      std::string table = DynamoTableOf(e.dynamodb());
      if (!table.empty()) names.insert(std::move(table));
    }
  }
  return names;
}

Result<std::set<std::string>> ManagedDynamoTables(const Context& ctx) {
  STRATA_ASSIGN_OR_RETURN(const SchemaSource* schema, PickDynamoSchema(ctx, std::nullopt));
  STRATA_ASSIGN_OR_RETURN(std::set<std::string> names, DynamoTablesInFiles(*schema));
  STRATA_ASSIGN_OR_RETURN(std::set<std::string> logged, DynamoTablesInLog(ctx, schema->name));
  names.insert(logged.begin(), logged.end());
  return names;
}

}  // namespace strata::cli
