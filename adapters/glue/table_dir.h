// LOCAL STUB (not committed).
#pragma once
#include <filesystem>
#include <string>
#include "engine/status.h"
#include "proto/glue.pb.h"
namespace strata::glue {
Result<pb::GlueSchema> LoadTableDir(const std::filesystem::path& dir);
std::filesystem::path TableFilePath(const std::filesystem::path& dir, const std::string& database, const std::string& table);
}  // namespace strata::glue
