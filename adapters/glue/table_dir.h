// A directory of Glue table files (the `schemas.glue` directory of a project) loaded into one
// pb::GlueSchema: <dir>/<database>/<table>.sql, one CREATE EXTERNAL TABLE per file (ddl.h).
//
// Each directory under <dir> is a database (created implicitly, with no description, location
// or parameters); each *.sql file in it is a table. Names come from the path, folded to lower
// case; a statement that names its database or table must agree with the path. Dotfiles,
// dot-directories and README files are skipped, and so are files not ending in .sql. Pure
// reading; thread-compatible.
#pragma once

#include <filesystem>
#include <string>

#include "engine/status.h"
#include "proto/glue.pb.h"

namespace strata::glue {

// Every <dir>/<database>/<table>.sql (one statement per file; dotfiles and README skipped),
// parsed into one schema (databases created implicitly, with no parameters). The statement's
// db.table, when qualified, must agree with the path (database directory and file stem, compared
// case-insensitively) — else FILE:LINE:COL error naming both. A file directly in <dir> (no
// database directory) is an error saying where it should go. Every bad file is reported in one
// InvalidArgument, one problem per line. NotFound when `dir` does not exist.
// Messages name files under `shown_dir` (`dir` when empty), e.g. "schema/athena/sales/orders.sql".
Result<pb::GlueSchema> LoadTableDir(const std::filesystem::path& dir,
                                    const std::filesystem::path& shown_dir = {});

// The file a table belongs in: <dir>/<database>/<table>.sql
std::filesystem::path TableFilePath(const std::filesystem::path& dir, const std::string& database,
                                    const std::string& table);

}  // namespace strata::glue
