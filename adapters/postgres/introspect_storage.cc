// UNLOGGED, storage parameters, view options, inheritance, foreign tables and servers, event
// triggers and aggregates: six queries, whatever the database holds.
//
// Options come from the catalogs' text arrays one element per row (unnest WITH ORDINALITY), so
// no array literal is parsed here; a TOAST table's options are the owner's, prefixed "toast."
// as CREATE TABLE ... WITH takes them. User mappings are never read: their options hold
// passwords. Foreign-data wrappers are not recorded: they come with an extension (postgres_fdw,
// file_fdw), which is.
#include <fmt/format.h>

#include "adapters/postgres/introspect_internal.h"
#include "engine/state/postgres_keys.h"

namespace strata::postgres::introspect {
namespace {

// The table or view of `oid`, whichever the catalog holds; both null for a relation left out.
struct Relation {
  pb::PgTable* table = nullptr;
  pb::PgView* view = nullptr;
};

Relation FindRelation(Catalog* catalog, const std::string& oid) {
  Relation r;
  if (auto t = catalog->tables.find(oid); t != catalog->tables.end()) r.table = &t->second;
  if (auto v = catalog->views.find(oid); v != catalog->views.end()) r.view = &v->second;
  return r;
}

// Persistence and options of tables, views and materialized views: one row per fact.
Status ReadRelationStorage(Session& session, const IntrospectOptions& o, Catalog* catalog) {
  const std::string from = "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace";
  const std::string where =
      fmt::format("{} AND {}", UserSchemaSql(o, "n"), RelationFilter(o, "c.oid"));
  STRATA_ASSIGN_OR_RETURN(
      auto r,
      session.Query(
          "storage parameters",
          fmt::format("SELECT c.oid, 'unlogged', NULL {0} WHERE c.relpersistence = 'u' "
                      "AND c.relkind IN ('r', 'p') AND {1} "
                      "UNION ALL SELECT c.oid, 'option', x.option {0}, "
                      "unnest(c.reloptions) x(option) WHERE c.relkind IN ('r', 'p', 'v', 'm') "
                      "AND {1} "
                      "UNION ALL SELECT c.oid, 'option', 'toast.' || x.option {0} "
                      "JOIN pg_class t ON t.oid = c.reltoastrelid, unnest(t.reloptions) x(option) "
                      "WHERE c.relkind IN ('r', 'p', 'm') AND {1}",
                      from, where)));
  for (const Row& row : r.rows) {
    Relation rel = FindRelation(catalog, Text(row, 0));
    if (Text(row, 1) == "unlogged") {
      if (rel.table) rel.table->set_unlogged(true);
    } else if (rel.table) {
      rel.table->add_options(Text(row, 2));
    } else if (rel.view) {
      rel.view->add_options(Text(row, 2));
    }
  }
  return Status::Ok();
}

// Legacy inheritance: partitions (relispartition) and index inheritance are not this.
Status ReadInherits(Session& session, const IntrospectOptions& o, Catalog* catalog) {
  STRATA_ASSIGN_OR_RETURN(
      auto r,
      session.Query("inheritance parents",
                    fmt::format("SELECT h.inhrelid, pn.nspname, p.relname FROM pg_inherits h "
                                "JOIN pg_class c ON c.oid = h.inhrelid "
                                "JOIN pg_class p ON p.oid = h.inhparent "
                                "JOIN pg_namespace pn ON pn.oid = p.relnamespace "
                                "WHERE NOT c.relispartition AND c.relkind IN ('r', 'p', 'f') "
                                "AND {} ORDER BY h.inhrelid, h.inhseqno",
                                RelationFilter(o, "h.inhrelid"))));
  for (const Row& row : r.rows) {
    auto t = catalog->tables.find(Text(row, 0));
    if (t != catalog->tables.end()) t->second.add_inherits(PgKey(Text(row, 1), Text(row, 2)));
  }
  return Status::Ok();
}

Status ReadForeignTables(Session& session, const IntrospectOptions& o, Catalog* catalog) {
  STRATA_ASSIGN_OR_RETURN(
      auto r, session.Query("foreign tables",
                            fmt::format("SELECT ft.ftrelid, s.srvname, x.option "
                                        "FROM pg_foreign_table ft "
                                        "JOIN pg_foreign_server s ON s.oid = ft.ftserver "
                                        "LEFT JOIN LATERAL unnest(ft.ftoptions) WITH ORDINALITY "
                                        "x(option, i) ON true WHERE {} ORDER BY ft.ftrelid, x.i",
                                        RelationFilter(o, "ft.ftrelid"))));
  for (const Row& row : r.rows) {
    auto t = catalog->tables.find(Text(row, 0));
    if (t == catalog->tables.end()) continue;
    pb::PgForeignTableSpec* f = t->second.mutable_foreign();
    f->set_server(Text(row, 1));
    if (row[2]) f->add_options(*row[2]);
  }
  return Status::Ok();
}

Status ReadForeignServers(Session& session, Catalog* catalog) {
  enum { kName, kWrapper, kType, kVersion, kComment, kOption };
  STRATA_ASSIGN_OR_RETURN(
      auto r,
      session.Query(
          "foreign servers",
          fmt::format("SELECT s.srvname, w.fdwname, s.srvtype, s.srvversion, ds.description, "
                      "x.option FROM pg_foreign_server s "
                      "JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw {}"
                      "LEFT JOIN LATERAL unnest(s.srvoptions) WITH ORDINALITY x(option, i) ON true "
                      "WHERE {} ORDER BY s.srvname, x.i",
                      CommentJoin("pg_foreign_server", "s.oid"),
                      OwnObject("pg_foreign_server", "s.oid"))));
  for (const Row& row : r.rows) {
    pb::PgForeignServer& s = (*catalog->schema.mutable_foreign_servers())[Text(row, kName)];
    s.set_name(Text(row, kName));
    s.set_wrapper(Text(row, kWrapper));
    s.set_type(Text(row, kType));
    s.set_version(Text(row, kVersion));
    s.set_comment(Text(row, kComment));
    if (row[kOption]) s.add_options(*row[kOption]);
  }
  return Status::Ok();
}

Status ReadEventTriggers(Session& session, Catalog* catalog) {
  enum { kName, kEvent, kFunction, kEnabled, kComment, kTag };
  STRATA_ASSIGN_OR_RETURN(
      auto r,
      session.Query(
          "event triggers",
          fmt::format("SELECT e.evtname, e.evtevent, e.evtfoid::regproc::text || '()', "
                      "e.evtenabled, ds.description, x.tag FROM pg_event_trigger e {}"
                      "LEFT JOIN LATERAL unnest(e.evttags) WITH ORDINALITY x(tag, i) ON true "
                      "WHERE {} ORDER BY e.evtname, x.i",
                      CommentJoin("pg_event_trigger", "e.oid"),
                      OwnObject("pg_event_trigger", "e.oid"))));
  for (const Row& row : r.rows) {
    pb::PgEventTrigger& e = (*catalog->schema.mutable_event_triggers())[Text(row, kName)];
    e.set_name(Text(row, kName));
    e.set_event(Text(row, kEvent));
    e.set_function(Text(row, kFunction));
    e.set_enabled(Text(row, kEnabled));
    e.set_comment(Text(row, kComment));
    if (row[kTag]) e.add_tags(*row[kTag]);
  }
  return Status::Ok();
}

// ---- Aggregates ----------------------------------------------------------------------------

enum AggregateColumn {
  kAggSchema,
  kAggName,
  kAggIdentity,
  kAggComment,
  kAggQualified,
  kAggArguments,
  kAggKind,
  kAggParallel,
  kAggTransFn,
  kAggTransType,
  kAggTransSpace,
  kAggInitVal,
  kAggFinalFn,
  kAggFinalExtra,
  kAggFinalModify,
  kAggCombineFn,
  kAggSerialFn,
  kAggDeserialFn,
  kAggMTransFn,
  kAggMInvTransFn,
  kAggMTransType,
  kAggMTransSpace,
  kAggMInitVal,
  kAggMFinalFn,
  kAggMFinalExtra,
  kAggMFinalModify,
  kAggSortOp,
};

// A function column of pg_aggregate as its (qualified where needed) name, NULL when unset.
std::string ProcSql(std::string_view column) {
  return fmt::format("CASE WHEN a.{0} <> 0 THEN a.{0}::regproc::text END", column);
}

std::string AggregatesSql(const IntrospectOptions& o) {
  return fmt::format(
      "SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), ds.description, "
      "quote_ident(n.nspname) || '.' || quote_ident(p.proname), "
      "pg_get_function_arguments(p.oid), a.aggkind, p.proparallel, "
      "a.aggtransfn::regproc::text, format_type(a.aggtranstype, NULL), a.aggtransspace, "
      "a.agginitval, {}, a.aggfinalextra, a.aggfinalmodify, {}, {}, {}, {}, {}, "
      "CASE WHEN a.aggmtranstype <> 0 THEN format_type(a.aggmtranstype, NULL) END, "
      "a.aggmtransspace, a.aggminitval, {}, a.aggmfinalextra, a.aggmfinalmodify, "
      "CASE WHEN a.aggsortop <> 0 THEN a.aggsortop::regoper::text END "
      "FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid "
      "JOIN pg_namespace n ON n.oid = p.pronamespace {}WHERE {} AND {}",
      ProcSql("aggfinalfn"), ProcSql("aggcombinefn"), ProcSql("aggserialfn"),
      ProcSql("aggdeserialfn"), ProcSql("aggmtransfn"), ProcSql("aggminvtransfn"),
      ProcSql("aggmfinalfn"), CommentJoin("pg_proc", "p.oid"), UserSchemaSql(o, "n"),
      OwnObject("pg_proc", "p.oid"));
}

std::string ModifyWord(std::string_view modify) {
  if (modify == "s") return "SHAREABLE";
  if (modify == "w") return "READ_WRITE";
  return "READ_ONLY";
}

// The moving-aggregate items (MSFUNC ...), present when the aggregate has a moving mode.
void MovingItems(const Row& row, std::string_view default_modify,
                 std::vector<std::string>* items) {
  if (!row[kAggMTransFn]) return;
  items->push_back("MSFUNC = " + Text(row, kAggMTransFn));
  if (row[kAggMInvTransFn]) items->push_back("MINVFUNC = " + Text(row, kAggMInvTransFn));
  items->push_back("MSTYPE = " + Text(row, kAggMTransType));
  if (Int(row, kAggMTransSpace) != 0) {
    items->push_back(fmt::format("MSSPACE = {}", Int(row, kAggMTransSpace)));
  }
  if (row[kAggMFinalFn]) items->push_back("MFINALFUNC = " + Text(row, kAggMFinalFn));
  if (Bool(row, kAggMFinalExtra)) items->push_back("MFINALFUNC_EXTRA");
  if (Text(row, kAggMFinalModify) != default_modify) {
    items->push_back("MFINALFUNC_MODIFY = " + ModifyWord(Text(row, kAggMFinalModify)));
  }
  if (row[kAggMInitVal]) {
    items->push_back("MINITCOND = " + Connection::QuoteLiteral(*row[kAggMInitVal]));
  }
}

// CREATE AGGREGATE as pg_dump writes it: one item a line, settings at their default left out.
// An INITCOND of '' is kept: it is not NULL (an aggregate without INITCOND starts at NULL).
std::string AggregateDefinition(const Row& row, bool or_replace) {
  const std::string& kind = Text(row, kAggKind);
  const std::string default_modify = kind == "n" ? "r" : "w";
  std::vector<std::string> items = {"SFUNC = " + Text(row, kAggTransFn),
                                    "STYPE = " + Text(row, kAggTransType)};
  if (Int(row, kAggTransSpace) != 0) {
    items.push_back(fmt::format("SSPACE = {}", Int(row, kAggTransSpace)));
  }
  if (row[kAggFinalFn]) items.push_back("FINALFUNC = " + Text(row, kAggFinalFn));
  if (Bool(row, kAggFinalExtra)) items.push_back("FINALFUNC_EXTRA");
  if (Text(row, kAggFinalModify) != default_modify) {
    items.push_back("FINALFUNC_MODIFY = " + ModifyWord(Text(row, kAggFinalModify)));
  }
  if (row[kAggCombineFn]) items.push_back("COMBINEFUNC = " + Text(row, kAggCombineFn));
  if (row[kAggSerialFn]) items.push_back("SERIALFUNC = " + Text(row, kAggSerialFn));
  if (row[kAggDeserialFn]) items.push_back("DESERIALFUNC = " + Text(row, kAggDeserialFn));
  if (row[kAggInitVal]) {
    items.push_back("INITCOND = " + Connection::QuoteLiteral(*row[kAggInitVal]));
  }
  MovingItems(row, default_modify, &items);
  if (row[kAggSortOp]) {
    // Operator names hold no dots: a dot means a schema, which needs OPERATOR(...).
    const std::string& op = *row[kAggSortOp];
    const bool qualified = op.find('.') != std::string::npos;
    items.push_back("SORTOP = " + (qualified ? "OPERATOR(" + op + ")" : op));
  }
  if (Text(row, kAggParallel) == "s") items.push_back("PARALLEL = SAFE");
  if (Text(row, kAggParallel) == "r") items.push_back("PARALLEL = RESTRICTED");
  if (kind == "h") items.push_back("HYPOTHETICAL");
  return fmt::format("CREATE {}AGGREGATE {}({}) (\n    {}\n)", or_replace ? "OR REPLACE " : "",
                     Text(row, kAggQualified), Text(row, kAggArguments),
                     fmt::join(items, ",\n    "));
}

// Aggregates: pg_get_functiondef refuses them, so the definition is made from pg_aggregate.
Status ReadAggregates(Session& session, const IntrospectOptions& o, Catalog* catalog) {
  STRATA_ASSIGN_OR_RETURN(auto r, session.Query("aggregates", AggregatesSql(o)));
  // CREATE OR REPLACE AGGREGATE is PostgreSQL 14's.
  const bool or_replace = session.conn().server_version() >= 140000;
  for (const Row& row : r.rows) {
    const std::string key =
        PgFunctionKey(Text(row, kAggSchema), Text(row, kAggName), Text(row, kAggIdentity));
    pb::PgFunction& f = (*catalog->schema.mutable_functions())[key];
    f.set_schema(Text(row, kAggSchema));
    f.set_name(Text(row, kAggName));
    f.set_identity_arguments(Text(row, kAggIdentity));
    f.set_definition(AggregateDefinition(row, or_replace));
    f.set_comment(Text(row, kAggComment));
    f.set_aggregate(true);
  }
  return Status::Ok();
}

}  // namespace

Status ReadStorage(Session& session, const IntrospectOptions& options, Catalog* catalog) {
  STRATA_RETURN_IF_ERROR(ReadRelationStorage(session, options, catalog));
  STRATA_RETURN_IF_ERROR(ReadInherits(session, options, catalog));
  STRATA_RETURN_IF_ERROR(ReadForeignTables(session, options, catalog));
  STRATA_RETURN_IF_ERROR(ReadForeignServers(session, catalog));
  STRATA_RETURN_IF_ERROR(ReadEventTriggers(session, catalog));
  return ReadAggregates(session, options, catalog);
}

}  // namespace strata::postgres::introspect
