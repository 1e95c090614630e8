// Partitioned tables and partitions: each partitioned table's key, each partition's parent and
// bound (a detach that never finished included), and which partitioned index each index of a
// partition is attached to. The tables, their columns and their indexes are read by the core
// readers (relkind 'p' tables and relkind 'I' indexes among them); this adds how they hang
// together. Triggers cloned from a partitioned table onto its partitions and the foreign-key
// rows PostgreSQL derives for each partition of a referenced table are left out by the core
// readers: they come with the object they were derived from.
#include "adapters/postgres/introspect_internal.h"
#include "engine/state/postgres_keys.h"

namespace strata::postgres::introspect {

Status ReadPartitions(Session& session, const IntrospectOptions& options, Catalog* catalog) {
  enum { kOid, kKey, kParentSchema, kParentName, kBound, kDetachPending };
  STRATA_ASSIGN_OR_RETURN(
      auto tables,
      session.Query(
          "partitions",
          fmt::format("SELECT c.oid, CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, "
                      "pn.nspname, p.relname, "
                      "CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END, "
                      "h.inhdetachpending "
                      "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                      "LEFT JOIN pg_inherits h ON h.inhrelid = c.oid AND c.relispartition "
                      "LEFT JOIN pg_class p ON p.oid = h.inhparent "
                      "LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace "
                      "WHERE c.relkind IN ('r', 'p', 'f') AND (c.relkind = 'p' OR c.relispartition) "
                      "AND {} AND {}",
                      UserSchemaSql(options, "n"), RelationFilter(options, "c.oid"))));
  for (const Row& row : tables.rows) {
    auto t = catalog->tables.find(Text(row, kOid));
    if (t == catalog->tables.end()) continue;
    t->second.set_partition_key(Text(row, kKey));
    if (row[kParentName]) {
      pb::PgPartitionOf* of = t->second.mutable_partition_of();
      of->set_parent(PgKey(Text(row, kParentSchema), Text(row, kParentName)));
      of->set_bound(Text(row, kBound));
      of->set_detach_pending(Bool(row, kDetachPending));
    }
  }

  // Indexes of partitions attached to a partitioned index. An index that backs a constraint
  // is not listed (its constraint is); only listed ones get their parent.
  enum { kTable, kIndex, kParentIndexSchema, kParentIndex };
  STRATA_ASSIGN_OR_RETURN(
      auto indexes,
      session.Query("partition indexes",
                    fmt::format("SELECT i.indrelid, ic.relname, pn.nspname, pc.relname "
                                "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
                                "JOIN pg_namespace n ON n.oid = ic.relnamespace "
                                "JOIN pg_inherits h ON h.inhrelid = i.indexrelid "
                                "JOIN pg_class pc ON pc.oid = h.inhparent "
                                "JOIN pg_namespace pn ON pn.oid = pc.relnamespace "
                                "WHERE ic.relispartition AND {} AND {}",
                                UserSchemaSql(options, "n"),
                                RelationFilter(options, "i.indrelid"))));
  for (const Row& row : indexes.rows) {
    auto t = catalog->tables.find(Text(row, kTable));
    if (t == catalog->tables.end()) continue;
    for (pb::PgIndex& index : *t->second.mutable_indexes()) {
      if (index.name() == Text(row, kIndex)) {
        index.set_parent_index(PgKey(Text(row, kParentIndexSchema), Text(row, kParentIndex)));
      }
    }
  }
  return Status::Ok();
}

}  // namespace strata::postgres::introspect
