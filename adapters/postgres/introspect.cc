// Reads the catalog kind by kind: one query per kind, never one per object, so the cost is a
// fixed number of round trips plus the server's own work. Rows are joined to their owners
// (columns to tables, labels to enums) by oid on this side; rows whose owner was filtered out
// (an extension's table, a history table) are dropped here rather than by more SQL.
//
// All queries run with search_path = '' so the server's deparsers qualify every name outside
// pg_catalog: the text then means the same thing in any session, which is what makes it a
// canonical form. pg_catalog is still searched implicitly, so catalog names need no prefix.
#include "adapters/postgres/introspect.h"

#include "adapters/postgres/introspect_internal.h"

#include <fmt/format.h>

#include <charconv>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "engine/state/canonical_glue_postgres.h"
#include "engine/state/postgres_keys.h"
#include "adapters/postgres/render.h"
#include "engine/state/validate.h"

namespace strata::postgres {
namespace {

using namespace introspect;  // NOLINT: the readers' shared vocabulary

// ---- Reading ---------------------------------------------------------------------------

class Reader {
 public:
  Reader(Session& session, const IntrospectOptions& options)
      : session_(session), options_(options) {}

  Status ReadAll(Catalog* catalog) {
    catalog_ = catalog;
    const bool unscoped = !(options_.only_relations && options_.skip_unscoped);
    if (unscoped) {
      STRATA_RETURN_IF_ERROR(Namespaces());
      STRATA_RETURN_IF_ERROR(Extensions());
    }
    STRATA_RETURN_IF_ERROR(Relations());
    STRATA_RETURN_IF_ERROR(Columns());
    if (unscoped) STRATA_RETURN_IF_ERROR(Types());
    STRATA_RETURN_IF_ERROR(Constraints(unscoped));
    STRATA_RETURN_IF_ERROR(Indexes());
    STRATA_RETURN_IF_ERROR(Triggers());
    if (unscoped) {
      STRATA_RETURN_IF_ERROR(Sequences());
      STRATA_RETURN_IF_ERROR(EnumLabels());
      STRATA_RETURN_IF_ERROR(CompositeAttributes());
      STRATA_RETURN_IF_ERROR(Functions());
    }
    STRATA_RETURN_IF_ERROR(ReadPartitions(session_, options_, catalog_));
    // Storage first: it reads foreign servers and aggregates, whose privileges the security
    // reader attaches.
    STRATA_RETURN_IF_ERROR(ReadStorage(session_, options_, catalog_));
    return ReadSecurity(session_, options_, catalog_);
  }

 private:
  std::string UserSchema(std::string_view n) const { return UserSchemaSql(options_, n); }

  Status Namespaces() {
    STRATA_ASSIGN_OR_RETURN(
        auto r,
        session_.Query("schemas",
                       fmt::format("SELECT n.nspname, ds.description, n.oid FROM pg_namespace n {} "
                                   "WHERE {} AND n.nspname <> 'public' AND {}",
                                   CommentJoin("pg_namespace", "n.oid"), UserSchema("n"),
                                   OwnObject("pg_namespace", "n.oid"))));
    for (const Row& row : r.rows) {
      pb::PgNamespace& n = (*catalog_->schema.mutable_namespaces())[Text(row, 0)];
      n.set_name(Text(row, 0));
      n.set_comment(Text(row, 1));
      catalog_->identity.namespaces[Oid(row, 2)] = Text(row, 0);
    }
    return Status::Ok();
  }

  Status Extensions() {
    STRATA_ASSIGN_OR_RETURN(
        auto r, session_.Query("extensions",
                               fmt::format("SELECT x.extname, x.extversion, n.nspname, "
                                           "ds.description FROM pg_extension x "
                                           "JOIN pg_namespace n ON n.oid = x.extnamespace {}"
                                           "WHERE {}",
                                           CommentJoin("pg_extension", "x.oid"), UserSchema("n"))));
    for (const Row& row : r.rows) {
      pb::PgExtension& x = (*catalog_->schema.mutable_extensions())[Text(row, 0)];
      x.set_name(Text(row, 0));
      x.set_version(Text(row, 1));
      x.set_schema(Text(row, 2));
      x.set_comment(Text(row, 3));
    }
    return Status::Ok();
  }

  // Tables (foreign ones too), views and materialized views; history tables are remembered,
  // not kept.
  Status Relations() {
    enum { kOid, kSchema, kName, kKind, kComment, kDefinition, kHistory };
    STRATA_ASSIGN_OR_RETURN(
        auto r,
        session_.Query(
            "tables and views",
            fmt::format("SELECT c.oid, n.nspname, c.relname, c.relkind, "
                        "ds.description, "
                        "CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END, "
                        "{} FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace {}"
                        "WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm') AND {} AND {} AND {}",
                        IsHistoryTable(options_), CommentJoin("pg_class", "c.oid"), UserSchema("n"),
                        OwnObject("pg_class", "c.oid"), RelationFilter(options_, "c.oid"))));
    for (const Row& row : r.rows) {
      const std::string& oid = Text(row, kOid);
      const std::string& kind = Text(row, kKind);
      if (Bool(row, kHistory)) {
        catalog_->history_tables.insert(oid);
        continue;
      }
      catalog_->identity.relations[Oid(row, kOid)] = PgKey(Text(row, kSchema), Text(row, kName));
      if (kind == "r" || kind == "p" || kind == "f") {
        pb::PgTable& t = catalog_->tables[oid];
        t.set_schema(Text(row, kSchema));
        t.set_name(Text(row, kName));
        t.set_comment(Text(row, kComment));
      } else {
        pb::PgView& v = catalog_->views[oid];
        v.set_schema(Text(row, kSchema));
        v.set_name(Text(row, kName));
        v.set_definition(Trimmed(Text(row, kDefinition), /*drop_semicolon=*/true));
        v.set_materialized(kind == "m");
        v.set_comment(Text(row, kComment));
      }
    }
    return Status::Ok();
  }

  static pb::PgIdentity Identity(std::string_view attidentity) {
    if (attidentity == "a") return pb::PG_IDENTITY_ALWAYS;
    if (attidentity == "d") return pb::PG_IDENTITY_BY_DEFAULT;
    return pb::PG_IDENTITY_NONE;
  }

  Status Columns() {
    enum {
      kOwner,
      kName,
      kType,
      kNotNull,
      kIdentity,
      kGenerated,
      kExpr,
      kCollation,
      kComment,
      kAttnum
    };
    STRATA_ASSIGN_OR_RETURN(
        auto r,
        session_.Query(
            "columns",
            fmt::format(
                "SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), "
                "a.attnotnull, a.attidentity, a.attgenerated, pg_get_expr(d.adbin, d.adrelid), "
                "CASE WHEN a.attcollation <> t.typcollation THEN {} END, "
                "ds.description, a.attnum "
                "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "JOIN pg_type t ON t.oid = a.atttypid "
                "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
                "LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace {}"
                "WHERE c.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped AND {} "
                "AND {} ORDER BY a.attrelid, a.attnum",
                kCollationText, CommentJoin("pg_class", "a.attrelid", "a.attnum"),
                UserSchema("n"), RelationFilter(options_, "a.attrelid"))));
    for (const Row& row : r.rows) {
      auto table = catalog_->tables.find(Text(row, kOwner));
      if (table == catalog_->tables.end()) continue;
      catalog_->identity.columns[{Oid(row, kOwner), static_cast<int>(Int(row, kAttnum))}] =
          Text(row, kName);
      pb::PgColumn* c = table->second.add_columns();
      c->set_name(Text(row, kName));
      c->set_type(Text(row, kType));
      c->set_not_null(Bool(row, kNotNull));
      c->set_identity(Identity(Text(row, kIdentity)));
      if (row[kExpr]) {
        // pg_attrdef holds the generation expression of a generated column.
        if (Text(row, kGenerated).empty()) {
          c->set_default_expr(*row[kExpr]);
        } else {
          c->set_generated_expr(*row[kExpr]);
        }
      }
      c->set_collation(Text(row, kCollation));
      c->set_comment(Text(row, kComment));
    }
    return Status::Ok();
  }

  // Table and domain constraints (those only with `domains`); NOT NULL lives in the column or
  // domain, not here.
  Status Constraints(bool domains) {
    enum { kTable, kDomain, kName, kType, kDefinition, kComment, kOid };
    STRATA_ASSIGN_OR_RETURN(
        auto r,
        session_.Query(
            "constraints",
            fmt::format("SELECT k.conrelid, k.contypid, k.conname, k.contype, "
                        "pg_get_constraintdef(k.oid), "
                        "ds.description, k.oid "
                        "FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace "
                        "{} WHERE k.contype IN ('p', 'u', 'f', 'c', 'x') AND {} "
                        // A foreign key to a partitioned table gets one derived row per
                        // partition on the referencing table: they come with the key.
                        "AND NOT EXISTS (SELECT 1 FROM pg_constraint pk "
                        "WHERE pk.oid = k.conparentid AND pk.conrelid = k.conrelid) "
                        "AND ({} OR (k.conrelid <> 0 AND {}))",
                        CommentJoin("pg_constraint", "k.oid"), UserSchema("n"),
                        domains ? "k.contypid <> 0" : "false",
                        RelationFilter(options_, "k.conrelid"))));
    for (const Row& row : r.rows) {
      google::protobuf::RepeatedPtrField<pb::PgConstraint>* list = nullptr;
      if (auto t = catalog_->tables.find(Text(row, kTable)); t != catalog_->tables.end()) {
        list = t->second.mutable_constraints();
        catalog_->identity.constraints[Oid(row, kOid)] = {Oid(row, kTable), Text(row, kName)};
      } else if (auto d = catalog_->types.find(Text(row, kDomain));
                 d != catalog_->types.end() && d->second.has_domain()) {
        list = d->second.mutable_domain()->mutable_constraints();
      } else {
        continue;
      }
      pb::PgConstraint* c = list->Add();
      c->set_name(Text(row, kName));
      c->set_type(ConstraintType(Text(row, kType)));
      c->set_definition(Trimmed(Text(row, kDefinition)));
      c->set_comment(Text(row, kComment));
    }
    return Status::Ok();
  }

  static pb::PgConstraintType ConstraintType(std::string_view contype) {
    if (contype == "p") return pb::PG_CONSTRAINT_PRIMARY_KEY;
    if (contype == "u") return pb::PG_CONSTRAINT_UNIQUE;
    if (contype == "f") return pb::PG_CONSTRAINT_FOREIGN_KEY;
    if (contype == "c") return pb::PG_CONSTRAINT_CHECK;
    return pb::PG_CONSTRAINT_EXCLUSION;
  }

  // Indexes of tables and materialized views, except those a constraint owns.
  Status Indexes() {
    enum { kOwner, kName, kDefinition, kComment, kOid };
    STRATA_ASSIGN_OR_RETURN(
        auto r,
        session_.Query("indexes",
                       fmt::format("SELECT i.indrelid, c.relname, pg_get_indexdef(i.indexrelid), "
                                   "ds.description, i.indexrelid "
                                   "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                                   "JOIN pg_namespace n ON n.oid = c.relnamespace {}"
                                   "WHERE {} AND {} AND NOT EXISTS (SELECT 1 FROM pg_constraint k "
                                   "WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid "
                                   "AND k.contype IN ('p', 'u', 'x'))",
                                   CommentJoin("pg_class", "i.indexrelid"), UserSchema("n"),
                                   RelationFilter(options_, "i.indrelid"))));
    for (const Row& row : r.rows) {
      pb::PgIndex* index = nullptr;
      if (auto t = catalog_->tables.find(Text(row, kOwner)); t != catalog_->tables.end()) {
        index = t->second.add_indexes();
      } else if (auto v = catalog_->views.find(Text(row, kOwner)); v != catalog_->views.end()) {
        index = v->second.add_indexes();
      } else {
        continue;
      }
      catalog_->identity.indexes[Oid(row, kOid)] = {Oid(row, kOwner), Text(row, kName)};
      index->set_name(Text(row, kName));
      index->set_definition(Trimmed(Text(row, kDefinition)));
      index->set_comment(Text(row, kComment));
    }
    return Status::Ok();
  }

  // Triggers the user made (not the ones behind foreign keys); triggers on views have no
  // place in the model and are not read.
  Status Triggers() {
    enum { kOwner, kName, kDefinition, kComment, kOid };
    STRATA_ASSIGN_OR_RETURN(
        auto r, session_.Query("triggers",
                               fmt::format("SELECT t.tgrelid, t.tgname, pg_get_triggerdef(t.oid), "
                                           "ds.description, t.oid "
                                           "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                                           "JOIN pg_namespace n ON n.oid = c.relnamespace {}"
                                           "WHERE NOT t.tgisinternal AND {} AND {}{}",
                                           CommentJoin("pg_trigger", "t.oid"), UserSchema("n"),
                                           RelationFilter(options_, "t.tgrelid"),
                                           // Clones of a partitioned table's row triggers
                                           // come with the parent's (PostgreSQL 13+).
                                           session_.conn().server_version() >= 130000
                                               ? " AND t.tgparentid = 0"
                                               : "")));
    for (const Row& row : r.rows) {
      auto t = catalog_->tables.find(Text(row, kOwner));
      if (t == catalog_->tables.end()) continue;
      catalog_->identity.triggers[Oid(row, kOid)] = {Oid(row, kOwner), Text(row, kName)};
      pb::PgTrigger* trigger = t->second.add_triggers();
      trigger->set_name(Text(row, kName));
      trigger->set_definition(Trimmed(Text(row, kDefinition)));
      trigger->set_comment(Text(row, kComment));
    }
    return Status::Ok();
  }

  Status Sequences();
  Status Types();
  Status EnumLabels();
  Status CompositeAttributes();
  Status Functions();

  Session& session_;
  const IntrospectOptions& options_;
  Catalog* catalog_ = nullptr;
};

// Identity sequences belong to their column and are not listed; a sequence owned by a history
// table is bookkeeping too. The owner is tested here rather than looked up among the tables
// read, which may be only some of them (IntrospectOptions::only_relations).
Status Reader::Sequences() {
  enum {
    kSchema,
    kName,
    kType,
    kStart,
    kIncrement,
    kMin,
    kMax,
    kCache,
    kCycle,
    kComment,
    kOwner,
    kOwnerSchema,
    kOwnerTable,
    kOwnerColumn,
    kOid,
    kOwnerIsHistory
  };
  STRATA_ASSIGN_OR_RETURN(
      auto r,
      session_.Query(
          "sequences",
          fmt::format(
              "SELECT n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqstart, "
              "s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle, "
              "ds.description, o.oid, o.nspname, o.relname, o.attname, c.oid, o.history "
              "FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid "
              "JOIN pg_namespace n ON n.oid = c.relnamespace "
              "LEFT JOIN LATERAL (SELECT oc.oid, od.deptype, onn.nspname, oc.relname, oa.attname, "
              "{} AS history "
              "FROM pg_depend od JOIN pg_class oc ON oc.oid = od.refobjid "
              "JOIN pg_namespace onn ON onn.oid = oc.relnamespace "
              "JOIN pg_attribute oa ON oa.attrelid = oc.oid AND oa.attnum = od.refobjsubid "
              "WHERE od.classid = 'pg_class'::regclass AND od.objid = c.oid "
              "AND od.refclassid = 'pg_class'::regclass AND od.deptype IN ('a', 'i') "
              "AND od.refobjsubid > 0 LIMIT 1) o ON true {}"
              "WHERE {} AND {} AND o.deptype IS DISTINCT FROM 'i'",
              IsHistoryTable(options_, "oc"), CommentJoin("pg_class", "c.oid"), UserSchema("n"),
              OwnObject("pg_class", "c.oid"))));
  for (const Row& row : r.rows) {
    if (Bool(row, kOwnerIsHistory)) continue;
    const std::string key = PgKey(Text(row, kSchema), Text(row, kName));
    catalog_->identity.relations[Oid(row, kOid)] = key;
    pb::PgSequence& q = (*catalog_->schema.mutable_sequences())[key];
    q.set_schema(Text(row, kSchema));
    q.set_name(Text(row, kName));
    q.set_data_type(Text(row, kType));
    q.set_start(Int(row, kStart));
    q.set_increment(Int(row, kIncrement));
    q.set_min_value(Int(row, kMin));
    q.set_max_value(Int(row, kMax));
    q.set_cache(Int(row, kCache));
    q.set_cycle(Bool(row, kCycle));
    if (row[kOwner]) {
      q.set_owned_by(fmt::format("{}.{}.{}", Text(row, kOwnerSchema), Text(row, kOwnerTable),
                                 Text(row, kOwnerColumn)));
    }
    q.set_comment(Text(row, kComment));
  }
  return Status::Ok();
}

// The definition of a range as `RANGE (subtype = ..., ...)`, options at their default left
// out; the multirange name is always written (PostgreSQL 14 and later) so that it is kept.
std::string RangeDefinitionSql(bool has_multirange) {
  return fmt::format(
      "'RANGE (subtype = ' || format_type(rg.rngsubtype, NULL)"
      " || CASE WHEN NOT oc.opcdefault THEN ', subtype_opclass = ' || CASE WHEN ocn.nspname = "
      "'pg_catalog' THEN quote_ident(oc.opcname) ELSE quote_ident(ocn.nspname) || '.' || "
      "quote_ident(oc.opcname) END ELSE '' END"
      " || CASE WHEN rg.rngcollation <> 0 AND rg.rngcollation <> st.typcollation THEN "
      "', collation = ' || {} ELSE '' END"
      " || CASE WHEN rg.rngcanonical <> 0 THEN ', canonical = ' || rg.rngcanonical::regproc "
      "ELSE '' END"
      " || CASE WHEN rg.rngsubdiff <> 0 THEN ', subtype_diff = ' || rg.rngsubdiff::regproc "
      "ELSE '' END"
      " {} || ')'",
      kCollationText,
      has_multirange ? "|| ', multirange_type_name = ' || format_type(rg.rngmultitypid, NULL)"
                     : "");
}

// The definition of a base type as the parenthesised list CREATE TYPE takes.
constexpr std::string_view kBaseDefinitionSql =
    "'(INPUT = ' || t.typinput::regproc || ', OUTPUT = ' || t.typoutput::regproc"
    " || CASE WHEN t.typreceive <> 0 THEN ', RECEIVE = ' || t.typreceive::regproc ELSE '' END"
    " || CASE WHEN t.typsend <> 0 THEN ', SEND = ' || t.typsend::regproc ELSE '' END"
    " || CASE WHEN t.typmodin <> 0 THEN ', TYPMOD_IN = ' || t.typmodin::regproc ELSE '' END"
    " || CASE WHEN t.typmodout <> 0 THEN ', TYPMOD_OUT = ' || t.typmodout::regproc ELSE '' END"
    " || CASE WHEN t.typanalyze <> 0 THEN ', ANALYZE = ' || t.typanalyze::regproc ELSE '' END"
    " || ', INTERNALLENGTH = ' || CASE WHEN t.typlen < 0 THEN 'VARIABLE' ELSE t.typlen::text END"
    " || CASE WHEN t.typbyval THEN ', PASSEDBYVALUE' ELSE '' END"
    " || ', ALIGNMENT = ' || CASE t.typalign WHEN 'c' THEN 'char' WHEN 's' THEN 'int2'"
    " WHEN 'i' THEN 'int4' ELSE 'double' END"
    " || ', STORAGE = ' || CASE t.typstorage WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external'"
    " WHEN 'm' THEN 'main' ELSE 'extended' END"
    " || ', CATEGORY = ' || quote_literal(t.typcategory::text)"
    " || CASE WHEN t.typispreferred THEN ', PREFERRED = true' ELSE '' END"
    " || CASE WHEN t.typdefault IS NOT NULL THEN ', DEFAULT = ' || quote_literal(t.typdefault)"
    " ELSE '' END"
    " || CASE WHEN t.typelem <> 0 THEN ', ELEMENT = ' || format_type(t.typelem, NULL) ELSE '' END"
    " || CASE WHEN t.typdelim <> ',' THEN ', DELIMITER = ' || quote_literal(t.typdelim::text)"
    " ELSE '' END"
    " || CASE WHEN t.typcollation <> 0 THEN ', COLLATABLE = true' ELSE '' END || ')'";

// Enums, composites, domains, ranges and base types; array types, multiranges and the row
// types of tables come with another object and are not listed. Labels, attributes and domain
// constraints are filled by their own queries.
Status Reader::Types() {
  enum { kOid, kSchema, kName, kKind, kComment, kBase, kNotNull, kDefault, kDefinition };
  const bool has_multirange = session_.conn().server_version() >= 140000;
  STRATA_ASSIGN_OR_RETURN(
      auto r,
      session_.Query(
          "types",
          fmt::format("SELECT t.oid, n.nspname, t.typname, t.typtype, ds.description, "
                      "CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END, "
                      "t.typnotnull, pg_get_expr(t.typdefaultbin, 0), "
                      "CASE t.typtype WHEN 'r' THEN {} WHEN 'b' THEN {} END "
                      "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                      "LEFT JOIN pg_range rg ON rg.rngtypid = t.oid "
                      "LEFT JOIN pg_type st ON st.oid = rg.rngsubtype "
                      "LEFT JOIN pg_opclass oc ON oc.oid = rg.rngsubopc "
                      "LEFT JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace "
                      "LEFT JOIN pg_collation co ON co.oid = rg.rngcollation "
                      "LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace {}"
                      "WHERE t.typtype IN ('b', 'c', 'd', 'e', 'r') AND {} AND {}",
                      RangeDefinitionSql(has_multirange), kBaseDefinitionSql,
                      CommentJoin("pg_type", "t.oid"), UserSchema("n"),
                      OwnObject("pg_type", "t.oid"))));
  for (const Row& row : r.rows) {
    pb::PgType& t = catalog_->types[Text(row, kOid)];
    t.set_schema(Text(row, kSchema));
    t.set_name(Text(row, kName));
    t.set_comment(Text(row, kComment));
    const std::string& kind = Text(row, kKind);
    if (kind == "e") {
      t.mutable_enum_type();
    } else if (kind == "c") {
      t.mutable_composite();
    } else if (kind == "d") {
      pb::PgDomainType* d = t.mutable_domain();
      d->set_base_type(Text(row, kBase));
      d->set_not_null(Bool(row, kNotNull));
      if (row[kDefault]) d->set_default_expr(*row[kDefault]);
    } else {
      t.mutable_other()->set_definition(Text(row, kDefinition));
    }
  }
  return Status::Ok();
}

Status Reader::EnumLabels() {
  STRATA_ASSIGN_OR_RETURN(
      auto r,
      session_.Query("enum labels", fmt::format("SELECT e.enumtypid, e.enumlabel FROM pg_enum e "
                                                "JOIN pg_type t ON t.oid = e.enumtypid "
                                                "JOIN pg_namespace n ON n.oid = t.typnamespace "
                                                "WHERE {} ORDER BY e.enumtypid, e.enumsortorder",
                                                UserSchema("n"))));
  for (const Row& row : r.rows) {
    auto t = catalog_->types.find(Text(row, 0));
    if (t == catalog_->types.end() || !t->second.has_enum_type()) continue;
    t->second.mutable_enum_type()->add_labels(Text(row, 1));
  }
  return Status::Ok();
}

Status Reader::CompositeAttributes() {
  STRATA_ASSIGN_OR_RETURN(
      auto r,
      session_.Query("composite type attributes",
                     fmt::format("SELECT t.oid, a.attname, format_type(a.atttypid, a.atttypmod) "
                                 "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                                 "JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c' "
                                 "JOIN pg_attribute a ON a.attrelid = c.oid "
                                 "WHERE a.attnum > 0 AND NOT a.attisdropped AND {} "
                                 "ORDER BY t.oid, a.attnum",
                                 UserSchema("n"))));
  for (const Row& row : r.rows) {
    auto t = catalog_->types.find(Text(row, 0));
    if (t == catalog_->types.end() || !t->second.has_composite()) continue;
    pb::PgCompositeAttribute* a = t->second.mutable_composite()->add_attributes();
    a->set_name(Text(row, 1));
    a->set_type(Text(row, 2));
  }
  return Status::Ok();
}

// Functions and procedures; aggregates have no pg_get_functiondef: ReadStorage reads them.
Status Reader::Functions() {
  STRATA_ASSIGN_OR_RETURN(
      auto r, session_.Query("functions",
                             fmt::format("SELECT n.nspname, p.proname, "
                                         "pg_get_function_identity_arguments(p.oid), "
                                         "pg_get_functiondef(p.oid), "
                                         "ds.description, p.oid "
                                         "FROM pg_proc p JOIN pg_namespace n ON n.oid = "
                                         "p.pronamespace {} WHERE p.prokind <> 'a' AND {} AND {}",
                                         CommentJoin("pg_proc", "p.oid"), UserSchema("n"),
                                         OwnObject("pg_proc", "p.oid"))));
  for (const Row& row : r.rows) {
    const std::string key = PgFunctionKey(Text(row, 0), Text(row, 1), Text(row, 2));
    catalog_->identity.functions[Oid(row, 5)] = key;
    pb::PgFunction& f = (*catalog_->schema.mutable_functions())[key];
    f.set_schema(Text(row, 0));
    f.set_name(Text(row, 1));
    f.set_identity_arguments(Text(row, 2));
    f.set_definition(Trimmed(Text(row, 3)));
    f.set_comment(Text(row, 4));
  }
  return Status::Ok();
}

// ---- Assembly ------------------------------------------------------------------------

pb::PostgresSchema Assemble(Catalog& catalog) {
  pb::PostgresSchema out = std::move(catalog.schema);
  for (auto& [_, t] : catalog.tables) {
    CanonicalizePgTable(&t);
    (*out.mutable_tables())[PgKey(t.schema(), t.name())] = std::move(t);
  }
  for (auto& [_, v] : catalog.views) {
    CanonicalizePgView(&v);
    (*out.mutable_views())[PgKey(v.schema(), v.name())] = std::move(v);
  }
  for (auto& [oid, t] : catalog.types) {
    catalog.identity.types[static_cast<uint32_t>(std::stoul(oid))] = PgKey(t.schema(), t.name());
    CanonicalizePgType(&t);
    (*out.mutable_types())[PgKey(t.schema(), t.name())] = std::move(t);
  }
  return out;
}

// The objects of `map` whose create event the engine rejects, by key, with its reason.
// Objects are swapped in and back out rather than copied: this runs on every call.
template <typename Map, typename Slot>
std::vector<std::pair<std::string, std::string>> Rejected(Map* map, Slot slot) {
  std::vector<std::pair<std::string, std::string>> out;
  pb::PostgresChange change;
  for (auto& [key, object] : *map) {
    auto* in_change = slot(&change);
    in_change->Swap(&object);
    Status s = ValidatePostgresChange(change);
    in_change->Swap(&object);
    if (!s.ok()) out.emplace_back(key, s.message());
  }
  return out;
}

// Moves each rejected object of `map` into the fallback objects, as the DDL that recreates it,
// with a warning: whatever the server accepted is recorded, never refused after the fact.
// `prefix` turns a key of `map` into the object name show uses ("evt:" for event triggers).
template <typename Map, typename Slot>
void KeepRejected(pb::PostgresSchema* s, Map* map, Slot slot, std::string_view kind,
                  const std::string& server, std::vector<std::string>* warnings,
                  std::string_view prefix = "") {
  for (const auto& [key, reason] : Rejected(map, slot)) {
    Result<std::string> ddl = RenderObjectDdl(*s, std::string(prefix) + key);
    const auto& object = map->at(key);
    pb::PgOtherObject other;
    other.set_kind(std::string(kind));
    // Event triggers and foreign servers live outside any schema.
    if constexpr (requires { object.schema(); }) other.set_schema(object.schema());
    other.set_name(object.name());
    other.set_definition(ddl.ok() ? *ddl : object.DebugString());
    warnings->push_back(fmt::format(
        "warning: {} {} on {} is kept as its definition text: the model cannot hold it ({})",
        kind, key, server, reason));
    map->erase(key);
    (*s->mutable_others())[PgOtherKey(other)] = std::move(other);
  }
}

// What the engine would say about creating every object. An object it rejects is a catalog
// shape the readers do not know; it goes to the fallback form rather than wedging every
// capture that follows.
void CheckAgainstEngine(pb::PostgresSchema* s, const std::string& server,
                        std::vector<std::string>* warnings) {
  using C = pb::PostgresChange;
  KeepRejected(s, s->mutable_tables(),
               [](C* c) { return c->mutable_create_table()->mutable_table(); }, "table", server,
               warnings);
  KeepRejected(s, s->mutable_views(), [](C* c) { return c->mutable_create_view()->mutable_view(); },
               "view", server, warnings);
  KeepRejected(s, s->mutable_sequences(),
               [](C* c) { return c->mutable_create_sequence()->mutable_sequence(); }, "sequence",
               server, warnings);
  KeepRejected(s, s->mutable_types(), [](C* c) { return c->mutable_create_type()->mutable_type(); },
               "type", server, warnings);
  KeepRejected(s, s->mutable_functions(),
               [](C* c) { return c->mutable_create_function()->mutable_function(); }, "function",
               server, warnings);
  KeepRejected(s, s->mutable_event_triggers(),
               [](C* c) { return c->mutable_create_event_trigger()->mutable_trigger(); },
               "event trigger", server, warnings, kPgEventTriggerPrefix);
  KeepRejected(s, s->mutable_foreign_servers(),
               [](C* c) { return c->mutable_create_foreign_server()->mutable_server(); },
               "foreign server", server, warnings, kPgForeignServerPrefix);
}

}  // namespace

Result<pb::PostgresSchema> Introspect(Connection& conn, const IntrospectOptions& options,
                                      IntrospectStats* stats, CatalogIdentity* identity) {
  const int64_t start_micros = options.clock->SteadyMicros();
  if (conn.server_version() < 120000) {
    return Status::FailedPrecondition(
        fmt::format("introspecting {}: PostgreSQL 12 or newer is needed (server is {})",
                    conn.description(), conn.server_version()));
  }
  if (stats) *stats = IntrospectStats();
  Session session(conn, stats, options);
  STRATA_RETURN_IF_ERROR(session.Begin());
  Catalog catalog;
  Status read = Reader(session, options).ReadAll(&catalog);
  Status end = session.End(read.ok());
  STRATA_RETURN_IF_ERROR(read);
  STRATA_RETURN_IF_ERROR(end);
  pb::PostgresSchema schema = Assemble(catalog);
  if (identity) *identity = std::move(catalog.identity);
  CheckAgainstEngine(&schema, conn.description(), &catalog.warnings);
  if (options.warn) {
    for (const auto& w : catalog.warnings) options.warn(w);
  }
  if (stats) {
    stats->micros = options.clock->SteadyMicros() - start_micros;
  }
  return schema;
}

pb::SchemaState AsSchemaState(pb::PostgresSchema schema) {
  pb::SchemaState s;
  s.set_engine(pb::ENGINE_POSTGRES);
  *s.mutable_postgres() = std::move(schema);
  return s;
}

Result<pb::SchemaState> IntrospectState(Connection& conn, const IntrospectOptions& options) {
  STRATA_ASSIGN_OR_RETURN(pb::PostgresSchema schema, Introspect(conn, options));
  return AsSchemaState(std::move(schema));
}

}  // namespace strata::postgres
