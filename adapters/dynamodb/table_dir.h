// A directory of DynamoDB table files (the `schemas.dynamodb` directory of a project) loaded
// into one pb::DynamoSchema: every *.yaml, *.yml and *.json file in it and in its immediate
// subdirectories, in path order. Dotfiles, dot-directories and README files are skipped;
// other files are ignored. Each table name may be defined by one file only.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

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
// `dir` joined with the file's relative path. Errors as those three return.
Result<pb::DynamoSchema> LoadTableDir(const std::filesystem::path& dir);

// The bytes of a file. Returns NotFound when it does not exist, IoError when it cannot be read.
Result<std::string> ReadTextFile(const std::filesystem::path& path);
// Replaces `path` with `text` through a temporary file of its own (other writers of the same
// path at the same time use others), an fsync and a rename, so a crash leaves the old file or
// the new one and concurrent writers leave one of theirs whole. IoError naming the file when a
// step fails.
Status WriteTextFile(const std::filesystem::path& path, std::string_view text);
// Creates `path` holding `text`, whole or not at all, unless it exists: AlreadyExists then,
// with the existing file untouched (a writer that raced for the same name can take another).
// IoError naming the file when a step fails.
Status WriteNewTextFile(const std::filesystem::path& path, std::string_view text);

}  // namespace strata::dynamodb
