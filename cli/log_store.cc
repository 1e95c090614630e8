#include "cli/log_store.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "adapters/aws/s3_log_store.h"
#include "adapters/aws/session.h"
#include "adapters/dynamodb/log_store.h"
#include "adapters/postgres/log_store.h"

namespace strata::cli {
namespace {

// One shared store kind: the schemes that name it and how to open one.
struct LogScheme {
  std::string_view scheme;
  Result<std::shared_ptr<LogStore>> (*open)(const std::string& url);
};

Result<std::shared_ptr<LogStore>> OpenPostgres(const std::string& url) {
  STRATA_ASSIGN_OR_RETURN(auto options, postgres::ParseLogUrl(url));
  STRATA_ASSIGN_OR_RETURN(auto store, postgres::PostgresLogStore::Open(std::move(options)));
  return std::shared_ptr<LogStore>(std::move(store));
}

// The AWS environment of this process (region, profile, endpoints, credentials), as a target
// without settings of its own sees it.
std::optional<std::string> ProcessEnv(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

Result<std::shared_ptr<LogStore>> OpenS3(const std::string& url) {
  STRATA_ASSIGN_OR_RETURN(auto store, aws::OpenS3LogStore(url, ProcessEnv));
  return std::shared_ptr<LogStore>(std::move(store));
}

// The session is the targets' own (adapters/aws/session.h): the URL's region, endpoint and
// profile, otherwise the AWS environment and its credential chain.
Result<std::shared_ptr<LogStore>> OpenDynamo(const std::string& url) {
  STRATA_ASSIGN_OR_RETURN(auto options, dynamodb::ParseLogUrl(url));
  aws::ServiceSessionOptions so;
  so.region = options.region;
  so.profile = options.profile;
  so.endpoint_url = options.endpoint;
  so.service = "dynamodb";
  so.getenv = ProcessEnv;
  STRATA_ASSIGN_OR_RETURN(aws::ServiceSession ss, aws::OpenServiceSession(so));
  options.endpoint_used = ss.endpoint;
  options.region_used = ss.session->region();
  options.now_micros = [] {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  options.random = [rng = std::make_shared<std::mt19937_64>(std::random_device{}())] {
    return (*rng)();
  };
  options.sleep_ms = [](int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  options.steady_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  STRATA_ASSIGN_OR_RETURN(auto store,
                          dynamodb::DynamoLogStore::Open(std::move(ss.client), std::move(options)));
  return std::shared_ptr<LogStore>(std::move(store));
}

constexpr LogScheme kSchemes[] = {
    {"postgres", OpenPostgres},
    {"postgresql", OpenPostgres},
    {"s3", OpenS3},
    {"dynamodb", OpenDynamo},
};

const LogScheme* SchemeOf(std::string_view url) {
  const size_t colon = url.find("://");
  if (colon == std::string_view::npos) return nullptr;
  for (const LogScheme& s : kSchemes) {
    if (url.substr(0, colon) == s.scheme) return &s;
  }
  return nullptr;
}

std::string SchemeList() {
  std::string out;
  for (const LogScheme& s : kSchemes) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{}://", s.scheme);
  }
  return out;
}

}  // namespace

Status CheckLogUrlScheme(std::string_view url, std::string_view where) {
  if (SchemeOf(url) != nullptr) return Status::Ok();
  return Status::InvalidArgument(fmt::format(
      "{}: this strata keeps shared logs at {} URLs, not {}; use one of those or a directory",
      where, SchemeList(), url));
}

Result<std::shared_ptr<LogStore>> OpenLogStoreUrl(const std::string& url) {
  const LogScheme* s = SchemeOf(url);
  if (s == nullptr) return CheckLogUrlScheme(url, "log");
  return s->open(url);
}

Result<std::shared_ptr<LogStore>> OpenSharedLogStore(const Context& ctx) {
  if (ctx.project.log_url.empty()) return std::shared_ptr<LogStore>();
  auto store = OpenLogStoreUrl(ctx.project.log_url);
  if (!store.ok()) {
    return store.status().WithContext(
        fmt::format("{}: opening the shared log", ctx.project.log_where));
  }
  return std::move(*store);
}

}  // namespace strata::cli
