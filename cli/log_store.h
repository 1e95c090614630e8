// The project's log store: the directory (.strata/ or strata.yaml's `log:` path) or a shared
// store named by URL (`log: postgres://...`), opened for the recorder and for verify.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "cli/context.h"
#include "engine/store/log_store.h"

namespace strata::cli {

// Ok when `url`'s scheme names a shared store this strata keeps; InvalidArgument naming `where`
// (strata.yaml's line), the scheme and the schemes that work otherwise.
Status CheckLogUrlScheme(std::string_view url, std::string_view where);

// Opens the shared store `url` names (`postgres://...`, `s3://...`). InvalidArgument for a URL that does not
// parse; Unavailable when the store cannot be reached.
Result<std::shared_ptr<LogStore>> OpenLogStoreUrl(const std::string& url);

// The shared store strata.yaml names; nullptr when the log is a directory. InvalidArgument
// naming strata.yaml's line for a URL that does not parse; Unavailable when the store cannot be
// reached.
Result<std::shared_ptr<LogStore>> OpenSharedLogStore(const Context& ctx);

// FailedPrecondition for a command that reads the log directory's index, when the project's log
// is a shared store (which this build reads only with `strata verify`).
Status RequireLogDirectory(const Context& ctx, std::string_view what);

}  // namespace strata::cli
