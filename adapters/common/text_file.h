// Text files as schema files and artifacts are read and written: whole, or not at all.
//
// Writes go through a temporary file of the writer's own beside the target (ending in ".tmp",
// so directory listings of schema files skip it), an fsync and a rename or link, so a crash
// leaves the old file or the new one and concurrent writers of one path leave one of theirs
// whole. Thread-safe; no state.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "engine/status.h"

namespace strata::common {

// The bytes of a file. Returns NotFound when it does not exist, IoError when it cannot be read.
Result<std::string> ReadTextFile(const std::filesystem::path& path);
// Replaces `path` with `text`. IoError naming the file when a step fails.
Status WriteTextFile(const std::filesystem::path& path, std::string_view text);
// Creates `path` holding `text` unless it exists: AlreadyExists then, with the existing file
// untouched (a writer that raced for the same name can take another). IoError naming the file
// when a step fails.
Status WriteNewTextFile(const std::filesystem::path& path, std::string_view text);

}  // namespace strata::common
