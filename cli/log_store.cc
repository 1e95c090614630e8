#include "cli/log_store.h"

#include <fmt/format.h>

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

constexpr LogScheme kSchemes[] = {
    {"postgres", OpenPostgres},
    {"postgresql", OpenPostgres},
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
