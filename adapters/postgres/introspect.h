// Introspect: the live catalog of one PostgreSQL database read into a pb::PostgresSchema.
//
// The result is canonical engine state (keys, order and text forms as proto/postgres.proto and
// engine/state/canonical_glue_postgres.h define them), so Diff(Introspect(db), state) is empty
// exactly when the database and the state agree. A fixed number of catalog queries is issued,
// however many objects the database holds. Uses the caller's connection; not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "adapters/common/system.h"
#include "adapters/postgres/connection.h"
#include "engine/status.h"
#include "proto/commit.pb.h"
#include "proto/postgres.pb.h"

namespace strata::postgres {

struct IntrospectOptions {
  // Tables named <prefix><track> with the migration history table's shape (columns
  // migration_name and migration_hash) are bookkeeping, not schema: they are left out, with
  // their sequences. Empty: keep every table.
  std::string history_table_prefix = "migrations_";
  // Schemas never read. System schemas (pg_catalog, information_schema, pg_toast*, pg_temp_*)
  // are always skipped, and so is everything in them, the plpgsql extension included.
  std::vector<std::string> exclude_schemas;
  // When set, relation-scoped reads (tables, views, their columns, constraints, indexes,
  // triggers, policies, privileges, partitions, storage) cover only these pg_class OIDs;
  // catalogs of other kinds are read whole. Used by the incremental capture of a migration.
  const std::vector<uint32_t>* only_relations = nullptr;
  // Receives warnings for people, e.g. about an object kept in the fallback form; may be empty.
  std::function<void(const std::string&)> warn;
  // With only_relations: leave out, too, what is not scoped by relation (schemas, extensions,
  // types, functions, sequences and the like), for a caller that knows none of it changed
  // since an earlier read and keeps that read's parts.
  bool skip_unscoped = false;
  // Times the call for IntrospectStats::micros (its steady clock); must outlive the call.
  const common::Clock* clock = &common::SystemClock();
};

// Object identity as the catalog knows it: OIDs (attnums for columns), which survive renames
// while names do not. Captures of one migration pair the identities before and after it to
// tell a rename from a drop and a create. Never stored: OIDs mean nothing in another database.
struct CatalogIdentity {
  struct Part {
    uint32_t relation = 0;  // the pg_class oid of the table or view it belongs to
    std::string name;
    bool operator==(const Part&) const = default;
  };
  std::map<uint32_t, std::string> namespaces;  // oid -> name
  std::map<uint32_t, std::string> relations;   // tables, views, sequences -> "schema.name"
  std::map<uint32_t, std::string> types;       // -> "schema.name"
  std::map<uint32_t, std::string> functions;   // -> "schema.name(identity arguments)"
  std::map<std::pair<uint32_t, int>, std::string> columns;  // (relation, attnum) -> name
  std::map<uint32_t, Part> indexes;      // indexes the model lists (not constraints' own)
  std::map<uint32_t, Part> constraints;  // table constraints
  std::map<uint32_t, Part> triggers;
  std::map<uint32_t, Part> policies;
};

struct IntrospectStats {
  int queries = 0;     // statements sent to the server, setup included
  int64_t micros = 0;  // wall time of the whole call (monotonic clock)
};

// The catalog as engine state. What it holds and how the text forms are made:
// - Definitions come from the server's own deparsers (format_type, pg_get_expr,
//   pg_get_constraintdef, pg_get_indexdef, pg_get_triggerdef, pg_get_viewdef,
//   pg_get_functiondef) run with an empty search_path, so every name outside pg_catalog is
//   schema-qualified and the text does not depend on the session. Surrounding whitespace and
//   a view's final ';' are trimmed.
// - Collations are SQL text (`"C"`, `public.mycoll`); sequence owners "schema.table.column".
// - The "public" namespace is listed only while its privileges differ from a fresh
//   database's (its ACL is relative to that); every database has it. Objects in it are listed.
// - Privileges are relative to the default of the object's kind and owner (PgAcl); row-level
//   security flags and policies belong to their table; default privileges are keyed
//   "role/schema/OBJECTS".
// - Left out: objects owned by an extension, objects made with and for another one (array,
//   multirange and table row types, a range's constructor functions, identity sequences: their
//   column holds them), internal triggers (behind foreign keys), indexes backing a primary
//   key, unique or exclusion constraint (the constraint holds them), triggers on views (the
//   model has no place for them), user mappings (their options hold passwords), foreign-data
//   wrappers (an extension brings them) and history tables (see IntrospectOptions).
// - Aggregates are functions with `aggregate` set and a CREATE AGGREGATE definition made from
//   pg_aggregate; foreign tables are tables with `foreign` set; a TOAST table's storage
//   parameters are its owner's, prefixed "toast.".
// - Partitioned tables and partitions are read as plain tables: the model has no partition
//   bounds or keys.
// Runs inside the caller's transaction when there is one (for before/after captures of a
// migration), otherwise in its own read-only one; the session's search_path is left as it was.
// FailedPrecondition or Unavailable from the connection on failure; Internal when the catalog
// yields something the engine would reject (a bug here, named in the message).
// `identity`, when given, receives the OIDs of what was read.
Result<pb::PostgresSchema> Introspect(Connection& conn, const IntrospectOptions& options,
                                      IntrospectStats* stats = nullptr,
                                      CatalogIdentity* identity = nullptr);

// The catalog as the engine's state of a PostgreSQL schema source (engine POSTGRES), which is
// what Diff compares with recorded states. Errors as Introspect.
Result<pb::SchemaState> IntrospectState(Connection& conn,
                                        const IntrospectOptions& options = IntrospectOptions{});
// `schema` wrapped as a schema source's state.
pb::SchemaState AsSchemaState(pb::PostgresSchema schema);

}  // namespace strata::postgres
