// Writing tables as table files (export): each table goes to <dir>/<database>/<table>.sql as
// canonical DDL. A file already there is left alone when it defines the table the same way
// (compared as models, never as text), and when it defines it differently (or does not parse,
// or defines another table) unless forced.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "adapters/backend/backend.h"
#include "engine/status.h"
#include "proto/glue.pb.h"

namespace strata::glue {

// Writes every table of `schema` as described above, by database then table name. `format`
// must be "sql" or empty: InvalidArgument otherwise. IoError naming the file that could not be
// written.
Result<std::vector<backend::WrittenFile>> WriteTables(const pb::GlueSchema& schema,
                                                      const std::filesystem::path& dir,
                                                      const std::string& format, bool force);

}  // namespace strata::glue
