// Which table and SerDe parameters of a Glue table are strata's, and which belong to someone
// else: the one place that decides it.
//
// Glue keeps a table's properties in two open maps (Parameters, SerdeInfo.Parameters) that many
// writers share: Athena and Hive stamp their own keys, crawlers and query engines refresh
// statistics, Iceberg keeps its metadata pointer there, and people add keys through the
// console. UpdateTable replaces the whole table, so strata reads it first and writes back every
// key it does not manage untouched (read-modify-write). A key is managed on a table when the
// desired table has it or the table strata last deployed had it (so a key removed from the
// file is removed from the table); every other key is carried as it is.
//
// Server-managed keys (below) are not part of a live table's model unless strata manages them:
// they change without anyone changing the schema, so they are neither drift nor exported.
// Pure functions.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "proto/glue.pb.h"

namespace strata::glue {

// The table parameter Athena and Hive keep the table COMMENT in (SHOW CREATE TABLE reads it
// back from there). The table files keep it there too (ddl.h), so it is managed like any key.
inline constexpr char kCommentParameter[] = "comment";

// Whether a table parameter is written by the service, an engine or a crawler rather than by
// whoever defines the table (see parameters.cc for the list and where each comes from).
bool IsServerManagedTableParameter(std::string_view key);

// The parameter keys strata manages on one table.
struct ManagedKeys {
  std::set<std::string> table;  // Parameters
  std::set<std::string> serde;  // SerdeInfo.Parameters
};

// The keys of `desired` and of `deployed` (null when strata never deployed the table, or does
// not know what it deployed).
ManagedKeys ManagedKeysOf(const pb::GlueTable& desired, const pb::GlueTable* deployed);

}  // namespace strata::glue
