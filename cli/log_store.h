// The project's log store: the directory (.strata/ or strata.yaml's `log:` path) or a shared
// store named by URL (`log: postgres://...`); cli/mirror.h keeps a shared log's local mirror.
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

// strata.yaml's text with its top-level log: line set to `value` (quoted when YAML needs it),
// every other byte kept; the line is added after version: (or first) when there is none.
std::string WithLogLine(const std::string& text, const std::string& value);

}  // namespace strata::cli
