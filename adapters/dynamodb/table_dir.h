// A directory of DynamoDB table files (the `schemas.dynamodb` directory of a project) loaded
// into one pb::DynamoSchema: every *.yaml, *.yml and *.json file in it and in its immediate
// subdirectories, in path order. Dotfiles, dot-directories and README files are skipped;
// other files are ignored. Each table name may be defined by one file only.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/text_file.h"
#include "engine/status.h"
#include "proto/dynamodb.pb.h"

namespace strata::dynamodb {

// One table file's name (as it should appear in messages) and text.
struct TableFileText {
  std::string name;
  std::string text;
};

// The table files under `dir`, sorted by path. Returns NotFound when `dir` does not exist or
// is not a directory, IoError when it cannot be listed.
Result<std::vector<std::filesystem::path>> ListTableFiles(const std::filesystem::path& dir);

// Parses `files` into one schema. InvalidArgument listing every problem, one per line: each
// bad file's parse errors, and both files' names when two define the same table.
Result<pb::DynamoSchema> ParseTableFiles(const std::vector<TableFileText>& files);

// ListTableFiles, then ReadTextFile for each, then ParseTableFiles; file names in messages are
// `shown_dir` (`dir` when empty) joined with the file's path under `dir`, so that a project's
// messages can name "schema/dynamodb/orders.yaml:4". Errors as those three return.
Result<pb::DynamoSchema> LoadTableDir(const std::filesystem::path& dir,
                                      const std::filesystem::path& shown_dir = {});

// The file helpers table files, snapshots and artifacts are read and written with.
using common::ReadTextFile;
using common::WriteNewTextFile;
using common::WriteTextFile;

}  // namespace strata::dynamodb
