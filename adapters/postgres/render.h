// DDL text for PostgreSQL engine state: the statements that would rebuild one object (what
// `strata show` prints, and what drift and diff displays quote) or a whole schema.
//
// Pure functions over a pb::PostgresSchema; no connection. Identifiers are quoted only where
// PostgreSQL's quote_ident would quote them; definitions the server deparsed (constraints,
// indexes, triggers, views, functions) are used as they are. For a state read by Introspect,
// running RenderSchemaDdl's script in an empty database and introspecting it gives the same
// state back.
#pragma once

#include <string>
#include <string_view>

#include "engine/status.h"
#include "proto/postgres.pb.h"

namespace strata::postgres {

// `name` bare when quote_ident would leave it bare (lower-case ASCII letters, digits and
// underscores, not starting with a digit, not a keyword PostgreSQL reserves in any way),
// double-quoted with inner quotes doubled otherwise.
std::string QuoteIdentIfNeeded(std::string_view name);
// "schema.name", each part quoted as needed.
std::string QualifiedName(std::string_view schema, std::string_view name);

// The statements that would create the object named `key`, ending in newlines: a table
// ("schema.table", with its columns, constraints, indexes, triggers, comments, row-level
// security, policies and privileges; UNLOGGED, INHERITS, PARTITION BY, WITH (...) or, for a
// foreign table, SERVER ... OPTIONS), a view or materialized view (with its options and
// indexes), a sequence, a type, a function or aggregate ("schema.name(identity arguments)"),
// an extension ("ext:name"), an event trigger ("evt:name"), a foreign server ("server:name"),
// a schema (its name; "public" only as its privileges) or default privileges
// ("defaults:role/schema/OBJECTS"). Every object's privileges follow it as GRANT/REVOKE.
// NotFound, naming the key and the accepted forms, when the state has no such object.
Result<std::string> RenderObjectDdl(const pb::PostgresSchema& schema, const std::string& key);

// A script that builds the whole schema in an empty database, in an order the server accepts:
// schemas, extensions, foreign servers, types, functions with a string body (bodies are not
// checked while the script runs, so they may name tables created later), aggregates,
// sequences, tables (each after the tables it inherits from), partition attachments, sequence
// owners, foreign keys, indexes, views (each after the views its definition names), functions
// with a SQL-standard body (parsed at creation), triggers, comments, row-level security,
// policies, privileges and default privileges, then event triggers (they would fire on the
// rest of the script). Objects of one kind go in key order.
std::string RenderSchemaDdl(const pb::PostgresSchema& schema);

}  // namespace strata::postgres
