#include "cli/log_store.h"

#include <fmt/format.h>

#include "adapters/postgres/log_store.h"

namespace strata::cli {

Result<std::shared_ptr<LogStore>> OpenSharedLogStore(const Context& ctx) {
  if (ctx.project.log_url.empty()) return std::shared_ptr<LogStore>();
  auto options = postgres::ParseLogUrl(ctx.project.log_url);
  if (!options.ok()) return options.status().WithContext(ctx.project.log_where);
  auto store = postgres::PostgresLogStore::Open(std::move(*options));
  if (!store.ok()) {
    return store.status().WithContext(
        fmt::format("{}: opening the shared log", ctx.project.log_where));
  }
  return std::shared_ptr<LogStore>(std::move(*store));
}

Status RequireLogDirectory(const Context& ctx, std::string_view what) {
  if (ctx.project.log_url.empty()) return Status::Ok();
  return Status::FailedPrecondition(fmt::format(
      "{}: the log is a shared store ({}); {} reads the log through the local index of a log "
      "directory, which this strata does not keep for a shared log yet. `strata verify` reads "
      "a shared log; to run {} now, set `log: .strata` in strata.yaml to work on a local log",
      ctx.project.log_where, ctx.project.log_url, what, what));
}

}  // namespace strata::cli
