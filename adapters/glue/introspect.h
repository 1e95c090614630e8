// Introspection: the Glue databases and tables a target has now, as strata models them, with
// what planning needs besides (the table as Glue answered it, its version).
//
// ReadCatalog lists every database (GetDatabases) and each one's tables (GetTables), following
// NextToken on both (moto never pages; Glue does, at most 100 a page), reading databases
// concurrently. With `only` it reads just the named objects (names folded to lower case, as Glue
// stores them): a database with GetDatabase, the tables of a database with GetTable each, or
// with GetTables when many of them are named.
// Results are sorted by name. Thread-compatible; the JsonService must be thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/glue/errors.h"
#include "engine/status.h"
#include "proto/glue.pb.h"

namespace strata::glue {

struct LiveTable {
  std::string database;  // lower case, as strata names it
  pb::GlueTable table;   // the model (TableFromGlue, nothing known)
  nlohmann::json glue;   // GetTable's Table object, as Glue answered it
  std::string version_id;

  // "sales.orders": the object name (engine/state/objects.h).
  std::string object() const { return database + "." + table.name(); }
  // The names Glue stores (moto keeps the case it was given; Glue folds to lower case).
  std::string glue_database() const;
  std::string glue_name() const;
};

struct LiveCatalog {
  std::vector<std::string> databases;  // lower case, sorted
  std::vector<LiveTable> tables;       // sorted by object name
};

struct ReadOptions {
  // Just these objects ("sales", "sales.orders"); absent ones are left out.
  std::optional<std::vector<std::string>> only;
  int max_concurrency = 16;
  // Called after each database is read (whole-catalog reads only), never concurrently.
  std::function<void(size_t done, size_t total)> progress;
};

// "sales.orders" -> {"sales", "orders"}; "sales" -> {"sales", ""}.
std::pair<std::string, std::string> SplitObject(const std::string& object);

// The catalog's databases and tables (all, or `only`). The first failure, naming the object.
Result<LiveCatalog> ReadCatalog(const Catalog& catalog, const ReadOptions& options);

// One table (GetTable, names folded to lower case as Glue stores them); nullopt when it or its
// database does not exist.
Result<std::optional<LiveTable>> ReadTable(const Catalog& catalog, const std::string& database,
                                           const std::string& table);

// Whether the table has at least one partition (GetPartitions, MaxResults 1).
Result<bool> HasPartitions(const Catalog& catalog, const LiveTable& table);

// A LiveTable from GetTable's Table object (`database` when the object does not say).
LiveTable LiveTableFromGlue(nlohmann::json table, const std::string& database);

}  // namespace strata::glue
