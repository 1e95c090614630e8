// Glue's Table document (GetTable, GetTables) and strata's table model, both ways, and the
// TableInput CreateTable and UpdateTable are sent.
//
// Reading folds what Glue folds or never meant: database, table and column names and column
// types are lower-cased (real Glue folds them, moto keeps what it was given), an absent list or
// map is an empty one, column comments "from deserializer" (written by SerDes that supply their
// own schema) and '' are no comments, NumberOfBuckets -1 is "not bucketed", and server-managed
// parameters and Hive's default SerDe parameter are left out unless strata manages them
// (parameters.h). The table COMMENT is the "comment" parameter, as Hive keeps it and as the
// table files hold it (ddl.h). Glue's Description and the SerDe's Name are not modelled: DDL
// cannot say them.
//
// Writing is read-modify-write, because UpdateTable replaces the whole table: the new
// TableInput is the live table's (every field Glue answered that TableInput accepts: Owner,
// Retention, LastAccessTime, view texts, the storage descriptor's Compressed, SkewedInfo,
// StoredAsSubDirectories, Parameters, the SerDe's Name, each column's Parameters ...), with
// what strata manages taken from the desired table: columns, partition keys, location,
// formats, SerDe library, bucketing, table type (when it names one), and the managed parameter
// keys (the comment among them). Pure.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "adapters/glue/parameters.h"
#include "proto/glue.pb.h"

namespace strata::glue {

// `text` in lower case (ASCII): how Glue stores database, table and column names. Defined
// once, in ddl_cursor.cc (the DDL reader folds the same way).
std::string Lower(std::string_view text);

// A Hive type as Glue stores it: lower case, no white space ("DECIMAL(12, 2)" is
// "decimal(12,2)"); quoted parts are kept as they are.
std::string CanonicalColumnType(std::string_view type);

// The model of a live table. `known` is the table as strata knows it (recorded, or in the
// schema files), or null: a server-managed parameter or default SerDe parameter it has is
// kept, so a key a file does set is compared like any other.
pb::GlueTable TableFromGlue(const nlohmann::json& table, const pb::GlueTable* known = nullptr);

// The model of a live table as planning compares it with the desired one: of the parameters,
// only the keys strata manages on it (the others are carried, never changed).
pb::GlueTable TableForPlan(const nlohmann::json& table, const ManagedKeys& managed);

// CreateTable's TableInput for a table strata creates. Like Athena's CREATE EXTERNAL TABLE it
// adds Parameters EXTERNAL=TRUE to an EXTERNAL_TABLE and SerDe parameter serialization.format=1
// when the SerDe has none, and NumberOfBuckets -1 (Hive's "not bucketed").
nlohmann::json NewTableInput(const pb::GlueTable& desired);

// The TableInput the live table has now: the members of GetTable's Table that TableInput
// accepts (no DatabaseName, CreateTime, VersionId, CatalogId, ...).
nlohmann::json TableInputOf(const nlohmann::json& table);

// UpdateTable's TableInput: the live table's, with the fields strata manages from `desired`
// and, of the parameters, the `managed` keys set to the desired values or removed.
nlohmann::json UpdatedTableInput(const nlohmann::json& live, const pb::GlueTable& desired,
                                 const ManagedKeys& managed);

// Whether two TableInputs describe the same table, an absent member being equal to an empty
// one (Glue leaves out what moto or another writer never set).
bool SameTableInput(const nlohmann::json& a, const nlohmann::json& b);

}  // namespace strata::glue
